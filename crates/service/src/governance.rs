//! Which regulations govern a case (issue 20).
//!
//! Each organisation may be bound to policy packs in two roles (`lvzhi_store::OrgPacks`): the
//! *procedure* pack its body follows, and the *rule* packs its people are judged by. A role an
//! organisation does not set is inherited from the nearest organisation above it that does, so
//! binding 内蒙古自治区公安厅 binds every police organ of the region and 阿拉善盟公安局 overrides
//! what it needs for its own subtree. The defaults the demo binds follow the seeds' own scope
//! articles (`docs/policy-packs.md`, "Bindings").
//!
//! A case records what governed it when it was opened (`case_governed`): later changes of
//! binding never rewrite an old case. A case recorded before bindings, or opened where no
//! organisation up the chain binds anything, is governed by its process's own pack, as before.

use std::collections::BTreeMap;

use lvzhi_processes::{CaseType, Governance, PackRef, Periods, Regulation};
use lvzhi_store::OrgPacks;

/// The bindings that apply at an organisation: for each role, the packs and the organisation
/// (in `chain`, the organisation first, then each one above it) that set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bound {
    /// The procedure pack's id and the organisation that bound it, if any did.
    pub procedure: Option<(String, String)>,
    /// The rule packs' ids and the organisation that bound them, if any did.
    pub rules: Option<(Vec<String>, String)>,
}

impl Bound {
    /// Resolves the bindings along `chain`: each role from the nearest organisation that sets
    /// it.
    pub fn along<'a>(chain: impl IntoIterator<Item = (&'a str, Option<&'a OrgPacks>)>) -> Bound {
        let mut out = Bound::default();
        for (org, packs) in chain {
            let Some(packs) = packs else {
                continue;
            };
            if out.procedure.is_none() {
                if let Some(p) = &packs.procedure {
                    out.procedure = Some((p.clone(), org.to_string()));
                }
            }
            if out.rules.is_none() && !packs.rules.is_empty() {
                out.rules = Some((packs.rules.clone(), org.to_string()));
            }
            if out.procedure.is_some() && out.rules.is_some() {
                break;
            }
        }
        out
    }

    /// The bindings that apply at `org_id` in `dir`: its chain walked up the directory (a
    /// missing organisation ends it; the directory refuses cycles, and a bound stops one anyway).
    pub fn in_directory(dir: &dyn crate::Directory, org_id: &str) -> Bound {
        let mut chain: Vec<&str> = Vec::new();
        let mut at = Some(org_id);
        while let Some(id) = at {
            if chain.contains(&id) || chain.len() > 64 {
                break;
            }
            let Some((_, parent)) = dir.org(id) else {
                break;
            };
            chain.push(id);
            at = parent;
        }
        Bound::along(chain.into_iter().map(|id| (id, dir.org_packs(id))))
    }

    /// Whether any organisation of the chain binds anything.
    pub fn is_bound(&self) -> bool {
        self.procedure.is_some() || self.rules.is_some()
    }
}

/// Why a case of a process cannot be opened at an organisation: the regulations that govern it
/// do not provide the process's procedure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{org}适用的规定（{titles}）未规定{process}的程序，不能在本机构立案；如确属适用，请系统管理员在“机构适用规定”中绑定相应的政策包")]
pub struct NotGoverned {
    /// The organisation's name.
    pub org: String,
    /// The process's Chinese name.
    pub process: String,
    /// The titles of the regulations that govern there.
    pub titles: String,
}

/// Each pack in force as a case's procedure would follow it, by id: its version, title and
/// bodies (what a case records of the packs that govern it) and its procedures' articles.
pub type Regulations = BTreeMap<String, Regulation>;

fn pack_ref(refs: &Regulations, id: &str) -> PackRef {
    refs.get(id)
        .map(|r| r.pack.clone())
        .unwrap_or_else(|| PackRef {
            pack: id.to_string(),
            version: String::new(),
            title: format!("政策包 {id}"),
            short_title: String::new(),
            bodies: Default::default(),
        })
}

