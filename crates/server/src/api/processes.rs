//! The API of the other processes (`lvzhi_processes`: 维权案（事）件、正名, …): opening a case
//! (through `POST /api/v1/cases` with `{"kind", "command"}`), a process case's detail (through
//! `GET /api/v1/cases/{id}`), acting on it with the process's own command
//! (`POST /api/v1/cases/{id}/act`), and the 维权 台账 (001 §29(六)). Each reuses the pages'
//! logic (`crate::processes`), so the API and the pages agree on who may see and do what.

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use lvzhi_processes::registry::{by_kind, DecidedEvent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::RecordedEvent;
use super::extract::{from_value, id_of, ApiJson, ApiPath, ErrorBody};
use crate::app::App;
use crate::auth::{ApiUser, User};
use crate::error::AppError;
use crate::processes::{self, ProcessCtx};

/// 一项案件事实。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FactItem {
    /// 事项。
    pub label: String,
    /// 内容。
    pub value: String,
}

/// 可以办理的事项及其表单。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessActionView {
    /// 操作代码，即命令 JSON 的 action 字段。
    pub id: String,
    /// 操作的中文名称。
    pub label: String,
    /// 依据条款。
    pub article: String,
    /// 办理时所任角色代码。
    pub role: String,
    /// 命令的字段：name（字段名）、label（中文名称）、kind（类型：text、long_text、date、bool、integer、choice、multi_choice、lines、person、org、rows）、required（是否必填）、help（说明）。
    #[schema(value_type = Vec<Object>)]
    pub fields: serde_json::Value,
}

/// 未届满的期限。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessDeadlineItem {
    /// 步骤代码。
    pub step: String,
    /// 步骤名称。
    pub label: String,
    /// 应当办理的角色代码。
    pub role: String,
    /// 届满日（含当日）。
    pub due: NaiveDate,
    /// 是否暂定（届满日所在年度的节假日安排尚未导入）。
    pub provisional: bool,
    /// 依据条款。
    pub article: String,
    /// 是否已逾期。
    pub overdue: bool,
    /// 距届满日的工作日数（逾期为负数）。
    pub working_days_left: i64,
}

/// 一份文书及其全文。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessDocumentItem {
    /// 序号，从 1 起，按出具先后。
    pub n: usize,
    /// 文书种类代码（incident_report、name_clearing_notice、complaint_outcome 等）。
    pub kind: String,
    /// 标题。
    pub title: String,
    /// 主送。
    pub addressee: String,
    /// 全文。
    pub text: String,
    /// 出具日期。
    pub issued_on: NaiveDate,
    /// 定稿记录：出具时生成的 PDF 已存档，其 SM3 摘要记入审计链；未定稿时为空。
    pub seal: Option<super::cases::SealView>,
    /// PDF 下载地址（已定稿的返回定稿 PDF）。
    pub pdf: String,
    /// DOCX 下载地址（可编辑，现时生成）。
    pub docx: String,
}

/// 时间线中的一条记录（审计链中的一个事件）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessTimelineItem {
    /// 在审计链中的序号。
    pub seq: i64,
    /// 记录后案件的版本。
    pub version: i64,
    /// 办理日期。
    pub on: NaiveDate,
    /// 事件类型代码。
    pub kind: String,
    /// 办理人编号（系统事件为 system）。
    pub actor: String,
    /// 办理人角色代码。
    pub role: String,
    /// 中文描述。
    pub description: String,
    /// 本事件的 SM3 链哈希。
    pub hash: String,
}

/// 维权案（事）件、正名等案件的详情。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessCaseDetail {
    /// 案件编号。
    pub case_id: String,
    /// 案件类型代码（incident：维权案（事）件；name_clearing：正名；…）。
    pub kind: String,
    /// 案件类型的中文名称。
    pub kind_zh: String,
    /// 案件版本（已记录的事件数），办理时作为 expected_version 提交。
    pub version: i64,
    /// 阶段代码。
    pub stage: String,
    /// 阶段名称。
    pub stage_zh: String,
    /// 案件标题。
    pub title: String,
    /// 办理机构编号。
    pub org_id: String,
    /// 办理机构名称。
    pub org_name: String,
    /// 案件事实，按页面顺序。
    pub facts: Vec<FactItem>,
    /// 当前用户现在可以办理的事项（访问控制策略与办理程序均允许），附命令的字段。
    pub available_actions: Vec<ProcessActionView>,
    /// 未届满的期限。
    pub deadlines: Vec<ProcessDeadlineItem>,
    /// 已出具的文书。
    pub documents: Vec<ProcessDocumentItem>,
    /// 时间线（审计链）。
    pub timeline: Vec<ProcessTimelineItem>,
    /// 案件的完整状态（办理程序的记录，JSON）。
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
}

