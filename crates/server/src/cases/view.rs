//! A case as the pages and the API show it — one shape for every process: what it is and where
//! it stands, its facts and parties, what the user may do now (each action with its form), open
//! deadlines, the notices and the timeline of the SM3 chain. The API serialises these types; the
//! pages render the same values.

use chrono::NaiveDate;
use lvzhi_processes::registry::DecidedEvent;
use serde::Serialize;
use utoipa::ToSchema;

use super::{available, CaseCtx, Outcome};
use crate::app::{App, Directory};
use crate::auth::User;
use crate::notices::{CaseDocuments, Issued};

/// 案件详情（各类案件相同）。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CaseDetail {
    /// 案件编号。
    pub case_id: String,
    /// 案件类型代码（application：免责容错申请；incident：维权案（事）件；name_clearing：正名；enforcement_fault：执法过错；sanction_appeal：处分申诉；rectification：纠错整改）。
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
    /// 本案适用的规定：立案时办理机构所适用的程序规定和认定规定及其版本（立案后调整机构的适用规定不影响本案）；立案早于该项记录或办理机构未设定时为空，依案件类型自身的规定办理。
    #[schema(value_type = Option<Object>)]
    pub governance: Option<lvzhi_processes::Governance>,
    /// 案件事实，按页面顺序。
    pub facts: Vec<FactItem>,
    /// 当事人与有关机关（名称以名录为准）。
    pub parties: PartiesView,
    /// 当前用户现在可以办理的事项（访问控制策略与办理程序均允许），附命令的字段。
    pub available_actions: Vec<ActionView>,
    /// 未届满的期限。
    pub deadlines: Vec<DeadlineItem>,
    /// 已出具的文书。
    pub documents: Vec<DocumentView>,
    /// 时间线（审计链）。
    pub timeline: Vec<TimelineItem>,
    /// 案件的完整状态（办理程序的记录，JSON）。
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
}

/// 一项案件事实。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FactItem {
    /// 事项。
    pub label: String,
    /// 内容。
    pub value: String,
}

/// 人员。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PersonRef {
    /// 人员编号。
    pub person_id: String,
    /// 姓名（名录之外的人员为空）。
    pub name: String,
}

/// 机构。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrgRef {
    /// 机构编号。
    pub id: String,
    /// 机构名称。
    pub name: String,
}

/// 案件的当事人与有关机关。
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub(crate) struct PartiesView {
    /// 案件涉及的民警（申请民警、当事民警）。
    pub applicants: Vec<PersonRef>,
    /// 其所在单位（申请单位）。
    pub applying_unit: Option<OrgRef>,
    /// 办理案件的机构（受理的维权委、维权办、法制部门等所在机构）。
    pub committee: Option<OrgRef>,
    /// 作出原问责处理决定的部门。
    pub department: Option<OrgRef>,
    /// 报送的上级机关（复核、逐级上报）。
    pub escalated_to: Option<OrgRef>,
    /// 审查论证组成员。
    pub panel: Vec<PersonRef>,
    /// 经批准参与审查论证的特邀人员。
    pub externals: Vec<PersonRef>,
    /// 已回避的人员。
    pub recused: Vec<PersonRef>,
}

/// 可以办理的事项及其表单。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ActionView {
    /// 操作代码，即命令 JSON 的 action 字段。
    pub id: String,
    /// 操作的中文名称。
    pub label: String,
    /// 依据条款。
    pub article: String,
    /// 办理时所任角色代码。
    pub role: String,
    /// 本事项记录的内容（一句说明，可能为空）。
    pub intro: String,
    /// 命令的字段：name（字段名）、label（中文名称）、kind（类型及其选项）、required（是否必填）、help（说明）；各类型的含义见 /api/openapi.json 中各案件类型的命令。
    #[schema(value_type = Vec<Object>)]
    pub fields: serde_json::Value,
}

/// 未届满的期限。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DeadlineItem {
    /// 步骤代码。
    pub step: String,
    /// 步骤名称。
    pub label: String,
    /// 应当办理的角色代码。
    pub role: String,
    /// 应当办理的角色名称。
    pub role_zh: String,
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
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TimelineItem {
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
    /// 办理人编号（系统事件为 system）。
    pub actor: String,
    /// 办理人姓名（系统事件为“系统”）。
    pub actor_name: String,
    /// 办理人角色代码。
    pub role: String,
    /// 办理人角色名称。
    pub role_zh: String,
    /// 中文描述。
    pub description: String,
    /// 所述理由。
    pub reason: Option<String>,
    /// 本事件的 SM3 链哈希。
    pub hash: String,
}

/// 一份文书及其全文。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentView {
    /// 序号，从 1 起，按出具先后。
    pub n: usize,
    /// 文书种类代码（acceptance_notice、review_opinion、incident_report、name_clearing_notice 等）。
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

/// 文书的定稿记录。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SealView {
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

/// 办理结果。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ActionResult {
    /// 案件编号。
    pub case_id: String,
    /// 办理后的案件版本。
    pub version: i64,
    /// 本次记录的事件（含此前已到期而由系统先行记录的事件，如视为受理；由此自动生成的事件，如逐级上报；以及所出具文书的定稿）。
    pub events: Vec<RecordedEvent>,
    /// 本次出具但未能定稿（定稿 PDF 未能生成或存档，原因见系统日志）的文书序号；办理本身已记录。
    pub unsealed_documents: Vec<usize>,
}

/// 一个已记录的事件。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RecordedEvent {
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

/// 新立案件。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CreatedCase {
    /// 案件编号（如 A2026-000001、W2026-000001）。
    pub case_id: String,
    /// 案件版本（已记录的事件数）。
    pub version: i64,
}

