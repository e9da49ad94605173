use crate::testing::any_ctx;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use proptest::prelude::*;

use super::*;
use crate::testing::{check_offered_equals_accepted, Driven};

const BH: &str = "bh";
const ZQ: &str = "zq";
const MENG: &str = "meng";
const DEPT: &str = "zq-zz";

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn org(id: &str, name: &str) -> Org {
    Org {
        id: id.into(),
        name: name.into(),
    }
}

/// The chain of the officer's 派出所; the command's ids named as the directory has them.
fn ctx(today: NaiveDate) -> Ctx<'static> {
    let mut c = Ctx::new(today, &CAL, crate::testing::periods(SanctionAppeal::PACK))
        .under(crate::testing::regulation(SanctionAppeal::PACK));
    c.org_chain = vec![
        org(BH, "巴彦浩特派出所"),
        org(ZQ, "阿拉善左旗公安局"),
        org(MENG, "阿拉善盟公安局"),
    ];
    c.names.insert(DEPT.into(), "阿拉善左旗公安局政治处".into());
    c.names.insert("p-wang".into(), "王强".into());
    c.names.insert("p-other".into(), "李明".into());
    c
}

fn officer() -> Actor {
    Actor::new("p-wang", &[Role::Officer], BH)
}
fn office() -> Actor {
    Actor::new("wq1", &[Role::Office], ZQ)
}
fn director() -> Actor {
    Actor::new("zr1", &[Role::Director], ZQ)
}
fn deputy() -> Actor {
    Actor::new("zr2", &[Role::DeputyDirector], ZQ)
}
fn dept() -> Actor {
    Actor::new("zz1", &[Role::OriginalDepartment], DEPT)
}
fn insp() -> Actor {
    Actor::new("dc1", &[Role::Inspectorate], ZQ)
}

/// A case with its events, driven step by step.
type Case = crate::testing::Case<SanctionAppeal>;

fn file(measure: Measure) -> Command {
    Command::File {
        officer_id: "p-wang".into(),
        unit: BH.into(),
        committee_id: ZQ.into(),
        measure,
        department_id: DEPT.into(),
        decided_on: d("2024-05-06"),
        document_number: "左公政〔2024〕12号".into(),
        conduct: "依法对拒不配合检查的驾驶人采取强制措施".into(),
        reasons: "强制措施符合法律规定，处分认定事实错误".into(),
    }
}

fn recheck(aspect: &str, proper: bool) -> Command {
    Command::Recheck {
        aspect: aspect.into(),
        proper,
        finding: format!("{}复核意见", aspect_zh(aspect)),
    }
}

/// Filed, heard, every aspect re-checked; the facts and the procedure found improper.
fn rechecked() -> Case {
    let mut c = Case::default();
    c.run(
        file(Measure::Sanction(Sanction::MajorDemerit)),
        &officer(),
        "2024-06-03",
    );
    c.run(
        Command::Hear {
            statement: "当时驾驶人拒不停车并冲撞民警".into(),
        },
        &office(),
        "2024-06-05",
    );
    for (a, proper) in [
        ("facts", false),
        ("reasons", true),
        ("basis", true),
        ("procedure", false),
    ] {
        c.run(recheck(a, proper), &office(), "2024-06-10");
    }
    c
}

fn improper_opinion() -> Command {
    Command::Opinion {
        improper: true,
        proposal: Some(Proposal::Revoke),
        proposed: None,
        opinion: "民警系依法履职，建议撤销记大过处分".into(),
    }
}

/// The committee found the sanction improper (2024-06-14).
fn found_improper() -> Case {
    let mut c = rechecked();
    c.run(improper_opinion(), &director(), "2024-06-14");
    c
}

fn order(deadline: &str) -> Command {
    Command::OrderCorrection {
        findings: "经核查，王强同志系依法履职，记大过处分认定事实错误".into(),
        requirements: "撤销记大过处分，恢复其相应待遇".into(),
        deadline: d(deadline),
    }
}

