use crate::testing::any_ctx;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use proptest::prelude::*;

use super::*;
use crate::testing::{check_offered_equals_accepted, Driven};

const ZQ: &str = "zq";
const MENG: &str = "meng";
const BH: &str = "bh";

static PACKS: LazyLock<PackSet> = LazyLock::new(|| {
    PackSet::load([
        ("004.toml", include_str!("../../../../packs/004.toml")),
        (
            "004-2016.toml",
            include_str!("../../../../packs/004-2016.toml"),
        ),
    ])
    .unwrap_or_else(|e| panic!("pack 004 does not load: {e}"))
});
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

fn ctx(today: NaiveDate) -> Ctx<'static> {
    let mut c = Ctx::new(today, &CAL, crate::testing::periods(EnforcementFault::PACK))
        .under(crate::testing::regulation(EnforcementFault::PACK));
    c.org_chain = vec![
        org(ZQ, "阿拉善左旗公安局"),
        org(MENG, "阿拉善盟公安局"),
        org("nmg", "内蒙古自治区公安厅"),
    ];
    c.names.insert(BH.into(), "巴彦浩特派出所".into());
    c
}

fn legal() -> Actor {
    Actor::new("fz1", &[Role::LegalAffairs], ZQ)
}
fn insp() -> Actor {
    Actor::new("dc1", &[Role::Inspectorate], ZQ)
}
fn insp_meng() -> Actor {
    Actor::new("dc9", &[Role::Inspectorate], MENG)
}
fn officer(id: &str) -> Actor {
    Actor::new(id, &[Role::Officer], BH)
}
/// 阿拉善左旗公安局's 局长, the head who approves (004 §26¶2).
fn head() -> Actor {
    Actor::new("jz1", &[Role::AgencyHead], ZQ)
}
fn personnel() -> Actor {
    Actor::new("rs1", &[Role::Personnel], ZQ)
}
fn system() -> Actor {
    Actor::new("system", &[Role::System], ZQ)
}

/// A case with its events, driven step by step.
type Case = crate::testing::Case<EnforcementFault>;

impl Case {
    /// The department decides and the head approves on the same day (004 §26¶2).
    fn decided(&mut self, cmd: Command, department: &Actor, on: &str) {
        let name = match &cmd {
            Command::Decide { name, .. } => name.clone(),
            other => panic!("not a decision: {other:?}"),
        };
        self.run(cmd, department, on);
        self.run(
            Command::Approve {
                name,
                result: ApprovalResult::Approved,
                reasons: String::new(),
            },
            &head(),
            on,
        );
    }

    fn assess(&mut self, on: &str) {
        let a = assess(&PACKS, &self.state).unwrap_or_else(|e| panic!("{e}"));
        self.run(Command::Assess { assessment: a }, &legal(), on);
    }
}

fn person(name: &str, role: &str) -> CasePerson {
    CasePerson {
        name: name.into(),
        person_id: None,
        role: role.into(),
        opinion: String::new(),
        at_fault: false,
        overrode_correct_opinion: false,
        unauthorised_act: false,
        falsified_or_concealed: false,
        false_appraisal: false,
        wrong_reply: false,
    }
}

fn open() -> Command {
    Command::Open {
        error_type: "wrongful_criminal_measure".into(),
        error_on: d("2024-06-03"),
        case_name: "王某涉嫌盗窃案".into(),
        description: "对无犯罪事实的王某错误采取刑事拘留".into(),
        unit: BH.into(),
    }
}

/// 004 §9: the handler and the reviewer proposed release; the approver overrode them.
fn overriding_approver() -> Vec<CasePerson> {
    vec![
        CasePerson {
            opinion: "证据不足，建议不予刑事拘留".into(),
            person_id: Some("p-zhang".into()),
            ..person("张某", "handler")
        },
        CasePerson {
            opinion: "同意办案人意见".into(),
            person_id: Some("p-zhao".into()),
            ..person("赵某", "reviewer")
        },
        CasePerson {
            opinion: "决定刑事拘留".into(),
            person_id: Some("p-li".into()),
            at_fault: true,
            overrode_correct_opinion: true,
            ..person("李某", "approver")
        },
    ]
}

fn confirm() -> Command {
    Command::Confirm {
        shares: vec![],
        outcome: None,
        reasons: String::new(),
        proposal: "建议对李某予以通报批评、延期晋级".into(),
    }
}

fn decide(name: &str, measures: &[&str]) -> Command {
    Command::Decide {
        name: name.into(),
        measures: measures.iter().map(|m| m.to_string()).collect(),
        discipline: None,
        waived: false,
        approved_by: String::new(),
        reasons: "审批时不采纳办案人、审核人的正确意见，造成错误拘留".into(),
    }
}

/// Opened, people and circumstances recorded, assessed by the engine.
fn assessed(people: Vec<CasePerson>, circ: Circumstances) -> Case {
    let mut c = Case::default();
    c.run(open(), &legal(), "2024-07-01");
    c.run(Command::RecordPeople { people }, &legal(), "2024-07-02");
    c.run(
        Command::RecordCircumstances {
            circumstances: circ,
        },
        &legal(),
        "2024-07-02",
    );
    c.assess("2024-07-03");
    c
}

/// The §9 case up to the decision on the approver (2024-09-02).
fn decided_s9() -> Case {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    c.run(confirm(), &legal(), "2024-07-05");
    c.decided(
        decide("李某", &["circulated_criticism", "deferred_promotion"]),
        &insp(),
        "2024-09-02",
    );
    c
}

