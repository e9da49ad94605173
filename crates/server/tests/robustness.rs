//! The attacks of issue 19, performed again: double submissions, the framework's English
//! rejections, bodies the server cannot read as UTF-8, texts past their limits, HSTS. Each
//! test failed on e4b0d83, the commit before the fix.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::world::{three_levels, World, BH, ZQ};
use common::{Client, Reply, Target, Who};
use serde_json::{json, Value};

const OFFICER: &str = "p-off";
const OFFICE: &str = "p-office";

async fn world() -> World {
    World::new(
        common::day("2026-11-24"),
        &three_levels(),
        &[
            (OFFICER, "巴特尔", BH, &[("officer", BH)]),
            (OFFICE, "王办", ZQ, &[("office", ZQ)]),
        ],
        OFFICE,
    )
    .await
}

/// The apply page's fields, as a browser sends them after filling it in.
fn apply_fields<'a>(once: &'a str, matter: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", "csrf-p-off"),
        ("_once", once),
        ("applying_unit", BH),
        ("applicant", OFFICER),
        ("matter", matter),
        ("reasons", "依法处置警情时相对人自伤"),
        ("decision.department", ZQ),
        ("decision.sanction", "warning"),
        ("decision.decided_on", "2026-10-20"),
        ("decision.document_number", "左公督〔2026〕3号"),
        ("op", "file"),
    ]
}

async fn applications(w: &World) -> u64 {
    let r = w.api(OFFICE).get("/api/v1/cases?kind=application").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["total"].as_u64().unwrap_or_default()
}