#[test]
fn s27_lighter_sanctions_are_refused_and_heavy_ones_or_dismissal_accepted_001() {
    for light in [
        Sanction::Admonition,
        Sanction::CirculatedCriticism,
        Sanction::Warning,
        Sanction::Demerit,
    ] {
        let e = Case::default().refused(file(Measure::Sanction(light)), &officer(), "2024-06-03");
        assert_eq!(e.article.as_deref(), Some("001 §27"));
        assert!(e.message.contains("记大过以上处分或者辞退"), "{e}");
        assert!(e.message.contains(light.zh()), "{e}");
    }
    for heavy in [
        Measure::Sanction(Sanction::MajorDemerit),
        Measure::Sanction(Sanction::Demotion),
        Measure::Sanction(Sanction::RemovalFromPost),
        Measure::Sanction(Sanction::Expulsion),
        Measure::Dismissal,
    ] {
        let mut c = Case::default();
        c.run(file(heavy), &officer(), "2024-06-03");
        assert_eq!(c.state.stage().0, "hearing");
        let s = SanctionAppeal::summary(&c.state);
        assert_eq!(s.org_id, ZQ);
        assert!(s.title.contains(heavy.zh()), "{}", s.title);
    }
    // The form offers only what the article covers.
    let form = SanctionAppeal::actions(&AppealState::default(), &officer(), &any_ctx());
    let measure = form[0].fields.iter().find(|f| f.name == "measure").unwrap();
    let FieldKind::Choice { options } = &measure.kind else {
        panic!("{measure:?}")
    };
    let ids: Vec<&str> = options.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "major_demerit",
            "demotion",
            "removal_from_post",
            "dismissal",
            "expulsion"
        ]
    );
}

#[test]
fn s27_appeal_by_the_officer_or_registered_by_the_office_at_the_officers_agency_001() {
    let mut c = Case::default();
    let Command::File {
        measure,
        department_id,
        decided_on,
        document_number,
        conduct,
        reasons,
        ..
    } = file(Measure::Dismissal)
    else {
        unreachable!()
    };
    let other = Command::File {
        officer_id: "p-li".into(),
        unit: BH.into(),
        committee_id: ZQ.into(),
        measure,
        department_id: department_id.clone(),
        decided_on,
        document_number: document_number.clone(),
        conduct: conduct.clone(),
        reasons: reasons.clone(),
    };
    let e = c.refused(other, &officer(), "2024-06-03");
    assert!(e.message.contains("本人"), "{e}");
    let elsewhere = Command::File {
        officer_id: "p-wang".into(),
        unit: BH.into(),
        committee_id: "ejn".into(),
        measure,
        department_id,
        decided_on,
        document_number,
        conduct,
        reasons,
    };
    let e = c.refused(elsewhere, &officer(), "2024-06-03");
    assert!(e.message.contains("民警所在公安机关"), "{e}");
    let e = c.refused(file(Measure::Dismissal), &dept(), "2024-06-03");
    assert!(e.message.contains("无权"), "{e}");
    c.run(file(Measure::Dismissal), &office(), "2024-06-03");
    let f = c.state.filing.clone().unwrap();
    assert_eq!((f.officer_name.as_str(), f.unit.id.as_str()), ("王强", BH));
    assert!(SanctionAppeal::links(&c.state).contains(&("subject".into(), "p-wang".into())));
    assert!(SanctionAppeal::links(&c.state).contains(&("department".into(), DEPT.into())));
}

#[test]
fn s27_committee_hears_the_officer_and_rechecks_facts_reasons_basis_and_procedure_001() {
    let mut c = Case::default();
    c.run(
        file(Measure::Sanction(Sanction::Demotion)),
        &officer(),
        "2024-06-03",
    );
    let e = c.refused(recheck("facts", true), &office(), "2024-06-04");
    assert!(e.message.contains("先听取"), "{e}");
    c.run(
        Command::Hear {
            statement: "陈述".into(),
        },
        &office(),
        "2024-06-05",
    );
    let e = c.refused(recheck("motive", true), &office(), "2024-06-05");
    assert_eq!(e.article.as_deref(), Some("001 §27"));
    c.run(recheck("facts", true), &office(), "2024-06-06");
    c.run(recheck("basis", true), &office(), "2024-06-06");
    let opinion = Command::Opinion {
        improper: false,
        proposal: None,
        proposed: None,
        opinion: "处分适当".into(),
    };
    let e = c.refused(opinion.clone(), &director(), "2024-06-07");
    assert!(e.message.contains("尚未复核理由、程序"), "{e}");
    assert!(SanctionAppeal::actions(&c.state, &director(), &any_ctx()).is_empty());
    c.run(recheck("reasons", true), &office(), "2024-06-07");
    c.run(recheck("procedure", true), &office(), "2024-06-07");
    // Only 主任 or 副主任 give the committee's opinion.
    let e = c.refused(opinion.clone(), &office(), "2024-06-08");
    assert!(e.message.contains("维权委主任或者维权委副主任"), "{e}");
    c.run(opinion, &deputy(), "2024-06-08");
    assert_eq!(c.state.stage().0, "closed");
    let doc = &c.docs()[0];
    assert_eq!(doc.kind, DocumentKind::SanctionReviewOpinion);
    assert_eq!(doc.addressee, "王强同志");
    for (_, zh) in ASPECTS {
        assert!(
            doc.text.contains(&format!("{zh}：未发现不当")),
            "{}",
            doc.text
        );
    }
    // Nothing left to hear once the opinion is given.
    let e = c.refused(
        Command::Hear {
            statement: "补充".into(),
        },
        &office(),
        "2024-06-09",
    );
    assert!(e.message.contains("已办结"), "{e}");
}

