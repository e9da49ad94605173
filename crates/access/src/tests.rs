use super::*;

fn tree(a: &Access) -> OrgTree {
    let orgs = [
        ("nmg", None),
        ("als", Some("nmg")),
        ("azq", Some("als")),
        ("azq-bh", Some("azq")),
        ("ayq", Some("als")),
        ("als-jc", Some("als")),
        ("xam", None),
    ];
    let orgs: Vec<(String, Option<String>)> = orgs
        .iter()
        .map(|(i, p)| (i.to_string(), p.map(str::to_string)))
        .collect();
    a.org_tree(&orgs).unwrap()
}

fn who(person: &str, grants: &[(&str, &str)]) -> Subject {
    Subject {
        person_id: person.into(),
        grants: grants
            .iter()
            .map(|(r, o)| Grant {
                role: r.to_string(),
                org_id: o.to_string(),
            })
            .collect(),
    }
}

fn case() -> CaseParties {
    CaseParties {
        case_id: "A2024-000001".into(),
        kind: "application".into(),
        org_id: "azq".into(),
        applying_unit: "azq-bh".into(),
        applicants: vec!["p-zhang".into()],
        panel: vec!["p-legal".into()],
        externals: vec![],
        recused: vec![],
        escalated_to: None,
        department: Some("als-jc".into()),
    }
}

#[test]
fn shipped_policies_validate_against_the_schema() {
    let a = Access::new().unwrap();
    for act in ["view", "accept", "extend_review", "file", "administer"] {
        assert!(a.actions().iter().any(|x| x == act), "{act}");
    }
    assert!(
        !a.actions().iter().any(|x| x == "handle"),
        "groups are not actions"
    );
}

#[test]
fn a_policy_naming_a_missing_attribute_is_refused() {
    let bad = "permit (principal, action == Action::\"view\", resource is Case) when { resource.owner == principal.person };";
    let err = Access::from_texts(bad, SCHEMA).unwrap_err();
    assert!(matches!(err, AccessError::Invalid(_)), "{err}");
}

#[test]
fn office_sees_its_subtree_and_not_a_sibling() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = case();
    let office_here = who("p-o", &[("office", "azq")]);
    let office_parent = who("p-po", &[("office", "als")]);
    let office_sibling = who("p-so", &[("office", "ayq")]);
    assert!(a.allows(&t, &office_here, "view", Resource::Case(&c)));
    assert!(a.allows(&t, &office_here, "accept", Resource::Case(&c)));
    assert!(a.allows(&t, &office_parent, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &office_sibling, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &office_sibling, "accept", Resource::Case(&c)));
    // The office does not lead: approving is the 主任's or 副主任's (000 §14).
    assert!(!a.allows(&t, &office_here, "approve_opinion", Resource::Case(&c)));
}

#[test]
fn applicant_sees_own_case_only_and_officer_of_another_unit_nothing() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = case();
    let applicant = who("p-zhang", &[("officer", "azq-bh")]);
    let colleague = who("p-li", &[("officer", "azq-bh")]);
    let other_unit = who("p-wu", &[("officer", "ayq")]);
    assert!(a.allows(&t, &applicant, "view", Resource::Case(&c)));
    assert!(a.allows(&t, &applicant, "apply_reconsideration", Resource::Case(&c)));
    assert!(a.allows(&t, &applicant, "add_evidence", Resource::Case(&c)));
    assert!(!a.allows(&t, &applicant, "accept", Resource::Case(&c)));
    assert!(!a.allows(&t, &colleague, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &other_unit, "view", Resource::Case(&c)));
}

#[test]
fn panel_members_see_only_assigned_cases_000_s14() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = case();
    let assigned = who("p-legal", &[("panel_member", "azq")]);
    let unassigned = who("p-other", &[("panel_member", "azq")]);
    assert!(a.allows(&t, &assigned, "view", Resource::Case(&c)));
    assert!(a.allows(&t, &assigned, "draft_opinion", Resource::Case(&c)));
    assert!(!a.allows(&t, &assigned, "accept", Resource::Case(&c)));
    assert!(!a.allows(&t, &unassigned, "view", Resource::Case(&c)));
}

