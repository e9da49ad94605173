//! Issue 15's findings, each a test named by the article it is about, on the shipped packs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::b;
use lvzhi_rules::{Input, Leniency, Modality, Outcome, PackSet, Person, Value};

fn eval(set: &PackSet, pack: &str, facts: &[(String, Value)]) -> lvzhi_rules::Evaluation {
    set.evaluate(pack, facts, None, None).unwrap().evaluation
}

/// A serving officer on duty, none of 000 §9, §11, §31 ¶2.
fn clean_000() -> Vec<(String, Value)> {
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
        b("previously_tolerated", false),
    ]
}

fn plus(mut v: Vec<(String, Value)>, more: &[(&str, bool)]) -> Vec<(String, Value)> {
    for (k, x) in more {
        v.retain(|(n, _)| n != k);
        v.push(b(k, *x));
    }
    v
}

// Item 1 -----------------------------------------------------------------------------------

#[test]
fn art_004_14_unclear_law_does_not_excuse_corruption_falsification_or_retaliation() {
    let s = common::set();
    let e = eval(
        &s,
        "004",
        &[
            b("law_unclear", true),
            b("corrupt_intentional", true),
            b("falsified_or_coerced_evidence", true),
        ],
    );
    assert_eq!(e.outcome, "aggravation", "{:?}", e.fired);
    let e = eval(
        &s,
        "004",
        &[
            b("law_unclear", true),
            b("repeated_errors", true),
            b("retaliated_against_complainant", true),
        ],
    );
    assert_eq!(e.outcome, "aggravation", "{:?}", e.fired);
    // The same under the 2016 revision (§19 over §21).
    let e = eval(
        &s,
        "004-2016",
        &[b("law_unclear", true), b("forged_evidence", true)],
    );
    assert_eq!(e.outcome, "aggravation", "{:?}", e.fired);
}

// Item 2 -----------------------------------------------------------------------------------

#[test]
fn art_000_7_2_unreported_weapon_use_is_not_exempted_by_7_1() {
    let s = common::set();
    let facts = plus(
        clean_000(),
        &[
            ("force_harm", true),
            ("coercive_measure_lawful", true),
            ("within_necessary_limit", true),
            ("timely_rescue", true),
            ("weapon_harm", true),
            ("weapon_use_lawful", true),
            ("reported_promptly", false),
        ],
    );
    let e = eval(&s, "000", &facts);
    assert_ne!(e.outcome, "exemption", "{:?}", e.fired);
    let d = e
        .defeated
        .iter()
        .find(|d| d.rule == "r7_1")
        .expect("r7_1 set aside");
    assert_eq!(d.by, vec!["r7_2".to_string()]);
    assert!(d.reason.contains("特别规定优先于一般规定"), "{}", d.reason);
    // Reported: §7(二) itself exempts.
    let e = eval(&s, "000", &plus(facts, &[("reported_promptly", true)]));
    assert!(e.fired.contains(&"r7_2".to_string()), "{:?}", e.fired);
}

#[test]
fn art_001_24_missing_truthful_report_is_not_exempted_by_18() {
    let s = common::set();
    let e = eval(
        &s,
        "001",
        &[
            b("casualty_from_weapons", true),
            b("weapon_procedure_lawful", true),
            b("weapon_use_justified", true),
            b("timely_rescue", true),
            b("truthful_report", false),
            b("acted_under_legal_conditions", true),
            b("caused_damage_to_rights", true),
        ],
    );
    assert_ne!(e.outcome, "exemption");
    assert!(e
        .defeated
        .iter()
        .any(|d| d.rule == "r18_1" && d.by == ["r24"]));
}

// Item 3 -----------------------------------------------------------------------------------

#[test]
fn art_000_31_2_defiance_aggravates_only_officers_already_tolerated() {
    let s = common::set();
    let arrest = plus(
        clean_000(),
        &[
            ("force_harm", true),
            ("coercive_measure_lawful", true),
            ("within_necessary_limit", true),
            ("timely_rescue", true),
            ("weapon_harm", false),
            ("subject_own_cause_on_scene", false),
            ("custody_casualty", false),
            ("concealed_or_refused_rectification", true),
        ],
    );
    let e = eval(&s, "000", &arrest);
    assert_eq!(e.outcome, "exemption", "{:?}", e.fired);
    // The question says which rectification it means.
    let p = s.pack("000").unwrap();
    let q = &p
        .fact("concealed_or_refused_rectification")
        .unwrap()
        .question;
    assert!(q.contains("此前容错认定后的纠错整改措施"), "{q}");
    // Once the officer is one already given tolerance, §31 ¶2 aggravates.
    let e = eval(&s, "000", &plus(arrest, &[("previously_tolerated", true)]));
    assert_eq!(e.outcome, "aggravation");
}

