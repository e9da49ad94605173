//! Evidence files of a case (000 §14–15: the applicant 举证, the office and the panel gather
//! materials), as the page's upload form and the API's upload both take them: a file is stored
//! by its SM3 digest first, with an upload receipt of its uploader for the case, then recorded on
//! the case by the step whose form takes an evidence file (`FieldKind::Evidence`) — the policies
//! and the process decide who may and when, as for every step, and the service records a digest
//! only with the uploader's receipt (issue 19: a digest alone is no proof of possession).

use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use axum::http::StatusCode;
use lvzhi_processes::FieldKind;
use lvzhi_store::sm3_hex;

use crate::app::App;
use crate::auth::{constant_eq, User};
use crate::cases::{self, CaseCtx, Outcome};
use crate::error::AppError;

/// The largest evidence file accepted.
pub(crate) const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The request may carry the file plus the form's other fields and the multipart framing.
pub(crate) const MAX_BODY_BYTES: usize = MAX_FILE_BYTES + 256 * 1024;
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 2000;
const MAX_NAME_CHARS: usize = 255;

/// The step of the case that records an evidence file (one whose form takes an evidence file),
/// as offered to the user now, with the name of its evidence field: asked before an upload's
/// body is read, so a refused upload stores nothing and reads nothing.
pub(crate) fn evidence_step(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
) -> Result<(String, String), AppError> {
    cases::available(app, user, ctx)
        .into_iter()
        .find_map(|(s, _)| {
            s.fields
                .iter()
                .find(|f| matches!(f.kind, FieldKind::Evidence))
                .map(|f| (s.id.clone(), f.name.clone()))
        })
        .ok_or_else(|| {
            AppError::Unprocessable(format!(
                "本案当前处于“{}”阶段，您现在不能登记证据材料",
                ctx.summary().stage_zh
            ))
        })
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
/// case with the evidence step offered ([`evidence_step`]) — one step for the page and the API.
/// The service records a digest only with its uploader's receipt for the case (issue 19), so
/// evidence is never recorded on the strength of a digest seen elsewhere.
pub(crate) async fn record_upload(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    (action, field): (String, String),
    up: Upload,
) -> Result<Outcome, AppError> {
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
    app.evidence().put(&bytes).await?;
    app.store()
        .record_evidence_upload(ctx.id(), &user.person.id, &sm3, app.clock().now())
        .await?;
    let mut command = serde_json::Map::new();
    command.insert("action".to_string(), action.into());
    command.insert(
        field,
        serde_json::json!({ "sm3": sm3, "file_name": file_name, "description": description }),
    );
    let command = serde_json::Value::Object(command);
    cases::run(app, user, ctx, &command, up.expected_version).await
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
}
