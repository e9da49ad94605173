//! Evidence files through the pages, in-process: the office uploads a file to a case (multipart,
//! with the form's CSRF token), the applicant downloads it byte for byte under its Chinese name,
//! an officer of another unit and a digest not in the case are refused, a file altered on disk
//! is refused on download with the Chinese message, and an upload without CSRF changes nothing.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request};
use chrono::{Duration, NaiveDate};
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::auth::token_digest;
use lvzhi_server::{router, App, Clock, DataFiles, ServeConfig};
use lvzhi_store::{sm3_hex, GrantRecord, OrgRecord, PersonRecord};
use tower::ServiceExt;

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

struct Env {
    app: App,
    evidence_dir: PathBuf,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: u16,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// 盟局 → 左旗局 (维权办 王办) → 派出所 (民警 张三), 督察大队; 右旗局 (民警 李四, another unit).
async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(ServeConfig {
        addr: "127.0.0.1:0".into(),
        db_url: format!("sqlite://{}", dir.path().join("e.db").display()),
        data_dir: dir.path().to_path_buf(),
        demo: false,
        clock: Clock::fixed(NaiveDate::from_ymd_opt(2024, 10, 8).unwrap()),
        calendar: Calendar::embedded(),
        packs: PackSet::load(PACKS.iter().copied()).unwrap(),
        files: Arc::new(NoFiles),
        secure_cookies: false,
        remind_within_wd: 3,
        // The default: DATA_DIR/evidence.
        evidence_url: None,
    })
    .await
    .unwrap();
    let s = app.store();
    for (id, parent, name, kind) in [
        ("meng", None, "阿拉善盟公安局", "bureau"),
        ("zuoqi", Some("meng"), "阿拉善左旗公安局", "bureau"),
        ("pcs", Some("zuoqi"), "巴彦浩特派出所", "station"),
        ("duca", Some("zuoqi"), "督察大队", "department"),
        ("youqi", Some("meng"), "阿拉善右旗公安局", "bureau"),
    ] {
        s.put_org(
            "test",
            &OrgRecord {
                id: id.into(),
                parent_id: parent.map(str::to_string),
                name: name.into(),
                kind: kind.into(),
            },
        )
        .await
        .unwrap();
    }
    for (id, name, org, role) in [
        ("zhang", "张三", "pcs", "officer"),
        ("wang", "王办", "zuoqi", "office"),
        ("li", "李四", "youqi", "officer"),
    ] {
        s.put_person(
            "test",
            &PersonRecord {
                id: id.into(),
                name: name.into(),
                org_id: org.into(),
                title: "民警".into(),
                login: Some(id.into()),
                must_change_password: false,
                disabled: false,
            },
        )
        .await
        .unwrap();
        s.grant(
            "test",
            &GrantRecord {
                person_id: id.into(),
                role: role.into(),
                org_id: org.into(),
            },
        )
        .await
        .unwrap();
        let now = app.clock().now();
        s.create_session(
            &token_digest(&format!("tok-{id}")),
            id,
            &format!("csrf-{id}"),
            now,
            now + Duration::hours(2),
        )
        .await
        .unwrap();
    }
    app.reload_directory().await.unwrap();
    Env {
        app,
        evidence_dir: dir.path().join("evidence"),
        _dir: dir,
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
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

impl Env {
    async fn send(&self, who: &str, req: axum::http::request::Builder, body: Vec<u8>) -> Reply {
        let req = req
            .header(header::COOKIE, format!("lvzhi_session=tok-{who}"))
            .body(Body::from(body))
            .unwrap();
        let res = router(self.app.clone()).oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, who: &str, path: &str) -> Reply {
        self.send(who, Request::get(path), Vec::new()).await
    }

    async fn post_form(&self, who: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(who, req, body.into_bytes()).await
    }

    async fn upload(&self, who: &str, case: &str, body: Vec<u8>) -> Reply {
        let req = Request::post(format!("/cases/{case}/evidence")).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        self.send(who, req, body).await
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
        assert_eq!(r.status, 303, "{}", r.text());
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
    let page = e.get("wang", &format!("/cases/{id}")).await.text();
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
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header(header::LOCATION),
        format!("/cases/{id}?msg=recorded#evidence")
    );
    // Stored by digest, and recorded on the case (the applicant sees it listed).
    assert!(e.evidence_dir.join(&digest[..2]).join(&digest).exists());
    let page = e.get("zhang", &format!("/cases/{id}")).await.text();
    assert!(page.contains("询问笔录 第1次.pdf"), "{page}");
    assert!(page.contains("民警现场处置时的询问笔录"));
    assert!(page.contains(&format!("/cases/{id}/evidence/{digest}")));

    let r = e
        .get("zhang", &format!("/cases/{id}/evidence/{digest}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.body, bytes, "byte for byte");
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
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("该证据文件已在案"), "{}", r.text());

    // No file chosen, or an empty one: told in Chinese.
    let r = e
        .upload("wang", &id, multipart(&[("_csrf", "csrf-wang")], None))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("请选择要上传的证据文件"));
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("空.txt", b""))),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("是空文件"), "{}", r.text());
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
    assert_eq!(r.status, 303, "{}", r.text());

    // An officer of another unit may neither download nor upload (policies: 403).
    let r = e.get("li", &format!("/cases/{id}/evidence/{digest}")).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("无权"), "{}", r.text());
    let other = b"another file".to_vec();
    let r = e
        .upload(
            "li",
            &id,
            multipart(&[("_csrf", "csrf-li")], Some(("x.txt", &other))),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
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
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(r.text().contains("没有登记摘要为"), "{}", r.text());
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
        r.status,
        303,
        "the applicant may add evidence too: {}",
        r.text()
    );
    let path = e.evidence_dir.join(&digest[..2]).join(&digest);
    std::fs::write(&path, "伪造的内容".as_bytes()).unwrap();
    let r = e
        .get("wang", &format!("/cases/{id}/evidence/{digest}"))
        .await;
    assert_eq!(r.status, 409, "{}", r.text());
    let text = r.text();
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
        assert_eq!(r.status, 403, "{fields:?}: {}", r.text());
        assert!(r.text().contains("提交的表单已过期或来源无法确认"));
    }
    assert!(!e.evidence_dir.join(&digest[..2]).join(&digest).exists());
    let page = e.get("wang", &format!("/cases/{id}")).await.text();
    assert!(page.contains("尚无证据材料"), "nothing recorded");
    // Not signed in: sent to the login page.
    let req = Request::post(format!("/cases/{id}/evidence")).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    let res = router(e.app.clone())
        .oneshot(
            req.body(Body::from(multipart(&[], Some(("a.txt", &bytes)))))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    // Not multipart at all: a Chinese 400, not axum's English.
    let r = e
        .post_form(
            "wang",
            &format!("/cases/{id}/evidence"),
            &[("_csrf", "csrf-wang")],
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("上传内容无法识别"), "{}", r.text());
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
    assert_eq!(r.status, 303, "{}", r.text());
    let big = vec![1u8; 50 * 1024 * 1024 + 1];
    let r = e
        .upload(
            "wang",
            &id,
            multipart(&[("_csrf", "csrf-wang")], Some(("过大.bin", &big))),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("不能超过 50 MiB"), "{}", r.text());
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
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("不能超过 50 MiB"), "{}", r.text());
}
