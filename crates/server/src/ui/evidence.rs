//! Evidence files of a case (000 §14–15: the applicant 举证, the office and the panel gather
//! materials): upload from the case page and download.
//!
//! A file is stored by its SM3 digest first, with an upload receipt of its uploader for the case,
//! then recorded on the case with the workflow command `add_evidence` — the policies and the
//! workflow decide who may and when, as for every step, and the service records a digest only
//! with the uploader's receipt (issue 19: a digest alone is no proof of possession).
//! A download is served only for a digest recorded on a case the user may see, and the content
//! is re-hashed on every read: an altered file is refused, never served as evidence.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_store::{sm3_hex, StoreError};
use lvzhi_workflow::{Command, Evidence};
use maud::{html, Markup};

use super::case_page::{available, load_case, run_command, CaseCtx};
use super::documents::rfc5987;
use super::{csrf_field, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::auth::{constant_eq, User};
use crate::error::AppError;

/// The largest evidence file accepted.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The request may carry the file plus the form's other fields and the multipart framing.
pub(crate) const MAX_BODY_BYTES: usize = MAX_FILE_BYTES + 256 * 1024;
const MAX_DESCRIPTION_CHARS: usize = 2000;
const MAX_NAME_CHARS: usize = 255;

pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/cases/{id}/evidence",
            post(upload).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route("/cases/{id}/evidence/{sm3}", get(download))
}

/// The evidence list and, for those who may add evidence now, the upload form (on the case
/// page, in the documents section).
pub fn section(user: &User, ctx: &CaseCtx, can_add: bool) -> Markup {
    let id = &ctx.loaded.case_id;
    let items = &ctx.loaded.state.evidence;
    html! {
        h3 id="evidence" { "证据材料" }
        @if items.is_empty() {
            p.empty { "尚无证据材料。" }
        } @else {
            ul.evidence {
                @for e in items {
                    li {
                        a href={ "/cases/" (id) "/evidence/" (e.sm3) } { (e.file_name) }
                        @if !e.description.is_empty() { " · " (e.description) }
                        " "
                        small.hash title={ "SM3 摘要：" (e.sm3) } { "SM3 " (e.sm3.get(..16).unwrap_or(&e.sm3)) "…" }
                    }
                }
            }
        }
        @if can_add { (upload_form(user, ctx)) }
    }
}

/// The upload form: the file with its description, recorded on the case in the same request.
fn upload_form(user: &User, ctx: &CaseCtx) -> Markup {
    let id = &ctx.loaded.case_id;
    html! {
        form.upload method="post" action={ "/cases/" (id) "/evidence" } enctype="multipart/form-data" {
            // First, so that the server checks it before it reads the file (issue 19).
            (csrf_field(user))
            input type="hidden" name="expected_version" value=(ctx.version);
            label {
                "证据文件"
                input type="file" name="file" required;
            }
            label {
                "说明"
                input type="text" name="description" maxlength=(MAX_DESCRIPTION_CHARS) placeholder="如：现场执法记录仪视频、询问笔录";
            }
            p.hint { "单个文件不超过 50 MiB。文件按 SM3 摘要存证，每次下载时重新校验，内容被改动的文件不会提供下载。" }
            div.buttons { button.primary type="submit" { "上传并登记证据" } }
        }
    }
}

/// The 添加证据材料 action's page: the upload form itself (the file goes with its record; a
/// digest typed by hand is no evidence).
pub(crate) fn upload_page(app: &App, user: &User, ctx: &CaseCtx) -> axum::response::Response {
    let id = &ctx.loaded.case_id;
    super::page(
        app,
        user,
        "添加证据材料",
        "cases",
        html! {
            section.narrow {
                p { a href={ "/cases/" (id) } { "← 返回案件 " (id) } }
                h1 { "添加证据材料" }
                p.hint { "申请人、申请单位、维权办和审查论证组可以在审查期间提交证据材料（000 §14–15）。" }
                (upload_form(user, ctx))
            }
        },
    )
}

/// An evidence upload as read from a multipart body (the page's form or the API's request).
#[derive(Default)]
pub(crate) struct Upload {
    pub description: String,
    pub expected_version: Option<i64>,
    pub file: Option<(String, Vec<u8>)>,
    /// The page form's one-use submission token, if it sent one.
    pub once: Option<String>,
}

