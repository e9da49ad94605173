//! Evidence files through the pages, in-process: the office uploads a file to a case (multipart,
//! with the form's CSRF token), the applicant downloads it byte for byte under its Chinese name,
//! an officer of another unit and a digest not in the case are refused, a file altered on disk
//! is refused on download with the Chinese message, and an upload without CSRF changes nothing.

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
    ] {
        let p = person(id, name, org_id, "民警", Some(id));
        common::add_person(&app, &p, &[(role, org_id)]).await;
        common::add_session(&app, id).await;
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
        let r = self
            .post_form(
                "zhang",
                "/cases/new",
                &[
                    ("_csrf", "csrf-zhang"),
                    ("applying_unit", "pcs"),
                    ("applicant", "zhang"),
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

    // An officer of another unit may neither download nor upload (policies: 403).
    let r = e.get("li", &format!("/cases/{id}/evidence/{digest}")).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("无权"), "{}", r.body);
    let other = b"another file".to_vec();
    let r = e
        .upload(
            "li",
            &id,
            multipart(&[("_csrf", "csrf-li")], Some(("x.txt", &other))),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
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
