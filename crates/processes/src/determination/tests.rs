use std::cell::Cell;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use proptest::prelude::*;

use super::*;
use crate::testing::{check_offered_equals_accepted, Case, Driven};

const XAM: &str = "xam-gfdb";
const FJ: &str = "fj-jyglj";
const FZ: &str = "fj-fzjy";

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

thread_local! {
    /// The pack that governs the cases a test drives (`002` or `003`).
    static PACK: Cell<&'static str> = const { Cell::new("002") };
}

fn under(pack: &'static str) {
    PACK.with(|p| p.set(pack));
}

fn d(s: &str) -> NaiveDate {
    crate::testing::day(s)
}

fn org(id: &str, name: &str) -> Org {
    Org {
        id: id.into(),
        name: name.into(),
    }
}

/// The directory as the service gives it: the chain of the handling organisation and the
/// names of the ids a command mentions, under the pack the test selected.
fn ctx(today: NaiveDate) -> Ctx<'static> {
    let pack = PACK.with(Cell::get);
    let mut c = Ctx::new(
        today,
        &CAL,
        crate::testing::periods(ToleranceDetermination::PACK),
    )
    .under(crate::testing::regulation(pack));
    c.org_chain = if pack == "003" {
        vec![org(FZ, "福州监狱"), org(FJ, "福建省监狱管理局")]
    } else {
        vec![org(XAM, "兴安盟国防动员办公室")]
    };
    for (id, name) in [
        (XAM, "兴安盟国防动员办公室"),
        (FJ, "福建省监狱管理局"),
        (FZ, "福州监狱"),
        ("p-liming", "李明"),
        ("p-chenwei", "陈伟"),
        ("p-other", "王磊"),
    ] {
        c.names.insert(id.into(), name.into());
    }
    c
}

fn officer_002() -> Actor {
    Actor::new("p-liming", &[Role::Officer], XAM)
}
fn office_002() -> Actor {
    Actor::new("p-xam-office", &[Role::Office], XAM)
}
fn head_002() -> Actor {
    Actor::new("p-xam-head", &[Role::Director], XAM)
}
fn officer_003() -> Actor {
    Actor::new("p-chenwei", &[Role::Officer], FZ)
}
fn unit_003() -> Actor {
    Actor::new("p-fz-unit", &[Role::Unit], FZ)
}
fn office_003() -> Actor {
    Actor::new("p-fz-office", &[Role::Office], FZ)
}
fn head_003() -> Actor {
    Actor::new("p-fz-head", &[Role::Director], FZ)
}
fn bureau_office() -> Actor {
    Actor::new("p-fj-office", &[Role::Office], FJ)
}

fn apply_002() -> Command {
    Command::DeterminationApply {
        officer: "p-liming".into(),
        unit: XAM.into(),
        org: XAM.into(),
        matter: "在一次行政检查中，因企业隐瞒情况，未能及时发现消防通道堵塞的问题".into(),
        occurred_on: d("2026-03-02"),
        reasons: "已按检查程序逐项检查，企业故意隐瞒".into(),
    }
}

fn early_003() -> Command {
    Command::DeterminationEarlyInvolvement {
        officer: "p-chenwei".into(),
        unit: FZ.into(),
        org: FZ.into(),
        matter: "处置罪犯突发疾病时判断失误，延误送医约二十分钟".into(),
        occurred_on: d("2026-03-02"),
        measures: "调取监控录像，询问在场民警，固定值班记录".into(),
    }
}

fn conclude(verdict: Verdict, treatment: Option<Treatment>, grounds: &[&str]) -> Command {
    Command::DeterminationConclude {
        verdict,
        treatment,
        grounds: grounds.iter().map(|g| g.to_string()).collect(),
        analysis: "主观上无故意，程序上已履行检查职责，后果已及时消除".into(),
        weighing: if PACK.with(Cell::get) == "003" {
            weighing()
        } else {
            Weighing::default()
        },
    }
}

/// 003 §5's four looks, as a 福州监狱 committee writes them.
fn weighing() -> Weighing {
    Weighing {
        motive: "系监控设备故障等客观条件造成，无主观故意".into(),
        process: "按规定逐级报告并经监区集体研究".into(),
        policy: "符合监狱安全管理规定，无明令禁止情形".into(),
        consequence: "未造成不可挽回的损失，已及时消除隐患".into(),
    }
}

fn investigate() -> Command {
    Command::DeterminationInvestigate {
        findings: "调取检查记录和企业台账，询问相关人员，事实清楚".into(),
    }
}

/// A 002 case applied for, investigated and concluded (容错, 免除 under §10(五)).
fn concluded_002() -> Case<ToleranceDetermination> {
    under("002");
    let mut c = Case::default();
    c.run(apply_002(), &officer_002(), "2026-03-03");
    c.run(investigate(), &office_002(), "2026-03-06");
    c.run(
        conclude(Verdict::Tolerated, Some(Treatment::Waived), &["r10_5"]),
        &head_002(),
        "2026-03-10",
    );
    c
}