#[test]
fn a_recused_person_sees_nothing_whatever_else_they_hold_000_s19() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let mut c = case();
    c.recused = vec!["p-dir".into()];
    let director = who("p-dir", &[("director", "azq"), ("office", "als")]);
    let ans = a.check(&t, &director, "view", Resource::Case(&c)).unwrap();
    assert!(!ans.allowed);
    assert_eq!(ans.policies, vec!["recused-sees-nothing".to_string()]);
    assert!(!a.allows(&t, &director, "approve_opinion", Resource::Case(&c)));
}

#[test]
fn parent_committee_sees_cases_escalated_to_it_000_s21() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let mut c = case();
    // An escalation target outside the handling organisation's line (e.g. a designated body).
    c.escalated_to = Some("xam".into());
    let xam_director = who("p-x", &[("director", "xam")]);
    assert!(!a.allows(&t, &xam_director, "view", Resource::Case(&case())));
    assert!(a.allows(&t, &xam_director, "view", Resource::Case(&c)));
    assert!(a.allows(&t, &xam_director, "reply_re_review", Resource::Case(&c)));
    assert!(!a.allows(&t, &xam_director, "approve_opinion", Resource::Case(&c)));
}

#[test]
fn department_answers_recommendations_on_its_own_decisions_000_s27() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = case();
    let dept = who("p-jc", &[("original_department", "als-jc")]);
    let other = who("p-jc2", &[("original_department", "ayq")]);
    assert!(a.allows(&t, &dept, "answer_recommendation", Resource::Case(&c)));
    assert!(a.allows(&t, &dept, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &other, "view", Resource::Case(&c)));
}

#[test]
fn filing_and_administration_follow_the_tree() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let officer = who("p-zhang", &[("officer", "azq-bh")]);
    assert!(a.allows(&t, &officer, "file", Resource::Org("azq-bh")));
    assert!(!a.allows(&t, &officer, "file", Resource::Org("ayq")));
    assert!(!a.allows(&t, &officer, "open_ex_officio", Resource::Org("azq-bh")));
    let admin = who("p-admin", &[("administrator", "als")]);
    assert!(a.allows(&t, &admin, "administer", Resource::Org("azq")));
    assert!(!a.allows(&t, &admin, "administer", Resource::Org("nmg")));
    // Administrators keep the directory; they do not see cases.
    assert!(!a.allows(&t, &admin, "view", Resource::Case(&case())));
}

#[test]
fn grants_at_unknown_organisations_grant_nothing_and_cycles_are_refused() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let ghost = who("p-g", &[("office", "gone")]);
    assert!(!a.allows(&t, &ghost, "view", Resource::Case(&case())));
    let cyc = vec![
        ("x".to_string(), Some("y".to_string())),
        ("y".to_string(), Some("x".to_string())),
    ];
    assert!(matches!(a.org_tree(&cyc), Err(AccessError::Tree(_))));
    let orphan = vec![("x".to_string(), Some("nowhere".to_string()))];
    assert!(matches!(
        a.org_tree(&orphan),
        Err(AccessError::UnknownParent(_))
    ));
}

#[test]
fn subtree_lists_the_organisation_and_everything_below() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    assert_eq!(
        t.subtree("azq"),
        vec!["azq".to_string(), "azq-bh".to_string()]
    );
    assert!(t.is_within("azq-bh", "nmg"));
    assert!(!t.is_within("xam", "nmg"));
    assert_eq!(t.parent("azq"), Some("als"));
    // The chain up: the organisation first, the top last; one outside the tree stands alone.
    assert_eq!(t.chain("azq-bh"), vec!["azq-bh", "azq", "als", "nmg"]);
    assert_eq!(t.chain("nowhere"), vec!["nowhere"]);
}

