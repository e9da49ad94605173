//! The written notices of a case (issue 6): the document page with its seal, the PDF and DOCX
//! downloads, and the 核对 check of a printed or forwarded copy against the record.
//!
//! `/cases/{id}/documents/{n}` is the page; `{n}.pdf` and `{n}.docx` are the files (one route:
//! the router has no suffix parameters). Each is served exactly to whoever may view the case
//! (Cedar `view`, as the case page). A sealed notice's PDF is the archived one, re-hashed
//! against its seal on every read; a notice without a seal is typeset on demand and marked
//! 未定稿 (its file name says so). The DOCX is always typeset on demand, for editing.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_processes::SealEntry;
use lvzhi_store::{sm3_hex, StoreError};
use lvzhi_workflow::{Document, DocumentSeal, EventKind};
use maud::{html, Markup};

use super::case_page::{load_any, AnyCaseCtx, CaseCtx};
use super::{csrf_field, page, PageResult, PageUser};
use crate::app::App;
use crate::auth::{constant_eq, User};
use crate::error::AppError;
use crate::processes::ProcessCtx;

/// The largest file the 核对 form takes (a notice's PDF is tens of kilobytes).
const MAX_CHECK_BYTES: usize = 20 * 1024 * 1024;

pub const PDF: &str = "application/pdf";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}/documents/{file}", get(document))
        .route(
            "/cases/{id}/documents/{n}/check",
            post(check).layer(DefaultBodyLimit::max(MAX_CHECK_BYTES + 64 * 1024)),
        )
}

/// What a document path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Page,
    Pdf,
    Docx,
}

/// `3` → the page of notice 3; `3.pdf`, `3.docx` → its files. `None` for anything else.
pub fn parse_file(file: &str) -> Option<(usize, Format)> {
    let (n, format) = match file.split_once('.') {
        None => (file, Format::Page),
        Some((n, "pdf")) => (n, Format::Pdf),
        Some((n, "docx")) => (n, Format::Docx),
        Some(_) => return None,
    };
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 6 {
        return None;
    }
    n.parse().ok().filter(|n| *n > 0).map(|n| (n, format))
}

/// One issued notice of a case: its number (from 1, in order of issue), its text of record,
/// its seal (if sealed) and the day it was sealed.
#[derive(Debug, Clone)]
pub struct Issued {
    pub n: usize,
    pub document: Document,
    pub seal: Option<DocumentSeal>,
    pub sealed_on: Option<chrono::NaiveDate>,
}

/// The notices of one case of any process (the 000 application or one of `lvzhi_processes`),
/// as the document pages, downloads and API read them: every case's notices are numbered,
/// sealed, downloaded and checked the same way.
#[derive(Debug, Clone)]
pub struct CaseDocuments {
    pub case_id: String,
    pub items: Vec<Issued>,
}

impl CaseDocuments {
    /// The notices of an application, with their seals.
    pub fn of_application(ctx: &CaseCtx) -> Self {
        let s = &ctx.loaded.state;
        let sealed_on = |n: usize| {
            ctx.loaded.events.iter().find_map(|e| match &e.kind {
                EventKind::DocumentSealed { seal } if seal.document == n => Some(e.on),
                _ => None,
            })
        };
        let items = ctx
            .loaded
            .events
            .iter()
            .filter_map(|e| e.kind.document())
            .enumerate()
            .map(|(i, document)| Issued {
                n: i + 1,
                document: document.clone(),
                seal: s.seals.get(&(i + 1)).cloned(),
                sealed_on: sealed_on(i + 1),
            })
            .collect();
        CaseDocuments {
            case_id: ctx.loaded.case_id.clone(),
            items,
        }
    }

    /// The notices of a case of another process, with their seals.
    pub fn of_process(ctx: &ProcessCtx) -> Self {
        let case = &ctx.loaded.case;
        Self::of_process_parts(&ctx.loaded.case_id, case.documents(), &case.seals())
    }