/// A 003 case: early involvement, the officer's application and the investigation (2026-03-09).
fn investigated_003() -> Case<ToleranceDetermination> {
    under("003");
    let mut c = Case::default();
    c.run(early_003(), &office_003(), "2026-03-02");
    c.run(
        Command::DeterminationRequest {
            reasons: "突发事件处置中的判断失误，非主观故意".into(),
        },
        &officer_003(),
        "2026-03-04",
    );
    c.run(investigate(), &office_003(), "2026-03-09");
    c
}

/// [`investigated_003`], then the conclusion (容错, 减轻 under §6(七)) and the written reply.
fn replied_003() -> Case<ToleranceDetermination> {
    let mut c = investigated_003();
    c.run(
        conclude(Verdict::Tolerated, Some(Treatment::Reduced), &["r6_7"]),
        &head_003(),
        "2026-03-16",
    );
    c.run(
        Command::DeterminationReply {
            explanation: String::new(),
        },
        &office_003(),
        "2026-03-17",
    );
    c
}

fn ids(specs: &[ActionSpec]) -> Vec<&str> {
    specs.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn art_002_13_the_party_group_decides_and_the_persons_concerned_are_told_within_7_days() {
    let mut c = concluded_002();
    let s = &c.state;
    assert_eq!(s.stage(), Stage::Decided);
    let concl = s.conclusion.as_ref().unwrap();
    assert_eq!(concl.committee, "中共兴安盟国防动员办公室党组");
    assert_eq!(concl.grounds_cited(), "002 §10(五)");
    // 7 日 from the conclusion (2026-03-10): 2026-03-17, the office's step.
    let dl = ToleranceDetermination::deadlines(s, &ctx(d("2026-03-10")).rules());
    assert_eq!(dl.len(), 1);
    assert_eq!(dl[0].due, d("2026-03-17"));
    assert_eq!(dl[0].article, "002 §13");
    assert_eq!(dl[0].role, Role::Office);
    // Only the committee's head (or deputy) concludes; the office tells.
    let cx = ctx(d("2026-03-11"));
    assert!(ids(&ToleranceDetermination::actions(s, &office_002(), &cx))
        .contains(&"determination_notify"));
    c.run(
        Command::DeterminationNotify {
            units: vec!["兴安盟国防动员办公室执法科".into()],
        },
        &office_002(),
        "2026-03-12",
    );
    assert!(ToleranceDetermination::deadlines(&c.state, &cx.rules()).is_empty());
    let docs = c.docs();
    assert_eq!(docs.len(), 1);
    let n = &docs[0];
    assert_eq!(n.kind, DocumentKind::DeterminationNotice);
    assert_eq!(n.title, "容错认定结论告知书");
    assert_eq!(n.addressee, "李明同志");
    assert_eq!(n.copy_to, ["兴安盟国防动员办公室执法科"]);
    for part in [
        "你提出容错认定申请",
        "中共兴安盟国防动员办公室党组依照《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》（以下简称《制度》）第十三条的规定进行综合分析研判，于2026年3月10日作出认定结论：对你予以容错，免除责任。",
        "认定依据：《制度》第十条第（五）项。",
        "依照《制度》第十四条的规定，本次予以容错的事项，不作为执法错误认定。",
        "现将认定结论书面告知你，并告知兴安盟国防动员办公室执法科。",
        "\n\n兴安盟国防动员办公室\n2026年3月12日",
    ] {
        assert!(n.text.contains(part), "{part} missing in {}", n.text);
    }
}

#[test]
fn art_002_13_an_overdue_notification_shows_as_overdue() {
    let c = concluded_002();
    let late = d("2026-03-20");
    let dl = ToleranceDetermination::deadlines(&c.state, &ctx(late).rules());
    assert!(dl[0].due < late, "the notification is overdue on {late}");
    // Telling late is still recorded (the deadline is not a bar), and ends the step.
    let mut c = c;
    c.run(
        Command::DeterminationNotify { units: vec![] },
        &office_002(),
        "2026-03-20",
    );
    assert!(ToleranceDetermination::deadlines(&c.state, &ctx(late).rules()).is_empty());
}

#[test]
fn art_002_13_publication_is_recorded() {
    let mut c = concluded_002();
    c.run(
        Command::DeterminationNotify { units: vec![] },
        &office_002(),
        "2026-03-12",
    );
    assert_eq!(c.state.stage(), Stage::Notified);
    // Publishing needs a scope and a means; not publishing, a reason.
    let e = c.refused(
        Command::DeterminationPublish {
            published: false,
            scope: String::new(),
            means: None,
            reason: " ".into(),
        },
        &office_002(),
        "2026-03-13",
    );
    assert!(e.message.contains("不公开的理由"), "{e}");
    let mut other = c.clone();
    other.run(
        Command::DeterminationPublish {
            published: false,
            scope: String::new(),
            means: None,
            reason: "涉及企业商业秘密".into(),
        },
        &office_002(),
        "2026-03-13",
    );
    assert_eq!(other.state.stage(), Stage::Closed);
    assert!(ToleranceDetermination::facts(&other.state)
        .iter()
        .any(|f| f.label == "公开" && f.value.contains("决定不公开：涉及企业商业秘密")));
    c.run(
        Command::DeterminationPublish {
            published: true,
            scope: "本办全体执法人员".into(),
            means: Some(Means::Meeting),
            reason: String::new(),
        },
        &office_002(),
        "2026-03-13",
    );
    assert_eq!(c.state.stage(), Stage::Closed);
    let p = c.state.publication.as_ref().unwrap();
    assert_eq!(
        (p.scope.as_str(), p.means),
        ("本办全体执法人员", Some(Means::Meeting))
    );
    assert!(
        ToleranceDetermination::describe(&c.events.last().unwrap().kind)
            .contains("本办全体执法人员")
    );
}

#[test]
fn art_002_12_an_exclusion_wins_over_every_excuse() {
    under("002");
    let mut c = Case::<ToleranceDetermination>::default();
    c.run(apply_002(), &officer_002(), "2026-03-03");
    c.run(investigate(), &office_002(), "2026-03-06");
    let e = c.refused(
        conclude(
            Verdict::Tolerated,
            Some(Treatment::Waived),
            &["r10_5", "r12"],
        ),
        &head_002(),
        "2026-03-10",
    );
    assert!(e.message.contains("《制度》第十二条"), "{e}");
    assert_eq!(e.article.as_deref(), Some("002 §12"));
    // 容错 needs an excuse that allows the treatment (§11: 从轻、减轻 only).
    let e = c.refused(
        conclude(Verdict::Tolerated, Some(Treatment::Waived), &["r11_1"]),
        &head_002(),
        "2026-03-10",
    );
    assert!(e.message.contains("免除责任"), "{e}");
    // 不予容错 rests on the bar (or on nothing), never on excuses alone.
    c.refused(
        conclude(Verdict::NotTolerated, None, &["r10_5"]),
        &head_002(),
        "2026-03-10",
    );
    c.run(
        conclude(Verdict::NotTolerated, None, &["r10_5", "r12"]),
        &head_002(),
        "2026-03-10",
    );
    c.run(
        Command::DeterminationNotify { units: vec![] },
        &office_002(),
        "2026-03-11",
    );
    let n = &c.docs()[0];
    assert!(n.text.contains("对你不予容错"), "{}", n.text);
    assert!(!n.text.contains("不作为执法错误认定"), "{}", n.text);
    // Not tolerated: nothing to publish; the case is done.
    assert_eq!(c.state.stage(), Stage::Closed);
}

#[test]
fn art_002_13_the_party_group_may_start_a_determination_itself() {
    under("002");
    let cx = ctx(d("2026-03-03"));
    let offered = ToleranceDetermination::actions(&State::default(), &office_002(), &cx);
    assert_eq!(ids(&offered), ["determination_start"]);
    assert!(offered[0].label.contains("办党组"), "{}", offered[0].label);
    assert_eq!(offered[0].article, "002 §13");
    let mut c = Case::<ToleranceDetermination>::default();
    c.run(
        Command::DeterminationStart {
            officer: "p-liming".into(),
            unit: XAM.into(),
            org: XAM.into(),
            matter: "行政处罚决定因相对人提供虚假材料而错误".into(),
            occurred_on: d("2026-02-27"),
            reasons: "办党组研究认为需对该执法人员启动容错免责认定".into(),
        },
        &office_002(),
        "2026-03-03",
    );
    assert_eq!(c.state.stage(), Stage::Investigating);
    // The officer cannot conclude, nor the office.
    c.run(investigate(), &office_002(), "2026-03-04");
    for a in [office_002(), officer_002()] {
        c.refused(
            conclude(Verdict::Tolerated, Some(Treatment::Waived), &["r9_2"]),
            &a,
            "2026-03-05",
        );
    }
}

#[test]
fn steps_exist_only_where_the_governing_pack_provides_them() {
    // 002 has no early involvement, reply, review or filing.
    under("002");
    let cx = ctx(d("2026-03-03"));
    let mut c = Case::<ToleranceDetermination>::default();
    let e = c.refused(early_003_at(XAM), &office_002(), "2026-03-03");
    assert!(e.message.contains("未规定提前介入"), "{e}");
    let mut c = concluded_002();
    let e = c.refused(
        Command::DeterminationReply {
            explanation: String::new(),
        },
        &office_002(),
        "2026-03-11",
    );
    assert!(e.message.contains("未规定回复反馈"), "{e}");
    assert!(!ids(&ToleranceDetermination::actions(
        &c.state,
        &office_002(),
        &cx
    ))
    .contains(&"determination_reply"));
    // 003 has no 党组 start, 7-日 notification or publication.
    under("003");
    let cx = ctx(d("2026-03-03"));
    let offered = ToleranceDetermination::actions(&State::default(), &office_003(), &cx);
    assert_eq!(ids(&offered), ["determination_early_involvement"]);
    let offered = ToleranceDetermination::actions(&State::default(), &unit_003(), &cx);
    assert_eq!(ids(&offered), ["determination_apply"]);
    let c = replied_003();
    assert!(c.state.notify_due.is_none());
    assert!(ToleranceDetermination::deadlines(&c.state, &cx.rules()).is_empty());
    let mut c = c;
    let e = c.refused(
        Command::DeterminationNotify { units: vec![] },
        &office_003(),
        "2026-03-18",
    );
    assert!(e.message.contains("未规定告知认定结论"), "{e}");
    // With no regulation at all, nothing is offered and nothing decided.
    let bare = Ctx::new(d("2026-03-03"), &CAL, crate::Periods::none());
    assert!(ToleranceDetermination::actions(&State::default(), &office_002(), &bare).is_empty());
    assert!(
        ToleranceDetermination::decide(&State::default(), &apply_002(), &officer_002(), &bare)
            .is_err()
    );
}

fn early_003_at(org: &str) -> Command {
    let mut c = early_003();
    if let Command::DeterminationEarlyInvolvement {
        officer,
        unit,
        org: o,
        ..
    } = &mut c
    {
        *officer = "p-liming".into();
        *unit = org.into();
        *o = org.into();
    }
    c
}

#[test]
fn art_003_13_early_involvement_application_review_and_reply() {
    under("003");
    let mut c = Case::<ToleranceDetermination>::default();
    c.run(early_003(), &office_003(), "2026-03-02");
    assert_eq!(c.state.stage(), Stage::EarlyInvolvement);
    assert_eq!(c.state.above, Some(org(FJ, "福建省监狱管理局")));
    // Investigation waits for the application (当事人或单位主动申请).
    c.refused(investigate(), &office_003(), "2026-03-03");
    let cx = ctx(d("2026-03-03"));
    assert_eq!(
        ids(&ToleranceDetermination::actions(&c.state, &unit_003(), &cx)),
        ["determination_request"]
    );
    let c = replied_003();
    let docs = c.docs();
    let n = &docs[0];
    assert_eq!(n.title, "容错免责认定结果回复反馈书");
    for part in [
        "福州监狱民警依法履职保护委员会办公室对你在工作中出现的问题提前介入；2026年3月4日，你提出容错认定申请",
        "福州监狱民警依法履职保护委员会依照《福建省监狱人民警察依法履职保护实施办法（试行）》（以下简称《实施办法》）第十三条的规定",
        "对你予以容错，减轻处理。",
        "认定依据：《实施办法》第六条第（七）项。",
        "可以向福州监狱民警依法履职保护委员会提出复议申述",
        "\n\n福州监狱民警依法履职保护委员会办公室\n2026年3月17日",
    ] {
        assert!(n.text.contains(part), "{part} missing in {}", n.text);
    }
    // 003 carries no 002 §14 procedure: nothing said of enforcement errors.
    assert!(!n.text.contains("执法错误认定"), "{}", n.text);
    // The officer asks for a review; the committee changes the conclusion.
    let mut c = c;
    c.run(
        Command::DeterminationRequestReview {
            reasons: "送医延误系监区医务室值班医生未到岗所致，请求免除责任".into(),
        },
        &officer_003(),
        "2026-03-19",
    );
    assert_eq!(c.state.stage(), Stage::ReviewRequested);
    // Filing waits for the answer.
    c.refused(
        Command::DeterminationFile {
            note: String::new(),
        },
        &office_003(),
        "2026-03-20",
    );
    c.run(
        Command::DeterminationAnswerReview {
            maintained: false,
            reasons: "经复核值班记录，延误主要因医务人员未到岗".into(),
            verdict: Some(Verdict::Tolerated),
            treatment: Some(Treatment::Waived),
            grounds: vec!["r6_7".into(), "r6_8".into()],
        },
        &head_003(),
        "2026-03-24",
    );
    let c = &c;
    assert_eq!(
        c.state.conclusion.as_ref().map(|x| x.zh()),
        Some("予以容错，免除责任".to_string())
    );
    let reply = &c.docs()[1];
    assert_eq!(reply.kind, DocumentKind::DeterminationReviewReply);
    assert!(
        reply
            .text
            .contains("决定变更原认定结论：对你予以容错，免除责任。"),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .ends_with("福州监狱民警依法履职保护委员会\n2026年3月24日"),
        "{}",
        reply.text
    );
}

/// 003 §5: 认定责任性质，综合考虑…看动机…看程序…看政策…看后果. Under 003 the conclusion must
/// say each of the four (refused citing §5 when one is missing), and the reply and the facts
/// carry them; under 002, which has no such article, they are not asked for and refused.
#[test]
fn art_003_5_the_conclusion_weighs_motive_process_policy_and_consequence() {
    let mut c = investigated_003();
    let cx = ctx(d("2026-03-16"));
    let spec = ToleranceDetermination::actions(&c.state, &head_003(), &cx)
        .into_iter()
        .find(|a| a.id == "determination_conclude")
        .expect("the conclusion is offered");
    let names: Vec<&str> = spec.fields.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.ends_with(&["motive", "process", "policy", "consequence"]),
        "{names:?}"
    );
    let mut partial = conclude(Verdict::Tolerated, Some(Treatment::Reduced), &["r6_7"]);
    if let Command::DeterminationConclude { weighing, .. } = &mut partial {
        weighing.policy.clear();
    }
    let e = c.refused(partial, &head_003(), "2026-03-16");
    assert_eq!(e.article.as_deref(), Some("003 §5"));
    assert!(e.message.contains("看政策"), "{e}");
    let c = replied_003();
    let facts = ToleranceDetermination::facts(&c.state);
    assert!(
        facts.iter().any(|f| f.label == "认定责任性质"
            && f.value
                .starts_with("看动机：系监控设备故障等客观条件造成，无主观故意；看程序：")),
        "{facts:?}"
    );
    let reply = &c.docs()[0];
    assert!(
        reply.text.contains(
            "依照《实施办法》第五条，综合考虑问题发生的动机态度、客观条件、程序方法、性质程度、后果影响及挽回损失等情况：看动机，系监控设备故障等客观条件造成，无主观故意；看程序，按规定逐级报告并经监区集体研究；"
        ),
        "{}",
        reply.text
    );
    // 002 has no §5 of this kind: a conclusion there neither asks for nor takes them.
    under("002");
    let cx = ctx(d("2026-03-16"));
    let names: Vec<String> = fields("determination_conclude", cx.regulation.as_ref())
        .iter()
        .map(|f| f.name.clone())
        .collect();
    assert!(!names.contains(&"motive".to_string()), "{names:?}");
}

