//! Official documents through the API and the pages (issue 6): a notice issued through the API
//! is typeset, archived and sealed in the same append; the trail shows the seal; the PDF served
//! is the archived one (its SM3 is the recorded digest, `pdftotext` finds the notice's title);
//! the DOCX is served beside it; both exactly to those who may view the case (Cedar `view`);
//! the 核对 form tells a genuine copy from an altered one; a notice without a seal is typeset on
//! demand and marked 未定稿; an archived file altered on disk is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::path::PathBuf;
use std::process::Command as Process;

use axum::http::{header, Method, Request, StatusCode};
use common::{org, person, Client, Reply, Target, Who};
use lvzhi_server::App;
use lvzhi_store::sm3_hex;
use serde_json::{json, Value};

const OFFICER: &str = "officer-token-0001";
const OFFICE: &str = "office-token-0001";
const OUTSIDER: &str = "outsider-token-0001";
const ACCEPTANCE: &str = "免责容错申请受理通知书";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

struct Env {
    app: App,
    dir: tempfile::TempDir,
}

impl Env {
    fn api(&self, token: &str) -> Client {
        Client::new(&Target::in_process(&self.app), Who::bearer(token))
    }

    fn page(&self, person_id: &str) -> Client {
        Client::new(&Target::in_process(&self.app), Who::session_of(person_id))
    }

    fn archive(&self) -> PathBuf {
        self.dir.path().join("evidence").join("documents")
    }
}

/// 盟局 → 左旗局 (维权办 李维权) → 派出所 (民警 王民警), 督察大队; 右旗局 (民警 孙民警).
async fn env(seal: bool) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let today = common::day("2024-10-08");
    let app = if seal {
        common::open_sealing(dir.path(), today).await
    } else {
        common::open(
            dir.path(),
            today,
            false,
            std::sync::Arc::new(common::NoFiles),
        )
        .await
    };
    common::add_orgs(
        &app,
        &[
            org("alsm", None, "阿拉善盟公安局", "police"),
            org("zq", Some("alsm"), "阿拉善左旗公安局", "police"),
            org("zq-pcs", Some("zq"), "巴彦浩特派出所", "police"),
            org("zq-dc", Some("zq"), "阿拉善左旗公安局督察大队", "police"),
            org("yq", Some("alsm"), "阿拉善右旗公安局", "police"),
        ],
    )
    .await;
    for (id, org, name, role, token) in [
        ("p-off", "zq-pcs", "王民警", "officer", OFFICER),
        ("p-office", "zq", "李维权", "office", OFFICE),
        ("p-yq", "yq", "孙民警", "officer", OUTSIDER),
    ] {
        common::add_person(&app, &person(id, name, org, "", None), &[(role, org)]).await;
        common::add_token(&app, &format!("t-{id}"), token, id).await;
        common::add_session(&app, id).await;
    }
    app.reload_directory().await.unwrap();
    Env { app, dir }
}