/// An incident handled at 阿拉善左旗 about an officer of its 派出所 (parties as the server maps a
/// process case's links: the officer as an applicant, their unit as the applying unit).
fn incident() -> CaseParties {
    CaseParties {
        case_id: "W2026-000001".into(),
        kind: "incident".into(),
        org_id: "azq".into(),
        applying_unit: "azq-bh".into(),
        applicants: vec!["p-zhang".into()],
        ..Default::default()
    }
}

#[test]
fn process_actions_are_case_or_organisation_actions_by_their_schema() {
    let a = Access::new().unwrap();
    assert!(a.is_case_action("incident_acknowledge"));
    assert!(a.is_case_action("name_clearing_issue_notice"));
    assert!(
        !a.is_case_action("incident_report"),
        "opens a case: on an Org"
    );
    assert!(!a.is_case_action("name_clearing_receive"));
    assert!(!a.is_case_action("file"));
    assert!(!a.is_case_action("process_handle"), "a group");
    assert!(a.is_action("incident_report") && !a.is_action("no_such_action"));
}

#[test]
fn s17_every_level_above_handles_an_escalated_incident_001() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = incident();
    // 001 §17: the report climbs to the 盟 and the 厅; their offices see it, forward it and
    // acknowledge it (which level may do which is the process's guard).
    for org in ["azq", "als", "nmg"] {
        let office = who("p-o", &[("office", org)]);
        assert!(a.allows(&t, &office, "view", Resource::Case(&c)), "{org}");
        for action in ["incident_forward", "incident_acknowledge"] {
            assert!(
                a.allows(&t, &office, action, Resource::Case(&c)),
                "{org} {action}"
            );
        }
    }
    let sibling = who("p-so", &[("office", "ayq")]);
    assert!(!a.allows(&t, &sibling, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &sibling, "incident_acknowledge", Resource::Case(&c)));
    assert!(!a.allows(&t, &sibling, "incident_forward", Resource::Case(&c)));
}

#[test]
fn s15_who_reports_an_incident_001() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let officer = who("p-zhang", &[("officer", "azq-bh")]);
    let unit = who("p-unit", &[("unit", "azq-bh")]);
    let office = who("p-o", &[("office", "azq")]);
    let other = who("p-x", &[("officer", "ayq")]);
    for s in [&officer, &unit, &office] {
        assert!(a.allows(&t, s, "incident_report", Resource::Org("azq-bh")));
    }
    assert!(!a.allows(&t, &other, "incident_report", Resource::Org("azq-bh")));
    // Opening on a clue is the office's alone (001 §15, second sentence).
    assert!(a.allows(&t, &office, "incident_open", Resource::Org("azq-bh")));
    assert!(!a.allows(&t, &unit, "incident_open", Resource::Org("azq-bh")));
    assert!(!a.allows(
        &t,
        &officer,
        "name_clearing_receive",
        Resource::Org("azq-bh")
    ));
}

#[test]
fn the_subject_officer_sees_and_adds_to_their_own_incident_but_does_not_handle_it() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let c = incident();
    let officer = who("p-zhang", &[("officer", "azq-bh")]);
    let colleague = who("p-li", &[("officer", "azq-bh")]);
    assert!(a.allows(&t, &officer, "view", Resource::Case(&c)));
    assert!(a.allows(&t, &officer, "incident_add_victim", Resource::Case(&c)));
    assert!(!a.allows(&t, &officer, "incident_close", Resource::Case(&c)));
    assert!(!a.allows(&t, &colleague, "view", Resource::Case(&c)));
}

/// A case of `kind` handled at 阿拉善左旗 about the officer of its 派出所 (as [`incident`]).
fn case_of(kind: &str, id: &str) -> CaseParties {
    CaseParties {
        case_id: id.into(),
        kind: kind.into(),
        ..incident()
    }
}

