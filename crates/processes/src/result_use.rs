//! Result use (结果运用): for one officer, every determination that protects them and what each
//! must not affect, so personnel staff see it where they decide on assessments, promotion,
//! awards and the rest (000 §30, 003 "免责结果怎么用", 002 §14).
//!
//! # What protects, and from what
//!
//! - **依法履职免责** (an issued 000 determination of exemption naming the officer): the four of
//!   000 §30 — (一) 各类考核, (二) 干部提拔任用、职务职级和警衔晋升, (三) 评先评优、表彰奖励,
//!   (四) 党代会代表、人大代表、政协委员资格 — and, by reference, 003's 提拔交流 and 职称评聘.
//! - **容错** (an issued 000 determination of tolerance, or a rectification, which every
//!   tolerated mistake opens): 000 §30 names only exempted officers, so the items come from 003
//!   ("对经认定免责减责的单位和民警，在平时(绩效)考核、年度考评、评先评优、表彰奖励、提拔交流、
//!   职称评聘等方面不受影响或不作负面评价") and 002 §14 ("予以容错的，不作为执法错误认定"), by
//!   reference.
//!
//! Only the regulations that govern the case are cited (issue 20 item 3): those its
//! `case_governed` recorded (procedure and rule packs), or — for a case recorded before
//! bindings — the process's own pack (000). So 阿拉善 police (000, 001, 004, 004-2016) are
//! protected by 000 §30 alone, never by 002 (兴安盟国防动员办公室) or 003 (福建省监狱管理局);
//! a tolerance under regulations that say nothing of its use says so. Two caveats go with every
//! determination where 000 governs: 000 §25 (flaws and breaches of internal rules are still
//! dealt with and count in 执法质量绩效考评) and, where a rectification of the same mistake was
//! flagged, 000 §31 ¶2 (recurrence, ineffective rectification, concealment, refusal or defiance
//! are dealt with by accountability, which the protection does not cover).
//!
//! A determination listed is one *issued* (opinion or reply in force); whether it is final
//! (000 §23 "申请人无意见或经复议复核") is the caller's to say (it needs the calendar and the
//! pack's periods), and the page shows it.

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use lvzhi_case::Governance;
use lvzhi_workflow::{Outcome, Protection, State as Application};
use serde::Serialize;

use crate::rectification::{self, State as Rectification, REFERRAL_GROUNDS};

/// An area of personnel decisions a protected determination must not affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// 各类考核.
    Assessments,
    /// 干部提拔任用、职务职级和警衔晋升.
    Promotion,
    /// 评先评优、表彰奖励.
    Awards,
    /// 党代会代表、人大代表、政协委员资格.
    DeputyStatus,
    /// 交流 (提拔交流).
    Exchange,
    /// 职称评聘.
    ProfessionalTitles,
    /// 执法错误认定.
    ErrorRecord,
}

impl Area {
    pub fn zh(self) -> &'static str {
        match self {
            Area::Assessments => "考核",
            Area::Promotion => "提拔任用、职务职级和警衔晋升",
            Area::Awards => "评先评优、表彰奖励",
            Area::DeputyStatus => "党代会代表、人大代表、政协委员资格",
            Area::Exchange => "交流",
            Area::ProfessionalTitles => "职称评聘",
            Area::ErrorRecord => "执法错误认定",
        }
    }

    /// The area of one of the workflow's four protections (000 §30).
    pub fn of(p: Protection) -> Area {
        match p {
            Protection::Assessments => Area::Assessments,
            Protection::Promotion => Area::Promotion,
            Protection::Awards => Area::Awards,
            Protection::DeputyStatus => Area::DeputyStatus,
        }
    }
}

/// One thing a determination must not affect, with the words and the article it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Safeguard {
    pub area: Area,
    pub area_zh: &'static str,
    /// What exactly, in the regulation's words.
    pub scope: &'static str,
    /// 不受影响 / 不作负面评价 / 不作为执法错误认定.
    pub rule: &'static str,
    pub article: &'static str,
    /// Rests only on another body's rules, applied by reference. Since only the regulations
    /// that govern the case are cited (issue 20 item 3), always false; kept for the API.
    pub by_reference: bool,
}

