//! The API of the pages: who I am, my inbox, the case list, a case of any process with what I
//! may do on it, opening a case and acting on it, its documents, the recommended determination,
//! the fact vocabulary, the organisation tree and the 维权 台账. Each handler renders what the
//! one case layer (`crate::cases`) returns, as the pages do, so the API and the pages can never
//! disagree about who may see or do what.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath, ApiQuery, ErrorBody};
use crate::app::{App, Directory};
use crate::auth::{ApiUser, Via};
use crate::cases::lists::{CaseListPage, InboxItem, ListFilter};
use crate::cases::view::{self, ActionResult, CaseDetail, CreatedCase, DocumentView};
use crate::cases::{self, CaseCtx};
use crate::error::AppError;
use crate::interview::{self, EvaluationView, FactView};
use crate::notices::{file, parse_file, CaseDocuments, Format};

// ---------------------------------------------------------------------------------------------
// Shapes

/// 当前用户。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct MeView {
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
pub(crate) struct GrantView {
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
pub(crate) struct InboxView {
    /// 待办事项，已逾期的在前。
    pub items: Vec<InboxItem>,
}

/// 立案请求：案件类型及其立案命令。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateCaseRequest {
    /// 案件类型代码：application（免责容错申请，缺省）、incident（维权案（事）件）、name_clearing（正名）、enforcement_fault（执法过错）、sanction_appeal（处分申诉）、rectification（纠错整改）。
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// 该类型的立案命令：action 为立案操作代码，其余字段见各类型的命令（如 Commands_application 中的 file、Commands_incident 中的 incident_report）。
    #[schema(schema_with = super::opening_commands)]
    pub command: serde_json::Value,
}

/// 办理请求。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionRequest {
    /// 提交所依据的案件版本；案件已被他人更新时拒绝办理（409）。
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// 办理命令：action 为本案类型的操作代码，其余字段见该类型的命令，或案件详情 available_actions 中该事项的 fields。
    #[schema(schema_with = super::case_commands)]
    pub command: serde_json::Value,
}

/// A file's bytes in the OpenAPI document (a binary string, not an array of numbers).
pub(crate) struct FileBody;

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

/// 案件文书。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentsView {
    /// 案件编号。
    pub case_id: String,
    /// 文书，按出具先后。
    pub documents: Vec<DocumentView>,
}

/// 评估请求（与 lvzhi evaluate 的输入相同）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvaluateRequest {
    /// 事实：政策包 000 的事实代码及其取值（是否题为 true/false，选择题为选项代码，数字，日期为 YYYY-MM-DD；null 或缺省表示尚不清楚）。
    #[schema(value_type = Object)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// 行为发生日期（与 decision_date 同时给出时适用从旧兼从轻）。
    #[serde(default)]
    pub conduct_date: Option<NaiveDate>,
    /// 处理决定日期。
    #[serde(default)]
    pub decision_date: Option<NaiveDate>,
    /// 按哪些政策包评估（按适用顺序，如 ["000","001","004","004-2016"]）；缺省时仅按政策包 000。其他政策包的事实以“政策包:事实代码”给出。
    #[serde(default)]
    pub rules: Vec<String>,
}

/// 事实清单。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FactsView {
    /// 政策包编号。
    pub pack: String,
    /// 事实问题，按政策包中的顺序。
    pub facts: Vec<FactView>,
}

/// 组织机构（按树的先序排列）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct OrgItem {
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
pub(crate) struct OrgsView {
    /// 全部机构，按树的先序排列，下级紧随上级。
    pub orgs: Vec<OrgItem>,
}

