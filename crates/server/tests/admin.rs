//! The administration pages through real HTTP requests on an in-process server (SQLite in a
//! temporary directory, a fixed clock, the embedded calendar and the repository's packs): who
//! may administer what, and that refused input changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::{between, org, person, Client, Target, Who};
use lvzhi_server::{auth, App};
use lvzhi_store::DIRECTORY_CASE;
use serde_json::json;

struct Env {
    app: App,
    target: Target,
    _dir: tempfile::TempDir,
}

const PASSWORD: &str = "correct horse 42";

/// 内蒙古自治区公安厅 (nmg) › 阿拉善盟公安局 (als) › 阿拉善左旗公安局 (zq) › 政工室 (zq-hr).
/// `root-admin` administers nmg, `zq-admin` administers zq, `officer` is an officer of zq.
async fn setup() -> Env {
    let dir = tempfile::tempdir().expect("temp dir");
    // Imports are validated as the binary validates them, and never written.
    let files = Arc::new(common::CheckedFiles::new());
    let app = common::open(dir.path(), common::day("2025-06-03"), false, files).await;
    common::add_orgs(
        &app,
        &[
            org("nmg", None, "内蒙古自治区公安厅", "police"),
            org("als", Some("nmg"), "阿拉善盟公安局", "police"),
            org("zq", Some("als"), "阿拉善左旗公安局", "police"),
            org("zq-hr", Some("zq"), "政工室", "department"),
        ],
    )
    .await;
    for (id, org, login, role, role_org) in [
        ("root-admin", "nmg", "root", "administrator", "nmg"),
        ("zq-admin", "zq", "zqadmin", "administrator", "zq"),
        ("officer", "zq", "officer", "officer", "zq"),
    ] {
        let p = person(id, &format!("{id} 姓名"), org, "", Some(login));
        common::add_person(&app, &p, &[(role, role_org)]).await;
        common::set_password(&app, id, PASSWORD).await;
    }
    app.reload_directory().await.expect("directory");
    Env {
        target: Target::in_process(&app),
        app,
        _dir: dir,
    }
}

include!("../../service/tests/fixtures/own_pack.rs");

/// The officer's application at 阿拉善左旗公安局, as the API takes it.
fn officers_application() -> serde_json::Value {
    json!({ "kind": "application", "command": {
        "action": "file",
        "form": {
            "applicants": [{ "person_id": "officer", "name": "officer 姓名" }],
            "applying_unit": { "id": "zq", "name": "阿拉善左旗公安局" },
            "committee": { "id": "zq", "name": "阿拉善左旗公安局" },
            "matter": "依法处置警情时致相对人受伤，被给予警告处分",
            "accountability_decision": {
                "department": { "id": "zq", "name": "阿拉善左旗公安局" },
                "sanction": "warning",
                "decided_on": "2025-05-20"
            },
            "facts": {}
        }
    }})
}

/// Signs in through the login page: a browser with its session cookie and CSRF token.
async fn sign_in(env: &Env, login: &str) -> Client {
    common::sign_in(&env.target, login, PASSWORD).await
}

/// How many events the chain holds (to show a refusal wrote nothing).
async fn chain_len(env: &Env) -> i64 {
    env.app.store().verify().await.expect("verify").events
}

