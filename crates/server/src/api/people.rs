//! 结果运用 (000 §30, 003): an officer's protected determinations and what each must not
//! affect, for the personnel staff who decide on assessments, promotion and rank, awards, deputy
//! status, professional titles and exchange. The page (`ui::people`) and the API share
//! [`result_use`]; who may read it is the Cedar action `view_result_use` on the officer's
//! organisation (the unit that decides, and the 维权办 / 主任 / 副主任 that see the protections
//! applied, over their subtree).

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use lvzhi_processes::result_use::{ProtectedDetermination, Source};
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::{id_of, ApiPath, ErrorBody};
use crate::access;
use crate::app::App;
use crate::auth::{ApiUser, User};
use crate::error::AppError;

/// The Cedar action that reads an officer's result use (resource: their organisation).
pub(crate) const VIEW_RESULT_USE: &str = "view_result_use";

/// 一项认定不得影响的事项。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SafeguardView {
    /// 事项代码：assessments（考核）、promotion（提拔任用、职务职级和警衔晋升）、awards（评先评优、表彰奖励）、deputy_status（党代会代表、人大代表、政协委员资格）、exchange（交流）、professional_titles（职称评聘）、error_record（执法错误认定）。
    pub area: String,
    /// 事项名称。
    pub area_zh: String,
    /// 规定原文所列的范围。
    pub scope: String,
    /// 要求：不受影响、不受影响或不作负面评价、不作为执法错误认定。
    pub rule: String,
    /// 依据条款，如 000 §30(一)、003、002 §14。
    pub article: String,
    /// 仅依据其他地区、系统的规定（002、003），参照适用。
    pub by_reference: bool,
}

/// 保障的限度。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaveatView {
    /// 说明。
    pub text: String,
    /// 依据条款。
    pub article: String,
}

/// 该错误的纠错整改案件。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RectificationRef {
    /// 案件编号。
    pub case_id: String,
    /// 阶段名称。
    pub stage_zh: String,
}

/// 一项免责、容错认定。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DeterminationView {
    /// 案件编号。
    pub case_id: String,
    /// 来源：application（免责容错申请已出具的认定）或 rectification（纠错整改案件，其容错认定不在本系统记录中）。
    pub source: String,
    /// 认定：依法履职免责或容错。
    pub outcome: String,
    /// 认定结论，如“应当依法履职免责”“可以容错（减轻）”。
    pub summary: String,
    /// 申请事项，或纠错整改的错误类型。
    pub matter: String,
    /// 出具日期（纠错整改为启动日期）。
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<NaiveDate>,
    /// 认定已生效（000 §23）。
    pub is_final: bool,
    /// 公示期间反映的问题经核实，认定意见待修改（000 §23）。
    pub in_question: bool,
    /// 状态说明。
    pub status_zh: String,
    /// 不得影响的事项。
    pub safeguards: Vec<SafeguardView>,
    /// 所在单位已落实的 000 §30 保障（事项代码）。
    pub applied: Vec<String>,
    /// 该错误的纠错整改案件。
    pub rectifications: Vec<RectificationRef>,
    /// 需要注意的事项。
    pub caveats: Vec<CaveatView>,
}

/// 民警的结果运用情况。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ResultUseView {
    /// 人员编号。
    pub person_id: String,
    /// 姓名。
    pub name: String,
    /// 所在单位编号。
    pub org_id: String,
    /// 所在单位名称。
    pub org_name: String,
    /// 已出具的免责、容错认定及纠错整改，每项附不得影响的事项。
    pub determinations: Vec<DeterminationView>,
}

pub(crate) fn status_zh(d: &ProtectedDetermination) -> &'static str {
    if d.in_question {
        "公示中反映的问题经核实，认定意见待修改"
    } else if d.is_final {
        "已生效"
    } else {
        "尚未生效（复议、复核期间，或者申请人尚未表示无异议）"
    }
}