#[test]
fn s9_approver_who_overrode_correct_opinion_bears_responsibility_004() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    let a = c.state.assessment.clone().unwrap();
    assert_eq!(a.outcome, "none");
    let li = a.share_of("李某").unwrap();
    assert_eq!((li.share.as_str(), li.allocation.as_str()), ("all", "a9"));
    assert_eq!(li.citations, vec!["004 §9"]);
    for n in ["张某", "赵某"] {
        assert_eq!(a.share_of(n).unwrap().share, "not_liable", "{n}");
    }
    c.run(confirm(), &legal(), "2024-07-05");
    let conf = c.state.confirmation.clone().unwrap();
    assert!(!conf.departs);
    assert_eq!(c.state.stage().0, "confirmed");
    // The handler whose correct opinion was overridden is not dealt with.
    let e = c.refused(
        decide("张某", &["circulated_criticism"]),
        &insp(),
        "2024-09-02",
    );
    assert_eq!(e.article.as_deref(), Some("004 §9"));
    assert!(e.message.contains("不承担执法过错责任"), "{e}");
    c.decided(
        decide("李某", &["circulated_criticism"]),
        &insp(),
        "2024-09-02",
    );
    assert_eq!(c.state.stage().0, "decided");
    let docs = c.docs();
    let det = &docs[0];
    assert_eq!(det.kind, DocumentKind::FaultDetermination);
    assert!(
        det.text
            .contains("李某（审批人）承担全部责任（《规定》第九条）"),
        "{}",
        det.text
    );
    assert!(
        det.text.contains("张某（办案人）不承担责任"),
        "{}",
        det.text
    );
    let dec = &docs[1];
    assert_eq!(dec.kind, DocumentKind::FaultDecision);
    assert_eq!(dec.addressee, "李某同志");
    // A sentence, not "你全部责任" (issue 20).
    assert!(
        dec.text
            .contains("依照《公安机关人民警察执法过错责任追究规定》（以下简称《规定》）第二十六条，经查，你在"),
        "{}",
        dec.text
    );
    // The regulation is named in full before any citation by its short name.
    assert!(
        dec.text.find("《规定》") > dec.text.find("（以下简称《规定》）"),
        "{}",
        dec.text
    );
    assert!(
        dec.text
            .contains("，经认定，你应当承担全部责任（《规定》第九条）"),
        "{}",
        dec.text
    );
    assert!(dec.text.contains("通报批评"));
    // 004 §27 sets the 30 日 reply; the filing window is the organ's own rule and is said to be
    // (issue 20), and "不停止执行" is not the article's: gone. The regulation is cited by an
    // article (§26, the 认定) wherever it is named: "依照《规定》，经认定" named none.
    assert!(
        dec.text
            .contains("接受申诉的公安机关应当在30日内作出答复（《规定》第二十七条）")
            && dec
                .text
                .contains("申诉期限为本机关的规定（《规定》第二十七条未规定申诉期限）")
            && !dec.text.contains("不停止执行"),
        "{}",
        dec.text
    );
}

#[test]
fn s27_decision_notice_cites_only_the_reply_and_gives_the_window_as_the_bodys_own_004() {
    // 004 §27: 可以向本级或者上级公安机关申诉；接受申诉的公安机关应当在三十日内做出答复. It
    // sets no window to file and says nothing of suspension; a pack that sets `appeal_filing`
    // sets a local rule, which neither the notice nor the deadline may attribute to §27.
    let mut c = Case::default();
    c.run(open(), &legal(), "2024-07-01");
    c.run(
        Command::RecordPeople {
            people: overriding_approver(),
        },
        &legal(),
        "2024-07-02",
    );
    c.run(
        Command::RecordCircumstances {
            circumstances: Circumstances::default(),
        },
        &legal(),
        "2024-07-02",
    );
    let mut a = assess(&PACKS, &c.state).unwrap_or_else(|e| panic!("{e}"));
    a.periods.insert("appeal_filing".into(), Period::Days(15));
    c.run(Command::Assess { assessment: a }, &legal(), "2024-07-03");
    c.run(confirm(), &legal(), "2024-07-05");
    c.decided(
        decide("李某", &["circulated_criticism"]),
        &insp(),
        "2024-09-02",
    );
    let s = &c.state.standings["李某"];
    assert_eq!(s.decision.appeal_article, "本地设置");
    assert_eq!(s.decision.appeal_due, d("2024-09-18"));
    let text = &c.docs()[1].text;
    // The sentence under §27's citation holds only the appeal and the reply period.
    let cited = text
        .split(['。', '\n'])
        .find(|l| l.contains("第二十七条"))
        .unwrap_or_default();
    assert_eq!(
        cited.trim_start_matches('\u{3000}'),
        "如不服本决定，可以向本级或者上级公安机关申诉，接受申诉的公安机关应当在30日内作出答复（《规定》第二十七条）"
    );
    assert!(
        text.contains("申诉期限为本机关的规定（《规定》第二十七条未规定申诉期限）：申诉应当自本决定作出之日起15日内（至2024年9月18日）提出。"),
        "{text}"
    );
    assert!(!text.contains("不停止执行"), "{text}");
    // A late appeal is refused citing the local setting, not §27.
    let e = c.refused(
        Command::Appeal {
            to: AppealTo::SameLevel,
            reasons: "不服".into(),
        },
        &officer("p-li"),
        "2024-09-19",
    );
    assert_eq!(e.article.as_deref(), Some("本地设置"));
}

#[test]
fn s26_every_share_reads_as_a_sentence_in_the_notices_004() {
    // "经认定，你全部责任" and "李某（审批人）全部责任" had no verb (issue 20): every share the
    // allocations give reads as what the person bears.
    let c = decided_s9();
    let standing = &c.state.standings["李某"];
    for (id, zh) in SHARES {
        let pred = share_predicate(id);
        assert!(
            pred.starts_with("承担") || pred.starts_with("与其他责任人") || pred == "不承担责任",
            "{id}: {pred}"
        );
        let share = ConfirmedShare {
            name: "李某".into(),
            role: "approver".into(),
            share: id.to_string(),
            computed: id.to_string(),
            citations: vec!["004 §9".into()],
        };
        let doc = decision_document(
            &crate::testing::regulation(EnforcementFault::PACK),
            &c.state,
            &standing.decision,
            &share,
            DEFAULT_APPEAL_FILING,
            d("2024-09-02"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let expected = format!("经认定，你{}（《规定》第九条）", share_sentence(id));
        assert!(doc.text.contains(&expected), "{id}: {}", doc.text);
        if id != "not_liable" {
            assert!(!doc.text.contains(&format!("你{zh}")), "{id}: {}", doc.text);
        }
        assert!(!doc.text.contains("你应当不承担"), "{id}: {}", doc.text);
    }
    assert_eq!(share_sentence("main"), "应当承担主要责任");
    assert_eq!(share_sentence("separate"), "应当与其他责任人分别承担责任");
    assert_eq!(share_sentence("not_liable"), "不承担责任");
    // The 认定书 and the facts name each share with its verb too.
    let det = &c.docs()[0].text;
    assert!(det.contains("李某（审批人）承担全部责任"), "{det}");
    let facts = EnforcementFault::facts(&c.state);
    let confirmed = facts
        .iter()
        .find(|f| f.label == "认定的责任划分")
        .map(|f| f.value.clone())
        .unwrap_or_default();
    assert!(confirmed.contains("李某承担全部责任"), "{confirmed}");
}

#[test]
fn s8_all_at_fault_approver_bears_main_responsibility_004() {
    let people = vec![
        CasePerson {
            at_fault: true,
            ..person("张某", "handler")
        },
        CasePerson {
            at_fault: true,
            ..person("赵某", "reviewer")
        },
        CasePerson {
            at_fault: true,
            ..person("李某", "approver")
        },
    ];
    let c = assessed(people, Circumstances::default());
    let a = c.state.assessment.unwrap();
    assert_eq!(a.share_of("李某").unwrap().share, "main");
    assert_eq!(a.share_of("张某").unwrap().share, "separate");
    assert_eq!(a.share_of("赵某").unwrap().share, "separate");
}

#[test]
fn s12_false_appraisal_puts_main_responsibility_on_the_appraiser_004() {
    let people = vec![
        CasePerson {
            at_fault: true,
            false_appraisal: true,
            ..person("王某", "appraiser")
        },
        person("张某", "handler"),
    ];
    let c = assessed(people, Circumstances::default());
    let a = c.state.assessment.unwrap();
    assert_eq!(a.share_of("王某").unwrap().share, "main");
    assert!(a.share_of("张某").is_none());
}

#[test]
fn s26_confirmation_departing_from_computed_allocation_needs_reasons_004() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    let departing = Command::Confirm {
        shares: vec![ShareInput {
            name: "赵某".into(),
            share: "secondary".into(),
        }],
        outcome: None,
        reasons: "  ".into(),
        proposal: "建议通报批评".into(),
    };
    let e = c.refused(departing.clone(), &legal(), "2024-07-05");
    assert!(e.message.contains("应当写明理由"), "{e}");
    let Command::Confirm {
        shares,
        outcome,
        proposal,
        ..
    } = departing
    else {
        unreachable!()
    };
    c.run(
        Command::Confirm {
            shares,
            outcome,
            reasons: "审核人未认真审核证据，对错误拘留负有一定责任".into(),
            proposal,
        },
        &legal(),
        "2024-07-05",
    );
    let conf = c.state.confirmation.clone().unwrap();
    assert!(conf.departs);
    let zhao = conf.shares.iter().find(|s| s.name == "赵某").unwrap();
    assert_eq!(
        (zhao.computed.as_str(), zhao.share.as_str()),
        ("not_liable", "secondary")
    );
    let det = &c.docs()[0];
    assert!(
        det.text
            .contains("赵某按规则计算不承担责任，认定承担次要责任"),
        "{}",
        det.text
    );
    assert!(det.text.contains("审核人未认真审核证据"));
    // The reviewer confirmed as secondarily responsible may now be dealt with.
    c.decided(
        decide("赵某", &["written_self_examination"]),
        &insp(),
        "2024-07-10",
    );
}

#[test]
fn s7_assessment_of_changed_people_is_stale_and_confirmation_waits_for_a_new_one_004() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    let old = c.state.assessment.clone().unwrap();
    let mut people = overriding_approver();
    people[1].at_fault = true;
    c.run(Command::RecordPeople { people }, &legal(), "2024-07-04");
    assert_eq!(c.state.stage().0, "investigating");
    let e = c.refused(confirm(), &legal(), "2024-07-05");
    assert_eq!(e.article.as_deref(), Some("004 §7"));
    let e = c.refused(Command::Assess { assessment: old }, &legal(), "2024-07-05");
    assert!(e.message.contains("重新计算"), "{e}");
    c.assess("2024-07-05");
    c.run(confirm(), &legal(), "2024-07-05");
}

