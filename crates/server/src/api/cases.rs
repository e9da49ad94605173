//! The API of the pages: who I am, my inbox, the case list, a case with what I may do on it,
//! acting on it, its documents, the recommended determination, the fact vocabulary and the
//! organisation tree. Each handler reuses the page logic (`ui::…`, `interview::…`), so the API
//! and the pages can never disagree about who may see or do what.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use lvzhi_workflow::{Command, Document, Event, Org, State as CaseState};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{id_of, ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::access;
use crate::app::{App, Directory};
use crate::auth::{ApiUser, User, Via};
use crate::error::AppError;
use crate::interview::{self, EvaluationView, FactView};
use crate::packs::APPLICATION_PACK;
use crate::ui::case_page::{actors, available, load_case, run_command, CaseCtx};
use crate::ui::cases::{CaseListPage, ListFilter};
use crate::ui::documents::{parse_file, CaseDocuments, Format, Issued};
use crate::ui::inbox::InboxItem;

// ---------------------------------------------------------------------------------------------
// Shapes

/// 当前用户。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeView {
    /// 人员编号。
    pub person_id: String,
    /// 姓名。
    pub name: String,
    /// 所属机构编号。
    pub org_id: String,
    /// 所属机构名称。
    pub org_name: String,
    /// 职务。
    pub title: String,
    /// 登录名（没有登录账户时为空）。
    pub login: Option<String>,
    /// 本次请求的认证方式：bearer（接口令牌）或 session（网页会话）。
    pub auth: String,
    /// 所担任的角色及其所在机构。
    pub grants: Vec<GrantView>,
}

/// 在某一机构担任的角色。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GrantView {
    /// 角色代码（officer、unit、office、director、deputy_director、committee_member、panel_member、external_expert、original_department、higher_committee、administrator）。
    pub role: String,
    /// 角色的中文名称。
    pub role_zh: String,
    /// 机构编号。
    pub org_id: String,
    /// 机构名称。
    pub org_name: String,
}

/// 我的待办。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxView {
    /// 待办事项，已逾期的在前。
    pub items: Vec<InboxItem>,
}

/// 立案请求。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCaseRequest {
    /// 案件类型：application（免责容错申请，缺省）、incident（维权案（事）件）、name_clearing（正名）等。其他类型的 command 为该类型的立案命令，如 {"kind":"incident","command":{"action":"incident_report",…}}，字段见 /new 页面的立案表单或各类型的说明。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// 立案操作：action 为 file（提出申请）或 open_ex_officio（主动启动），其余字段与 lvzhi case create 的命令 JSON 相同。
    #[schema(schema_with = super::creation_command_schema)]
    pub command: Command,
    /// 收到申请的日期（仅适用于 file；维权办补录纸质申请时填写，缺省为今日）。
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
}

/// 新立案件。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedCase {
    /// 案件编号（A年度-序号）。
    pub case_id: String,
    /// 案件版本（已记录的事件数）。
    pub version: i64,
}

/// 可以办理的事项。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionView {
    /// 操作代码，即命令 JSON 的 action 字段。
    pub id: String,
    /// 操作的中文名称。
    pub label: String,
}

/// 机构。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgRef {
    /// 机构编号。
    pub id: String,
    /// 机构名称。
    pub name: String,
}

/// 人员。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonRef {
    /// 人员编号。
    pub person_id: String,
    /// 姓名。
    pub name: String,
}

/// 审查论证组成员。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PanelMemberView {
    /// 人员编号。
    pub person_id: String,
    /// 姓名。
    pub name: String,
    /// 类别：legal（法制）、discipline（纪检）、original_department（原问责处理决定作出部门）。
    pub category: String,
}

/// 已回避的人员（000 §19(六)）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecusedView {
    /// 人员编号。
    pub person_id: String,
    /// 姓名。
    pub name: String,
    /// 回避理由。
    pub reason: String,
}