#[test]
fn art_003_13_the_determination_is_filed_with_the_provincial_bureau() {
    let mut c = replied_003();
    let cx = ctx(d("2026-03-18"));
    let offered = ToleranceDetermination::actions(&c.state, &office_003(), &cx);
    let file = offered
        .iter()
        .find(|s| s.id == "determination_file")
        .expect("filing offered after the reply");
    assert_eq!(file.label, "报福建省监狱管理局民警依法履职保护委员会备案");
    c.run(
        Command::DeterminationFile {
            note: String::new(),
        },
        &office_003(),
        "2026-03-18",
    );
    assert_eq!(c.state.stage(), Stage::Filed);
    let report = c.docs().pop().unwrap();
    assert_eq!(report.kind, DocumentKind::DeterminationFiling);
    assert_eq!(report.addressee, "福建省监狱管理局民警依法履职保护委员会");
    for part in [
        "福州监狱陈伟同志容错免责认定一案",
        "已于2026年3月17日书面回复反馈本人",
        // The regulation in full at its first citation, before the grounds cite it by its short
        // name; the short name after.
        "本委员会依照《福建省监狱人民警察依法履职保护实施办法（试行）》（以下简称《实施办法》）第十三条的规定于2026年3月16日作出认定结论：予以容错，减轻处理。",
        "认定依据：《实施办法》第六条第（七）项。已于2026年3月17日书面回复反馈本人。",
        "依照《实施办法》第十三条的规定，现将认定情况报请备案。",
        "\n\n福州监狱民警依法履职保护委员会\n2026年3月18日",
    ] {
        assert!(report.text.contains(part), "{part} missing in {}", report.text);
    }
    // No more 复议申述 once filed; only the 省局's office acknowledges.
    c.refused(
        Command::DeterminationRequestReview {
            reasons: "不服".into(),
        },
        &officer_003(),
        "2026-03-19",
    );
    let ack = Command::DeterminationAcknowledgeFiling {
        note: String::new(),
    };
    c.refused(ack.clone(), &office_003(), "2026-03-19");
    assert_eq!(
        ids(&ToleranceDetermination::actions(
            &c.state,
            &bureau_office(),
            &cx
        )),
        ["determination_acknowledge_filing"]
    );
    c.run(ack, &bureau_office(), "2026-03-20");
    assert_eq!(c.state.stage(), Stage::Closed);
    assert!(ToleranceDetermination::facts(&c.state)
        .iter()
        .any(|f| f.label == "情况备案"
            && f.value
                .contains("福建省监狱管理局备案，2026年3月20日确认收到")));
}