#[test]
fn s9_only_an_approver_overrides_and_s7_roles_come_from_the_list_004() {
    let mut c = Case::default();
    c.run(open(), &legal(), "2024-07-01");
    let e = c.refused(
        Command::RecordPeople {
            people: vec![CasePerson {
                overrode_correct_opinion: true,
                ..person("张某", "handler")
            }],
        },
        &legal(),
        "2024-07-02",
    );
    assert_eq!(e.article.as_deref(), Some("004 §9"));
    assert!(e.message.contains("只适用于审批人"), "{e}");
    let e = c.refused(
        Command::RecordPeople {
            people: vec![person("张某", "clerk")],
        },
        &legal(),
        "2024-07-02",
    );
    assert!(e.message.contains("办案角色"), "{e}");
    let e = c.refused(
        Command::RecordPeople {
            people: vec![person("张某", "handler"), person("张某", "reviewer")],
        },
        &legal(),
        "2024-07-02",
    );
    assert!(e.message.contains("重复"), "{e}");
}

#[test]
fn s6_error_type_must_be_one_of_the_sixteen_and_only_legal_affairs_opens_004() {
    let mut c = Case::default();
    let e = c.refused(open(), &insp(), "2024-07-01");
    assert!(e.message.contains("法制部门"), "{e}");
    let Command::Open {
        error_on,
        case_name,
        description,
        unit,
        ..
    } = open()
    else {
        unreachable!()
    };
    let e = c.refused(
        Command::Open {
            error_type: "rudeness".into(),
            error_on,
            case_name,
            description,
            unit,
        },
        &legal(),
        "2024-07-01",
    );
    assert_eq!(e.article.as_deref(), Some("004 §6"));
    c.run(open(), &legal(), "2024-07-01");
    assert_eq!(c.state.unit, Some(org(BH, "巴彦浩特派出所")));
    let s = EnforcementFault::summary(&c.state);
    assert_eq!((s.stage.as_str(), s.org_id.as_str()), ("investigating", ZQ));
    assert!(s.title.contains("第六条第（七）项"), "{}", s.title);
}

#[test]
fn s14_exemption_closes_the_case_and_nobody_is_dealt_with_004() {
    let mut people = overriding_approver();
    people[2].overrode_correct_opinion = false;
    let mut c = assessed(
        people,
        Circumstances {
            exemptions: vec!["executing_superior_order".into()],
            ..Default::default()
        },
    );
    assert_eq!(c.state.assessment.as_ref().unwrap().outcome, "exemption");
    c.run(
        Command::Confirm {
            shares: vec![],
            outcome: None,
            reasons: String::new(),
            proposal: "不追究有关人员责任".into(),
        },
        &legal(),
        "2024-07-05",
    );
    assert_eq!(c.state.stage().0, "closed");
    assert!(c.state.liable().is_empty());
    let e = c.refused(
        decide("李某", &["circulated_criticism"]),
        &insp(),
        "2024-07-06",
    );
    assert!(e.message.contains("不能作出处理决定"), "{e}");
    assert!(c.docs()[0].text.contains("依照《规定》第十四条，不追究"));
    assert!(EnforcementFault::recurrence_keys(&c.state).is_empty());
}

