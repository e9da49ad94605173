//! The application form (`/cases/new`), laid out like the annex of 000, 《公安民警免责容错申请表》,
//! as a bordered table that prints as the paper form: the applying unit, the applicant officers
//! (the signed-in officer already entered), the matter with its facts and reasons, and the
//! accountability decision it challenges (000 §12). The handling committee is worked out from
//! the directory: the applying unit's nearest organisation, itself or above, whose 维权办 is
//! staffed (000 §12 "本级维权办"); its parent hears a 复核 (000 §21).
//!
//! The office also enters paper forms received on an officer's behalf, with the day received
//! (000 §13 counts from it), and opens a case on its own initiative (000 §12 ¶2) from the same
//! page.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use lvzhi_workflow::{AccountabilityDecision, ApplicationForm, Command, Officer, Org, Sanction};
use maud::{html, Markup};

use super::{csrf_field, page, PageResult, PageUser};
use crate::access;
use crate::app::{App, Directory};
use crate::auth::{PageForm, User};
use crate::cases;
use crate::error::AppError;

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/cases/new", get(new_page).post(new_submit))
}

type Values = Vec<(String, String)>;

/// Longest matter, and longest statement of facts and reasons, in characters: the service's
/// limits for every front end (issue 19), checked here first for the form's own message.
const MAX_MATTER: usize = lvzhi_service::limits::MATTER_CHARS;
const MAX_REASONS: usize = lvzhi_service::limits::STATEMENT_CHARS;

fn val<'a>(values: &'a [(String, String)], name: &str) -> &'a str {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

fn has(values: &[(String, String)], name: &str, v: &str) -> bool {
    values.iter().any(|(k, x)| k == name && x.trim() == v)
}

/// Organisations whose 维权办 is staffed (someone active holds `office` there).
fn office_orgs(dir: &Directory) -> BTreeSet<String> {
    dir.grants
        .iter()
        .filter(|(pid, _)| dir.people.get(*pid).is_some_and(|p| !p.disabled))
        .flat_map(|(_, gs)| gs.iter())
        .filter(|g| g.role == "office")
        .map(|g| g.org_id.clone())
        .collect()
}

/// The committee that handles an application from `unit`: the unit itself or its nearest
/// ancestor with a staffed 维权办 (000 §12).
pub(crate) fn handling_committee(dir: &Directory, unit: &str) -> Option<String> {
    let offices = office_orgs(dir);
    dir.tree
        .chain(unit)
        .into_iter()
        .find(|o| offices.contains(*o))
        .map(str::to_string)
}

fn org(dir: &Directory, id: &str) -> Org {
    Org {
        id: id.to_string(),
        name: dir.org_name(id),
    }
}

fn committee_name(dir: &Directory, id: &str) -> String {
    format!("{}维权委", dir.org_name(id))
}

/// Organisations for which the user may file (`file` policy, 000 §12 ¶1), in tree order.
fn filing_units(app: &App, user: &User) -> Vec<String> {
    let dir = app.directory();
    let service = app.service();
    let application = lvzhi_processes::by_kind("application");
    dir.orgs
        .keys()
        .filter(|o| access::may_org(app, user, "file", o))
        // Only units whose regulations provide the 000 application (issue 20: a body under 002
        // or 003 follows its own procedure).
        .filter(|o| {
            application.is_some_and(|p| service.may_open(p, &crate::bindings::bound(&dir, o)))
        })
        .cloned()
        .collect()
}

/// Whether the user acts as the office somewhere (paper forms, ex officio opening).
fn is_office(user: &User) -> bool {
    user.has_role("office")
}

/// Officers the user may name as applicants: themself when they file as an officer only; for
/// a unit or the office, every active officer of the units they may file for.
fn applicant_candidates(app: &App, user: &User, units: &[String]) -> Vec<(String, String, String)> {
    let dir = app.directory();
    let describe = |p: &lvzhi_store::PersonRecord| {
        let org = dir.org_name(&p.org_id);
        if p.title.trim().is_empty() {
            org
        } else {
            format!("{org} · {}", p.title)
        }
    };
    let files_for_others = user.has_role("unit") || is_office(user);
    if !files_for_others {
        return vec![(
            user.person.id.clone(),
            user.person.name.clone(),
            describe(&user.person),
        )];
    }
    let mut out: Vec<(String, String, String)> = dir
        .people
        .values()
        .filter(|p| !p.disabled)
        .filter(|p| {
            dir.grants
                .get(&p.id)
                .is_some_and(|gs| gs.iter().any(|g| g.role == "officer"))
        })
        .filter(|p| units.iter().any(|u| dir.tree.is_within(&p.org_id, u)))
        .map(|p| (p.id.clone(), p.name.clone(), describe(p)))
        .collect();
    out.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    out
}