/// Issue 19 item 6: ten simultaneous double submissions of 提交申请 created 20 applications.
/// Each form now carries a one-use token; both clicks get the first click's answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_double_click_files_once() {
    let w = world().await;
    let officer = w.pages(OFFICER);
    let mut pairs = Vec::new();
    for i in 0..10 {
        let page = officer.get("/cases/new").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let once = common::attr(&page.body, "name=\"_once\" value=\"").expect("a one-use token");
        let matter = format!("申请对警告处分适用依法履职免责（第{i}件）");
        let click = |officer: Client, once: String, matter: String| {
            tokio::spawn(async move {
                officer
                    .post_raw("/cases/new", &apply_fields(&once, &matter))
                    .await
            })
        };
        pairs.push((
            click(officer.clone(), once.clone(), matter.clone()),
            click(officer.clone(), once, matter),
        ));
    }
    for (a, b) in pairs {
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(b.status, StatusCode::SEE_OTHER, "{}", b.body);
        assert_eq!(a.location(), b.location(), "both clicks see the same case");
    }
    assert_eq!(applications(&w).await, 10);
    // A new form (a new token) files a new application.
    let page = officer.get("/cases/new").await;
    let once = common::attr(&page.body, "name=\"_once\" value=\"").unwrap();
    let r = officer
        .post_raw("/cases/new", &apply_fields(&once, "另一项申请"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(applications(&w).await, 11);
    // A refused form releases its token: corrected, the same form goes through.
    let page = officer.get("/cases/new").await;
    let once = common::attr(&page.body, "name=\"_once\" value=\"").unwrap();
    let r = officer
        .post_raw("/cases/new", &apply_fields(&once, ""))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = officer
        .post_raw("/cases/new", &apply_fields(&once, "更正后的申请事项"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(applications(&w).await, 12);
}

fn creation() -> Value {
    json!({"command": {"action": "file", "form": {
        "applicants": [{"person_id": OFFICER, "name": "巴特尔"}],
        "applying_unit": {"id": BH, "name": "巴彦浩特派出所"},
        "committee": {"id": ZQ, "name": "阿拉善左旗公安局"},
        "matter": "申请对警告处分适用依法履职免责",
        "accountability_decision": {"department": {"id": ZQ, "name": "阿拉善左旗公安局"},
            "sanction": "warning", "decided_on": "2026-10-20", "document_number": "左公督〔2026〕3号"}
    }}})
}

async fn post_with_key(client: &Client, key: &str, body: &Value) -> Reply {
    client
        .send(
            Request::post("/api/v1/cases")
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", key),
            body.to_string(),
        )
        .await
}

/// Issue 19 item 6, API: a client's retry with the same `Idempotency-Key` gets the same answer
/// and writes nothing; the key on another request is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idempotency_key_files_once() {
    let w = world().await;
    let api = w.api(OFFICER);
    let body = creation();
    let (a, b) = tokio::join!(
        post_with_key(&api, "retry-1", &body),
        post_with_key(&api, "retry-1", &body)
    );
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
    assert_eq!(a.json()["case_id"], b.json()["case_id"]);
    let again = post_with_key(&api, "retry-1", &body).await;
    assert_eq!(again.json()["case_id"], a.json()["case_id"]);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(applications(&w).await, 1);
    let mut other = body.clone();
    other["command"]["form"]["matter"] = json!("另一项申请");
    let r = post_with_key(&api, "retry-1", &other).await;
    assert!(r
        .error(StatusCode::UNPROCESSABLE_ENTITY)
        .contains("Idempotency-Key"));
    // Another person's key of the same text is theirs alone.
    let r = post_with_key(&w.api(OFFICE), "retry-1", &body).await;
    assert_ne!(
        r.json_or_null()["case_id"],
        a.json()["case_id"],
        "{}",
        r.body
    );
    assert_eq!(
        applications(&w).await,
        1 + u64::from(r.status == StatusCode::CREATED)
    );
    let r = post_with_key(&api, "bad key with spaces", &body).await;
    r.error(StatusCode::BAD_REQUEST);
}

/// Issue 19 item 3: the page limited 申请事项 to 500 characters, the API took 2,500,000 (201) and
/// the 受理 typeset for 46 s. The same limit now holds for both, and the API document says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn texts_past_their_limits_are_refused_everywhere() {
    let w = world().await;
    let mut body = creation();
    body["command"]["form"]["matter"] = json!("申".repeat(2_500_000));
    let r = w.api(OFFICER).post_json("/api/v1/cases", &body).await;
    let m = r.error(StatusCode::BAD_REQUEST);
    assert!(m.contains("“申请事项”过长：不能超过 500 个字符"), "{m}");
    let page = w.pages(OFFICER).get("/cases/new").await;
    let once = common::attr(&page.body, "name=\"_once\" value=\"").unwrap();
    let long = "申".repeat(501);
    let r = w
        .pages(OFFICER)
        .post_raw("/cases/new", &apply_fields(&once, &long))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("“申请事项”不能超过 500 个字"), "{}", r.body);
    assert!(page.body.contains("maxlength=\"500\""));
    assert_eq!(applications(&w).await, 0, "nothing recorded");
    // A process command's texts too.
    let r = w
        .create(
            OFFICER,
            &json!({"kind": "incident", "command": {
                "action": "incident_report", "source": "officer", "officer": OFFICER,
                "unit": BH, "org": ZQ, "incident_type": "violent_attack",
                "occurred_on": "2026-11-01", "place": "巴彦浩特镇团结路",
                "description": "描".repeat(20_000),
                "victims": [{ "name": "巴特尔", "kind": "officer", "harm": "轻伤" }],
                "casualties": true }}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("过长"), "{}", r.body);
    let doc = w.api(OFFICER).get("/api/openapi.json").await.json();
    let text = doc.to_string();
    assert!(
        text.contains("\"maxLength\":500"),
        "the document states the limits"
    );
}

fn is_chinese_page(r: &Reply) -> bool {
    r.header(header::CONTENT_TYPE).starts_with("text/html")
        && r.body.contains("lang=\"zh-CN\"")
        && !r.body.contains("Failed to")
        && !r.body.contains("Invalid URL")
}

/// Issue 19 item 4: 11 of 22 probes got axum's plain-text English. Every rejection is now a
/// Chinese page for pages and Chinese JSON for the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rejection_is_in_chinese() {
    let w = world().await;
    let page = w.pages(OFFICE);
    for (path, status, words) in [
        ("/cases?page=abc", 400, "查询参数“page”"),
        ("/cases/%FF", 404, "不存在"),
        ("/cases/A2026-000001/notices/..", 404, ""),
        ("/cases/A2026-000001/documents/%FF%FE", 404, ""),
    ] {
        let r = page.get(path).await;
        assert_eq!(r.status.as_u16(), status, "{path}: {}", r.body);
        assert!(is_chinese_page(&r), "{path}: {}", r.body);
        assert!(r.body.contains(words), "{path}: {}", r.body);
    }
    let r = page.call(Method::PUT, "/cases", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        is_chinese_page(&r) && r.body.contains("不支持 PUT 请求方法"),
        "{}",
        r.body
    );
    let r = w.api(OFFICE).get("/api/v1/cases?page=abc").await;
    r.error(StatusCode::BAD_REQUEST);

    // A form in GBK, a form that is not UTF-8, a form past the size limit.
    let r = page
        .call(
            Method::POST,
            "/cases/new",
            Some((
                "application/x-www-form-urlencoded; charset=gbk",
                "_csrf=csrf-p-office&matter=%C9%EA%C7%EB".to_string(),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert!(
        is_chinese_page(&r) && r.body.contains("UTF-8"),
        "{}",
        r.body
    );
    let r = w
        .pages(OFFICER)
        .call(
            Method::POST,
            "/cases/new",
            Some((
                "application/x-www-form-urlencoded",
                format!(
                    "{}&matter=%FF%FE%28",
                    common::form_body(&apply_fields("x", "ignored")[..2])
                ),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("无效的字符编码"), "{}", r.body);
    let big = format!("_csrf=csrf-p-office&matter={}", "a".repeat(9 * 1024 * 1024));
    let r = page
        .call(
            Method::POST,
            "/cases/new",
            Some(("application/x-www-form-urlencoded", big)),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(is_chinese_page(&r) && r.body.contains("过大"), "{}", r.body);
    assert_eq!(applications(&w).await, 0, "nothing recorded");

    // Over TCP, where the HTTP library's own limits lie: an overlong address and too many
    // header fields are answered by lvzhi, in Chinese.
    let addr = common::serve(w.app.clone()).await;
    let tcp = Client::new(&Target::tcp(addr), Who::session_of(OFFICE));
    let r = tcp.get(&format!("/cases?q={}", "x".repeat(10_000))).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);
    assert!(
        is_chinese_page(&r) && r.body.contains("网址过长"),
        "{}",
        r.body
    );
    let mut req = Request::get("/cases");
    for i in 0..70 {
        req = req.header(format!("x-probe-{i}"), "1");
    }
    let r = tcp.send(req, Body::empty()).await;
    assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    assert!(
        is_chinese_page(&r) && r.body.contains("请求头过多"),
        "{}",
        r.body
    );
    let r = Client::new(&Target::tcp(addr), Who::bearer(&format!("token-{OFFICE}")))
        .get(&format!("/api/v1/cases?q={}", "x".repeat(10_000)))
        .await;
    assert!(r.error(StatusCode::URI_TOO_LONG).contains("网址过长"));
}
