//! The step forms through the real server: filing on the annex form, the office's steps, the
//! panel with its conflict checks, and the refusals (403 by policy or role, 422 by stage, 400
//! for a missing field, 409 for a stale version) — each answered in Chinese with the form kept.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::{org, person, Client, Reply, Target, TestApp, Who};
use lvzhi_store::ExpertRecord;

struct Server {
    target: Target,
    _app: TestApp,
}

/// A small tree: 盟局 → 左旗局 (维权办) → 派出所, 督察大队 (the original department).
async fn start() -> Server {
    let t = common::fresh(common::day("2024-10-08")).await;
    let app = &t.app;
    common::add_orgs(
        app,
        &[
            org("meng", None, "阿拉善盟公安局", "bureau"),
            org("zuoqi", Some("meng"), "阿拉善左旗公安局", "bureau"),
            org("pcs", Some("zuoqi"), "巴彦浩特派出所", "station"),
            org("duca", Some("zuoqi"), "督察大队", "department"),
        ],
    )
    .await;
    // Each signs in with their id as login; their sessions are opened directly.
    for (id, name, org_id, title, role, at) in [
        ("zhang", "张三", "pcs", "民警", "officer", "pcs"),
        ("wang", "王办", "zuoqi", "维权办干事", "office", "zuoqi"),
        ("zhao", "赵主任", "zuoqi", "维权委主任", "director", "zuoqi"),
        (
            "fa",
            "法制员",
            "zuoqi",
            "法制大队民警",
            "panel_member",
            "zuoqi",
        ),
        (
            "ji",
            "纪检员",
            "zuoqi",
            "纪检监察室民警",
            "panel_member",
            "zuoqi",
        ),
        ("du", "督察员", "duca", "督察", "panel_member", "zuoqi"),
        (
            "pcsp",
            "所内审查员",
            "pcs",
            "副所长",
            "panel_member",
            "zuoqi",
        ),
        (
            "dept",
            "督察负责人",
            "duca",
            "大队长",
            "original_department",
            "duca",
        ),
    ] {
        let p = person(id, name, org_id, title, Some(id));
        common::add_person(app, &p, &[(role, at)]).await;
        common::add_session(app, id).await;
    }
    app.store()
        .put_expert(
            common::SETUP,
            &ExpertRecord {
                id: "x-li".into(),
                name: "李律师".into(),
                category: "legal_expert".into(),
                affiliation: "某律师事务所".into(),
                eligibility: serde_json::json!({
                    "political_stance": true, "integrity": true, "no_criminal_record": true,
                    "no_disciplinary_record": true, "experience_authority": true,
                    "no_conflict": true, "confidentiality": true
                }),
                person_id: None,
                note: String::new(),
                active: true,
                retained_by: None,
            },
        )
        .await
        .unwrap();
    app.reload_directory().await.unwrap();
    let addr = common::serve(app.clone()).await;
    Server {
        target: Target::tcp(addr),
        _app: t,
    }
}

impl Server {
    /// Requests as `who` (a person id with a session), over TCP.
    fn session(&self, who: &str) -> Client {
        Client::new(&self.target, Who::session_of(who))
    }

    async fn get(&self, who: &str, path: &str) -> Reply {
        self.session(who).get(path).await
    }

    /// Posts a form with `who`'s CSRF token.
    async fn post(&self, who: &str, path: &str, form: &[(&str, &str)]) -> Reply {
        self.session(who).post(path, form).await
    }

    /// The case's version as its page's forms carry it.
    async fn version(&self, who: &str, case: &str, action: &str) -> String {
        let r = self.get(who, &format!("/cases/{case}/act/{action}")).await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        common::attr(&r.body, "name=\"expected_version\" value=\"").unwrap()
    }

    async fn act(&self, who: &str, case: &str, action: &str, form: &[(&str, &str)]) -> Reply {
        // The participant form appears once an expert is chosen.
        let page = match form.iter().find(|(k, _)| *k == "expert") {
            Some((_, e)) => format!("{action}?expert={e}"),
            None => action.to_string(),
        };
        let v = self.version(who, case, &page).await;
        let mut all: Vec<(&str, &str)> = vec![("expected_version", v.as_str())];
        all.extend_from_slice(form);
        self.post(who, &format!("/cases/{case}/act/{action}"), &all)
            .await
    }
}

