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

#![warn(missing_docs)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::str::FromStr;

use std::sync::Mutex;

use cedar_policy::{
    ActionConstraint, Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName,
    EntityUid, PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use serde::Serialize;

/// The shipped policies (`policies/policies.cedar`).
pub const POLICIES: &str = include_str!("../policies/policies.cedar");
/// The schema the shipped policies are validated against (`policies/lvzhi.cedarschema`).
pub const SCHEMA: &str = include_str!("../policies/lvzhi.cedarschema");

/// Why the policies could not be loaded or a request could not be asked, in formal Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// The policy text does not parse.
    #[error("访问控制策略无法解析：{0}")]
    Policies(String),
    /// The schema text does not parse.
    #[error("访问控制策略的结构定义无法解析：{0}")]
    Schema(String),
    /// The policies parse but do not validate against the schema.
    #[error("访问控制策略与结构定义不符：{0}")]
    Invalid(String),
    /// An organisation names a parent the tree does not hold.
    #[error("组织机构“{0}”的上级机构不存在")]
    UnknownParent(String),
    /// The organisation tree cannot be built (its parent links form a cycle).
    #[error("组织机构树有误：{0}")]
    Tree(String),
    /// A request's entities or context cannot be built for Cedar.
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
    ("personnel", "人事部门"),
    ("agency_head", "公安机关行政首长"),
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
    /// The role's id (one of [`ROLES`]).
    pub role: String,
    /// The organisation at which it is held: it reaches that organisation's subtree.
    pub org_id: String,
}

/// Who is asking: a person and every grant they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// The person's id in the directory.
    pub person_id: String,
    /// Every role the person holds, with where.
    pub grants: Vec<Grant>,
}

/// The parties of a case, as the policies read them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseParties {
    /// The case's id.
    pub case_id: String,
    /// The case type (`application`, or a process's kind such as `enforcement_fault`): the
    /// 法制部门 and the 督察 see only the kinds they work on (004 §26–27, 001 §28).
    pub kind: String,
    /// The handling committee's organisation.
    pub org_id: String,
    /// The organisation of the unit that applied or is concerned: its 单位负责人 see the case.
    pub applying_unit: String,
    /// Person ids of the applicants (or the officers the case is about).
    pub applicants: Vec<String>,
    /// Person ids of the 审查论证组 assigned to the case.
    pub panel: Vec<String>,
    /// Person ids of the 特邀审查论证人员 invited to the case.
    pub externals: Vec<String>,
    /// Person ids recused from the case (000 §19(六)): they see and do nothing on it.
    pub recused: Vec<String>,
    /// The organisation that must receive a report of the case (escalation, 001 §17), if any.
    pub escalated_to: Option<String>,
    /// The organisation of the department whose decision the case is about, if any.
    pub department: Option<String>,
}

/// What a request is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// A case, as its parties.
    Case(&'a CaseParties),
    /// An organisation, by id (administration of its subtree).
    Org(&'a str),
}

/// The answer, with the policies that decided it (for explanations and the matrix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// Ids of the policies that permitted (when allowed) or forbade (when forbidden).
    pub policies: Vec<String>,
}

/// Compiled policies and schema.
#[derive(Debug, Clone)]
pub struct Access {
    schema: Schema,
    authorizer: Authorizer,
    actions: Vec<String>,
    /// The actions whose resource is a case (the others apply to organisations: filing,
    /// opening a case, administering), from the schema's `appliesTo`.
    case_actions: HashSet<String>,
    /// Entity type names, parsed once: parsing one for every uid of every decision was a
    /// visible share of its cost (issue 21).
    types: Types,
    /// What a decision needs of each action (ids and groups alike), computed once.
    by_action: HashMap<String, ActionInfo>,
    /// Whether every policy reads a case only through what a [`Decider`] keys its cache by
    /// (see [`case_reads_are_keyed`]); if not, a decider asks Cedar about every case.
    keyed: bool,
}

#[derive(Debug, Clone)]
struct Types {
    org: EntityTypeName,
    person: EntityTypeName,
    actor: EntityTypeName,
    case: EntityTypeName,
    action: EntityTypeName,
}