/// Every notice of the process, for a 002 case and a 003 case, names only the bodies and the
/// regulation title its governing pack gives: no other pack's title in 《》, and none of the
/// other packs' body names that the governing pack does not share.
#[test]
fn every_notice_names_only_the_bodies_and_the_title_its_governing_pack_gives() {
    // 002: the 告知书 (容错 and 不予容错).
    let mut c002 = concluded_002();
    c002.run(
        Command::DeterminationNotify {
            units: vec!["兴安盟国防动员办公室执法科".into()],
        },
        &office_002(),
        "2026-03-12",
    );
    // 003: the reply, the review's answer, the filing report.
    let mut c003 = replied_003();
    c003.run(
        Command::DeterminationRequestReview {
            reasons: "请求免除责任".into(),
        },
        &officer_003(),
        "2026-03-19",
    );
    c003.run(
        Command::DeterminationAnswerReview {
            maintained: true,
            reasons: "原认定事实清楚，处理适当".into(),
            verdict: None,
            treatment: None,
            grounds: vec![],
        },
        &head_003(),
        "2026-03-24",
    );
    c003.run(
        Command::DeterminationFile {
            note: "请予备案".into(),
        },
        &office_003(),
        "2026-03-25",
    );
    let kinds: Vec<DocumentKind> = c003.docs().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DocumentKind::DeterminationNotice,
            DocumentKind::DeterminationReviewReply,
            DocumentKind::DeterminationFiling
        ]
    );
    let set = crate::testing::shipped();
    for (pack, docs) in [("002", c002.docs()), ("003", c003.docs())] {
        let reg = crate::testing::regulation(pack);
        let own: Vec<String> = [
            reg.bodies().committee.clone(),
            reg.bodies().office.clone(),
            reg.bodies().committee_short.clone(),
            reg.bodies().office_short.clone(),
        ]
        .to_vec();
        for doc in &docs {
            // Every regulation named is the governing one, in full or by its short title.
            let mut rest = doc.text.as_str();
            while let Some(i) = rest.find('《') {
                let after = &rest[i + '《'.len_utf8()..];
                let Some(j) = after.find('》') else { break };
                let title = &after[..j];
                assert!(
                    title == reg.pack.title || title == reg.pack.short_title,
                    "{pack} {}: names 《{title}》: {}",
                    doc.title,
                    doc.text
                );
                rest = &after[j..];
            }
            // No other pack's body names, unless the governing pack shares them.
            for other in set.packs().filter(|p| p.meta.id != pack) {
                let Some(b) = &other.bodies else { continue };
                let mut names: Vec<String> = Vec::new();
                for template in [&b.committee, &b.office] {
                    names.extend(template.split("{org}").map(str::to_string));
                }
                names.push(b.committee_short.clone());
                names.push(b.office_short.clone());
                for name in names.iter().filter(|n| n.chars().count() >= 2) {
                    if own.iter().any(|o| o.contains(name.as_str())) {
                        continue;
                    }
                    assert!(
                        !doc.text.contains(name.as_str()),
                        "{pack} {} names {name} of pack {}: {}",
                        doc.title,
                        other.meta.id,
                        doc.text
                    );
                }
            }
            assert!(
                !doc.text.contains("p-") && !doc.text.contains("fj-") && !doc.text.contains("xam-"),
                "{}",
                doc.text
            );
            assert!(
                lvzhi_case::doubled_phrase(&doc.text).is_none(),
                "{}",
                doc.text
            );
        }
    }
}

