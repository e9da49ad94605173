//! Evidence files of a case (000 §14–15: the applicant 举证, the office and the panel gather
//! materials): upload from the case page (stored and recorded by `crate::evidence`, as the API's
//! upload is) and download. A download is served only for a digest recorded on a case the user may see, and the content
//! is re-hashed on every read: an altered file is refused, never served as evidence.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_store::StoreError;
use maud::{html, Markup};

use super::{application, csrf_field, PageResult, PageUser};
use crate::app::App;
use crate::auth::User;
use crate::cases::{self, CaseCtx};
use crate::error::AppError;
use crate::evidence::{evidence_step, read_upload, record_upload, MAX_BODY_BYTES};
use crate::notices::rfc5987;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route(
            "/cases/{id}/evidence",
            post(upload).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        )
        .route("/cases/{id}/evidence/{sm3}", get(download))
}

/// The upload form: the file with its description, recorded on the case in the same request.
pub(crate) fn upload_form(user: &User, ctx: &CaseCtx) -> Markup {
    let id = ctx.id();
    html! {
        form.upload method="post" action={ "/cases/" (id) "/evidence" } enctype="multipart/form-data" {
            // First, so that the server checks it before it reads the file (issue 19).
            (csrf_field(user))
            input type="hidden" name="expected_version" value=(ctx.version());
            label {
                "证据文件"
                input type="file" name="file" required;
            }
            label {
                "说明"
                input type="text" name="description" maxlength=(crate::evidence::MAX_DESCRIPTION_CHARS) placeholder="如：现场执法记录仪视频、询问笔录";
            }
            p.hint { "单个文件不超过 50 MiB。文件按 SM3 摘要存证，每次下载时重新校验，内容被改动的文件不会提供下载。" }
            div.buttons { button.primary type="submit" { "上传并登记证据" } }
        }
    }
}

/// The page of a step whose form takes an evidence file: the upload form itself (the file goes
/// with its record; a digest typed by hand is no evidence).
pub(crate) fn upload_page(app: &App, user: &User, ctx: &CaseCtx) -> axum::response::Response {
    let id = ctx.id();
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

async fn upload(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    extensions: axum::http::Extensions,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    // Not open to the user: refused before the body is read, so nothing is stored.
    let step = evidence_step(&app, &user, &ctx)?;
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
    record_upload(&app, &user, &ctx, step, up).await?;
    Ok(Redirect::to(&format!("/cases/{id}?msg=recorded#evidence")).into_response())
}

async fn download(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, sm3)): Path<(String, String)>,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    let digest = sm3.trim().to_ascii_lowercase();
    let recorded = application::state(&ctx).map(|s| s.evidence.as_slice());
    let Some(item) = recorded
        .unwrap_or_default()
        .iter()
        .find(|e| e.sm3 == digest)
    else {
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
                tracing::error!(
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