// Item 4 -----------------------------------------------------------------------------------

#[test]
fn art_002_10_shall_lighten_is_kept_under_may_exempt() {
    let s = common::set();
    let mut facts: Vec<(String, Value)> = s
        .program("002")
        .unwrap()
        .facts
        .iter()
        .map(|f| b(&f.id, false))
        .collect();
    facts = plus(
        facts,
        &[("pilot_in_directives", true), ("actively_remedied", true)],
    );
    let e = eval(&s, "002", &facts);
    assert_eq!(e.outcome, "exemption");
    assert_eq!(e.modality, Some(Modality::May));
    let f = e.floor.as_ref().expect("the ¶1 floor");
    assert_eq!(f.outcome, Outcome::Tolerance);
    assert_eq!(f.modality, Modality::Shall);
    assert_eq!(
        f.leniency,
        vec![Leniency::Lighter, Leniency::Reduced, Leniency::Waived]
    );
    assert!(
        e.citations.iter().any(|c| c == "002 §10(一)"),
        "{:?}",
        e.citations
    );
    assert!(
        e.notes.iter().any(|n| n.contains("仍应当容错")),
        "{:?}",
        e.notes
    );
}

// Item 5 -----------------------------------------------------------------------------------

#[test]
fn art_001_29_5_false_accusation_clears_the_name() {
    let s = common::set();
    let e = eval(
        &s,
        "001",
        &[
            b("accusation_found_false", true),
            b("intentional_violation", false),
            b("serious_dereliction", false),
            b("self_harm_on_scene", false),
            b("casualty_stopping_obstruction", false),
            b("casualty_in_custody", false),
            b("casualty_from_weapons", false),
        ],
    );
    assert_eq!(e.outcome, "name_clearing");
    assert_eq!(e.modality, Some(Modality::Shall));
    assert!(e.fired.contains(&"r29_5_refer".to_string()));
    assert!(
        e.notes.iter().any(|n| n.contains("追究诬告")),
        "the accuser is referred: {:?}",
        e.notes
    );
}

#[test]
fn art_002_18_untrue_complaint_in_good_faith_gets_feedback_not_name_clearing() {
    let s = common::set();
    let named = eval(
        &s,
        "002",
        &[
            b("report_untrue_good_faith", true),
            b("report_named", true),
            b("abuse_or_dereliction", false),
        ],
    );
    assert_eq!(named.outcome, "clarification");
    assert!(named.notes.iter().any(|n| n.contains("向举报人反馈结果")));
    let anonymous = eval(
        &s,
        "002",
        &[
            b("report_untrue_good_faith", true),
            b("report_named", false),
            b("abuse_or_dereliction", false),
        ],
    );
    assert!(anonymous
        .notes
        .iter()
        .any(|n| n.contains("在一定范围内说明情况")));
    let malicious = eval(
        &s,
        "002",
        &[
            b("maliciously_accused", true),
            b("abuse_or_dereliction", false),
        ],
    );
    assert_eq!(malicious.outcome, "name_clearing");
}

// Item 6 -----------------------------------------------------------------------------------

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
fn art_004_7_unknown_approver_fault_makes_the_allocation_undetermined_and_asks_it() {
    let s = common::set();
    let none = [
        ("unauthorised_act", false),
        ("falsified_or_concealed", false),
    ];
    let mut handler = vec![("at_fault", true)];
    handler.extend(none);
    let mut reviewer = vec![("at_fault", false)];
    reviewer.extend(none);
    let r = s
        .allocate(
            "004",
            &[
                person("张某", "handler", &handler),
                person("赵某", "reviewer", &reviewer),
                person(
                    "李某",
                    "approver",
                    &[
                        ("overrode_correct_opinion", false),
                        ("unauthorised_act", false),
                    ],
                ),
            ],
            &[],
        )
        .unwrap();
    assert!(!r.determined, "{r:?}");
    assert!(
        r.questions
            .iter()
            .any(|q| q.person == "李某" && q.fact == "at_fault"),
        "{:?}",
        r.questions
    );
    assert!(r.notes.iter().any(|n| n.contains("李某")), "{:?}", r.notes);
    // Known, the allocation is settled.
    let r = s
        .allocate(
            "004",
            &[
                person("张某", "handler", &handler),
                person("赵某", "reviewer", &reviewer),
                person(
                    "李某",
                    "approver",
                    &[
                        ("at_fault", true),
                        ("overrode_correct_opinion", false),
                        ("unauthorised_act", false),
                    ],
                ),
            ],
            &[],
        )
        .unwrap();
    assert!(r.determined, "{:?}", r.questions);
    assert!(r
        .shares
        .iter()
        .any(|x| x.person == "李某" && x.share == "separate"));
}