#[test]
fn s26_004_legal_affairs_sees_and_acts_on_enforcement_faults_of_its_subtree_only() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let fault = case_of("enforcement_fault", "F2026-000001");
    let here = who("p-legal-zq", &[("legal_affairs", "azq")]);
    let above = who("p-legal-als", &[("legal_affairs", "als")]);
    let sibling = who("p-legal-yq", &[("legal_affairs", "ayq")]);
    for s in [&here, &above] {
        assert!(a.allows(&t, s, "view", Resource::Case(&fault)));
        assert!(a.allows(&t, s, "enforcement_fault_confirm", Resource::Case(&fault)));
    }
    assert!(!a.allows(&t, &sibling, "view", Resource::Case(&fault)));
    // The other cases of the same subtree are the 维权委's, not the 法制部门's: an incident, an
    // application, a rectification, a 正名 case or an appeal against a sanction.
    for other in [
        incident(),
        case(),
        case_of("rectification", "J2026-000001"),
        case_of("name_clearing", "Z2026-000001"),
        case_of("sanction_appeal", "S2026-000001"),
    ] {
        let ans = a.check(&t, &here, "view", Resource::Case(&other)).unwrap();
        assert!(!ans.allowed, "{}: {:?}", other.kind, ans.policies);
        assert!(
            !a.allows(&t, &above, "view", Resource::Case(&other)),
            "{}",
            other.kind
        );
    }
    // A process_legal action on a case of another kind is refused too (not only the view).
    assert!(!a.allows(
        &t,
        &here,
        "enforcement_fault_confirm",
        Resource::Case(&case_of("incident", "W2026-000009"))
    ));
}

#[test]
fn s28_001_s26_004_inspectorate_sees_enforcement_faults_and_sanction_appeals_only() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let here = who("p-dc-zq", &[("inspectorate", "azq")]);
    let fault = case_of("enforcement_fault", "F2026-000001");
    let appeal = case_of("sanction_appeal", "S2026-000001");
    assert!(a.allows(&t, &here, "view", Resource::Case(&fault)));
    assert!(a.allows(
        &t,
        &here,
        "enforcement_fault_decide",
        Resource::Case(&fault)
    ));
    assert!(a.allows(&t, &here, "view", Resource::Case(&appeal)));
    assert!(a.allows(
        &t,
        &here,
        "sanction_appeal_order_correction",
        Resource::Case(&appeal)
    ));
    for other in [
        incident(),
        case(),
        case_of("rectification", "J2026-000001"),
        case_of("name_clearing", "Z2026-000001"),
    ] {
        assert!(
            !a.allows(&t, &here, "view", Resource::Case(&other)),
            "{}",
            other.kind
        );
    }
    // 004 §27: an appeal brought to the 盟's 督察 from a 旗 it is not the subtree of (here an
    // escalation target outside the line), of those two kinds only.
    let xam = who("p-dc-x", &[("inspectorate", "xam")]);
    let mut appealed = fault.clone();
    appealed.escalated_to = Some("xam".into());
    assert!(a.allows(&t, &xam, "view", Resource::Case(&appealed)));
    assert!(!a.allows(&t, &xam, "view", Resource::Case(&fault)));
    let mut escalated_incident = incident();
    escalated_incident.escalated_to = Some("xam".into());
    assert!(!a.allows(&t, &xam, "view", Resource::Case(&escalated_incident)));
}