    /// The notices of a process case from its documents and seals as loaded (the case page has
    /// them in its view already).
    pub fn of_process_parts(case_id: &str, documents: Vec<Document>, seals: &[SealEntry]) -> Self {
        let items = documents
            .into_iter()
            .enumerate()
            .map(|(i, document)| {
                let seal = seals.iter().find(|s| s.seal.document == i + 1);
                Issued {
                    n: i + 1,
                    document,
                    seal: seal.map(|s| s.seal.clone()),
                    sealed_on: seal.map(|s| s.on),
                }
            })
            .collect();
        CaseDocuments {
            case_id: case_id.to_string(),
            items,
        }
    }

    /// The case page's list of the notices: each with its page, its PDF and DOCX, and its seal
    /// (已定稿 · SM3 …) or 未定稿; `addressee` adds each notice's 主送.
    pub fn list(&self, addressee: bool) -> Markup {
        let id = &self.case_id;
        html! {
            @if self.items.is_empty() { p.empty { "尚无文书。" } }
            @else {
                ul.documents {
                    @for d in &self.items {
                        li {
                            a href={ "/cases/" (id) "/documents/" (d.n) } { (d.document.title) }
                            @if addressee { " · " (d.document.addressee) }
                            " · " (date_zh(d.document.issued_on)) " · "
                            a.pdf href={ "/cases/" (id) "/documents/" (d.n) ".pdf" } { "PDF" }
                            " · "
                            a.docx href={ "/cases/" (id) "/documents/" (d.n) ".docx" } { "DOCX" }
                            " "
                            @match &d.seal {
                                Some(seal) => small.hash title={ "定稿 PDF 的 SM3 摘要：" (seal.sm3) } { "已定稿 · SM3 " (seal.sm3.get(..16).unwrap_or(&seal.sm3)) "…" }
                                None => span.badge.provisional title="出具时未生成定稿 PDF；下载的 PDF 为现时排版" { "未定稿" }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The notices of case `case_id` of whichever process, for a user who may view it (404 when
    /// it does not exist, 403 when the user may not see it, as the case page).
    pub async fn load(app: &App, user: &User, case_id: &str) -> Result<Self, AppError> {
        Ok(match load_any(app, user, case_id).await? {
            AnyCaseCtx::Application(ctx) => Self::of_application(&ctx),
            AnyCaseCtx::Process(ctx) => Self::of_process(&ctx),
        })
    }

    /// The notice `n`, or 404.
    pub fn one(&self, n: usize) -> Result<&Issued, AppError> {
        self.items
            .iter()
            .find(|d| d.n == n)
            .ok_or_else(|| AppError::NotFound(format!("案件 {} 没有第 {n} 份文书", self.case_id)))
    }
}

/// The PDF of a notice and whether it is the sealed one: the archived file, re-hashed against
/// its seal; or, without a seal, typeset now.
pub async fn pdf(app: &App, case_id: &str, d: &Issued) -> Result<(Vec<u8>, bool), AppError> {
    let Some(seal) = &d.seal else {
        let typesetter = app.typesetter().clone();
        let document = d.document.clone();
        let r = crate::typeset::blocking(move || typesetter.pdf(&document))
            .await
            .map_err(AppError::from)?;
        return Ok((r.pdf, false));
    };
    match app.evidence().get_document(case_id, d.n, &seal.sm3).await {
        Ok(bytes) => Ok((bytes, true)),
        Err(StoreError::ArchiveMissing { key }) => {
            // Lost from the archive (or the archive moved): typeset again, and serve it only if
            // it is the very PDF sealed — same text, same fonts give the same bytes.
            let typesetter = app.typesetter().clone();
            let document = d.document.clone();
            let again = crate::typeset::blocking(move || typesetter.pdf(&document))
                .await
                .map_err(AppError::from)?;
            if sm3_hex(&again.pdf) == seal.sm3 {
                eprintln!("document archive: {key} was missing; restored from a re-typeset copy");
                let _ = app.evidence().put_document(case_id, d.n, &again.pdf).await;
                Ok((again.pdf, true))
            } else {
                eprintln!("document archive: {key} is missing and a re-typeset copy differs");
                Err(AppError::Conflict(format!(
                    "第 {} 份文书的定稿 PDF 不在存档中，重新排版的文件与定稿时记录的 SM3 摘要不一致（字体或排版程序已变化）；请联系系统管理员恢复存档",
                    d.n
                )))
            }
        }
        Err(e @ StoreError::ArchiveCorrupt { .. }) => {
            // Someone changed the archived file: refuse it and leave a trace for the operator.
            eprintln!("document archive integrity failure: case {case_id}: {e:?}");
            Err(AppError::Conflict(e.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The notice as an editable DOCX, typeset now.
pub async fn docx(app: &App, d: &Issued) -> Result<Vec<u8>, AppError> {
    let typesetter = app.typesetter().clone();
    let document = d.document.clone();
    crate::typeset::blocking(move || typesetter.docx(&document))
        .await
        .map_err(AppError::from)
}

/// Percent-encodes everything but RFC 5987's `attr-char` (the `filename*` of every download).
pub(crate) fn rfc5987(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `A2026-000001-1-免责容错申请受理通知书.pdf` (with `（未定稿）` when unsealed) in UTF-8, and
/// the ASCII `A2026-000001-1.pdf` for old clients (RFC 6266 / RFC 5987).
pub fn content_disposition(case_id: &str, d: &Issued, ext: &str, sealed: bool) -> String {
    let title: String = d
        .document
        .title
        .chars()
        .filter(|c| !c.is_control() && !"/\\\"".contains(*c))
        .collect();
    let mark = if sealed { "" } else { "（未定稿）" };
    let name = format!("{case_id}-{}-{title}{mark}.{ext}", d.n);
    format!(
        "attachment; filename=\"{case_id}-{}.{ext}\"; filename*=UTF-8''{}",
        d.n,
        rfc5987(&name)
    )
}

/// A file reply: its type, its name, never cached.
pub fn file_response(bytes: Vec<u8>, content_type: &'static str, disposition: &str) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The PDF or DOCX of notice `n`, for pages and the API alike.
pub async fn file(
    app: &App,
    docs: &CaseDocuments,
    n: usize,
    format: Format,
) -> Result<Response, AppError> {
    let id = &docs.case_id;
    let d = docs.one(n)?;
    match format {
        Format::Docx => {
            let bytes = docx(app, d).await?;
            Ok(file_response(
                bytes,
                DOCX,
                &content_disposition(id, d, "docx", d.seal.is_some()),
            ))
        }
        _ => {
            let (bytes, sealed) = pdf(app, id, d).await?;
            Ok(file_response(
                bytes,
                PDF,
                &content_disposition(id, d, "pdf", sealed),
            ))
        }
    }
}

async fn document(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, file_name)): Path<(String, String)>,
) -> PageResult {
    let Some((n, format)) = parse_file(&file_name) else {
        return Err(AppError::NotFound("请求的页面不存在".to_string()).into());
    };
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    if format != Format::Page {
        return Ok(file(&app, &docs, n, format).await?);
    }
    let d = docs.one(n)?;
    Ok(render(&app, &user, &docs, d, None))
}

/// The page of notice `n` of a case of any process (also `/cases/{id}/notices/{n}`).
pub async fn notice_page(app: &App, user: &User, id: &str, n: usize) -> PageResult {
    let docs = CaseDocuments::load(app, user, id).await?;
    let d = docs.one(n)?;
    Ok(render(app, user, &docs, d, None))
}

/// The outcome of a 核对.
pub struct CheckResult {
    /// The digest checked (of the file, or as pasted).
    pub digest: String,
    /// Where it came from: the file's name, or "粘贴的摘要".
    pub source: String,
    pub matches: bool,
    /// Another notice of the case whose seal it matches instead.
    pub other: Option<usize>,
}

fn seal_section(docs: &CaseDocuments, d: &Issued) -> Markup {
    let id = &docs.case_id;
    html! {
        section.card.noprint id="seal" {
            h2 { "定稿与核对" }
            @match &d.seal {
                Some(seal) => {
                    p { span.badge { "已定稿" } " 出具时生成的 PDF 已存档，其 SM3 摘要记入案件审计链"
                        @if let Some(on) = d.sealed_on { "（" (date_zh(on)) "）" } "。" }
                    dl.grid {
                        dt { "SM3 摘要" } dd { code.sm3 { (seal.sm3) } }
                        dt { "文件" } dd { (seal.pages) " 页，" (seal.bytes) " 字节" }
                        @if !seal.fonts.is_empty() { dt { "字体" } dd { (seal.fonts.join("、")) } }
                    }
                }
                None => {
                    p { span.badge.provisional { "未定稿" } " 本文书出具时未生成定稿 PDF（出具早于定稿功能，或当时排版、存档失败），没有可供核对的摘要。下载的 PDF 为现时排版，文件名标注“未定稿”。" }
                }
            }
            p {
                a.button href={ "/cases/" (id) "/documents/" (d.n) ".pdf" } { "下载 PDF" }
                " "
                a.button href={ "/cases/" (id) "/documents/" (d.n) ".docx" } { "下载 DOCX（可编辑）" }
            }
        }
    }
}

fn check_form(
    user: &User,
    docs: &CaseDocuments,
    d: &Issued,
    result: Option<&CheckResult>,
) -> Markup {
    let id = &docs.case_id;
    html! {
        section.card.noprint id="check" {
            h2 { "核对" }
            @if let Some(r) = result {
                @if r.matches {
                    div.notice.ok role="status" {
                        "一致：" (r.source) " 的 SM3 摘要与本文书定稿时记录的摘要相同，是本系统出具的该文书。"
                        br; small.hash { (r.digest) }
                    }
                } @else {
                    div.notice.error role="alert" {
                        "不一致：" (r.source) " 的 SM3 摘要与本文书定稿时记录的摘要不同，不是本系统出具的该文书定稿 PDF，或已被修改。"
                        @if let Some(m) = r.other { "该摘要与本案第 " (m) " 份文书的定稿一致。" }
                        br; small.hash { (r.digest) }
                    }
                }
            }
            @if d.seal.is_some() {
                form.upload method="post" action={ "/cases/" (id) "/documents/" (d.n) "/check#check" } enctype="multipart/form-data" {
                    (csrf_field(user))
                    p.hint { "上传收到的 PDF 文件，或粘贴其 SM3 摘要，核对是否为本系统出具的该文书（只计算摘要，不保存文件）。" }
                    label { "PDF 文件" input type="file" name="file" accept="application/pdf,.pdf"; }
                    label { "或 SM3 摘要" input type="text" name="digest" maxlength="200" placeholder="64 位十六进制"; }
                    div.buttons { button.primary type="submit" { "核对" } }
                }
            } @else {
                p.empty { "本文书未定稿，无法核对。" }
            }
        }
    }
}

fn render(
    app: &App,
    user: &User,
    docs: &CaseDocuments,
    d: &Issued,
    result: Option<&CheckResult>,
) -> Response {
    let id = &docs.case_id;
    let doc = &d.document;
    page(
        app,
        user,
        &doc.title,
        "cases",
        html! {
            p.noprint { a href={ "/cases/" (id) } { "← 返回案件 " (id) } }
            (seal_section(docs, d))
            (check_form(user, docs, d, result))
            article.document {
                h1 { (doc.title) }
                // The text of record carries its own addressee line and paragraph indents.
                div.text { @for para in doc.text.split('\n') { p.asis { (para) } } }
                @if !doc.copy_to.is_empty() { p.copy { "抄送：" (doc.copy_to.join("、")) } }
            }
        },
    )
}

fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::BadRequest("上传的文件过大：核对的文件不能超过 20 MiB".to_string())
    } else {
        AppError::BadRequest("上传内容不完整或格式错误，请重新选择文件".to_string())
    }
}

/// A pasted digest, forgiving spaces, case and an `SM3` prefix as people copy it.
pub fn normalise_digest(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix("SM3")
        .or_else(|| t.strip_prefix("sm3"))
        .unwrap_or(t);
    let d: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':' && *c != '：')
        .collect::<String>()
        .to_ascii_lowercase();
    (d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())).then_some(d)
}

async fn check(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, n)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let Some((n, Format::Page)) = parse_file(&n) else {
        return Err(AppError::NotFound("请求的页面不存在".to_string()).into());
    };
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    let mut multipart = multipart.map_err(|_| {
        AppError::BadRequest("核对内容无法识别：请通过文书页面的表单上传文件或粘贴摘要".to_string())
    })?;
    let (mut csrf, mut digest, mut upload) = (String::new(), String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.map_err(multipart_error)?,
            "digest" => digest = field.text().await.map_err(multipart_error)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if !bytes.is_empty() {
                    upload = Some((name, bytes));
                }
            }
            _ => {
                field.bytes().await.map_err(multipart_error)?;
            }
        }
    }
    if csrf.is_empty() || !constant_eq(&csrf, user.csrf()) {
        return Err(AppError::Csrf.into());
    }
    let d = docs.one(n)?;
    let Some(seal) = &d.seal else {
        return Err(
            AppError::Unprocessable(format!("第 {n} 份文书未定稿，没有可供核对的摘要")).into(),
        );
    };
    let (digest, source) = match upload {
        Some((name, bytes)) => {
            let name: String = name.chars().filter(|c| !c.is_control()).collect();
            let source = if name.trim().is_empty() {
                "上传的文件".to_string()
            } else {
                format!("文件“{}”", name.trim())
            };
            (sm3_hex(&bytes), source)
        }
        None if digest.trim().is_empty() => {
            return Err(AppError::BadRequest(
                "请上传要核对的 PDF 文件，或粘贴其 SM3 摘要".to_string(),
            )
            .into())
        }
        None => match normalise_digest(&digest) {
            Some(d) => (d, "粘贴的摘要".to_string()),
            None => {
                return Err(AppError::BadRequest(
                    "粘贴的 SM3 摘要无效：应为 64 位十六进制数字".to_string(),
                )
                .into())
            }
        },
    };
    let matches = digest == seal.sm3;
    let other = (!matches)
        .then(|| {
            docs.items
                .iter()
                .filter_map(|i| i.seal.as_ref())
                .find(|s| s.sm3 == digest)
                .map(|s| s.document)
        })
        .flatten();
    let result = CheckResult {
        digest,
        source,
        matches,
        other,
    };
    Ok(render(&app, &user, &docs, d, Some(&result)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_paths_name_a_page_or_a_file() {
        assert_eq!(parse_file("3"), Some((3, Format::Page)));
        assert_eq!(parse_file("12.pdf"), Some((12, Format::Pdf)));
        assert_eq!(parse_file("1.docx"), Some((1, Format::Docx)));
        for bad in [
            "0",
            "0.pdf",
            "",
            ".pdf",
            "1.txt",
            "1.pdf.pdf",
            "-1",
            "a",
            "1e3",
            "9999999",
        ] {
            assert_eq!(parse_file(bad), None, "{bad}");
        }
    }

    #[test]
    fn pasted_digests_are_normalised() {
        let d = "ab".repeat(32);
        assert_eq!(normalise_digest(&d), Some(d.clone()));
        assert_eq!(
            normalise_digest(&format!(" SM3 {} ", d.to_uppercase())),
            Some(d.clone())
        );
        assert_eq!(normalise_digest(&format!("sm3：{d}")), Some(d.clone()));
        assert_eq!(normalise_digest(&d[..63]), None);
        assert_eq!(normalise_digest(&format!("{}zz", &d[..62])), None);
        assert_eq!(normalise_digest(""), None);
    }

    #[test]
    fn file_names_carry_the_title_in_utf8_and_mark_unsealed_copies() {
        let document = Document {
            kind: lvzhi_workflow::DocumentKind::AcceptanceNotice,
            title: "免责容错申请受理通知书".into(),
            addressee: String::new(),
            copy_to: vec![],
            text: String::new(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
        };
        let d = Issued {
            n: 1,
            document,
            seal: None,
            sealed_on: None,
        };
        let sealed = content_disposition("A2026-000001", &d, "pdf", true);
        assert!(sealed.starts_with("attachment; filename=\"A2026-000001-1.pdf\"; filename*=UTF-8''A2026-000001-1-%E5%85%8D"), "{sealed}");
        assert!(HeaderValue::from_str(&sealed).is_ok());
        let unsealed = content_disposition("A2026-000001", &d, "docx", false);
        // （未定稿）
        assert!(
            unsealed.ends_with(&format!("{}.docx", rfc5987("（未定稿）"))),
            "{unsealed}"
        );
    }
}
