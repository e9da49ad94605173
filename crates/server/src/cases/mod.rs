//! The one case layer (issue 14): what the pages and the JSON API do with a case, whatever its
//! process — the 000 application as much as 维权 incidents, 正名, 执法过错, appeals against heavy
//! sanctions and rectifications. Every case is loaded through the engine
//! (`Service::load_process`), asked of the Cedar policies with the parties its process names,
//! offered the actions its process offers to the user's roles *and* the policies allow, and acted
//! on by one loop over the user's organisations. The pages (`ui`) and the API (`api`) render the
//! plain values this layer returns; neither decides anything itself.
//!
//! - [`load`], [`CaseCtx`]: a case for a user who may see it (404 otherwise, as for a case that
//!   does not exist);
//! - [`actors`], [`available`], [`offered`]: the user as the process's actors, and what they may
//!   do now;
//! - [`run`], [`create`]: a command on a case, a case opened;
//! - [`form`]: the one form-values type, the form → command builder, the names of record;
//! - [`view`]: the case as pages and API show it;
//! - [`lists`]: the case list, the inbox and the 维权 台账.

pub(crate) mod form;
pub mod lists;
pub(crate) mod view;

use std::collections::BTreeMap;

use lvzhi_access::CaseParties;
use lvzhi_processes::registry::{by_kind, CaseType, DecidedEvent, PROCESSES};
use lvzhi_processes::{ActionSpec, Actor, FieldKind, Role};
use lvzhi_service::ProcessCase;
use serde_json::Value;

use crate::access;
use crate::app::App;
use crate::auth::User;
use crate::error::AppError;

/// A case loaded for a user who may see it: the engine's case and the parties the access
/// policies read.
pub struct CaseCtx {
    /// The case as the engine loaded and replayed it.
    pub case: ProcessCase,
    /// Its parties, as the access policies read them.
    pub parties: CaseParties,
}

impl CaseCtx {
    /// The case's id.
    pub fn id(&self) -> &str {
        &self.case.case_id
    }

    /// Events recorded: what a form sends back as `expected_version`.
    pub fn version(&self) -> i64 {
        self.case.version()
    }

    /// The process the case follows.
    pub fn process(&self) -> &'static dyn CaseType {
        self.case.process
    }

    /// The replayed state of its process, when it is of type `T`: the pages' sections that only
    /// one process has (the application's panel, interview, determination) read it so.
    pub fn state<T: 'static>(&self) -> Option<&T> {
        self.case.case.state_any().downcast_ref()
    }

    /// The case's summary (title, stage, organisation) as its process gives it.
    pub fn summary(&self) -> lvzhi_processes::Summary {
        self.case.case.summary()
    }
}

/// The parties of a loaded case, as the policies read them.
pub fn parties(case: &ProcessCase) -> CaseParties {
    let links = case.case.links();
    access::parties(
        &case.case_id,
        case.process.kind(),
        &case.case.summary().org_id,
        links.iter().map(|(r, t)| (r.as_str(), t.as_str())),
    )
}

/// Loads a case of any process for `user`: 404 when it does not exist or the user may not view
/// it (the same answer, so case ids cannot be probed). Two reads: the case's row, its events.
pub async fn load(app: &App, user: &User, case_id: &str) -> Result<CaseCtx, AppError> {
    let case = app.service().load_process(case_id).await?;
    let parties = parties(&case);
    access::require_view(app, user, case_id, &parties)?;
    Ok(CaseCtx { case, parties })
}

/// The user as the processes' actors: one per organisation where they hold roles (a process
/// checks the organisation of each step against the case).
pub(crate) fn actors(user: &User) -> Vec<Actor> {
    let mut by_org: BTreeMap<String, Vec<Role>> = BTreeMap::new();
    for g in &user.subject.grants {
        if let Ok(r) = serde_json::from_value::<Role>(Value::String(g.role.clone())) {
            by_org.entry(g.org_id.clone()).or_default().push(r);
        }
    }
    by_org
        .into_iter()
        .map(|(org, roles)| Actor {
            person_id: user.person.id.clone(),
            roles,
            org_id: org,
        })
        .collect()
}