#[test]
fn s27_improper_finding_sends_the_opinion_to_the_deciding_department_001() {
    let mut c = rechecked();
    // A finding of improper treatment rests on an aspect found improper.
    let mut all_proper = Case::default();
    all_proper.run(
        file(Measure::Sanction(Sanction::MajorDemerit)),
        &officer(),
        "2024-06-03",
    );
    all_proper.run(
        Command::Hear {
            statement: "陈述".into(),
        },
        &office(),
        "2024-06-05",
    );
    for (a, _) in ASPECTS {
        all_proper.run(recheck(a, true), &office(), "2024-06-06");
    }
    let e = all_proper.refused(improper_opinion(), &director(), "2024-06-07");
    assert!(e.message.contains("不能认定"), "{e}");
    let e = c.refused(
        Command::Opinion {
            improper: true,
            proposal: None,
            proposed: None,
            opinion: "不当".into(),
        },
        &director(),
        "2024-06-14",
    );
    assert!(e.message.contains("撤销或者变更"), "{e}");
    c.run(improper_opinion(), &director(), "2024-06-14");
    assert_eq!(c.state.stage().0, "awaiting_department");
    let doc = &c.docs()[0];
    assert_eq!(doc.addressee, "阿拉善左旗公安局政治处");
    assert!(doc.text.contains("建议撤销原决定"), "{}", doc.text);
    assert!(doc.text.contains("事实：存在不当"));
    assert!(doc.text.contains("不得因民警提出申诉而对其加重处分"));
    assert!(doc
        .text
        .ends_with("阿拉善左旗公安局维护公安民警执法权威工作委员会\n2024年6月14日"));
    // 001 §27 cited by the pack's template, by the 办法's full title at its first citation.
    assert!(
        doc.text
            .contains("依照《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十七条"),
        "{}",
        doc.text
    );
}

#[test]
fn s27_opinion_and_correction_never_heavier_than_the_contested_measure_001() {
    let mut c = rechecked();
    for heavier in [
        Measure::Sanction(Sanction::MajorDemerit),
        Measure::Sanction(Sanction::Expulsion),
        Measure::Dismissal,
    ] {
        let e = c.refused(
            Command::Opinion {
                improper: true,
                proposal: Some(Proposal::Lighten),
                proposed: Some(heavier),
                opinion: "变更".into(),
            },
            &director(),
            "2024-06-14",
        );
        assert_eq!(e.article.as_deref(), Some("001 §27"), "{heavier}");
    }
    c.run(
        Command::Opinion {
            improper: true,
            proposal: Some(Proposal::Lighten),
            proposed: Some(Measure::Sanction(Sanction::Warning)),
            opinion: "情节较轻，建议变更为警告".into(),
        },
        &director(),
        "2024-06-14",
    );
    assert!(c.docs()[0].text.contains("建议变更为警告处分"));
    let e = c.refused(
        Command::DepartmentAnswer {
            corrected: true,
            now: Some(Measure::Sanction(Sanction::Demotion)),
            reasons: "改为降级".into(),
        },
        &dept(),
        "2024-06-20",
    );
    assert_eq!(e.article.as_deref(), Some("001 §27"));
    assert!(Measure::Dismissal > Measure::Sanction(Sanction::RemovalFromPost));
    assert!(Measure::Dismissal < Measure::Sanction(Sanction::Expulsion));
}

