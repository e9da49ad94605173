//! The 免责容错申请表 (000 §12 and its annex) served by the server over HTTP: filled from an
//! application of the demo at `/cases/{id}/application-form.pdf` and
//! `GET /api/v1/cases/{id}/application-form.pdf` — the applicant's name, unit, post and the
//! matter read back from the PDF with poppler — to exactly those who may view the case (an
//! officer of another banner gets 403), no 申请表 for a case of another process; the blank form
//! at `/forms/application-form.pdf` linked from the apply page; the case page links the filled
//! one; the OpenAPI document lists the route.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::process::Command as Process;

use axum::http::{header, StatusCode};
use common::{add_session, add_token, encode, Client, Reply, Target, Who};
use lvzhi_server::App;

const OFFICER: &str = "form-officer-token";
const OFFICE: &str = "form-office-token";
const OUTSIDER: &str = "form-outsider-token";
const TITLE: &str = "公安民警免责容错申请表";

/// The text poppler extracts in typesetting order (a table cell's lines together), without the
/// spaces and line breaks it puts between CJK glyphs; `None` (printed) without pdftotext.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Process::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(
            String::from_utf8_lossy(&out.stdout)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
        ),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            println!("skipped: pdftotext missing (apt-get install poppler-utils)");
            None
        }
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A PDF download: type, no caching, an attachment named in ASCII and in Chinese.
fn is_pdf_download(r: &Reply, ascii_name: &str, chinese_name: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(r.header(header::CACHE_CONTROL), "no-store");
    let cd = r.header(header::CONTENT_DISPOSITION);
    assert!(
        cd.starts_with(&format!("attachment; filename=\"{ascii_name}\"")),
        "{cd}"
    );
    assert!(
        cd.contains(&format!("filename*=UTF-8''{}", encode(chinese_name))),
        "{cd}"
    );
    assert!(r.bytes.starts_with(b"%PDF-"), "not a PDF");
}

