//! The step forms through the real server: filing on the annex form, the office's steps, the
//! panel with its conflict checks, and the refusals (403 by policy or role, 422 by stage, 400
//! for a missing field, 409 for a stale version) — each answered in Chinese with the form kept.

use std::io::{Read, Write};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::{router, App, Clock, DataFiles, ServeConfig};
use lvzhi_store::{ExpertRecord, GrantRecord, OrgRecord, PersonRecord};

struct NoFiles;

impl DataFiles for NoFiles {
    fn import_calendar(&self, _: &str, _: &str) -> Result<(Calendar, String), String> {
        Err("不支持".to_string())
    }
    fn import_pack(&self, _: &str, _: &str) -> Result<PackSet, String> {
        Err("不支持".to_string())
    }
}

const PACKS: &[(&str, &str)] = &[
    ("000.toml", include_str!("../../../packs/000.toml")),
    ("001.toml", include_str!("../../../packs/001.toml")),
    ("002.toml", include_str!("../../../packs/002.toml")),
    ("003.toml", include_str!("../../../packs/003.toml")),
    ("004.toml", include_str!("../../../packs/004.toml")),
    (
        "004-2016.toml",
        include_str!("../../../packs/004-2016.toml"),
    ),
];

struct Server {
    addr: std::net::SocketAddr,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: u16,
    location: String,
    body: String,
}

fn org(id: &str, parent: Option<&str>, name: &str, kind: &str) -> OrgRecord {
    OrgRecord {
        id: id.into(),
        parent_id: parent.map(str::to_string),
        name: name.into(),
        kind: kind.into(),
    }
}

fn person(id: &str, name: &str, org_id: &str, title: &str) -> PersonRecord {
    PersonRecord {
        id: id.into(),
        name: name.into(),
        org_id: org_id.into(),
        title: title.into(),
        login: Some(id.into()),
        must_change_password: false,
        disabled: false,
    }
}

