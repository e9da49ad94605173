//! Evidence files through the pages, in-process: the office uploads a file to a case (multipart,
//! with the form's CSRF token), the applicant downloads it byte for byte under its Chinese name,
//! an officer of another unit and a digest not in the case are refused, a file altered on disk
//! is refused on download with the Chinese message, and an upload without CSRF changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::path::PathBuf;

use axum::http::{header, request, Request};
use common::{org, person, Client, Reply, Target, TestApp, Who};
use lvzhi_server::App;
use lvzhi_store::sm3_hex;

struct Env {
    app: App,
    target: Target,
    evidence_dir: PathBuf,
    _dir: tempfile::TempDir,
}

/// 盟局 → 左旗局 (维权办 王办) → 派出所 (民警 张三), 督察大队; 右旗局 (民警 李四, another unit).
async fn env() -> Env {
    let TestApp { app, dir } = common::fresh(common::day("2024-10-08")).await;
    common::add_orgs(
        &app,
        &[
            org("meng", None, "阿拉善盟公安局", "bureau"),
            org("zuoqi", Some("meng"), "阿拉善左旗公安局", "bureau"),
            org("pcs", Some("zuoqi"), "巴彦浩特派出所", "station"),
            org("duca", Some("zuoqi"), "督察大队", "department"),
            org("youqi", Some("meng"), "阿拉善右旗公安局", "bureau"),
        ],
    )
    .await;
    for (id, name, org_id, role) in [
        ("zhang", "张三", "pcs", "officer"),
        ("wang", "王办", "zuoqi", "office"),
        ("li", "李四", "youqi", "officer"),
        ("zhao", "赵办", "youqi", "office"),
    ] {
        let p = person(id, name, org_id, "民警", Some(id));
        common::add_person(&app, &p, &[(role, org_id)]).await;
        common::add_session(&app, id).await;
        common::add_token(&app, &format!("t-{id}"), &format!("api-{id}"), id).await;
    }
    app.reload_directory().await.unwrap();
    Env {
        target: Target::in_process(&app),
        app,
        // The default evidence store: DATA_DIR/evidence.
        evidence_dir: dir.path().join("evidence"),
        _dir: dir,
    }
}

const BOUNDARY: &str = "----lvzhi-test-boundary-7d2f";

/// A multipart body: text fields, then the file part (if any) as a browser sends it.
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
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A multipart upload to the case's evidence (the body from `multipart`).
fn upload_request(case: &str) -> request::Builder {
    Request::post(format!("/cases/{case}/evidence")).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    )
}

impl Env {
    /// Requests as `who` (a person id with a session).
    fn session(&self, who: &str) -> Client {
        Client::new(&self.target, Who::session_of(who))
    }

    async fn get(&self, who: &str, path: &str) -> Reply {
        self.session(who).get(path).await
    }

    /// Posts exactly these fields (the CSRF token only if among them).
    async fn post_form(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.session(who).post_raw(path, fields).await
    }

    async fn upload(&self, who: &str, case: &str, body: Vec<u8>) -> Reply {
        self.session(who).send(upload_request(case), body).await
    }

    /// Files an application as 张三 and returns the case id.
    async fn filed(&self) -> String {
        self.filed_by("zhang", "pcs").await
    }