async fn new_page(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let units = filing_units(&app, &user);
    let mut values: Values = Vec::new();
    if user.has_role("officer") {
        values.push(("applicant".into(), user.person.id.clone()));
    }
    if let [only] = units.as_slice() {
        values.push(("applying_unit".into(), only.clone()));
    } else if let Some(own) = user
        .orgs_with("officer")
        .into_iter()
        .find(|o| units.contains(o))
    {
        values.push(("applying_unit".into(), own));
    }
    if is_office(&user) {
        values.push(("received_on".into(), app.clock().today().to_string()));
    }
    if units.is_empty() {
        let e = AppError::Forbidden(
            "您没有提出免责容错申请的权限：申请由民警本人、所在单位或者本级维权办提出（000 §12），且须本单位适用的规定设有免责容错申请的程序"
                .to_string(),
        );
        return Ok((
            StatusCode::FORBIDDEN,
            render(&app, &user, &units, &values, Some(&e)),
        )
            .into_response());
    }
    Ok(render(&app, &user, &units, &values, None))
}

async fn new_submit(State(app): State<App>, PageForm { user, values }: PageForm) -> PageResult {
    let units = filing_units(&app, &user);
    let values: Values = values.pairs().to_vec();
    match submit(&app, &user, &units, &values).await {
        Ok(case_id) => Ok(Redirect::to(&format!("/cases/{case_id}?msg=recorded")).into_response()),
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => Ok((e.status(), render(&app, &user, &units, &values, Some(&e))).into_response()),
    }
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::BadRequest(message.into())
}

fn date(
    values: &[(String, String)],
    name: &str,
    label: &str,
) -> Result<Option<NaiveDate>, AppError> {
    let v = val(values, name);
    if v.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| bad(format!("“{label}”应为有效日期（年-月-日，如 2024-10-08）")))
}