/// The Chinese name of a role id (the id itself when unknown), on a case governed by a pack
/// with `bodies` (issue 20: a prison's office is its 履职保护办公室, not a 维权办).
pub(crate) fn role_zh_under(role: &str, bodies: Option<&lvzhi_processes::Bodies>) -> String {
    serde_json::from_value::<lvzhi_processes::Role>(serde_json::Value::String(role.to_string()))
        .map(|r| bodies.map_or_else(|| r.zh().to_string(), |b| b.role_zh(r)))
        .unwrap_or_else(|_| lvzhi_access::role_zh(role).to_string())
}

fn person(dir: &Directory, id: &str) -> PersonRef {
    PersonRef {
        person_id: id.to_string(),
        name: dir
            .people
            .get(id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
    }
}

fn org(dir: &Directory, id: &str) -> Option<OrgRef> {
    (!id.is_empty()).then(|| OrgRef {
        id: id.to_string(),
        name: dir.org_name(id),
    })
}

/// The parties of a case, named as the directory names them.
pub(crate) fn parties(dir: &Directory, ctx: &CaseCtx) -> PartiesView {
    let p = &ctx.parties;
    let people = |ids: &[String]| ids.iter().map(|id| person(dir, id)).collect::<Vec<_>>();
    PartiesView {
        applicants: people(&p.applicants),
        applying_unit: org(dir, &p.applying_unit),
        committee: org(dir, &p.org_id),
        department: p.department.as_deref().and_then(|d| org(dir, d)),
        escalated_to: p.escalated_to.as_deref().and_then(|d| org(dir, d)),
        panel: people(&p.panel),
        externals: people(&p.externals),
        recused: people(&p.recused),
    }
}

/// An action offered, with its form.
pub(crate) fn action_view(ctx: &CaseCtx, spec: &lvzhi_processes::ActionSpec) -> ActionView {
    ActionView {
        id: spec.id.clone(),
        label: spec.label.clone(),
        article: spec.article.clone(),
        role: spec.role.id().to_string(),
        intro: ctx.process().intro(&spec.id).to_string(),
        fields: serde_json::to_value(&spec.fields).unwrap_or_default(),
    }
}

/// One notice as the API lists it.
pub(crate) fn document_view(case_id: &str, i: &Issued) -> DocumentView {
    let d = &i.document;
    let base = format!("/api/v1/cases/{case_id}/documents/{}", i.n);
    DocumentView {
        n: i.n,
        kind: crate::api::extract::id_of(&d.kind),
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

/// Every notice of a case, as the API lists them.
pub(crate) fn documents(docs: &CaseDocuments) -> Vec<DocumentView> {
    docs.items
        .iter()
        .map(|i| document_view(&docs.case_id, i))
        .collect()
}

/// The case as `user` sees it now.
pub(crate) fn detail(app: &App, user: &User, ctx: &CaseCtx) -> CaseDetail {
    let view = app.service().view_process(&ctx.case, app.clock().today());
    // Citations by code in what people read become articles of the regulation named in full
    // (issue 22 item 5); the codes stay in the record.
    let packs = app.packs();
    let cite = |t: String| packs.cite_in_text(&t);
    // The case's people named by the bodies of the pack it recorded as governing (a case from
    // before bindings: the police words of `Role::zh`).
    let bodies = ctx
        .case
        .case
        .governance()
        .map(|g| g.procedure.bodies.clone());
    let dir = app.directory();
    let actor_name = |id: &str| {
        if id == "system" {
            "系统".to_string()
        } else {
            dir.people
                .get(id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        }
    };
    CaseDetail {
        org_name: dir.org_name(&view.org_id),
        parties: parties(&dir, ctx),
        available_actions: available(app, user, ctx)
            .iter()
            .map(|(s, _)| action_view(ctx, s))
            .collect(),
        documents: documents(&CaseDocuments::of(ctx)),
        governance: ctx.case.case.governance().cloned(),
        facts: view
            .facts
            .into_iter()
            .map(|f| FactItem {
                label: f.label,
                value: cite(f.value),
            })
            .collect(),
        deadlines: view
            .deadlines
            .into_iter()
            .map(|d| DeadlineItem {
                role_zh: role_zh_under(d.deadline.role.id(), bodies.as_ref()),
                role: d.deadline.role.id().to_string(),
                step: d.deadline.step,
                label: d.deadline.label,
                due: d.deadline.due,
                provisional: d.deadline.provisional,
                article: d.deadline.article,
                overdue: d.overdue,
                working_days_left: d.working_days_left,
            })
            .collect(),
        timeline: view
            .timeline
            .into_iter()
            .map(|t| TimelineItem {
                actor_name: actor_name(&t.actor),
                role_zh: role_zh_under(&t.role, bodies.as_ref()),
                seq: t.seq,
                version: t.version,
                recorded_at: t.recorded_at,
                on: t.on,
                kind: t.kind,
                actor: t.actor,
                role: t.role,
                description: cite(t.description),
                reason: t.reason.map(cite),
                hash: t.hash,
            })
            .collect(),
        case_id: view.case_id,
        kind: view.kind,
        kind_zh: view.kind_zh,
        version: view.version,
        stage: view.stage,
        stage_zh: view.stage_zh,
        title: view.title,
        org_id: view.org_id,
        state: view.state,
    }
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

/// What a command recorded, as the API answers it.
pub(crate) fn action_result(case_id: &str, outcome: &Outcome) -> ActionResult {
    ActionResult {
        case_id: case_id.to_string(),
        version: outcome.version,
        events: outcome.events.iter().map(recorded).collect(),
        unsealed_documents: outcome.unsealed.clone(),
    }
}