/// A limit of the protection, with its article (empty when no article states it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    pub text: String,
    pub article: String,
}

/// The regulations that govern a case: those its governance recorded, or the process's own
/// pack (000) for a case recorded before bindings.
fn governing(g: Option<&Governance>) -> Vec<(String, String)> {
    match g {
        Some(g) => std::iter::once(&g.procedure)
            .chain(&g.rules)
            .map(|r| (r.pack.clone(), r.title.clone()))
            .fold(Vec::new(), |mut v, r| {
                if !v.iter().any(|(p, _)| *p == r.0) {
                    v.push(r);
                }
                v
            }),
        None => vec![(S000.to_string(), String::new())],
    }
}

/// Whether a citation ("000 §30(一)", "003 §7") is of a governing regulation.
fn cites_governing(article: &str, gov: &[(String, String)]) -> bool {
    let pack = article.split_once(' ').map_or(article, |(p, _)| p);
    gov.iter().any(|(p, _)| p == pack)
}

/// Keeps what the governing regulations say; says so when they say nothing of the result's use.
fn governed(
    mut safeguards: Vec<Safeguard>,
    mut caveats: Vec<Caveat>,
    gov: &[(String, String)],
    outcome: &str,
) -> (Vec<Safeguard>, Vec<Caveat>) {
    safeguards.retain(|s| cites_governing(s.article, gov));
    caveats.retain(|c| c.article.is_empty() || cites_governing(&c.article, gov));
    if safeguards.is_empty() {
        let titles: Vec<String> = gov
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(_, t)| format!("《{t}》"))
            .collect();
        caveats.insert(
            0,
            Caveat {
                text: if titles.is_empty() {
                    format!("适用于本案的规定未就{outcome}认定的结果运用作出规定，依照有关规定办理")
                } else {
                    format!(
                        "适用于本案的{}未就{outcome}认定的结果运用作出规定，依照有关规定办理",
                        titles.join("")
                    )
                },
                article: String::new(),
            },
        );
    }
    (safeguards, caveats)
}

/// Where a protected determination comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An issued determination of a 000 application.
    Application,
    /// A rectification whose tolerated mistake is not among the applications given.
    Rectification,
    /// A 容错免责认定 (002 §13, 003 §13) whose conclusion in force tolerates the mistake.
    Determination,
}

/// One protected determination of the officer and what it must not affect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectedDetermination {
    pub case_id: String,
    pub source: Source,
    pub outcome: &'static str,
    /// The determination in one line (`应当依法履职免责`, `可以容错（减轻）`).
    pub summary: String,
    /// The matter (申请事项) or, for a rectification, the category of mistake.
    pub matter: String,
    /// The day the opinion (or the rectification) was issued.
    pub issued_on: Option<NaiveDate>,
    /// Final (000 §23), as the caller established; a rectification's tolerance is final.
    pub is_final: bool,
    /// Publicity turned up a substantiated objection: the determination awaits revision.
    pub in_question: bool,
    pub safeguards: Vec<Safeguard>,
    /// The protections of 000 §30 the unit recorded as applied.
    pub applied: Vec<Area>,
    /// Rectifications of the mistake (tolerance), with their stage in Chinese.
    pub rectifications: Vec<(String, String)>,
    pub caveats: Vec<Caveat>,
}

/// A rectification as the caller hands it over: its id, replayed state and the governance it
/// recorded.
pub type RectificationRecord<'a> = (&'a str, &'a Rectification, Option<&'a Governance>);

/// A 容错免责认定 case as the caller hands it over: its id, replayed state and governance.
pub type DeterminationRecord<'a> = (
    &'a str,
    &'a crate::determination::State,
    Option<&'a Governance>,
);