#[test]
fn s27_department_that_corrects_on_the_opinion_closes_the_case_001() {
    let mut c = found_improper();
    // Only the deciding department answers.
    let other = Actor::new("x", &[Role::OriginalDepartment], "meng-zz");
    let e = c.refused(
        Command::DepartmentAnswer {
            corrected: true,
            now: None,
            reasons: "已撤销".into(),
        },
        &other,
        "2024-06-20",
    );
    assert!(e.message.contains("阿拉善左旗公安局政治处"), "{e}");
    c.run(
        Command::DepartmentAnswer {
            corrected: true,
            now: None,
            reasons: "已撤销记大过处分".into(),
        },
        &dept(),
        "2024-06-20",
    );
    assert_eq!(c.state.stage(), ("closed", "已办结（已纠正）"));
    let e = c.refused(order("2024-07-20"), &insp(), "2024-06-21");
    assert!(e.message.contains("已办结"), "{e}");
}

#[test]
fn s28_unfair_treatment_ordered_corrected_by_a_deadline_tracked_to_verification_001() {
    let mut c = found_improper();
    c.run(
        Command::DepartmentAnswer {
            corrected: false,
            now: None,
            reasons: "认为处分并无不当".into(),
        },
        &dept(),
        "2024-06-20",
    );
    assert_eq!(c.state.stage().0, "awaiting_order");
    let e = c.refused(order("2024-06-20"), &insp(), "2024-06-20");
    assert!(e.message.contains("晚于今天"), "{e}");
    let e = c.refused(order("2024-07-19"), &office(), "2024-06-21");
    assert!(e.message.contains("警务督察部门"), "{e}");
    c.run(order("2024-07-19"), &insp(), "2024-06-21");
    assert_eq!(c.state.stage().0, "ordered");
    // One order runs at a time: a new deadline only after a report found short.
    let e = c.refused(order("2024-08-19"), &insp(), "2024-06-22");
    assert!(e.message.contains("限期纠正中"), "{e}");
    let doc = c.docs().pop().unwrap();
    assert_eq!(doc.kind, DocumentKind::CorrectionOrder);
    assert_eq!(doc.addressee, "阿拉善左旗公安局政治处");
    assert!(
        doc.text.contains("请你部门于2024年7月19日前予以纠正"),
        "{}",
        doc.text
    );
    // 001 §28 is the 内蒙古 办法's article, cited by its title; 经核查 once (issue 20: the
    // notice said "经核查，经核查，" and cited the 公安部's 规定 with the 办法's numbers).
    assert_eq!(doc.text.matches("经核查").count(), 1, "{}", doc.text);
    assert!(
        doc.text
            .contains("依照《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十八条"),
        "{}",
        doc.text
    );
    assert!(!doc.text.contains("《公安机关维护民警执法权威工作规定》"));
    let dl = SanctionAppeal::deadlines(&c.state, &any_ctx().rules());
    assert_eq!(dl.len(), 1);
    assert_eq!(
        (
            dl[0].due,
            dl[0].role,
            dl[0].article.as_str(),
            dl[0].provisional
        ),
        (d("2024-07-19"), Role::OriginalDepartment, "001 §28", false)
    );
    // A late report is recorded as late; the 督察 finds it short.
    c.run(
        Command::ReportCorrection {
            now: Some(Measure::Sanction(Sanction::Demerit)),
            description: "改为记过处分".into(),
        },
        &dept(),
        "2024-07-22",
    );
    assert_eq!(c.state.stage().0, "verifying");
    assert!(SanctionAppeal::deadlines(&c.state, &any_ctx().rules()).is_empty());
    assert!(SanctionAppeal::describe(&c.events.last().unwrap().kind).contains("逾期"));
    c.run(
        Command::VerifyCorrection {
            verified: false,
            note: "应当撤销而非变更".into(),
        },
        &insp(),
        "2024-07-23",
    );
    assert_eq!(c.state.stage().0, "ordered");
    assert_eq!(
        SanctionAppeal::deadlines(&c.state, &any_ctx().rules())[0].due,
        d("2024-07-19")
    );
    // A new deadline after the rejected report.
    c.run(order("2024-08-09"), &insp(), "2024-07-24");
    assert_eq!(
        SanctionAppeal::deadlines(&c.state, &any_ctx().rules())[0].due,
        d("2024-08-09")
    );
    assert_eq!(c.state.orders.len(), 2);
    c.run(
        Command::ReportCorrection {
            now: None,
            description: "已撤销记大过处分".into(),
        },
        &dept(),
        "2024-08-05",
    );
    c.run(
        Command::VerifyCorrection {
            verified: true,
            note: "处分已撤销，待遇已恢复".into(),
        },
        &insp(),
        "2024-08-06",
    );
    assert_eq!(c.state.stage(), ("closed", "已办结（已纠正）"));
    assert!(SanctionAppeal::deadlines(&c.state, &any_ctx().rules()).is_empty());
    assert!(SanctionAppeal::facts(&c.state)
        .iter()
        .any(|f| f.label == "纠正结果" && f.value.contains("原决定已撤销")));
    assert!(SanctionAppeal::actions(&c.state, &insp(), &any_ctx()).is_empty());
}

