//! The JSON API in-process: a temporary SQLite database, the embedded calendar, the repository's
//! policy packs, a fixed clock, a small directory seeded through the store, and requests sent
//! straight into the router.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{org, person, Client, Reply, Target, TestApp, Who};
use lvzhi_server::App;
use serde_json::{json, Value};

const ADMIN: &str = "admin-token-0001";
const OFFICER: &str = "officer-token-0001";
const OFFICE: &str = "office-token-0001";
const OUTSIDER: &str = "outsider-token-0001";

async fn env() -> TestApp {
    let t = common::fresh(common::day("2024-10-08")).await;
    let app = &t.app;
    common::add_orgs(
        app,
        &[
            org("alsm", None, "阿拉善盟公安局", "police"),
            org("zq", Some("alsm"), "阿拉善左旗公安局", "police"),
            org("zq-pcs", Some("zq"), "巴彦浩特派出所", "police"),
            org("zq-dc", Some("zq"), "阿拉善左旗公安局督察大队", "police"),
            org("yq", Some("alsm"), "阿拉善右旗公安局", "police"),
        ],
    )
    .await;
    for (id, org, name, role, grant_org) in [
        ("p-admin", "alsm", "赵管理", "administrator", "alsm"),
        ("p-off", "zq-pcs", "王民警", "officer", "zq-pcs"),
        ("p-office", "zq", "李维权", "office", "zq"),
        ("p-yq", "yq", "孙民警", "officer", "yq"),
    ] {
        common::add_person(app, &person(id, name, org, "", None), &[(role, grant_org)]).await;
    }
    for (id, token, person) in [
        ("t-admin", ADMIN, "p-admin"),
        ("t-off", OFFICER, "p-off"),
        ("t-office", OFFICE, "p-office"),
        ("t-yq", OUTSIDER, "p-yq"),
    ] {
        common::add_token(app, id, token, person).await;
    }
    app.reload_directory().await.expect("directory");
    t
}

async fn send(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
) -> Reply {
    let who = token.map_or(Who::Nobody, Who::bearer);
    Client::new(&Target::in_process(app), who)
        .call(method, path, body)
        .await
}

async fn get(app: &App, path: &str, token: &str) -> Reply {
    send(app, Method::GET, path, Some(token), None).await
}

async fn post(app: &App, path: &str, token: &str, body: Value) -> Reply {
    send(
        app,
        Method::POST,
        path,
        Some(token),
        Some(("application/json", body.to_string())),
    )
    .await
}

