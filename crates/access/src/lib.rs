//! lvzhi-access: who may see and do what, declared as Cedar policies (`policies/policies.cedar`
//! over the schema `policies/lvzhi.cedarschema`), not as `if`s scattered through the server.
//!
//! The policies decide *scope*: whose business a case is (the organisation subtree, the
//! applicant, the assigned panel, the escalation target, the department), and which family of
//! actions a role performs. Whether a step may be taken *now* (stage, window, content) is the
//! workflow's decision; the server asks both and acts only when both allow.
//!
//! A person may hold several roles at several organisations. Each grant is asked about as its
//! own principal (`Actor`: person, role, organisation); the person may act if any grant is
//! permitted. A `forbid` (recusal) names the person, so it applies to every grant at once.
//!
//! Pure: no I/O. The policy and schema texts are embedded; both are validated when an
//! [`Access`] is built (a test makes sure the shipped ones are).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use serde::Serialize;

/// The shipped policies and their schema.
pub const POLICIES: &str = include_str!("../policies/policies.cedar");
pub const SCHEMA: &str = include_str!("../policies/lvzhi.cedarschema");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("访问控制策略无法解析：{0}")]
    Policies(String),
    #[error("访问控制策略的结构定义无法解析：{0}")]
    Schema(String),
    #[error("访问控制策略与结构定义不符：{0}")]
    Invalid(String),
    #[error("组织机构“{0}”的上级机构不存在")]
    UnknownParent(String),
    #[error("组织机构树有误：{0}")]
    Tree(String),
    #[error("访问请求无法构造：{0}")]
    Request(String),
}

/// Roles a person can be granted at an organisation (DESIGN §1). Ids as the workflow's `Role`.
pub const ROLES: &[(&str, &str)] = &[
    ("officer", "民警"),
    ("unit", "单位负责人"),
    ("office", "维权办工作人员"),
    ("director", "维权委主任"),
    ("deputy_director", "维权委副主任"),
    ("committee_member", "维权委成员"),
    ("panel_member", "审查论证组成员"),
    ("external_expert", "特邀审查论证人员"),
    ("original_department", "原问责决定部门"),
    ("higher_committee", "上一级维权委"),
    ("administrator", "系统管理员"),
    ("legal_affairs", "法制部门"),
    ("inspectorate", "警务督察部门"),
];

/// The Chinese name of a role id (the id itself when unknown).
pub fn role_zh(id: &str) -> &str {
    ROLES
        .iter()
        .find(|(r, _)| *r == id)
        .map(|(_, zh)| *zh)
        .unwrap_or(id)
}

/// One role held at one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Grant {
    pub role: String,
    pub org_id: String,
}

/// Who is asking: a person and every grant they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub person_id: String,
    pub grants: Vec<Grant>,
}

/// The parties of a case, as the policies read them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseParties {
    pub case_id: String,
    /// The case type (`application`, or a process's kind such as `enforcement_fault`): the
    /// 法制部门 and the 督察 see only the kinds they work on (004 §26–27, 001 §28).
    pub kind: String,
    /// The handling committee's organisation.
    pub org_id: String,
    pub applying_unit: String,
    pub applicants: Vec<String>,
    pub panel: Vec<String>,
    pub externals: Vec<String>,
    pub recused: Vec<String>,
    pub escalated_to: Option<String>,
    pub department: Option<String>,
}

/// What a request is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Case(&'a CaseParties),
    Org(&'a str),
}

/// The answer, with the policies that decided it (for explanations and the matrix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub allowed: bool,
    /// Ids of the policies that permitted (when allowed) or forbade (when forbidden).
    pub policies: Vec<String>,
}

/// Compiled policies and schema.
#[derive(Debug, Clone)]
pub struct Access {
    policies: PolicySet,
    schema: Schema,
    authorizer: Authorizer,
    actions: Vec<String>,
    /// The actions whose resource is a case (the others apply to organisations: filing,
    /// opening a case, administering), from the schema's `appliesTo`.
    case_actions: HashSet<String>,
    /// Each action's entity and those of its groups (`accept` in `handle`), from the schema:
    /// what a decision needs of the action hierarchy.
    action_entities: HashMap<EntityUid, Vec<Entity>>,
}

/// The organisation tree, checked once per change of the directory (every parent known, no
/// cycle). Each decision builds entities only for the organisations it involves and their
/// ancestors: a handful, however large the tree (the pages ask for every listed case).
#[derive(Debug, Clone)]
pub struct OrgTree {
    parents: BTreeMap<String, Option<String>>,
}

fn uid(ty: &str, id: &str) -> Result<EntityUid, AccessError> {
    let t = EntityTypeName::from_str(ty).map_err(|e| AccessError::Request(e.to_string()))?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn set_of(ty: &str, ids: &[String]) -> Result<RestrictedExpression, AccessError> {
    let items = ids
        .iter()
        .map(|id| uid(ty, id).map(RestrictedExpression::new_entity_uid))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RestrictedExpression::new_set(items))
}

impl Access {
    /// The shipped policies.
    pub fn new() -> Result<Self, AccessError> {
        Self::from_texts(POLICIES, SCHEMA)
    }