/// One action as a decision needs it.
#[derive(Debug, Clone)]
struct ActionInfo {
    uid: EntityUid,
    /// The action's entity and those of its groups (`accept` in `handle`), from the schema.
    entities: Vec<Entity>,
    /// The policies whose action scope admits this action: no other policy can be satisfied by
    /// a request for it, so evaluating only these gives the same decision and the same reasons.
    policies: PolicySet,
    /// Whether a request with a case (an organisation) as its resource is valid for the action
    /// under the schema (validity depends on the types only, never on the ids).
    on_case: bool,
    on_org: bool,
}

/// The organisation tree, checked once per change of the directory (every parent known, no
/// cycle). Each decision builds entities only for the organisations it involves and their
/// ancestors: a handful, however large the tree (the pages ask for every listed case).
#[derive(Debug, Clone)]
pub struct OrgTree {
    parents: BTreeMap<String, Option<String>>,
}

fn set_of(ty: &EntityTypeName, ids: &[String]) -> RestrictedExpression {
    RestrictedExpression::new_set(
        ids.iter()
            .map(|id| RestrictedExpression::new_entity_uid(uid_of(ty, id))),
    )
}

fn uid_of(ty: &EntityTypeName, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(ty.clone(), EntityId::new(id))
}

fn type_name(ty: &str) -> Result<EntityTypeName, AccessError> {
    EntityTypeName::from_str(ty).map_err(|e| AccessError::Schema(e.to_string()))
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
        let types = Types {
            org: type_name("Org")?,
            person: type_name("Person")?,
            actor: type_name("Actor")?,
            case: type_name("Case")?,
            action: type_name("Action")?,
        };
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
        // Validity of a request depends on the types of its principal and resource only.
        let principal = uid_of(&types.actor, "_");
        let valid = |action: &EntityUid, resource: EntityUid| {
            Request::new(
                principal.clone(),
                action.clone(),
                resource,
                Context::empty(),
                Some(&schema),
            )
            .is_ok()
        };
        let mut by_action = HashMap::new();
        for e in all.iter() {
            let action = e.uid();
            let mut chain = vec![e.clone()];
            // The schema's action entities already list every ancestor group as a parent.
            for (uid, group) in &by_uid {
                if uid != &action && all.is_ancestor_of(uid, &action) {
                    chain.push(group.clone());
                }
            }
            let admits = |u: &EntityUid| u == &action || all.is_ancestor_of(u, &action);
            let mut own = PolicySet::new();
            let mut sliced = true;
            for p in policies.policies() {
                let applies = match p.action_constraint() {
                    ActionConstraint::Any => true,
                    ActionConstraint::Eq(u) => admits(&u),
                    ActionConstraint::In(us) => us.iter().any(admits),
                };
                if applies && own.add(p.clone()).is_err() {
                    sliced = false;
                }
            }
            let info = ActionInfo {
                on_case: valid(&action, uid_of(&types.case, "_")),
                on_org: valid(&action, uid_of(&types.org, "_")),
                // A policy that cannot stand alone (a linked template) keeps the whole set.
                policies: if sliced { own } else { policies.clone() },
                entities: chain,
                uid: action.clone(),
            };
            by_action.insert(action.id().unescaped().to_string(), info);
        }
        let keyed = case_reads_are_keyed(&policies);
        Ok(Access {
            schema,
            authorizer: Authorizer::new(),
            actions,
            case_actions,
            types,
            by_action,
            keyed,
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

    /// Decisions for one person over one request (a page, an API call): see [`Decider`].
    pub fn decider<'a>(&'a self, tree: &'a OrgTree, subject: &'a Subject) -> Decider<'a> {
        let grants: Vec<usize> = subject
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| tree.parents.contains_key(&g.org_id))
            .map(|(i, _)| i)
            .collect();
        Decider {
            access: self,
            tree,
            subject,
            keyed: self.keyed && grants.len() <= 64,
            grants,
            memo: Mutex::new(Memo::default()),
        }
    }

    /// Asks whether `subject` may perform `action` on `resource`.
    pub fn check(
        &self,
        tree: &OrgTree,
        subject: &Subject,
        action: &str,
        resource: Resource<'_>,
    ) -> Result<Answer, AccessError> {
        // A grant at an organisation no longer in the tree grants nothing; with no grant left
        // nothing is asked, so nothing can be wrong with the request either.
        let grants: Vec<(usize, &Grant)> = subject
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| tree.parents.contains_key(&g.org_id))
            .collect();
        let Some((first, _)) = grants.first() else {
            return Ok(Answer {
                allowed: false,
                policies: Vec::new(),
            });
        };
        let info = self.by_action.get(action).filter(|i| match resource {
            Resource::Case(_) => i.on_case,
            Resource::Org(_) => i.on_org,
        });
        let Some(info) = info else {
            // The schema refuses the request: let Cedar say why, in its own words.
            return Err(self.invalid_request(subject, *first, action, resource));
        };
        let t = &self.types;
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
                let u = uid_of(&t.case, &c.case_id);
                let mut attrs = HashMap::with_capacity(10);
                attrs.insert(
                    "kind".to_string(),
                    RestrictedExpression::new_string(c.kind.clone()),
                );
                attrs.insert(
                    "org".to_string(),
                    RestrictedExpression::new_entity_uid(uid_of(&t.org, &c.org_id)),
                );
                attrs.insert(
                    "applying_unit".to_string(),
                    RestrictedExpression::new_entity_uid(uid_of(&t.org, &c.applying_unit)),
                );
                attrs.insert("applicants".to_string(), set_of(&t.person, &c.applicants));
                attrs.insert("panel".to_string(), set_of(&t.person, &c.panel));
                attrs.insert("externals".to_string(), set_of(&t.person, &c.externals));
                attrs.insert("recused".to_string(), set_of(&t.person, &c.recused));
                if let Some(o) = &c.escalated_to {
                    attrs.insert(
                        "escalated_to".to_string(),
                        RestrictedExpression::new_entity_uid(uid_of(&t.org, o)),
                    );
                }
                if let Some(o) = &c.department {
                    attrs.insert(
                        "department".to_string(),
                        RestrictedExpression::new_entity_uid(uid_of(&t.org, o)),
                    );
                }
                let e = Entity::new(u.clone(), attrs, HashSet::new())
                    .map_err(|e| AccessError::Request(e.to_string()))?;
                (u, Some(e))
            }
            Resource::Org(id) => {
                involve(id);
                (uid_of(&t.org, id), None)
            }
        };
        for (_, g) in &grants {
            involve(&g.org_id);
        }
        let mut entities = Vec::with_capacity(orgs.len() + grants.len() + 1 + info.entities.len());
        for id in &orgs {
            let mut ps = HashSet::new();
            if let Some(Some(p)) = tree.parents.get(*id) {
                ps.insert(uid_of(&t.org, p));
            }
            entities.push(Entity::new_no_attrs(uid_of(&t.org, id), ps));
        }
        let person = RestrictedExpression::new_entity_uid(uid_of(&t.person, &subject.person_id));
        let mut principals = Vec::with_capacity(grants.len());
        for (i, g) in &grants {
            let principal = uid_of(&t.actor, &format!("{}#{i}", subject.person_id));
            let mut attrs = HashMap::with_capacity(3);
            attrs.insert("person".to_string(), person.clone());
            attrs.insert(
                "role".to_string(),
                RestrictedExpression::new_string(g.role.clone()),
            );
            attrs.insert(
                "org".to_string(),
                RestrictedExpression::new_entity_uid(uid_of(&t.org, &g.org_id)),
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
        entities.extend(info.entities.iter().cloned());
        // The entities are built here from typed data, so they need no schema validation; the
        // request's validity under the schema was settled above from its types.
        let entities = Entities::from_entities(entities, None)
            .map_err(|e| AccessError::Request(e.to_string()))?;
        let mut permitted = Vec::new();
        for principal in principals {
            let request = Request::new(
                principal,
                info.uid.clone(),
                resource_uid.clone(),
                Context::empty(),
                None,
            )
            .map_err(|e| AccessError::Request(e.to_string()))?;
            let response = self
                .authorizer
                .is_authorized(&request, &info.policies, &entities);

            let reasons: Vec<String> = response
                .diagnostics()
                .reason()
                .map(|p| {
                    info.policies
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

    /// The error Cedar gives for a request the schema refuses (an unknown action, or an action
    /// of organisations asked about a case), for the first grant that counts.
    fn invalid_request(
        &self,
        subject: &Subject,
        grant: usize,
        action: &str,
        resource: Resource<'_>,
    ) -> AccessError {
        let t = &self.types;
        let resource = match resource {
            Resource::Case(c) => uid_of(&t.case, &c.case_id),
            Resource::Org(id) => uid_of(&t.org, id),
        };
        match Request::new(
            uid_of(&t.actor, &format!("{}#{grant}", subject.person_id)),
            uid_of(&t.action, action),
            resource,
            Context::empty(),
            Some(&self.schema),
        ) {
            Err(e) => AccessError::Request(e.to_string()),
            // Unreachable while validity depends on types only; refused all the same.
            Ok(_) => AccessError::Request(format!("操作“{action}”不适用于该对象")),
        }
    }

    /// Shorthand for [`Self::check`] that treats an error as a refusal (fail closed).
    /// Whether the schema declares `action`: an action it does not declare is refused to
    /// everyone, so every action a process offers must be declared.
    pub fn declares(&self, action: &str) -> bool {
        self.by_action.contains_key(action)
    }

    /// Whether `subject` may do `action` on `resource`: [`Access::check`]'s answer, with a
    /// request that cannot be asked taken as a refusal.
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

/// Decisions for one person during one request, for pages that ask about many cases (the
/// inbox, the case list, the API's lists): the answer for a case is asked of Cedar once per
/// distinct *key* and reused for every other case with the same key.
///
/// The key is what the policies can read of a case: its kind, for each of its organisations
/// (handling, applying unit, escalation target, department) whether it is present and which of
/// the person's grants it lies within (`resource.X in principal.org`), and whether the person
/// is among its applicants, panel, externals and recused (`resource.X.contains(principal.
/// person)`). At start, [`Access`] checks that every policy reads a case only in those forms
/// (no case id, no entity literal but actions, no other use of an attribute); when one does
/// not, the decider asks Cedar about every case. Either way every answer is exactly the one
/// [`Access::check`] gives — the cache changes the cost, never the decision (a property test
/// holds the two against each other). A page of 200 cases in a few organisations costs a few
/// Cedar decisions instead of 200.
///
/// Holds the tree and subject of the request; build one per request (the directory may change
/// between requests).
#[derive(Debug)]
pub struct Decider<'a> {
    access: &'a Access,
    tree: &'a OrgTree,
    subject: &'a Subject,
    /// Indices of the grants that count (at organisations in the tree), in order.
    grants: Vec<usize>,
    keyed: bool,
    memo: Mutex<Memo>,
}

/// What a decider remembers. Actions and kinds are numbered in the order first seen, so a key
/// is a few integers: no allocation to look one up.
#[derive(Debug, Default)]
struct Memo {
    actions: Vec<String>,
    kinds: Vec<String>,
    /// For each organisation seen: which grants' organisations it lies within (bit per grant).
    within: HashMap<String, u64>,
    cases: HashMap<CaseKey, Result<Answer, AccessError>>,
    orgs: HashMap<(u32, String), Result<Answer, AccessError>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CaseKey {
    action: u32,
    kind: u32,
    org: u64,
    applying_unit: u64,
    escalated_to: Option<u64>,
    department: Option<u64>,
    /// applicant, panel, external, recused: whether the person is one.
    member: u8,
}

fn number(names: &mut Vec<String>, name: &str) -> u32 {
    match names.iter().position(|n| n == name) {
        Some(i) => i as u32,
        None => {
            names.push(name.to_string());
            (names.len() - 1) as u32
        }
    }
}

impl Decider<'_> {
    /// As [`Access::check`] for this decider's tree and subject.
    pub fn check(&self, action: &str, resource: Resource<'_>) -> Result<Answer, AccessError> {
        let (a, tree, subject) = (self.access, self.tree, self.subject);
        // The cache holds no lock across a Cedar call that might panic; a poisoned one (a
        // panic elsewhere while holding it) is still a valid cache.
        let lock = || self.memo.lock().unwrap_or_else(|e| e.into_inner());
        match resource {
            Resource::Org(id) => {
                let key = {
                    let mut m = lock();
                    let key = (number(&mut m.actions, action), id.to_string());
                    if let Some(hit) = m.orgs.get(&key) {
                        return hit.clone();
                    }
                    key
                };
                let answer = a.check(tree, subject, action, resource);
                lock().orgs.insert(key, answer.clone());
                answer
            }
            Resource::Case(c) if self.keyed => {
                let key = {
                    let mut m = lock();
                    let key = self.case_key(&mut m, action, c);
                    if let Some(hit) = m.cases.get(&key) {
                        return hit.clone();
                    }
                    key
                };
                let answer = a.check(tree, subject, action, resource);
                lock().cases.insert(key, answer.clone());
                answer
            }
            Resource::Case(_) => a.check(tree, subject, action, resource),
        }
    }

    /// As [`Access::allows`]: an error is a refusal.
    pub fn allows(&self, action: &str, resource: Resource<'_>) -> bool {
        if let (Resource::Case(c), true) = (resource, self.keyed) {
            // The common case, without cloning the cached answer.
            let mut m = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            let key = self.case_key(&mut m, action, c);
            if let Some(hit) = m.cases.get(&key) {
                return hit.as_ref().is_ok_and(|a| a.allowed);
            }
        }
        self.check(action, resource)
            .map(|a| a.allowed)
            .unwrap_or(false)
    }

    fn case_key(&self, m: &mut Memo, action: &str, c: &CaseParties) -> CaseKey {
        let me = self.subject.person_id.as_str();
        let has = |v: &[String]| v.iter().any(|p| p == me);
        let member = u8::from(has(&c.applicants))
            | u8::from(has(&c.panel)) << 1
            | u8::from(has(&c.externals)) << 2
            | u8::from(has(&c.recused)) << 3;
        CaseKey {
            action: number(&mut m.actions, action),
            kind: number(&mut m.kinds, &c.kind),
            org: self.within(m, &c.org_id),
            applying_unit: self.within(m, &c.applying_unit),
            escalated_to: c.escalated_to.as_deref().map(|o| self.within(m, o)),
            department: c.department.as_deref().map(|o| self.within(m, o)),
            member,
        }
    }

    /// Which of the subject's grants' organisations `org` lies within (Cedar's `in` over the
    /// tree: the organisation itself or an ancestor; an organisation outside the tree lies
    /// within none, as it is no grant's organisation).
    fn within(&self, m: &mut Memo, org: &str) -> u64 {
        if let Some(bits) = m.within.get(org) {
            return *bits;
        }
        let bits = self.grants.iter().enumerate().fold(0u64, |bits, (j, g)| {
            if self.tree.is_within(org, &self.subject.grants[*g].org_id) {
                bits | 1 << j
            } else {
                bits
            }
        });
        m.within.insert(org.to_string(), bits);
        bits
    }
}

/// The case attributes a decider keys organisations by, and those it keys membership by.
const KEYED_ORGS: &[&str] = &["org", "applying_unit", "escalated_to", "department"];
const KEYED_SETS: &[&str] = &["applicants", "panel", "externals", "recused"];

/// Whether every policy that can apply to a case reads the case only as a [`Decider`]'s key
/// records it: `resource.kind` anywhere; `resource has …`; an organisation attribute only as
/// `resource.X in principal.org`; a set of people only as `resource.X.contains(principal.
/// person)`; no bare `resource` (so no case id), no template slot, and no entity literal other
/// than an action. The policies as JSON (Cedar's EST) are walked for these shapes; anything
/// unrecognised answers "no", which only costs speed.
fn case_reads_are_keyed(policies: &PolicySet) -> bool {
    policies.policies().all(|p| {
        if !p.is_static() {
            return false;
        }
        match p.to_json() {
            Ok(j) => policy_is_keyed(&j),
            Err(_) => false,
        }
    })
}

fn policy_is_keyed(p: &serde_json::Value) -> bool {
    let scope = |part: &str| -> (Option<&str>, Option<&str>, bool) {
        let s = &p[part];
        (
            s["op"].as_str(),
            s["entity_type"].as_str(),
            s.get("in").is_some() || s.get("entity").is_some() || s.get("slot").is_some(),
        )
    };
    let (rop, rtype, rnamed) = scope("resource");
    if rop == Some("is") && rtype == Some("Org") && !rnamed {
        // Never satisfied by a case: its conditions cannot matter to one.
        return true;
    }
    let resource_ok = !rnamed && matches!(rop, Some("All") | Some("is"));
    let (pop, _, pnamed) = scope("principal");
    let principal_ok = !pnamed && matches!(pop, Some("All") | Some("is"));
    let conditions_ok = p["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().all(|c| expr_is_keyed(&c["body"])));
    resource_ok && principal_ok && conditions_ok
}

fn attr_of<'v>(e: &'v serde_json::Value, var: &str) -> Option<&'v str> {
    let dot = e.get(".")?;
    (dot["left"]["Var"].as_str() == Some(var))
        .then(|| dot["attr"].as_str())
        .flatten()
}

fn expr_is_keyed(e: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match e {
        J::Object(m) => {
            if let Some(v) = m.get("Value") {
                return literal_is_keyed(v);
            }
            if m.contains_key("Slot") {
                return false;
            }
            if let Some(v) = m.get("Var") {
                // `resource` in any position not recognised below.
                return v.as_str() != Some("resource");
            }
            if attr_of(e, "resource") == Some("kind") {
                return true;
            }
            if let Some(x) = m.get("in") {
                if attr_of(&x["left"], "resource").is_some_and(|a| KEYED_ORGS.contains(&a))
                    && attr_of(&x["right"], "principal") == Some("org")
                {
                    return true;
                }
            }
            if let Some(x) = m.get("contains") {
                if attr_of(&x["left"], "resource").is_some_and(|a| KEYED_SETS.contains(&a))
                    && attr_of(&x["right"], "principal") == Some("person")
                {
                    return true;
                }
            }
            if let Some(x) = m.get("has") {
                if x["left"]["Var"].as_str() == Some("resource") {
                    return true;
                }
            }
            m.values().all(expr_is_keyed)
        }
        J::Array(a) => a.iter().all(expr_is_keyed),
        _ => true,
    }
}

/// A literal may name actions only (an organisation or a person named in a policy would make
/// the decision depend on more than the key).
fn literal_is_keyed(v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match v {
        J::Object(m) => {
            if let Some(e) = m.get("__entity") {
                return e["type"].as_str() == Some("Action");
            }
            m.values().all(literal_is_keyed)
        }
        J::Array(a) => a.iter().all(literal_is_keyed),
        _ => true,
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
        let mut at = Some(org);
        let mut steps = 0;
        while let Some(cur) = at {
            if cur == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.parents.len() {
                return false;
            }
            at = self.parents.get(cur).and_then(|p| p.as_deref());
        }
        false
    }

    /// Whether the tree holds the organisation `org`.
    pub fn contains(&self, org: &str) -> bool {
        self.parents.contains_key(org)
    }

    /// The parent of an organisation.
    pub fn parent(&self, org: &str) -> Option<&str> {
        self.parents.get(org).and_then(|p| p.as_deref())
    }

    /// `org` and its ancestors, nearest first, to the top (a cycle in the data ends the walk).
    pub fn chain<'a>(&'a self, org: &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut at = Some(org);
        while let Some(o) = at {
            if out.contains(&o) {
                break;
            }
            out.push(o);
            at = self.parent(o);
        }
        out
    }
}

#[cfg(test)]
mod tests;