fn application() -> Value {
    json!({
        "command": {
            "action": "file",
            "form": {
                "applicants": [{ "person_id": "p-off", "name": "王民警" }],
                "applying_unit": { "id": "zq-pcs", "name": "派出所" },
                "committee": { "id": "zq", "name": "左旗" },
                "parent_committee": { "id": "alsm", "name": "盟局" },
                "matter": "对 2024 年 9 月出警处置中被给予诫勉的问责处理决定申请免责",
                "accountability_decision": {
                    "department": { "id": "zq-dc", "name": "督察大队" },
                    "sanction": "admonition",
                    "decided_on": "2024-09-20"
                }
            }
        }
    })
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused_in_json() {
    let e = env().await;
    let a = send(&e.app, Method::GET, "/api/v1/me", None, None).await;
    let m = a.error(StatusCode::UNAUTHORIZED);
    assert_eq!(m, "请先登录");
    get(&e.app, "/api/v1/me", "no-such-token")
        .await
        .error(StatusCode::UNAUTHORIZED);
    let me = get(&e.app, "/api/v1/me", OFFICER).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let v = me.json();
    assert_eq!(v["person_id"], "p-off");
    assert_eq!(v["auth"], "bearer");
    assert_eq!(v["grants"][0]["role"], "officer");
    assert_eq!(v["grants"][0]["role_zh"], "民警");
    assert_eq!(v["grants"][0]["org_name"], "巴彦浩特派出所");
}

#[tokio::test]
async fn an_administrator_issues_and_revokes_a_token() {
    let e = env().await;
    // Not an administrator.
    let m = post(
        &e.app,
        "/api/v1/admin/tokens",
        OFFICER,
        json!({ "person_id": "p-off", "label": "自用" }),
    )
    .await
    .error(StatusCode::FORBIDDEN);
    assert!(m.contains("无权管理"), "{m}");
    let issued = post(
        &e.app,
        "/api/v1/admin/tokens",
        ADMIN,
        json!({ "person_id": "p-off", "label": "对接统计系统" }),
    )
    .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let v = issued.json();
    let token = v["token"].as_str().unwrap().to_string();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(
        get(&e.app, "/api/v1/me", &token).await.status,
        StatusCode::OK
    );
    // The list never shows the token itself.
    let list = get(&e.app, "/api/v1/admin/tokens", ADMIN).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&id) && !list.body.contains(&token));
    let revoked = send(
        &e.app,
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{id}"),
        Some(ADMIN),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    get(&e.app, "/api/v1/me", &token)
        .await
        .error(StatusCode::UNAUTHORIZED);
    // Twice: a conflict; an unknown id: not found.
    send(
        &e.app,
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{id}"),
        Some(ADMIN),
        None,
    )
    .await
    .error(StatusCode::CONFLICT);
    send(
        &e.app,
        Method::DELETE,
        "/api/v1/admin/tokens/nope",
        Some(ADMIN),
        None,
    )
    .await
    .error(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn administration_of_people_and_grants() {
    let e = env().await;
    let created = post(
        &e.app,
        "/api/v1/admin/people",
        ADMIN,
        json!({ "id": "p-new", "name": "周新", "org_id": "zq", "title": "科员",
                "login": "zhouxin", "password": "initial pass 2024" }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["must_change_password"], true);
    let weak = post(
        &e.app,
        "/api/v1/admin/people",
        ADMIN,
        json!({ "id": "p-new", "name": "周新", "org_id": "zq", "password": "short" }),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(weak.contains("10 个字符"), "{weak}");
    let granted = post(
        &e.app,
        "/api/v1/admin/grants",
        ADMIN,
        json!({ "person_id": "p-new", "role": "office", "org_id": "zq" }),
    )
    .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    assert_eq!(granted.json()[0]["role_zh"], "维权办工作人员");
    let m = post(
        &e.app,
        "/api/v1/admin/grants",
        ADMIN,
        json!({ "person_id": "p-new", "role": "boss", "org_id": "zq" }),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("角色“boss”无效"), "{m}");
    let people = get(&e.app, "/api/v1/admin/people?org=zq", ADMIN).await;
    assert_eq!(people.status, StatusCode::OK);
    assert!(people.body.contains("p-new") && !people.body.contains("p-yq"));
    let revoke = |body: Value| {
        let app = e.app.clone();
        async move {
            send(
                &app,
                Method::DELETE,
                "/api/v1/admin/grants",
                Some(ADMIN),
                Some(("application/json", body.to_string())),
            )
            .await
        }
    };
    let r = revoke(json!({ "person_id": "p-new", "role": "office", "org_id": "zq" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    revoke(json!({ "person_id": "p-new", "role": "office", "org_id": "zq" }))
        .await
        .error(StatusCode::NOT_FOUND);
    // Everyone signed in sees the organisation tree, in tree order.
    let orgs = get(&e.app, "/api/v1/orgs", OUTSIDER).await.json();
    let ids: Vec<&str> = orgs["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["alsm", "yq", "zq", "zq-dc", "zq-pcs"]);
    assert_eq!(orgs["orgs"][4]["depth"], 2);
}

#[tokio::test]
async fn the_officer_files_and_the_office_registers_and_accepts() {
    let e = env().await;
    // Filing for another unit is refused by the policies.
    let mut other = application();
    other["command"]["form"]["applying_unit"]["id"] = json!("zq-pcs");
    let m = post(&e.app, "/api/v1/cases", OUTSIDER, other)
        .await
        .error(StatusCode::FORBIDDEN);
    assert!(
        m.contains("《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》第十二条"),
        "{m}"
    );

    let filed = post(&e.app, "/api/v1/cases", OFFICER, application()).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let case_id = filed.json()["case_id"].as_str().unwrap().to_string();
    assert_eq!(filed.json()["version"], 1);

    // The names of record replace the names sent.
    let case = get(&e.app, &format!("/api/v1/cases/{case_id}"), OFFICE).await;
    assert_eq!(case.status, StatusCode::OK, "{}", case.body);
    let c = case.json();
    assert_eq!(c["stage"], "filed");
    assert_eq!(c["parties"]["applying_unit"]["name"], "巴彦浩特派出所");
    assert_eq!(c["parties"]["applicants"][0]["person_id"], "p-off");
    let actions: Vec<&str> = c["available_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"register"), "{actions:?}");
    assert!(c["deadlines"].as_array().is_some_and(|d| !d.is_empty()));

    // Someone else's case: not even visible.
    get(&e.app, &format!("/api/v1/cases/{case_id}"), OUTSIDER)
        .await
        .error(StatusCode::NOT_FOUND);
    get(&e.app, "/api/v1/cases/A2024-999999", OFFICE)
        .await
        .error(StatusCode::NOT_FOUND);

    // The applicant may not register their own application: 403 in Chinese.
    let path = format!("/api/v1/cases/{case_id}/actions");
    let m = post(
        &e.app,
        &path,
        OFFICER,
        json!({ "command": { "action": "register" } }),
    )
    .await
    .error(StatusCode::FORBIDDEN);
    assert!(m.contains("无权"), "{m}");

    let reg = post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 1, "command": { "action": "register" } }),
    )
    .await;
    assert_eq!(reg.status, StatusCode::OK, "{}", reg.body);
    assert_eq!(reg.json()["version"], 2);
    assert_eq!(reg.json()["events"][0]["kind"], "registered");

    // A stale version: 409, nothing recorded.
    let m = post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 1, "command": { "action": "accept" } }),
    )
    .await
    .error(StatusCode::CONFLICT);
    assert!(m.contains("已被他人更新"), "{m}");

    // The procedure refuses what the stage does not allow: 422.
    post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 2, "command": { "action": "issue_opinion" } }),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY);

    let acc = post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 2, "command": { "action": "accept" } }),
    )
    .await;
    assert_eq!(acc.status, StatusCode::OK, "{}", acc.body);
    assert_eq!(acc.json()["version"], 3);

    // The acceptance notice, with its full text, to the applicant too.
    let docs = get(
        &e.app,
        &format!("/api/v1/cases/{case_id}/documents"),
        OFFICER,
    )
    .await;
    assert_eq!(docs.status, StatusCode::OK, "{}", docs.body);
    let d = docs.json();
    assert_eq!(d["documents"][0]["kind"], "acceptance_notice");
    assert!(!d["documents"][0]["text"].as_str().unwrap().is_empty());
    let one = get(
        &e.app,
        &format!("/api/v1/cases/{case_id}/documents/1"),
        OFFICER,
    )
    .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["n"], 1);
    get(
        &e.app,
        &format!("/api/v1/cases/{case_id}/documents/9"),
        OFFICER,
    )
    .await
    .error(StatusCode::NOT_FOUND);
    get(
        &e.app,
        &format!("/api/v1/cases/{case_id}/documents/abc"),
        OFFICER,
    )
    .await
    .error(StatusCode::BAD_REQUEST);

    // The office lists it; the recommendation is live.
    let list = get(&e.app, "/api/v1/cases?state=under_review", OFFICE).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["total"], 1);
    assert_eq!(list.json()["cases"][0]["case_id"], case_id.as_str());
    let ev = get(
        &e.app,
        &format!("/api/v1/cases/{case_id}/evaluation"),
        OFFICE,
    )
    .await;
    assert_eq!(ev.status, StatusCode::OK, "{}", ev.body);
    assert_eq!(ev.json()["outcome"], "undetermined");
    assert!(get(&e.app, "/api/v1/inbox", OFFICE).await.status == StatusCode::OK);
}

