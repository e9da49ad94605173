//! The hard cases of issue 3, named by the articles they exercise.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::b;
use lvzhi_rules::{Input, Level, Modality, PackSet, Person, Value};

fn eval(set: &PackSet, pack: &str, facts: &[(String, Value)]) -> lvzhi_rules::Evaluation {
    set.evaluate(pack, facts, None, None).unwrap().evaluation
}

fn clean() -> Vec<(String, Value)> {
    vec![
        (
            "person_category".into(),
            Value::Choice("serving_officer".into()),
        ),
        b("off_duty", false),
        b("intentional_violation", false),
        b("improper_gain", false),
        b("prohibited_act", false),
        b("other_exclusion", false),
        b("evidence_lost_recording_violation", false),
        b("concealed_or_refused_rectification", false),
        // The specific situations of 000 §7(二)–(四) do not apply (lex specialis: while one
        // is open, the general §7(一) cannot decide).
        b("weapon_harm", false),
        b("subject_own_cause_on_scene", false),
        b("custody_casualty", false),
    ]
}

fn with(mut v: Vec<(String, Value)>, more: &[(&str, bool)]) -> Vec<(String, Value)> {
    for (k, x) in more {
        v.retain(|(n, _)| n != k);
        v.push(b(k, *x));
    }
    v
}

#[test]
fn art_000_s7_1_lawful_arrest_is_exempt_and_asks_nothing() {
    let s = common::core_set();
    let e = eval(
        &s,
        "000",
        &with(
            clean(),
            &[
                ("coercive_measure_lawful", true),
                ("within_necessary_limit", true),
                ("timely_rescue", true),
            ],
        ),
    );
    assert_eq!(e.outcome, "exemption");
    assert_eq!(e.modality, Some(Modality::Shall));
    assert!(e.questions.is_empty());
    assert!(
        e.citations.contains(&"000 §7(一)".to_string()),
        "{:?}",
        e.citations
    );
}

#[test]
fn art_000_s9_exclusion_defeats_exemption() {
    let s = common::core_set();
    let e = eval(
        &s,
        "000",
        &with(
            clean(),
            &[
                ("coercive_measure_lawful", true),
                ("within_necessary_limit", true),
                ("timely_rescue", true),
                ("improper_gain", true),
            ],
        ),
    );
    assert_eq!(e.outcome, "exclusion");
    assert!(e.fired.contains(&"r7_1".to_string()));
    let d = e
        .defeated
        .iter()
        .find(|d| d.rule == "r7_1")
        .expect("r7_1 defeated");
    assert_eq!(d.by, vec!["r9_2".to_string()]);
    assert!(d.reason.contains("第九条"), "{}", d.reason);
    assert!(e.citations.iter().any(|c| c == "000 §9(二)"));
}

#[test]
fn art_000_s7_unknown_facts_ask_exactly_the_decisive_questions() {
    let s = common::core_set();
    // §7(一) holds; the open questions are those that could still defeat or narrow it.
    let e = eval(
        &s,
        "000",
        &[
            b("coercive_measure_lawful", true),
            b("within_necessary_limit", true),
            b("timely_rescue", true),
            b("weapon_harm", false),
            b("subject_own_cause_on_scene", false),
            b("custody_casualty", false),
        ],
    );
    assert_eq!(e.outcome, "undetermined");
    let mut q: Vec<String> = e.questions.iter().map(|q| q.fact.clone()).collect();
    q.sort();
    // §31 ¶2 only for officers already given tolerance: asked through previously_tolerated.
    let mut want = vec![
        "person_category",
        "off_duty",
        "off_duty_emergency_in_remit",
        "intentional_violation",
        "improper_gain",
        "prohibited_act",
        "other_exclusion",
        "evidence_lost_recording_violation",
        "previously_tolerated",
        "concealed_or_refused_rectification",
    ];
    want.sort();
    assert_eq!(q, want);
    // Tolerance facts cannot change an exemption (exemption defeats tolerance): never asked.
    assert!(!q.contains(&"emergency_misjudgment".to_string()));
    // Answering them all with "no" decides the case.
    let e = eval(
        &s,
        "000",
        &with(
            clean(),
            &[
                ("coercive_measure_lawful", true),
                ("within_necessary_limit", true),
                ("timely_rescue", true),
            ],
        ),
    );
    assert_eq!(e.outcome, "exemption");
}