#[test]
fn s16_each_liable_person_gets_a_measure_and_s23_waiver_needs_mitigation_004() {
    let mut c = decided_s9();
    // Without §23 circumstances there is no waiver.
    let mut c2 = assessed(overriding_approver(), Circumstances::default());
    c2.run(confirm(), &legal(), "2024-07-05");
    let e = c2.refused(decide("李某", &[]), &insp(), "2024-07-06");
    assert_eq!(e.article.as_deref(), Some("004 §16"));
    let mut waive = decide("李某", &[]);
    if let Command::Decide { waived, .. } = &mut waive {
        *waived = true;
    }
    let e = c2.refused(waive.clone(), &insp(), "2024-07-06");
    assert_eq!(e.article.as_deref(), Some("004 §23"));
    let e = c2.refused(decide("李某", &["caning"]), &insp(), "2024-07-06");
    assert_eq!(e.article.as_deref(), Some("004 §16"));
    // With §23(二) the approver may be waived.
    let mut c3 = assessed(
        overriding_approver(),
        Circumstances {
            mitigations: vec!["admitted_and_corrected".into()],
            ..Default::default()
        },
    );
    let a = c3.state.assessment.clone().unwrap();
    assert_eq!(
        (a.outcome.as_str(), a.leniency.clone()),
        (
            "tolerance",
            vec!["lighter".to_string(), "waived".to_string()]
        )
    );
    c3.run(confirm(), &legal(), "2024-07-05");
    c3.decided(waive, &insp(), "2024-07-06");
    assert!(c3.docs()[1].text.contains("免予追究执法过错责任"));
    // A waived person has nothing to appeal.
    let e = c3.refused(
        Command::Appeal {
            to: AppealTo::SameLevel,
            reasons: "不服".into(),
        },
        &officer("p-li"),
        "2024-07-07",
    );
    assert_eq!(e.article.as_deref(), Some("004 §27"));
    // §17 discipline is a 处分, not an organisational measure.
    let mut cmd = decide("李某", &["circulated_criticism"]);
    if let Command::Decide { discipline, .. } = &mut cmd {
        *discipline = Some(Sanction::Admonition);
    }
    let mut c4 = assessed(overriding_approver(), Circumstances::default());
    c4.run(confirm(), &legal(), "2024-07-05");
    let e = c4.refused(cmd, &insp(), "2024-07-06");
    assert_eq!(e.article.as_deref(), Some("004 §17"));
    // A person decided once is not decided again.
    let e = c.refused(
        decide("李某", &["circulated_criticism"]),
        &insp(),
        "2024-09-03",
    );
    assert!(e.message.contains("不能作出处理决定"), "{e}");
}

/// 004 §26¶2: 由法制部门或者业务部门提出处理意见报督察或者人事部门，由督察或者人事部门研究决定后，
/// 报公安机关行政首长审批. Either department decides; the decision takes effect only when the head
/// approves it as an act of their own (never a name typed by the department); a returned decision
/// is decided again.
#[test]
fn s26_2_the_department_decides_and_the_head_approves_as_an_act_of_their_own_004() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    c.run(confirm(), &legal(), "2024-07-05");
    let mut typed = decide("李某", &["circulated_criticism"]);
    if let Command::Decide { approved_by, .. } = &mut typed {
        *approved_by = "局长王某某".into();
    }
    let e = c.refused(typed, &insp(), "2024-07-08");
    assert_eq!(e.article.as_deref(), Some("004 §26¶2"));
    assert!(e.message.contains("行政首长本人"), "{e}");
    for who in [legal(), head()] {
        let e = c.refused(
            decide("李某", &["circulated_criticism"]),
            &who,
            "2024-07-08",
        );
        assert_eq!(e.article.as_deref(), Some("004 §26¶2"), "{e}");
        assert!(e.message.contains("警务督察部门或者人事部门"), "{e}");
    }
    // 人事 decides; nothing is in force until the head answers.
    c.run(
        decide("李某", &["circulated_criticism"]),
        &personnel(),
        "2024-07-08",
    );
    assert_eq!(c.state.stage(), ("approving", "待行政首长审批"));
    assert!(c.state.standings.is_empty());
    assert_eq!(c.docs().len(), 1, "no decision notice before approval");
    let facts = EnforcementFault::facts(&c.state);
    assert!(
        facts.iter().any(|f| f.label == "待审批：李某"
            && f.value.contains("人事部门于2024年7月8日报请行政首长审批")),
        "{facts:?}"
    );
    let e = c.refused(
        decide("李某", &["deferred_promotion"]),
        &insp(),
        "2024-07-08",
    );
    assert!(e.message.contains("不能作出处理决定"), "{e}");
    let answer = |result, reasons: &str| Command::Approve {
        name: "李某".into(),
        result,
        reasons: reasons.into(),
    };
    for who in [insp(), personnel(), legal()] {
        let e = c.refused(answer(ApprovalResult::Approved, ""), &who, "2024-07-09");
        assert!(e.message.contains("应由公安机关行政首长办理"), "{e}");
    }
    let e = c.refused(answer(ApprovalResult::Returned, " "), &head(), "2024-07-09");
    assert!(e.message.contains("退回理由不能为空"), "{e}");
    c.run(
        answer(ApprovalResult::Returned, "处理偏轻，请重新研究"),
        &head(),
        "2024-07-09",
    );
    assert_eq!(c.state.stage().0, "confirmed");
    assert!(c.state.submitted.is_empty());
    let e = c.refused(answer(ApprovalResult::Approved, ""), &head(), "2024-07-09");
    assert!(e.message.contains("没有待审批"), "{e}");
    // The 督察 decides again; the head approves: in force from the approval.
    c.run(
        decide("李某", &["circulated_criticism", "deferred_promotion"]),
        &insp(),
        "2024-07-10",
    );
    c.run(answer(ApprovalResult::Approved, ""), &head(), "2024-07-11");
    let s = &c.state.standings["李某"];
    assert_eq!(s.decided_on, d("2024-07-11"));
    assert_eq!(s.decision.department, Some(Role::Inspectorate));
    assert_eq!(s.decision.approved_by, "阿拉善左旗公安局行政首长");
    // 2024-07-11 + 30 日 = 2024-08-10, a Saturday: the window ends on the next working day.
    assert_eq!(s.decision.appeal_due, d("2024-08-12"));
    let notice = &c.docs()[1];
    assert_eq!(notice.kind, DocumentKind::FaultDecision);
    assert!(
        notice.text.contains(
            "依照《规定》第十六条，经警务督察部门研究决定，报阿拉善左旗公安局行政首长审批同意，决定对你作出如下处理：通报批评、延期晋级"
        ),
        "{}",
        notice.text
    );
    // 人事 keeps the file the decision is recorded in (§22).
    c.run(
        Command::RecordInFile {
            name: "李某".into(),
            note: String::new(),
        },
        &personnel(),
        "2024-07-12",
    );
    assert_eq!(c.state.stage().0, "closed");
}

fn transfer(name: &str) -> Command {
    Command::Transfer {
        name: name.into(),
        to: "阿拉善左旗人民检察院".into(),
        facts: "明知王某无犯罪事实仍决定对其刑事拘留。".into(),
    }
}