/// 维权工作台账的一行（001 §29(六)）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct LedgerItem {
    /// 案件编号。
    pub case_id: String,
    /// 当事民警。
    pub officer: String,
    /// 所在单位。
    pub unit: String,
    /// 受理维权办所在公安机关。
    pub org: String,
    /// 侵害情形（001 §8）。
    pub incident_type: String,
    /// 发生日期。
    pub occurred_on: Option<NaiveDate>,
    /// 立案日期。
    pub registered_on: Option<NaiveDate>,
    /// 立案方式（001 §15）。
    pub source: String,
    /// 调查：最近一次记录的情况。
    pub investigation: String,
    /// 处理。
    pub handling: String,
    /// 维权措施（001 §7(六)、§9、§11、§12、§16）。
    pub measures: String,
    /// 逐级上报及各级确认情况（001 §17）。
    pub escalation: String,
    /// 状态。
    pub stage: String,
    /// 办结日期。
    pub closed_on: Option<NaiveDate>,
}

/// 维权工作台账。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct LedgerView {
    /// 当前用户可以查看的全部维权案（事）件，最近更新的在前。
    pub items: Vec<LedgerItem>,
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// Grants in Chinese, as the page header shows them.
pub(crate) fn grants_view(dir: &Directory, person_id: &str) -> Vec<GrantView> {
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
pub(crate) async fn me(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<MeView>, AppError> {
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
pub(crate) async fn inbox(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<InboxView>, AppError> {
    Ok(Json(InboxView {
        items: crate::cases::lists::inbox(&app, &user, 200).await?,
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
pub(crate) async fn list_cases(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiQuery(filter): ApiQuery<ListFilter>,
) -> Result<Json<CaseListPage>, AppError> {
    Ok(Json(crate::cases::lists::list(&app, &user, &filter).await?))
}

#[utoipa::path(
    post, path = "/api/v1/cases", tag = "案件",
    summary = "立案",
    description = "以当前用户的身份新立一件案件：kind 为案件类型（缺省为免责容错申请），command 为该类型的立案命令（各类型的命令见本文档的 Commands_* 组件）。先按访问控制策略核对当前用户能否为命令所指的单位立案，再由该类型的办理程序决定；命令中的人员、机构名称以名录为准。免责容错申请由民警本人、所在单位或者代为登记的本级维权办提出（file，000 §12 第一款），或由本级维权办主动启动（open_ex_officio，000 §12 第二款）。",
    request_body = CreateCaseRequest,
    responses(
        (status = 201, description = "已立案", body = CreatedCase),
        (status = 400, description = "请求内容有误，或不是该类型的立案命令", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "无权为该单位立案，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 422, description = "机构或人员不在名录中，或办理程序不允许", body = ErrorBody),
    )
)]
pub(crate) async fn create_case(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiJson(req): ApiJson<CreateCaseRequest>,
) -> Result<(StatusCode, Json<CreatedCase>), AppError> {
    let kind = req
        .kind
        .as_deref()
        .unwrap_or(<lvzhi_workflow::Application as lvzhi_processes::Process>::KIND);
    let process = cases::process_of(kind)?;
    let created = cases::create(&app, &user, process, &req.command).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedCase {
            case_id: created.case_id,
            version: created.version,
        }),
    ))
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}", tag = "案件",
    summary = "案件详情",
    description = "任一类型案件的阶段、事实、当事人、未届满的期限（含剩余工作日）、时间线（审计链）、文书，以及当前用户现在可以办理的事项及其表单字段。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "案件详情", body = CaseDetail),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 404, description = "案件不存在，或不在当前用户可以查看的范围内", body = ErrorBody),
    )
)]
pub(crate) async fn get_case(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CaseDetail>, AppError> {
    let ctx = cases::load(&app, &user, &id).await?;
    Ok(Json(view::detail(&app, &user, &ctx)))
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/actions", tag = "案件",
    summary = "办理案件",
    description = "以当前用户的身份办理任一类型案件的一个事项：command 为本案类型的办理命令（各类型的命令见本文档的 Commands_* 组件，或案件详情 available_actions 中该事项的 fields）。先按访问控制策略核对其与本案的关系，再核对版本，再由办理程序核对角色、阶段、期限和必要内容；此前已到期的系统事件（如视为受理，000 §13）先行记录，由此自动生成的事件（如 001 §17 的逐级上报）一并记录。给出 expected_version 时，案件已被他人更新则拒绝办理。命令中的人员、机构名称以名录为准。",
    params(("id" = String, Path, description = "案件编号")),
    request_body = ActionRequest,
    responses(
        (status = 200, description = "已办理并记入审计链", body = ActionResult),
        (status = 400, description = "请求内容有误，或不是本案的办理事项", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "访问控制策略或办理程序不允许当前用户办理该事项，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "案件已被他人更新（expected_version 已过时）", body = ErrorBody),
        (status = 422, description = "办理程序不允许（阶段、期限或内容不符合规定）", body = ErrorBody),
    )
)]
pub(crate) async fn act(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ActionRequest>,
) -> Result<Json<ActionResult>, AppError> {
    let ctx = cases::load(&app, &user, &id).await?;
    check_command(&ctx, &req.command)?;
    let outcome = cases::run(&app, &user, &ctx, &req.command, req.expected_version).await?;
    Ok(Json(view::action_result(ctx.id(), &outcome)))
}

/// A command sent to act on a case that reads as a command of the case's process must carry no
/// field the process does not keep: a misspelt optional field is never dropped without a word.
/// A command that does not read at all is the service's to refuse, after the version check.
fn check_command(ctx: &CaseCtx, command: &serde_json::Value) -> Result<(), AppError> {
    let action = cases::action_of(command)?;
    if !ctx.process().has_action(action) {
        // The case layer says so in its words.
        return Ok(());
    }
    match ctx.process().parse_command(command) {
        Ok(info) => match super::extract::unknown_field_path(command, &info.normalised) {
            Some(path) => Err(AppError::BadRequest(format!(
                "请求中含有系统不接受的字段“command.{path}”，请检查字段名称是否拼写正确"
            ))),
            None => Ok(()),
        },
        // An incomplete command is the service's to refuse after the version check.
        Err(_) => Ok(()),
    }
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/act", tag = "案件",
    summary = "办理案件（旧地址）",
    description = "与 POST /api/v1/cases/{id}/actions 相同，保留供旧的客户端使用。",
    params(("id" = String, Path, description = "案件编号")),
    request_body = ActionRequest,
    responses(
        (status = 200, description = "已办理并记入审计链", body = ActionResult),
        (status = 400, description = "请求内容有误，或不是本案的办理事项", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "访问控制策略或办理程序不允许当前用户办理该事项，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "案件已被他人更新（expected_version 已过时）", body = ErrorBody),
        (status = 422, description = "办理程序不允许（阶段、期限或内容不符合规定）", body = ErrorBody),
    )
)]
pub(crate) async fn act_alias(
    app: State<App>,
    user: ApiUser,
    id: ApiPath<String>,
    req: ApiJson<ActionRequest>,
) -> Result<Json<ActionResult>, AppError> {
    act(app, user, id, req).await
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/evaluation", tag = "系统建议",
    summary = "案件的系统建议结论",
    description = "按免责容错申请已记录的事实，依案件适用的各项规定评估出的建议结论：结论及其情态、从宽幅度、适用与被排除的规则、引用条款全文，以及尚可能改变结论的待查明事实。案件适用多项规定时，judgement 列出每项规定下的结论及其引用条款、适用哪一项及其理由、各规定结论的差异；立案时未记录适用规定的案件按政策包 000 评估。其他政策包的事实以“政策包:事实代码”记录。系统建议仅供参考，认定意见由维权委依法作出。其他类型的案件没有事实问询（404）。",
    params(("id" = String, Path, description = "案件编号")),
    responses(
        (status = 200, description = "建议结论", body = EvaluationView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 404, description = "案件不存在，或不是免责容错申请", body = ErrorBody),
    )
)]
pub(crate) async fn case_evaluation(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<EvaluationView>, AppError> {
    let ctx = cases::load(&app, &user, &id).await?;
    let Some(s) = ctx.state::<lvzhi_workflow::State>() else {
        return Err(AppError::NotFound(format!(
            "案件 {id} 是{}，没有事实问询和系统建议结论",
            ctx.process().name_zh()
        )));
    };
    let facts = s.form.as_ref().map(|f| f.facts.clone()).unwrap_or_default();
    let decision = s
        .form
        .as_ref()
        .and_then(|f| f.accountability_decision.as_ref())
        .map(|d| d.decided_on);
    // Under every pack that governs the case (issue 20 item 3); 000 alone for a case recorded
    // before bindings.
    let packs = app.packs();
    let rules = interview::governing(&packs, s.governance.as_ref());
    Ok(Json(interview::judge(
        &packs, &rules, &facts, None, decision,
    )?))
}

#[utoipa::path(
    post, path = "/api/v1/evaluate", tag = "系统建议",
    summary = "评估一组事实",
    description = "与命令行 lvzhi evaluate 相同：按给出的事实依政策包 000 评估建议结论；同时给出行为发生日期和处理决定日期时适用从旧兼从轻。给出 rules 时按其中每项规定评估，并说明适用哪一项及其理由。不记录任何内容。",
    request_body = EvaluateRequest,
    responses(
        (status = 200, description = "建议结论", body = EvaluationView),
        (status = 400, description = "事实代码或取值无效", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub(crate) async fn evaluate(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
    ApiJson(req): ApiJson<EvaluateRequest>,
) -> Result<Json<EvaluationView>, AppError> {
    let packs = app.packs();
    for r in &req.rules {
        packs
            .pack(r)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
    }
    let rules = if req.rules.is_empty() {
        vec![interview::application_pack().to_string()]
    } else {
        req.rules.clone()
    };
    Ok(Json(interview::judge(
        &packs,
        &rules,
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
pub(crate) async fn documents(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DocumentsView>, AppError> {
    let docs = CaseDocuments::load(&app, &user, &id).await?;
    Ok(Json(DocumentsView {
        documents: view::documents(&docs),
        case_id: docs.case_id,
    }))
}

/// Path of one document: `n`, or `n.pdf` / `n.docx` for its files.
#[derive(Debug, Deserialize)]
pub(crate) struct DocumentPath {
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
pub(crate) async fn document(
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
        return file(&app, &docs, n, format).await;
    }
    let i = docs.one(n)?;
    Ok(Json(view::document_view(&docs.case_id, i)).into_response())
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
pub(crate) async fn document_pdf(
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
pub(crate) async fn document_docx(
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
pub(crate) async fn policy_facts(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
) -> Result<Json<FactsView>, AppError> {
    Ok(Json(FactsView {
        pack: interview::application_pack().to_string(),
        facts: interview::facts(&app.packs(), interview::application_pack())?,
    }))
}

/// The organisations in tree order (pre-order, children by id).
pub(crate) fn org_items(dir: &Directory) -> Vec<OrgItem> {
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
pub(crate) async fn orgs(
    State(app): State<App>,
    ApiUser(_user): ApiUser,
) -> Result<Json<OrgsView>, AppError> {
    Ok(Json(OrgsView {
        orgs: org_items(&app.directory()),
    }))
}

#[utoipa::path(
    get, path = "/api/v1/incidents/ledger", tag = "案件",
    summary = "维权工作台账",
    description = "当前用户可以查看的全部维权案（事）件的台账：立案、调查、处理、维权措施、逐级上报及各级确认情况，直至办结（001 §29(六)）。网页 /incidents/ledger.csv 提供同样内容的 CSV 文件。",
    responses(
        (status = 200, description = "台账", body = LedgerView),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
    )
)]
pub(crate) async fn ledger(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<LedgerView>, AppError> {
    let rows = crate::cases::lists::ledger(&app, &user).await?;
    Ok(Json(LedgerView {
        items: rows
            .into_iter()
            .map(|(case_id, r)| LedgerItem {
                case_id,
                officer: r.officer,
                unit: r.unit,
                org: r.org,
                incident_type: r.incident_type,
                occurred_on: r.occurred_on,
                registered_on: r.registered_on,
                source: r.source,
                investigation: r.investigation,
                handling: r.handling,
                measures: r.measures,
                escalation: r.escalation,
                stage: r.stage,
                closed_on: r.closed_on,
            })
            .collect(),
    }))
}
