//! The rules of granting and revoking a role, one set for the administration pages and the API
//! (issue 14): the same request is accepted or refused alike, with the same status and words.
//! A role is held at most once per organisation; the one revoked must be held; an administrator
//! may not revoke their own administrator role (another must, so that nobody locks the last
//! administrator of a subtree out by a slip).

use lvzhi_access::{role_zh, ROLES};
use lvzhi_store::GrantRecord;

use crate::access;
use crate::app::{App, Directory};
use crate::auth::User;
use crate::error::AppError;

/// The grant of `role` at `org_id` to `person_id`, once every rule holds.
pub(crate) fn to_grant(
    app: &App,
    user: &User,
    person_id: &str,
    role: &str,
    org_id: &str,
) -> Result<GrantRecord, AppError> {
    let g = checked(app, user, person_id, role, org_id)?;
    let dir = app.directory();
    if held(&dir, &g) {
        return Err(AppError::Conflict(format!(
            "{}已在“{}”担任“{}”",
            dir.person_name(&g.person_id),
            dir.org_name(&g.org_id),
            role_zh(&g.role)
        )));
    }
    Ok(g)
}

/// The revocation of `role` at `org_id` from `person_id`, once every rule holds.
pub(crate) fn to_revoke(
    app: &App,
    user: &User,
    person_id: &str,
    role: &str,
    org_id: &str,
) -> Result<GrantRecord, AppError> {
    let g = checked(app, user, person_id, role, org_id)?;
    let dir = app.directory();
    if !held(&dir, &g) {
        return Err(AppError::NotFound(format!(
            "{}未在“{}”担任“{}”，可能已被收回；请刷新后再办",
            dir.person_name(&g.person_id),
            dir.org_name(&g.org_id),
            role_zh(&g.role)
        )));
    }
    if g.person_id == user.person.id && g.role == "administrator" {
        return Err(AppError::Conflict(
            "不能收回本人的系统管理员角色，请由其他系统管理员办理".to_string(),
        ));
    }
    Ok(g)
}

fn held(dir: &Directory, g: &GrantRecord) -> bool {
    dir.grants.get(&g.person_id).is_some_and(|h| h.contains(g))
}

/// A known role, an existing person and organisation, and the right to administer it.
fn checked(
    app: &App,
    user: &User,
    person_id: &str,
    role: &str,
    org_id: &str,
) -> Result<GrantRecord, AppError> {
    let (person_id, role, org_id) = (person_id.trim(), role.trim(), org_id.trim());
    if role.is_empty() {
        return Err(AppError::BadRequest("请选择角色".to_string()));
    }
    if !ROLES.iter().any(|(r, _)| *r == role) {
        // The codes too: an API client sends the code, not the name.
        let known: Vec<String> = ROLES.iter().map(|(r, zh)| format!("{zh}（{r}）")).collect();
        return Err(AppError::BadRequest(format!(
            "角色“{role}”无效，可选的角色为：{}",
            known.join("、")
        )));
    }
    let dir = app.directory();
    if !dir.people.contains_key(person_id) {
        return Err(AppError::NotFound(format!("人员“{person_id}”不存在")));
    }
    if !dir.orgs.contains_key(org_id) {
        return Err(AppError::NotFound(format!("机构“{org_id}”不存在")));
    }
    if !access::may_org(app, user, "administer", org_id) {
        return Err(AppError::Forbidden(format!(
            "您无权管理“{}”：系统管理员只能管理本机构及其下级机构",
            dir.org_name(org_id)
        )));
    }
    Ok(GrantRecord {
        person_id: person_id.to_string(),
        role: role.to_string(),
        org_id: org_id.to_string(),
    })
}