/// 004 §18: 执法过错责任人员的行为已经构成犯罪，应当追究刑事责任的，依法移交有关部门办理. The
/// 法制部门 transfers a liable person's case by a written 移交函 citing the pack's `transfer`
/// procedure; never a person found not liable, never twice; a pack without the procedure has
/// no such step.
#[test]
fn s18_a_suspected_crime_is_transferred_by_a_letter_citing_the_pack_004() {
    let mut c = decided_s9();
    let e = c.refused(transfer("张某"), &legal(), "2024-09-03");
    assert_eq!(e.article.as_deref(), Some("004 §18"));
    assert!(e.message.contains("不是本案认定的执法过错责任人员"), "{e}");
    let e = c.refused(transfer("李某"), &insp(), "2024-09-03");
    assert!(e.message.contains("应由法制部门办理"), "{e}");
    // Not offered, and refused, under a pack that does not provide the step.
    let mut reg = crate::testing::regulation(EnforcementFault::PACK);
    reg.steps.remove(TRANSFER);
    let without = ctx(d("2024-09-03")).under(reg);
    assert!(!EnforcementFault::actions(&c.state, &legal(), &without)
        .iter()
        .any(|a| a.id == "enforcement_fault_transfer"));
    let mut c2 = c.clone();
    let e = c2
        .try_run_in(transfer("李某"), &legal(), &without)
        .expect_err("no transfer without the procedure");
    assert!(e.message.contains("[[procedure]] transfer"), "{e}");
    assert!(
        EnforcementFault::actions(&c.state, &legal(), &ctx(d("2024-09-03")))
            .iter()
            .any(|a| a.id == "enforcement_fault_transfer")
    );
    c.run(transfer("李某"), &legal(), "2024-09-03");
    let letter = c.docs().last().cloned().expect("the letter");
    assert_eq!(letter.kind, DocumentKind::FaultTransfer);
    assert_eq!(letter.title, "执法过错案件移交函");
    assert_eq!(letter.addressee, "阿拉善左旗人民检察院");
    assert!(
        letter.text.starts_with("阿拉善左旗人民检察院：\n"),
        "{}",
        letter.text
    );
    assert!(
        letter.text.contains(
            "执法过错责任人员李某（审批人）明知王某无犯罪事实仍决定对其刑事拘留。其行为涉嫌构成犯罪，应当追究刑事责任。依照《公安机关人民警察执法过错责任追究规定》第十八条的规定，现将该人员涉嫌犯罪的案件移交你单位依法办理。"
        ),
        "{}",
        letter.text
    );
    assert!(
        letter.text.ends_with("阿拉善左旗公安局\n2024年9月3日"),
        "{}",
        letter.text
    );
    assert_eq!(
        c.state.transfers["李某"],
        (d("2024-09-03"), "阿拉善左旗人民检察院".to_string())
    );
    let e = c.refused(transfer("李某"), &legal(), "2024-09-04");
    assert!(e.message.contains("已经移交"), "{e}");
    let facts = EnforcementFault::facts(&c.state);
    assert!(facts
        .iter()
        .any(|f| f.label == "移交（第十八条）：李某" && f.value.contains("阿拉善左旗人民检察院")));
}

/// 004 §19: 向有关责任人员追偿部分或者全部赔偿费用. The compensation the agency paid is recorded
/// once, then recovered from liable people in parts, together never more than was paid.
#[test]
fn s19_compensation_is_recovered_in_part_or_in_full_never_more_004() {
    let mut c = decided_s9();
    let recover = |name: &str, amount: u64| Command::Recover {
        name: name.into(),
        amount,
        reasons: "审批时不采纳正确意见，有重大过失".into(),
    };
    let e = c.refused(recover("李某", 100), &legal(), "2024-10-10");
    assert!(e.message.contains("尚未记录国家赔偿"), "{e}");
    let pay = |amount: u64, on: &str| Command::RecordCompensation {
        amount,
        paid_on: d(on),
        basis: "左公赔决字〔2024〕1号赔偿决定书".into(),
    };
    let e = c.refused(pay(0, "2024-10-09"), &legal(), "2024-10-10");
    assert!(e.message.contains("应当大于零"), "{e}");
    let e = c.refused(pay(1200, "2024-10-11"), &legal(), "2024-10-10");
    assert!(e.message.contains("不能晚于今天"), "{e}");
    let e = c.refused(pay(1200, "2024-10-09"), &insp(), "2024-10-10");
    assert!(e.message.contains("应由法制部门办理"), "{e}");
    c.run(pay(1200, "2024-10-09"), &legal(), "2024-10-10");
    let e = c.refused(pay(1200, "2024-10-09"), &legal(), "2024-10-10");
    assert!(e.message.contains("已经记录国家赔偿"), "{e}");
    let e = c.refused(recover("张某", 100), &legal(), "2024-10-11");
    assert_eq!(e.article.as_deref(), Some("004 §19"));
    c.run(recover("李某", 500), &legal(), "2024-10-11");
    let e = c.refused(recover("李某", 701), &legal(), "2024-10-12");
    assert!(e.message.contains("尚可追偿700元"), "{e}");
    let offered = |c: &Case| {
        EnforcementFault::actions(&c.state, &legal(), &ctx(d("2024-10-12")))
            .iter()
            .any(|a| a.id == "enforcement_fault_recover")
    };
    assert!(offered(&c));
    c.run(recover("李某", 700), &legal(), "2024-10-12");
    assert!(!offered(&c), "nothing is left to recover");
    let comp = c.state.compensation.clone().expect("recorded");
    assert_eq!((comp.amount, comp.recovered()), (1200, 1200));
    let facts = EnforcementFault::facts(&c.state);
    let f = facts
        .iter()
        .find(|f| f.label == "国家赔偿与追偿（第十九条）")
        .expect("the fact");
    assert!(
        f.value.contains("2024年10月9日支付赔偿费用1200元")
            && f.value.contains("向李某追偿500元")
            && f.value.ends_with("已追偿1200元，尚可追偿0元"),
        "{}",
        f.value
    );
}

#[test]
fn s27_appeal_window_and_reply_counted_in_days_on_the_calendar_004() {
    let c = decided_s9();
    let s = &c.state.standings["李某"];
    // 2024-09-02 + 30 日 = 2024-10-02, inside the National Day holiday: the next working day.
    assert_eq!(s.decision.appeal_due, d("2024-10-08"));
    assert_eq!(s.decision.appeal_article, "本地设置");
    assert!(c.docs()[1].text.contains("至2024年10月8日"));
    let appeal = Command::Appeal {
        to: AppealTo::SameLevel,
        reasons: "办案人、审核人意见并非全部正确，不应由本人承担全部责任".into(),
    };
    let mut late = c.clone();
    let e = late.refused(appeal.clone(), &officer("p-li"), "2024-10-09");
    assert!(e.message.contains("2024年10月8日"), "{e}");
    // Only the person dealt with appeals.
    let mut other = c.clone();
    let e = other.refused(appeal.clone(), &officer("p-zhang"), "2024-09-10");
    assert!(e.message.contains("本人"), "{e}");
    let mut c = c;
    c.run(appeal.clone(), &officer("p-li"), "2024-10-08");
    let a = c.state.standings["李某"].appeal.clone().unwrap();
    // 2024-10-08 + 30 日 = 2024-11-07 (a Thursday).
    assert_eq!(a.reply_due, d("2024-11-07"));
    assert_eq!(c.state.stage().0, "appealed");
    let dl = EnforcementFault::deadlines(&c.state, &any_ctx().rules());
    assert_eq!(dl.len(), 1);
    assert_eq!(
        (dl[0].due, dl[0].article.as_str(), dl[0].role),
        (d("2024-11-07"), "004 §27", Role::Inspectorate)
    );
    let e = c.refused(appeal, &officer("p-li"), "2024-10-08");
    assert!(e.message.contains("已经"), "{e}");
    // A reply after the last day is recorded as late.
    c.run(
        Command::AnswerAppeal {
            name: "李某".into(),
            result: AppealResult::Upheld,
            measures: vec![],
            discipline: None,
            reasons: "审批人不采纳正确意见，应当承担全部责任".into(),
        },
        &insp(),
        "2024-11-08",
    );
    assert!(EnforcementFault::deadlines(&c.state, &any_ctx().rules()).is_empty());
    let reply = c.docs().pop().unwrap();
    assert_eq!(reply.kind, DocumentKind::FaultAppealReply);
    assert!(reply.text.contains("维持原决定"));
    assert!(EnforcementFault::facts(&c.state)
        .iter()
        .any(|f| f.value.contains("逾期答复")));
}

