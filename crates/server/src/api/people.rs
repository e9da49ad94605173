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

use super::extract::{ApiPath, ErrorBody};
use crate::access;
use crate::app::App;
use crate::auth::{ApiUser, User};
use crate::error::AppError;

/// The Cedar action that reads an officer's result use (resource: their organisation).
pub const VIEW_RESULT_USE: &str = "view_result_use";

/// One thing a determination must not affect.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SafeguardView {
    /// `assessments`, `promotion`, `awards`, `deputy_status`, `exchange`,
    /// `professional_titles`, `error_record`.
    pub area: String,
    /// 考核, 提拔任用、职务职级和警衔晋升 …
    pub area_zh: String,
    /// What exactly, in the regulation's words.
    pub scope: String,
    /// 不受影响 / 不作负面评价 / 不作为执法错误认定.
    pub rule: String,
    /// `000 §30(一)`, `003`, `002 §14`.
    pub article: String,
    /// Rests only on another body's rules (002, 003): applied by reference (参照).
    pub by_reference: bool,
}

/// A limit of the protection, with its article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaveatView {
    pub text: String,
    pub article: String,
}

/// A rectification of the tolerated mistake.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RectificationRef {
    pub case_id: String,
    pub stage_zh: String,
}

/// One protected determination.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeterminationView {
    pub case_id: String,
    /// `application` (an issued 000 determination) or `rectification` (a tolerated mistake
    /// whose application is not on record).
    pub source: String,
    /// 依法履职免责 / 容错.
    pub outcome: String,
    /// The determination in one line (应当依法履职免责, 可以容错（减轻）).
    pub summary: String,
    /// 申请事项, or the category of mistake.
    pub matter: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub issued_on: Option<NaiveDate>,
    /// Final (000 §23).
    pub is_final: bool,
    /// A substantiated objection in publicity: awaiting revision (000 §23).
    pub in_question: bool,
    /// 已生效 / 尚未生效 / 公示中反映的问题经核实，认定意见待修改.
    pub status_zh: String,
    pub safeguards: Vec<SafeguardView>,
    /// The protections of 000 §30 the unit recorded as applied (area ids).
    pub applied: Vec<String>,
    pub rectifications: Vec<RectificationRef>,
    pub caveats: Vec<CaveatView>,
}

/// An officer's result use.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultUseView {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    pub determinations: Vec<DeterminationView>,
}

fn id_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn status_zh(d: &ProtectedDetermination) -> &'static str {
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
pub fn may_view(app: &App, user: &User, org_id: &str) -> bool {
    access::may_org(app, user, VIEW_RESULT_USE, org_id)
}

/// The result use of `person_id` for `user`: 404 for a person not in the directory, 403 when
/// the policies do not let the user read it.
pub async fn result_use(
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
pub async fn get_result_use(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ResultUseView>, AppError> {
    Ok(Json(result_use(&app, &user, &id).await?))
}