/// What governs a new case of `process` under the bindings `bound` (`None` when nothing is bound
/// up the chain: its own pack governs, as before bindings), or why it cannot be opened there.
/// `periods` are the periods of every pack in force: a procedure-bound process (the 000
/// application) runs under the organisation's procedure pack only when that pack sets the
/// periods it counts by.
pub fn governance(
    process: &dyn CaseType,
    bound: &Bound,
    refs: &Regulations,
    periods: &BTreeMap<String, Periods>,
    org_name: &str,
) -> Result<Option<Governance>, NotGoverned> {
    if !bound.is_bound() {
        return Ok(None);
    }
    let rules: Vec<String> = bound
        .rules
        .as_ref()
        .map(|(r, _)| r.clone())
        .unwrap_or_default();
    let org_procedure = bound.procedure.as_ref().map(|(p, _)| p.clone());
    let mut governing: Vec<&str> = Vec::new();
    for p in org_procedure.iter().chain(rules.iter()) {
        if !governing.contains(&p.as_str()) {
            governing.push(p);
        }
    }
    let refused = || NotGoverned {
        org: org_name.to_string(),
        process: process.name_zh().to_string(),
        titles: governing
            .iter()
            .map(|id| format!("《{}》", pack_ref(refs, id).title))
            .collect::<Vec<_>>()
            .join("、"),
    };
    let procedure = if process.procedure_bound() {
        // The body's own procedure: a unit's copy of 000 runs it; 002's and 003's procedures
        // are other processes (they do not set the application's periods).
        let Some(p) = org_procedure.clone() else {
            return Err(refused());
        };
        let ok = periods
            .get(&p)
            .is_some_and(|set| process.check_periods(set).is_ok());
        if !ok {
            return Err(refused());
        }
        p
    } else {
        match process.regulations().iter().find(|r| governing.contains(r)) {
            Some(r) => r.to_string(),
            None => return Err(refused()),
        }
    };
    // The organisation whose binding decided: the procedure's, else the rules'.
    let bound_at = bound
        .procedure
        .as_ref()
        .map(|(_, o)| o.clone())
        .or_else(|| bound.rules.as_ref().map(|(_, o)| o.clone()))
        .unwrap_or_default();
    Ok(Some(Governance {
        procedure: pack_ref(refs, &procedure),
        rules: rules.iter().map(|r| pack_ref(refs, r)).collect(),
        bound_at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packs(org: &str, procedure: Option<&str>, rules: &[&str]) -> OrgPacks {
        OrgPacks {
            org_id: org.to_string(),
            procedure: procedure.map(str::to_string),
            rules: rules.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn each_role_is_inherited_from_the_nearest_organisation_that_sets_it() {
        let region = packs("nmg-gat", None, &["001", "004"]);
        let league = packs("als-gaj", Some("000"), &["000", "001", "004", "004-2016"]);
        let bound = Bound::along([
            ("alszq-bhht", None),
            ("alszq-gaj", None),
            ("als-gaj", Some(&league)),
            ("nmg-gat", Some(&region)),
        ]);
        assert_eq!(bound.procedure, Some(("000".into(), "als-gaj".into())));
        assert_eq!(
            bound.rules.as_ref().map(|(r, o)| (r.len(), o.as_str())),
            Some((4, "als-gaj"))
        );
        // Elsewhere in the region only the region's rules apply, and no procedure is bound.
        let other = Bound::along([("hlbe-gaj", None), ("nmg-gat", Some(&region))]);
        assert_eq!(other.procedure, None);
        assert_eq!(
            other.rules.map(|(r, _)| r),
            Some(vec!["001".into(), "004".into()])
        );
        // An organisation overriding one role keeps inheriting the other.
        let own = packs("alszq-gaj", Some("000-alszq"), &[]);
        let b = Bound::along([
            ("alszq-gaj", Some(&own)),
            ("als-gaj", Some(&league)),
            ("nmg-gat", Some(&region)),
        ]);
        assert_eq!(b.procedure.map(|(p, _)| p), Some("000-alszq".into()));
        assert_eq!(b.rules.map(|(_, o)| o), Some("als-gaj".into()));
        assert!(!Bound::along([("x", None)]).is_bound());
    }
}