/// 办理请求（维权案（事）件、正名等案件）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessActionRequest {
    /// 提交所依据的案件版本；案件已被他人更新时拒绝办理（409）。
    #[serde(default)]
    pub expected_version: Option<i64>,
    /// 办理命令：action 为操作代码（以案件类型代码开头，如 incident_acknowledge），其余字段见案件详情中该事项的 fields。
    #[schema(value_type = Object)]
    pub command: serde_json::Value,
}

/// 办理结果。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProcessActionResult {
    /// 案件编号。
    pub case_id: String,
    /// 办理后的案件版本。
    pub version: i64,
    /// 本次记录的事件（含由此自动生成的事件，如逐级上报的报告，001 §17）。
    pub events: Vec<RecordedEvent>,
}

/// 维权工作台账的一行（001 §29(六)）。
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LedgerItem {
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
pub struct LedgerView {
    /// 当前用户可以查看的全部维权案（事）件，最近更新的在前。
    pub items: Vec<LedgerItem>,
}

fn recorded(e: &DecidedEvent) -> RecordedEvent {
    RecordedEvent {
        kind: e.kind_id.to_string(),
        on: e.on,
        person_id: e.by.person_id.clone(),
        role: e.by.role.id().to_string(),
        description: e.description.clone(),
        event: e.payload.clone(),
    }
}

/// The detail of a process case for `user`.
pub fn detail(app: &App, user: &User, ctx: &ProcessCtx) -> ProcessCaseDetail {
    let view = app.service().view_process(&ctx.loaded, app.clock().today());
    let files = format!("/api/v1/cases/{}/documents", view.case_id);
    ProcessCaseDetail {
        org_name: app.directory().org_name(&view.org_id),
        case_id: view.case_id,
        kind: view.kind,
        kind_zh: view.kind_zh,
        version: view.version,
        stage: view.stage,
        stage_zh: view.stage_zh,
        title: view.title,
        org_id: view.org_id,
        facts: view
            .facts
            .into_iter()
            .map(|f| FactItem {
                label: f.label,
                value: f.value,
            })
            .collect(),
        available_actions: processes::available(app, user, ctx)
            .into_iter()
            .map(|(s, _)| ProcessActionView {
                fields: serde_json::to_value(&s.fields).unwrap_or_default(),
                id: s.id,
                label: s.label,
                article: s.article,
                role: s.role.id().to_string(),
            })
            .collect(),
        deadlines: view
            .deadlines
            .into_iter()
            .map(|d| ProcessDeadlineItem {
                step: d.deadline.step,
                label: d.deadline.label,
                role: d.deadline.role.id().to_string(),
                due: d.deadline.due,
                provisional: d.deadline.provisional,
                article: d.deadline.article,
                overdue: d.overdue,
                working_days_left: d.working_days_left,
            })
            .collect(),
        documents: view
            .documents
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let n = i + 1;
                let base = format!("{files}/{n}");
                ProcessDocumentItem {
                    n,
                    kind: id_of(&d.kind),
                    title: d.title,
                    addressee: d.addressee,
                    text: d.text,
                    issued_on: d.issued_on,
                    seal: view.seals.iter().find(|s| s.seal.document == n).map(|s| {
                        super::cases::SealView {
                            sm3: s.seal.sm3.clone(),
                            bytes: s.seal.bytes,
                            pages: s.seal.pages,
                            fonts: s.seal.fonts.clone(),
                            sealed_on: Some(s.on),
                        }
                    }),
                    pdf: format!("{base}.pdf"),
                    docx: format!("{base}.docx"),
                }
            })
            .collect(),
        timeline: view
            .timeline
            .into_iter()
            .map(|t| ProcessTimelineItem {
                seq: t.seq,
                version: t.version,
                on: t.on,
                kind: t.kind,
                actor: t.actor,
                role: t.role,
                description: t.description,
                hash: t.hash,
            })
            .collect(),
        state: view.state,
    }
}

/// The body of `POST /api/v1/cases` for a process: the case type and its opening command.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcessCreateRequest {
    kind: String,
    command: serde_json::Value,
}