    /// Policies and schema from text; both parsed and the policies validated strictly against
    /// the schema, so a policy naming a missing attribute or action is refused here.
    pub fn from_texts(policies: &str, schema: &str) -> Result<Self, AccessError> {
        let (schema, _warnings) =
            Schema::from_cedarschema_str(schema).map_err(|e| AccessError::Schema(e.to_string()))?;
        let policies =
            PolicySet::from_str(policies).map_err(|e| AccessError::Policies(e.to_string()))?;
        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
            return Err(AccessError::Invalid(errors.join("；")));
        }
        let groups: HashSet<String> = schema
            .action_groups()
            .map(|a| a.id().unescaped().to_string())
            .collect();
        let mut actions: Vec<String> = schema
            .actions()
            .map(|a| a.id().unescaped().to_string())
            .filter(|a| !groups.contains(a))
            .collect();
        actions.sort();
        let mut case_actions = HashSet::new();
        for a in schema.actions() {
            let applies_to_case = schema
                .resources_for_action(a)
                .is_some_and(|mut ts| ts.any(|t| t.to_string() == "Case"));
            if applies_to_case {
                case_actions.insert(a.id().unescaped().to_string());
            }
        }
        let all = schema
            .action_entities()
            .map_err(|e| AccessError::Schema(e.to_string()))?;
        let by_uid: HashMap<EntityUid, Entity> = all.iter().map(|e| (e.uid(), e.clone())).collect();
        let mut action_entities = HashMap::new();
        for e in all.iter() {
            let mut chain = vec![e.clone()];
            // The schema's action entities already list every ancestor group as a parent.
            for (uid, group) in &by_uid {
                if uid != &e.uid() && all.is_ancestor_of(uid, &e.uid()) {
                    chain.push(group.clone());
                }
            }
            action_entities.insert(e.uid(), chain);
        }
        Ok(Access {
            policies,
            schema,
            authorizer: Authorizer::new(),
            actions,
            case_actions,
            action_entities,
        })
    }

    /// Every action (not the groups) the schema declares, sorted.
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// Whether the schema declares `action` for cases (as opposed to organisations).
    pub fn is_case_action(&self, action: &str) -> bool {
        self.case_actions.contains(action)
    }

    /// Whether the schema declares `action` at all (an action, not a group).
    pub fn is_action(&self, action: &str) -> bool {
        self.actions
            .binary_search_by(|a| a.as_str().cmp(action))
            .is_ok()
    }

    /// The organisation tree as entities. `orgs` is (id, parent id); every parent must be
    /// listed and the tree must have no cycle.
    pub fn org_tree(&self, orgs: &[(String, Option<String>)]) -> Result<OrgTree, AccessError> {
        let parents: BTreeMap<String, Option<String>> = orgs.iter().cloned().collect();
        for (id, parent) in &parents {
            if let Some(p) = parent {
                if !parents.contains_key(p) {
                    return Err(AccessError::UnknownParent(id.clone()));
                }
            }
            // Walk up: a cycle would make "in" meaningless.
            let mut seen = HashSet::new();
            let mut at = Some(id.clone());
            while let Some(cur) = at {
                if !seen.insert(cur.clone()) {
                    return Err(AccessError::Tree(format!("“{id}”的上级关系构成循环")));
                }
                at = parents.get(&cur).cloned().flatten();
            }
        }
        Ok(OrgTree { parents })
    }

    /// Asks whether `subject` may perform `action` on `resource`.
    pub fn check(
        &self,
        tree: &OrgTree,
        subject: &Subject,
        action: &str,
        resource: Resource<'_>,
    ) -> Result<Answer, AccessError> {
        let action_uid = uid("Action", action)?;
        // The organisations this decision involves, with their ancestors (for `in`).
        let mut orgs: BTreeSet<&str> = BTreeSet::new();
        let mut involve = |id: &str| {
            let mut at = tree.parents.get_key_value(id).map(|(k, _)| k.as_str());
            while let Some(cur) = at {
                if !orgs.insert(cur) {
                    break;
                }
                at = tree.parents.get(cur).and_then(|p| p.as_deref());
            }
        };
        let (resource_uid, resource_entity) = match resource {
            Resource::Case(c) => {
                involve(&c.org_id);
                involve(&c.applying_unit);
                if let Some(o) = &c.escalated_to {
                    involve(o);
                }
                if let Some(o) = &c.department {
                    involve(o);
                }
                let u = uid("Case", &c.case_id)?;
                let mut attrs = HashMap::new();
                attrs.insert(
                    "kind".to_string(),
                    RestrictedExpression::new_string(c.kind.clone()),
                );
                attrs.insert(
                    "org".to_string(),
                    RestrictedExpression::new_entity_uid(uid("Org", &c.org_id)?),
                );
                attrs.insert(
                    "applying_unit".to_string(),
                    RestrictedExpression::new_entity_uid(uid("Org", &c.applying_unit)?),
                );
                attrs.insert("applicants".to_string(), set_of("Person", &c.applicants)?);
                attrs.insert("panel".to_string(), set_of("Person", &c.panel)?);
                attrs.insert("externals".to_string(), set_of("Person", &c.externals)?);
                attrs.insert("recused".to_string(), set_of("Person", &c.recused)?);
                if let Some(o) = &c.escalated_to {
                    attrs.insert(
                        "escalated_to".to_string(),
                        RestrictedExpression::new_entity_uid(uid("Org", o)?),
                    );
                }
                if let Some(o) = &c.department {
                    attrs.insert(
                        "department".to_string(),
                        RestrictedExpression::new_entity_uid(uid("Org", o)?),
                    );
                }
                let e = Entity::new(u.clone(), attrs, HashSet::new())
                    .map_err(|e| AccessError::Request(e.to_string()))?;
                (u, Some(e))
            }
            Resource::Org(id) => {
                involve(id);
                (uid("Org", id)?, None)
            }
        };
        // A grant at an organisation no longer in the tree grants nothing.
        let grants: Vec<(usize, &Grant)> = subject
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| tree.parents.contains_key(&g.org_id))
            .collect();
        for (_, g) in &grants {
            involve(&g.org_id);
        }
        let mut entities = Vec::with_capacity(orgs.len() + grants.len() + 1);
        for id in &orgs {
            let mut ps = HashSet::new();
            if let Some(Some(p)) = tree.parents.get(*id) {
                ps.insert(uid("Org", p)?);
            }
            entities.push(Entity::new_no_attrs(uid("Org", id)?, ps));
        }
        let mut principals = Vec::with_capacity(grants.len());
        for (i, g) in &grants {
            let principal = uid("Actor", &format!("{}#{i}", subject.person_id))?;
            let mut attrs = HashMap::new();
            attrs.insert(
                "person".to_string(),
                RestrictedExpression::new_entity_uid(uid("Person", &subject.person_id)?),
            );
            attrs.insert(
                "role".to_string(),
                RestrictedExpression::new_string(g.role.clone()),
            );
            attrs.insert(
                "org".to_string(),
                RestrictedExpression::new_entity_uid(uid("Org", &g.org_id)?),
            );
            entities.push(
                Entity::new(principal.clone(), attrs, HashSet::new())
                    .map_err(|e| AccessError::Request(e.to_string()))?,
            );
            principals.push(principal);
        }
        if let Some(e) = resource_entity {
            entities.push(e);
        }
        if let Some(chain) = self.action_entities.get(&action_uid) {
            entities.extend(chain.iter().cloned());
        }
        // The entities are built here from typed data, so they need no schema validation; the
        // request is still validated against the schema.
        let entities = Entities::from_entities(entities, None)
            .map_err(|e| AccessError::Request(e.to_string()))?;
        let mut permitted = Vec::new();
        for principal in principals {
            let request = Request::new(
                principal,
                action_uid.clone(),
                resource_uid.clone(),
                Context::empty(),
                Some(&self.schema),
            )
            .map_err(|e| AccessError::Request(e.to_string()))?;
            let response = self
                .authorizer
                .is_authorized(&request, &self.policies, &entities);

            let reasons: Vec<String> = response
                .diagnostics()
                .reason()
                .map(|p| {
                    self.policies
                        .annotation(p, "id")
                        .map(str::to_string)
                        .unwrap_or_else(|| p.to_string())
                })
                .collect();
            match response.decision() {
                Decision::Allow => permitted.extend(reasons),
                Decision::Deny => {
                    if !reasons.is_empty() {
                        // A forbid names the person: no other grant can override it.
                        return Ok(Answer {
                            allowed: false,
                            policies: reasons,
                        });
                    }
                }
            }
        }
        permitted.sort();
        permitted.dedup();
        Ok(Answer {
            allowed: !permitted.is_empty(),
            policies: permitted,
        })
    }

    /// Shorthand for [`Self::check`] that treats an error as a refusal (fail closed).
    pub fn allows(
        &self,
        tree: &OrgTree,
        subject: &Subject,
        action: &str,
        resource: Resource<'_>,
    ) -> bool {
        self.check(tree, subject, action, resource)
            .map(|a| a.allowed)
            .unwrap_or(false)
    }
}

impl OrgTree {
    /// The organisation and every organisation below it.
    pub fn subtree(&self, root: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .parents
            .keys()
            .filter(|id| self.is_within(id, root))
            .cloned()
            .collect();
        out.sort();
        out
    }

    /// Whether `org` is `ancestor` or below it.
    pub fn is_within(&self, org: &str, ancestor: &str) -> bool {
        let mut at = Some(org.to_string());
        let mut steps = 0;
        while let Some(cur) = at {
            if cur == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.parents.len() {
                return false;
            }
            at = self.parents.get(&cur).cloned().flatten();
        }
        false
    }

    pub fn contains(&self, org: &str) -> bool {
        self.parents.contains_key(org)
    }

    /// The parent of an organisation.
    pub fn parent(&self, org: &str) -> Option<&str> {
        self.parents.get(org).and_then(|p| p.as_deref())
    }
}

#[cfg(test)]
mod tests;
