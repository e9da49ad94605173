//! Appeals against heavy sanctions (001 §27–28; the notices cite the governing pack's
//! `appeal_review` and `unfair_punishment_correction` procedures — the 内蒙古 办法's articles, not
//! those of the 公安部's own 规定, which numbers them otherwise).
//!
//! An officer sanctioned with 记大过 or heavier, or dismissed (辞退), for acts of duty, appeals to
//! the 维权委 of their agency (001 §27). The 维权办 hears the officer's statement and re-checks the
//! decision on each of its facts, reasons, basis and procedure (全面复核), recording each; the
//! committee (主任 or 副主任) gives its opinion. Where it finds the decision improper, the opinion
//! goes to the department that decided (复核意见书), which may correct it; where the unfair
//! treatment is confirmed and not corrected, the 警务督察部门 orders the department to correct it
//! by a deadline (001 §28, 限期纠正通知书), and the correction is reported and verified.
//!
//! # Interpretations (where the seed leaves a choice)
//!
//! - **Which sanctions.** "记大过以上处分" is 记大过 and every heavier sanction of
//!   `lvzhi_workflow::Sanction`'s order (降级, 撤职, 开除); "辞退" is not a 处分 but is named
//!   beside them. A lighter one is refused, citing 001 §27. For comparing a proposal with the
//!   contested measure, 辞退 ranks above 撤职 and below 开除 (both end the service; 开除 is the
//!   heaviest 处分).
//! - **The committee** is that of the officer's agency: the filing names it, and it must be the
//!   officer's own organisation or one above it.
//! - **Findings.** The opinion may find the decision improper only where at least one re-checked
//!   aspect was found improper; it may propose revoking the decision or a lighter measure, never
//!   a heavier one (001 §27: 不得因民警提出申诉而对其加重处分、处理).
//! - **核查属实** (001 §28) is the committee's finding of improper treatment, which the 督察
//!   confirms with its own findings when ordering the correction. The deadline is set by the
//!   order (no article fixes its length); the department reports the correction and the 督察
//!   verifies it; a rejected report leaves the order open and the 督察 may set a new deadline.
//! - **Voluntary correction.** A department that corrects the decision on the committee's
//!   opinion before any order closes the case; one that declines gives reasons, and the 督察
//!   orders the correction.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use lvzhi_case::{Regulation, Sanction};
use serde::{Deserialize, Serialize};

use crate::guards::{need, not_blank, refuse};
use crate::ProcedureStep;
use crate::{
    ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    OpenDeadline, Org, Process, ProcessError, Role, Rules, Summary,
};

/// A contested measure: a 处分 or 辞退.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Sanction(Sanction),
    /// 辞退.
    Dismissal,
}

impl Measure {
    /// Every measure, lightest first (see the module docs for 辞退's place).
    pub const ALL: [Measure; 10] = [
        Measure::Sanction(Sanction::Admonition),
        Measure::Sanction(Sanction::WrittenSelfExamination),
        Measure::Sanction(Sanction::CirculatedCriticism),
        Measure::Sanction(Sanction::Warning),
        Measure::Sanction(Sanction::Demerit),
        Measure::Sanction(Sanction::MajorDemerit),
        Measure::Sanction(Sanction::Demotion),
        Measure::Sanction(Sanction::RemovalFromPost),
        Measure::Dismissal,
        Measure::Sanction(Sanction::Expulsion),
    ];

    fn rank(self) -> usize {
        Self::ALL.iter().position(|m| *m == self).unwrap_or(0)
    }

    /// 记大过以上处分, or 辞退 (001 §27).
    pub fn is_heavy(self) -> bool {
        match self {
            Measure::Dismissal => true,
            Measure::Sanction(s) => s >= Sanction::MajorDemerit,
        }
    }

    pub fn id(self) -> String {
        match self {
            Measure::Dismissal => "dismissal".to_string(),
            Measure::Sanction(s) => serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Measure::Dismissal => "辞退",
            Measure::Sanction(s) => s.zh(),
        }
    }

    /// "记大过处分" / "辞退处理".
    fn with_noun(self) -> String {
        match self {
            Measure::Dismissal => "辞退处理".to_string(),
            Measure::Sanction(s) => format!("{}处分", s.zh()),
        }
    }
}

impl PartialOrd for Measure {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Measure {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

impl Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "dismissal" {
            return Ok(Measure::Dismissal);
        }
        serde_json::from_value::<Sanction>(serde_json::Value::String(s.clone()))
            .map(Measure::Sanction)
            .map_err(|_| serde::de::Error::custom(format!("unknown measure `{s}`")))
    }
}

/// The four aspects of the 全面复核 (001 §27).
pub const ASPECTS: [(&str, &str); 4] = [
    ("facts", "事实"),
    ("reasons", "理由"),
    ("basis", "依据"),
    ("procedure", "程序"),
];

fn aspect_zh(id: &str) -> &str {
    ASPECTS
        .iter()
        .find(|(a, _)| *a == id)
        .map(|(_, zh)| *zh)
        .unwrap_or(id)
}

/// What the committee proposes when it finds the decision improper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proposal {
    /// 撤销.
    Revoke,
    /// 变更为较轻的处分、处理.
    Lighten,
}