/// `POST /api/v1/cases` for a process kind: `{"kind": "incident", "command": {…}}`. `None` when
/// the body asks for an application (no `kind`, or `application`).
pub async fn create_if_process(
    app: &App,
    user: &User,
    body: &serde_json::Value,
) -> Result<Option<(String, i64)>, AppError> {
    let kind = match body.get("kind") {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::String(k)) if k == lvzhi_service::APPLICATION => return Ok(None),
        Some(serde_json::Value::String(k)) => k,
        Some(_) => {
            return Err(AppError::BadRequest(
                "字段“kind”有误：应为案件类型代码（字符串）".to_string(),
            ))
        }
    };
    let process = by_kind(kind).ok_or_else(|| {
        AppError::BadRequest(format!(
            "案件类型“{kind}”不存在；可用的类型：application、{}",
            crate::processes::others()
                .map(|p| p.kind())
                .collect::<Vec<_>>()
                .join("、")
        ))
    })?;
    let req: ProcessCreateRequest = from_value(body.clone())?;
    let (case_id, version, _) = processes::create(app, user, process, &req.command).await?;
    Ok(Some((case_id, version)))
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/act", tag = "案件",
    summary = "办理维权案（事）件、正名等案件",
    description = "以当前用户的身份办理维权案（事）件、正名等案件的一个事项（免责容错申请请使用 POST /api/v1/cases/{id}/actions）。命令的 action 为操作代码，其余字段见案件详情 available_actions 中该事项的 fields。先按访问控制策略核对其与本案的关系，再核对版本，再由办理程序核对角色、阶段和必要内容；由此自动生成的事件（如 001 §17 的逐级上报）一并记录。",
    params(("id" = String, Path, description = "案件编号")),
    request_body = ProcessActionRequest,
    responses(
        (status = 200, description = "已办理并记入审计链", body = ProcessActionResult),
        (status = 400, description = "请求内容有误，或不是本案的办理事项", body = ErrorBody),
        (status = 401, description = "未登录，或接口令牌无效、已吊销", body = ErrorBody),
        (status = 403, description = "访问控制策略不允许当前用户办理该事项，或网页会话缺少 X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "案件不存在", body = ErrorBody),
        (status = 409, description = "案件已被他人更新（expected_version 已过时）", body = ErrorBody),
        (status = 422, description = "办理程序不允许（阶段、角色或内容不符合规定）", body = ErrorBody),
    )
)]
pub async fn act(
    State(app): State<App>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ProcessActionRequest>,
) -> Result<Json<ProcessActionResult>, AppError> {
    if processes::process_kind(&app, &id).await?.is_none() {
        if app.service().case_kind(&id).await?.is_none() {
            return Err(AppError::NotFound(format!("案件 {id} 不存在")));
        }
        return Err(AppError::BadRequest(
            "免责容错申请请使用 POST /api/v1/cases/{id}/actions 办理".to_string(),
        ));
    }
    let ctx = processes::load(&app, &user, &id).await?;
    let (version, events) =
        processes::run(&app, &user, &ctx, &req.command, req.expected_version).await?;
    Ok(Json(ProcessActionResult {
        case_id: id,
        version,
        events: events.iter().map(recorded).collect(),
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
pub async fn ledger(
    State(app): State<App>,
    ApiUser(user): ApiUser,
) -> Result<Json<LedgerView>, AppError> {
    let rows = crate::ui::process::ledger_rows(&app, &user).await?;
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

/// 案件详情：免责容错申请为 CaseDetail，维权案（事）件、正名等为 ProcessCaseDetail（有 kind 字段）。
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum AnyCaseDetail {
    Application(Box<super::cases::CaseDetail>),
    Process(Box<ProcessCaseDetail>),
}

impl From<super::cases::CaseDetail> for AnyCaseDetail {
    fn from(d: super::cases::CaseDetail) -> Self {
        AnyCaseDetail::Application(Box::new(d))
    }
}

impl From<ProcessCaseDetail> for AnyCaseDetail {
    fn from(d: ProcessCaseDetail) -> Self {
        AnyCaseDetail::Process(Box::new(d))
    }
}

/// The action ids that open a case of a registered process (for the API document).
pub fn opening_action_ids() -> Vec<String> {
    use lvzhi_processes::{Actor, Role};
    let everyone = Actor::new(
        "",
        &[Role::Officer, Role::Unit, Role::Office, Role::Director],
        "",
    );
    let calendar = lvzhi_calendar::Calendar::embedded();
    let ctx = lvzhi_processes::Ctx::new(
        chrono::NaiveDate::MIN,
        &calendar,
        lvzhi_processes::Periods::none(),
    );
    let mut ids: Vec<String> = crate::processes::others()
        .flat_map(|p| p.opening_actions(&everyone, &ctx))
        .map(|s| s.id)
        .collect();
    ids.dedup();
    ids
}
