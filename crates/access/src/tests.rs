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
    // 001 §17: the reports go up to the 盟 and the 厅; their offices see and acknowledge.
    for org in ["azq", "als", "nmg"] {
        let office = who("p-o", &[("office", org)]);
        assert!(a.allows(&t, &office, "view", Resource::Case(&c)), "{org}");
        assert!(
            a.allows(&t, &office, "incident_acknowledge", Resource::Case(&c)),
            "{org}"
        );
    }
    let sibling = who("p-so", &[("office", "ayq")]);
    assert!(!a.allows(&t, &sibling, "view", Resource::Case(&c)));
    assert!(!a.allows(&t, &sibling, "incident_acknowledge", Resource::Case(&c)));
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