/// The actions the user may take on the case now, each with the actor (the user at one
/// organisation) the process offers it to, in the process's order: offered by the process
/// *and* allowed by the policies.
pub fn available(app: &App, user: &User, ctx: &CaseCtx) -> Vec<(ActionSpec, Actor)> {
    let service = app.service();
    let vctx = service.case_ctx(&*ctx.case.case, app.clock().today());
    let mut out: Vec<(ActionSpec, Actor)> = Vec::new();
    for actor in actors(user) {
        for spec in ctx.case.case.actions(&actor, &vctx) {
            if out.iter().any(|(s, _)| s.id == spec.id) {
                continue;
            }
            if access::may(app, user, &spec.id, &ctx.parties) {
                out.push((spec, actor.clone()));
            }
        }
    }
    out
}

/// The form of `action` as offered to the user now, or why it is not.
pub(crate) fn offered(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    action: &str,
) -> Result<ActionSpec, AppError> {
    available(app, user, ctx)
        .into_iter()
        .map(|(spec, _)| spec)
        .find(|s| s.id == action)
        .ok_or_else(|| unavailable(app, user, ctx, action))
}

/// Why an action is not open to the user now: 404 for no such step of the case's process (or a
/// step that opens a case), 403 when the policies refuse it, else 422 naming the stage.
pub(crate) fn unavailable(app: &App, user: &User, ctx: &CaseCtx, action: &str) -> AppError {
    let process = ctx.process();
    if !process.has_action(action) {
        return AppError::NotFound(format!("{}没有“{action}”这一办理事项", process.name_zh()));
    }
    if !app.access().is_case_action(action) {
        return AppError::NotFound(format!(
            "该事项用于新建{}，请从“新建”页面办理",
            process.name_zh()
        ));
    }
    if !access::may(app, user, action, &ctx.parties) {
        return AppError::AccessDenied("您无权在本案中办理该事项".to_string());
    }
    AppError::Unprocessable(format!(
        "本案当前处于“{}”阶段，您现在不能办理该事项",
        ctx.summary().stage_zh
    ))
}

/// The action id of a command (its `action` field), or a 400.
pub(crate) fn action_of(command: &Value) -> Result<&str, AppError> {
    command
        .get("action")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::BadRequest("办理命令缺少 action 字段（操作代码）".to_string()))
}

/// What a command recorded.
pub(crate) struct Outcome {
    pub version: i64,
    /// Every event appended: those due before the command, its own, its follow-ups', the seals.
    pub events: Vec<DecidedEvent>,
    /// The notices the command issued that could not be sealed (recorded, 未定稿).
    pub(crate) unsealed: Vec<usize>,
}

/// Runs a command on a case as this user: the action must be one of the case's process, the
/// policies must allow it (so a refused user learns nothing more); then the service decides it
/// with the version the user saw, as each of the user's organisations the process offers it to
/// in turn — the next only when the step is another role's (a `Forbidden` refusal). The case is
/// not read again: the service acts on the case as loaded, and its append states that version.
pub(crate) async fn run(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    command: &Value,
    expected_version: Option<i64>,
) -> Result<Outcome, AppError> {
    run_prepared(app, user, ctx, command, expected_version, false)
        .await
        .map_err(|e| e.cited(&app.packs()))
}

/// As [`run`] for a page's form: a command that does not fit its step is refused in the words
/// of the step's form (the label of the field at fault), after the names of record and the
/// engine's results are filled in — once, here — and still after a stale version's 409.
pub(crate) async fn run_form(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    command: &Value,
    expected_version: Option<i64>,
) -> Result<Outcome, AppError> {
    run_prepared(app, user, ctx, command, expected_version, true)
        .await
        .map_err(|e| e.cited(&app.packs()))
}