    /// Files an application as `who` of unit `unit` and returns the case id.
    async fn filed_by(&self, who: &str, unit: &str) -> String {
        let csrf = format!("csrf-{who}");
        let r = self
            .post_form(
                who,
                "/cases/new",
                &[
                    ("_csrf", &csrf),
                    ("applying_unit", unit),
                    ("applicant", who),
                    ("matter", "申请对警告处分适用依法履职免责"),
                    ("reasons", "依法处置警情时相对人自伤"),
                    ("decision.department", "duca"),
                    ("decision.sanction", "warning"),
                    ("decision.decided_on", "2024-09-20"),
                    ("decision.document_number", "左公督〔2024〕3号"),
                    ("op", "file"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        r.header(header::LOCATION)
            .strip_prefix("/cases/")
            .and_then(|l| l.strip_suffix("?msg=recorded"))
            .unwrap()
            .to_string()
    }
}

/// Bytes no text decoder would leave alone.
fn content() -> Vec<u8> {
    let mut v: Vec<u8> = "询问笔录（第一次）\n".as_bytes().to_vec();
    v.extend((0..=255u8).cycle().take(300_000));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_uploads_and_the_applicant_downloads() {
    let e = env().await;
    let id = e.filed().await;
    let bytes = content();
    let digest = sm3_hex(&bytes);

    // The office sees the upload form on the case page.
    let page = e.get("wang", &format!("/cases/{id}")).await.body;
    assert!(page.contains("证据材料"), "{page}");
    assert!(page.contains("尚无证据材料"));
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");
    assert!(page.contains(&format!("action=\"/cases/{id}/evidence\"")));

    let r = e
        .upload(
            "wang",
            &id,
            multipart(
                &[
                    ("_csrf", "csrf-wang"),
                    ("expected_version", "1"),
                    ("description", "民警现场处置时的询问笔录"),
                ],
                Some(("询问笔录 第1次.pdf", &bytes)),
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header(header::LOCATION),
        format!("/cases/{id}?msg=recorded#evidence")
    );
    // Stored by digest, and recorded on the case (the applicant sees it listed).
    assert!(e.evidence_dir.join(&digest[..2]).join(&digest).exists());
    let page = e.get("zhang", &format!("/cases/{id}")).await.body;
    assert!(page.contains("询问笔录 第1次.pdf"), "{page}");
    assert!(page.contains("民警现场处置时的询问笔录"));
    assert!(page.contains(&format!("/cases/{id}/evidence/{digest}")));

    let r = e
        .get("zhang", &format!("/cases/{id}/evidence/{digest}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.bytes, bytes, "byte for byte");
    assert_eq!(r.header(header::CONTENT_TYPE), "application/octet-stream");
    let cd = r.header(header::CONTENT_DISPOSITION);
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert!(
        cd.ends_with(
            "filename*=UTF-8''%E8%AF%A2%E9%97%AE%E7%AC%94%E5%BD%95%20%E7%AC%AC1%E6%AC%A1.pdf"
        ),
        "{cd}"
    );
    assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");

    // The same file twice: refused by the workflow (already in the case), nothing new recorded.
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("again.pdf", &bytes))),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("该证据文件已在案"), "{}", r.body);

    // No file chosen, or an empty one: told in Chinese.
    let r = e
        .upload("wang", &id, multipart(&[("_csrf", "csrf-wang")], None))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("请选择要上传的证据文件"));
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("空.txt", b""))),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("是空文件"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_outside_the_case_and_for_digests_not_in_it() {
    let e = env().await;
    let id = e.filed().await;
    let bytes = "现场照片".as_bytes().to_vec();
    let digest = sm3_hex(&bytes);
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("照片.jpg", &bytes))),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // An officer of another unit may neither download nor upload: the case is not his to
    // see, answered as a missing one (issue 19).
    let r = e.get("li", &format!("/cases/{id}/evidence/{digest}")).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(r.body.contains("不存在"), "{}", r.body);
    let other = b"another file".to_vec();
    let r = e
        .upload(
            "li",
            &id,
            multipart(&[("_csrf", "csrf-li")], Some(("x.txt", &other))),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let d = sm3_hex(&other);
    assert!(
        !e.evidence_dir.join(&d[..2]).join(&d).exists(),
        "nothing stored for a refused upload"
    );

    // A digest the case does not record — even one stored for another reason — is 404.
    let stray = e.app.evidence().put(b"not this case's").await.unwrap();
    for path in [
        format!("/cases/{id}/evidence/{}", stray.digest),
        format!("/cases/{id}/evidence/{}", "0".repeat(64)),
        format!("/cases/{id}/evidence/not-a-digest"),
    ] {
        let r = e.get("zhang", &path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(r.body.contains("没有登记摘要为"), "{}", r.body);
    }
    // A case that does not exist: 404 as well.
    let r = e
        .get("zhang", &format!("/cases/A2024-999/evidence/{digest}"))
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_altered_on_disk_is_refused_on_download() {
    let e = env().await;
    let id = e.filed().await;
    let bytes = "执法记录仪视频（节选）".as_bytes().to_vec();
    let digest = sm3_hex(&bytes);
    let r = e
        .upload(
            "zhang",
            &id,
            multipart(&[("_csrf", "csrf-zhang")], Some(("视频.mp4", &bytes))),
        )
        .await;
    assert_eq!(
        r.status, 303,
        "the applicant may add evidence too: {}",
        r.body
    );
    let path = e.evidence_dir.join(&digest[..2]).join(&digest);
    std::fs::write(&path, "伪造的内容".as_bytes()).unwrap();
    let r = e
        .get("wang", &format!("/cases/{id}/evidence/{digest}"))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let text = r.body.clone();
    assert!(
        text.contains(&format!("证据文件 {digest} 已损坏或被篡改")),
        "{text}"
    );
    assert!(
        !text.contains("伪造的内容"),
        "the altered content is never served"
    );
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_without_the_csrf_token_changes_nothing() {
    let e = env().await;
    let id = e.filed().await;
    let bytes = b"csrf probe".to_vec();
    let digest = sm3_hex(&bytes);
    for fields in [
        vec![("description", "无令牌")],
        vec![("_csrf", "csrf-zhang"), ("description", "他人的令牌")],
        vec![("_csrf", ""), ("description", "空令牌")],
    ] {
        let r = e
            .upload("wang", &id, multipart(&fields, Some(("a.txt", &bytes))))
            .await;
        assert_eq!(r.status, 403, "{fields:?}: {}", r.body);
        assert!(r.body.contains("提交的表单已过期或来源无法确认"));
    }
    assert!(!e.evidence_dir.join(&digest[..2]).join(&digest).exists());
    let page = e.get("wang", &format!("/cases/{id}")).await.body;
    assert!(page.contains("尚无证据材料"), "nothing recorded");
    // Not signed in: sent to the login page.
    let r = Client::new(&e.target, Who::Nobody)
        .send(upload_request(&id), multipart(&[], Some(("a.txt", &bytes))))
        .await;
    assert_eq!(r.status, 303);
    // Not multipart at all: a Chinese 400, not axum's English.
    let r = e
        .post_form(
            "wang",
            &format!("/cases/{id}/evidence"),
            &[("_csrf", "csrf-wang")],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("上传内容无法识别"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_up_to_50_mib_are_accepted_and_larger_ones_refused() {
    let e = env().await;
    let id = e.filed().await;
    // Above the server's general 8 MiB request limit: the upload route has its own.
    let nine = vec![7u8; 9 * 1024 * 1024];
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("大文件.bin", &nine))),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let big = vec![1u8; 50 * 1024 * 1024 + 1];
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("过大.bin", &big))),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("不能超过 50 MiB"), "{}", r.body);
    let d = sm3_hex(&big);
    assert!(!e.evidence_dir.join(&d[..2]).join(&d).exists());
    // Past the route's request limit: cut off while reading, the same message.
    let huge = vec![2u8; 51 * 1024 * 1024];
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("更大.bin", &huge))),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("不能超过 50 MiB"), "{}", r.body);
}