#[test]
fn art_000_s7_1_a_false_fact_removes_the_rules_other_questions() {
    let s = common::core_set();
    // Not a coercive measure at all: within_necessary_limit no longer matters for §7(一).
    let e = eval(
        &s,
        "000",
        &with(clean(), &[("coercive_measure_lawful", false)]),
    );
    assert!(!e
        .questions
        .iter()
        .any(|q| q.fact == "within_necessary_limit"));
    assert!(e.questions.iter().any(|q| q.fact == "law_changed"));
    // Weapons are not the situation (clean()): §7(二)'s conditions are not asked either.
    assert!(!e.questions.iter().any(|q| q.fact == "weapon_use_lawful"));
}

#[test]
fn art_000_s8_shall_and_s8_p2_may_are_kept_apart() {
    let s = common::core_set();
    let no7 = [
        ("coercive_measure_lawful", false),
        ("weapon_use_lawful", false),
        ("subject_own_cause_on_scene", false),
        ("custody_own_cause", false),
        ("law_changed", false),
        ("law_unclear", false),
        ("unforeseeable_or_irresistible", false),
        ("facts_disputed_reasonably_explained", false),
        ("new_evidence_changed_conclusion", false),
        ("basis_document_revoked", false),
        ("subject_fault", false),
        ("rectification_ineffective", false),
        ("same_error_recurred", false),
    ];
    let base = with(clean(), &no7);
    let shall = eval(
        &s,
        "000",
        &with(
            base.clone(),
            &[
                ("emergency_misjudgment", true),
                ("serious_consequences", false),
            ],
        ),
    );
    assert_eq!(shall.outcome, "tolerance");
    assert_eq!(shall.modality, Some(Modality::Shall));
    let may = eval(
        &s,
        "000",
        &with(
            base,
            &[
                ("major_operation_decisive_action", false),
                ("emergency_misjudgment", false),
                ("superior_policy_unclear", false),
                ("reform_innovation_error", false),
                ("other_leniency_circumstance", false),
                ("minor_negligence", true),
            ],
        ),
    );
    assert_eq!(may.outcome, "tolerance");
    assert_eq!(may.modality, Some(Modality::May));
    assert!(
        may.citations.iter().any(|c| c == "004-2016 §20"),
        "{:?}",
        may.citations
    );
    assert!(
        may.notes
            .iter()
            .any(|n| n.contains("2016年修订本") && n.contains("转述")),
        "{:?}",
        may.notes
    );
}

#[test]
fn art_004_s23_has_no_reduced_and_s24_aggravation_is_shall() {
    let s = common::core_set();
    let e = eval(
        &s,
        "004",
        &[
            b("other_enforcement_fault", true),
            b("minor_negligence", true),
            b("law_unclear", false),
            b("unforeseeable_or_irresistible", false),
            b("executing_superior_order", false),
            b("assisting_case_cooperation", false),
            b("corrupt_intentional", false),
            b("obstructed_investigation", false),
            b("retaliated_against_complainant", false),
            b("repeated_errors", false),
            b("egregious_serious_consequence", false),
        ],
    );
    assert_eq!(e.outcome, "tolerance");
    assert_eq!(e.modality, Some(Modality::May));
    assert_eq!(
        e.leniency,
        vec![
            lvzhi_rules::Leniency::Lighter,
            lvzhi_rules::Leniency::Waived
        ]
    );
}

fn person(name: &str, role: &str, facts: &[(&str, bool)]) -> Person {
    Person {
        name: name.into(),
        role: role.into(),
        facts: facts
            .iter()
            .map(|(k, v)| (k.to_string(), Input::Bool(*v)))
            .collect(),
    }
}

#[test]
fn art_004_s9_approver_who_overrode_a_correct_opinion_bears_all() {
    let s = common::core_set();
    let r = s
        .allocate(
            "004",
            &[
                person("张某", "handler", &[("at_fault", false)]),
                person("赵某", "reviewer", &[("at_fault", false)]),
                person(
                    "李某",
                    "approver",
                    &[("at_fault", true), ("overrode_correct_opinion", true)],
                ),
            ],
            &[],
        )
        .unwrap();
    let li = r.shares.iter().find(|x| x.person == "李某").unwrap();
    assert_eq!(li.share_zh, "全部责任");
    assert_eq!(li.citations, vec!["004 §9".to_string()]);
    assert!(r
        .shares
        .iter()
        .filter(|x| x.person != "李某")
        .all(|x| x.share == "not_liable"));
}