/// A small tree: 盟局 → 左旗局 (维权办) → 派出所, 督察大队 (the original department).
async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let config = ServeConfig {
        addr: "127.0.0.1:0".into(),
        db_url: format!("sqlite://{}", dir.path().join("f.db").display()),
        data_dir: dir.path().to_path_buf(),
        demo: false,
        clock: Clock::fixed(NaiveDate::from_ymd_opt(2024, 10, 8).unwrap()),
        calendar: Calendar::embedded(),
        packs: PackSet::load(PACKS.iter().copied()).unwrap(),
        files: Arc::new(NoFiles),
        secure_cookies: false,
        remind_within_wd: 3,
        evidence_url: None,
    };
    let app = App::open(config).await.unwrap();
    let s = app.store();
    for o in [
        org("meng", None, "阿拉善盟公安局", "bureau"),
        org("zuoqi", Some("meng"), "阿拉善左旗公安局", "bureau"),
        org("pcs", Some("zuoqi"), "巴彦浩特派出所", "station"),
        org("duca", Some("zuoqi"), "督察大队", "department"),
    ] {
        s.put_org("test", &o).await.unwrap();
    }
    for (p, role, at) in [
        (person("zhang", "张三", "pcs", "民警"), "officer", "pcs"),
        (
            person("wang", "王办", "zuoqi", "维权办干事"),
            "office",
            "zuoqi",
        ),
        (
            person("zhao", "赵主任", "zuoqi", "维权委主任"),
            "director",
            "zuoqi",
        ),
        (
            person("fa", "法制员", "zuoqi", "法制大队民警"),
            "panel_member",
            "zuoqi",
        ),
        (
            person("ji", "纪检员", "zuoqi", "纪检监察室民警"),
            "panel_member",
            "zuoqi",
        ),
        (
            person("du", "督察员", "duca", "督察"),
            "panel_member",
            "zuoqi",
        ),
        (
            person("pcsp", "所内审查员", "pcs", "副所长"),
            "panel_member",
            "zuoqi",
        ),
        (
            person("dept", "督察负责人", "duca", "大队长"),
            "original_department",
            "duca",
        ),
    ] {
        s.put_person("test", &p).await.unwrap();
        s.grant(
            "test",
            &GrantRecord {
                person_id: p.id.clone(),
                role: role.into(),
                org_id: at.into(),
            },
        )
        .await
        .unwrap();
        let now = DateTime::<Utc>::from(std::time::SystemTime::now());
        s.create_session(
            &lvzhi_server::auth::token_digest(&format!("tok-{}", p.id)),
            &p.id,
            &format!("csrf-{}", p.id),
            now,
            now + Duration::hours(2),
        )
        .await
        .unwrap();
    }
    s.put_expert(
        "test",
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
        },
    )
    .await
    .unwrap();
    app.reload_directory().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router(app)).await;
    });
    Server { addr, _dir: dir }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Server {
    /// One HTTP/1.1 request as `who` (a person id with a session), on a blocking socket.
    async fn request(
        &self,
        who: &str,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> Reply {
        let token = csrf.map_or_else(|| format!("csrf-{who}"), str::to_string);
        let mut fields: Vec<(String, String)> = vec![("_csrf".into(), token)];
        fields.extend(form.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = if method == "GET" {
            format!(
                "GET {path} HTTP/1.1\r\nHost: t\r\nCookie: lvzhi_session=tok-{who}\r\nConnection: close\r\n\r\n"
            )
        } else {
            format!(
                "POST {path} HTTP/1.1\r\nHost: t\r\nCookie: lvzhi_session=tok-{who}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        };
        let addr = self.addr;
        let raw = tokio::task::spawn_blocking(move || {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(req.as_bytes()).unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).unwrap();
            out
        })
        .await
        .unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let location = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("location: ")
                    .or_else(|| l.strip_prefix("Location: "))
            })
            .unwrap_or_default()
            .to_string();
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_string()
        };
        Reply {
            status,
            location,
            body,
        }
    }

    async fn get(&self, who: &str, path: &str) -> Reply {
        self.request(who, "GET", path, &[], None).await
    }

    async fn post(&self, who: &str, path: &str, form: &[(&str, &str)]) -> Reply {
        self.request(who, "POST", path, form, None).await
    }

    /// The case's version as its page's forms carry it.
    async fn version(&self, who: &str, case: &str, action: &str) -> String {
        let r = self.get(who, &format!("/cases/{case}/act/{action}")).await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        let at = r.body.find("name=\"expected_version\" value=\"").unwrap();
        let rest = &r.body[at + "name=\"expected_version\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
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

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
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
        .location
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
    assert_eq!(r.location, format!("/cases/{id}?msg=recorded"));

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
        .request("wang", "POST", &act("accept"), &[], Some("forged"))
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
            &[("members", "zhao"), ("members.zhao.category", "legal")],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s
        .act(
            "wang",
            &id,
            "form_panel",
            &[("members", "fa"), ("members.fa.category", "legal")],
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
                ("members", "fa"),
                ("members.fa.category", "legal"),
                ("members", "ji"),
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
        ("members", "fa"),
        ("members.fa.category", "legal"),
        ("members", "ji"),
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
    assert_eq!(s.get("ji", &format!("/cases/{id}")).await.status, 403);
    let r = s.get("wang", &format!("/cases/{id}")).await;
    assert!(r.body.contains("纪检员") && !r.body.contains("冒名"));
    let r = s.get("wang", &act("form_panel")).await;
    assert!(
        r.body.contains("已决定回避（系申请人近亲属）"),
        "{}",
        r.body
    );
    let repanel = [
        ("members", "fa"),
        ("members.fa.category", "legal"),
        ("members", "pcsp"),
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
    // The approval page shows the draft.
    let r = s.get("zhao", &act("approve_opinion")).await;
    assert!(r.body.contains("应当依法履职免责"), "{}", r.body);
    ok(&s.act("zhao", &id, "approve_opinion", &[]).await, "approve");
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
    ok(
        &s.act(
            "wang",
            &id,
            "start_publicity",
            &[("place", "巴彦浩特派出所")],
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