/// The governing pack `pack` with its shipped text changed by `edit`: a unit's own copy that
/// rewords a notice.
fn reworded(pack: &str, edit: impl Fn(String) -> String) -> Regulation {
    let shipped = match pack {
        "002" => include_str!("../../../../packs/002.toml"),
        _ => include_str!("../../../../packs/003.toml"),
    };
    let text = edit(shipped.to_string());
    assert_ne!(text, shipped, "the edit changes the pack");
    let mut reg = crate::testing::regulation(pack);
    reg.notices = lvzhi_case::notice::notices_of(&format!("{pack}.toml"), &text)
        .unwrap_or_else(|e| panic!("{e}"));
    reg
}

/// Issue 20 item 2, 002 §13: the 告知书 is the governing pack's text — a pack that rewords it
/// (and renames it) changes the notice issued, with the values of the record filled in.
#[test]
fn issue20_002_s13_notice_is_the_packs_template() {
    let mut c = concluded_002();
    let reg = reworded("002", |t| {
        t.replace("现将认定结论书面告知你", "现以书面形式将认定结论告知你")
            .replace(
                "title = \"容错认定结论告知书\"",
                "title = \"关于{officer}同志容错认定结论的告知书\"",
            )
    });
    let cx = Ctx {
        regulation: Some(reg),
        ..ctx(d("2026-03-12"))
    };
    c.try_run_in(
        Command::DeterminationNotify { units: vec![] },
        &office_002(),
        &cx,
    )
    .unwrap();
    let n = &c.docs()[0];
    assert_eq!(n.title, "关于李明同志容错认定结论的告知书");
    assert!(
        n.text
            .contains("依照《制度》第十三条的规定，现以书面形式将认定结论告知你。"),
        "{}",
        n.text
    );
}