#[test]
fn art_004_s11_handler_who_falsified_bears_main_and_s8_is_defeated() {
    let s = common::core_set();
    let r = s
        .allocate(
            "004",
            &[
                person(
                    "张某",
                    "handler",
                    &[("at_fault", true), ("falsified_or_concealed", true)],
                ),
                person("赵某", "reviewer", &[("at_fault", true)]),
                person("李某", "approver", &[("at_fault", true)]),
            ],
            &[],
        )
        .unwrap();
    assert_eq!(r.shares.len(), 1, "{:?}", r.shares);
    assert_eq!(r.shares[0].person, "张某");
    assert_eq!(r.shares[0].share_zh, "主要责任");
    assert!(r
        .defeated
        .iter()
        .any(|(a, by)| a == "a8" && by.contains(&"a11".to_string())));
}

#[test]
fn art_004_s8_all_at_fault_each_separately_approver_main() {
    let s = common::core_set();
    let r = s
        .allocate(
            "004",
            &[
                person("张某", "handler", &[("at_fault", true)]),
                person("赵某", "reviewer", &[("at_fault", true)]),
                person("李某", "approver", &[("at_fault", true)]),
            ],
            &[],
        )
        .unwrap();
    let get = |n: &str| {
        r.shares
            .iter()
            .find(|x| x.person == n)
            .unwrap()
            .share
            .clone()
    };
    assert_eq!(get("李某"), "main");
    assert_eq!(get("张某"), "separate");
    assert_eq!(get("赵某"), "separate");
}

#[test]
fn art_000_s7_5_cross_reference_finding_names_both_texts() {
    let s = common::core_set();
    let f = s.check(Some("000"));
    let x: Vec<_> = f.iter().filter(|f| f.kind == "xref_mismatch").collect();
    assert_eq!(x.len(), 2, "{x:?}");
    assert!(x.iter().all(|f| f.level == Level::Warning));
    let s7 = x.iter().find(|f| f.message.contains("§7(五)")).unwrap();
    assert!(s7.message.contains("004 §21"));
    assert!(s7.message.contains("先进集体"), "{}", s7.message);
    assert!(s7.message.contains("004-2016 §21"));
    let s8 = x.iter().find(|f| f.message.contains("§8¶2")).unwrap();
    assert!(s8.message.contains("领导责任"), "{}", s8.message);
    // No load error, no conflict in the shipped pack.
    assert!(!f.iter().any(|f| f.level == Level::Error), "{f:?}");
}

#[test]
fn art_004_s14_cong_jiu_jian_cong_qing_new_evidence_only_under_2016() {
    let s = common::core_set();
    let mut facts: Vec<(String, Value)> = [
        "law_unclear",
        "unforeseeable_or_irresistible",
        "executing_superior_order",
        "assisting_case_cooperation",
        "minor_negligence",
        "admitted_and_corrected",
        "cooperated_reduced_loss",
        "minor_no_serious_consequence",
        "corrupt_intentional",
        "obstructed_investigation",
        "retaliated_against_complainant",
        "repeated_errors",
        "egregious_serious_consequence",
        "law_changed",
        "facts_disputed_reasonably_explained",
        "basis_document_revoked",
        "subject_fault",
        "forged_evidence",
        "tipped_off",
    ]
    .iter()
    .map(|k| b(k, false))
    .collect();
    facts.push(b("other_enforcement_fault", true));
    facts.push(b("new_evidence_changed_conclusion", true));
    // 004 §14's causal condition: the error was not produced by falsification (§6(二)).
    facts.push(b("falsified_or_coerced_evidence", false));
    let d = lvzhi_calendar::parse_date;
    let r = s
        .evaluate("004", &facts, d("2015-06-01"), d("2017-03-01"))
        .unwrap();
    assert_eq!(r.applied, "004-2016");
    assert_eq!(r.evaluation.outcome, "exemption");
    assert!(
        r.evaluation.notes[0].contains("从旧兼从轻"),
        "{:?}",
        r.evaluation.notes
    );
    // Evaluated under 1999 alone it is ordinary accountability.
    let old = s.run("004", &facts).unwrap().evaluation;
    assert_eq!(old.outcome, "none");

    // Carrying out a superior's order: exempt only under 1999, and 1999 applies.
    let facts: Vec<(String, Value)> = facts
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "new_evidence_changed_conclusion" => (k, Value::Bool(false)),
            "executing_superior_order" => (k, Value::Bool(true)),
            _ => (k, v),
        })
        .collect();
    let r = s
        .evaluate("004", &facts, d("2015-06-01"), d("2017-03-01"))
        .unwrap();
    assert_eq!(r.applied, "004");
    assert_eq!(r.evaluation.outcome, "exemption");
    assert!(
        r.evaluation.notes[0].contains("适用较轻的 004"),
        "{:?}",
        r.evaluation.notes
    );
    // Same dates inside one version: no comparison note.
    let r = s
        .evaluate("004", &facts, d("2017-01-01"), d("2017-03-01"))
        .unwrap();
    assert_eq!(r.applied, "004-2016");
    assert!(!r.evaluation.notes.iter().any(|n| n.contains("从旧兼从轻")));
}