/// What a person may ask of the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// The officer's appeal (001 §27).
    #[serde(rename = "sanction_appeal_file")]
    File {
        /// The officer appealing: themself, or the one whose written appeal the 维权办 registers.
        officer_id: String,
        /// The officer's unit: the organisation the filing is authorised for.
        unit: String,
        /// The 维权委's organisation: the officer's agency.
        committee_id: String,
        measure: Measure,
        /// The department that decided.
        department_id: String,
        decided_on: NaiveDate,
        #[serde(default)]
        document_number: String,
        /// The act of duty the measure was for (因履行职责、行使职权行为).
        conduct: String,
        /// Why the officer contests it (异议).
        reasons: String,
    },
    /// 听取当事民警的陈述.
    #[serde(rename = "sanction_appeal_hear")]
    Hear { statement: String },
    /// One aspect of the 全面复核; a later record of the same aspect replaces it.
    #[serde(rename = "sanction_appeal_recheck")]
    Recheck {
        aspect: String,
        /// Whether the decision is proper in this aspect.
        #[serde(default)]
        proper: bool,
        finding: String,
    },
    /// The committee's opinion (主任 or 副主任).
    #[serde(rename = "sanction_appeal_opinion")]
    Opinion {
        /// 处分、处理决定不当.
        #[serde(default)]
        improper: bool,
        #[serde(default)]
        proposal: Option<Proposal>,
        /// The lighter measure proposed (with `lighten`).
        #[serde(default)]
        proposed: Option<Measure>,
        opinion: String,
    },
    /// The deciding department's answer to the opinion, before any order.
    #[serde(rename = "sanction_appeal_department_answer")]
    DepartmentAnswer {
        /// Whether it corrected the decision as the opinion proposed.
        #[serde(default)]
        corrected: bool,
        /// What the measure now is, when changed (absent: revoked).
        #[serde(default)]
        now: Option<Measure>,
        reasons: String,
    },
    /// 督察's order to correct by a deadline (001 §28).
    #[serde(rename = "sanction_appeal_order_correction")]
    OrderCorrection {
        findings: String,
        requirements: String,
        deadline: NaiveDate,
    },
    /// The department's report that it corrected the decision.
    #[serde(rename = "sanction_appeal_report_correction")]
    ReportCorrection {
        #[serde(default)]
        now: Option<Measure>,
        description: String,
    },
    /// 督察's verification of the reported correction.
    #[serde(rename = "sanction_appeal_verify_correction")]
    VerifyCorrection {
        #[serde(default)]
        verified: bool,
        note: String,
    },
}

/// What the case records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    AppealFiled {
        officer_id: String,
        officer_name: String,
        unit: Org,
        committee: Org,
        /// The committee's name as the governing pack names its body (001 §5); empty in
        /// appeals filed before packs named bodies.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        committee_name: String,
        department: Org,
        measure: Measure,
        decided_on: NaiveDate,
        #[serde(default)]
        document_number: String,
        conduct: String,
        reasons: String,
    },
    OfficerHeard {
        statement: String,
    },
    AspectRechecked {
        aspect: String,
        proper: bool,
        finding: String,
    },
    OpinionGiven {
        improper: bool,
        #[serde(default)]
        proposal: Option<Proposal>,
        #[serde(default)]
        proposed: Option<Measure>,
        opinion: String,
        document: Document,
    },
    DepartmentAnswered {
        corrected: bool,
        #[serde(default)]
        now: Option<Measure>,
        reasons: String,
    },
    CorrectionOrdered {
        findings: String,
        requirements: String,
        deadline: NaiveDate,
        document: Document,
    },
    CorrectionReported {
        #[serde(default)]
        now: Option<Measure>,
        description: String,
        late: bool,
    },
    CorrectionVerified {
        verified: bool,
        note: String,
    },
}

/// The filing of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    pub on: NaiveDate,
    pub officer_id: String,
    pub officer_name: String,
    pub unit: Org,
    pub committee: Org,
    /// The committee's name as recorded at filing (see `Kind::AppealFiled`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub committee_name: String,
    pub department: Org,
    pub measure: Measure,
    pub decided_on: NaiveDate,
    pub document_number: String,
    pub conduct: String,
    pub reasons: String,
}

/// A re-checked aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recheck {
    pub on: NaiveDate,
    pub proper: bool,
    pub finding: String,
}

/// The committee's opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionRecord {
    pub on: NaiveDate,
    pub improper: bool,
    pub proposal: Option<Proposal>,
    pub proposed: Option<Measure>,
    pub opinion: String,
}

/// An order to correct and its reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub on: NaiveDate,
    pub findings: String,
    pub requirements: String,
    pub deadline: NaiveDate,
    /// The report awaiting verification: (day, measure now, description, late).
    pub report: Option<(NaiveDate, Option<Measure>, String, bool)>,
    /// Reports the 督察 did not accept: (day of the verification, note).
    pub rejected: Vec<(NaiveDate, String)>,
}

/// The case as its events left it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppealState {
    pub version: u64,
    pub filing: Option<Filing>,
    pub hearing: Option<(NaiveDate, String)>,
    pub rechecks: BTreeMap<String, Recheck>,
    pub opinion: Option<OpinionRecord>,
    /// The department's answer before any order: (day, corrected, measure now, reasons).
    pub department_answer: Option<(NaiveDate, bool, Option<Measure>, String)>,
    pub orders: Vec<Order>,
    /// The correction as verified: (day, measure now, note).
    pub corrected: Option<(NaiveDate, Option<Measure>, String)>,
}

impl AppealState {
    fn all_rechecked(&self) -> bool {
        ASPECTS.iter().all(|(a, _)| self.rechecks.contains_key(*a))
    }

    fn improper(&self) -> bool {
        self.opinion.as_ref().is_some_and(|o| o.improper)
    }

    /// The order in force: the last one, while its correction is not verified.
    fn open_order(&self) -> Option<&Order> {
        if self.corrected.is_some() {
            return None;
        }
        self.orders.last()
    }

    fn department_corrected(&self) -> bool {
        self.department_answer.as_ref().is_some_and(|a| a.1)
    }

    /// Whether the 督察 may order (again): unfair treatment found, not corrected, and no order
    /// in force with a report awaiting verification or no rejected report.
    fn may_order(&self) -> bool {
        if !self.improper() || self.corrected.is_some() || self.department_corrected() {
            return false;
        }
        match self.orders.last() {
            None => true,
            // A new deadline only after a report was rejected and none is pending.
            Some(o) => o.report.is_none() && !o.rejected.is_empty(),
        }
    }

