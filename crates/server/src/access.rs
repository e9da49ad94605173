//! The bridge between the record and the Cedar policies of `lvzhi-access`: who a case involves
//! (from its process's links), and the SQL scope that lists exactly the cases the policies let a
//! person see (every listed row is checked against the policies again before it is shown).

use lvzhi_access::{CaseParties, Resource};
use lvzhi_store::{CaseScope, KindScope};

use crate::app::App;
use crate::auth::User;
use crate::error::AppError;

/// The kinds of case the 法制部门 works on (004 §26): the policy `legal-affairs-subtree`.
pub(crate) const LEGAL_AFFAIRS_KINDS: &[&str] = &["enforcement_fault"];

/// The kinds of case the 人事部门 and the head of the agency work on (004 §26¶2, §22): the
/// policies `personnel-discipline-subtree` and `agency-head-approves`.
pub(crate) const DISCIPLINE_KINDS: &[&str] = &["enforcement_fault"];

/// The kinds of case the 警务督察部门 works on (004 §26¶2, §27; 001 §28): the policy
/// `inspectorate-subtree-and-appeals`.
pub(crate) const INSPECTORATE_KINDS: &[&str] = &["enforcement_fault", "sanction_appeal"];

/// The parties of a case as the policies read them, from its kind, its handling organisation
/// and who and which organisations it involves as (relation, id) — what its process names
/// (`AnyCase::links`) and the read model keeps (`case_links`), so a loaded case and a listed row
/// are asked about alike. An officer a case is about reads as an applicant, their unit as the
/// applying unit.
pub fn parties<'a>(
    case_id: &str,
    kind: &str,
    org_id: &str,
    links: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> CaseParties {
    let mut p = CaseParties {
        case_id: case_id.to_string(),
        kind: kind.to_string(),
        org_id: org_id.to_string(),
        ..Default::default()
    };
    for (relation, target) in links {
        let t = target.to_string();
        match relation {
            "applying_unit" | "unit" => p.applying_unit = t,
            "applicant" | "subject" => p.applicants.push(t),
            "panel" => p.panel.push(t),
            "external" => p.externals.push(t),
            "recused" => p.recused.push(t),
            "parent_committee" => p.escalated_to = Some(t),
            "escalated_to" => {
                p.escalated_to.get_or_insert(t);
            }
            "department" => p.department = Some(t),
            _ => {}
        }
    }
    p
}

/// Whether `user` may do `action` on the case.
pub fn may(app: &App, user: &User, action: &str, parties: &CaseParties) -> bool {
    let dir = app.directory();
    app.access()
        .allows(&dir.tree, &user.subject, action, Resource::Case(parties))
}

/// Refuses unless `user` may do `action` on the case.
pub(crate) fn require(
    app: &App,
    user: &User,
    action: &str,
    parties: &CaseParties,
) -> Result<(), AppError> {
    if may(app, user, action, parties) {
        Ok(())
    } else {
        Err(AppError::forbidden_case())
    }
}

/// Refuses a case the user may not view exactly as a case that does not exist (404, the
/// service's own words), so that case ids cannot be probed (issue 19 item 7): whether a case
/// outside one's scope exists is itself not one's business.
pub(crate) fn require_view(
    app: &App,
    user: &User,
    case_id: &str,
    parties: &CaseParties,
) -> Result<(), AppError> {
    if may(app, user, "view", parties) {
        Ok(())
    } else {
        Err(lvzhi_service::ServiceError::NotFound(case_id.to_string()).into())
    }
}

/// Whether `user` may do `action` for an organisation (file, open ex officio, administer).
pub(crate) fn may_org(app: &App, user: &User, action: &str, org_id: &str) -> bool {
    let dir = app.directory();
    app.access()
        .allows(&dir.tree, &user.subject, action, Resource::Org(org_id))
}

/// The SQL scope of the cases `user` may see, mirroring the `view` policies: committee roles
/// see their subtrees, units the cases of their subtree's officers, departments the cases on
/// their decisions, parent committees the cases escalated to them, and people the cases they
/// are linked to, the 法制部门 and the 督察 the cases of their kinds (so a list's total counts only
/// rows it may show). Recusal is applied by the per-row policy check.
pub fn scope(app: &App, user: &User) -> CaseScope {
    let owned = |v: &[&str]| v.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    let dir = app.directory();
    let mut scope = CaseScope::default();
    for g in &user.subject.grants {
        let sub = dir.tree.subtree(&g.org_id);
        match g.role.as_str() {
            "office" | "director" | "deputy_director" | "committee_member" => {
                scope.orgs.extend(sub.iter().cloned());
                scope.escalated_orgs.extend(sub);
            }
            "higher_committee" => scope.escalated_orgs.extend(sub),
            // 法制 (004 §26) sees the enforcement-fault cases of its subtree; 督察 those and the
            // appeals against sanctions, also when appealed to it (004 §27, 001 §28): the
            // policies `legal-affairs-subtree`, `inspectorate-subtree-and-appeals`.
            "legal_affairs" => scope.by_kind.push(KindScope {
                kinds: owned(LEGAL_AFFAIRS_KINDS),
                orgs: sub,
                escalated_orgs: Vec::new(),
            }),
            "inspectorate" => scope.by_kind.push(KindScope {
                kinds: owned(INSPECTORATE_KINDS),
                orgs: sub.clone(),
                escalated_orgs: sub,
            }),
            // 人事 and the head of the agency (004 §26¶2): the enforcement-fault cases of the
            // subtree.
            "personnel" | "agency_head" => scope.by_kind.push(KindScope {
                kinds: owned(DISCIPLINE_KINDS),
                orgs: sub,
                escalated_orgs: Vec::new(),
            }),
            "unit" => scope.unit_orgs.extend(sub),
            "original_department" => scope.department_orgs.extend(sub),
            "officer" | "panel_member" | "external_expert" => {
                scope.person = Some(user.person.id.clone());
            }
            _ => {}
        }
    }
    for v in [
        &mut scope.orgs,
        &mut scope.escalated_orgs,
        &mut scope.unit_orgs,
        &mut scope.department_orgs,
    ] {
        v.sort();
        v.dedup();
    }
    scope
}