fn too_large() -> AppError {
    AppError::BadRequest("上传的文件过大：单个证据文件不能超过 50 MiB".to_string())
}

fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::BadRequest("上传内容不完整或格式错误，请重新选择文件上传".to_string())
    }
}

/// Reads an upload. With `csrf` (the page's session token), the form's `_csrf` field must
/// come before the file and match, so a request without it is refused before the file's bytes
/// are read (issue 19: a 40 MiB body without a token is not read whole before the 403).
pub(crate) async fn read_upload(
    multipart: &mut Multipart,
    csrf: Option<&str>,
) -> Result<Upload, AppError> {
    let mut up = Upload::default();
    let mut csrf_ok = csrf.is_none();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                if !csrf_ok {
                    return Err(AppError::Csrf);
                }
                if up.file.is_some() {
                    return Err(AppError::BadRequest("一次只能上传一个证据文件".to_string()));
                }
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                up.file = Some((file_name, bytes.to_vec()));
            }
            "_csrf" => {
                let sent = field.text().await.map_err(multipart_error)?;
                match csrf {
                    Some(expected) if !sent.is_empty() && constant_eq(&sent, expected) => {
                        csrf_ok = true
                    }
                    Some(_) => return Err(AppError::Csrf),
                    None => {}
                }
            }
            "_once" => up.once = Some(field.text().await.map_err(multipart_error)?),
            "description" => up.description = field.text().await.map_err(multipart_error)?,
            "expected_version" => {
                let v = field.text().await.map_err(multipart_error)?;
                let v = v.trim();
                if !v.is_empty() {
                    up.expected_version = Some(v.parse().map_err(|_| {
                        AppError::BadRequest(
                            "expected_version 应为整数（案件当前的版本号）".to_string(),
                        )
                    })?);
                }
            }
            // Anything else is not ours: read past it.
            _ => {
                field.bytes().await.map_err(multipart_error)?;
            }
        }
    }
    if !csrf_ok {
        return Err(AppError::Csrf);
    }
    Ok(up)
}

/// The name to record: the last part of what the browser sent (old browsers send the whole
/// client path), without control characters.
fn clean_file_name(raw: &str) -> Result<String, AppError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim().to_string();
    if name.is_empty() || name == "." || name == ".." {
        return Err(AppError::BadRequest("请选择要上传的证据文件".to_string()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::BadRequest(format!(
            "文件名不能超过 {MAX_NAME_CHARS} 个字符"
        )));
    }
    Ok(name)
}

/// Stores an uploaded file, gives its uploader a receipt for this case, and records it on the
/// case with `add_evidence` — one step for the page and the API. The service records a digest
/// only with its uploader's receipt for the case (issue 19), so evidence is never recorded on
/// the strength of a digest seen elsewhere. When the workflow would refuse the step now,
/// nothing is stored and the refusal is the workflow's own (403/422).
pub(crate) async fn record_upload(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    up: Upload,
) -> Result<(i64, Vec<lvzhi_workflow::Event>), AppError> {
    let Some((raw_name, bytes)) = up.file else {
        return Err(AppError::BadRequest("请选择要上传的证据文件".to_string()));
    };
    if raw_name.trim().is_empty() && bytes.is_empty() {
        return Err(AppError::BadRequest("请选择要上传的证据文件".to_string()));
    }
    let file_name = clean_file_name(&raw_name)?;
    if bytes.is_empty() {
        return Err(AppError::BadRequest(format!(
            "证据文件“{file_name}”是空文件，请检查后重新上传"
        )));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let description = up.description.trim().to_string();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(AppError::BadRequest(format!(
            "说明不能超过 {MAX_DESCRIPTION_CHARS} 个字符"
        )));
    }
    let sm3 = sm3_hex(&bytes);
    let command = Command::AddEvidence {
        evidence: Evidence {
            sm3: sm3.clone(),
            file_name,
            description,
        },
    };
    if available(app, user, ctx).contains(&"add_evidence") {
        app.evidence().put(&bytes).await?;
        app.store()
            .record_evidence_upload(
                &ctx.loaded.case_id,
                &user.person.id,
                &sm3,
                app.clock().now(),
            )
            .await?;
    }
    run_command(app, user, ctx, &command, up.expected_version).await
}

