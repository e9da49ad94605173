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
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_store::sm3_hex;
use maud::{html, Markup};

use super::{csrf_field, page, PageResult, PageUser};
use crate::app::App;
use crate::auth::{constant_eq, User};
use crate::error::AppError;
use crate::notices::{file, parse_file, CaseDocuments, Format, Issued};

/// The largest file the 核对 form takes (a notice's PDF is tens of kilobytes).
const MAX_CHECK_BYTES: usize = 20 * 1024 * 1024;

/// A case page's list of its notices: each with its page, its PDF and DOCX, and its seal
/// (已定稿) or 未定稿; `addressee` adds each notice's 主送. The digests are in 技术信息.
pub(crate) fn list(docs: &CaseDocuments, addressee: bool) -> Markup {
    let id = &docs.case_id;
    html! {
        @if docs.items.is_empty() { p.empty { "尚无文书。" } }
        @else {
            ul.documents {
                @for d in &docs.items {
                    li {
                        a href={ "/cases/" (id) "/documents/" (d.n) } { (d.document.title) }
                        @if addressee { " · " (d.document.addressee) }
                        " · " (date_zh(d.document.issued_on)) " · "
                        a.pdf href={ "/cases/" (id) "/documents/" (d.n) ".pdf" } { "PDF" }
                        " · "
                        a.docx href={ "/cases/" (id) "/documents/" (d.n) ".docx" } { "DOCX" }
                        " "
                        @match &d.seal {
                            Some(_) => span.badge title="出具时生成的定稿 PDF 已存档，其 SM3 摘要记入审计链" { "已定稿" }
                            None => span.badge.provisional title="出具时未生成定稿 PDF；下载的 PDF 为现时排版" { "未定稿" }
                        }
                    }
                }
            }
        }
    }
}

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}/documents/{file}", get(document))
        // The older address of a notice's page (links printed or bookmarked before the notices
        // were sealed keep working).
        .route("/cases/{id}/notices/{n}", get(notice))
        .route(
            "/cases/{id}/documents/{n}/check",
            post(check).layer(DefaultBodyLimit::max(MAX_CHECK_BYTES + 64 * 1024)),
        )
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

async fn notice(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, n)): Path<(String, usize)>,
) -> PageResult {
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    let d = docs.one(n)?;
    Ok(render(&app, &user, &docs, d, None))
}

/// The outcome of a 核对.
pub(crate) struct CheckResult {
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
            p.noprint {
                a href={ "/cases/" (id) } { "← 返回案件 " (id) }
                " " button.print type="button" data-print { "打印本页" }
            }
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
pub(crate) fn normalise_digest(s: &str) -> Option<String> {
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
}