async fn run_prepared(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    command: &Value,
    expected_version: Option<i64>,
    explain_shape: bool,
) -> Result<Outcome, AppError> {
    let action = action_of(command)?;
    let process = ctx.process();
    if !process.has_action(action) {
        return Err(AppError::BadRequest(format!(
            "“{action}”不是{}的办理事项",
            process.name_zh()
        )));
    }
    if !app.access().is_case_action(action) {
        return Err(AppError::BadRequest(format!(
            "“{action}”用于新建{}；新建案件请使用 POST /api/v1/cases",
            process.name_zh()
        )));
    }
    access::require(app, user, action, &ctx.parties)?;
    let service = app.service();
    let (today, now) = (app.clock().today(), app.clock().now());
    let vctx = service.case_ctx(&*ctx.case.case, today);
    let offers: Vec<(ActionSpec, Actor)> = actors(user)
        .into_iter()
        .filter_map(|a| {
            ctx.case
                .case
                .actions(&a, &vctx)
                .into_iter()
                .find(|s| s.id == action)
                .map(|s| (s, a))
        })
        .collect();
    // A stale version is the service's to refuse (409) before anything is computed.
    let stale = expected_version.is_some_and(|v| v != ctx.version());
    let command = if stale {
        command.clone()
    } else {
        let command = match offers.first() {
            Some((spec, _)) => form::complete(app, spec, command).await?,
            None => command.clone(),
        };
        // Computed whether or not the step is open now: an assessment that cannot be computed
        // yet is refused with the engine's reason (422), not as a malformed command.
        let command = with_engine_results(app, ctx, action, command)?;
        if let (true, Some((spec, _))) = (explain_shape, offers.first()) {
            process
                .parse_command(&command)
                .map_err(|e| form::explain(spec, &e))?;
        }
        command
    };
    let mut candidates: Vec<Actor> = offers.into_iter().map(|(_, a)| a).collect();
    if candidates.is_empty() {
        // Not offered now: let the service check the version and the process give its reason.
        candidates = actors(user).into_iter().take(1).collect();
    }
    let mut last = None;
    for actor in candidates {
        match service
            .act_loaded(&ctx.case, expected_version, &actor, &command, today, now)
            .await
        {
            Ok((version, events)) => {
                let unsealed = unsealed(app, ctx, &events);
                return Ok(Outcome {
                    version,
                    events,
                    unsealed,
                });
            }
            Err(e) => {
                let e = AppError::from(e);
                let forbidden = matches!(e, AppError::Forbidden(_));
                last = Some(e);
                if !forbidden {
                    break;
                }
            }
        }
    }
    Err(last.unwrap_or_else(AppError::forbidden_case))
}

/// What a command takes from the policy engine rather than from the person: the 执法过错
/// assessment (004 §7–13) is computed here from the case's recorded people and circumstances
/// with the packs in force, replacing whatever the request carried, so the record holds the
/// engine's result. The process refuses it as stale if the case changed in between.
pub(crate) fn with_engine_results(
    app: &App,
    ctx: &CaseCtx,
    action: &str,
    command: Value,
) -> Result<Value, AppError> {
    engine_results(app, ctx.case.case.as_ref(), action, command)
}

/// [`with_engine_results`] on a replayed case of any process (the API documentation's walk
/// takes the same steps).
pub(crate) fn engine_results(
    app: &App,
    case: &dyn lvzhi_processes::registry::AnyCase,
    action: &str,
    mut command: Value,
) -> Result<Value, AppError> {
    use lvzhi_processes::enforcement_fault::{assess, FaultState};
    if action != "enforcement_fault_assess" {
        return Ok(command);
    }
    let Some(state) = case.state_any().downcast_ref::<FaultState>() else {
        return Ok(command);
    };
    let assessment = assess(&app.packs(), state).map_err(|e| AppError::Unprocessable(e.message))?;
    let assessment = serde_json::to_value(assessment)
        .map_err(|e| AppError::Internal(format!("assessment not serialisable: {e}")))?;
    if let Value::Object(m) = &mut command {
        m.insert("assessment".to_string(), assessment);
    }
    Ok(command)
}