#[tokio::test]
async fn malformed_requests_answer_400_in_the_error_shape() {
    let e = env().await;
    let app = &e.app;
    let raw = |ct: &'static str, body: &'static str| {
        let app = app.clone();
        async move {
            send(
                &app,
                Method::POST,
                "/api/v1/cases",
                Some(OFFICER),
                Some((ct, body.to_string())),
            )
            .await
        }
    };
    raw("application/json", "{\"command\":")
        .await
        .error(StatusCode::BAD_REQUEST);
    raw("application/json", "not json")
        .await
        .error(StatusCode::BAD_REQUEST);
    raw("application/json", "")
        .await
        .error(StatusCode::BAD_REQUEST);
    raw("text/plain", "{}")
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Unknown fields, at the top and inside the command.
    let mut extra = application();
    extra["urgent"] = json!(true);
    let m = post(app, "/api/v1/cases", OFFICER, extra)
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("urgent"), "{m}");
    let mut typo = application();
    typo["command"]["form"]["matters"] = json!("拼错的字段");
    let m = post(app, "/api/v1/cases", OFFICER, typo)
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("command.form.matters"), "{m}");
    let m = post(
        app,
        "/api/v1/cases",
        OFFICER,
        json!({ "command": { "action": "fly" } }),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("“fly”"), "{m}");
    let m = post(
        app,
        "/api/v1/evaluate",
        OFFICER,
        json!({ "facts": {}, "decision_date": "2024-02-30" }),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("decision_date"), "{m}");
    // Query and path parameters, unknown paths and methods.
    let m = get(app, "/api/v1/cases?page=abc", OFFICE)
        .await
        .error(StatusCode::BAD_REQUEST);
    assert!(m.contains("page"), "{m}");
    get(app, "/api/v1/cases?state=nonsense", OFFICE)
        .await
        .error(StatusCode::BAD_REQUEST);
    get(app, "/api/v1/nothing-here", OFFICE)
        .await
        .error(StatusCode::NOT_FOUND);
    send(app, Method::PUT, "/api/v1/me", Some(OFFICER), None)
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED);
    // The evaluator itself.
    let ok = post(
        app,
        "/api/v1/evaluate",
        OFFICER,
        json!({ "facts": { "no_such_fact": true } }),
    )
    .await
    .error(StatusCode::BAD_REQUEST);
    assert!(ok.contains("no_such_fact"), "{ok}");
    let facts = get(app, "/api/v1/policy/facts", OFFICER).await;
    assert_eq!(facts.status, StatusCode::OK);
    assert_eq!(facts.json()["pack"], "000");
    let ev = post(app, "/api/v1/evaluate", OFFICER, json!({ "facts": {} })).await;
    assert_eq!(ev.status, StatusCode::OK, "{}", ev.body);
    assert!(ev.json()["summary_zh"].is_string());
}