    /// The stage id and its Chinese name.
    pub fn stage(&self) -> (&'static str, &'static str) {
        if self.filing.is_none() {
            return ("new", "尚未提出");
        }
        if self.hearing.is_none() {
            return ("hearing", "待听取陈述");
        }
        let Some(o) = &self.opinion else {
            return ("rechecking", "全面复核中");
        };
        if !o.improper {
            return ("closed", "已办结（未发现不当）");
        }
        if self.corrected.is_some() || self.department_corrected() {
            return ("closed", "已办结（已纠正）");
        }
        match self.open_order() {
            None if self.department_answer.is_some() => ("awaiting_order", "待督察督促纠正"),
            None => ("awaiting_department", "待作出决定部门纠正"),
            Some(o) if o.report.is_some() => ("verifying", "待督察核验纠正情况"),
            Some(_) => ("ordered", "限期纠正中"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Deciding

fn stage_refusal(state: &AppealState, what: &str) -> ProcessError {
    ProcessError::new(format!("案件当前处于“{}”阶段，不能{what}", state.stage().1))
}

fn named(ctx: &Ctx<'_>, id: &str, what: &str) -> Result<Org, ProcessError> {
    match ctx.name(id) {
        Some(name) => Ok(Org {
            id: id.to_string(),
            name: name.to_string(),
        }),
        None => Err(ProcessError::new(format!("{what}“{id}”不存在"))),
    }
}

/// A measure after correction must be lighter than the contested one (or revoked).
fn check_lighter(now: Option<Measure>, contested: Measure) -> Result<(), ProcessError> {
    match now {
        Some(m) if m >= contested => Err(refuse(
            format!(
                "纠正后的处分、处理（{}）应当轻于原{}，不得因申诉加重",
                m.zh(),
                contested.with_noun()
            ),
            "001 §27",
        )),
        _ => Ok(()),
    }
}

fn ev(on: NaiveDate, by: By, kind: Kind) -> Event<Kind> {
    Event { on, by, kind }
}

fn decide_inner(
    state: &AppealState,
    command: &Command,
    actor: &Actor,
    ctx: &Ctx<'_>,
) -> Result<Vec<Event<Kind>>, ProcessError> {
    let today = ctx.today;
    match command {
        Command::File {
            officer_id,
            unit,
            committee_id,
            measure,
            department_id,
            decided_on,
            document_number,
            conduct,
            reasons,
        } => {
            let by = need(actor, &[Role::Officer, Role::Office], "提出申诉", "001 §27")?;
            if by.role == Role::Officer && *officer_id != actor.person_id {
                return Err(refuse(
                    "申诉应当由受到处分、处理的民警本人提出，或者由维权办登记其书面申诉",
                    "001 §27",
                ));
            }
            if state.filing.is_some() {
                return Err(ProcessError::new("本申诉已经提出"));
            }
            if !measure.is_heavy() {
                return Err(refuse(
                    format!(
                        "向维权委申诉复核的，应当是受到记大过以上处分或者辞退的民警；{}可以依照有关规定向作出决定的机关申诉，不属于本程序",
                        measure.with_noun()
                    ),
                    "001 §27",
                ));
            }
            if *decided_on > today {
                return Err(ProcessError::new("处分、处理决定日期不能晚于今天"));
            }
            not_blank(conduct, "受到处分、处理的履职行为", "001 §27")?;
            not_blank(reasons, "申诉理由", "001 §27")?;
            // The officer's own agency: their organisation or one above it.
            if !ctx.org_chain.iter().any(|o| o.id == *committee_id) {
                return Err(refuse("申诉应当向民警所在公安机关的维权委提出", "001 §27"));
            }
            let committee = named(ctx, committee_id, "组织机构")?;
            let department = named(ctx, department_id, "作出决定的部门")?;
            let Some(officer_name) = ctx.name(officer_id).map(str::to_string) else {
                return Err(ProcessError::new(format!("人员“{officer_id}”不存在")));
            };
            if by.role == Role::Officer && *unit != actor.org_id {
                return Err(ProcessError::new(
                    "民警本人申诉的，所在单位应当是本人的单位",
                ));
            }
            let unit = named(ctx, unit, "组织机构")?;
            Ok(vec![ev(
                today,
                by,
                Kind::AppealFiled {
                    officer_id: officer_id.clone(),
                    officer_name,
                    unit,
                    committee_name: ctx.regulation()?.committee_of(&committee),
                    committee,
                    department,
                    measure: *measure,
                    decided_on: *decided_on,
                    document_number: document_number.trim().to_string(),
                    conduct: conduct.trim().to_string(),
                    reasons: reasons.trim().to_string(),
                },
            )])
        }
        Command::Hear { statement } => {
            let by = need(actor, &[Role::Office], "听取当事民警陈述", "001 §27")?;
            if state.opinion.is_some() {
                return Err(stage_refusal(state, "听取当事民警陈述"));
            }
            not_blank(statement, "当事民警的陈述", "001 §27")?;
            Ok(vec![ev(
                today,
                by,
                Kind::OfficerHeard {
                    statement: statement.trim().to_string(),
                },
            )])
        }
        Command::Recheck {
            aspect,
            proper,
            finding,
        } => {
            let by = need(actor, &[Role::Office], "复核", "001 §27")?;
            if state.opinion.is_some() {
                return Err(stage_refusal(state, "复核"));
            }
            if state.hearing.is_none() {
                return Err(refuse("应当先听取当事民警的陈述，再进行复核", "001 §27"));
            }
            if !ASPECTS.iter().any(|(a, _)| a == aspect) {
                return Err(refuse(
                    format!("复核事项“{aspect}”无效：应为事实、理由、依据或者程序"),
                    "001 §27",
                ));
            }
            not_blank(finding, "复核意见", "001 §27")?;
            Ok(vec![ev(
                today,
                by,
                Kind::AspectRechecked {
                    aspect: aspect.clone(),
                    proper: *proper,
                    finding: finding.trim().to_string(),
                },
            )])
        }
        Command::Opinion {
            improper,
            proposal,
            proposed,
            opinion,
        } => {
            let by = need(
                actor,
                &[Role::Director, Role::DeputyDirector],
                "作出复核意见",
                "001 §27",
            )?;
            if state.opinion.is_some() || state.hearing.is_none() {
                return Err(stage_refusal(state, "作出复核意见"));
            }
            let Some(f) = &state.filing else {
                return Err(stage_refusal(state, "作出复核意见"));
            };
            if !state.all_rechecked() {
                let missing: Vec<&str> = ASPECTS
                    .iter()
                    .filter(|(a, _)| !state.rechecks.contains_key(*a))
                    .map(|(_, zh)| *zh)
                    .collect();
                return Err(refuse(
                    format!(
                        "应当对事实、理由、依据和程序进行全面复核：尚未复核{}",
                        missing.join("、")
                    ),
                    "001 §27",
                ));
            }
            not_blank(opinion, "复核意见", "001 §27")?;
            if *improper {
                if state.rechecks.values().all(|r| r.proper) {
                    return Err(refuse(
                        "各项复核均认为决定适当，不能认定处分、处理决定不当",
                        "001 §27",
                    ));
                }
                match proposal {
                    None => {
                        return Err(refuse(
                            "认定决定不当的，应当提出撤销或者变更的意见",
                            "001 §27",
                        ))
                    }
                    Some(Proposal::Revoke) if proposed.is_some() => {
                        return Err(ProcessError::new(
                            "建议撤销的，不应同时提出变更后的处分、处理",
                        ))
                    }
                    Some(Proposal::Lighten) => match proposed {
                        None => {
                            return Err(ProcessError::new("建议变更的，应当写明变更后的处分、处理"))
                        }
                        Some(m) => check_lighter(Some(*m), f.measure)?,
                    },
                    Some(Proposal::Revoke) => {}
                }
            } else if proposal.is_some() || proposed.is_some() {
                return Err(ProcessError::new(
                    "未认定决定不当的，不能提出撤销或者变更的意见",
                ));
            }
            let record = OpinionRecord {
                on: today,
                improper: *improper,
                proposal: *proposal,
                proposed: *proposed,
                opinion: opinion.trim().to_string(),
            };
            let document = opinion_document(ctx.regulation()?, state, f, &record)?;
            Ok(vec![ev(
                today,
                by,
                Kind::OpinionGiven {
                    improper: record.improper,
                    proposal: record.proposal,
                    proposed: record.proposed,
                    opinion: record.opinion,
                    document,
                },
            )])
        }
        Command::DepartmentAnswer {
            corrected,
            now,
            reasons,
        } => {
            let by = need(
                actor,
                &[Role::OriginalDepartment],
                "答复复核意见",
                "001 §27",
            )?;
            let Some(f) = &state.filing else {
                return Err(stage_refusal(state, "答复复核意见"));
            };
            if state.stage().0 != "awaiting_department" {
                return Err(stage_refusal(state, "答复复核意见"));
            }
            if actor.org_id != f.department.id {
                return Err(refuse(
                    format!("复核意见应由作出决定的{}答复", f.department.name),
                    "001 §27",
                ));
            }
            if *corrected {
                check_lighter(*now, f.measure)?;
            } else if now.is_some() {
                return Err(ProcessError::new("未予纠正的，不应填写纠正后的处分、处理"));
            }
            not_blank(
                reasons,
                if *corrected {
                    "纠正情况"
                } else {
                    "不予纠正的理由"
                },
                "001 §27",
            )?;
            Ok(vec![ev(
                today,
                by,
                Kind::DepartmentAnswered {
                    corrected: *corrected,
                    now: *now,
                    reasons: reasons.trim().to_string(),
                },
            )])
        }
        Command::OrderCorrection {
            findings,
            requirements,
            deadline,
        } => {
            let by = need(actor, &[Role::Inspectorate], "督促限期纠正", "001 §28")?;
            let Some(f) = &state.filing else {
                return Err(stage_refusal(state, "督促限期纠正"));
            };
            if !state.improper() {
                return Err(refuse(
                    "只有经核查属实、受到不公正处分或者处理的，才能督促纠正",
                    "001 §28",
                ));
            }
            if !state.may_order() {
                return Err(stage_refusal(state, "督促限期纠正"));
            }
            not_blank(findings, "核查情况", "001 §28")?;
            not_blank(requirements, "纠正要求", "001 §28")?;
            if *deadline <= today {
                return Err(refuse("纠正期限应当晚于今天", "001 §28"));
            }
            if ctx.calendar.day(*deadline).is_err() {
                return Err(ProcessError::new("纠正期限超出日历范围"));
            }
            let document = order_document(
                ctx.regulation()?,
                f,
                findings.trim(),
                requirements.trim(),
                *deadline,
                today,
            )?;
            Ok(vec![ev(
                today,
                by,
                Kind::CorrectionOrdered {
                    findings: findings.trim().to_string(),
                    requirements: requirements.trim().to_string(),
                    deadline: *deadline,
                    document,
                },
            )])
        }
        Command::ReportCorrection { now, description } => {
            let by = need(
                actor,
                &[Role::OriginalDepartment],
                "报告纠正情况",
                "001 §28",
            )?;
            let Some(f) = &state.filing else {
                return Err(stage_refusal(state, "报告纠正情况"));
            };
            if state.stage().0 != "ordered" {
                return Err(stage_refusal(state, "报告纠正情况"));
            }
            let Some(order) = state.open_order() else {
                return Err(stage_refusal(state, "报告纠正情况"));
            };
            if actor.org_id != f.department.id {
                return Err(refuse(
                    format!("纠正情况应由作出决定的{}报告", f.department.name),
                    "001 §28",
                ));
            }
            check_lighter(*now, f.measure)?;
            not_blank(description, "纠正情况", "001 §28")?;
            Ok(vec![ev(
                today,
                by,
                Kind::CorrectionReported {
                    now: *now,
                    description: description.trim().to_string(),
                    late: today > order.deadline,
                },
            )])
        }
        Command::VerifyCorrection { verified, note } => {
            let by = need(actor, &[Role::Inspectorate], "核验纠正情况", "001 §28")?;
            if state.stage().0 != "verifying" {
                return Err(stage_refusal(state, "核验纠正情况"));
            }
            not_blank(note, "核验意见", "001 §28")?;
            Ok(vec![ev(
                today,
                by,
                Kind::CorrectionVerified {
                    verified: *verified,
                    note: note.trim().to_string(),
                },
            )])
        }
    }
}

fn apply_event(mut s: AppealState, e: &Event<Kind>) -> AppealState {
    s.version += 1;
    match &e.kind {
        Kind::AppealFiled {
            officer_id,
            officer_name,
            unit,
            committee,
            committee_name,
            department,
            measure,
            decided_on,
            document_number,
            conduct,
            reasons,
        } => {
            s.filing = Some(Filing {
                on: e.on,
                officer_id: officer_id.clone(),
                officer_name: officer_name.clone(),
                unit: unit.clone(),
                committee: committee.clone(),
                committee_name: committee_name.clone(),
                department: department.clone(),
                measure: *measure,
                decided_on: *decided_on,
                document_number: document_number.clone(),
                conduct: conduct.clone(),
                reasons: reasons.clone(),
            })
        }
        Kind::OfficerHeard { statement } => s.hearing = Some((e.on, statement.clone())),
        Kind::AspectRechecked {
            aspect,
            proper,
            finding,
        } => {
            s.rechecks.insert(
                aspect.clone(),
                Recheck {
                    on: e.on,
                    proper: *proper,
                    finding: finding.clone(),
                },
            );
        }
        Kind::OpinionGiven {
            improper,
            proposal,
            proposed,
            opinion,
            ..
        } => {
            s.opinion = Some(OpinionRecord {
                on: e.on,
                improper: *improper,
                proposal: *proposal,
                proposed: *proposed,
                opinion: opinion.clone(),
            })
        }
        Kind::DepartmentAnswered {
            corrected,
            now,
            reasons,
        } => s.department_answer = Some((e.on, *corrected, *now, reasons.clone())),
        Kind::CorrectionOrdered {
            findings,
            requirements,
            deadline,
            ..
        } => s.orders.push(Order {
            on: e.on,
            findings: findings.clone(),
            requirements: requirements.clone(),
            deadline: *deadline,
            report: None,
            rejected: Vec::new(),
        }),
        Kind::CorrectionReported {
            now,
            description,
            late,
        } => {
            if let Some(o) = s.orders.last_mut() {
                o.report = Some((e.on, *now, description.clone(), *late));
            }
        }
        Kind::CorrectionVerified { verified, note } => {
            if let Some(o) = s.orders.last_mut() {
                if let Some((_, now, _, _)) = o.report.take() {
                    if *verified {
                        s.corrected = Some((e.on, now, note.clone()));
                    } else {
                        o.rejected.push((e.on, note.clone()));
                    }
                }
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Documents

fn proposal_zh(p: Option<Proposal>, proposed: Option<Measure>) -> String {
    match (p, proposed) {
        (Some(Proposal::Revoke), _) => "撤销原决定".to_string(),
        (Some(Proposal::Lighten), Some(m)) => format!("变更为{}", m.with_noun()),
        _ => String::new(),
    }
}

/// The 复核意见 (001 §27), in the words of the governing pack's `sanction_review_opinion`
/// notice, signed by the committee as the pack names it. Only a pack with the `appeal_review`
/// procedure reviews.
fn opinion_document(
    reg: &Regulation,
    state: &AppealState,
    f: &Filing,
    o: &OpinionRecord,
) -> Result<Document, ProcessError> {
    reg.step("appeal_review", "处分申诉的复核")?;
    let recheck = |aspect: &str| {
        state
            .rechecks
            .get(aspect)
            .map(|r| {
                format!(
                    "{}。{}",
                    if r.proper {
                        "未发现不当"
                    } else {
                        "存在不当"
                    },
                    r.finding.trim_end_matches('。')
                )
            })
            .unwrap_or_default()
    };
    let (addressee, copy_to) = if o.improper {
        (
            f.department.name.clone(),
            vec![format!("{}同志", f.officer_name)],
        )
    } else {
        (format!("{}同志", f.officer_name), vec![f.unit.name.clone()])
    };
    let values = vec![
        ("addressee", addressee.clone()),
        ("officer", f.officer_name.clone()),
        ("unit", f.unit.name.clone()),
        ("department", f.department.name.clone()),
        ("decided_on", date_zh(f.decided_on)),
        ("measure", f.measure.with_noun()),
        ("document_number", f.document_number.clone()),
        ("filed_on", date_zh(f.on)),
        ("recheck_facts", recheck("facts")),
        ("recheck_reasons", recheck("reasons")),
        ("recheck_basis", recheck("basis")),
        ("recheck_procedure", recheck("procedure")),
        (
            "improper",
            if o.improper {
                "是".to_string()
            } else {
                String::new()
            },
        ),
        ("proposal", proposal_zh(o.proposal, o.proposed)),
        ("opinion", o.opinion.clone()),
    ];
    let signer = reg.committee_of(&f.committee);
    let (title, text) =
        crate::notices::fill(reg, "sanction_review_opinion", &signer, o.on, values)?;
    Ok(Document {
        kind: DocumentKind::SanctionReviewOpinion,
        title,
        addressee,
        copy_to,
        text,
        issued_on: o.on,
    })
}

/// The findings as a sentence to follow the notice's 经核查 — said once, whether or not the 督察
/// wrote it, or wrote it as 经查 (issue 20: the notice said "经核查，经核查，").
fn findings_sentence(findings: &str) -> String {
    let f = findings.trim();
    const MARKS: [char; 6] = ['，', ',', '：', ':', ' ', '\u{3000}'];
    // A lead counts only before a mark: "经查阅材料" keeps its words.
    let f = ["经核查", "经查明", "经查"]
        .iter()
        .filter_map(|lead| f.strip_prefix(lead))
        .find(|r| r.starts_with(MARKS))
        .map(|r| r.trim_start_matches(MARKS))
        .unwrap_or(f);
    if f.ends_with('。') {
        f.to_string()
    } else {
        format!("{f}。")
    }
}

/// The 限期纠正通知书 (001 §28), in the words of the governing pack's `correction_order`
/// notice, copied to the office as the pack names it. Only a pack with the
/// `unfair_punishment_correction` procedure orders a correction.
fn order_document(
    reg: &Regulation,
    f: &Filing,
    findings: &str,
    requirements: &str,
    deadline: NaiveDate,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    reg.step("unfair_punishment_correction", "对不当处分的限期纠正")?;
    let values = vec![
        ("addressee", f.department.name.clone()),
        ("officer", f.officer_name.clone()),
        ("decided_on", date_zh(f.decided_on)),
        ("measure", f.measure.with_noun()),
        ("findings", findings_sentence(findings)),
        ("deadline", date_zh(deadline)),
        ("requirements", requirements.to_string()),
    ];
    let signer = format!("{}警务督察部门", f.committee.name);
    let (title, text) = crate::notices::fill(reg, "correction_order", &signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::CorrectionOrder,
        title,
        addressee: f.department.name.clone(),
        copy_to: vec![reg.office_of(&f.committee)],
        text,
        issued_on: on,
    })
}

// ---------------------------------------------------------------------------------------------
// Forms

/// Every action id of the process with its Chinese label.
pub const ACTIONS: [(&str, &str); 8] = [
    ("sanction_appeal_file", "对记大过以上处分或者辞退提出申诉"),
    ("sanction_appeal_hear", "听取当事民警陈述"),
    ("sanction_appeal_recheck", "记录复核情况"),
    ("sanction_appeal_opinion", "作出复核意见"),
    ("sanction_appeal_department_answer", "答复复核意见"),
    ("sanction_appeal_order_correction", "督促限期纠正"),
    ("sanction_appeal_report_correction", "报告纠正情况"),
    ("sanction_appeal_verify_correction", "核验纠正情况"),
];

fn label(id: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, _)| *a == id)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn spec(id: &str, article: &str, role: Role, fields: Vec<Field>) -> ActionSpec {
    ActionSpec {
        id: id.to_string(),
        label: label(id).to_string(),
        article: article.to_string(),
        role,
        fields,
    }
}

fn measure_opts(filter: impl Fn(Measure) -> bool) -> Vec<(String, String)> {
    Measure::ALL
        .iter()
        .copied()
        .filter(|m| filter(*m))
        .map(|m| (m.id(), m.zh().to_string()))
        .collect()
}

fn actions_for(state: &AppealState, actor: &Actor) -> Vec<ActionSpec> {
    let mut out = Vec::new();
    let Some(f) = &state.filing else {
        let filer = [Role::Officer, Role::Office]
            .into_iter()
            .find(|r| actor.has(*r));
        if let Some(role) = filer {
            out.push(spec(
                "sanction_appeal_file",
                "001 §27",
                role,
                vec![
                    Field::new("officer_id", "申诉民警", FieldKind::Person, true)
                        .help("民警本人提出；维权办登记书面申诉的，选择申诉民警"),
                    Field::new("unit", "申诉民警所在单位", FieldKind::Org, true),
                    Field::new(
                        "committee_id",
                        "受理申诉的维权委所在机关",
                        FieldKind::Org,
                        true,
                    )
                    .help("民警所在公安机关"),
                    Field::new(
                        "measure",
                        "受到的处分或者处理",
                        FieldKind::Choice {
                            options: measure_opts(Measure::is_heavy),
                        },
                        true,
                    )
                    .help("记大过以上处分或者辞退（001 §27）"),
                    Field::new("department_id", "作出决定的部门", FieldKind::Org, true),
                    Field::new("decided_on", "决定日期", FieldKind::Date, true),
                    Field::new("document_number", "决定文号", FieldKind::Text, false),
                    Field::new(
                        "conduct",
                        "受到处分、处理的履职行为",
                        FieldKind::LongText,
                        true,
                    ),
                    Field::new("reasons", "申诉理由", FieldKind::LongText, true),
                ],
            ));
        }
        return out;
    };
    let before_opinion = state.opinion.is_none();
    if actor.has(Role::Office) && before_opinion {
        out.push(spec(
            "sanction_appeal_hear",
            "001 §27",
            Role::Office,
            vec![Field::new(
                "statement",
                "当事民警的陈述",
                FieldKind::LongText,
                true,
            )],
        ));
        if state.hearing.is_some() {
            out.push(spec(
                "sanction_appeal_recheck",
                "001 §27",
                Role::Office,
                vec![
                    Field::new(
                        "aspect",
                        "复核事项",
                        FieldKind::Choice {
                            options: ASPECTS
                                .iter()
                                .map(|(a, zh)| (a.to_string(), zh.to_string()))
                                .collect(),
                        },
                        true,
                    ),
                    Field::new("proper", "该事项适当", FieldKind::Bool, false),
                    Field::new("finding", "复核意见", FieldKind::LongText, true),
                ],
            ));
        }
    }
    let director = [Role::Director, Role::DeputyDirector]
        .into_iter()
        .find(|r| actor.has(*r));
    if let Some(role) = director {
        if before_opinion && state.hearing.is_some() && state.all_rechecked() {
            let mut fields = vec![Field::new("opinion", "复核意见", FieldKind::LongText, true)];
            if state.rechecks.values().any(|r| !r.proper) {
                fields.insert(
                    0,
                    Field::new("improper", "处分、处理决定不当", FieldKind::Bool, false),
                );
                fields.insert(
                    1,
                    Field::new(
                        "proposal",
                        "建议",
                        FieldKind::Choice {
                            options: vec![
                                ("revoke".into(), "撤销原决定".into()),
                                ("lighten".into(), "变更为较轻的处分、处理".into()),
                            ],
                        },
                        false,
                    ),
                );
                fields.insert(
                    2,
                    Field::new(
                        "proposed",
                        "变更后的处分、处理",
                        FieldKind::Choice {
                            options: measure_opts(|m| m < f.measure),
                        },
                        false,
                    )
                    .help("不得因申诉加重（001 §27）"),
                );
            }
            out.push(spec("sanction_appeal_opinion", "001 §27", role, fields));
        }
    }
    let stage = state.stage().0;
    if actor.has(Role::OriginalDepartment) && actor.org_id == f.department.id {
        let lighter = measure_opts(|m| m < f.measure);
        if stage == "awaiting_department" {
            out.push(spec(
                "sanction_appeal_department_answer",
                "001 §27",
                Role::OriginalDepartment,
                vec![
                    Field::new("corrected", "已按复核意见纠正", FieldKind::Bool, false),
                    Field::new(
                        "now",
                        "纠正后的处分、处理",
                        FieldKind::Choice {
                            options: lighter.clone(),
                        },
                        false,
                    )
                    .help("撤销的不填"),
                    Field::new(
                        "reasons",
                        "纠正情况或者不予纠正的理由",
                        FieldKind::LongText,
                        true,
                    ),
                ],
            ));
        }
        if stage == "ordered" {
            out.push(spec(
                "sanction_appeal_report_correction",
                "001 §28",
                Role::OriginalDepartment,
                vec![
                    Field::new(
                        "now",
                        "纠正后的处分、处理",
                        FieldKind::Choice { options: lighter },
                        false,
                    )
                    .help("撤销的不填"),
                    Field::new("description", "纠正情况", FieldKind::LongText, true),
                ],
            ));
        }
    }
    if actor.has(Role::Inspectorate) {
        if state.may_order() {
            out.push(spec(
                "sanction_appeal_order_correction",
                "001 §28",
                Role::Inspectorate,
                vec![
                    Field::new("findings", "核查情况", FieldKind::LongText, true),
                    Field::new("requirements", "纠正要求", FieldKind::LongText, true),
                    Field::new("deadline", "纠正期限", FieldKind::Date, true),
                ],
            ));
        }
        if stage == "verifying" {
            out.push(spec(
                "sanction_appeal_verify_correction",
                "001 §28",
                Role::Inspectorate,
                vec![
                    Field::new("verified", "纠正到位", FieldKind::Bool, false),
                    Field::new("note", "核验意见", FieldKind::LongText, true),
                ],
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The process

/// The heavy-sanction appeal case type.
pub struct SanctionAppeal;

impl Process for SanctionAppeal {
    const KIND: &'static str = "sanction_appeal";
    const NAME_ZH: &'static str = "处分申诉复核";
    const ID_PREFIX: &'static str = "S";
    const PACK: &'static str = "001";
    const REGULATIONS: &'static [&'static str] = &["001"];
    /// None: the correction's last day is the 督察's order, not a period of the pack.
    const PERIODS: &'static [&'static str] = &[];
    const PROCEDURES: &'static [ProcedureStep] = &[
        ProcedureStep {
            pack: "001",
            procedure: "appeal_review",
            actions: &[
                "sanction_appeal_file",
                "sanction_appeal_hear",
                "sanction_appeal_recheck",
                "sanction_appeal_opinion",
                "sanction_appeal_department_answer",
            ],
        },
        ProcedureStep {
            pack: "001",
            procedure: "unfair_punishment_correction",
            actions: &[
                "sanction_appeal_order_correction",
                "sanction_appeal_report_correction",
                "sanction_appeal_verify_correction",
            ],
        },
    ];

    type State = AppealState;
    type Command = Command;
    type Kind = Kind;

    fn opens(command: &Command) -> bool {
        matches!(command, Command::File { .. })
    }

    fn stages() -> &'static [(&'static str, &'static str)] {
        &[
            ("hearing", "待听取陈述"),
            ("rechecking", "全面复核中"),
            ("awaiting_department", "待作出决定部门纠正"),
            ("awaiting_order", "待督察督促纠正"),
            ("ordered", "限期纠正中"),
            ("verifying", "待督察核验纠正情况"),
            ("closed", "已办结"),
        ]
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::File { .. } => "sanction_appeal_file",
            Command::Hear { .. } => "sanction_appeal_hear",
            Command::Recheck { .. } => "sanction_appeal_recheck",
            Command::Opinion { .. } => "sanction_appeal_opinion",
            Command::DepartmentAnswer { .. } => "sanction_appeal_department_answer",
            Command::OrderCorrection { .. } => "sanction_appeal_order_correction",
            Command::ReportCorrection { .. } => "sanction_appeal_report_correction",
            Command::VerifyCorrection { .. } => "sanction_appeal_verify_correction",
        }
    }

    fn decide(
        state: &AppealState,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        if state.filing.is_none() && !Self::opens(command) {
            return Err(ProcessError::new("申诉尚未提出"));
        }
        decide_inner(state, command, actor, ctx)
    }

    fn apply(state: AppealState, event: &Event<Kind>) -> AppealState {
        apply_event(state, event)
    }

    fn deadlines(state: &AppealState, rules: &Rules<'_>) -> Vec<OpenDeadline> {
        let calendar = rules.calendar;
        let Some(f) = &state.filing else {
            return Vec::new();
        };
        match state.open_order() {
            Some(o) if o.report.is_none() => vec![OpenDeadline {
                step: format!("correction:{}", state.orders.len()),
                label: format!(
                    "{}纠正对{}的{}",
                    f.department.name,
                    f.officer_name,
                    f.measure.with_noun()
                ),
                due: o.deadline,
                // A set date, not a counted one: provisional only if its year is not loaded.
                provisional: !calendar.is_loaded(chrono::Datelike::year(&o.deadline)),
                article: "001 §28".into(),
                role: Role::OriginalDepartment,
            }],
            _ => Vec::new(),
        }
    }

    fn actions(state: &AppealState, actor: &Actor, _ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        actions_for(state, actor)
    }

    fn summary(state: &AppealState) -> Summary {
        let (stage, stage_zh) = state.stage();
        let (org_id, title) = match &state.filing {
            Some(f) => (
                f.committee.id.clone(),
                format!("{}对{}的申诉", f.officer_name, f.measure.with_noun()),
            ),
            None => (String::new(), String::new()),
        };
        Summary {
            stage: stage.into(),
            stage_zh: stage_zh.into(),
            org_id,
            title,
        }
    }

    fn facts(state: &AppealState) -> Vec<Fact> {
        let mut out = Vec::new();
        let Some(f) = &state.filing else {
            return out;
        };
        out.push(Fact::new(
            "申诉民警",
            format!("{}（{}）", f.officer_name, f.unit.name),
        ));
        out.push(Fact::new(
            "受理的维权委",
            if f.committee_name.is_empty() {
                lvzhi_case::Bodies::default().committee_of(&f.committee)
            } else {
                f.committee_name.clone()
            },
        ));
        out.push(Fact::new(
            "受到的处分或者处理",
            format!(
                "{}（{}于{}作出{}）",
                f.measure.with_noun(),
                f.department.name,
                date_zh(f.decided_on),
                if f.document_number.is_empty() {
                    String::new()
                } else {
                    format!("，{}", f.document_number)
                }
            ),
        ));
        out.push(Fact::new("履职行为", f.conduct.clone()));
        out.push(Fact::new("申诉理由", f.reasons.clone()));
        if let Some((on, s)) = &state.hearing {
            out.push(Fact::new(
                "当事民警陈述",
                format!("{}（{}听取）", s, date_zh(*on)),
            ));
        }
        for (a, zh) in ASPECTS {
            let v = match state.rechecks.get(a) {
                Some(r) => format!(
                    "{}：{}",
                    if r.proper {
                        "未发现不当"
                    } else {
                        "存在不当"
                    },
                    r.finding
                ),
                None => "尚未复核".to_string(),
            };
            out.push(Fact::new(&format!("复核：{zh}"), v));
        }
        if let Some(o) = &state.opinion {
            out.push(Fact::new(
                "复核意见",
                if o.improper {
                    format!(
                        "决定不当，建议{}；{}",
                        proposal_zh(o.proposal, o.proposed),
                        o.opinion
                    )
                } else {
                    format!("未发现不当；{}", o.opinion)
                },
            ));
        }
        if let Some((on, corrected, now, reasons)) = &state.department_answer {
            out.push(Fact::new(
                "作出决定部门的答复",
                format!(
                    "{}（{}）：{}",
                    if *corrected {
                        format!(
                            "已纠正为{}",
                            now.map(Measure::with_noun).unwrap_or_else(|| "撤销".into())
                        )
                    } else {
                        "不予纠正".to_string()
                    },
                    date_zh(*on),
                    reasons
                ),
            ));
        }
        for (i, o) in state.orders.iter().enumerate() {
            let mut v = format!(
                "{}督促纠正，期限至{}；要求：{}",
                date_zh(o.on),
                date_zh(o.deadline),
                o.requirements
            );
            for (on, note) in &o.rejected {
                v.push_str(&format!("；{}核验未通过：{note}", date_zh(*on)));
            }
            if let Some((on, _, d, late)) = &o.report {
                v.push_str(&format!(
                    "；{}报告纠正情况{}：{d}（待核验）",
                    date_zh(*on),
                    if *late { "（逾期）" } else { "" }
                ));
            }
            out.push(Fact::new(&format!("限期纠正（第{}次）", i + 1), v));
        }
        if let Some((on, now, note)) = &state.corrected {
            out.push(Fact::new(
                "纠正结果",
                format!(
                    "{}核验纠正到位：{}；{note}",
                    date_zh(*on),
                    now.map(Measure::with_noun)
                        .unwrap_or_else(|| "原决定已撤销".into())
                ),
            ));
        }
        out
    }

    fn links(state: &AppealState) -> Vec<(String, String)> {
        let Some(f) = &state.filing else {
            return Vec::new();
        };
        vec![
            ("subject".to_string(), f.officer_id.clone()),
            ("unit".to_string(), f.unit.id.clone()),
            ("department".to_string(), f.department.id.clone()),
        ]
    }

    fn describe(kind: &Kind) -> String {
        match kind {
            Kind::AppealFiled {
                officer_name,
                measure,
                department,
                ..
            } => format!(
                "{officer_name}对{}作出的{}提出申诉",
                department.name,
                measure.with_noun()
            ),
            Kind::OfficerHeard { .. } => "听取当事民警陈述".to_string(),
            Kind::AspectRechecked { aspect, proper, .. } => format!(
                "复核{}：{}",
                aspect_zh(aspect),
                if *proper {
                    "未发现不当"
                } else {
                    "存在不当"
                }
            ),
            Kind::OpinionGiven {
                improper,
                proposal,
                proposed,
                ..
            } => {
                if *improper {
                    format!(
                        "作出复核意见：决定不当，建议{}，复核意见书送作出决定部门",
                        proposal_zh(*proposal, *proposed)
                    )
                } else {
                    "作出复核意见：未发现决定不当".to_string()
                }
            }
            Kind::DepartmentAnswered { corrected, .. } => {
                if *corrected {
                    "作出决定部门按复核意见纠正".to_string()
                } else {
                    "作出决定部门不予纠正".to_string()
                }
            }
            Kind::CorrectionOrdered { deadline, .. } => {
                format!("警务督察部门督促限期纠正（期限至{}）", date_zh(*deadline))
            }
            Kind::CorrectionReported { late, .. } => format!(
                "作出决定部门报告纠正情况{}",
                if *late { "（逾期）" } else { "" }
            ),
            Kind::CorrectionVerified { verified, .. } => {
                if *verified {
                    "警务督察部门核验：纠正到位".to_string()
                } else {
                    "警务督察部门核验：纠正不到位，继续督促".to_string()
                }
            }
        }
    }

    fn kind_id(kind: &Kind) -> &'static str {
        match kind {
            Kind::AppealFiled { .. } => "appeal_filed",
            Kind::OfficerHeard { .. } => "officer_heard",
            Kind::AspectRechecked { .. } => "aspect_rechecked",
            Kind::OpinionGiven { .. } => "opinion_given",
            Kind::DepartmentAnswered { .. } => "department_answered",
            Kind::CorrectionOrdered { .. } => "correction_ordered",
            Kind::CorrectionReported { .. } => "correction_reported",
            Kind::CorrectionVerified { .. } => "correction_verified",
        }
    }

    fn documents(events: &[Event<Kind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::OpinionGiven { document, .. } | Kind::CorrectionOrdered { document, .. } => {
                    Some(document.clone())
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