/// The application form as the workflow records it, from the submitted fields.
fn read_form(
    app: &App,
    user: &User,
    units: &[String],
    values: &[(String, String)],
) -> Result<ApplicationForm, AppError> {
    let dir = app.directory();
    let unit = val(values, "applying_unit");
    if unit.is_empty() {
        return Err(bad("请选择“工作单位”（申请单位）"));
    }
    if !dir.orgs.contains_key(unit) {
        return Err(bad(format!("单位“{unit}”不在组织机构名册中")));
    }
    if !units.iter().any(|u| u == unit) {
        return Err(AppError::Forbidden(format!(
            "您无权以{}的名义提出申请（000 §12）",
            dir.org_name(unit)
        )));
    }
    let candidates = applicant_candidates(app, user, units);
    let mut applicants = Vec::new();
    for id in values
        .iter()
        .filter(|(k, v)| k == "applicant" && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
    {
        if applicants.iter().any(|o: &Officer| o.person_id == id) {
            continue;
        }
        let Some((_, name, _)) = candidates.iter().find(|(p, _, _)| p == id) else {
            return Err(bad(format!("人员“{id}”不是您可以代为申请的民警")));
        };
        let in_unit = dir
            .people
            .get(id)
            .is_some_and(|p| dir.tree.is_within(&p.org_id, unit));
        if !in_unit {
            return Err(bad(format!(
                "{name}不属于申请单位{}，请核对申请民警或者工作单位",
                dir.org_name(unit)
            )));
        }
        applicants.push(Officer {
            person_id: id.to_string(),
            name: name.clone(),
        });
    }
    if applicants.is_empty() {
        return Err(bad("请选择申请民警"));
    }
    let Some(committee) = handling_committee(&dir, unit) else {
        return Err(AppError::Unprocessable(format!(
            "{}及其上级单位均未设维权办，无法确定受理申请的维权委；请联系系统管理员（000 §12）",
            dir.org_name(unit)
        )));
    };
    let parent = dir.tree.parent(&committee).map(|p| org(&dir, p));
    let matter = val(values, "matter");
    if matter.is_empty() {
        return Err(bad("请填写“申请事项”"));
    }
    if matter.chars().count() > MAX_MATTER {
        return Err(bad(format!(
            "“申请事项”不能超过 {MAX_MATTER} 个字，详细情况请写入“事实与理由”"
        )));
    }
    let reasons = val(values, "reasons");
    if reasons.chars().count() > MAX_REASONS {
        return Err(bad(format!("“事实与理由”不能超过 {MAX_REASONS} 个字")));
    }
    // 申请事项 is quoted by the written notices inside a sentence (000 §13, §16, §23); 事实与理由
    // is kept apart, line by line, for the 申请表's own row.
    let reasons: Vec<&str> = reasons
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let statement = (!reasons.is_empty()).then(|| reasons.join("\n"));
    Ok(ApplicationForm {
        applicants,
        applying_unit: org(&dir, unit),
        committee: org(&dir, &committee),
        parent_committee: parent,
        matter: matter.to_string(),
        statement,
        accountability_decision: decision(&dir, values)?,
        facts: Default::default(),
    })
}

/// The linked accountability decision (000 §12, §22): all of department, sanction and date,
/// or nothing.
fn decision(
    dir: &Directory,
    values: &[(String, String)],
) -> Result<Option<AccountabilityDecision>, AppError> {
    let dept = val(values, "decision.department");
    let sanction = val(values, "decision.sanction");
    let decided = date(values, "decision.decided_on", "决定日期")?;
    let number = val(values, "decision.document_number");
    if dept.is_empty() && sanction.is_empty() && decided.is_none() && number.is_empty() {
        return Ok(None);
    }
    if dept.is_empty() {
        return Err(bad("请选择原问责处理决定的“作出部门”"));
    }
    if !dir.orgs.contains_key(dept) {
        return Err(bad(format!("部门“{dept}”不在组织机构名册中")));
    }
    if sanction.is_empty() {
        return Err(bad("请选择原问责处理决定的“处理种类”"));
    }
    let sanction: Sanction =
        serde_json::from_value(serde_json::Value::String(sanction.to_string()))
            .map_err(|_| bad(format!("“处理种类”的选项“{sanction}”无效")))?;
    let Some(decided_on) = decided else {
        return Err(bad("请填写原问责处理决定的“决定日期”"));
    };
    if number.chars().count() > 100 {
        return Err(bad("“文号”不能超过 100 个字"));
    }
    Ok(Some(AccountabilityDecision {
        department: org(dir, dept),
        sanction,
        decided_on,
        document_number: Some(number.to_string()).filter(|n| !n.is_empty()),
    }))
}

async fn submit(
    app: &App,
    user: &User,
    units: &[String],
    values: &[(String, String)],
) -> Result<String, AppError> {
    let ex_officio = val(values, "op") == "open_ex_officio";
    let form = read_form(app, user, units, values)?;
    let command = if ex_officio {
        // 000 §12 ¶2: the office opens a case on what it found itself.
        if !access::may_org(app, user, "open_ex_officio", &form.applying_unit.id) {
            return Err(AppError::Forbidden(
                "主动启动免责容错工作应由本级维权办办理（000 §12）".to_string(),
            ));
        }
        let grounds = val(values, "grounds");
        if grounds.is_empty() {
            return Err(bad(
                "主动启动应当载明发现的情形或者线索，请填写“主动启动的依据”",
            ));
        }
        if grounds.chars().count() > MAX_REASONS {
            return Err(bad(format!("“主动启动的依据”不能超过 {MAX_REASONS} 个字")));
        }
        Command::OpenExOfficio {
            form,
            grounds: grounds.to_string(),
        }
    } else {
        if !access::may_org(app, user, "file", &form.applying_unit.id) {
            return Err(AppError::Forbidden(format!(
                "您无权以{}的名义提出申请（000 §12）",
                form.applying_unit.name
            )));
        }
        // Only the office enters a paper form with the day it was received (000 §13).
        let received_on = if is_office(user) {
            date(values, "received_on", "收到申请的日期")?
        } else {
            None
        };
        Command::File { form, received_on }
    };
    // The case layer asks the policies again and lets the workflow say in which of the user's
    // roles the filing is made (officer, unit, office).
    let command = serde_json::to_value(&command).map_err(AppError::internal)?;
    let process =
        cases::process_of(<lvzhi_workflow::Application as lvzhi_processes::Process>::KIND)?;
    Ok(cases::create(app, user, process, &command).await?.case_id)
}

fn sanction_select(current: &str) -> Markup {
    html! {
        select id="f-sanction" name="decision.sanction" {
            option value="" selected[current.is_empty()] { "请选择" }
            @for (id, label) in lvzhi_workflow::process::sanction_options() {
                option value=(id) selected[current == id] { (label) }
            }
        }
    }
}

/// The bodies that may have made the decision, as the officer looks for them (issue 22 item
/// 11): first their own organisation's chain up to the top and the internal departments of
/// each (纪检、督察 … — nearest first), then the rest of their system, then other systems.
fn decision_departments(
    dir: &crate::app::Directory,
    own: &str,
) -> [(&'static str, Vec<(String, String)>); 3] {
    let chain = dir.tree.chain(own);
    let root = chain.last().copied().unwrap_or(own);
    let rank = |id: &str| -> Option<usize> {
        chain.iter().position(|c| *c == id).or_else(|| {
            let o = dir.orgs.get(id)?;
            (o.kind == "department")
                .then(|| dir.tree.parent(id))
                .flatten()
                .and_then(|p| chain.iter().position(|c| *c == p))
        })
    };
    let mut mine: Vec<(usize, String, String)> = Vec::new();
    let (mut system, mut others) = (Vec::new(), Vec::new());
    for (id, o) in &dir.orgs {
        match rank(id) {
            Some(r) => mine.push((r, id.clone(), o.name.clone())),
            None if dir.tree.is_within(id, root) => system.push((id.clone(), o.name.clone())),
            None => others.push((id.clone(), o.name.clone())),
        }
    }
    mine.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
    [
        (
            "本单位及上级机关",
            mine.into_iter().map(|(_, id, n)| (id, n)).collect(),
        ),
        ("本系统其他机关", system),
        ("其他机关", others),
    ]
}

fn render(
    app: &App,
    user: &User,
    units: &[String],
    values: &[(String, String)],
    error: Option<&AppError>,
) -> Response {
    let dir = app.directory();
    let today = app.clock().today();
    let office = is_office(user);
    let candidates = applicant_candidates(app, user, units);
    let unit = val(values, "applying_unit");
    let committee = if unit.is_empty() {
        None
    } else {
        handling_committee(&dir, unit)
    };
    let parent = committee.as_deref().and_then(|c| dir.tree.parent(c));
    let dept = val(values, "decision.department");
    let departments = decision_departments(&dir, &user.person.org_id);
    let packs = app.packs();
    let body = html! {
        form.apply method="post" action="/cases/new" {
            @if let Some(e) = error {
                div.notice.error role="alert" { p { strong { "未能提交：" } (packs.cite_in_text(&e.to_string())) } }
            }
            p.hint.noprint {
            "民警认为有符合免责的情形而受到问责处理，或者认为有符合容错的情形而受到过重问责处理的，民警本人或者所在单位可以向本级维权办提出申请（" (packs.cite_in_text("000 §12")) "）。"
            "维权办应当在收到申请后7个工作日内决定是否受理，逾期未告知的视为受理（" (packs.cite_in_text("000 §13")) "）。带 * 的各项必填。"
        }
            p.hint.noprint {
                "需要手写填报的，可"
                a.pdf href="/forms/application-form.pdf" { "下载空白申请表（PDF）" }
                "，填写、签字、所在单位签署意见并盖章后交本级维权办。"
            }
            (csrf_field(user))
            div.annex-head {
                span { "单位（盖章）：" span.fill { @if !unit.is_empty() { (dir.org_name(unit)) } } }
                span { "时间：" span.fill { (date_zh(today)) } }
            }
            table.annex {
                caption { "公安民警免责容错申请表" }
                tbody {
                    tr {
                        th { label for="f-unit" { "工作单位" span.req { "*" } } }
                        td colspan="3" {
                            select id="f-unit" name="applying_unit" required {
                                option value="" selected[unit.is_empty()] { "请选择申请单位" }
                                @for u in units {
                                    @let handled = handling_committee(&dir, u);
                                    option value=(u) selected[unit == u] {
                                        (dir.org_name(u))
                                        @if let Some(c) = &handled { "（由" (committee_name(&dir, c)) "受理）" }
                                    }
                                }
                            }
                        }
                    }
                    tr {
                        th { "民警姓名" span.req { "*" } }
                        td colspan="3" {
                            @if candidates.is_empty() {
                                p.empty { "所选单位暂无可列为申请人的民警。" }
                            } @else {
                                div.pick-list {
                                    @for (id, name, what) in &candidates {
                                        label.check {
                                            input type="checkbox" name="applicant" value=(id) checked[has(values, "applicant", id)];
                                            span { strong { (name) } " " small { (what) } }
                                        }
                                    }
                                }
                                @if candidates.len() > 1 {
                                    p.hint.noprint { "可以选择多名民警共同申请；职务以人员名册为准。" }
                                }
                            }
                        }
                    }
                    tr {
                        th { label for="f-matter" { "申请事项" span.req { "*" } } }
                        td colspan="3" {
                            input id="f-matter" type="text" name="matter" value=(val(values, "matter")) required maxlength=(lvzhi_service::limits::MATTER_CHARS) placeholder="如：申请对××问责处理决定适用依法履职免责";
                            label for="f-reasons" { "事实与理由" }
                            textarea id="f-reasons" name="reasons" rows="7" maxlength=(lvzhi_service::limits::STATEMENT_CHARS) { (val(values, "reasons")) }
                            p.hint.noprint { "简要写明履职经过、损害后果或者不良影响、受到的问责处理，以及认为符合免责或者容错情形的理由（" (packs.cite_in_text("000 §7、§8")) "），不超过3000字；详细材料可在立案后作为证据提交。申请事项将载入受理通知等书面文书，事实与理由载入申请表。" }
                        }
                    }
                    tr {
                        th { "原问责处理决定" }
                        td colspan="3" {
                            div.inline-fields {
                                label { "作出部门"
                                    select name="decision.department" {
                                        option value="" selected[dept.is_empty()] { "请选择" }
                                        @for (label, group) in &departments {
                                            @if !group.is_empty() {
                                                optgroup label=(label) {
                                                    @for (id, name) in group {
                                                        option value=(id) selected[dept == id.as_str()] { (name) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                                label for="f-sanction" { "处理种类" (sanction_select(val(values, "decision.sanction"))) }
                                label { "决定日期" input type="date" name="decision.decided_on" value=(val(values, "decision.decided_on")); }
                                label { "文号" input type="text" name="decision.document_number" value=(val(values, "decision.document_number")) maxlength="100"; }
                            }
                            p.hint.noprint { "申请免责容错应当针对已作出的问责处理决定，提出申请时必须填写；主动启动时尚无决定的可不填。本申请不影响原决定的执行（" (packs.cite_in_text("000 §22")) "）。" }
                        }
                    }
                    tr {
                        th { "受理机关" }
                        td colspan="3" {
                            @match &committee {
                                Some(c) => {
                                    (committee_name(&dir, c)) "（本级维权办）"
                                    @if let Some(p) = parent { "；复核由" (committee_name(&dir, p)) "办理（" (packs.cite_in_text("000 §21")) "）" }
                                }
                                None => { span.hint { "按所选工作单位确定：该单位或者其最近的设有维权办的上级单位。" } }
                            }
                        }
                    }
                    @if office {
                        tr.noprint {
                            th { label for="f-received" { "收到申请的日期" } }
                            td colspan="3" {
                                input id="f-received" type="date" name="received_on" value=(val(values, "received_on")) max=(today.to_string());
                                p.hint { "维权办代为录入纸质申请表的，填写实际收到的日期，受理期限自该日起计算（" (packs.cite_in_text("000 §13")) "）。" }
                            }
                        }
                    }
                    tr.opinion { th { "所在单位意见" } td colspan="3" { span.hint { "（纸质申请表由所在单位填写意见并盖章）" } } }
                    tr.opinion { th { "本级维权办领导意见" } td colspan="3" {} }
                    tr.opinion { th { "本级维权委领导意见" } td colspan="3" {} }
                }
            }
            div.buttons.noprint {
                button.primary type="submit" name="op" value="file" { "提交申请" }
                a.button href="/" { "取消" }
            }
            @if office {
                fieldset.ex-officio.noprint {
                    legend { "主动启动免责容错工作（" (packs.cite_in_text("000 §12¶2")) "）" }
                    p.hint { "维权办在工作中发现有应当适用免责容错情形、线索的，应当主动启动相关工作：按上表填写民警、单位和事项，写明发现的情形或者线索后主动启动；审查论证期限自启动之日起计算。" }
                    label for="f-grounds" { "主动启动的依据" span.req { "*" } }
                    textarea id="f-grounds" name="grounds" rows="4" { (val(values, "grounds")) }
                    div.buttons { button type="submit" name="op" value="open_ex_officio" { "主动启动" } }
                }
            }
        }
    };
    page(app, user, "免责容错申请", "apply", body)
}
