//! `GET /api/v1/cases/{id}/application-form.pdf`: the 免责容错申请表 (000 annex) filled from an
//! application, as the case page's link serves it (`ui::application_form`), to exactly those who
//! may view the case.

use axum::extract::State;
use axum::response::Response;

use super::cases::FileBody;
use super::extract::{ApiPath, ErrorBody};
use crate::app::App;
use crate::auth::ApiUser;
use crate::error::AppError;

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/application-form.pdf", tag = "案件",
    summary = "免责容错申请表（PDF）",
    description = "按本案适用的实施细则所附《公安民警免责容错申请表》的格式（A4 表格），以案件记录填写的申请表：工作单位、申请民警及其职务、申请事项、事实与理由、原问责处理决定、受理机关、收到日期和已提交的证据材料；性别、出生年月等记录中没有的栏目和签名、意见栏留空，供打印后手写、签字、盖章。现时排版，不是出具的文书，不定稿。与查看案件的权限相同；只有免责容错申请案件有申请表。Content-Disposition 以 RFC 5987 的 filename* 给出中文文件名。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "PDF 文件", content_type = "application/pdf", body = FileBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件不存在，或不是免责容错申请案件", body = ErrorBody),
        (status = 503, description = "暂时无法排版（如未安装中文字体）", body = ErrorBody),
    )
)]
pub(super) async fn application_form_pdf(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    crate::application_form::filled(&app, &user, &id).await
}