#[test]
fn s27_appeal_to_the_higher_agency_is_answered_there_004() {
    let mut c = decided_s9();
    c.run(
        Command::Appeal {
            to: AppealTo::Higher,
            reasons: "不服".into(),
        },
        &officer("p-li"),
        "2024-09-05",
    );
    assert!(EnforcementFault::links(&c.state).contains(&("escalated_to".into(), MENG.into())));
    assert!(EnforcementFault::actions(&c.state, &insp(), &any_ctx())
        .iter()
        .all(|a| a.id != "enforcement_fault_answer_appeal"));
    let answer = Command::AnswerAppeal {
        name: "李某".into(),
        result: AppealResult::Revoked,
        measures: vec![],
        discipline: None,
        reasons: "原决定认定事实不清".into(),
    };
    let e = c.refused(answer.clone(), &insp(), "2024-09-20");
    assert!(e.message.contains("阿拉善盟公安局"), "{e}");
    c.run(answer, &insp_meng(), "2024-09-20");
    let s = &c.state.standings["李某"];
    assert!(s.revoked && s.measures.is_empty());
    let reply = c.docs().pop().unwrap();
    assert!(
        reply.text.ends_with("阿拉善盟公安局\n2024年9月20日"),
        "{}",
        reply.text
    );
    assert_eq!(reply.copy_to, vec!["阿拉善左旗公安局".to_string()]);
}

#[test]
fn s27_reply_may_lighten_but_never_make_heavier_001_s27() {
    let mut c = decided_s9();
    c.run(
        Command::Appeal {
            to: AppealTo::SameLevel,
            reasons: "处理过重".into(),
        },
        &officer("p-li"),
        "2024-09-05",
    );
    let change = |measures: &[&str], discipline: Option<Sanction>| Command::AnswerAppeal {
        name: "李某".into(),
        result: AppealResult::Changed,
        measures: measures.iter().map(|m| m.to_string()).collect(),
        discipline,
        reasons: "综合考虑其认错态度".into(),
    };
    let e = c.refused(
        change(&["circulated_criticism", "suspension"], None),
        &insp(),
        "2024-09-10",
    );
    assert_eq!(e.article.as_deref(), Some("001 §27"));
    let e = c.refused(
        change(&["circulated_criticism"], Some(Sanction::Warning)),
        &insp(),
        "2024-09-10",
    );
    assert_eq!(e.article.as_deref(), Some("001 §27"));
    let e = c.refused(
        change(&["circulated_criticism", "deferred_promotion"], None),
        &insp(),
        "2024-09-10",
    );
    assert!(e.message.contains("维持原决定"), "{e}");
    c.run(
        change(&["circulated_criticism"], None),
        &insp(),
        "2024-09-10",
    );
    assert_eq!(
        c.state.standings["李某"].measures,
        vec!["circulated_criticism"]
    );
}

#[test]
fn s22_decision_and_each_change_are_recorded_in_the_file_004() {
    let mut c = decided_s9();
    let file = Command::RecordInFile {
        name: "李某".into(),
        note: "已归入人事档案".into(),
    };
    let e = c.refused(file.clone(), &legal(), "2024-09-03");
    assert!(e.message.contains("警务督察部门"), "{e}");
    let e = c.refused(
        Command::RecordInFile {
            name: "张某".into(),
            note: String::new(),
        },
        &insp(),
        "2024-09-03",
    );
    assert_eq!(e.article.as_deref(), Some("004 §22"));
    c.run(file.clone(), &insp(), "2024-09-03");
    assert_eq!(c.state.stage().0, "closed");
    c.refused(file.clone(), &insp(), "2024-09-03");
    // An appeal is still possible within its window, and a change asks for a new record.
    c.run(
        Command::Appeal {
            to: AppealTo::SameLevel,
            reasons: "处理过重".into(),
        },
        &officer("p-li"),
        "2024-09-05",
    );
    c.run(
        Command::AnswerAppeal {
            name: "李某".into(),
            result: AppealResult::Changed,
            measures: vec!["circulated_criticism".into()],
            discipline: None,
            reasons: "酌情减轻".into(),
        },
        &insp(),
        "2024-09-10",
    );
    assert_eq!(c.state.stage().0, "decided");
    c.run(file, &insp(), "2024-09-11");
    assert_eq!(c.state.standings["李某"].filed_version, Some(2));
    assert_eq!(c.state.stage().0, "closed");
}

#[test]
fn s20_severe_impact_flags_leadership_responsibility_004() {
    let mut c = assessed(
        overriding_approver(),
        Circumstances {
            severe_impact: true,
            ..Default::default()
        },
    );
    c.run(confirm(), &legal(), "2024-07-05");
    assert!(c.state.confirmation.as_ref().unwrap().leadership);
    assert!(c.docs()[0]
        .text
        .contains("追究领导责任（《规定》第二十条）"));
    assert!(EnforcementFault::facts(&c.state)
        .iter()
        .any(|f| f.label == "领导责任（第二十条）" && f.value == "应当追究"));
    let mut quiet = assessed(overriding_approver(), Circumstances::default());
    quiet.run(confirm(), &legal(), "2024-07-05");
    assert!(!quiet.state.confirmation.unwrap().leadership);
}

#[test]
fn s21_serious_error_bars_the_unit_from_advanced_collective_this_year_004() {
    let mut c = assessed(
        overriding_approver(),
        Circumstances {
            serious_error: true,
            ..Default::default()
        },
    );
    c.run(confirm(), &legal(), "2024-07-05");
    assert_eq!(c.state.award_barred, Some((2024, "serious".to_string())));
    assert!(c.docs()[0]
        .text
        .contains("巴彦浩特派出所发生严重的执法过错，2024年度不得评选为先进集体"));
    // Already barred: no follow-up.
    let mut cx = ctx(d("2024-07-05"));
    cx.recurrence
        .insert("unit:bh|year:2024".into(), vec!["F2024-000001".into()]);
    assert_eq!(EnforcementFault::follow_up(&c.state, &cx), None);
}