/// Issue 20 item 2, 003 §13: the reply, the answer to a 复议申述 and the 备案报告 are the
/// governing pack's texts.
#[test]
fn issue20_003_s13_reply_review_and_filing_are_the_packs_templates() {
    let mut c = investigated_003();
    let reg = reworded("003", |t| {
        t.replace("　　特此回复。", "　　此复。")
            .replace("　　特此答复。", "　　此复。")
            .replace("现将认定情况报请备案。", "现将认定情况报请备案，请予审查。")
    });
    let cx = |on: &str| Ctx {
        regulation: Some(reg.clone()),
        ..ctx(d(on))
    };
    for (cmd, actor, on) in [
        (
            conclude(Verdict::Tolerated, Some(Treatment::Reduced), &["r6_7"]),
            head_003(),
            "2026-03-16",
        ),
        (
            Command::DeterminationReply {
                explanation: String::new(),
            },
            office_003(),
            "2026-03-17",
        ),
        (
            Command::DeterminationRequestReview {
                reasons: "请求免除责任".into(),
            },
            officer_003(),
            "2026-03-19",
        ),
        (
            Command::DeterminationAnswerReview {
                maintained: true,
                reasons: "原认定事实清楚".into(),
                verdict: None,
                treatment: None,
                grounds: vec![],
            },
            head_003(),
            "2026-03-24",
        ),
        (
            Command::DeterminationFile {
                note: String::new(),
            },
            office_003(),
            "2026-03-25",
        ),
    ] {
        c.try_run_in(cmd, &actor, &cx(on)).unwrap();
    }
    let docs = c.docs();
    assert_eq!(docs.len(), 3);
    assert!(docs[0].text.contains("\n　　此复。\n"), "{}", docs[0].text);
    assert!(docs[1].text.contains("\n　　此复。\n"), "{}", docs[1].text);
    assert!(
        docs[2]
            .text
            .contains("依照《实施办法》第十三条的规定，现将认定情况报请备案，请予审查。"),
        "{}",
        docs[2].text
    );
}