/// The procedures the result-use read model carries out, for `lvzhi policy coverage`: 003 §7
/// for the determinations of the bodies 003 governs.
pub const PROCEDURES: &[(&str, &str)] = &[("003", "result_use")];

/// The officer's 容错 determinations under 002 or 003 (容错免责认定 cases whose conclusion in
/// force tolerates the mistake) and what each must not affect, by the regulations that governed
/// the case: 003 §7 for those 免责 or 减责 (免除责任, 减轻处理 — not 从轻处理, which stays within
/// the ordinary range), 002 §14 for every 容错.
pub fn protected_by_determinations(
    officer_id: &str,
    determinations: &[DeterminationRecord<'_>],
) -> Vec<ProtectedDetermination> {
    use crate::determination::{Treatment, Verdict};
    let mut out = Vec::new();
    for (id, s, g) in determinations {
        let Some(o) = &s.opening else { continue };
        if o.officer.person_id != officer_id {
            continue;
        }
        let Some(c) = s
            .conclusion
            .as_ref()
            .filter(|c| c.verdict == Verdict::Tolerated)
        else {
            continue;
        };
        let relieved = matches!(c.treatment, Some(Treatment::Waived | Treatment::Reduced));
        let mut safeguards = tolerance_safeguards();
        if !relieved {
            safeguards.retain(|sg| sg.article != S003);
        }
        let pending_review = s.review.as_ref().is_some_and(|r| r.answer.is_none());
        let (safeguards, caveats) = governed(safeguards, Vec::new(), &governing(*g), "容错");
        out.push(ProtectedDetermination {
            case_id: id.to_string(),
            source: Source::Determination,
            outcome: Outcome::Tolerance.zh(),
            summary: c.zh(),
            matter: o.matter.trim().to_string(),
            issued_on: Some(c.on),
            is_final: !pending_review,
            in_question: false,
            safeguards,
            applied: Vec::new(),
            rectifications: Vec::new(),
            caveats,
        });
    }
    out
}

/// An application as the caller hands it over: its id, replayed state and finality.
#[derive(Debug, Clone, Copy)]
pub struct ApplicationRecord<'a> {
    pub case_id: &'a str,
    pub state: &'a Application,
    pub is_final: bool,
}

const S000: &str = "000";
/// 003's result-use article: "对经认定免责减责的单位和民警…不受影响或不作负面评价" (the pack's
/// `result_use` procedure).
const S003: &str = "003 §7";

/// 000 §30 for exempted officers, then 003's additions.
fn exemption_safeguards() -> Vec<Safeguard> {
    vec![
        Safeguard {
            area: Area::Assessments,
            area_zh: Area::Assessments.zh(),
            scope: "工作考核、任期考核、任职试用期满考核等各类考核",
            rule: "不受影响",
            article: "000 §30(一)",
            by_reference: false,
        },
        Safeguard {
            area: Area::Promotion,
            area_zh: Area::Promotion.zh(),
            scope: "干部提拔任用、职务职级和警衔晋升",
            rule: "不受影响",
            article: "000 §30(二)",
            by_reference: false,
        },
        Safeguard {
            area: Area::Awards,
            area_zh: Area::Awards.zh(),
            scope: "评先评优、表彰奖励",
            rule: "不受影响",
            article: "000 §30(三)",
            by_reference: false,
        },
        Safeguard {
            area: Area::DeputyStatus,
            area_zh: Area::DeputyStatus.zh(),
            scope: "党代会代表、人大代表、政协委员资格",
            rule: "不受影响",
            article: "000 §30(四)",
            by_reference: false,
        },
        Safeguard {
            area: Area::Exchange,
            area_zh: Area::Exchange.zh(),
            scope: "提拔交流",
            rule: "不受影响或不作负面评价",
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::ProfessionalTitles,
            area_zh: Area::ProfessionalTitles.zh(),
            scope: "职称评聘",
            rule: "不受影响或不作负面评价",
            article: S003,
            by_reference: false,
        },
    ]
}

