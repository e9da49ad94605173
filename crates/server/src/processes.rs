//! The server side of the other processes of the seeds (`lvzhi_processes`: 维权 incidents, 正名,
//! …): what the pages and the API share for any registered process — loading a case for a user
//! who may see it, the actions the user may take on it now (allowed by the Cedar policies *and*
//! offered by the process), running a command, opening a case, and turning an action's form
//! (its `Field`s) into the process's command JSON.
//!
//! Scope is asked of the same policies as for applications: a process case's parties come from
//! its read-model links (the officer it is about as an applicant, their unit as the applying
//! unit), its handling organisation is its summary's. An opening action is asked about the
//! organisation its command names in `unit` (or else `org`) before anything is decided, and the
//! decided case must name that same organisation.

use std::collections::BTreeMap;

use lvzhi_access::CaseParties;
use lvzhi_processes::registry::{by_kind, CaseType, DecidedEvent, PROCESSES};
use lvzhi_processes::{ActionSpec, Actor, Field, FieldKind};
use lvzhi_service::ProcessCase;
use lvzhi_store::CaseLink;
use serde_json::{Map, Value};

use crate::access;
use crate::app::App;
use crate::auth::User;
use crate::error::AppError;
use crate::ui::case_page::actors;

/// A process case loaded for a user who may see it.
pub struct ProcessCtx {
    pub loaded: ProcessCase,
    pub parties: CaseParties,
}

impl ProcessCtx {
    pub fn version(&self) -> i64 {
        self.loaded.version()
    }
}

/// The kind of a stored case, if it is a registered process (not an application).
pub async fn process_kind(
    app: &App,
    case_id: &str,
) -> Result<Option<&'static dyn CaseType>, AppError> {
    Ok(app
        .service()
        .case_kind(case_id)
        .await?
        .and_then(|k| by_kind(&k))
        .filter(|p| p.kind() != lvzhi_service::APPLICATION))
}

/// The registered processes other than the application, whose pages and API are still their
/// own (issue 14: until the one case layer serves them all).
pub fn others() -> impl Iterator<Item = &'static dyn CaseType> {
    PROCESSES
        .iter()
        .copied()
        .filter(|p| p.kind() != lvzhi_service::APPLICATION)
}

/// The parties of a process case, as the policies read them.
pub fn parties(case_id: &str, loaded: &ProcessCase) -> CaseParties {
    let links: Vec<CaseLink> = loaded
        .case
        .links()
        .into_iter()
        .map(|(relation, target)| CaseLink { relation, target })
        .collect();
    access::parties_from_links(
        case_id,
        loaded.process.kind(),
        &loaded.case.summary().org_id,
        &links,
    )
}

/// Loads a process case; 404 when it does not exist or the user may not see it.
pub async fn load(app: &App, user: &User, case_id: &str) -> Result<ProcessCtx, AppError> {
    let loaded = app.service().load_process(case_id).await?;
    let parties = parties(case_id, &loaded);
    access::require_view(app, user, case_id, &parties)?;
    Ok(ProcessCtx { loaded, parties })
}