/// The application's commands that do not read, in the exact Chinese a user gets (the
/// translation of serde's and chrono's words: `api::extract::serde_message_zh`).
#[tokio::test]
async fn malformed_application_commands_are_refused_in_exact_chinese() {
    let e = env().await;
    let app = &e.app;
    let with = |pointer: &str, v: Value| {
        let mut a = application();
        *a.pointer_mut(pointer).unwrap() = v;
        a
    };
    let mut missing = application();
    missing["command"]["form"]
        .as_object_mut()
        .unwrap()
        .remove("matter");
    let at = |m: &str| format!("字段“command”有误：{m}");
    for (body, expected) in [
        (
            with(
                "/command/form/accountability_decision/decided_on",
                json!("2024-02-30"),
            ),
            at("日期不存在，应为有效的 YYYY-MM-DD 日期"),
        ),
        (
            with(
                "/command/form/accountability_decision/decided_on",
                json!("20240920"),
            ),
            at("日期格式不正确，应为 YYYY-MM-DD"),
        ),
        (
            with(
                "/command/form/accountability_decision/sanction",
                json!("flogging"),
            ),
            at(
                "取值“flogging”无效，可选的取值为：admonition、written_self_examination、\
                circulated_criticism、warning、demerit、major_demerit、demotion、\
                removal_from_post、expulsion",
            ),
        ),
        (
            with("/command/form/matter", json!(5)),
            at("类型不正确：应为字符串，收到的是数字"),
        ),
        (missing, at("缺少必填字段“matter”")),
        (
            with("/command/form/applicants", json!({ "person_id": "p-off" })),
            at("类型不正确：应为数组，收到的是JSON 对象"),
        ),
    ] {
        let m = post(app, "/api/v1/cases", OFFICER, body.clone())
            .await
            .error(StatusCode::BAD_REQUEST);
        assert_eq!(m, expected, "{body}");
    }
    let filed = post(app, "/api/v1/cases", OFFICER, application()).await;
    let case_id = filed.json()["case_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/cases/{case_id}/actions");
    for (command, expected) in [
        (
            json!({ "action": "reject", "reasons": ["重复申请"] }),
            "请求内容有误：类型不正确：应为字符串，收到的是数组",
        ),
        (
            json!({ "action": "reject" }),
            "请求内容有误：缺少必填字段“reasons”",
        ),
    ] {
        let m = post(app, &path, OFFICE, json!({ "command": command }))
            .await
            .error(StatusCode::BAD_REQUEST);
        assert_eq!(m, expected, "{command}");
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_the_docs_page_renders_it() {
    let e = env().await;
    let a = send(&e.app, Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    for (method, path, _) in lvzhi_server::api::ROUTES {
        let op = &doc["paths"][*path][method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {path} missing from the document");
        assert!(op["summary"].is_string(), "{method} {path} has no summary");
        for (status, r) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
    }
    // And the other way round: every documented operation is routed.
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            count += 1;
            let concrete = path.replace("{id}", "x").replace("{n}", "1");
            let m = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let a = send(&e.app, m, &concrete, None, None).await;
            assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(
                !a.body.contains("请求的接口不存在"),
                "{method} {path} is documented but not routed"
            );
        }
    }
    assert_eq!(count, lvzhi_server::api::ROUTES.len());
    // Every description a reader sees is Chinese.
    fn check(v: &Value, at: &str) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    if k == "description" || k == "summary" {
                        if let Some(s) = x.as_str() {
                            assert!(
                                s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                                "{at}: {s}"
                            );
                        }
                    }
                    check(x, &format!("{at}/{k}"));
                }
            }
            Value::Array(a) => a.iter().for_each(|x| check(x, at)),
            _ => {}
        }
    }
    check(&doc, "");

    let page = send(&e.app, Method::GET, "/api/docs", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
    for (method, path, _) in lvzhi_server::api::ROUTES {
        assert!(page.body.contains(path), "{path} not on the page");
        assert!(page.body.contains(method), "{method} not on the page");
    }
    assert!(page.body.contains("CaseDetail") && page.body.contains("available_actions"));
    assert!(!page.body.contains("<script"));
}