/// 004 §26¶2: 由督察或者人事部门研究决定后，报公安机关行政首长审批. 人事 decides and files as the 督察
/// does but answers no appeal; the head approves and does nothing else; neither sees another
/// kind of case, nor an enforcement fault outside its agency.
#[test]
fn s26_2_004_personnel_decides_and_the_agency_head_approves_enforcement_faults_only() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let hr = who("p-rs-zq", &[("personnel", "azq")]);
    let head = who("p-jz-zq", &[("agency_head", "azq")]);
    let fault = case_of("enforcement_fault", "F2026-000001");
    for (w, action, allowed) in [
        (&hr, "view", true),
        (&hr, "enforcement_fault_decide", true),
        (&hr, "enforcement_fault_record_in_file", true),
        (&hr, "enforcement_fault_approve", false),
        (&hr, "enforcement_fault_answer_appeal", false),
        (&hr, "enforcement_fault_confirm", false),
        (&head, "view", true),
        (&head, "enforcement_fault_approve", true),
        (&head, "enforcement_fault_decide", false),
        (&head, "enforcement_fault_record_in_file", false),
        (&head, "enforcement_fault_answer_appeal", false),
    ] {
        assert_eq!(
            a.allows(&t, w, action, Resource::Case(&fault)),
            allowed,
            "{} {action}",
            w.person_id
        );
    }
    let insp = who("p-dc-zq", &[("inspectorate", "azq")]);
    assert!(!a.allows(
        &t,
        &insp,
        "enforcement_fault_approve",
        Resource::Case(&fault)
    ));
    for w in [&hr, &head] {
        for other in [
            incident(),
            case(),
            case_of("sanction_appeal", "S2026-000001"),
            case_of("rectification", "J2026-000001"),
        ] {
            assert!(
                !a.allows(&t, w, "view", Resource::Case(&other)),
                "{} {}",
                w.person_id,
                other.kind
            );
        }
    }
    let elsewhere = who("p-jz-x", &[("agency_head", "xam")]);
    assert!(!a.allows(&t, &elsewhere, "view", Resource::Case(&fault)));
}

#[test]
fn a_case_of_unknown_kind_is_seen_by_the_committee_as_before() {
    // The kind restricts the 法制部门 and the 督察 only: the office sees every kind it handles.
    let a = Access::new().unwrap();
    let t = tree(&a);
    let office = who("p-o", &[("office", "azq")]);
    for kind in [
        "application",
        "incident",
        "enforcement_fault",
        "rectification",
        "",
    ] {
        assert!(
            a.allows(&t, &office, "view", Resource::Case(&case_of(kind, "X1"))),
            "{kind}"
        );
    }
}

// ---- Decisions once per request (issue 21) ----------------------------------------------------

