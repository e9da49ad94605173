//! Evidence uploads through the API (issue 19): the file's bytes arrive in the request that
//! records them, as on the case page. `add_evidence` through `/actions` records a digest only
//! with its uploader's receipt for the case, which this route gives.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::Json;

use super::extract::{ApiPath, ErrorBody};
use crate::app::App;
use crate::auth::ApiUser;
use crate::cases::view::{action_result, ActionResult};
use crate::cases::{self};
use crate::error::AppError;
use crate::evidence::{evidence_step, read_upload, record_upload};

/// 上传证据文件的请求（multipart/form-data）。
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Documents the multipart body; the handler reads it field by field.
pub(super) struct EvidenceUpload {
    /// 证据文件（不超过 50 MiB）。
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// 说明（不超过 2000 个字符）。
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// 提交人所见的案件版本；案件已被他人更新则拒绝办理。
    expected_version: Option<i64>,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/evidence", tag = "案件",
    summary = "上传并登记证据材料",
    description = "上传一个证据文件并登记到本案（000 §14–15），与案件页面的上传表单相同：文件按 SM3 摘要存证，登记记入审计链。证据文件必须随本请求一并上传；通过 /actions 办理登记证据的事项（add_evidence）时，只有本人在 24 小时内向本案上传过的文件才能登记，仅凭摘要不能登记。",
    params(("id" = String, Path, description = "案件编号")),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "已上传并登记，记入审计链", body = ActionResult),
        (status = 400, description = "未附文件、文件为空或过大、说明过长，或请求格式有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "访问控制策略或办理程序不允许当前用户登记证据，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "案件已被他人更新（expected_version 已过时）", body = ErrorBody),
        (status = 422, description = "办理程序不允许（阶段或期限不符合规定）", body = ErrorBody),
    )
)]
pub(super) async fn upload_evidence(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<ActionResult>, AppError> {
    let ctx = cases::load(&app, &user, &id).await?;
    // Not open to the user: refused before the body is read, so nothing is stored.
    let step = evidence_step(&app, &user, &ctx)?;
    let mut multipart = multipart.map_err(|_| {
        AppError::BadRequest(
            "上传内容无法识别：请以 multipart/form-data 提交，文件放在 file 字段".to_string(),
        )
    })?;
    let up = read_upload(&mut multipart, None).await?;
    let outcome = record_upload(&app, &user, &ctx, step, up).await?;
    Ok(Json(action_result(ctx.id(), &outcome)))
}