#[test]
fn s28_no_notice_of_an_appeal_says_a_phrase_twice_001() {
    // The 限期纠正通知书 said "经核查，经核查，" when the 督察's findings began as the notice
    // does (issue 20). Whatever lead the findings carry, every notice of the process — the
    // opinion, the order, a second order — says each phrase once.
    for findings in [
        "经核查，王强同志系依法履职，记大过处分认定事实错误",
        "经核查：王强同志系依法履职",
        "经查，王强同志系依法履职。",
        "经查明，王强同志系依法履职",
        "王强同志系依法履职",
    ] {
        let mut c = found_improper();
        c.run(
            Command::DepartmentAnswer {
                corrected: false,
                now: None,
                reasons: "认为处分并无不当".into(),
            },
            &dept(),
            "2024-06-20",
        );
        c.run(
            Command::OrderCorrection {
                findings: findings.into(),
                requirements: "撤销记大过处分，恢复其相应待遇".into(),
                deadline: d("2024-07-19"),
            },
            &insp(),
            "2024-06-21",
        );
        let docs = c.docs();
        assert!(docs.len() >= 2, "{docs:?}");
        for doc in &docs {
            assert_eq!(
                lvzhi_case::doubled_phrase(&doc.text),
                None,
                "{findings}: {}",
                doc.text
            );
        }
        let order = docs.last().map(|d| d.text.clone()).unwrap_or_default();
        assert_eq!(order.matches("经核查").count(), 1, "{order}");
        assert!(!order.contains("经查"), "{order}");
        assert!(order.contains("经核查，王强同志系依法履职"), "{order}");
    }
}

#[test]
fn s28_no_order_without_a_finding_of_unfair_treatment_001() {
    let mut c = rechecked();
    let e = c.refused(order("2024-07-19"), &insp(), "2024-06-12");
    assert_eq!(e.article.as_deref(), Some("001 §28"));
    c.run(
        Command::Opinion {
            improper: false,
            proposal: None,
            proposed: None,
            opinion: "虽有瑕疵，不影响处分结论".into(),
        },
        &director(),
        "2024-06-14",
    );
    let e = c.refused(order("2024-07-19"), &insp(), "2024-06-15");
    assert_eq!(e.article.as_deref(), Some("001 §28"));
}