/// The decision as it was made before issue 21, kept as the reference the faster paths are held
/// against: every policy evaluated, every request validated against the schema, every entity
/// type name parsed again.
fn reference_check(
    policies_text: &str,
    schema_text: &str,
    tree: &OrgTree,
    subject: &Subject,
    action: &str,
    resource: Resource<'_>,
) -> Result<Answer, AccessError> {
    let (schema, _) = Schema::from_cedarschema_str(schema_text).unwrap();
    let policies = PolicySet::from_str(policies_text).unwrap();
    let uid = |ty: &str, id: &str| -> EntityUid {
        EntityUid::from_type_name_and_id(EntityTypeName::from_str(ty).unwrap(), EntityId::new(id))
    };
    let set = |ids: &[String]| {
        RestrictedExpression::new_set(
            ids.iter()
                .map(|i| RestrictedExpression::new_entity_uid(uid("Person", i))),
        )
    };
    let all = schema.action_entities().unwrap();
    let action_uid = uid("Action", action);
    let mut chain = Vec::new();
    for e in all.iter() {
        if e.uid() == action_uid || all.is_ancestor_of(&e.uid(), &action_uid) {
            chain.push(e.clone());
        }
    }
    let mut orgs: BTreeSet<String> = BTreeSet::new();
    let mut involve = |id: &str| {
        let mut at = tree.contains(id).then(|| id.to_string());
        while let Some(cur) = at {
            if !orgs.insert(cur.clone()) {
                break;
            }
            at = tree.parent(&cur).map(str::to_string);
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
            let u = uid("Case", &c.case_id);
            let mut attrs = HashMap::new();
            attrs.insert(
                "kind".into(),
                RestrictedExpression::new_string(c.kind.clone()),
            );
            attrs.insert(
                "org".into(),
                RestrictedExpression::new_entity_uid(uid("Org", &c.org_id)),
            );
            attrs.insert(
                "applying_unit".into(),
                RestrictedExpression::new_entity_uid(uid("Org", &c.applying_unit)),
            );
            attrs.insert("applicants".into(), set(&c.applicants));
            attrs.insert("panel".into(), set(&c.panel));
            attrs.insert("externals".into(), set(&c.externals));
            attrs.insert("recused".into(), set(&c.recused));
            if let Some(o) = &c.escalated_to {
                attrs.insert(
                    "escalated_to".into(),
                    RestrictedExpression::new_entity_uid(uid("Org", o)),
                );
            }
            if let Some(o) = &c.department {
                attrs.insert(
                    "department".into(),
                    RestrictedExpression::new_entity_uid(uid("Org", o)),
                );
            }
            (
                u.clone(),
                Some(Entity::new(u, attrs, HashSet::new()).unwrap()),
            )
        }
        Resource::Org(id) => {
            involve(id);
            (uid("Org", id), None)
        }
    };
    let grants: Vec<(usize, &Grant)> = subject
        .grants
        .iter()
        .enumerate()
        .filter(|(_, g)| tree.contains(&g.org_id))
        .collect();
    for (_, g) in &grants {
        involve(&g.org_id);
    }
    let mut entities = Vec::new();
    for id in &orgs {
        let ps: HashSet<EntityUid> = tree.parent(id).map(|p| uid("Org", p)).into_iter().collect();
        entities.push(Entity::new_no_attrs(uid("Org", id), ps));
    }
    let mut principals = Vec::new();
    for (i, g) in &grants {
        let principal = uid("Actor", &format!("{}#{i}", subject.person_id));
        let mut attrs = HashMap::new();
        attrs.insert(
            "person".into(),
            RestrictedExpression::new_entity_uid(uid("Person", &subject.person_id)),
        );
        attrs.insert(
            "role".into(),
            RestrictedExpression::new_string(g.role.clone()),
        );
        attrs.insert(
            "org".into(),
            RestrictedExpression::new_entity_uid(uid("Org", &g.org_id)),
        );
        entities.push(Entity::new(principal.clone(), attrs, HashSet::new()).unwrap());
        principals.push(principal);
    }
    entities.extend(resource_entity);
    entities.extend(chain);
    let entities = Entities::from_entities(entities, None).unwrap();
    let mut permitted = Vec::new();
    for principal in principals {
        let request = Request::new(
            principal,
            action_uid.clone(),
            resource_uid.clone(),
            Context::empty(),
            Some(&schema),
        )
        .map_err(|e| AccessError::Request(e.to_string()))?;
        let response = Authorizer::new().is_authorized(&request, &policies, &entities);
        let reasons: Vec<String> = response
            .diagnostics()
            .reason()
            .map(|p| policies.annotation(p, "id").unwrap_or("?").to_string())
            .collect();
        match response.decision() {
            Decision::Allow => permitted.extend(reasons),
            Decision::Deny if !reasons.is_empty() => {
                return Ok(Answer {
                    allowed: false,
                    policies: reasons,
                })
            }
            Decision::Deny => {}
        }
    }
    permitted.sort();
    permitted.dedup();
    Ok(Answer {
        allowed: !permitted.is_empty(),
        policies: permitted,
    })
}