const FILING: &[(&str, &str)] = &[
    ("applying_unit", "pcs"),
    ("applicant", "zhang"),
    ("matter", "申请对警告处分适用依法履职免责"),
    ("reasons", "依法处置警情时相对人自伤"),
    ("decision.department", "duca"),
    ("decision.sanction", "warning"),
    ("decision.decided_on", "2024-09-20"),
    ("decision.document_number", "左公督〔2024〕3号"),
    ("op", "file"),
];

async fn filed(s: &Server) -> String {
    let r = s.post("zhang", "/cases/new", FILING).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .location()
        .strip_prefix("/cases/")
        .and_then(|l| l.strip_suffix("?msg=recorded"))
        .unwrap()
        .to_string();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annex_form_files_an_application_with_the_committee_worked_out() {
    let s = start().await;
    let r = s.get("zhang", "/cases/new").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("公安民警免责容错申请表"));
    assert!(
        r.body.contains("阿拉善左旗公安局维权委"),
        "handling committee shown"
    );
    assert!(
        r.body.contains("value=\"zhang\" checked"),
        "the officer is prefilled"
    );
    assert!(
        !r.body.contains("主动启动免责容错工作"),
        "only the office opens ex officio"
    );

    // Without the decision it challenges, the workflow refuses (000 §12); the form keeps
    // what was entered.
    let without: Vec<(&str, &str)> = FILING
        .iter()
        .copied()
        .filter(|(k, _)| !k.starts_with("decision."))
        .collect();
    let r = s.post("zhang", "/cases/new", &without).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("未能提交"));
    assert!(r.body.contains("依法处置警情时相对人自伤"), "values kept");
    // The refusal cites its article in words (issue 22 item 5).
    let notice = r.body.split("未能提交").nth(1).unwrap_or_default();
    let notice = notice.split("</div>").next().unwrap_or_default();
    assert!(
        notice.contains("第十二条") && !notice.contains('§'),
        "{notice}"
    );

    // Filing for another unit is refused by policy.
    let mut other: Vec<(&str, &str)> = FILING.to_vec();
    other[0] = ("applying_unit", "duca");
    let r = s.post("zhang", "/cases/new", &other).await;
    assert_eq!(r.status, 403, "{}", r.body);

    let id = filed(&s).await;
    let r = s.get("zhang", &format!("/cases/{id}")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("申请对警告处分适用依法履职免责"));

    // The office sees 主动启动 and the received-date field.
    let r = s.get("wang", "/cases/new").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("主动启动免责容错工作"));
    assert!(r.body.contains("name=\"received_on\""));
    let mut ex: Vec<(&str, &str)> = FILING.iter().copied().filter(|(k, _)| *k != "op").collect();
    ex.push(("op", "open_ex_officio"));
    let r = s.post("wang", "/cases/new", &ex).await;
    assert_eq!(r.status, 400, "grounds are required: {}", r.body);
    assert!(r.body.contains("主动启动的依据"));
    ex.push(("grounds", "督察通报中发现民警可能符合免责情形"));
    let r = s.post("wang", "/cases/new", &ex).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_are_offered_only_when_open_and_refusals_keep_the_form() {
    let s = start().await;
    let id = filed(&s).await;
    let act = |a: &str| format!("/cases/{id}/act/{a}");

    // The applicant may not register (policy: 403); the office may not accept before
    // registering (stage: 422); unknown steps are 404.
    let r = s.get("zhang", &act("register")).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = s.get("wang", &act("accept")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("已收到申请"), "names the stage: {}", r.body);
    assert_eq!(s.get("wang", &act("nonsense")).await.status, 404);

    let r = s.act("wang", &id, "register", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/cases/{id}?msg=recorded"));

    // A missing reason: 400 with the field named, nothing recorded.
    let r = s.act("wang", &id, "reject", &[("reasons", " ")]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("请填写“不予受理的理由”"));

    // A stale version: 409.
    let r = s
        .post("wang", &act("accept"), &[("expected_version", "1")])
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // A forged CSRF token: 403, nothing recorded.
    let r = s
        .session("wang")
        .post_raw(&act("accept"), &[("_csrf", "forged")])
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = s.act("wang", &id, "accept", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The panel page lists the candidates with their conflicts.
    let r = s.get("wang", &act("form_panel")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("法制员") && r.body.contains("纪检员"));
    assert!(
        r.body.contains("属于原问责处理决定作出部门"),
        "督察员 warned"
    );
    assert!(r.body.contains("属于申请单位"), "所内审查员 warned");
    // A person not offered is refused; a panel without 纪检 is refused by the workflow.
    let r = s
        .act(
            "wang",
            &id,
            "form_panel",
            &[
                ("members.zhao.person_id", "zhao"),
                ("members.zhao.category", "legal"),
            ],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s
        .act(
            "wang",
            &id,
            "form_panel",
            &[
                ("members.fa.person_id", "fa"),
                ("members.fa.category", "legal"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"fa\" checked"), "choices kept");
    let r = s
        .act(
            "wang",
            &id,
            "form_panel",
            &[
                ("members.fa.person_id", "fa"),
                ("members.fa.category", "legal"),
                ("members.ji.person_id", "ji"),
                ("members.ji.category", "discipline"),
                ("members.ji.name", "冒名"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = s.get("wang", &format!("/cases/{id}")).await;
    assert!(
        r.body.contains("纪检员") && !r.body.contains("冒名"),
        "names from the directory"
    );

    // The draft opinion shows the live recommendation; the expert pool shows the conditions.
    let r = s.get("fa", &act("draft_opinion")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("系统建议结论"));
    assert!(r.body.contains("不采纳系统建议的理由"));
    let r = s.get("zhao", &act("approve_external_participant")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("李律师") && r.body.contains("7 / 7"));
    let r = s
        .get(
            "zhao",
            &format!("{}?expert=x-li", act("approve_external_participant")),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r
        .body
        .contains("name=\"participant.eligibility.no_conflict\" value=\"on\" checked"));
    let r = s
        .act(
            "zhao",
            &id,
            "approve_external_participant",
            &[
                ("expert", "x-li"),
                ("participant.person_id", "x-li"),
                ("participant.category", "legal_expert"),
                ("participant.eligibility.political_stance", "on"),
                (
                    "participant.no_conflict_declaration",
                    "本人与本案无利害关系",
                ),
                ("grounds", "案情复杂"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "unmet conditions refused: {}", r.body);
    assert!(r.body.contains("000 §19"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_procedure_runs_through_the_forms_to_the_departments_answer() {
    let s = start().await;
    let id = filed(&s).await;
    let act = |a: &str| format!("/cases/{id}/act/{a}");
    let ok = |r: &Reply, what: &str| assert_eq!(r.status, 303, "{what}: {}", r.body);
    ok(&s.act("wang", &id, "register", &[]).await, "register");
    ok(&s.act("wang", &id, "accept", &[]).await, "accept");
    let panel = [
        ("members.fa.person_id", "fa"),
        ("members.fa.category", "legal"),
        ("members.ji.person_id", "ji"),
        ("members.ji.category", "discipline"),
    ];
    ok(&s.act("wang", &id, "form_panel", &panel).await, "panel");
    // A recusal takes the name from the directory; the recused member no longer sees the case
    // and the panel page refuses them, so the office re-forms the panel (000 §14, §19(六)).
    assert_eq!(s.get("ji", &format!("/cases/{id}")).await.status, 200);
    let r = s.get("wang", &act("record_recusal")).await;
    assert!(r.body.contains("纪检员"), "{}", r.body);
    ok(
        &s.act(
            "wang",
            &id,
            "record_recusal",
            &[
                ("person_id", "ji"),
                ("name", "冒名"),
                ("reason", "系申请人近亲属"),
            ],
        )
        .await,
        "recusal",
    );
    assert_eq!(s.get("ji", &format!("/cases/{id}")).await.status, 404);
    let r = s.get("wang", &format!("/cases/{id}")).await;
    assert!(r.body.contains("纪检员") && !r.body.contains("冒名"));
    let r = s.get("wang", &act("form_panel")).await;
    assert!(
        r.body.contains("已决定回避（系申请人近亲属）"),
        "{}",
        r.body
    );
    let repanel = [
        ("members.fa.person_id", "fa"),
        ("members.fa.category", "legal"),
        ("members.pcsp.person_id", "pcsp"),
        ("members.pcsp.category", "discipline"),
    ];
    ok(
        &s.act("wang", &id, "form_panel", &repanel).await,
        "re-formed panel",
    );
    let draft = [
        ("determination.outcome", "exemption"),
        ("determination.modality", "shall"),
        ("determination.basis", "民警依法处置警情，相对人自伤"),
        ("determination.articles", "000 §7(一)"),
        ("determination.original_decision_improper", "on"),
    ];
    ok(&s.act("fa", &id, "draft_opinion", &draft).await, "draft");
    // The leader's 我的待办 says the draft awaits their approval (issue 22 item 6).
    let r = s.get("zhao", "/").await;
    assert!(r.body.contains("审批审查论证意见草稿"), "{}", r.body);
    // The approval page shows the draft.
    let r = s.get("zhao", &act("approve_opinion")).await;
    assert!(r.body.contains("应当依法履职免责"), "{}", r.body);
    // 000 §14 (issue 22 item 6): the leader may send it back with reasons instead; without
    // reasons it is refused in Chinese.
    let r = s.get("zhao", &act("return_opinion")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("退回修改") && r.body.contains("不予批准"),
        "{}",
        r.body
    );
    let r = s
        .act(
            "zhao",
            &id,
            "return_opinion",
            &[("rejected", "false"), ("reasons", "")],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("“理由”"), "{}", r.body);
    ok(
        &s.act(
            "zhao",
            &id,
            "return_opinion",
            &[
                ("rejected", "false"),
                ("reasons", "请补充现场处置的必要性论证"),
            ],
        )
        .await,
        "returned",
    );
    // The panel redrafting sees why, and the returned draft.
    let r = s.get("fa", &act("draft_opinion")).await;
    assert!(
        r.body.contains("退回修改的理由") && r.body.contains("请补充现场处置的必要性论证"),
        "{}",
        r.body
    );
    ok(&s.act("fa", &id, "draft_opinion", &draft).await, "redraft");
    ok(
        &s.act(
            "zhao",
            &id,
            "approve_opinion",
            &[("comment", "同意审查论证组意见。")],
        )
        .await,
        "approve",
    );
    let r = s.get("wang", &format!("/cases/{id}")).await;
    for part in [
        "本级维权委领导意见",
        "同意审查论证组意见。",
        "退回修改：请补充现场处置的必要性论证",
    ] {
        assert!(r.body.contains(part), "{part}: {}", r.body);
    }
    ok(&s.act("wang", &id, "issue_opinion", &[]).await, "issue");
    ok(
        &s.act("zhang", &id, "declare_no_objection", &[]).await,
        "no objection",
    );
    let r = s.get("wang", &act("start_publicity")).await;
    assert!(
        r.body.contains("value=\"巴彦浩特派出所\""),
        "place prefilled"
    );
    // 000 §23 公示期不少于五日: the form offers the length; fewer days are refused, citing §23.
    assert!(r.body.contains("公示天数（日）"), "{}", r.body);
    let r = s
        .act(
            "wang",
            &id,
            "start_publicity",
            &[("place", "巴彦浩特派出所"), ("days", "3")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("公示期不少于5日") && r.body.contains("000 §23"),
        "{}",
        r.body
    );
    ok(
        &s.act(
            "wang",
            &id,
            "start_publicity",
            &[("place", "巴彦浩特派出所"), ("days", "7")],
        )
        .await,
        "publicity",
    );
    // The department records an objection during publicity (000 §23); the office verifies it.
    ok(
        &s.act(
            "dept",
            &id,
            "record_objection",
            &[("summary", "群众反映该民警事后未及时报告")],
        )
        .await,
        "objection",
    );
    let r = s.get("wang", &act("resolve_objection")).await;
    assert!(
        r.body.contains("第1件") && r.body.contains("待核实"),
        "{}",
        r.body
    );
    ok(
        &s.act(
            "wang",
            &id,
            "resolve_objection",
            &[
                ("index", "0"),
                ("substantiated", "false"),
                ("finding", "经调取记录，已及时报告"),
            ],
        )
        .await,
        "resolve",
    );
    ok(
        &s.act(
            "zhao",
            &id,
            "send_recommendation",
            &[
                ("proposal.kind", "revoke"),
                ("reasons", "民警依法履职，原决定不当"),
            ],
        )
        .await,
        "send",
    );
    // The department sees the recommendation's text; declining needs a 正当理由 (000 §27).
    let r = s.get("dept", &act("answer_recommendation")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("关于撤销或者变更原问责处理决定的建议书"));
    let r = s
        .act(
            "dept",
            &id,
            "answer_recommendation",
            &[("adopted", "false")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("正当理由") && r.body.contains("value=\"false\" checked"));
    ok(
        &s.act("dept", &id, "answer_recommendation", &[("adopted", "true")])
            .await,
        "answer",
    );
    let r = s.get("wang", &format!("/cases/{id}?msg=recorded")).await;
    assert!(r.body.contains("已记录"), "{}", r.body);
}