#[test]
fn commands_and_events_round_trip_with_their_action_ids() {
    let v = serde_json::to_value(file(Measure::Dismissal)).unwrap();
    assert_eq!(v["action"], "sanction_appeal_file");
    assert_eq!(v["measure"], "dismissal");
    let back: Command = serde_json::from_value(v).unwrap();
    assert_eq!(back, file(Measure::Dismissal));
    let m: Measure = serde_json::from_value(serde_json::json!("major_demerit")).unwrap();
    assert_eq!(m, Measure::Sanction(Sanction::MajorDemerit));
    assert!(serde_json::from_value::<Measure>(serde_json::json!("flogging")).is_err());
    let c = found_improper();
    for e in &c.events {
        let back: Event<Kind> = serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap();
        assert_eq!(&back, e);
    }
    for (id, _) in ACTIONS {
        assert!(id.starts_with("sanction_appeal_"), "{id}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

impl Driven for SanctionAppeal {
    const ACTIONS: &'static [(&'static str, &'static str)] = &ACTIONS;

    fn ctx(today: NaiveDate) -> Ctx<'static> {
        ctx(today)
    }

    fn actors() -> Vec<Actor> {
        vec![
            officer(),
            Actor::new("p-other", &[Role::Officer], BH),
            office(),
            director(),
            deputy(),
            dept(),
            Actor::new("x", &[Role::OriginalDepartment], "meng-zz"),
            insp(),
            Actor::new("u", &[Role::Unit], BH),
        ]
    }

    /// A command for `action` that should be accepted when the action is offered to `actor`.
    fn sample(
        state: &AppealState,
        action: &str,
        actor: &Actor,
        pick: usize,
        today: NaiveDate,
    ) -> Option<Command> {
        let f = state.filing.as_ref();
        Some(match action {
            "sanction_appeal_file" => {
                let mut cmd = file(if pick % 2 == 0 {
                    Measure::Sanction(Sanction::MajorDemerit)
                } else {
                    Measure::Dismissal
                });
                if let Command::File { officer_id, .. } = &mut cmd {
                    if actor.has(Role::Officer) {
                        *officer_id = actor.person_id.clone();
                    }
                }
                cmd
            }
            "sanction_appeal_hear" => Command::Hear {
                statement: "陈述".into(),
            },
            "sanction_appeal_recheck" => {
                let (a, _) = ASPECTS[pick % 4];
                recheck(a, pick % 3 != 0)
            }
            "sanction_appeal_opinion" => {
                if state.rechecks.values().any(|r| !r.proper) && pick % 2 == 0 {
                    if pick % 4 == 0 {
                        improper_opinion()
                    } else {
                        Command::Opinion {
                            improper: true,
                            proposal: Some(Proposal::Lighten),
                            proposed: Some(Measure::Sanction(Sanction::Warning)),
                            opinion: "变更".into(),
                        }
                    }
                } else {
                    Command::Opinion {
                        improper: false,
                        proposal: None,
                        proposed: None,
                        opinion: "适当".into(),
                    }
                }
            }
            "sanction_appeal_department_answer" => Command::DepartmentAnswer {
                corrected: pick % 2 == 0,
                now: None,
                reasons: "答复".into(),
            },
            "sanction_appeal_order_correction" => Command::OrderCorrection {
                findings: "民警系依法履职，处分认定事实错误".into(),
                requirements: "撤销".into(),
                deadline: today + chrono::Days::new(20),
            },
            "sanction_appeal_report_correction" => Command::ReportCorrection {
                now: if pick % 2 == 0 {
                    None
                } else {
                    Some(Measure::Sanction(Sanction::Warning))
                },
                description: "已纠正".into(),
            },
            "sanction_appeal_verify_correction" => Command::VerifyCorrection {
                verified: pick % 3 == 0,
                note: "核验".into(),
            },
            _ => {
                let _ = f;
                return None;
            }
        })
    }

    fn version(state: &AppealState) -> u64 {
        state.version
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Driving a case by the actions offered to random actors, probing every actor and action
    /// at each step: offered iff the sample command is accepted; replaying the recorded events,
    /// read back from JSON, gives the state step by step.
    #[test]
    fn offered_actions_are_accepted_and_replay_equals_incremental_state(
        steps in proptest::collection::vec((0usize..64, 0usize..12, 0u64..4), 1..24)
    ) {
        check_offered_equals_accepted::<SanctionAppeal>(d("2024-06-03"), &steps)?;
    }
}

/// Issue 20 item 2: the 复核意见书 (001 §27) is the governing pack's `[[notice]]`, not the
/// program's: a unit that rewords it issues its own words, and cites the articles its template
/// cites.
#[test]
fn issue20_001_s27_opinion_is_the_packs_template() {
    let text = include_str!("../../../../packs/001.toml")
        .replace(
            "本委听取了当事民警的陈述，对事实、理由、依据和程序进行了全面复核。",
            "本委听取了{officer}的陈述和申辩，对事实、理由、依据和程序进行了全面复核。",
        )
        .replace("依照{cite:§27}，本委听取", "根据{cite:§27¶1}，本委听取");
    let pack = lvzhi_rules::parse_pack("packs/001.toml", &text);
    // 001 has no §27¶1: a template may cite only the pack's articles.
    let err = pack.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("§27¶1"), "{err}");
    let text = text.replace("根据{cite:§27¶1}，本委听取", "根据{cite:§27}，本委听取");
    let pack = lvzhi_rules::parse_pack("packs/001.toml", &text)
        .unwrap_or_else(|e| panic!("the reworded 001 does not load: {e}"));
    let mut c = rechecked();
    let mut under = ctx(d("2024-06-14"));
    under.regulation = Some(crate::regulation_of(&pack));
    c.try_run_in(improper_opinion(), &director(), &under)
        .unwrap_or_else(|e| panic!("{e}"));
    let doc = &c.docs()[0];
    assert!(
        doc.text.contains(
            "根据《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十七条，本委听取了王强的陈述和申辩"
        ),
        "{}",
        doc.text
    );
    assert!(!doc.text.contains("当事民警的陈述"), "{}", doc.text);
}