#[test]
fn s21_second_error_of_a_unit_in_a_year_bars_it_by_follow_up_004() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    assert!(EnforcementFault::recurrence_keys(&c.state).is_empty());
    c.run(confirm(), &legal(), "2024-07-05");
    assert_eq!(
        EnforcementFault::recurrence_keys(&c.state),
        vec!["unit:bh|year:2024".to_string()]
    );
    assert_eq!(c.state.award_barred, None);
    // No other case of the unit this year: nothing follows.
    let mut cx = ctx(d("2024-07-05"));
    assert_eq!(EnforcementFault::follow_up(&c.state, &cx), None);
    cx.recurrence
        .insert("unit:bh|year:2024".into(), vec!["F2024-000001".into()]);
    let cmd = EnforcementFault::follow_up(&c.state, &cx).unwrap();
    // Only the system records it.
    let e = c.refused(cmd.clone(), &legal(), "2024-07-05");
    assert!(e.message.contains("系统"), "{e}");
    c.try_run_in(cmd, &system(), &cx).unwrap();
    assert_eq!(c.state.award_barred, Some((2024, "repeated".to_string())));
    assert_eq!(EnforcementFault::follow_up(&c.state, &cx), None);
    assert!(EnforcementFault::describe(&c.events.last().unwrap().kind).contains("多次发生执法过错"));
}

#[test]
fn citations_read_as_the_regulation_writes_them() {
    assert_eq!(cite("§6(七)"), "第六条第（七）项");
    assert_eq!(cite("004 §9"), "第九条");
    assert_eq!(cite("§26¶2"), "第二十六条第二款");
    assert_eq!(cite("§14"), "第十四条");
    assert_eq!(cite("000 §7"), "000 §7");
}

#[test]
fn commands_and_events_round_trip_as_json_with_their_action_ids() {
    let c = decided_s9();
    for e in &c.events {
        let json = serde_json::to_string(e).unwrap();
        let back: Event<Kind> = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, e);
    }
    let v = serde_json::to_value(open()).unwrap();
    assert_eq!(v["action"], "enforcement_fault_open");
    for (id, _) in ACTIONS {
        assert!(id.starts_with("enforcement_fault_"), "{id}");
    }
    // A form's circumstances arrive flat; empty optional ids read as absent.
    let cmd: Command = serde_json::from_value(serde_json::json!({
        "action": "enforcement_fault_record_circumstances",
        "mitigations": ["minor_negligence"],
        "severe_impact": true
    }))
    .unwrap();
    assert_eq!(
        cmd,
        Command::RecordCircumstances {
            circumstances: Circumstances {
                mitigations: vec!["minor_negligence".into()],
                severe_impact: true,
                ..Default::default()
            }
        }
    );
    let cmd: Command = serde_json::from_value(serde_json::json!({
        "action": "enforcement_fault_open", "error_type": "refused_duty",
        "error_on": "2024-01-02", "case_name": "x", "description": "y", "unit": "bh"
    }))
    .unwrap();
    assert!(matches!(cmd, Command::Open { unit, .. } if unit == "bh"));
    // A person's empty directory id reads as none.
    let p: CasePerson = serde_json::from_value(serde_json::json!({
        "name": "王某", "role": "appraiser", "person_id": " "
    }))
    .unwrap();
    assert_eq!(p.person_id, None);
}

// ---------------------------------------------------------------------------------------------
// Properties

impl Driven for EnforcementFault {
    const ACTIONS: &'static [(&'static str, &'static str)] = &ACTIONS;