// Item 7 -----------------------------------------------------------------------------------

#[test]
fn art_000_7_pepper_spray_misjudgment_asks_the_situation_first_then_only_its_questions() {
    let s = common::set();
    // What the issue tried: an officer misjudged a scene and used pepper spray.
    let start = clean_000();
    let step = s.interview("000", &start, None, None).unwrap();
    let sq = step
        .situation
        .as_ref()
        .expect("the situation question first");
    let ids: Vec<&str> = sq.options.iter().map(|o| o.id.as_str()).collect();
    for want in ["force", "weapons", "self_harm", "custody", "emergency"] {
        assert!(ids.contains(&want), "{ids:?}");
    }
    let all_before = step.decision.evaluation.questions.len();
    // Answer: weapons (pepper spray is police equipment) and an emergency misjudgment.
    let mut facts = start.clone();
    facts.extend(
        s.situation_answer("000", &facts, &["weapons".into(), "emergency".into()])
            .unwrap(),
    );
    let step = s.interview("000", &facts, None, None).unwrap();
    assert!(step.situation.is_none());
    let asked: Vec<&str> = step.questions.iter().map(|q| q.fact.as_str()).collect();
    // Only the weapons and emergency questions: no custody, self-harm or 2016 §21 facts.
    for not in [
        "custody_own_cause",
        "custody_safety_compliant",
        "prevention_measures_taken",
        "coercive_measure_lawful",
        "law_changed",
        "new_evidence_changed_conclusion",
    ] {
        assert!(!asked.contains(&not), "{not} asked: {asked:?}");
    }
    assert!(asked.contains(&"weapon_use_lawful"), "{asked:?}");
    assert!(asked.len() < all_before, "{} ≥ {all_before}", asked.len());
    // Every one is decisive: exactly the engine's questions.
    let exact: Vec<&str> = step
        .decision
        .evaluation
        .questions
        .iter()
        .map(|q| q.fact.as_str())
        .collect();
    assert_eq!(asked, exact);
    // An unknown situation id is refused in Chinese.
    let e = s
        .situation_answer("000", &facts, &["pepper".into()])
        .unwrap_err();
    assert!(e.to_string().contains("没有情形“pepper”"), "{e}");
}

// Item 8 -----------------------------------------------------------------------------------

#[test]
fn art_000_7_5_xref_note_says_the_2016_text_is_a_paraphrase() {
    let s = common::set();
    let facts = plus(
        clean_000(),
        &[
            ("law_changed", true),
            ("weapon_harm", false),
            ("subject_own_cause_on_scene", false),
            ("custody_casualty", false),
        ],
    );
    let e = eval(&s, "000", &facts);
    assert_eq!(e.outcome, "exemption");
    let note = e
        .notes
        .iter()
        .find(|n| n.contains("004-2016 §21"))
        .expect("the xref note");
    assert!(note.contains("转述") && note.contains("核对"), "{note}");
    assert!(!note.contains("指2016年修订本第二十一条（"), "{note}");
}

/// The general §7(一) and §7(五) now read the specific situations' facts, which joins the §7
/// rules into one group of 19 facts: past what is listed, it is solved (SAT), so even with
/// nothing known the questions stay exact — no "over the cap" note.
#[test]
fn art_000_7_nothing_known_is_still_exact() {
    let s = common::set();
    let prog = s.program("000").unwrap();
    let e = prog.evaluate(&vec![None; prog.facts.len()]);
    assert_eq!(e.outcome, "undetermined");
    assert!(
        !e.notes.iter().any(|n| n.contains("超过枚举上限")),
        "{:?}",
        e.notes
    );
    assert!(e.questions.iter().any(|q| q.fact == "weapon_harm"));
}