/// A pack that words the process's notices but not the one a step issues: the step is refused
/// with a formal message, never a panic.
#[test]
fn issue20_a_pack_without_the_text_of_a_step_refuses_it() {
    let mut c = concluded_002();
    let mut reg = crate::testing::regulation("002");
    // Another kind of the process worded (as a unit's pack might), the 告知书 not.
    let reply = crate::testing::regulation("003")
        .notices
        .get("determination_reply")
        .cloned()
        .expect("003 words the reply");
    reg.notices.retain(|k, _| k != "determination_notice");
    reg.notices.insert("determination_reply".into(), reply);
    let cx = Ctx {
        regulation: Some(reg),
        ..ctx(d("2026-03-12"))
    };
    let e = c
        .try_run_in(
            Command::DeterminationNotify { units: vec![] },
            &office_002(),
            &cx,
        )
        .unwrap_err();
    assert!(e.message.contains("未载明容错认定结论告知书的文本"), "{e}");
}

/// The 7-日 notification is the one period a case reads, and the one it declares.
#[test]
fn reads_exactly_the_periods_it_declares() {
    under("002");
    let periods = crate::testing::recording(ToleranceDetermination::PACK);
    let mut c = Case::<ToleranceDetermination>::default();
    let cx = |on: &str| Ctx {
        periods: &periods,
        ..ctx(d(on))
    };
    c.try_run_in(apply_002(), &officer_002(), &cx("2026-03-03"))
        .unwrap();
    c.try_run_in(investigate(), &office_002(), &cx("2026-03-04"))
        .unwrap();
    c.try_run_in(
        conclude(Verdict::Tolerated, Some(Treatment::Reduced), &["r11_2"]),
        &head_002(),
        &cx("2026-03-05"),
    )
    .unwrap();
    crate::testing::assert_reads_declared::<ToleranceDetermination>(&periods);
}

// ---------------------------------------------------------------------------------------------
// Properties

impl Driven for ToleranceDetermination {
    const ACTIONS: &'static [(&'static str, &'static str)] = &ACTIONS;