    fn ctx(today: NaiveDate) -> Ctx<'static> {
        ctx(today)
    }

    /// Under pack 004, whose `transfer` and `recovery` procedures decide whether §18 and §19
    /// are offered.
    fn view_ctx() -> Ctx<'static> {
        let mut c = crate::testing::any_ctx();
        c.regulation = Some(crate::testing::regulation(EnforcementFault::PACK));
        c
    }

    fn actors() -> Vec<Actor> {
        vec![
            legal(),
            insp(),
            insp_meng(),
            officer("p-li"),
            officer("p-zhang"),
            officer("p-zhao"),
            officer("p-none"),
            Actor::new("x", &[Role::Office], ZQ),
            head(),
            personnel(),
        ]
    }

    /// A command for `action` that should be accepted when the action is offered.
    fn sample(
        state: &FaultState,
        action: &str,
        actor: &Actor,
        pick: usize,
        today: NaiveDate,
    ) -> Option<Command> {
        let names: Vec<String> = state.people.iter().map(|p| p.name.clone()).collect();
        Some(match action {
            "enforcement_fault_open" => open(),
            "enforcement_fault_record_people" => {
                let mut people = overriding_approver();
                if pick % 3 == 1 {
                    people[2].overrode_correct_opinion = false;
                    for p in &mut people {
                        p.at_fault = true;
                    }
                } else if pick % 3 == 2 {
                    people[0].falsified_or_concealed = true;
                    people[0].at_fault = true;
                }
                Command::RecordPeople { people }
            }
            "enforcement_fault_record_circumstances" => Command::RecordCircumstances {
                circumstances: match pick % 4 {
                    0 => Circumstances::default(),
                    1 => Circumstances {
                        mitigations: vec!["minor_negligence".into()],
                        ..Default::default()
                    },
                    2 => Circumstances {
                        exemptions: vec!["law_unclear".into()],
                        ..Default::default()
                    },
                    _ => Circumstances {
                        aggravations: vec!["repeated_errors".into()],
                        severe_impact: true,
                        serious_error: true,
                        ..Default::default()
                    },
                },
            },
            "enforcement_fault_assess" => Command::Assess {
                assessment: assess(&PACKS, state).ok()?,
            },
            "enforcement_fault_confirm" => confirm(),
            "enforcement_fault_decide" => {
                let name = state.undecided().first()?.name.clone();
                let tolerance = state.confirmation.as_ref()?.outcome == "tolerance";
                let mut cmd = decide(&name, &["circulated_criticism", "deferred_promotion"]);
                if tolerance && pick % 2 == 0 {
                    cmd = decide(&name, &[]);
                    if let Command::Decide { waived, .. } = &mut cmd {
                        *waived = true;
                    }
                }
                cmd
            }
            "enforcement_fault_transfer" => {
                let name = state
                    .liable()
                    .iter()
                    .find(|s| !state.transfers.contains_key(&s.name))?
                    .name
                    .clone();
                transfer(&name)
            }
            "enforcement_fault_record_compensation" => Command::RecordCompensation {
                amount: 1000 + pick as u64,
                paid_on: today,
                basis: "赔偿决定书".into(),
            },
            "enforcement_fault_recover" => {
                let c = state.compensation.as_ref()?;
                Command::Recover {
                    name: state.liable().first()?.name.clone(),
                    amount: c.left().min(300 + pick as u64),
                    reasons: "重大过失".into(),
                }
            }
            "enforcement_fault_approve" => {
                let name = state.submitted.keys().next()?.clone();
                if pick % 4 == 3 {
                    Command::Approve {
                        name,
                        result: ApprovalResult::Returned,
                        reasons: "处理偏轻，重新研究".into(),
                    }
                } else {
                    Command::Approve {
                        name,
                        result: ApprovalResult::Approved,
                        reasons: String::new(),
                    }
                }
            }
            "enforcement_fault_record_in_file" => Command::RecordInFile {
                name: state.unfiled().first()?.decision.name.clone(),
                note: String::new(),
            },
            "enforcement_fault_appeal" => Command::Appeal {
                to: if pick % 2 == 0 {
                    AppealTo::SameLevel
                } else {
                    AppealTo::Higher
                },
                reasons: "不服".into(),
            },
            "enforcement_fault_answer_appeal" => {
                // The actor's own when there is one, else any: an inspectorate elsewhere must be
                // refused it.
                let pending = state.pending_appeals();
                let (name, _) = pending
                    .iter()
                    .find(|(_, a)| a.receiving.id == actor.org_id)
                    .or(pending.first())
                    .copied()?;
                let s = &state.standings[name];
                let (result, measures) = match pick % 3 {
                    0 => (AppealResult::Upheld, vec![]),
                    1 if s.measures.len() > 1 => (AppealResult::Changed, s.measures[..1].to_vec()),
                    _ => (AppealResult::Revoked, vec![]),
                };
                Command::AnswerAppeal {
                    name: name.clone(),
                    result,
                    measures,
                    discipline: s.discipline,
                    reasons: "复查".into(),
                }
            }
            _ => {
                let _ = names;
                return None;
            }
        })
    }

    fn version(state: &FaultState) -> u64 {
        state.version
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Driving a case by the actions offered to random actors (so it reaches decisions and
    /// appeals), and probing every actor and action at each step:
    /// - every action offered to an actor is accepted for a sample command (inside the appeal
    ///   window: at most 20 steps of at most 2 days, the decision at the 6th step at the
    ///   earliest);
    /// - an action not offered to an actor is refused for the sample command;
    /// - replaying the recorded events, read back from JSON, gives the state step by step.
    #[test]
    fn offered_actions_are_accepted_and_replay_equals_incremental_state(
        steps in proptest::collection::vec(
            (0usize..64, 0usize..6, 0u64..3), 1..20)
    ) {
        check_offered_equals_accepted::<EnforcementFault>(d("2024-07-01"), &steps)?;
    }
}

/// §27: the assessment carries exactly the periods the process declares that the pack sets (its
/// only periods: the random walks check that nothing else is read from the case's context),
/// what `lvzhi policy coverage` counts as periods in use.
#[test]
fn s27_the_assessment_carries_exactly_the_declared_periods_004() {
    let c = assessed(overriding_approver(), Circumstances::default());
    let a = c.state.assessment.clone().unwrap();
    let set: std::collections::BTreeSet<String> = PACKS
        .pack(EnforcementFault::PACK)
        .unwrap()
        .period_map()
        .into_keys()
        .filter(|id| EnforcementFault::PERIODS.contains(&id.as_str()))
        .collect();
    assert!(set.contains(APPEAL_REPLY));
    assert_eq!(
        a.periods
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        set
    );
}

/// The regulation of the shipped 004 with its text changed by `edit`.
fn reworded(edit: impl Fn(&str) -> String) -> Regulation {
    let text = edit(include_str!("../../../../packs/004.toml"));
    let pack = lvzhi_rules::parse_pack("packs/004.toml", &text)
        .unwrap_or_else(|e| panic!("the reworded 004 does not load: {e}"));
    crate::regulation_of(&pack)
}

/// Issue 20 item 2: the 决定书 (004 §16, §26¶2) is the governing pack's `[[notice]]`, not the
/// program's: a unit that rewords it, or renames the notice, issues its own words.
#[test]
fn issue20_004_s26_decision_notice_is_the_packs_template() {
    let c = decided_s9();
    let standing = &c.state.standings["李某"];
    let share = c
        .state
        .confirmation
        .as_ref()
        .and_then(|k| k.shares.iter().find(|s| s.name == "李某"))
        .cloned()
        .unwrap_or_else(|| panic!("李某 has no confirmed share"));
    let shipped = decision_document(
        &crate::testing::regulation(EnforcementFault::PACK),
        &c.state,
        &standing.decision,
        &share,
        DEFAULT_APPEAL_FILING,
        d("2024-09-02"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shipped.title, "执法过错责任追究决定书");
    assert!(shipped.text.contains("决定对你作出如下处理：通报批评"));
    let reg = reworded(|t| {
        t.replace(
            "title = \"执法过错责任追究决定书\"",
            "title = \"执法过错责任处理决定书\"",
        )
        .replace(
            "决定对你作出如下处理：{measures}。",
            "现决定给予你以下处理：{measures}。",
        )
    });
    let doc = decision_document(
        &reg,
        &c.state,
        &standing.decision,
        &share,
        DEFAULT_APPEAL_FILING,
        d("2024-09-02"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.title, "执法过错责任处理决定书");
    assert!(
        doc.text.contains("现决定给予你以下处理：通报批评"),
        "{}",
        doc.text
    );
    assert!(!doc.text.contains("决定对你作出如下处理"), "{}", doc.text);
    // Only the words changed: the rest of the notice is the shipped text.
    assert_eq!(
        doc.text
            .replace("现决定给予你以下处理", "决定对你作出如下处理"),
        shipped.text
    );
}

/// A case governed by the 2016 text (004-2016, whose only procedure is `investigation` and
/// which words no notice) still issues its 认定书 and 决定书: the shipped texts of 004, citing
/// 004 (issue 20: a title cited with another regulation's article numbers).
#[test]
fn issue20_004_2016_cases_issue_the_shipped_004_notices() {
    let mut c = assessed(overriding_approver(), Circumstances::default());
    let under = |on: &str| ctx(d(on)).under(crate::testing::regulation("004-2016"));
    c.try_run_in(confirm(), &legal(), &under("2024-07-05"))
        .unwrap_or_else(|e| panic!("{e}"));
    c.try_run_in(
        decide("李某", &["circulated_criticism"]),
        &insp(),
        &under("2024-09-02"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    c.try_run_in(
        Command::Approve {
            name: "李某".into(),
            result: ApprovalResult::Approved,
            reasons: String::new(),
        },
        &head(),
        &under("2024-09-02"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let docs = c.docs();
    assert_eq!(docs.len(), 2);
    // The texts are 004's, and so are their article numbers: they cite 004 (the 1999 text),
    // never the 2016 text under 1999's numbers (its §26 is not the 认定).
    for doc in &docs {
        assert!(
            doc.text.contains(
                "依照《公安机关人民警察执法过错责任追究规定》（以下简称《规定》）第二十六条"
            ),
            "{}",
            doc.text
        );
        assert!(!doc.text.contains("2016年修订"), "{}", doc.text);
    }
    assert_eq!(docs[0].title, "执法过错责任认定书");
    assert_eq!(docs[1].title, "执法过错责任追究决定书");
}