async fn upload(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    extensions: axum::http::Extensions,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let ctx = load_case(&app, &user, &id).await?;
    // Out of scope: refused before the body is read, so nothing is stored.
    access::require(&app, &user, "add_evidence", &ctx.parties)?;
    let mut multipart = multipart.map_err(|_| {
        AppError::BadRequest("上传内容无法识别：请通过案件页面的表单上传证据文件".to_string())
    })?;
    let up = read_upload(&mut multipart, Some(user.csrf())).await?;
    let path = format!("/cases/{id}/evidence");
    if let Err(first) =
        crate::once::claim_form(&app, &user, &extensions, &path, up.once.as_deref()).await
    {
        return Ok(first);
    }
    record_upload(&app, &user, &ctx, up).await?;
    Ok(Redirect::to(&format!("/cases/{id}?msg=recorded#evidence")).into_response())
}

async fn download(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, sm3)): Path<(String, String)>,
) -> PageResult {
    let ctx = load_case(&app, &user, &id).await?;
    let digest = sm3.trim().to_ascii_lowercase();
    let Some(item) = ctx.loaded.state.evidence.iter().find(|e| e.sm3 == digest) else {
        let shown: String = sm3.chars().take(64).collect();
        return Err(
            AppError::NotFound(format!("案件 {id} 没有登记摘要为 {shown} 的证据文件")).into(),
        );
    };
    let bytes = match app.evidence().get(&item.sm3).await {
        Ok(b) => b,
        Err(e @ StoreError::EvidenceCorrupt { .. }) => {
            // Someone changed the stored file: refuse it and leave a trace for the operator.
            if let StoreError::EvidenceCorrupt { digest, actual } = &e {
                eprintln!(
                    "evidence integrity failure: case {id}, object {digest} now hashes to {actual}"
                );
            }
            return Err(AppError::Conflict(e.to_string()).into());
        }
        Err(e) => return Err(e.into()),
    };
    let disposition = content_disposition(&item.file_name, &item.sm3);
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `attachment` with an ASCII fallback name and the real name in UTF-8 (RFC 6266 / RFC 5987).
fn content_disposition(file_name: &str, digest: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._-()+ ".contains(c);
    let fallback = if !file_name.is_empty() && file_name.chars().all(safe) {
        file_name.to_string()
    } else {
        // Keep an ASCII extension so the saved file still opens with the right program.
        let ext = file_name.rsplit_once('.').map(|(_, e)| e).filter(|e| {
            !e.is_empty() && e.len() <= 10 && e.chars().all(|c| c.is_ascii_alphanumeric())
        });
        let stem = format!("evidence-{}", digest.get(..12).unwrap_or(digest));
        match ext {
            Some(e) => format!("{stem}.{e}"),
            None => stem,
        }
    };
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(file_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_last_part_without_control_characters() {
        assert_eq!(
            clean_file_name("C:\\Users\\张三\\询问笔录.pdf").unwrap(),
            "询问笔录.pdf"
        );
        assert_eq!(clean_file_name("a/b/c.txt").unwrap(), "c.txt");
        assert_eq!(clean_file_name(" x\u{0}y\n.doc ").unwrap(), "xy.doc");
        assert!(clean_file_name("..").is_err());
        assert!(clean_file_name("  ").is_err());
        assert!(clean_file_name(&"长".repeat(256)).is_err());
    }

    #[test]
    fn content_disposition_carries_the_utf8_name_and_an_ascii_fallback() {
        let d = "ab".repeat(32);
        assert_eq!(
            content_disposition("现场记录.pdf", &d),
            "attachment; filename=\"evidence-abababababab.pdf\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E8%AE%B0%E5%BD%95.pdf"
        );
        assert_eq!(
            content_disposition("report 1.pdf", &d),
            "attachment; filename=\"report 1.pdf\"; filename*=UTF-8''report%201.pdf"
        );
        // Quotes and separators never reach the header unencoded.
        let h = content_disposition("a\";b.txt", &d);
        assert!(
            h.starts_with("attachment; filename=\"evidence-abababababab.txt\""),
            "{h}"
        );
        assert!(h.ends_with("a%22%3Bb.txt"), "{h}");
        assert!(HeaderValue::from_str(&h).is_ok());
    }
}