/// 案件的当事人与有关机关。
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PartiesView {
    /// 申请民警。
    pub applicants: Vec<PersonRef>,
    /// 申请单位（所在单位）。
    pub applying_unit: Option<OrgRef>,
    /// 受理的维权委所在机构。
    pub committee: Option<OrgRef>,
    /// 上一级维权委所在机构（受理复核）。
    pub parent_committee: Option<OrgRef>,
    /// 作出原问责处理决定的部门。
    pub department: Option<OrgRef>,
    /// 复核所报送的机关。
    pub escalated_to: Option<OrgRef>,
    /// 申请事项。
    pub matter: Option<String>,
    /// 事实与理由（此项单列之前提交的申请，事实与理由并在申请事项中）。
    pub statement: Option<String>,
    /// 审查论证组成员。
    pub panel: Vec<PanelMemberView>,
    /// 经批准参与审查论证的特邀人员。
    pub externals: Vec<PersonRef>,
    /// 已回避的人员。
    pub recused: Vec<RecusedView>,
}

/// 未届满的期限。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeadlineItem {
    /// 步骤代码。
    pub step: String,
    /// 步骤名称。
    pub label: String,
    /// 应当办理的角色代码。
    pub responsible: String,
    /// 应当办理的角色名称。
    pub responsible_zh: String,
    /// 届满日（含当日）。
    pub due: NaiveDate,
    /// 是否暂定（届满日所在年度的节假日安排尚未导入，按周末推算）。
    pub provisional: bool,
    /// 依据条款。
    pub article: String,
    /// 是否已逾期。
    pub overdue: bool,
    /// 距届满日的工作日数（逾期为负数）。
    pub working_days_left: i64,
}

/// 时间线中的一条记录（审计链中的一个事件）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimelineItem {
    /// 在审计链中的序号。
    pub seq: i64,
    /// 记录后案件的版本。
    pub version: i64,
    /// 记录时间（UTC，RFC 3339）。
    pub recorded_at: String,
    /// 办理日期。
    pub on: NaiveDate,
    /// 事件类型代码。
    pub kind: String,
    /// 办理人编号。
    pub actor: String,
    /// 办理人角色代码。
    pub role: String,
    /// 中文描述。
    pub description: String,
    /// 所述理由。
    pub reason: Option<String>,
    /// 本事件的 SM3 链哈希。
    pub hash: String,
}

/// 一份文书及其全文。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DocumentView {
    /// 序号，从 1 起，按出具先后。
    pub n: usize,
    /// 文书种类代码（acceptance_notice、rejection_notice、deemed_acceptance_notice、ex_officio_notice、extension_approval、review_opinion、reconsideration_reply、re_review_reply、recommendation、publicity_notice）。
    pub kind: String,
    /// 标题。
    pub title: String,
    /// 主送。
    pub addressee: String,
    /// 抄送。
    pub copy_to: Vec<String>,
    /// 全文。
    pub text: String,
    /// 出具日期。
    pub issued_on: NaiveDate,
    /// 定稿：出具时生成并存档的 PDF 及其 SM3 摘要（记入审计链）；出具时未定稿的为空，其 PDF 为现时排版。
    pub seal: Option<SealView>,
    /// PDF 下载地址（已定稿的为存档的定稿 PDF）。
    pub pdf: String,
    /// DOCX 下载地址（可编辑，现时生成）。
    pub docx: String,
}

/// A file's bytes in the OpenAPI document (a binary string, not an array of numbers).
pub struct FileBody;

impl utoipa::PartialSchema for FileBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("文件内容（二进制）"))
            .into()
    }
}

impl ToSchema for FileBody {}

/// 文书的定稿记录。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SealView {
    /// 定稿 PDF 的 SM3 摘要（64 位十六进制）：用于核对打印件或转发的文件是否为本系统出具。
    pub sm3: String,
    /// 文件大小（字节）。
    pub bytes: u64,
    /// 页数。
    pub pages: u32,
    /// 排版所用字体。
    pub fonts: Vec<String>,
    /// 定稿日期。
    pub sealed_on: Option<NaiveDate>,
}

/// 案件文书。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DocumentsView {
    /// 案件编号。
    pub case_id: String,
    /// 文书，按出具先后。
    pub documents: Vec<DocumentView>,
}

/// 案件详情。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseDetail {
    /// 案件编号。
    pub case_id: String,
    /// 案件版本（已记录的事件数），办理时作为 expected_version 提交。
    pub version: i64,
    /// 阶段代码。
    pub stage: String,
    /// 阶段名称。
    pub stage_zh: String,
    /// 案件标题。
    pub title: String,
    /// 受理机构编号。
    pub org_id: Option<String>,
    /// 受理机构名称。
    pub org_name: Option<String>,
    /// 当事人与有关机关。
    pub parties: PartiesView,
    /// 当前用户现在可以办理的事项（访问控制策略与办理程序均允许）。
    pub available_actions: Vec<ActionView>,
    /// 未届满的期限。
    pub deadlines: Vec<DeadlineItem>,
    /// 已记录的案件事实（政策包 000 的事实代码及其取值）。
    #[schema(value_type = Object)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// 现行认定意见的中文摘要（尚未作出时为空）。
    pub determination_zh: Option<String>,
    /// 时间线（审计链）。
    pub timeline: Vec<TimelineItem>,
    /// 已出具的文书。
    pub documents: Vec<DocumentView>,
}