fn view_of(d: &ProtectedDetermination) -> DeterminationView {
    DeterminationView {
        case_id: d.case_id.clone(),
        source: match d.source {
            Source::Application => "application",
            Source::Rectification => "rectification",
            Source::Determination => "determination",
        }
        .to_string(),
        outcome: d.outcome.to_string(),
        summary: d.summary.clone(),
        matter: d.matter.clone(),
        issued_on: d.issued_on,
        is_final: d.is_final,
        in_question: d.in_question,
        status_zh: status_zh(d).to_string(),
        safeguards: d
            .safeguards
            .iter()
            .map(|s| SafeguardView {
                area: id_of(&s.area),
                area_zh: s.area_zh.to_string(),
                scope: s.scope.to_string(),
                rule: s.rule.to_string(),
                article: s.article.to_string(),
                by_reference: s.by_reference,
            })
            .collect(),
        applied: d.applied.iter().map(id_of).collect(),
        rectifications: d
            .rectifications
            .iter()
            .map(|(case_id, stage_zh)| RectificationRef {
                case_id: case_id.clone(),
                stage_zh: stage_zh.clone(),
            })
            .collect(),
        caveats: d
            .caveats
            .iter()
            .map(|c| CaveatView {
                text: c.text.clone(),
                article: c.article.clone(),
            })
            .collect(),
    }
}

/// Whether `user` may read the result use of people of `org_id`.
pub(crate) fn may_view(app: &App, user: &User, org_id: &str) -> bool {
    access::may_org(app, user, VIEW_RESULT_USE, org_id)
}

/// The result use of `person_id` for `user`: 404 for a person not in the directory, 403 when
/// the policies do not let the user read it.
pub(crate) async fn result_use(
    app: &App,
    user: &User,
    person_id: &str,
) -> Result<ResultUseView, AppError> {
    let dir = app.directory();
    let Some(p) = dir.people.get(person_id) else {
        return Err(AppError::NotFound(format!("人员“{person_id}”不存在")));
    };
    if !may_view(app, user, &p.org_id) {
        return Err(AppError::AccessDenied(
            "您无权查看该民警的结果运用情况".to_string(),
        ));
    }
    let list = app
        .service()
        .result_use(person_id, app.clock().today())
        .await?;
    Ok(ResultUseView {
        person_id: p.id.clone(),
        name: p.name.clone(),
        org_id: p.org_id.clone(),
        org_name: dir.org_name(&p.org_id),
        determinations: list.iter().map(view_of).collect(),
    })
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/result-use", tag = "结果运用",
    summary = "民警的免责容错认定及其结果运用",
    description = "列出该民警已出具的免责、容错认定（及纠错整改），以及每项认定不得影响的事项：依法履职免责的，工作考核等各类考核、干部提拔任用和职务职级、警衔晋升、评先评优和表彰奖励、党代会代表、人大代表、政协委员资格不受影响（000 §30），交流、职称评聘参照 003；容错的，参照 003 和 002 §14。供民警所在单位及维权办、维权委主任、副主任在作出考核、晋升、评先评优等决定时查阅。",
    params(("id" = String, Path, description = "人员编号")),
    responses(
        (status = 200, description = "结果运用", body = ResultUseView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该民警的结果运用情况", body = ErrorBody),
        (status = 404, description = "人员不存在", body = ErrorBody),
    )
)]
pub(crate) async fn get_result_use(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ResultUseView>, AppError> {
    Ok(Json(result_use(&app, &user, &id).await?))
}

/// 聘请律师不足的机构。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct LawyerShortfalls {
    /// 聘请律师不足 2 人的公安机关（设有维权办的），为空表示均已达到要求。
    pub shortfalls: Vec<crate::lawyers::Shortfall>,
}

#[utoipa::path(
    get, path = "/api/v1/compliance/lawyers", tag = "结果运用",
    summary = "聘请律师不足的机构（001 §26）",
    description = "各级公安机关聘请律师不少于2人（001 §26）。列出当前用户所管理的机构（系统管理员）或所在维权办的机构中，聘请律师不足2人的公安机关；其他用户得到空列表。",
    responses(
        (status = 200, description = "聘请律师不足的机构", body = LawyerShortfalls),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub(crate) async fn lawyer_shortfalls(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<LawyerShortfalls>, AppError> {
    Ok(Json(LawyerShortfalls {
        shortfalls: crate::lawyers::visible(&app, &user).await?,
    }))
}