/// The actions the user may take now, each with the actor (the user at one organisation) the
/// process offers it to, in the process's order.
pub fn available(app: &App, user: &User, ctx: &ProcessCtx) -> Vec<(ActionSpec, Actor)> {
    let service = app.service();
    let vctx = service.view_ctx(ctx.loaded.process, app.clock().today());
    let mut out: Vec<(ActionSpec, Actor)> = Vec::new();
    for actor in actors(user) {
        for spec in ctx.loaded.case.actions(&actor, &vctx) {
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

/// Why an action is not open to the user now: 403 when the policies refuse it, else 422.
pub fn unavailable(app: &App, user: &User, ctx: &ProcessCtx, action: &str) -> AppError {
    if !app.access().is_action(action) || lvzhi_processes::by_action(action).is_none() {
        return AppError::NotFound(format!("没有“{action}”这一办理事项"));
    }
    if !access::may(app, user, action, &ctx.parties) {
        return AppError::AccessDenied("您无权在本案中办理该事项".to_string());
    }
    AppError::Unprocessable(format!(
        "本案当前处于“{}”阶段，您现在不能办理该事项",
        ctx.loaded.case.summary().stage_zh
    ))
}

/// The action id of a command (its `action` field), or a 400.
pub fn action_of(command: &Value) -> Result<String, AppError> {
    command
        .get("action")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| AppError::BadRequest("办理命令缺少 action 字段（操作代码）".to_string()))
}

/// Runs a command on a process case as this user: the policies on the action first (so a
/// refused user learns nothing more), then the service with the version the user saw, then the
/// process's own guards with each of the user's organisations that the process offers it to.
pub async fn run(
    app: &App,
    user: &User,
    ctx: &ProcessCtx,
    command: &Value,
    expected_version: Option<i64>,
) -> Result<(i64, Vec<DecidedEvent>), AppError> {
    let action = action_of(command)?;
    if !app.access().is_case_action(&action)
        || !action.starts_with(&format!("{}_", ctx.loaded.process.kind()))
    {
        return Err(AppError::BadRequest(format!(
            "“{action}”不是{}的办理事项",
            ctx.loaded.process.name_zh()
        )));
    }
    access::require(app, user, &action, &ctx.parties)?;
    // A stale version is the service's to refuse (409) before anything is computed.
    let command = &if expected_version.is_some_and(|v| v != ctx.version()) {
        command.clone()
    } else {
        with_engine_results(app, ctx, &action, command)?
    };
    let service = app.service();
    let vctx = service.view_ctx(ctx.loaded.process, app.clock().today());
    let mut candidates: Vec<Actor> = actors(user)
        .into_iter()
        .filter(|a| {
            ctx.loaded
                .case
                .actions(a, &vctx)
                .iter()
                .any(|s| s.id == action)
        })
        .collect();
    if candidates.is_empty() {
        // Not offered now: let the service check the version and the process give its reason.
        candidates = actors(user).into_iter().take(1).collect();
    }
    let service = app.service();
    let (today, now) = (app.clock().today(), app.clock().now());
    let mut last = None;
    for actor in candidates {
        match service
            .act_process(
                &ctx.loaded.case_id,
                expected_version,
                &actor,
                command,
                today,
                now,
            )
            .await
        {
            Ok(r) => return Ok(r),
            Err(e) => {
                let e: AppError = e.into();
                let refused = matches!(e, AppError::Unprocessable(_));
                last = Some(e);
                if !refused {
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
fn with_engine_results(
    app: &App,
    ctx: &ProcessCtx,
    action: &str,
    command: &Value,
) -> Result<Value, AppError> {
    use lvzhi_processes::enforcement_fault::{assess, FaultState};
    if action != "enforcement_fault_assess" {
        return Ok(command.clone());
    }
    let state: FaultState = serde_json::from_value(ctx.loaded.case.state_json())
        .map_err(|e| AppError::Internal(format!("enforcement fault state unreadable: {e}")))?;
    let assessment =
        assess(&app.packs(), &state).map_err(|e| AppError::Unprocessable(e.message))?;
    let assessment = serde_json::to_value(assessment)
        .map_err(|e| AppError::Internal(format!("assessment not serialisable: {e}")))?;
    let mut command = command.clone();
    if let Value::Object(m) = &mut command {
        m.insert("assessment".to_string(), assessment);
    }
    Ok(command)
}

/// The organisation an opening command is asked about: its `unit`, or else its `org`.
fn opening_org(command: &Value) -> Option<String> {
    ["unit", "org"]
        .iter()
        .find_map(|k| command.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

/// Opens a case of `process` with an opening command as this user: the command must read, the
/// policies must allow its action for the organisation it names, and the process decides it
/// with each of the user's organisations in turn.
pub async fn create(
    app: &App,
    user: &User,
    process: &'static dyn CaseType,
    command: &Value,
) -> Result<(String, i64, Vec<DecidedEvent>), AppError> {
    let info = process.parse_command(command).map_err(|e| {
        AppError::BadRequest(crate::api::extract::command_error_zh(&e.path, &e.message))
    })?;
    if !info.opens {
        return Err(AppError::BadRequest(format!(
            "{}只能通过立案操作开始；办理已有案件请使用 POST /api/v1/cases/{{id}}/actions",
            process.name_zh()
        )));
    }
    if let Some(path) = crate::api::extract::unknown_field_path(command, &info.normalised) {
        return Err(AppError::BadRequest(format!(
            "请求中含有系统不接受的字段“{path}”，请检查字段名称是否拼写正确"
        )));
    }
    let org = opening_org(command).unwrap_or_default();
    if !app.directory().orgs.contains_key(&org) {
        return Err(AppError::Unprocessable(format!(
            "命令中的单位“{org}”不在组织机构名录中"
        )));
    }
    if !access::may_org(app, user, info.action, &org) {
        return Err(AppError::AccessDenied(format!(
            "您无权为{}办理“{}”",
            app.directory().org_name(&org),
            process.name_zh()
        )));
    }
    let service = app.service();
    let (today, now) = (app.clock().today(), app.clock().now());
    let vctx = service.view_ctx(process, today);
    let mut candidates: Vec<Actor> = actors(user)
        .into_iter()
        .filter(|a| {
            process
                .opening_actions(a, &vctx)
                .iter()
                .any(|s| s.id == info.action)
        })
        .collect();
    if candidates.is_empty() {
        candidates = actors(user).into_iter().take(1).collect();
    }
    let mut last = None;
    for actor in candidates {
        let named = org.clone();
        let result = service
            .create_process_checked(process.kind(), None, &actor, command, today, now, |case| {
                let links = case.links();
                let unit = links
                    .iter()
                    .find(|(r, _)| r == "unit")
                    .map(|(_, t)| t.clone())
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
            Ok(r) => return Ok(r),
            Err(e) => {
                let refused = matches!(e, AppError::Unprocessable(_));
                last = Some(e);
                if !refused {
                    break;
                }
            }
        }
    }
    Err(last.unwrap_or_else(|| AppError::Forbidden("您没有可以办理立案的角色".to_string())))
}

/// The processes the user can open a case of, with the opening actions offered to them.
pub fn openable(app: &App, user: &User) -> Vec<(&'static dyn CaseType, Vec<ActionSpec>)> {
    let service = app.service();
    let mut out = Vec::new();
    for p in others() {
        let vctx = service.view_ctx(p, app.clock().today());
        let mut specs: Vec<ActionSpec> = Vec::new();
        for actor in actors(user) {
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

/// The opening action `action` of `process` as offered to the user.
pub fn opening_spec(
    app: &App,
    user: &User,
    process: &dyn CaseType,
    action: &str,
) -> Option<ActionSpec> {
    let service = app.service();
    let vctx = service.view_ctx(process, app.clock().today());
    actors(user)
        .iter()
        .flat_map(|a| process.opening_actions(a, &vctx))
        .find(|s| s.id == action)
}

/// The Chinese name of a process stage (the id itself when unknown).
pub fn stage_zh(kind: &str, stage: &str) -> Option<String> {
    by_kind(kind).map(|p| {
        p.stages()
            .iter()
            .find(|(id, _)| *id == stage)
            .map(|(_, zh)| zh.to_string())
            .unwrap_or_else(|| stage.to_string())
    })
}

// ---- forms ----

/// Submitted form values (name, value), as the page posts them.
pub type Values = [(String, String)];

fn first<'a>(values: &'a Values, name: &str) -> &'a str {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

/// One value of a field (not `Rows`), or `None` when left empty. `at` prefixes the message
/// (`第 2 行`).
fn scalar(field: &Field, values: &Values, name: &str, at: &str) -> Result<Option<Value>, String> {
    let raw = first(values, name);
    let missing = || format!("{at}请填写“{}”", field.label);
    Ok(match &field.kind {
        FieldKind::Bool => Some(Value::Bool(matches!(raw, "true" | "on" | "1"))),
        FieldKind::MultiChoice { options } => {
            let picked: Vec<Value> = values
                .iter()
                .filter(|(k, v)| k == name && options.iter().any(|(id, _)| id == v))
                .map(|(_, v)| Value::String(v.clone()))
                .collect();
            if picked.is_empty() {
                None
            } else {
                Some(Value::Array(picked))
            }
        }
        FieldKind::Lines => {
            let lines: Vec<Value> = raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect();
            if lines.is_empty() {
                None
            } else {
                Some(Value::Array(lines))
            }
        }
        _ if raw.is_empty() => None,
        FieldKind::Integer => Some(Value::from(
            raw.parse::<i64>()
                .map_err(|_| format!("{at}“{}”应为整数", field.label))?,
        )),
        FieldKind::Date => {
            if raw.parse::<chrono::NaiveDate>().is_err() {
                return Err(format!("{at}“{}”应为日期（年-月-日）", field.label));
            }
            Some(Value::String(raw.to_string()))
        }
        FieldKind::Choice { options } => {
            if !options.iter().any(|(id, _)| id == raw) {
                return Err(format!("{at}“{}”的选项无效", field.label));
            }
            Some(Value::String(raw.to_string()))
        }
        FieldKind::Rows { .. } => return Err(missing()),
        _ => Some(Value::String(raw.to_string())),
    })
    .and_then(|v| match v {
        None if field.required => Err(missing()),
        v => Ok(v),
    })
}

/// The row indices posted for a `Rows` field (`victims.0.name`, …), in order.
fn row_indices(values: &Values, name: &str) -> Vec<usize> {
    let prefix = format!("{name}.");
    let mut rows: Vec<usize> = values
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('.').next())
        .filter_map(|i| i.parse().ok())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// The command JSON of an action from its form: every field by its kind (see `FieldKind`),
/// empty optional fields left out, blank table rows dropped. The message names the field.
pub fn command_from_form(spec: &ActionSpec, values: &Values) -> Result<Value, String> {
    let mut out = Map::new();
    out.insert("action".to_string(), Value::String(spec.id.clone()));
    for field in &spec.fields {
        if let FieldKind::Rows { fields, max } = &field.kind {
            let mut rows = Vec::new();
            for (n, i) in row_indices(values, &field.name).into_iter().enumerate() {
                let blank = fields.iter().all(|f| {
                    matches!(f.kind, FieldKind::Bool | FieldKind::Choice { .. })
                        || first(values, &format!("{}.{i}.{}", field.name, f.name)).is_empty()
                });
                if blank {
                    continue;
                }
                let at = format!("“{}”第 {} 行：", field.label, n + 1);
                let mut row = Map::new();
                for f in fields {
                    let name = format!("{}.{i}.{}", field.name, f.name);
                    if let Some(v) = scalar(f, values, &name, &at)? {
                        row.insert(f.name.clone(), v);
                    }
                }
                rows.push(Value::Object(row));
            }
            if rows.len() > *max {
                return Err(format!("“{}”最多 {max} 行", field.label));
            }
            if rows.is_empty() && field.required {
                return Err(format!("请填写“{}”", field.label));
            }
            out.insert(field.name.clone(), Value::Array(rows));
            continue;
        }
        if let Some(v) = scalar(field, values, &field.name, "")? {
            out.insert(field.name.clone(), v);
        }
    }
    Ok(Value::Object(out))
}

/// (id, label) options of a select.
pub type Options = Vec<(String, String)>;

/// People and organisations a form may name, for its `Person` and `Org` selects: the
/// organisations of the directory in tree order, and the people of the organisations within
/// the user's grants (and the user).
pub fn choices(app: &App, user: &User) -> (Options, Options) {
    let dir = app.directory();
    let orgs: Vec<(String, String)> = crate::api::cases::org_items(&dir)
        .into_iter()
        .map(|o| (o.id, format!("{}{}", "\u{3000}".repeat(o.depth), o.name)))
        .collect();
    let mut within: Vec<String> = user
        .subject
        .grants
        .iter()
        .flat_map(|g| dir.tree.subtree(&g.org_id))
        .collect();
    within.sort();
    within.dedup();
    let mut people: BTreeMap<String, String> = BTreeMap::new();
    for p in dir.people.values() {
        if p.id == user.person.id || within.binary_search(&p.org_id).is_ok() {
            people.insert(
                p.id.clone(),
                format!("{}（{}）", p.name, dir.org_name(&p.org_id)),
            );
        }
    }
    (orgs, people.into_iter().collect())
}

/// Whether an open step of a process case waits for this user: they hold its role, and, for a
/// step id ending in `@<organisation id>` (a step for one organisation, such as one level's
/// acknowledgement of an escalation report, 001 §17), hold it at that organisation.
pub fn step_is_for(user: &User, step: &str, role: &str) -> bool {
    match step.rsplit_once('@') {
        Some((_, org)) => user
            .subject
            .grants
            .iter()
            .any(|g| g.role == role && g.org_id == org),
        None => user.has_role(role),
    }
}