#[tokio::test]
async fn a_page_session_writes_only_with_its_csrf_header() {
    let e = env().await;
    // The session's CSRF token is csrf-p-off.
    let page = Client::new(
        &Target::in_process(&e.app),
        common::add_session(&e.app, "p-off").await,
    );
    let call =
        |method: Method, path: &'static str, csrf: Option<&'static str>, body: Option<Value>| {
            let page = page.clone();
            async move {
                let mut req = Request::builder().method(method).uri(path);
                if let Some(c) = csrf {
                    req = req.header("x-csrf-token", c);
                }
                let r = match body {
                    Some(b) => {
                        let req = req.header(header::CONTENT_TYPE, "application/json");
                        page.send(req, b.to_string()).await
                    }
                    None => page.send(req, Body::empty()).await,
                };
                (
                    r.status,
                    serde_json::from_str::<Value>(&r.body).unwrap_or(Value::Null),
                )
            }
        };
    let (status, me) = call(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["auth"], "session");
    let body = json!({ "facts": {} });
    let (status, err) = call(Method::POST, "/api/v1/evaluate", None, Some(body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(err["error"]["code"], "csrf");
    let (status, _) = call(
        Method::POST,
        "/api/v1/evaluate",
        Some("wrong"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, ev) = call(
        Method::POST,
        "/api/v1/evaluate",
        Some("csrf-p-off"),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ev}");
}

/// Issue 14: an API client learns every process's commands from the document — each registered
/// kind has its `Commands_<kind>` component listing every action its command type declares,
/// each with its `action` tag and, where the action has a form, its fields; none is documented
/// by its tag alone (the schema walk reached every step).
#[tokio::test]
async fn every_process_and_action_is_documented() {
    let e = env().await;
    let doc = send(&e.app, Method::GET, "/api/openapi.json", None, None)
        .await
        .json();
    let schemas = &doc["components"]["schemas"];
    for p in lvzhi_processes::registry::PROCESSES.iter() {
        let component = &schemas[format!("Commands_{}", p.kind())];
        let Some(variants) = component["oneOf"].as_array() else {
            panic!("{} has no Commands_ component", p.kind());
        };
        let mut bare = Vec::new();
        for id in p.action_ids() {
            let v = variants
                .iter()
                .find(|v| v["properties"]["action"]["const"] == id.as_str())
                .unwrap_or_else(|| panic!("{} {id} is not documented", p.kind()));
            if v["description"]
                .as_str()
                .unwrap_or_default()
                .contains("字段随案件状态而定")
            {
                bare.push(id.clone());
            }
            assert_eq!(v["required"][0], "action", "{} {id}", p.kind());
        }
        assert!(
            bare.is_empty(),
            "{}: documented by their tag alone: {bare:?}",
            p.kind()
        );
        assert_eq!(variants.len(), p.action_ids().len(), "{}", p.kind());
    }
    // The two process kinds the document once left out entirely.
    for kind in ["enforcement_fault", "sanction_appeal"] {
        assert!(schemas[format!("Commands_{kind}")].is_object(), "{kind}");
    }
    // And the case-action body refers to each component.
    let text = doc.to_string();
    for p in lvzhi_processes::registry::PROCESSES.iter() {
        assert!(
            text.contains(&format!("#/components/schemas/Commands_{}", p.kind())),
            "{}",
            p.kind()
        );
    }
}

/// Issue 14: one case layer reads a case once per request. A POST that accepts an application
/// reads the store at most three times (the counter sees every read statement the store runs
/// outside its appends, the caller's token among them).
#[tokio::test]
async fn accepting_an_application_reads_the_store_at_most_three_times() {
    let e = env().await;
    let filed = post(&e.app, "/api/v1/cases", OFFICER, application()).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let case_id = filed.json()["case_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/cases/{case_id}/actions");
    let r = post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 1, "command": { "action": "register" } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let before = e.app.store().reads();
    let r = post(
        &e.app,
        &path,
        OFFICE,
        json!({ "expected_version": 2, "command": { "action": "accept" } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reads = e.app.store().reads() - before;
    eprintln!("accepting read the store {reads} times");
    assert!(
        (1..=3).contains(&reads),
        "accepting read the store {reads} times"
    );
}