/// 003's list for 免责减责 and 002 §14 for tolerance (000 §30 names exempted officers only).
fn tolerance_safeguards() -> Vec<Safeguard> {
    let r = "不受影响或不作负面评价";
    vec![
        Safeguard {
            area: Area::Assessments,
            area_zh: Area::Assessments.zh(),
            scope: "平时（绩效）考核、年度考评",
            rule: r,
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::Promotion,
            area_zh: Area::Promotion.zh(),
            scope: "提拔",
            rule: r,
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::Awards,
            area_zh: Area::Awards.zh(),
            scope: "评先评优、表彰奖励",
            rule: r,
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::Exchange,
            area_zh: Area::Exchange.zh(),
            scope: "交流",
            rule: r,
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::ProfessionalTitles,
            area_zh: Area::ProfessionalTitles.zh(),
            scope: "职称评聘",
            rule: r,
            article: S003,
            by_reference: false,
        },
        Safeguard {
            area: Area::ErrorRecord,
            area_zh: Area::ErrorRecord.zh(),
            scope: "经研究决定予以容错的",
            rule: "不作为执法错误认定",
            article: "002 §14",
            by_reference: false,
        },
    ]
}

/// 000 §25: no discipline, no legal liability, but flaws still dealt with and counted.
fn s25() -> Caveat {
    Caveat {
        text: "依法履职免责容错不受纪律处分，不承担法律责任；但存在执法瑕疵或者违反内部规定的情形，仍应视情适当予以处理，并纳入执法质量绩效考评".to_string(),
        article: "000 §25".to_string(),
    }
}

/// What a rectification's flags take out of the protection (000 §31 ¶2).
fn rectification_caveats(case_id: &str, r: &Rectification) -> Vec<Caveat> {
    r.referrals
        .iter()
        .map(|f| {
            let ground = REFERRAL_GROUNDS
                .iter()
                .find(|(id, _)| *id == f.ground)
                .map_or(f.ground.as_str(), |(_, zh)| zh);
            let strict = matches!(&*f.ground, "concealment" | "refusal" | "defiance");
            Caveat {
                text: format!(
                    "纠错整改{case_id}于{}标记“{ground}”，{}；该问责处理不在上述保障之列",
                    date_zh(f.on),
                    if strict {
                        "应当从严处理"
                    } else {
                        "应当依规依纪依法问责处理"
                    }
                ),
                article: "000 §31¶2".to_string(),
            }
        })
        .collect()
}

fn is_about(r: &Rectification, officer_id: &str) -> bool {
    r.officer
        .as_ref()
        .is_some_and(|o| o.person_id == officer_id)
}