#[tokio::test]
async fn a_non_administrator_is_refused_every_admin_page_and_form() {
    let env = setup().await;
    let officer = sign_in(&env, "officer").await;
    for path in [
        "/admin",
        "/admin/orgs",
        "/admin/people",
        "/admin/people/officer",
        "/admin/experts",
        "/admin/calendars",
        "/admin/packs",
        "/admin/packs/000",
        "/admin/tokens",
    ] {
        let r = officer.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("无权访问"), "{path}");
    }
    let before = chain_len(&env).await;
    let r = officer
        .post(
            "/admin/orgs",
            &[
                ("parent", "zq"),
                ("name", "新机构"),
                ("kind", "department"),
                ("id", "new-org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = officer
        .post(
            "/admin/people/officer/grants",
            &[("role", "administrator"), ("org", "zq")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(chain_len(&env).await, before);
    assert!(env.app.store().org("new-org").await.expect("org").is_none());
    // The navigation offers no administration link to non-administrators.
    let home = officer.get("/password").await;
    assert!(!home.body.contains("href=\"/admin\""));
}

#[tokio::test]
async fn an_administrator_of_a_sub_organisation_cannot_administer_its_parent() {
    let env = setup().await;
    let sub = sign_in(&env, "zqadmin").await;
    // Their own subtree is theirs.
    let r = sub.get("/admin/orgs").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("阿拉善左旗公安局") && r.body.contains("政工室"));
    assert!(!r.body.contains("href=\"/admin/orgs/als\""));
    let r = sub.get("/admin/orgs/zq-hr").await;
    assert_eq!(r.status, StatusCode::OK);
    // The parent is not.
    assert_eq!(
        sub.get("/admin/orgs/als").await.status,
        StatusCode::FORBIDDEN
    );
    let before = chain_len(&env).await;
    let r = sub
        .post(
            "/admin/orgs/als",
            &[("name", "改名"), ("kind", "police"), ("parent", "nmg")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = sub
        .post(
            "/admin/orgs",
            &[
                ("parent", "als"),
                ("name", "旁支"),
                ("kind", "police"),
                ("id", "side"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor can they lift their own organisation out from under it, or grant roles above it.
    let r = sub
        .post(
            "/admin/orgs/zq",
            &[
                ("name", "阿拉善左旗公安局"),
                ("kind", "police"),
                ("parent", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = sub
        .post(
            "/admin/people/officer/grants",
            &[("role", "administrator"), ("org", "als")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        sub.get("/admin/people/root-admin").await.status,
        StatusCode::FORBIDDEN
    );
    // Shared settings are the top-level administrators'.
    let r = sub
        .post(
            "/admin/calendars",
            &[
                ("name", "2027.txt"),
                ("text", "year 2027\nholiday 2027-01-01 元旦\n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(chain_len(&env).await, before);
    let als = env.app.store().org("als").await.expect("org").expect("als");
    assert_eq!(als.name, "阿拉善盟公安局");
    // Inside the subtree the same administrator works normally, and the chain names them.
    let r = sub
        .post(
            "/admin/orgs",
            &[
                ("parent", "zq"),
                ("name", "法制大队"),
                ("kind", "department"),
                ("id", "zq-legal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let events = env
        .app
        .store()
        .events(DIRECTORY_CASE)
        .await
        .expect("events");
    assert_eq!(events.last().map(|e| e.actor.as_str()), Some("zq-admin"));
    assert!(env.app.directory().orgs.contains_key("zq-legal"));
}

#[tokio::test]
async fn a_move_that_would_make_a_cycle_is_refused_and_changes_nothing() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let before = chain_len(&env).await;
    for (org, parent, current) in [
        ("als", "zq-hr", "nmg"),
        ("als", "als", "nmg"),
        ("zq", "zq-hr", "als"),
    ] {
        let r = root
            .post(
                &format!("/admin/orgs/{org}"),
                &[("name", "名称"), ("kind", "police"), ("parent", parent)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{org} under {parent}");
        assert!(r.body.contains("循环"), "{}", r.body);
        // The form comes back in the layout, the refused parent replaced by the current one
        // (a resubmission must not silently make the organisation top-level).
        assert!(r.body.contains("name=\"_csrf\""));
        let selected = format!("value=\"{current}\" selected");
        assert!(r.body.contains(&selected), "{}", r.body);
    }
    assert_eq!(chain_len(&env).await, before);
    let als = env.app.store().org("als").await.expect("org").expect("als");
    assert_eq!(als.parent_id.as_deref(), Some("nmg"));
    assert_eq!(als.name, "阿拉善盟公安局");
    // A legitimate move goes through and is seen at once.
    let r = root
        .post(
            "/admin/orgs/zq-hr",
            &[
                ("name", "政治处"),
                ("kind", "department"),
                ("parent", "als"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(env.app.directory().tree.parent("zq-hr"), Some("als"));
    assert_eq!(env.app.directory().org_name("zq-hr"), "政治处");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_chinese_message_and_changes_nothing() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let before = chain_len(&env).await;
    // (path, form fields, a phrase the refusal must contain)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: &[Case] = &[
        (
            "/admin/orgs",
            vec![
                ("parent", "als"),
                ("name", "x"),
                ("kind", "police"),
                ("id", "a b"),
            ],
            "空格",
        ),
        (
            "/admin/orgs",
            vec![
                ("parent", "als"),
                ("name", "  "),
                ("kind", "police"),
                ("id", "ab"),
            ],
            "请填写机构名称",
        ),
        (
            "/admin/orgs",
            vec![
                ("parent", "als"),
                ("name", "重复"),
                ("kind", "police"),
                ("id", "zq"),
            ],
            "已被",
        ),
        (
            "/admin/people",
            vec![
                ("org", "zq"),
                ("name", "张三"),
                ("id", "张三"),
                ("login", ""),
            ],
            "人员标识",
        ),
        (
            "/admin/people",
            vec![
                ("org", "zq"),
                ("name", "张三"),
                ("id", "zs"),
                ("login", "x"),
                ("password", "short"),
            ],
            "10 个字符",
        ),
        (
            "/admin/people/officer/grants",
            vec![("role", "superuser"), ("org", "zq")],
            "角色“superuser”无效",
        ),
        (
            "/admin/people/officer/grants",
            vec![("role", "officer"), ("org", "zq")],
            "已在",
        ),
        (
            "/admin/people/officer/password",
            vec![
                ("password", "letters and 123"),
                ("repeat", "letters and 124"),
            ],
            "不一致",
        ),
        (
            "/admin/experts",
            vec![("name", "李四"), ("category", "astronaut")],
            "000 §18",
        ),
        (
            "/admin/tokens",
            vec![("person", "officer"), ("label", "")],
            "请填写用途",
        ),
    ];
    for (path, fields, message) in cases {
        let r = root.post(path, fields).await;
        assert!(
            r.status.is_client_error(),
            "{path} {fields:?}: {}",
            r.status
        );
        assert!(
            r.body.contains(message),
            "{path}: expected “{message}” in {}",
            r.body
        );
    }
    assert_eq!(chain_len(&env).await, before);
    assert!(env
        .app
        .store()
        .person("zs")
        .await
        .expect("person")
        .is_none());
}

#[tokio::test]
async fn a_duplicate_login_is_refused() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let before = chain_len(&env).await;
    let r = root
        .post(
            "/admin/people",
            &[
                ("org", "zq"),
                ("name", "王五"),
                ("title", "民警"),
                ("id", "wangwu"),
                ("login", "officer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("登录名“officer”已被"), "{}", r.body);
    assert!(env.app.store().person("wangwu").await.expect("p").is_none());
    // Editing someone else onto a taken login is refused the same way.
    let r = root
        .post(
            "/admin/people/zq-admin",
            &[("org", "zq"), ("name", "管理员"), ("login", "officer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(chain_len(&env).await, before);
    // A fresh login works, with an initial password the person must change.
    let r = root
        .post(
            "/admin/people",
            &[
                ("org", "zq"),
                ("name", "王五"),
                ("id", "wangwu"),
                ("login", "wangwu"),
                ("password", "initial pass 2025"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = env
        .app
        .store()
        .person("wangwu")
        .await
        .expect("p")
        .expect("wangwu");
    assert!(p.must_change_password);
    let r = root
        .post(
            "/admin/people/wangwu/grants",
            &[("role", "panel_member"), ("org", "als")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = root.get("/admin/people/wangwu").await;
    assert!(page.body.contains("审查论证组成员"));
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let before = chain_len(&env).await;
    let fields = [
        ("parent", "als"),
        ("name", "新机构"),
        ("kind", "police"),
        ("id", "no-csrf"),
    ];
    let r = root.post_raw("/admin/orgs", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut wrong = vec![("_csrf", "0000")];
    wrong.extend_from_slice(&fields);
    let r = root.post_raw("/admin/orgs", &wrong).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = root
        .post_raw("/admin/people/officer/status", &[("op", "disable")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(chain_len(&env).await, before);
    assert!(env.app.store().org("no-csrf").await.expect("org").is_none());
    let officer = env
        .app
        .store()
        .person("officer")
        .await
        .expect("p")
        .expect("officer");
    assert!(!officer.disabled);
}

#[tokio::test]
async fn a_bad_calendar_file_is_refused_with_its_line_number() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let page = root.get("/admin/calendars").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("2025年") && page.body.contains("holiday 2027-02-06..2027-02-13 春节")
    );
    let bad = "year 2027\r\nsource 测试\r\nholiday 2027-02-30 春节\r\n";
    let r = root
        .post("/admin/calendars", &[("name", "2027.txt"), ("text", bad)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("2027.txt"), "{}", r.body);
    assert!(r.body.contains("第3行"), "{}", r.body);
    assert!(!env.app.calendar().is_loaded(2027));
    let good = "year 2027\nsource 测试\nholiday 2027-10-01..2027-10-07 国庆节\n";
    let r = root
        .post("/admin/calendars", &[("name", "2027.txt"), ("text", good)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(env.app.calendar().is_loaded(2027));
}

#[tokio::test]
async fn packs_are_listed_checked_tested_and_a_bad_pack_is_refused() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let list = root.get("/admin/packs").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/admin/packs/000\""));
    let p = root.get("/admin/packs/000").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains(" passed, 0 failed"), "{}", p.body);
    assert!(p.body.contains("条文覆盖"));
    assert_eq!(
        root.get("/admin/packs/nope").await.status,
        StatusCode::NOT_FOUND
    );
    let r = root
        .post(
            "/admin/packs",
            &[
                ("name", "broken.toml"),
                ("text", "[pack]\nid = \"x\"\ntitle = \n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("broken.toml:"), "{}", r.body);
    assert_eq!(env.app.packs().packs().count(), common::pack_files().len());
}

#[tokio::test]
async fn a_token_is_issued_once_revoked_and_the_chain_still_verifies() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let r = root
        .post(
            "/admin/tokens",
            &[("person", "officer"), ("label", "台账导出")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("只显示这一次"));
    let secret = between(&r.body, "<code class=\"hash\">", "<").expect("token shown");
    assert_eq!(secret.len(), 64);
    let digest = auth::token_digest(&secret);
    assert_eq!(
        env.app
            .store()
            .api_token_person(&digest)
            .await
            .expect("lookup")
            .as_deref(),
        Some("officer")
    );
    // Only the digest is kept; the listing never shows the secret again.
    let list = root.get("/admin/tokens").await;
    assert!(list.body.contains("台账导出"));
    assert!(!list.body.contains(&secret));
    let tokens = env.app.store().api_tokens().await.expect("tokens");
    assert_eq!(tokens.len(), 1);
    let id = tokens[0].id.clone();
    let r = root.post(&format!("/admin/tokens/{id}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(env
        .app
        .store()
        .api_token_person(&digest)
        .await
        .expect("lookup")
        .is_none());
    let report = env.app.store().verify().await.expect("verify");
    assert!(report.problem.is_none(), "{:?}", report.problem);
    let events = env
        .app
        .store()
        .events(DIRECTORY_CASE)
        .await
        .expect("events");
    assert_eq!(events.last().map(|e| e.actor.as_str()), Some("root-admin"));
    // A sub-organisation's administrator cannot issue for someone above them.
    let sub = sign_in(&env, "zqadmin").await;
    let r = sub
        .post(
            "/admin/tokens",
            &[("person", "root-admin"), ("label", "越权")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_experts_record_eligibility() {
    let env = setup().await;
    let root = sign_in(&env, "root").await;
    let officer = sign_in(&env, "officer").await;
    let r = root
        .post("/admin/people/officer/status", &[("op", "disable")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = officer.get("/password").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    // An administrator cannot disable themself.
    let r = root
        .post("/admin/people/root-admin/status", &[("op", "disable")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = root
        .post(
            "/admin/experts",
            &[
                ("name", "赵律师"),
                ("category", "legal_expert"),
                ("affiliation", "某律师事务所"),
                ("condition", "political_stance"),
                ("condition", "no_conflict"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let experts = env.app.store().experts().await.expect("experts");
    assert_eq!(experts.len(), 1);
    let e = &experts[0];
    assert_eq!(
        e.eligibility["political_stance"],
        serde_json::Value::Bool(true)
    );
    assert_eq!(e.eligibility["integrity"], serde_json::Value::Bool(false));
    let parsed: lvzhi_workflow::Eligibility =
        serde_json::from_value(e.eligibility.clone()).expect("workflow eligibility");
    assert_eq!(parsed.unmet().len(), 5);
    let list = root.get("/admin/experts").await;
    assert!(list.body.contains("5 项未核实"));
}

/// The administration pages and the API grant and revoke roles by one set of rules (issue 14):
/// each request is refused alike — status and words — and a refusal writes nothing. Before,
/// the API granted a role already held (201) and let an administrator revoke their own
/// administrator role, which the page refused.
#[tokio::test]
async fn pages_and_api_grant_and_revoke_by_the_same_rules() {
    let env = setup().await;
    let page = sign_in(&env, "zqadmin").await;
    common::add_token(&env.app, "t-zq", "token-zq-admin", "zq-admin").await;
    let api = Client::new(&env.target, Who::bearer("token-zq-admin"));
    let cases: [(&str, &str, &str, &str, StatusCode); 5] = [
        ("grant", "officer", "officer", "已在", StatusCode::CONFLICT),
        (
            "grant",
            "officer",
            "boss",
            "角色“boss”无效",
            StatusCode::BAD_REQUEST,
        ),
        (
            "grant",
            "officer",
            "",
            "请选择角色",
            StatusCode::BAD_REQUEST,
        ),
        ("revoke", "officer", "office", "未在", StatusCode::NOT_FOUND),
        (
            "revoke",
            "zq-admin",
            "administrator",
            "不能收回本人的系统管理员角色",
            StatusCode::CONFLICT,
        ),
    ];
    let at = "zq";
    for (what, person, role, words, status) in cases {
        let before = chain_len(&env).await;
        let path = match what {
            "grant" => format!("/admin/people/{person}/grants"),
            _ => format!("/admin/people/{person}/grants/revoke"),
        };
        let shown = page.post(&path, &[("role", role), ("org", at)]).await;
        assert_eq!(shown.status, status, "page {what} {role}: {}", shown.body);
        assert!(
            shown.body.contains(words),
            "page {what} {role}: {}",
            shown.body
        );
        let body = json!({ "person_id": person, "role": role, "org_id": at });
        let answered = match what {
            "grant" => api.post_json("/api/v1/admin/grants", &body).await,
            _ => {
                api.call(
                    Method::DELETE,
                    "/api/v1/admin/grants",
                    Some(("application/json", body.to_string())),
                )
                .await
            }
        };
        let message = answered.error(status);
        assert!(message.contains(words), "API {what} {role}: {message}");
        assert_eq!(chain_len(&env).await, before, "{what} {role} wrote nothing");
    }
}

/// Issue 20: which regulations govern an organisation are set on the 组织机构 page and through
/// `PUT /api/v1/admin/orgs/{id}/packs` by the same rules, inherited down the tree, shown with
/// where they come from, recorded in the chain, and a refused change writes nothing.
#[tokio::test]
async fn issue20_bindings_are_set_on_the_page_and_through_the_api_by_the_same_rules() {
    let env = setup().await;
    let page = sign_in(&env, "zqadmin").await;
    common::add_token(&env.app, "t-root", "token-root-admin", "root-admin").await;
    let root = Client::new(&env.target, Who::bearer("token-root-admin"));
    let put = |org: &str, body: serde_json::Value| {
        let path = format!("/api/v1/admin/orgs/{org}/packs");
        let root = &root;
        async move {
            root.call(
                Method::PUT,
                &path,
                Some(("application/json", body.to_string())),
            )
            .await
        }
    };
    // The region's rules, through the API.
    let before = chain_len(&env).await;
    let r = put("nmg", json!({ "rules": ["001", "004", "004-2016"] })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["rules"]["packs"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["rules"]["inherited"], json!(false));
    assert!(v["procedure"].is_null());
    assert_eq!(chain_len(&env).await, before + 1, "one directory event");
    // Inherited below, with where from.
    let v = root.get("/api/v1/admin/orgs/zq/packs").await.json();
    assert_eq!(v["rules"]["inherited"], json!(true));
    assert_eq!(v["rules"]["from_org"], json!("nmg"));
    assert_eq!(v["rules"]["from_org_name"], json!("内蒙古自治区公安厅"));
    assert_eq!(
        v["rules"]["packs"][0]["title"],
        json!("内蒙古公安机关维护公安民警执法权威工作实施办法")
    );

    // zq's administrator sets zq's own procedure on the page; the page shows both roles.
    let r = page
        .post("/admin/orgs/zq/packs", &[("procedure", "000")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = page.get("/admin/orgs/zq").await;
    assert!(shown.body.contains("适用规定"), "{}", shown.body);
    assert!(shown
        .body
        .contains("阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则"));
    assert!(shown.body.contains("本机构设定"));
    assert!(shown.body.contains("继承自内蒙古自治区公安厅"));
    let v = root.get("/api/v1/admin/orgs/zq-hr/packs").await.json();
    assert_eq!(v["procedure"]["packs"][0]["pack"], json!("000"));
    assert_eq!(v["procedure"]["from_org"], json!("zq"));

    // Refused alike on the page and through the API, with the same words; nothing written.
    let before = chain_len(&env).await;
    /// The page's fields, the API's body, the words both answer with, and the status.
    type Refused<'a> = (
        &'a [(&'a str, &'a str)],
        serde_json::Value,
        &'a str,
        StatusCode,
    );
    let refusals: [Refused; 2] = [
        (
            &[("procedure", "999")],
            json!({ "procedure": "999" }),
            "政策包“999”未加载",
            StatusCode::BAD_REQUEST,
        ),
        (
            &[("rules", "001"), ("rules", "001")],
            json!({ "rules": ["001", "001"] }),
            "重复",
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (fields, body, words, status) in refusals {
        let shown = page.post("/admin/orgs/zq/packs", fields).await;
        assert_eq!(shown.status, status, "page {words}: {}", shown.body);
        assert!(shown.body.contains(words), "page {words}: {}", shown.body);
        let message = put("zq", body).await.error(status);
        assert!(message.contains(words), "API {words}: {message}");
    }
    // zq's administrator may not bind the region.
    let shown = page
        .post("/admin/orgs/nmg/packs", &[("procedure", "000")])
        .await;
    assert_eq!(shown.status, StatusCode::FORBIDDEN, "{}", shown.body);
    assert_eq!(chain_len(&env).await, before, "refusals wrote nothing");
    // Emptied, the organisation inherits again.
    let r = put("zq", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["procedure"].is_null());

    // Bound to 002's procedure, the organisation does not run 000's application: the API
    // answers 422 in Chinese, names the regulation, and writes nothing; 新建 does not offer it.
    let officer_page = sign_in(&env, "officer").await;
    let menu = officer_page.get("/new").await;
    assert!(menu.body.contains("/new/incident/"), "{}", menu.body);
    let r = put("zq", json!({ "procedure": "002", "rules": ["002"] })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    common::add_token(&env.app, "t-officer", "token-officer", "officer").await;
    let officer = Client::new(&env.target, Who::bearer("token-officer"));
    let before = chain_len(&env).await;
    let filed = officer
        .post_json("/api/v1/cases", &officers_application())
        .await;
    let message = filed.error(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message.contains("未规定免责容错申请的程序"), "{message}");
    assert!(
        message.contains("兴安盟国防动员办公室行政执法尽职免责和容错纠错制度"),
        "{message}"
    );
    assert_eq!(chain_len(&env).await, before, "nothing written");
    let menu = officer_page.get("/new").await;
    // 维权 incidents are 001's: not for an organisation under 002 alone; nor is the form of
    // 000's application offered.
    assert!(!menu.body.contains("/new/incident/"), "{}", menu.body);
    let form = officer_page.get("/cases/new").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN, "{}", form.body);
    assert!(form.body.contains("免责容错申请的程序"), "{}", form.body);
}

/// Issue 20: a unit's own pack — a copy of 000 under its own id, with its own title, bodies and
/// a 5-working-day acceptance period (000 §13 gives 7) — uploaded on the administration page and
/// bound to the unit there, governs a new application at the unit without a rebuild: the
/// deadline is counted by its period, the 受理通知书 is signed by its office and cites its title,
/// and the case records it as governing.
#[tokio::test]
async fn issue20_a_units_own_pack_uploaded_on_the_page_governs_its_new_cases() {
    let env = setup().await;
    let office = person("zq-office", "zq-office 姓名", "zq", "", Some("zqoffice"));
    common::add_person(&env.app, &office, &[("office", "zq")]).await;
    env.app.reload_directory().await.expect("directory");
    let root = sign_in(&env, "root").await;
    let shipped = common::pack_files()
        .into_iter()
        .find(|(n, _)| n.ends_with("000.toml"))
        .expect("pack 000")
        .1;
    let own = own_copy_of_000(&shipped);
    assert!(own.contains("period = \"5wd\"") && own.contains("{org}民警依法履职保护委员会办公室"));
    let r = root
        .post(
            "/admin/packs",
            &[("name", "000-alszq.toml"), ("text", &own)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("已载入并立即生效"), "{}", r.body);
    let r = root
        .post(
            "/admin/orgs/zq/packs",
            &[("procedure", "000-alszq"), ("rules", "000-alszq")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    common::add_token(&env.app, "t-officer", "token-officer", "officer").await;
    common::add_token(&env.app, "t-office", "token-office", "zq-office").await;
    let officer = Client::new(&env.target, Who::bearer("token-officer"));
    let zq_office = Client::new(&env.target, Who::bearer("token-office"));
    let filed = officer
        .post_json("/api/v1/cases", &officers_application())
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let case_id = filed.json()["case_id"].as_str().unwrap().to_string();
    let case = zq_office
        .get(&format!("/api/v1/cases/{case_id}"))
        .await
        .json();
    assert_eq!(case["governance"]["procedure"]["pack"], json!("000-alszq"));
    // Filed on Tuesday 2025-06-03: five working days, not 000's seven (2025-06-12).
    let due: Vec<&str> = case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["due"].as_str())
        .collect();
    assert!(due.contains(&"2025-06-10"), "{due:?}");
    let path = format!("/api/v1/cases/{case_id}/actions");
    let mut version = case["version"].as_i64().unwrap();
    for action in ["register", "accept"] {
        let r = zq_office
            .post_json(
                &path,
                &json!({ "expected_version": version, "command": { "action": action } }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
        version = r.json()["version"].as_i64().unwrap();
    }
    let docs = officer
        .get(&format!("/api/v1/cases/{case_id}/documents"))
        .await
        .json();
    let text = docs["documents"][0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("《阿拉善左旗公安局民警依法履职免责和容错纠错工作规程》"),
        "{text}"
    );
    assert!(
        text.contains("阿拉善左旗公安局民警依法履职保护委员会办公室"),
        "{text}"
    );
    assert!(
        !text.contains("维权办") && !text.contains("实施细则"),
        "{text}"
    );
}