/// Files an application as the officer, registers and accepts it as the office (000 §12–13);
/// returns the case id and the acceptance's action result.
async fn accepted_case(e: &Env) -> (String, Value) {
    let filed = e
        .api(OFFICER)
        .post_json(
            "/api/v1/cases",
            &json!({ "command": { "action": "file", "form": {
                "applicants": [{ "person_id": "p-off", "name": "王民警" }],
                "applying_unit": { "id": "zq-pcs", "name": "" },
                "committee": { "id": "zq", "name": "" },
                "parent_committee": { "id": "alsm", "name": "" },
                "matter": "对 2024 年 9 月出警处置中被给予诫勉的问责处理决定申请免责",
                "accountability_decision": {
                    "department": { "id": "zq-dc", "name": "" },
                    "sanction": "admonition",
                    "decided_on": "2024-09-20"
                }
            } } }),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let id = filed.json()["case_id"].as_str().unwrap().to_string();
    let act = format!("/api/v1/cases/{id}/actions");
    let office = e.api(OFFICE);
    let r = office
        .post_json(&act, &json!({ "command": { "action": "register" } }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = office
        .post_json(&act, &json!({ "command": { "action": "accept" } }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (id, r.json())
}

/// The text poppler extracts from a PDF; `None` (with the reason printed) without pdftotext.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.pdf");
    std::fs::write(&path, pdf).unwrap();
    match Process::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into()),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            println!("skipped: pdftotext missing (apt-get install poppler-utils)");
            None
        }
    }
}

fn file_reply_checks(r: &Reply, content_type: &str, ext: &str) {
    file_reply_checks_titled(r, content_type, ext, ACCEPTANCE)
}

fn file_reply_checks_titled(r: &Reply, content_type: &str, ext: &str, title: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header(header::CONTENT_TYPE), content_type);
    assert_eq!(r.header(header::CACHE_CONTROL), "no-store");
    let cd = r.header(header::CONTENT_DISPOSITION);
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert!(cd.contains(&format!("-1.{ext}\"")), "{cd}");
    // RFC 5987: the Chinese title, percent-encoded UTF-8.
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    assert!(cd.contains(&enc(title)), "{cd}");
}

/// Percent-encoded UTF-8, as RFC 5987 writes non-ASCII characters.
fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