/// The officer's protected determinations, applications first (in the order given), then the
/// rectifications whose mistake is not among them; with what each must not affect.
pub fn protected_determinations(
    officer_id: &str,
    applications: &[ApplicationRecord<'_>],
    rectifications: &[RectificationRecord<'_>],
) -> Vec<ProtectedDetermination> {
    let mut out = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for a in applications {
        let s = a.state;
        if !s.applicant_ids().contains(&officer_id) || !s.stage.has_opinion() {
            continue;
        }
        let Some(d) = s.determination.as_ref().filter(|d| d.excuses()) else {
            continue;
        };
        let exempt = d.outcome == Outcome::Exemption;
        let linked: Vec<&RectificationRecord<'_>> = rectifications
            .iter()
            .filter(|(_, r, _)| {
                is_about(r, officer_id) && r.source_case.as_deref() == Some(a.case_id)
            })
            .collect();
        covered.extend(linked.iter().map(|(id, _, _)| *id));
        let mut caveats = vec![s25()];
        for (id, r, _) in &linked {
            caveats.extend(rectification_caveats(id, r));
        }
        if !exempt && linked.is_empty() {
            caveats.push(Caveat {
                text: "对适用容错的民警，应当制定并落实有针对性的纠错和整改措施；尚无该事项的纠错整改记录".to_string(),
                article: "000 §31¶2".to_string(),
            });
        }
        let applied = s
            .result_use
            .get(officer_id)
            .map(|r| r.protections.iter().map(|p| Area::of(*p)).collect())
            .unwrap_or_default();
        let (safeguards, caveats) = governed(
            if exempt {
                exemption_safeguards()
            } else {
                tolerance_safeguards()
            },
            caveats,
            &governing(s.governance.as_ref()),
            if exempt { "免责" } else { "容错" },
        );
        out.push(ProtectedDetermination {
            case_id: a.case_id.to_string(),
            source: Source::Application,
            outcome: d.outcome.zh(),
            summary: d.summary_zh(),
            matter: s
                .form
                .as_ref()
                .map(|f| f.matter.trim().to_string())
                .unwrap_or_default(),
            issued_on: s.opinion_issued_on,
            is_final: a.is_final,
            in_question: s.determination_in_question,
            safeguards,
            applied,
            rectifications: linked
                .iter()
                .map(|(id, r, _)| (id.to_string(), r.stage.zh().to_string()))
                .collect(),
            caveats,
        });
    }
    for (id, r, g) in rectifications {
        if !is_about(r, officer_id) || covered.contains(id) || r.stage == rectification::Stage::New
        {
            continue;
        }
        let mut caveats = vec![s25()];
        caveats.extend(rectification_caveats(id, r));
        let (safeguards, caveats) =
            governed(tolerance_safeguards(), caveats, &governing(*g), "容错");
        out.push(ProtectedDetermination {
            case_id: id.to_string(),
            source: Source::Rectification,
            outcome: Outcome::Tolerance.zh(),
            summary: match &r.source_case {
                Some(c) => format!("容错（免责容错案件{c}）"),
                None => "容错".to_string(),
            },
            matter: r.category.zh(),
            issued_on: r.opened_on,
            is_final: true,
            in_question: false,
            safeguards,
            applied: Vec::new(),
            rectifications: vec![(id.to_string(), r.stage.zh().to_string())],
            caveats,
        });
    }
    out
}

/// The protections every listed determination gives in one area, for a decision in that area
/// (e.g. a promotion board asks about `Area::Promotion`): each determination's case id with the
/// safeguard that applies.
pub fn for_area(list: &[ProtectedDetermination], area: Area) -> Vec<(&str, &Safeguard)> {
    list.iter()
        .flat_map(|d| {
            d.safeguards
                .iter()
                .filter(move |s| s.area == area)
                .map(move |s| (d.case_id.as_str(), s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rectification::{Category, Referral, Stage as RStage};
    use lvzhi_workflow::{
        ApplicationForm, By, Determination, Modality, Officer, Org, ResultUse, Stage,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn org(id: &str, name: &str) -> Org {
        Org {
            id: id.into(),
            name: name.into(),
        }
    }

    fn application(outcome: Outcome) -> Application {
        let determination = Determination {
            outcome,
            modality: Modality::Shall,
            leniency: (outcome == Outcome::Tolerance).then_some(lvzhi_workflow::Leniency::Waived),
            basis: "依据".into(),
            articles: vec!["000 §7(一)".into()],
            original_decision_improper: false,
            departure_reasons: None,
        };
        let form = ApplicationForm {
            applicants: vec![Officer {
                person_id: "p-zhang".into(),
                name: "张伟".into(),
            }],
            applying_unit: org("bayan", "巴彦浩特派出所"),
            committee: org("zuoqi", "阿拉善左旗公安局"),
            parent_committee: None,
            matter: "制止斗殴致人轻伤".into(),
            statement: None,
            accountability_decision: None,
            facts: Default::default(),
        };
        Application {
            stage: Stage::OpinionIssued,
            form: Some(form),
            determination: Some(determination),
            opinion_issued_on: Some(d(2026, 2, 10)),
            ..Application::default()
        }
    }

    fn areas(p: &ProtectedDetermination) -> Vec<Area> {
        p.safeguards.iter().map(|s| s.area).collect()
    }

    /// A 容错免责认定 of 陈伟 concluded with `treatment` on 2026-03-16.
    fn determination(treatment: crate::determination::Treatment) -> crate::determination::State {
        use crate::determination::{
            Conclusion, Officer, Opened, Opening, State, Verdict, Weighing,
        };
        let org = |id: &str, name: &str| lvzhi_case::Org {
            id: id.into(),
            name: name.into(),
        };
        State {
            opening: Some(Opening {
                how: Opened::Application,
                officer: Officer {
                    person_id: "p-chenwei".into(),
                    name: "陈伟".into(),
                },
                unit: org("fz-3", "福州监狱三监区"),
                org: org("fz", "福州监狱"),
                matter: "突发事件处置中的判断失误".into(),
                occurred_on: NaiveDate::from_ymd_opt(2026, 2, 20).expect("a date"),
                text: String::new(),
            }),
            conclusion: Some(Conclusion {
                on: NaiveDate::from_ymd_opt(2026, 3, 16).expect("a date"),
                verdict: Verdict::Tolerated,
                treatment: Some(treatment),
                grounds: Vec::new(),
                analysis: "非主观故意".into(),
                weighing: Weighing::default(),
                pack: "003".into(),
                committee: "福州监狱民警依法履职保护委员会".into(),
            }),
            ..State::default()
        }
    }

    /// 003 §7: 对经认定免责减责的单位和民警，在平时（绩效）考核、年度考评、评先评优、表彰奖励、
    /// 提拔交流、职称评聘等方面不受影响或者不作负面评价 — a 福州监狱 officer's 容错免责认定 is
    /// listed with 003 §7's safeguards when it 免除 or 减轻 the responsibility, not when it only
    /// 从轻; a 002 body's 容错 with 002 §14's; the officer of another case sees nothing of it.
    #[test]
    fn s7_003_determinations_that_relieve_are_protected_in_personnel_decisions() {
        use crate::determination::Treatment;
        let g003 = governance("003", &["003"]);
        let reduced = determination(Treatment::Reduced);
        let list = protected_by_determinations("p-chenwei", &[("R1", &reduced, Some(&g003))]);
        assert_eq!(list.len(), 1);
        let d = &list[0];
        assert_eq!(d.source, Source::Determination);
        assert_eq!(d.summary, "予以容错，减轻处理");
        assert!(d.is_final);
        let areas: Vec<Area> = d.safeguards.iter().map(|s| s.area).collect();
        assert_eq!(
            areas,
            [
                Area::Assessments,
                Area::Promotion,
                Area::Awards,
                Area::Exchange,
                Area::ProfessionalTitles
            ]
        );
        assert!(d.safeguards.iter().all(|s| s.article == "003 §7"));
        assert_eq!(for_area(&list, Area::ProfessionalTitles).len(), 1);
        // 从轻 is not 减责: nothing of 003 §7, and it says so.
        let lighter = determination(Treatment::Lighter);
        let list = protected_by_determinations("p-chenwei", &[("R2", &lighter, Some(&g003))]);
        assert!(list[0].safeguards.is_empty());
        assert!(list[0].caveats[0]
            .text
            .contains("未就容错认定的结果运用作出规定"));
        // Under 002: 不作为执法错误认定 (002 §14) only.
        let g002 = governance("002", &["002"]);
        let list = protected_by_determinations("p-chenwei", &[("R3", &reduced, Some(&g002))]);
        let articles: Vec<&str> = list[0].safeguards.iter().map(|s| s.article).collect();
        assert_eq!(articles, ["002 §14"]);
        assert!(
            protected_by_determinations("p-other", &[("R1", &reduced, Some(&g003))]).is_empty()
        );
    }

    fn governance(procedure: &str, rules: &[&str]) -> Governance {
        let r = |p: &str| lvzhi_case::PackRef {
            pack: p.to_string(),
            version: "v".into(),
            title: format!("规定{p}"),
            short_title: String::new(),
            bodies: Default::default(),
        };
        Governance {
            procedure: r(procedure),
            rules: rules.iter().map(|p| r(p)).collect(),
            bound_at: "org".into(),
        }
    }

    #[test]
    fn s30_000_an_exemption_protects_the_four_and_cites_only_governing_regulations() {
        let mut a = application(Outcome::Exemption);
        // 阿拉善 police: 000's procedure; 000, 001 and both texts of 004 (issue 20).
        a.governance = Some(governance("000", &["000", "001", "004", "004-2016"]));
        let list = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A2026-000001",
                state: &a,
                is_final: true,
            }],
            &[],
        );
        assert_eq!(list.len(), 1);
        let p = &list[0];
        assert_eq!(p.outcome, "依法履职免责");
        assert_eq!(
            areas(p),
            vec![
                Area::Assessments,
                Area::Promotion,
                Area::Awards,
                Area::DeputyStatus,
            ]
        );
        // The four of 000 §30 bind; 003 (福建省监狱) does not govern 阿拉善 police.
        for s in &p.safeguards {
            assert!(s.article.starts_with("000 §30(") && !s.by_reference);
        }
        assert!(p.safeguards.iter().all(|s| !s.article.starts_with("003")));
        assert_eq!(
            p.safeguards[0].scope,
            "工作考核、任期考核、任职试用期满考核等各类考核"
        );
        assert_eq!(p.safeguards[3].scope, "党代会代表、人大代表、政协委员资格");
        assert_eq!(p.caveats[0].article, "000 §25");
        assert_eq!(for_area(&list, Area::Promotion).len(), 1);
        // A case recorded before bindings: the process's own pack (000) alone.
        a.governance = None;
        let before = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A1",
                state: &a,
                is_final: true,
            }],
            &[],
        );
        assert_eq!(before[0].safeguards, p.safeguards);
    }

    #[test]
    fn s30_000_only_issued_excusing_determinations_of_the_officer_are_listed() {
        let mut a = application(Outcome::Exclusion);
        let list = |a: &Application, who: &str| {
            protected_determinations(
                who,
                &[ApplicationRecord {
                    case_id: "A1",
                    state: a,
                    is_final: false,
                }],
                &[],
            )
        };
        assert!(list(&a, "p-zhang").is_empty());
        a = application(Outcome::Exemption);
        assert!(list(&a, "p-other").is_empty());
        a.stage = Stage::OpinionApproved;
        assert!(list(&a, "p-zhang").is_empty(), "approved, not yet issued");
    }

    #[test]
    fn s30_000_a_tolerance_cites_no_other_bodys_rules_and_asks_for_a_rectification_000_s31() {
        let mut a = application(Outcome::Tolerance);
        a.governance = Some(governance("000", &["000", "001", "004", "004-2016"]));
        let list = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A1",
                state: &a,
                is_final: true,
            }],
            &[],
        );
        let p = &list[0];
        // 000 §30 is for exemption; 002 §14 and 003 govern other bodies: nothing is cited.
        assert!(p.safeguards.is_empty(), "{:?}", p.safeguards);
        assert_eq!(p.caveats[0].article, "");
        assert!(p.caveats[0].text.contains(
            "《规定000》《规定001》《规定004》《规定004-2016》未就容错认定的结果运用作出规定"
        ));
        assert!(p.caveats.iter().any(|c| c.article == "000 §31¶2"));
        assert!(p.caveats.iter().any(|c| c.article == "000 §25"));
    }

    #[test]
    fn s14_002_and_003_protect_a_tolerance_where_they_govern() {
        let r = rectification(None, None);
        // 福建省监狱: 003 governs — its list binds (not by reference); 000's caveats do not.
        let g003 = governance("003", &["003"]);
        let list = protected_determinations("p-zhang", &[], &[("J1", &r, Some(&g003))]);
        let p = &list[0];
        assert!(areas(p).contains(&Area::ProfessionalTitles));
        assert!(p
            .safeguards
            .iter()
            .all(|s| s.article == "003 §7" && !s.by_reference));
        assert!(p.caveats.iter().all(|c| !c.article.starts_with("000")));
        // 兴安盟国防动员办公室: 002 §14.
        let g002 = governance("002", &["002"]);
        let list = protected_determinations("p-zhang", &[], &[("J1", &r, Some(&g002))]);
        assert_eq!(
            list[0]
                .safeguards
                .iter()
                .map(|s| (s.article, s.rule))
                .collect::<Vec<_>>(),
            vec![("002 §14", "不作为执法错误认定")]
        );
    }

    fn rectification(source: Option<&str>, flagged: Option<&str>) -> Rectification {
        Rectification {
            stage: RStage::Open,
            officer: Some(Officer {
                person_id: "p-zhang".into(),
                name: "张伟".into(),
            }),
            source_case: source.map(String::from),
            category: Category {
                id: "recording".into(),
                detail: None,
            },
            opened_on: Some(d(2026, 3, 2)),
            referrals: flagged
                .map(|g| Referral {
                    on: d(2026, 3, 2),
                    by: By::system(),
                    ground: g.into(),
                    description: "同一类型错误再次发生".into(),
                    earlier: vec!["J2025-000001".into()],
                    superior: None,
                })
                .into_iter()
                .collect(),
            ..Rectification::default()
        }
    }

    #[test]
    fn s31_000_a_flagged_rectification_limits_the_protection_of_its_tolerance() {
        let a = application(Outcome::Tolerance);
        let r = rectification(Some("A1"), Some("recurrence"));
        let list = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A1",
                state: &a,
                is_final: true,
            }],
            &[("J2026-000002", &r, None)],
        );
        assert_eq!(
            list.len(),
            1,
            "the rectification belongs to its application"
        );
        let p = &list[0];
        assert_eq!(
            p.rectifications,
            vec![("J2026-000002".to_string(), "整改中".to_string())]
        );
        let c = p.caveats.iter().find(|c| c.article == "000 §31¶2").unwrap();
        assert!(c.text.contains("同一类型错误再次发生"));
        assert!(c.text.contains("应当依规依纪依法问责处理"));
        assert!(c.text.contains("不在上述保障之列"));
        // Refusal to rectify: 从严处理.
        let r = rectification(Some("A1"), Some("refusal"));
        let list = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A1",
                state: &a,
                is_final: true,
            }],
            &[("J2026-000002", &r, None)],
        );
        assert!(list[0]
            .caveats
            .iter()
            .any(|c| c.text.contains("应当从严处理")));
    }

    #[test]
    fn s14_002_a_rectification_without_its_application_is_listed_as_a_tolerance() {
        let r = rectification(None, None);
        let other = Rectification {
            officer: Some(Officer {
                person_id: "p-li".into(),
                name: "李强".into(),
            }),
            ..rectification(None, None)
        };
        let list = protected_determinations(
            "p-zhang",
            &[],
            &[("J2026-000003", &r, None), ("J2026-000004", &other, None)],
        );
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].source, Source::Rectification);
        assert_eq!(list[0].outcome, "容错");
        assert_eq!(list[0].matter, "执法全流程记录不到位");
        assert!(list[0].caveats.iter().all(|c| c.article != "000 §31¶2"));
    }

    #[test]
    fn s30_000_protections_recorded_as_applied_are_shown() {
        let mut a = application(Outcome::Exemption);
        a.result_use.insert(
            "p-zhang".into(),
            ResultUse {
                protections: Protection::ALL.to_vec(),
                ..ResultUse::default()
            },
        );
        let list = protected_determinations(
            "p-zhang",
            &[ApplicationRecord {
                case_id: "A1",
                state: &a,
                is_final: true,
            }],
            &[],
        );
        assert_eq!(
            list[0].applied,
            vec![
                Area::Assessments,
                Area::Promotion,
                Area::Awards,
                Area::DeputyStatus
            ]
        );
    }
}