/// The notices issued by `events` (appended to the case as loaded) that no seal follows: what
/// the pages call 未定稿 right after the step. Only when the service seals at all.
fn unsealed(app: &App, ctx: &CaseCtx, events: &[DecidedEvent]) -> Vec<usize> {
    if !app.service().seals_documents() {
        return Vec::new();
    }
    let before = ctx.case.case.documents().len();
    let mut payloads: Vec<String> = ctx.case.stored.iter().map(|s| s.payload.clone()).collect();
    payloads.extend(events.iter().map(|e| e.payload.to_string()));
    let refs: Vec<&str> = payloads.iter().map(String::as_str).collect();
    let Ok(after) = ctx.process().replay(&refs) else {
        return Vec::new();
    };
    let sealed: Vec<usize> = after.seals().iter().map(|s| s.seal.document).collect();
    (before + 1..=after.documents().len())
        .filter(|n| !sealed.contains(n))
        .collect()
}

/// A case opened.
pub(crate) struct Created {
    pub case_id: String,
    pub version: i64,
}

/// The organisation an opening command is asked about: the value of its form's first
/// organisation field (`unit`, `form.applying_unit.id`, …), depth first.
fn named_org(fields: &[lvzhi_processes::Field], command: &Value) -> Option<String> {
    for f in fields {
        let value = command.get(&f.name);
        match &f.kind {
            FieldKind::Org => {
                if let Some(v) = value.and_then(Value::as_str) {
                    return Some(v.to_string());
                }
            }
            FieldKind::Object { fields } => {
                if let Some(found) = value.and_then(|v| named_org(fields, v)) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// Everyone a process could offer an opening action to: an actor holding every role a person
/// may hold (which organisations each may open for is the policies' question).
fn anyone() -> Actor {
    Actor::new("", &Role::ON_CASES, "")
}

/// The opening action `action` of `process` with the user's actors it is offered to.
fn opening_offers(
    app: &App,
    user: &User,
    process: &dyn CaseType,
    action: &str,
) -> Vec<(ActionSpec, Actor)> {
    let service = app.service();
    let dir = app.directory();
    let today = app.clock().today();
    actors(user)
        .into_iter()
        .filter_map(|a| {
            let vctx =
                service.opening_ctx(process, &crate::bindings::bound(&dir, &a.org_id), today);
            process
                .opening_actions(&a, &vctx)
                .into_iter()
                .find(|s| s.id == action)
                .map(|s| (s, a))
        })
        .collect()
}

/// The opening action `action` of `process` as offered to the user.
pub fn opening(app: &App, user: &User, process: &dyn CaseType, action: &str) -> Option<ActionSpec> {
    opening_offers(app, user, process, action)
        .into_iter()
        .next()
        .map(|(s, _)| s)
}

/// The processes the user can open a case of, with the opening actions offered to them.
pub(crate) fn openable(app: &App, user: &User) -> Vec<(&'static dyn CaseType, Vec<ActionSpec>)> {
    let service = app.service();
    let dir = app.directory();
    let mut out = Vec::new();
    for p in PROCESSES.iter().copied() {
        let mut specs: Vec<ActionSpec> = Vec::new();
        for actor in actors(user) {
            // Only what the regulations governing the user's organisation provide (issue 20).
            let bound = crate::bindings::bound(&dir, &actor.org_id);
            if !service.may_open(p, &bound) {
                continue;
            }
            let vctx = service.opening_ctx(p, &bound, app.clock().today());
            for s in p.opening_actions(&actor, &vctx) {
                if !specs.iter().any(|x| x.id == s.id) {
                    specs.push(s);
                }
            }
        }
        if !specs.is_empty() {
            out.push((p, specs));
        }
    }
    out
}

/// The registered process of a kind, or a 400 naming the kinds there are.
pub(crate) fn process_of(kind: &str) -> Result<&'static dyn CaseType, AppError> {
    by_kind(kind).ok_or_else(|| {
        AppError::BadRequest(format!(
            "案件类型“{kind}”不存在；可用的类型：{}",
            PROCESSES
                .iter()
                .map(|p| p.kind())
                .collect::<Vec<_>>()
                .join("、")
        ))
    })
}

/// Opens a case of `process` with one of its opening commands as this user. The command must
/// read as the process's; the organisation it names (its form's first organisation field) must
/// be in the directory and the policies must let the user take the action for it — asked
/// before anything is decided; the names it carries are replaced by the names of record; the
/// process decides it with each of the user's organisations it offers the action to, and the
/// case decided must name that same organisation.
pub(crate) async fn create(
    app: &App,
    user: &User,
    process: &'static dyn CaseType,
    command: &Value,
) -> Result<Created, AppError> {
    create_checked(app, user, process, command)
        .await
        .map_err(|e| e.cited(&app.packs()))
}

async fn create_checked(
    app: &App,
    user: &User,
    process: &'static dyn CaseType,
    command: &Value,
) -> Result<Created, AppError> {
    let info = process
        .parse_command(command)
        .map_err(|e| form::shape_error("command", &e.path, &e.message))?;
    if !info.opens {
        return Err(AppError::BadRequest(format!(
            "{}只能通过立案操作开始；办理已有案件请使用 POST /api/v1/cases/{{id}}/actions",
            process.name_zh()
        )));
    }
    if let Some(path) = crate::api::extract::unknown_field_path(command, &info.normalised) {
        return Err(AppError::BadRequest(format!(
            "请求中含有系统不接受的字段“command.{path}”，请检查字段名称是否拼写正确"
        )));
    }
    let offers = opening_offers(app, user, process, info.action);
    let service = app.service();
    let (today, now) = (app.clock().today(), app.clock().now());
    // The form tells which organisation the command names, whoever it is offered to.
    // An opening a regulation other than the process's own provides (003's 提前介入) is found
    // under that regulation.
    let Some(spec) = offers.first().map(|(s, _)| s.clone()).or_else(|| {
        std::iter::once(service.view_ctx(process, today))
            .chain(
                process
                    .regulations()
                    .iter()
                    .map(|r| service.view_ctx_under(process, r, today)),
            )
            .find_map(|ctx| {
                process
                    .opening_actions(&anyone(), &ctx)
                    .into_iter()
                    .find(|s| s.id == info.action)
            })
    }) else {
        return Err(AppError::BadRequest(format!(
            "“{}”不是{}的立案事项",
            info.action,
            process.name_zh()
        )));
    };
    let org = named_org(&spec.fields, command).unwrap_or_default();
    let dir = app.directory();
    if !dir.orgs.contains_key(&org) {
        return Err(AppError::Unprocessable(format!(
            "命令中的单位“{org}”不在组织机构名录中"
        )));
    }
    if !access::may_org(app, user, info.action, &org) {
        return Err(AppError::AccessDenied(format!(
            "您无权为{}办理“{}”（{}）",
            dir.org_name(&org),
            spec.label,
            spec.article
        )));
    }
    drop(dir);
    let command = form::complete(app, &spec, command).await?;
    let mut candidates: Vec<Actor> = offers.into_iter().map(|(_, a)| a).collect();
    if candidates.is_empty() {
        // Not offered to the user's roles: the process says why.
        candidates = actors(user).into_iter().take(1).collect();
    }
    let mut last = None;
    for actor in candidates {
        let named = org.clone();
        let result = service
            .create_process_checked(process.kind(), None, &actor, &command, today, now, |case| {
                let unit = case
                    .links()
                    .into_iter()
                    .find(|(r, _)| r == "unit" || r == "applying_unit")
                    .map(|(_, t)| t)
                    .unwrap_or_else(|| case.summary().org_id);
                if unit == named || case.summary().org_id == named {
                    Ok(())
                } else {
                    Err(AppError::AccessDenied(
                        "立案的单位与授权的单位不一致".to_string(),
                    ))
                }
            })
            .await;
        match result {
            Ok((case_id, version, _)) => return Ok(Created { case_id, version }),
            Err(e) => {
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

/// Whether an open step of a case waits for this user: they hold its role — or one of the
/// roles its process names beside it — and, for a step id ending in `@<organisation id>` (a step
/// for one organisation, such as one level's acknowledgement of an escalation report, 001 §17),
/// hold it at that organisation.
pub(crate) fn step_is_for(
    user: &User,
    process: Option<&dyn CaseType>,
    step: &str,
    role: &str,
) -> bool {
    match step.rsplit_once('@') {
        Some((_, org)) => user
            .subject
            .grants
            .iter()
            .any(|g| g.role == role && g.org_id == org),
        None => {
            user.has_role(role)
                || process
                    .is_some_and(|p| p.inbox_roles(step).iter().any(|r| user.has_role(r.id())))
        }
    }
}
