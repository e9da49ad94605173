//! Which regulations govern an organisation (issue 20), one set of rules for the administration
//! page and the API: what an organisation sets itself, what it inherits and from where, and the
//! checks a change passes (a pack in force, each rule pack once, the right to administer the
//! organisation). The resolution itself is the service's (`lvzhi_service::governance`), so a
//! page shows exactly what a new case will record.

use lvzhi_service::governance::Bound;
use lvzhi_store::OrgPacks;
use serde::Serialize;
use utoipa::ToSchema;

use crate::access;
use crate::app::{App, Directory};
use crate::auth::User;
use crate::error::AppError;

/// 一部规定（政策包）。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PackView {
    /// 政策包编号。
    pub pack: String,
    /// 规定名称。
    pub title: String,
    /// 版本。
    pub version: String,
}

/// 某一角色适用的规定及其来源。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BoundView {
    /// 适用的规定（程序为一部，认定可为多部，按顺序）。
    pub packs: Vec<PackView>,
    /// 设定这些规定的机构编号：本机构，或其继承的上级机构。
    pub from_org: String,
    /// 设定这些规定的机构名称。
    pub from_org_name: String,
    /// 是否继承自上级机构。
    pub inherited: bool,
}

/// 机构适用的规定。
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct OrgPacksView {
    pub org_id: String,
    pub org_name: String,
    /// 本机构自行设定的程序规定（政策包编号）；为空则继承上级机构。
    pub own_procedure: Option<String>,
    /// 本机构自行设定的认定规定（政策包编号）；为空则继承上级机构。
    pub own_rules: Vec<String>,
    /// 实际适用的程序规定：本机构办理免责容错等案件所依照的程序；未设定时为空，各程序依其自身的规定办理。
    pub procedure: Option<BoundView>,
    /// 实际适用的认定规定：评价本机构人员所依据的规定。
    pub rules: Option<BoundView>,
}

/// The bindings that apply at `org_id`, resolved as the service resolves them for a new case.
pub(crate) fn bound(dir: &Directory, org_id: &str) -> Bound {
    Bound::in_directory(dir, org_id)
}

/// A grant's role as the body at `org_id` names it (issue 20): the office and the committee's
/// people by the `[bodies]` of the procedure pack bound there — 福州监狱's office is its
/// 履职保护办公室 — and every other role, or where nothing is bound, as everywhere.
pub(crate) fn grant_zh(app: &App, dir: &Directory, role: &str, org_id: &str) -> String {
    use lvzhi_processes::Role;
    let plain = lvzhi_access::role_zh(role).to_string();
    let Ok(r) = serde_json::from_value::<Role>(serde_json::Value::String(role.to_string())) else {
        return plain;
    };
    let named = matches!(
        r,
        Role::Office
            | Role::Director
            | Role::DeputyDirector
            | Role::CommitteeMember
            | Role::HigherCommittee
    );
    let Some((pack, _)) = bound(dir, org_id).procedure.filter(|_| named) else {
        return plain;
    };
    let packs = app.packs();
    let Some(b) = packs.pack(&pack).ok().and_then(|p| p.bodies.as_ref()) else {
        return plain;
    };
    let bodies = lvzhi_processes::Bodies {
        committee: b.committee.clone(),
        committee_short: b.committee_short.clone(),
        office: b.office.clone(),
        office_short: b.office_short.clone(),
        head: b.head.clone(),
    };
    match r {
        Role::Office => format!("{}工作人员", bodies.role_zh(r)),
        _ => bodies.role_zh(r),
    }
}

fn pack_view(app: &App, id: &str) -> PackView {
    match app.packs().pack(id) {
        Ok(p) => PackView {
            pack: id.to_string(),
            title: p.meta.title.clone(),
            version: p.meta.version.clone(),
        },
        // A pack bound before it was removed: named by its id, so the page says what to fix.
        Err(_) => PackView {
            pack: id.to_string(),
            title: format!("政策包 {id}（现未加载）"),
            version: String::new(),
        },
    }
}

/// What governs `org_id`, as the page and the API show it.
pub(crate) fn view(app: &App, org_id: &str) -> OrgPacksView {
    let dir = app.directory();
    let b = bound(&dir, org_id);
    let own = dir.org_packs.get(org_id);
    let shown = |packs: Vec<String>, from: &str| BoundView {
        packs: packs.iter().map(|p| pack_view(app, p)).collect(),
        from_org: from.to_string(),
        from_org_name: dir.org_name(from),
        inherited: from != org_id,
    };
    OrgPacksView {
        org_id: org_id.to_string(),
        org_name: dir.org_name(org_id),
        own_procedure: own.and_then(|o| o.procedure.clone()),
        own_rules: own.map(|o| o.rules.clone()).unwrap_or_default(),
        procedure: b.procedure.map(|(p, from)| shown(vec![p], &from)),
        rules: b.rules.map(|(r, from)| shown(r, &from)),
    }
}

/// Sets `org_id`'s own bindings once every rule holds: the organisation exists and the user
/// administers it, every pack is in force, each rule pack is named once. An empty procedure or
/// list inherits.
pub(crate) async fn set(
    app: &App,
    user: &User,
    org_id: &str,
    procedure: Option<&str>,
    rules: &[String],
) -> Result<(), AppError> {
    let org_id = org_id.trim();
    let dir = app.directory();
    if !dir.orgs.contains_key(org_id) {
        return Err(AppError::NotFound(format!("机构“{org_id}”不存在")));
    }
    if !access::may_org(app, user, "administer", org_id) {
        return Err(AppError::Forbidden(format!(
            "您无权管理“{}”：系统管理员只能管理本机构及其下级机构",
            dir.org_name(org_id)
        )));
    }
    let packs = app.packs();
    let known = |id: &str| -> Result<String, AppError> {
        let id = id.trim();
        if packs.pack(id).is_ok() {
            return Ok(id.to_string());
        }
        let all: Vec<String> = packs
            .packs()
            .map(|p| format!("《{}》（{}）", p.meta.title, p.meta.id))
            .collect();
        Err(AppError::BadRequest(format!(
            "政策包“{id}”未加载，可选的政策包为：{}",
            all.join("、")
        )))
    };
    let procedure = match procedure.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(known(p)?),
        None => None,
    };
    let mut chosen: Vec<String> = Vec::with_capacity(rules.len());
    for r in rules.iter().filter(|r| !r.trim().is_empty()) {
        let r = known(r)?;
        if chosen.contains(&r) {
            return Err(AppError::BadRequest(format!("认定规定“{r}”重复")));
        }
        chosen.push(r);
    }
    app.store()
        .set_org_packs(
            &user.person.id,
            &OrgPacks {
                org_id: org_id.to_string(),
                procedure,
                rules: chosen,
            },
        )
        .await?;
    app.reload_directory().await?;
    Ok(())
}