/// The API's multipart upload of evidence (issue 19).
fn api_upload_request(case: &str) -> request::Builder {
    Request::post(format!("/api/v1/cases/{case}/evidence")).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    )
}

/// Issue 19 item 1, the attack as found: 李四 may not see 张三's case, but recorded 张三's
/// digest on his own case through `add_evidence` and then read 张三's 询问笔录 byte for byte
/// through his own case. A digest no upload to the case produced is refused in Chinese and
/// nothing is recorded; the API takes the bytes themselves (multipart), as the page does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_seen_elsewhere_records_nothing_and_reads_nothing() {
    let e = env().await;
    let zhang_case = e.filed().await;
    let secret = "询问笔录：张三案的当事人陈述（不应外泄）"
        .as_bytes()
        .to_vec();
    let digest = sm3_hex(&secret);
    let r = e
        .upload(
            "zhang",
            &zhang_case,
            multipart(&[("_csrf", "csrf-zhang")], Some(("询问笔录.txt", &secret))),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let li_case = e.filed_by("li", "youqi").await;
    let li = Client::new(&e.target, Who::bearer("api-li"));
    assert_eq!(
        li.get(&format!("/api/v1/cases/{zhang_case}")).await.status,
        404
    );
    let never = "0f".repeat(32);
    for sm3 in [digest.as_str(), never.as_str()] {
        let r = li
            .post_json(
                &format!("/api/v1/cases/{li_case}/actions"),
                &serde_json::json!({"command": {"action": "add_evidence",
                    "evidence": {"sm3": sm3, "file_name": "x.txt"}}}),
            )
            .await;
        assert_eq!(r.status, 422, "{sm3}: {}", r.body);
        assert!(
            r.error(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
                .contains("仅凭摘要不能登记"),
            "{}",
            r.body
        );
        // The page's action form is refused the same way.
        let r = e
            .post_form(
                "li",
                &format!("/cases/{li_case}/act/add_evidence"),
                &[
                    ("_csrf", "csrf-li"),
                    ("evidence.sm3", sm3),
                    ("evidence.file_name", "x.txt"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{sm3}: {}", r.body);
        let r = e
            .get("li", &format!("/cases/{li_case}/evidence/{sm3}"))
            .await;
        assert_eq!(r.status, 404, "{sm3}: {}", r.body);
        assert!(!r
            .bytes
            .windows(secret.len())
            .any(|w| w == secret.as_slice()));
    }
    let detail = li.get(&format!("/api/v1/cases/{li_case}")).await.json();
    assert!(
        !detail.to_string().contains(&digest),
        "nothing recorded: {detail}"
    );

    // The action's page is the upload form itself, not a field for a digest.
    let page = e
        .get("li", &format!("/cases/{li_case}/act/add_evidence"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("enctype=\"multipart/form-data\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"evidence.sm3\""),
        "{}",
        page.body
    );

    // With the bytes, through the API: recorded, and readable through his own case.
    let own = "李四本人的现场照片".as_bytes().to_vec();
    let r = li
        .send(
            api_upload_request(&li_case),
            multipart(&[("description", "现场照片")], Some(("照片.jpg", &own))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["events"][0]["kind"],
        "evidence_added",
        "{}",
        r.body
    );
    let r = e
        .get(
            "li",
            &format!("/cases/{li_case}/evidence/{}", sm3_hex(&own)),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.bytes), (200, own));
    // The same bytes as 张三's, uploaded by 李四 himself, are his to record: he has them.
    let r = li
        .send(
            api_upload_request(&li_case),
            multipart(&[], Some(("同一文件.txt", &secret))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The API upload asks for the file and the case's scope like the page.
    let r = li
        .send(
            api_upload_request(&zhang_case),
            multipart(&[], Some(("y.txt", b"y"))),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = li
        .send(
            api_upload_request(&li_case),
            multipart(&[("description", "无文件")], None),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("请选择要上传的证据文件"), "{}", r.body);
}

/// Issue 19 item 7: the page's CSRF token is checked before the file is read, so a large body
/// without it is refused at once rather than read whole. The body here never ends: read whole,
/// the request would hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_without_its_token_is_refused_before_the_file_is_read() {
    let e = env().await;
    let id = e.filed().await;
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let chunk = vec![b'x'; 1024 * 1024];
    use futures_util::StreamExt;
    let stream = futures_util::stream::iter(
        std::iter::once(Ok::<_, std::io::Error>(head.into_bytes()))
            .chain(std::iter::repeat_with(move || Ok(chunk.clone())).take(40)),
    )
    .chain(futures_util::stream::pending());
    let body = axum::body::Body::from_stream(stream);
    let r = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        e.session("wang").send(upload_request(&id), body),
    )
    .await
    .expect("refused without reading the endless body");
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("提交的表单已过期或来源无法确认"),
        "{}",
        r.body
    );
}