/// 办理请求。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// 提交所依据的案件版本；案件已被他人更新时拒绝办理（409）。
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// 办理命令：action 为操作代码，其余字段与 lvzhi case act 的命令 JSON 相同。
    #[schema(schema_with = super::command_schema)]
    pub command: Command,
}

/// 办理结果。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActionResult {
    /// 案件编号。
    pub case_id: String,
    /// 办理后的案件版本。
    pub version: i64,
    /// 本次记录的事件（含此前已到期而由系统先行记录的事件，如视为受理，以及所出具文书的定稿）。
    pub events: Vec<RecordedEvent>,
    /// 本次出具但未能定稿（定稿 PDF 未能生成或存档，原因见系统日志）的文书序号；办理本身已记录。
    pub unsealed_documents: Vec<usize>,
}

/// 一个已记录的事件。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecordedEvent {
    /// 事件类型代码。
    pub kind: String,
    /// 办理日期。
    pub on: NaiveDate,
    /// 办理人编号（系统事件为 system）。
    pub person_id: String,
    /// 办理人角色代码。
    pub role: String,
    /// 中文描述。
    pub description: String,
    /// 事件的完整记录（JSON，含所出具文书的全文）。
    #[schema(value_type = Object)]
    pub event: serde_json::Value,
}

/// 评估请求（与 lvzhi evaluate 的输入相同）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// 事实：政策包 000 的事实代码及其取值（是否题为 true/false，选择题为选项代码，数字，日期为 YYYY-MM-DD；null 或缺省表示尚不清楚）。
    #[schema(value_type = Object)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// 行为发生日期（与 decision_date 同时给出时适用从旧兼从轻）。
    #[serde(default)]
    pub conduct_date: Option<NaiveDate>,
    /// 处理决定日期。
    #[serde(default)]
    pub decision_date: Option<NaiveDate>,
}

/// 事实清单。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactsView {
    /// 政策包编号。
    pub pack: String,
    /// 事实问题，按政策包中的顺序。
    pub facts: Vec<FactView>,
}

/// 组织机构（按树的先序排列）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgItem {
    /// 机构编号。
    pub id: String,
    /// 上级机构编号（顶级机构为空）。
    pub parent_id: Option<String>,
    /// 机构名称。
    pub name: String,
    /// 机构类别。
    pub kind: String,
    /// 层级，顶级为 0。
    pub depth: usize,
}