const TREE_ORGS: &[&str] = &["nmg", "als", "azq", "azq-bh", "ayq", "als-jc", "xam"];
const PEOPLE: &[&str] = &["p1", "p2", "p3"];
const KINDS: &[&str] = &[
    "application",
    "incident",
    "enforcement_fault",
    "sanction_appeal",
    "rectification",
];

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// An organisation of the tree, one outside it, or none.
    fn org() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => proptest::sample::select(TREE_ORGS).prop_map(str::to_string),
            1 => Just("elsewhere".to_string()),
            1 => Just(String::new()),
        ]
    }

    fn people() -> impl Strategy<Value = Vec<String>> {
        proptest::sample::subsequence(PEOPLE, 0..=2)
            .prop_map(|v| v.into_iter().map(str::to_string).collect())
    }

    fn case() -> impl Strategy<Value = CaseParties> {
        (
            (0u8..4).prop_map(|i| format!("C{i}")),
            proptest::sample::select(KINDS),
            (org(), org()),
            (people(), people(), people(), people()),
            (proptest::option::of(org()), proptest::option::of(org())),
        )
            .prop_map(
                |(case_id, kind, (o, u), (a, p, x, r), (e, d))| CaseParties {
                    case_id,
                    kind: kind.to_string(),
                    org_id: o,
                    applying_unit: u,
                    applicants: a,
                    panel: p,
                    externals: x,
                    recused: r,
                    escalated_to: e,
                    department: d,
                },
            )
    }

    fn subject() -> impl Strategy<Value = Subject> {
        (
            proptest::sample::select(PEOPLE),
            proptest::collection::vec(
                (proptest::sample::select(ROLES).prop_map(|r| r.0), org()),
                0..=3,
            ),
        )
            .prop_map(|(p, gs)| Subject {
                person_id: p.to_string(),
                grants: gs
                    .into_iter()
                    .map(|(role, org_id)| Grant {
                        role: role.to_string(),
                        org_id,
                    })
                    .collect(),
            })
    }

    fn action(a: &Access) -> impl Strategy<Value = String> {
        let mut names: Vec<String> = a.actions().to_vec();
        // A group and an unknown action: both refused by the schema.
        names.push("handle".into());
        names.push("no_such_action".into());
        proptest::sample::select(names)
    }

    /// Policies that name an organisation and a case id: the decider must notice that its key
    /// does not cover them, and ask about every case.
    const UNKEYED: &str = r#"
        @id("named-org")
        permit (principal, action == Action::"view", resource is Case)
        when { resource.org == Org::"azq" };
        @id("named-case")
        permit (principal, action in Action::"handle", resource == Case::"C1");
    "#;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The fast paths give exactly the old decision (allowed, deciding policies, errors):
        /// `check` with its sliced policies and schema-free requests, and a decider's cache.
        #[test]
        fn decider_and_check_agree_with_the_reference(
            who in subject(),
            asks in proptest::collection::vec(
                (action(&Access::new().unwrap()), case(), org(), any::<bool>()),
                1..40,
            ),
        ) {
            let shipped = Access::new().unwrap();
            let unkeyed_text = format!("{POLICIES}\n{UNKEYED}");
            let unkeyed = Access::from_texts(&unkeyed_text, SCHEMA).unwrap();
            prop_assert!(shipped.keyed);
            prop_assert!(!unkeyed.keyed);
            for (a, text) in [(&shipped, POLICIES), (&unkeyed, unkeyed_text.as_str())] {
                let t = tree(a);
                let d = a.decider(&t, &who);
                for (act, c, o, on_case) in &asks {
                    let r = if *on_case { Resource::Case(c) } else { Resource::Org(o) };
                    let want = reference_check(text, SCHEMA, &t, &who, act, r);
                    prop_assert_eq!(&a.check(&t, &who, act, r), &want, "{} {:?}", act, r);
                    prop_assert_eq!(&d.check(act, r), &want, "{} {:?}", act, r);
                    prop_assert_eq!(d.allows(act, r), want.as_ref().is_ok_and(|w| w.allowed));
                }
            }
        }
    }
}

#[test]
fn a_decider_asks_cedar_once_per_key_not_once_per_case() {
    let a = Access::new().unwrap();
    let t = tree(&a);
    let office = who("p-o", &[("office", "als")]);
    let d = a.decider(&t, &office);
    for i in 0..200 {
        let mut c = case();
        c.case_id = format!("A{i}");
        c.applicants = vec![format!("p{i}")];
        assert!(d.allows("view", Resource::Case(&c)));
    }
    // Different applicants, none of them the office: one key.
    assert_eq!(d.memo.lock().unwrap().cases.len(), 1);
    let mut recused = case();
    recused.recused = vec!["p-o".into()];
    assert!(!d.allows("view", Resource::Case(&recused)));
    assert_eq!(d.memo.lock().unwrap().cases.len(), 2);
}