/// An application of 巴特尔 in the demo, and its form's 申请事项 (before any 事实与理由).
async fn bateer_application(app: &App) -> (String, String, String) {
    let ids = app
        .store()
        .cases_linked("applicant", "p-bateer", 10)
        .await
        .unwrap();
    let id = ids
        .into_iter()
        .find(|id| id.starts_with('A'))
        .expect("巴特尔 has an application in the demo");
    let loaded = app.service().load(&id).await.unwrap();
    let form = loaded.state.form.expect("an application has its form");
    let matter = match form.matter.split_once("事实与理由：") {
        Some((m, _)) => m.trim_end().trim_end_matches('。').to_string(),
        None => form.matter.clone(),
    };
    (id, matter, form.applying_unit.name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_form_is_downloaded_filled_to_those_who_may_view_and_blank_to_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::demo_app(dir.path()).await;
    add_token(&app, "t-form-officer", OFFICER, "p-bateer").await;
    add_token(&app, "t-form-office", OFFICE, "p-zhaomin").await;
    add_token(&app, "t-form-outsider", OUTSIDER, "p-chenhao").await;
    let officer_session = add_session(&app, "p-bateer").await;
    let outsider_session = add_session(&app, "p-chenhao").await;
    let target = Target::tcp(common::serve(app.clone()).await);
    let api = |token: &str| Client::new(&target, Who::bearer(token));
    let (id, matter, unit) = bateer_application(&app).await;
    let path = format!("/api/v1/cases/{id}/application-form.pdf");

    // The applicant, through the API: the form filled from the case.
    let r = api(OFFICER).get(&path).await;
    is_pdf_download(
        &r,
        &format!("{id}-application-form.pdf"),
        &format!("{id}-{TITLE}.pdf"),
    );
    let filled = r.bytes.clone();
    if let Some(text) = pdf_text(&filled) {
        for want in [TITLE, "巴特尔", &squeeze(&matter), &squeeze(&unit), "民警"] {
            assert!(text.contains(want), "lacks {want}: {text}");
        }
        // Received on a day of record: the head of the form carries it (000 §13).
        assert!(text.contains("时间：20"), "{text}");
        // 申请事项 has its row: "事实与理由：" is not printed joined to it.
        assert!(!text.contains("事实与理由：民警"), "{text}");
    }
    // The office that handles it, the same form.
    let r = api(OFFICE).get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.bytes.starts_with(b"%PDF-"));

    // An officer of another banner may not view the case: 404 as for a missing case (issue 19), and no PDF.
    let r = api(OUTSIDER).get(&path).await;
    let message = r.error(StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    assert!(message.contains("不存在"), "{message}");
    assert!(!r.bytes.starts_with(b"%PDF-"));
    // Nor a case that does not exist, nor one of another process (no 申请表 there).
    let r = api(OFFICE)
        .get("/api/v1/cases/A2026-999999/application-form.pdf")
        .await;
    r.error(StatusCode::NOT_FOUND);
    let year = common::TODAY.0;
    let r = api(OFFICE)
        .get(&format!(
            "/api/v1/cases/J{year}-000001/application-form.pdf"
        ))
        .await;
    let message = r.error(StatusCode::NOT_FOUND);
    assert!(message.contains("纠错整改"), "{message}");
    // Without a token: 401.
    let r = Client::new(&target, Who::Nobody).get(&path).await;
    r.error(StatusCode::UNAUTHORIZED);

    // The pages: the case page links the filled form, which the applicant downloads; the
    // outsider is refused.
    let page = Client::new(&target, officer_session.clone());
    let r = page.get(&format!("/cases/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let link = format!("href=\"/cases/{id}/application-form.pdf\"");
    assert!(r.body.contains(&link), "the case page links the form");
    let r = page.get(&format!("/cases/{id}/application-form.pdf")).await;
    is_pdf_download(
        &r,
        &format!("{id}-application-form.pdf"),
        &format!("{id}-{TITLE}.pdf"),
    );
    let r = Client::new(&target, outsider_session.clone())
        .get(&format!("/cases/{id}/application-form.pdf"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.bytes.starts_with(b"%PDF-"));

    // The blank form, linked from the apply page, for any signed-in user: nothing of a case.
    let r = page.get("/cases/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("href=\"/forms/application-form.pdf\""));
    let r = Client::new(&target, outsider_session)
        .get("/forms/application-form.pdf")
        .await;
    is_pdf_download(&r, "application-form.pdf", &format!("{TITLE}（空白）.pdf"));
    assert_ne!(r.bytes, filled);
    if let Some(text) = pdf_text(&r.bytes) {
        for want in [TITLE, "工作单位", "申请事项", "事实与理由", "申请人签名"] {
            assert!(text.contains(want), "lacks {want}: {text}");
        }
        assert!(!text.contains("巴特尔"), "{text}");
        assert!(!text.contains(&squeeze(&matter)), "{text}");
    }
    // Signed out: the login page.
    let r = Client::new(&target, Who::Nobody)
        .get("/forms/application-form.pdf")
        .await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert!(r.location().starts_with("/login"), "{}", r.location());

    // The OpenAPI document lists the route, with its PDF reply.
    let r = Client::new(&target, Who::Nobody)
        .get("/api/openapi.json")
        .await;
    let doc = r.json();
    let op = &doc["paths"]["/api/v1/cases/{id}/application-form.pdf"]["get"];
    assert!(op.is_object(), "not documented");
    assert!(op["responses"]["200"]["content"]["application/pdf"].is_object());
    assert!(op["responses"]["403"].is_object());
}

/// 事实与理由 apart from 申请事项: the apply page records it as the form's `statement`, the
/// API shows it, the 申请表 prints both in their rows, and the notices quote 申请事项 alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statement_is_recorded_apart_and_printed_in_its_own_row() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::demo_app(dir.path()).await;
    add_token(&app, "t-form-officer", OFFICER, "p-bateer").await;
    add_token(&app, "t-form-office", OFFICE, "p-zhaomin").await;
    let officer_session = add_session(&app, "p-bateer").await;
    let target = Target::tcp(common::serve(app.clone()).await);
    let page = Client::new(&target, officer_session);
    let matter = "申请对警告处分适用依法履职免责";
    let r = page
        .post(
            "/cases/new",
            &[
                ("applying_unit", "alszq-bhht"),
                ("applicant", "p-bateer"),
                ("matter", matter),
                (
                    "reasons",
                    "依法盘查时相对人突然逃跑摔伤。\r\n\r\n  全程开启执法记录仪。  ",
                ),
                ("decision.department", "als-gaj-dczd"),
                ("decision.sanction", "warning"),
                ("decision.decided_on", "2026-11-10"),
                ("op", "file"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location()
        .strip_prefix("/cases/")
        .and_then(|l| l.split('?').next())
        .unwrap()
        .to_string();
    let form = app.service().load(&id).await.unwrap().state.form.unwrap();
    assert_eq!(form.matter, matter);
    assert_eq!(
        form.statement.as_deref(),
        Some("依法盘查时相对人突然逃跑摔伤。\n全程开启执法记录仪。")
    );
    // The API's case detail shows it apart; the case page too.
    let api = Client::new(&target, Who::bearer(OFFICE));
    let r = api.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let detail = r.json();
    let fact = |label: &str| {
        detail["facts"]
            .as_array()
            .and_then(|facts| facts.iter().find(|f| f["label"] == label))
            .map(|f| f["value"].clone())
            .unwrap_or_default()
    };
    assert_eq!(fact("申请事项"), matter);
    assert_eq!(
        fact("事实与理由"),
        "依法盘查时相对人突然逃跑摔伤。\n全程开启执法记录仪。"
    );
    let r = page.get(&format!("/cases/{id}")).await;
    assert!(r.body.contains("<dt>事实与理由</dt>"), "{}", r.body);
    // The 申请表: both rows, nothing joined.
    let r = api
        .get(&format!("/api/v1/cases/{id}/application-form.pdf"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    if let Some(text) = pdf_text(&r.bytes) {
        for want in [
            matter,
            "依法盘查时相对人突然逃跑摔伤。",
            "全程开启执法记录仪。",
        ] {
            assert!(text.contains(want), "lacks {want}: {text}");
        }
        assert!(!text.contains("事实与理由：依法"), "{text}");
    }
    // An application through the API with a statement: recorded as sent.
    let r = Client::new(&target, Who::bearer(OFFICER))
        .post_json(
            "/api/v1/cases",
            &serde_json::json!({ "command": { "action": "file", "form": {
                "applicants": [{ "person_id": "p-bateer", "name": "巴特尔" }],
                "applying_unit": { "id": "alszq-bhht", "name": "巴彦浩特派出所" },
                "committee": { "id": "alszq-gaj", "name": "阿拉善左旗公安局" },
                "matter": matter,
                "statement": "经接口提交的事实与理由。",
                "accountability_decision": {
                    "department": { "id": "als-gaj-dczd", "name": "阿拉善盟公安局督察支队" },
                    "sanction": "warning", "decided_on": "2026-11-10",
                },
            } } }),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let api_id = r.json()["case_id"].as_str().unwrap().to_string();
    let form = app
        .service()
        .load(&api_id)
        .await
        .unwrap()
        .state
        .form
        .unwrap();
    assert_eq!(form.statement.as_deref(), Some("经接口提交的事实与理由。"));
    // The notices quote the 申请事项 alone: accept, and the 受理通知书 has no statement.
    let office = Client::new(&target, Who::bearer(OFFICE));
    for action in ["register", "accept"] {
        let v = app.service().load(&id).await.unwrap().stored.len();
        let r = office
            .post_json(
                &format!("/api/v1/cases/{id}/actions"),
                &serde_json::json!({ "expected_version": v, "command": { "action": action } }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    }
    let docs = app.service().load(&id).await.unwrap().state.documents;
    let notice = docs.last().expect("the acceptance notice");
    assert!(notice.text.contains(matter), "{}", notice.text);
    assert!(!notice.text.contains("依法盘查时"), "{}", notice.text);
}

/// Issue 22 item 11: the apply form offers a 巴彦浩特派出所 officer the bodies that may have
/// decided against them first — their own chain up to the 厅 and its internal departments —
/// then the rest of the police, and only last other systems' bodies (福州监狱, 兴安盟国动办);
/// its hints cite the articles in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue22_the_apply_form_offers_the_officers_own_chain_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::demo_app(dir.path()).await;
    let officer_session = add_session(&app, "p-bateer").await;
    let target = Target::tcp(common::serve(app.clone()).await);
    let page = Client::new(&target, officer_session);
    let r = page.get("/cases/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let select = r
        .body
        .split("name=\"decision.department\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .expect("the department select")
        .to_string();
    let at = |name: &str| {
        select
            .find(&format!(">{name}</option>"))
            .unwrap_or_else(|| panic!("{name} not offered"))
    };
    let (own, system, other) = (
        select.find("本单位及上级机关").expect("own chain group"),
        select.find("本系统其他机关").expect("system group"),
        select.find("label=\"其他机关\"").expect("others group"),
    );
    assert!(own < system && system < other);
    for name in [
        "巴彦浩特派出所",
        "阿拉善左旗公安局",
        "阿拉善盟公安局",
        "阿拉善盟公安局督察支队",
    ] {
        assert!(
            at(name) < system,
            "{name} should be among the officer's own chain"
        );
    }
    assert!(at("阿拉善右旗公安局") > system && at("阿拉善右旗公安局") < other);
    assert!(at("福州监狱") > other);
    assert!(!r.body.contains("000 §"), "hints cite articles in words");
}