    fn ctx(today: NaiveDate) -> Ctx<'static> {
        ctx(today)
    }

    fn view_ctx() -> Ctx<'static> {
        let mut c = crate::testing::any_ctx();
        c.regulation = Some(crate::testing::regulation(PACK.with(Cell::get)));
        c
    }

    fn actors() -> Vec<Actor> {
        vec![
            officer_002(),
            office_002(),
            head_002(),
            Actor::new("p-xam-deputy", &[Role::DeputyDirector], XAM),
            officer_003(),
            unit_003(),
            office_003(),
            head_003(),
            bureau_office(),
            Actor::new("p-other", &[Role::Officer], FZ),
            Actor::new("p-fj-head", &[Role::Director], FJ),
        ]
    }

    fn sample(
        state: &State,
        action: &str,
        actor: &Actor,
        pick: usize,
        today: NaiveDate,
    ) -> Option<Command> {
        let pack = PACK.with(Cell::get);
        let (officer, unit) = match (actor.has(Role::Officer), pack) {
            (true, _) => (actor.person_id.clone(), actor.org_id.clone()),
            (false, "003") => ("p-chenwei".to_string(), FZ.to_string()),
            _ => ("p-liming".to_string(), XAM.to_string()),
        };
        let org = if pack == "003" { FZ } else { XAM }.to_string();
        let org = if actor.has(Role::Office) {
            actor.org_id.clone()
        } else {
            org
        };
        let occurred_on = today - chrono::Days::new(3);
        // Grounds each pack offers: an excuse allowing every treatment, one allowing two, a bar.
        let (wide, narrow, bar) = if pack == "003" {
            ("r6_4", "r7", "r11")
        } else {
            ("r10_4", "r11_1", "r12")
        };
        let verdict = |pick: usize| -> (Verdict, Option<Treatment>, Vec<String>) {
            match pick % 4 {
                0 => (
                    Verdict::Tolerated,
                    Some(Treatment::Waived),
                    vec![wide.into()],
                ),
                1 => (
                    Verdict::Tolerated,
                    Some(Treatment::Lighter),
                    vec![narrow.into()],
                ),
                2 => (Verdict::NotTolerated, None, vec![bar.into(), wide.into()]),
                _ => (Verdict::NotTolerated, None, vec![]),
            }
        };
        Some(match action {
            "determination_start" => Command::DeterminationStart {
                officer,
                unit,
                org,
                matter: "执法检查中的失误".into(),
                occurred_on,
                reasons: "办党组决定启动".into(),
            },
            "determination_early_involvement" => Command::DeterminationEarlyInvolvement {
                officer,
                unit,
                org,
                matter: "处置中的失误".into(),
                occurred_on,
                measures: "固定证据".into(),
            },
            "determination_apply" => Command::DeterminationApply {
                officer,
                unit: actor.org_id.clone(),
                org: if pack == "003" { FZ } else { XAM }.to_string(),
                matter: "工作中的失误".into(),
                occurred_on,
                reasons: "非主观故意".into(),
            },
            "determination_request" => Command::DeterminationRequest {
                reasons: "申请认定".into(),
            },
            "determination_investigate" => investigate(),
            "determination_conclude" => {
                let (verdict, treatment, grounds) = verdict(pick);
                Command::DeterminationConclude {
                    verdict,
                    treatment,
                    grounds,
                    analysis: "综合分析研判".into(),
                    weighing: if PACK.with(Cell::get) == "003" {
                        weighing()
                    } else {
                        Weighing::default()
                    },
                }
            }
            "determination_notify" => Command::DeterminationNotify {
                units: if pick % 2 == 0 {
                    vec![]
                } else {
                    vec!["执法科".into()]
                },
            },
            "determination_publish" => {
                if pick % 2 == 0 {
                    Command::DeterminationPublish {
                        published: true,
                        scope: "本单位".into(),
                        means: Some(Means::Circular),
                        reason: String::new(),
                    }
                } else {
                    Command::DeterminationPublish {
                        published: false,
                        scope: String::new(),
                        means: None,
                        reason: "涉密".into(),
                    }
                }
            }
            "determination_reply" => Command::DeterminationReply {
                explanation: if pick % 2 == 0 {
                    String::new()
                } else {
                    "另行说明".into()
                },
            },
            "determination_request_review" => Command::DeterminationRequestReview {
                reasons: "不服".into(),
            },
            "determination_answer_review" => {
                let current = state.conclusion.as_ref()?;
                if pick % 2 == 0 {
                    Command::DeterminationAnswerReview {
                        maintained: true,
                        reasons: "维持".into(),
                        verdict: None,
                        treatment: None,
                        grounds: vec![],
                    }
                } else {
                    // A change: to whichever of two conclusions differs from the current one.
                    let (mut v, mut t, mut g) = verdict(0);
                    if current.verdict == v && current.treatment == t {
                        (v, t, g) = verdict(3);
                    }
                    Command::DeterminationAnswerReview {
                        maintained: false,
                        reasons: "变更".into(),
                        verdict: Some(v),
                        treatment: t,
                        grounds: g,
                    }
                }
            }
            "determination_file" => Command::DeterminationFile {
                note: String::new(),
            },
            "determination_acknowledge_filing" => Command::DeterminationAcknowledgeFiling {
                note: "收悉".into(),
            },
            _ => return None,
        })
    }

    fn version(state: &State) -> u64 {
        state.version
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Under 002: offered iff accepted for every actor and action at every step; replay equals
    /// the state reached step by step; every notice free of doubled phrases.
    #[test]
    fn offered_actions_are_accepted_and_replay_equals_incremental_state_002(
        steps in proptest::collection::vec((0usize..64, 0usize..12, 0u64..4), 1..20)
    ) {
        under("002");
        check_offered_equals_accepted::<ToleranceDetermination>(d("2026-03-02"), &steps)?;
    }

    /// The same under 003 (early involvement, reply, review, filing with the 省局).
    #[test]
    fn offered_actions_are_accepted_and_replay_equals_incremental_state_003(
        steps in proptest::collection::vec((0usize..64, 0usize..12, 0u64..4), 1..20)
    ) {
        under("003");
        check_offered_equals_accepted::<ToleranceDetermination>(d("2026-03-02"), &steps)?;
    }
}