#[test]
fn art_000_s11_evidence_loss_is_not_asked_when_no_excuse_can_apply() {
    let s = common::core_set();
    let mut facts: Vec<(String, Value)> = clean()
        .into_iter()
        .filter(|(k, _)| k != "evidence_lost_recording_violation")
        .collect();
    for k in [
        "coercive_measure_lawful",
        "weapon_use_lawful",
        "subject_own_cause_on_scene",
        "custody_own_cause",
        "law_changed",
        "law_unclear",
        "unforeseeable_or_irresistible",
        "facts_disputed_reasonably_explained",
        "new_evidence_changed_conclusion",
        "basis_document_revoked",
        "subject_fault",
        "major_operation_decisive_action",
        "emergency_misjudgment",
        "superior_policy_unclear",
        "reform_innovation_error",
        "other_leniency_circumstance",
        "minor_negligence",
        "admitted_and_corrected",
        "cooperated_reduced_loss",
        "minor_no_serious_consequence",
    ] {
        facts.push(b(k, false));
    }
    let e = eval(&s, "000", &facts);
    // Ordinary accountability either way: §11 would only matter against an excuse.
    assert_eq!(e.outcome, "none");
    assert!(e.questions.is_empty(), "{:?}", e.questions);
    assert_eq!(e.modality, None);
    // Once it is known, the rule that says so gives its modality.
    facts.push(b("evidence_lost_recording_violation", true));
    let e = eval(&s, "000", &facts);
    assert_eq!(e.outcome, "none");
    assert_eq!(e.modality, Some(Modality::Shall));
    assert!(e.citations.contains(&"000 §11".to_string()));
}

#[test]
fn art_004_s24_cong_jiu_jian_cong_qing_asks_only_what_can_change_the_lenient_result() {
    let s = common::core_set();
    let mut facts: Vec<(String, Value)> = [
        "law_unclear",
        "unforeseeable_or_irresistible",
        "assisting_case_cooperation",
        "minor_negligence",
        "admitted_and_corrected",
        "cooperated_reduced_loss",
        "minor_no_serious_consequence",
        "corrupt_intentional",
        "obstructed_investigation",
        "retaliated_against_complainant",
        "repeated_errors",
        "egregious_serious_consequence",
        "law_changed",
        "facts_disputed_reasonably_explained",
        "basis_document_revoked",
        "subject_fault",
        "tipped_off",
    ]
    .iter()
    .map(|k| b(k, false))
    .collect();
    facts.push(b("other_enforcement_fault", true));
    let d = lvzhi_calendar::parse_date;
    let r = s
        .evaluate("004", &facts, d("2015-06-01"), d("2017-03-01"))
        .unwrap();
    assert_eq!(r.evaluation.outcome, "undetermined");
    let mut q: Vec<&str> = r
        .evaluation
        .questions
        .iter()
        .map(|q| q.fact.as_str())
        .collect();
    q.sort();
    // Forged evidence now aggravates under 2016 even against §21 (its §19 prevails), so it
    // can change which version is lighter; falsification is 1999 §14's causal condition.
    assert_eq!(
        q,
        [
            "executing_superior_order",
            "falsified_or_coerced_evidence",
            "forged_evidence",
            "new_evidence_changed_conclusion"
        ]
    );
}