const BOUNDARY: &str = "----lvzhi-test-boundary-51e2";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn check(client: &Client, path: &str, body: Vec<u8>) -> Reply {
    let req = Request::builder().method(Method::POST).uri(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    client.send(req, body).await
}

#[tokio::test]
async fn issue6_000_s13_an_accepted_case_has_its_notice_sealed_and_served_as_recorded() {
    let e = env(true).await;
    let (id, accepted) = accepted_case(&e).await;

    // One append: the acceptance, then its seal by the same office.
    let kinds: Vec<&str> = accepted["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["accepted", "document_sealed"], "{accepted}");
    assert_eq!(accepted["events"][1]["person_id"], "p-office");
    assert_eq!(accepted["unsealed_documents"], json!([]));

    // The trail shows it, with the digest; the document carries the seal.
    let case = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}"))
        .await
        .json();
    let sm3 = case["documents"][0]["seal"]["sm3"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sm3.len(), 64);
    let last = case["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "document_sealed");
    let line = last["description"].as_str().unwrap();
    // The timeline names the notice; its digest is in the seal (issue 22 item 5).
    assert!(
        line.contains(&format!("文书定稿（{ACCEPTANCE}）")),
        "{line}"
    );
    assert!(!line.contains(&sm3), "{line}");
    assert_eq!(case["stage"], "under_review");
    assert_eq!(case["documents"][0]["seal"]["pages"], 1);
    assert_eq!(
        case["documents"][0]["pdf"],
        format!("/api/v1/cases/{id}/documents/1.pdf")
    );

    // The PDF served is the one sealed: its SM3 is the recorded digest, and it is the notice.
    let pdf = e
        .api(OFFICER)
        .get(&format!("/api/v1/cases/{id}/documents/1.pdf"))
        .await;
    file_reply_checks(&pdf, "application/pdf", "pdf");
    assert_eq!(sm3_hex(&pdf.bytes), sm3);
    assert_eq!(
        case["documents"][0]["seal"]["bytes"],
        json!(pdf.bytes.len())
    );
    if let Some(text) = pdftotext(&pdf.bytes) {
        // pdftotext may break the title across lines or spaces; compare without whitespace.
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(ACCEPTANCE), "{text}");
        assert!(flat.contains("王民警同志"), "{text}");
        assert!(flat.contains("第十三条"), "{text}");
    }
    // It is archived where the seal says, byte for byte.
    let archived = e.archive().join(&id).join(format!("1-{sm3}.pdf"));
    assert_eq!(std::fs::read(&archived).unwrap(), pdf.bytes);

    // The DOCX beside it, typeset on demand (a ZIP package).
    let docx = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/1.docx"))
        .await;
    file_reply_checks(
        &docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    );
    assert!(docx.bytes.starts_with(b"PK"), "not a ZIP package");

    // Exactly who may view the case: an officer of another unit is refused, as for the case.
    for path in ["1.pdf", "1.docx", "1"] {
        let r = e
            .api(OUTSIDER)
            .get(&format!("/api/v1/cases/{id}/documents/{path}"))
            .await;
        let m = r.error(StatusCode::NOT_FOUND);
        assert!(m.contains("不存在"), "{m}");
        assert!(!r.body.contains(ACCEPTANCE));
    }
    assert_eq!(
        e.api(OUTSIDER)
            .get(&format!("/api/v1/cases/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // No such notice, no such case, no such format.
    e.api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/2.pdf"))
        .await
        .error(StatusCode::NOT_FOUND);
    e.api(OFFICE)
        .get("/api/v1/cases/A2024-999999/documents/1.pdf")
        .await
        .error(StatusCode::NOT_FOUND);
    e.api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/1.txt"))
        .await
        .error(StatusCode::BAD_REQUEST);
    // And the JSON of the notice is still there at the plain number.
    let one = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/1"))
        .await;
    assert_eq!(one.json()["seal"]["sm3"], sm3.as_str());
}

#[tokio::test]
async fn issue6_the_case_page_links_the_files_and_the_check_tells_match_from_mismatch() {
    let e = env(true).await;
    let (id, _) = accepted_case(&e).await;
    let office = e.page("p-office");

    let page = office.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/cases/{id}/documents/1.pdf")));
    assert!(page.body.contains(&format!("/cases/{id}/documents/1.docx")));
    assert!(page.body.contains("已定稿"));
    assert!(
        page.body.contains("文书定稿（"),
        "the seal is in the timeline"
    );

    let pdf = office.get(&format!("/cases/{id}/documents/1.pdf")).await;
    file_reply_checks(&pdf, "application/pdf", "pdf");
    let sm3 = sm3_hex(&pdf.bytes);
    let doc = office.get(&format!("/cases/{id}/documents/1")).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body.contains(&sm3), "the page shows the recorded SM3");
    assert!(doc.body.contains("核对"));
    // Issue 22 item 12: the notice's page prints from a button (assets/app.js).
    assert!(doc.body.contains("data-print>打印本页</button>"));

    let path = format!("/cases/{id}/documents/1/check");
    let csrf = ("_csrf", "csrf-p-office");
    // The genuine file: 一致.
    let r = check(
        &office,
        &path,
        multipart(&[csrf], Some(("受理通知书.pdf", &pdf.bytes))),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("一致：文件“受理通知书.pdf”"), "{}", r.body);
    // One byte changed: 不一致.
    let mut altered = pdf.bytes.clone();
    let last = altered.len() - 2;
    altered[last] ^= 1;
    let r = check(
        &office,
        &path,
        multipart(&[csrf], Some(("受理通知书.pdf", &altered))),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("不一致："), "{}", r.body);
    assert!(r.body.contains(&sm3_hex(&altered)));
    // A pasted digest, as people copy it (upper case, prefixed): 一致; another: 不一致.
    let pasted = format!("SM3 {}", sm3.to_uppercase());
    let r = check(
        &office,
        &path,
        multipart(&[csrf, ("digest", &pasted)], None),
    )
    .await;
    assert!(r.body.contains("一致：粘贴的摘要"), "{}", r.body);
    let other = "0".repeat(64);
    let r = check(&office, &path, multipart(&[csrf, ("digest", &other)], None)).await;
    assert!(r.body.contains("不一致：粘贴的摘要"), "{}", r.body);
    // Not a digest, nothing given, no CSRF token: refused in Chinese.
    let r = check(&office, &path, multipart(&[csrf, ("digest", "abc")], None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("64 位十六进制"), "{}", r.body);
    let r = check(&office, &path, multipart(&[csrf], None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = check(&office, &path, multipart(&[("digest", &sm3)], None)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The applicant may view the case, so they get the files and the check too.
    let applicant = e.page("p-off");
    let theirs = applicant.get(&format!("/cases/{id}/documents/1.pdf")).await;
    assert_eq!(sm3_hex(&theirs.bytes), sm3);
    // An officer of another unit sees none of it.
    let outsider = e.page("p-yq");
    for p in ["1", "1.pdf", "1.docx"] {
        let r = outsider.get(&format!("/cases/{id}/documents/{p}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
        assert!(!r.body.contains(&sm3));
    }
    let r = check(
        &outsider,
        &path,
        multipart(&[("_csrf", "csrf-p-yq"), ("digest", &sm3)], None),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("一致"));
    // Paths that name no notice.
    for p in ["0", "2", "1.txt", "x.pdf"] {
        let r = office.get(&format!("/cases/{id}/documents/{p}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    for p in ["x", "1.pdf", "2"] {
        let r = check(
            &office,
            &format!("/cases/{id}/documents/{p}/check"),
            multipart(&[csrf, ("digest", &sm3)], None),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
}

#[tokio::test]
async fn issue6_an_archived_pdf_altered_on_disk_is_refused_and_a_lost_one_is_restored_only_if_identical(
) {
    let e = env(true).await;
    let (id, _) = accepted_case(&e).await;
    let office = e.page("p-office");
    let path = format!("/cases/{id}/documents/1.pdf");
    let genuine = office.get(&path).await.bytes;
    let sm3 = sm3_hex(&genuine);
    let archived = e.archive().join(&id).join(format!("1-{sm3}.pdf"));

    std::fs::write(&archived, b"%PDF-1.7 forged").unwrap();
    let r = office.get(&path).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("已损坏或被篡改"), "{}", r.body);
    assert!(r.body.contains(&sm3));

    // Lost: typeset again — the same text with the same fonts gives the same bytes, so the
    // copy is served and put back; anything else would be refused (409).
    std::fs::remove_file(&archived).unwrap();
    let r = office.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(sm3_hex(&r.bytes), sm3);
    assert_eq!(std::fs::read(&archived).unwrap(), genuine);
}

#[tokio::test]
async fn issue6_without_a_seal_the_notice_is_typeset_on_demand_and_marked_unsealed() {
    let e = env(false).await;
    let (id, accepted) = accepted_case(&e).await;
    assert_eq!(accepted["events"].as_array().unwrap().len(), 1);
    assert_eq!(
        accepted["unsealed_documents"],
        json!([]),
        "nothing was tried"
    );
    let case = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}"))
        .await
        .json();
    assert!(case["documents"][0]["seal"].is_null());

    let office = e.page("p-office");
    let page = office.get(&format!("/cases/{id}")).await;
    assert!(page.body.contains("未定稿"));
    let doc = office.get(&format!("/cases/{id}/documents/1")).await;
    assert!(doc.body.contains("未定稿"));
    assert!(
        !doc.body.contains("name=\"digest\""),
        "no check without a seal"
    );

    let pdf = e
        .api(OFFICER)
        .get(&format!("/api/v1/cases/{id}/documents/1.pdf"))
        .await;
    file_reply_checks(&pdf, "application/pdf", "pdf");
    let cd = pdf.header(header::CONTENT_DISPOSITION);
    assert!(cd.contains(&enc("（未定稿）")), "{cd}");
    if let Some(text) = pdftotext(&pdf.bytes) {
        let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(ACCEPTANCE), "{text}");
    }
    // Nothing to check against.
    let r = check(
        &office,
        &format!("/cases/{id}/documents/1/check"),
        multipart(
            &[("_csrf", "csrf-p-office"), ("digest", &"0".repeat(64))],
            None,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未定稿"), "{}", r.body);
}

/// A casualty 维权 incident (001 §17) at 左旗局 reported up to the 盟局: the report is a notice of
/// the incident process, sealed and served like the application's (issue 7 on issue 6's
/// machinery): the API lists it with its seal, the PDF served is the archived one, the 核对 form
/// and the older `/notices/n` address show the same sealed notice, an outsider is refused.
#[tokio::test]
async fn issue7_001_s17_an_incident_report_up_is_sealed_downloaded_and_checked() {
    let e = env(true).await;
    let opened = e
        .api(OFFICER)
        .post_json(
            "/api/v1/cases",
            &json!({ "kind": "incident", "command": {
                "action": "incident_report", "source": "officer", "officer": "p-off",
                "unit": "zq-pcs", "org": "zq", "incident_type": "violent_attack",
                "occurred_on": "2024-10-08", "place": "巴彦浩特镇团结路",
                "description": "民警王民警处置纠纷时被当事人持械袭击，头部受伤",
                "victims": [{ "name": "王民警", "kind": "officer", "harm": "头部轻伤" }],
                "casualties": true
            } }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let id = opened.json()["case_id"].as_str().unwrap().to_string();

    // The detail lists the report with its seal and file addresses; the trail records the seal.
    let detail = e.api(OFFICE).get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let d = detail.json();
    let doc = &d["documents"][0];
    let title = doc["title"].as_str().unwrap().to_string();
    let sm3 = doc["seal"]["sm3"].as_str().expect("sealed").to_string();
    assert_eq!(sm3.len(), 64);
    assert_eq!(doc["pdf"], format!("/api/v1/cases/{id}/documents/1.pdf"));
    assert!(
        d["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["description"] == format!("文书定稿（{title}）")),
        "{}",
        d["timeline"]
    );
    // The documents list of the API is the same for every case kind.
    let list = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents"))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["documents"][0]["seal"]["sm3"], sm3.as_str());

    // The PDF served is the archived one: its SM3 is the recorded digest; poppler reads it.
    let pdf = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/1.pdf"))
        .await;
    file_reply_checks_titled(&pdf, "application/pdf", "pdf", &title);
    assert_eq!(sm3_hex(&pdf.bytes), sm3);
    if let Some(text) = pdftotext(&pdf.bytes) {
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains(&title), "{text}");
        assert!(flat.contains("持械袭击"), "{text}");
    }
    let docx = e
        .api(OFFICE)
        .get(&format!("/api/v1/cases/{id}/documents/1.docx"))
        .await;
    file_reply_checks_titled(&docx, DOCX, "docx", &title);

    // The case page links the files with the seal; the notice page under both addresses.
    let office = e.page("p-office");
    let page = office.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/cases/{id}/documents/1.pdf")));
    assert!(page.body.contains("已定稿"));
    for path in [
        format!("/cases/{id}/documents/1"),
        format!("/cases/{id}/notices/1"),
    ] {
        let p = office.get(&path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(p.body.contains(&sm3) && p.body.contains("核对"), "{path}");
    }
    // 核对: the genuine file matches, an altered one does not.
    let path = format!("/cases/{id}/documents/1/check");
    let csrf = ("_csrf", "csrf-p-office");
    let r = check(
        &office,
        &path,
        multipart(&[csrf], Some(("报告.pdf", &pdf.bytes))),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("一致：文件“报告.pdf”"), "{}", r.body);
    let mut altered = pdf.bytes.clone();
    let last = altered.len() - 10;
    altered[last] ^= 1;
    let r = check(
        &office,
        &path,
        multipart(&[csrf], Some(("报告.pdf", &altered))),
    )
    .await;
    assert!(r.body.contains("不一致"), "{}", r.body);

    // Exactly to those who may view the case.
    for path in [
        format!("/api/v1/cases/{id}/documents/1.pdf"),
        format!("/api/v1/cases/{id}/documents"),
    ] {
        let r = e.api(OUTSIDER).get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let r = e.page("p-yq").get(&format!("/cases/{id}/notices/1")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