/// 组织机构树。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrgsView {
    /// 全部机构，按树的先序排列，下级紧随上级。
    pub orgs: Vec<OrgItem>,
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// Grants in Chinese, as the page header shows them.
pub fn grants_view(dir: &Directory, person_id: &str) -> Vec<GrantView> {
    dir.grants
        .get(person_id)
        .map(|gs| {
            gs.iter()
                .map(|g| GrantView {
                    role_zh: lvzhi_access::role_zh(&g.role).to_string(),
                    org_name: dir.org_name(&g.org_id),
                    role: g.role.clone(),
                    org_id: g.org_id.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[utoipa::path(
    get, path = "/api/v1/me", tag = "个人",
    summary = "当前用户",
    description = "返回当前用户的人员信息，以及其在各机构担任的角色。",
    responses(
        (status = 200, description = "当前用户", body = MeView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn me(State(app): State<App>, ApiUser(user): ApiUser) -> Result<Json<MeView>, AppError> {
    let dir = app.directory();
    let p = &user.person;
    Ok(Json(MeView {
        person_id: p.id.clone(),
        name: p.name.clone(),
        org_id: p.org_id.clone(),
        org_name: dir.org_name(&p.org_id),
        title: p.title.clone(),
        login: p.login.clone(),
        auth: match user.via {
            Via::Bearer => "bearer",
            Via::Session { .. } => "session",
        }
        .to_string(),
        grants: grants_view(&dir, &p.id),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/inbox", tag = "个人",
    summary = "我的待办",
    description = "当前用户可见案件中、等待其所任角色办理的未届满步骤，附届满日和剩余工作日，已逾期的在前。期限按国务院公布的节假日安排以工作日计算。",
    responses(
        (status = 200, description = "待办事项", body = InboxView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn inbox(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<InboxView>, AppError> {
    Ok(Json(InboxView {
        items: crate::ui::inbox::items(&app, &user, 200).await?,
    }))
}

#[utoipa::path(
    get, path = "/api/v1/cases", tag = "案件",
    summary = "案件列表",
    description = "当前用户依访问控制策略可以查看的案件，可按状态、办理单位、类型和届满期限筛选，每页 20 件。",
    params(ListFilter),
    responses(
        (status = 200, description = "一页案件及总数", body = CaseListPage),
        (status = 400, description = "筛选条件无效", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn list_cases(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiQuery(filter): ApiQuery<ListFilter>,
) -> Result<Json<CaseListPage>, AppError> {
    Ok(Json(crate::ui::cases::list(&app, &user, &filter).await?))
}

/// The directory's record of an organisation named in a form; the name of record replaces
/// whatever name the client sent.
fn known_org(dir: &Directory, org: &mut Org, what: &str) -> Result<(), AppError> {
    match dir.orgs.get(&org.id) {
        Some(o) => {
            org.name = o.name.clone();
            Ok(())
        }
        None => Err(AppError::Unprocessable(format!(
            "{what}“{}”不在组织机构名录中",
            org.id
        ))),
    }
}

/// Checks and completes a creation command against the directory: the organisations and the
/// applicants must be on record, and their names are those of record.
fn normalise_creation(dir: &Directory, command: &mut Command) -> Result<(), AppError> {
    let form = match command {
        Command::File { form, .. } | Command::OpenExOfficio { form, .. } => form,
        _ => {
            return Err(AppError::BadRequest(
                "立案只能通过“提出申请”（file）或“主动启动”（open_ex_officio）操作；办理已有案件请使用 POST /api/v1/cases/{id}/actions"
                    .to_string(),
            ))
        }
    };
    known_org(dir, &mut form.applying_unit, "申请单位")?;
    known_org(dir, &mut form.committee, "受理的维权委所在机构")?;
    if let Some(p) = &mut form.parent_committee {
        known_org(dir, p, "上一级维权委所在机构")?;
    }
    if let Some(d) = &mut form.accountability_decision {
        // The department may be outside the directory (another authority); named as sent then.
        if let Some(o) = dir.orgs.get(&d.department.id) {
            d.department.name = o.name.clone();
        }
    }
    for a in &mut form.applicants {
        match dir.people.get(&a.person_id) {
            Some(p) => a.name = p.name.clone(),
            None => {
                return Err(AppError::Unprocessable(format!(
                    "申请民警“{}”不在人员名录中",
                    a.person_id
                )))
            }
        }
    }
    Ok(())
}

#[utoipa::path(
    post, path = "/api/v1/cases", tag = "案件",
    summary = "立案：提出申请或主动启动",
    description = "民警本人、所在单位或代为登记的本级维权办提出免责容错申请（file，000 §12 第一款），或本级维权办主动启动（open_ex_officio，000 §12 第二款）。申请单位、受理机构和申请民警须在名录中，其名称以名录为准。",
    request_body = CreateCaseRequest,
    responses(
        (status = 201, description = "已立案", body = CreatedCase),
        (status = 400, description = "请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权为该单位立案", body = ErrorBody),
        (status = 422, description = "机构或人员不在名录中，或办理程序不允许", body = ErrorBody),
    )
)]
pub async fn create_case(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<CreatedCase>), AppError> {
    if let Some((case_id, version)) =
        super::processes::create_if_process(&app, &user, &body).await?
    {
        return Ok((StatusCode::CREATED, Json(CreatedCase { case_id, version })));
    }
    let req: CreateCaseRequest = super::extract::from_value(body)?;
    let mut command = req.command;
    let dir = app.directory();
    normalise_creation(&dir, &mut command)?;
    let (action, unit, refusal) = match &mut command {
        Command::File { form, received_on } => {
            if let Some(r) = req.received_on {
                match received_on {
                    Some(given) if *given != r => {
                        return Err(AppError::BadRequest(
                            "received_on 与命令中的收到日期不一致".to_string(),
                        ))
                    }
                    _ => *received_on = Some(r),
                }
            }
            (
                "file",
                form.applying_unit.id.clone(),
                "您无权为该单位提出免责容错申请：申请由民警本人、所在单位或本级维权办提出（000 §12）",
            )
        }
        Command::OpenExOfficio { form, .. } => {
            if req.received_on.is_some() {
                return Err(AppError::BadRequest(
                    "主动启动不适用收到申请的日期（received_on）".to_string(),
                ));
            }
            (
                "open_ex_officio",
                form.applying_unit.id.clone(),
                "您无权对该单位主动启动免责容错工作：应由本级维权办启动（000 §12）",
            )
        }
        // normalise_creation refused every other command.
        _ => return Err(AppError::internal("creation command expected")),
    };
    if !access::may_org(&app, &user, action, &unit) {
        return Err(AppError::AccessDenied(refusal.to_string()));
    }
    let (case_id, version) = create_as(&app, &user, &command).await?;
    Ok((StatusCode::CREATED, Json(CreatedCase { case_id, version })))
}

/// Creates the case as whichever of the user's organisations the workflow accepts (officer of
/// the applicants, the applying unit, or the handling committee's office).
async fn create_as(app: &App, user: &User, command: &Command) -> Result<(String, i64), AppError> {
    let service = app.service();
    let now = app.clock().now();
    let today = app.clock().today();
    let mut last: Option<AppError> = None;
    for actor in actors(user) {
        match service.create(None, &actor, command, today, now).await {
            Ok(r) => return Ok(r),
            Err(e) => {
                let e: AppError = e.into();
                let forbidden = matches!(e, AppError::Forbidden(_));
                last = Some(e);
                if !forbidden {
                    break;
                }
            }
        }
    }
    Err(last.unwrap_or_else(|| AppError::Forbidden("您没有可以办理立案的角色".to_string())))
}

fn org_ref(o: &Org) -> OrgRef {
    OrgRef {
        id: o.id.clone(),
        name: o.name.clone(),
    }
}

fn parties_view(s: &CaseState) -> PartiesView {
    let Some(form) = &s.form else {
        return PartiesView::default();
    };
    PartiesView {
        applicants: form
            .applicants
            .iter()
            .map(|o| PersonRef {
                person_id: o.person_id.clone(),
                name: o.name.clone(),
            })
            .collect(),
        applying_unit: Some(org_ref(&form.applying_unit)),
        committee: Some(org_ref(&form.committee)),
        parent_committee: form.parent_committee.as_ref().map(org_ref),
        department: s.department_org().map(org_ref),
        escalated_to: s.escalated_to().map(org_ref),
        matter: Some(form.matter.clone()),
        statement: form.statement.clone(),
        panel: s
            .panel
            .iter()
            .map(|m| PanelMemberView {
                person_id: m.person_id.clone(),
                name: m.name.clone(),
                category: id_of(&m.category),
            })
            .collect(),
        externals: s
            .externals
            .iter()
            .map(|x| PersonRef {
                person_id: x.person_id.clone(),
                name: x.name.clone(),
            })
            .collect(),
        recused: s
            .recused
            .iter()
            .map(|(id, name, reason)| RecusedView {
                person_id: id.clone(),
                name: name.clone(),
                reason: reason.clone(),
            })
            .collect(),
    }
}

fn document_view(case_id: &str, i: &Issued) -> DocumentView {
    let d: &Document = &i.document;
    let base = format!("/api/v1/cases/{case_id}/documents/{}", i.n);
    DocumentView {
        n: i.n,
        kind: id_of(&d.kind),
        title: d.title.clone(),
        addressee: d.addressee.clone(),
        copy_to: d.copy_to.clone(),
        text: d.text.clone(),
        issued_on: d.issued_on,
        seal: i.seal.as_ref().map(|s| SealView {
            sm3: s.sm3.clone(),
            bytes: s.bytes,
            pages: s.pages,
            fonts: s.fonts.clone(),
            sealed_on: i.sealed_on,
        }),
        pdf: format!("{base}.pdf"),
        docx: format!("{base}.docx"),
    }
}

fn documents_of(docs: &CaseDocuments) -> Vec<DocumentView> {
    docs.items
        .iter()
        .map(|i| document_view(&docs.case_id, i))
        .collect()
}

fn action_view(id: &str) -> ActionView {
    ActionView {
        id: id.to_string(),
        label: lvzhi_workflow::action_label(id).unwrap_or(id).to_string(),
    }
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}", tag = "案件",
    summary = "案件详情",
    description = "案件的阶段、当事人、未届满的期限（含剩余工作日）、已记录的事实、现行认定意见、时间线（审计链）、文书，以及当前用户现在可以办理的事项。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "案件详情：免责容错申请为 CaseDetail，维权案（事）件、正名等为 ProcessCaseDetail", body = super::processes::AnyCaseDetail),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
    )
)]
pub async fn get_case(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<super::processes::AnyCaseDetail>, AppError> {
    if crate::processes::process_kind(&app, &id).await?.is_some() {
        let ctx = crate::processes::load(&app, &user, &id).await?;
        let detail = super::processes::detail(&app, &user, &ctx);
        return Ok(Json(detail.into()));
    }
    let ctx = load_case(&app, &user, &id).await?;
    let today = app.clock().today();
    let view = app.service().view(&ctx.loaded.case_id, today).await?;
    let dir = app.directory();
    let s = &ctx.loaded.state;
    Ok(Json(CaseDetail {
        org_name: view.org_id.as_deref().map(|o| dir.org_name(o)),
        case_id: view.case_id,
        version: view.version,
        stage: view.stage,
        stage_zh: view.stage_zh,
        title: view.title,
        org_id: view.org_id,
        parties: parties_view(s),
        available_actions: available(&app, &user, &ctx)
            .into_iter()
            .map(action_view)
            .collect(),
        deadlines: view
            .deadlines
            .into_iter()
            .map(|d| DeadlineItem {
                step: d.deadline.step.id().to_string(),
                label: d.deadline.label.clone(),
                responsible: d.deadline.responsible.id().to_string(),
                responsible_zh: d.deadline.responsible.zh().to_string(),
                due: d.deadline.due,
                provisional: d.deadline.provisional,
                article: d.deadline.article.clone(),
                overdue: d.overdue,
                working_days_left: d.working_days_left,
            })
            .collect(),
        facts: s.form.as_ref().map(|f| f.facts.clone()).unwrap_or_default(),
        determination_zh: s.determination.as_ref().map(|d| d.summary_zh()),
        timeline: view
            .timeline
            .into_iter()
            .map(|t| TimelineItem {
                seq: t.seq,
                version: t.version,
                recorded_at: t.recorded_at,
                on: t.on,
                kind: t.kind,
                actor: t.actor,
                role: t.role,
                description: t.description,
                reason: t.reason,
                hash: t.hash,
            })
            .collect(),
        documents: documents_of(&CaseDocuments::of_application(&ctx)),
    }))
    .map(|Json(d)| Json(d.into()))
}

fn recorded(e: &Event) -> Result<RecordedEvent, AppError> {
    Ok(RecordedEvent {
        kind: e.kind.id().to_string(),
        on: e.on,
        person_id: e.by.person_id.clone(),
        role: e.by.role.id().to_string(),
        description: e.describe_zh(),
        event: serde_json::to_value(e).map_err(AppError::internal)?,
    })
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/actions", tag = "案件",
    summary = "办理案件",
    description = "以当前用户的身份办理一个事项。先按访问控制策略核对其与本案的关系，再由办理程序核对角色、阶段、期限和必要内容；此前已到期的系统事件（如视为受理，000 §13）先行记录。给出 expected_version 时，案件已被他人更新则拒绝办理。",
    params(("id" = String, Path, description = "案件编号")),
    request_body = ActionRequest,
    responses(
        (status = 200, description = "已办理并记入审计链", body = ActionResult),
        (status = 400, description = "请求内容有误", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "访问控制策略或办理程序不允许当前用户办理该事项，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "案件已被他人更新（expected_version 已过时）", body = ErrorBody),
        (status = 422, description = "办理程序不允许（阶段、期限或内容不符合规定）", body = ErrorBody),
    )
)]
pub async fn act(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ActionRequest>,
) -> Result<Json<ActionResult>, AppError> {
    if matches!(
        req.command,
        Command::File { .. } | Command::OpenExOfficio { .. }
    ) {
        return Err(AppError::BadRequest(
            "立案请使用 POST /api/v1/cases；本接口办理已有案件".to_string(),
        ));
    }
    let ctx = load_case(&app, &user, &id).await?;
    let (version, events) =
        run_command(&app, &user, &ctx, &req.command, req.expected_version).await?;
    action_result(&app, &ctx, version, &events).map(Json)
}

/// What an application's command recorded, as the API answers it.
pub(crate) fn action_result(
    app: &App,
    ctx: &CaseCtx,
    version: i64,
    events: &[Event],
) -> Result<ActionResult, AppError> {
    let unsealed_documents = if app.service().seals_documents() {
        let first = ctx.loaded.state.documents.len() + 1;
        lvzhi_service::unsealed_documents(events, first)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    } else {
        Vec::new()
    };
    Ok(ActionResult {
        case_id: ctx.loaded.case_id.clone(),
        version,
        events: events.iter().map(recorded).collect::<Result<_, _>>()?,
        unsealed_documents,
    })
}

/// The dates 从旧兼从轻 compares for a case: the decision's date from the linked accountability
/// decision; the conduct date is not recorded in the form.
fn case_dates(s: &CaseState) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let decision = s
        .form
        .as_ref()
        .and_then(|f| f.accountability_decision.as_ref())
        .map(|d| d.decided_on);
    (None, decision)
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/evaluation", tag = "系统建议",
    summary = "案件的系统建议结论",
    description = "按案件已记录的事实，依政策包 000 评估出的建议结论：结论及其情态、从宽幅度、适用与被排除的规则、引用条款全文，以及尚可能改变结论的待查明事实。系统建议仅供参考，认定意见由维权委依法作出。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "建议结论", body = EvaluationView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
    )
)]
pub async fn case_evaluation(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<EvaluationView>, AppError> {
    let ctx = load_case(&app, &user, &id).await?;
    let s = &ctx.loaded.state;
    let facts = s.form.as_ref().map(|f| f.facts.clone()).unwrap_or_default();
    let (conduct, decision) = case_dates(s);
    Ok(Json(interview::evaluate(
        &app.packs(),
        &facts,
        conduct,
        decision,
    )?))
}

#[utoipa::path(
    post, path = "/api/v1/evaluate", tag = "系统建议",
    summary = "评估一组事实",
    description = "与命令行 lvzhi evaluate 相同：按给出的事实依政策包 000 评估建议结论；同时给出行为发生日期和处理决定日期时适用从旧兼从轻。不记录任何内容。",
    request_body = EvaluateRequest,
    responses(
        (status = 200, description = "建议结论", body = EvaluationView),
        (status = 400, description = "事实代码或取值无效", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn evaluate(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
    ApiJson(req): ApiJson<EvaluateRequest>,
) -> Result<Json<EvaluationView>, AppError> {
    Ok(Json(interview::evaluate(
        &app.packs(),
        &req.facts,
        req.conduct_date,
        req.decision_date,
    )?))
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/documents", tag = "案件",
    summary = "案件文书",
    description = "案件已出具的全部书面通知和意见（受理、不予受理、视为受理、主动启动、延期、审查论证意见、复议与复核答复、建议书、公示），含全文。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "文书", body = DocumentsView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
    )
)]
pub async fn documents(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DocumentsView>, AppError> {
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    Ok(Json(DocumentsView {
        documents: documents_of(&docs),
        case_id: docs.case_id,
    }))
}

/// Path of one document: `n`, or `n.pdf` / `n.docx` for its files.
#[derive(Debug, Deserialize)]
pub struct DocumentPath {
    id: String,
    n: String,
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/documents/{n}", tag = "案件",
    summary = "一份文书",
    description = "案件的第 n 份文书（从 1 起，按出具先后），含全文。",
    params(
        ("id" = String, Path, description = "案件编号"),
        ("n" = usize, Path, description = "文书序号，从 1 起"),
    ),
    responses(
        (status = 200, description = "文书", body = DocumentView),
        (status = 400, description = "序号不是正整数", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件或文书不存在", body = ErrorBody),
    )
)]
pub async fn document(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(DocumentPath { id, n }): ApiPath<DocumentPath>,
) -> Result<Response, AppError> {
    let Some((n, format)) = parse_file(&n) else {
        let shown: String = n.chars().take(40).collect();
        return Err(AppError::BadRequest(format!(
            "文书序号“{shown}”无效：应为从 1 起的正整数，下载文件时加 .pdf 或 .docx"
        )));
    };
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    if format != Format::Page {
        return crate::ui::documents::file(&app, &docs, n, format).await;
    }
    let i = docs.one(n)?;
    Ok(Json(document_view(&docs.case_id, i)).into_response())
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/documents/{n}.pdf", tag = "案件",
    summary = "文书的 PDF",
    description = "案件第 n 份文书的 PDF（GB/T 9704-2012 版式，A4）。已定稿的文书返回出具时存档的定稿 PDF，其 SM3 摘要与文书的 seal.sm3 相同，每次读取均重新校验；未定稿的文书现时排版，文件名标注“未定稿”。与查看案件的权限相同。Content-Disposition 以 RFC 5987 的 filename* 给出中文文件名。",
    params(
        ("id" = String, Path, description = "案件编号"),
        ("n" = usize, Path, description = "文书序号，从 1 起"),
    ),
    responses(
        (status = 200, description = "PDF 文件", content_type = "application/pdf", body = FileBody),
        (status = 400, description = "序号不是正整数", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件或文书不存在", body = ErrorBody),
        (status = 409, description = "定稿 PDF 的存档已损坏、被篡改或缺失且无法按原样重新生成", body = ErrorBody),
        (status = 503, description = "暂时无法排版（如未安装中文字体）", body = ErrorBody),
    )
)]
pub async fn document_pdf(
    app: State<App>,
    user: ApiUser,
    path: ApiPath<DocumentPath>,
) -> Result<Response, AppError> {
    document(app, user, path).await
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/documents/{n}.docx", tag = "案件",
    summary = "文书的 DOCX",
    description = "案件第 n 份文书的 Word 文档（DOCX），内容和结构与 PDF 相同，供机关在打印前编辑；现时生成，不是定稿文件。与查看案件的权限相同。",
    params(
        ("id" = String, Path, description = "案件编号"),
        ("n" = usize, Path, description = "文书序号，从 1 起"),
    ),
    responses(
        (status = 200, description = "DOCX 文件", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = FileBody),
        (status = 400, description = "序号不是正整数", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权查看该案件", body = ErrorBody),
        (status = 404, description = "案件或文书不存在", body = ErrorBody),
        (status = 503, description = "暂时无法生成（如未安装中文字体）", body = ErrorBody),
    )
)]
pub async fn document_docx(
    app: State<App>,
    user: ApiUser,
    path: ApiPath<DocumentPath>,
) -> Result<Response, AppError> {
    document(app, user, path).await
}

#[utoipa::path(
    get, path = "/api/v1/policy/facts", tag = "政策",
    summary = "事实清单",
    description = "政策包 000 的事实问题：代码、类型（bool、choice、number、date）、中文问题、选项及其服务的条款。评估和记录事实时使用这些代码。",
    responses(
        (status = 200, description = "事实清单", body = FactsView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn policy_facts(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
) -> Result<Json<FactsView>, AppError> {
    Ok(Json(FactsView {
        pack: APPLICATION_PACK.to_string(),
        facts: interview::facts(&app.packs())?,
    }))
}

/// The organisations in tree order (pre-order, children by id).
pub fn org_items(dir: &Directory) -> Vec<OrgItem> {
    let mut children: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
    for o in dir.orgs.values() {
        // A parent missing from the directory is treated as a root, so nothing is lost.
        let parent = o.parent_id.as_deref().filter(|p| dir.orgs.contains_key(*p));
        children.entry(parent).or_default().push(&o.id);
    }
    let mut out = Vec::with_capacity(dir.orgs.len());
    let mut stack: Vec<(&str, usize)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|id| (*id, 0)).collect())
        .unwrap_or_default();
    while let Some((id, depth)) = stack.pop() {
        let Some(o) = dir.orgs.get(id) else { continue };
        out.push(OrgItem {
            id: o.id.clone(),
            parent_id: o.parent_id.clone(),
            name: o.name.clone(),
            kind: o.kind.clone(),
            depth,
        });
        if let Some(kids) = children.get(&Some(id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

#[utoipa::path(
    get, path = "/api/v1/orgs", tag = "组织机构",
    summary = "组织机构树",
    description = "全部机构的编号、名称、类别和上下级关系（不含人员），任何已登录用户均可查看。",
    responses(
        (status = 200, description = "组织机构", body = OrgsView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub async fn orgs(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
) -> Result<Json<OrgsView>, AppError> {
    Ok(Json(OrgsView {
        orgs: org_items(&app.directory()),
    }))
}
