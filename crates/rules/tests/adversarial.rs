//! Adversarial tests by article (issue 15), written from the seeds' text rather than from the
//! packs: every excuse a regulation grants, on an otherwise clean case, with each exclusion or
//! aggravation the regulation names added in turn — no excuse may survive; every specific
//! article's situation with each of its own conditions failing in turn, with every general
//! article's conditions met — no general article may excuse it; and the monotonicity of
//! exclusion as a property over random cases of every pack.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use lvzhi_rules::{Evaluation, Outcome, PackSet, Value};
use proptest::prelude::*;

/// Every fact of the pack's program known and false (choices as given, else their first
/// value): a case where nothing happened, so that what a test sets is all that holds.
fn background(set: &PackSet, pack: &str, choices: &[(&str, &str)]) -> Vec<(String, Value)> {
    let prog = set.program(pack).unwrap();
    prog.facts
        .iter()
        .map(|f| {
            let v = match f.ty {
                lvzhi_rules::FactType::Bool => Value::Bool(false),
                lvzhi_rules::FactType::Choice => Value::Choice(
                    choices
                        .iter()
                        .find(|(k, _)| *k == f.id)
                        .map_or(f.choices[0].clone(), |(_, v)| v.to_string()),
                ),
                _ => f.domain[0].clone(),
            };
            (f.id.clone(), v)
        })
        .collect()
}

fn with(base: &[(String, Value)], set_true: &[&str], set_false: &[&str]) -> Vec<(String, Value)> {
    let mut v = base.to_vec();
    for (k, x) in v.iter_mut() {
        if set_true.contains(&k.as_str()) {
            *x = Value::Bool(true);
        } else if set_false.contains(&k.as_str()) {
            *x = Value::Bool(false);
        }
    }
    for k in set_true.iter().chain(set_false) {
        assert!(v.iter().any(|(n, _)| n == k), "no fact {k}");
    }
    v
}

fn eval(set: &PackSet, pack: &str, facts: &[(String, Value)]) -> Evaluation {
    set.run(pack, facts).unwrap().evaluation
}

fn is_excuse(e: &Evaluation) -> bool {
    Outcome::parse(&e.outcome).is_some_and(|o| o.is_excuse())
}

/// (article, the facts that make the excuse hold).
type Table = &'static [(&'static str, &'static [&'static str])];

struct Regulation {
    pack: &'static str,
    choices: &'static [(&'static str, &'static str)],
    excuses: Table,
    bars: Table,
}

const REGULATIONS: &[Regulation] = &[
    Regulation {
        pack: "000",
        choices: &[("person_category", "serving_officer")],
        excuses: &[
            (
                "§7(一)",
                &[
                    "force_harm",
                    "coercive_measure_lawful",
                    "within_necessary_limit",
                    "timely_rescue",
                ],
            ),
            (
                "§7(二)",
                &[
                    "weapon_harm",
                    "weapon_use_lawful",
                    "reported_promptly",
                    "timely_rescue",
                ],
            ),
            (
                "§7(三)",
                &[
                    "subject_own_cause_on_scene",
                    "prevention_measures_taken",
                    "timely_rescue",
                ],
            ),
            (
                "§7(四)",
                &[
                    "custody_casualty",
                    "custody_own_cause",
                    "custody_safety_compliant",
                    "timely_rescue",
                ],
            ),
            ("§7(五)→2016§21(一)", &["law_changed"]),
            ("§7(五)→2016§21(二)", &["law_unclear"]),
            ("§7(五)→2016§21(三)", &["unforeseeable_or_irresistible"]),
            (
                "§7(五)→2016§21(四)",
                &["facts_disputed_reasonably_explained"],
            ),
            ("§7(五)→2016§21(五)", &["new_evidence_changed_conclusion"]),
            ("§7(五)→2016§21(六)", &["basis_document_revoked"]),
            ("§7(五)→2016§21(七)", &["subject_fault"]),
            (
                "§8(一)",
                &["major_operation_decisive_action", "mitigation_taken"],
            ),
            ("§8(二)", &["emergency_misjudgment"]),
            ("§8(三)", &["superior_policy_unclear"]),
            ("§8(四)", &["reform_innovation_error", "mitigation_taken"]),
            ("§8(五)", &["other_leniency_circumstance"]),
            ("§8¶2→2016§20(一)", &["minor_negligence"]),
            ("§8¶2→2016§20(二)", &["admitted_and_corrected"]),
            ("§8¶2→2016§20(三)", &["cooperated_reduced_loss"]),
            ("§8¶2→2016§20(四)", &["minor_no_serious_consequence"]),
        ],
        bars: &[
            ("§9(一)", &["intentional_violation"]),
            ("§9(二)", &["improper_gain"]),
            ("§9(三)", &["prohibited_act"]),
            ("§9(四)", &["other_exclusion"]),
            (
                "§31¶2",
                &["previously_tolerated", "concealed_or_refused_rectification"],
            ),
        ],
    },
    Regulation {
        pack: "001",
        choices: &[],
        excuses: &[
            (
                "§18 依法履职造成损害",
                &["acted_under_legal_conditions", "caused_damage_to_rights"],
            ),
            ("§18 不得以舆论炒作等为由追责", &["improper_ground_only"]),
            ("§19 轻微过失", &["minor_negligence"]),
            ("§19 执法瑕疵无直接因果关系", &["enforcement_flaw"]),
            ("§19 紧急情形判断失误", &["emergency_misjudgement"]),
            (
                "§20 主动纠正",
                &[
                    "harmful_consequence",
                    "self_corrected",
                    "mitigation_measures",
                ],
            ),
            (
                "§21",
                &[
                    "self_harm_on_scene",
                    "act_lawful",
                    "precautions_reasonable",
                    "timely_rescue",
                ],
            ),
            (
                "§22",
                &[
                    "casualty_stopping_obstruction",
                    "act_lawful",
                    "restraint_lawful_proper",
                    "timely_rescue",
                ],
            ),
            (
                "§23",
                &[
                    "casualty_in_custody",
                    "detention_lawful",
                    "facility_safe",
                    "custody_supervision_lawful",
                    "timely_rescue",
                ],
            ),
            (
                "§24",
                &[
                    "casualty_from_weapons",
                    "weapon_procedure_lawful",
                    "weapon_use_justified",
                    "timely_rescue",
                    "truthful_report",
                ],
            ),
            ("§25(一)", &["law_changed"]),
            ("§25(二)", &["law_unclear"]),
            ("§25(三)", &["force_majeure"]),
            ("§25(四)", &["facts_disputed_explained"]),
            ("§25(五)", &["new_evidence"]),
            ("§25(六)", &["basis_document_revoked"]),
            ("§25(七)", &["counterpart_fault"]),
            ("§25(八)", &["beyond_professional_skill"]),
            ("§25(九)", &["complex_case_misclassification"]),
            ("§29(五) 正名", &["accusation_found_false"]),
        ],
        bars: &[
            (
                "§19 故意违反法律和纪律规定造成危害后果",
                &["intentional_violation", "harmful_consequence"],
            ),
            (
                "§19 严重不履行、不当履行职责造成危害后果",
                &["serious_dereliction", "harmful_consequence"],
            ),
        ],
    },
    Regulation {
        pack: "002",
        choices: &[],
        excuses: &[
            ("§9(一)", &["performed_statutory_duties"]),
            ("§9(二)", &["counterpart_deception"]),
            ("§9(三)", &["seized_property_disposed"]),
            ("§9(四)", &["force_majeure"]),
            ("§9(五)", &["other_department_error"]),
            ("§9(六)", &["technical_limits"]),
            ("§9(七)", &["accident_during_rectification"]),
            ("§9(八)", &["accident_during_legal_process"]),
            ("§9(九)", &["other_duty_fulfilled_ground"]),
            ("§10(一)", &["pilot_in_directives"]),
            ("§10(二)", &["reform_innovation_error"]),
            ("§10(三)", &["policy_change_or_unclear"]),
            ("§10(四)", &["on_the_spot_decision_error"]),
            ("§10(五)", &["target_concealed_information"]),
            ("§10(六)", &["counterpart_intentional_violation"]),
            ("§10(七)", &["breaking_vested_interests"]),
            ("§10(八)", &["other_tolerable_ground"]),
            ("§10¶2", &["pilot_in_directives", "actively_remedied"]),
            ("§11(一)", &["effective_loss_avoidance"]),
            ("§11(二)", &["cooperated_and_accepted_responsibility"]),
            ("§11(三)", &["other_mitigating_ground"]),
            ("§18 恶意中伤、诬告陷害：正名", &["maliciously_accused"]),
            ("§18 不实举报：反馈、说明", &["report_untrue_good_faith"]),
        ],
        bars: &[(
            "§12 滥用职权、不履行职责致使合法权益受损",
            &["abuse_or_dereliction", "rights_damage_adverse_consequence"],
        )],
    },
    Regulation {
        pack: "003",
        choices: &[("situation_family", "none"), ("domain", "law_enforcement")],
        excuses: &[("§7 酌情从轻、减轻", &["mitigating_circumstances"])],
        bars: &[
            ("§11 心存侥幸", &["took_chances"]),
            ("§11 隐瞒不报", &["concealed_problem"]),
            ("§11 拒不改错", &["refused_correction"]),
            ("§11 对抗组织", &["defied_organisation"]),
        ],
    },
    Regulation {
        pack: "004",
        choices: &[],
        excuses: &[
            ("§14(一)", &["other_enforcement_fault", "law_unclear"]),
            (
                "§14(二)",
                &["other_enforcement_fault", "unforeseeable_or_irresistible"],
            ),
            (
                "§14(三)",
                &["other_enforcement_fault", "executing_superior_order"],
            ),
            (
                "§14(四)",
                &["other_enforcement_fault", "assisting_case_cooperation"],
            ),
            ("§23(一)", &["other_enforcement_fault", "minor_negligence"]),
            (
                "§23(二)",
                &["other_enforcement_fault", "admitted_and_corrected"],
            ),
            (
                "§23(三)",
                &["other_enforcement_fault", "cooperated_reduced_loss"],
            ),
            (
                "§23(四)",
                &["other_enforcement_fault", "minor_no_serious_consequence"],
            ),
        ],
        bars: &[
            ("§24(一)", &["corrupt_intentional"]),
            ("§24(二)", &["obstructed_investigation"]),
            ("§24(三)", &["retaliated_against_complainant"]),
            ("§24(四)", &["repeated_errors"]),
            ("§24(五)", &["egregious_serious_consequence"]),
        ],
    },
    Regulation {
        pack: "004-2016",
        choices: &[],
        excuses: &[
            ("§21(一)", &["law_changed"]),
            ("§21(二)", &["law_unclear"]),
            ("§21(三)", &["unforeseeable_or_irresistible"]),
            ("§21(四)", &["facts_disputed_reasonably_explained"]),
            ("§21(五)", &["new_evidence_changed_conclusion"]),
            ("§21(六)", &["basis_document_revoked"]),
            ("§21(七)", &["subject_fault"]),
            ("§20(一)", &["minor_negligence"]),
            ("§20(二)", &["admitted_and_corrected"]),
            ("§20(三)", &["cooperated_reduced_loss"]),
            ("§20(四)", &["minor_no_serious_consequence"]),
        ],
        bars: &[
            ("§19(一)", &["corrupt_intentional"]),
            ("§19(二)", &["obstructed_investigation"]),
            ("§19(三)", &["retaliated_against_complainant"]),
            ("§19(四)", &["repeated_errors"]),
            ("§19(五)", &["egregious_serious_consequence"]),
            ("§19(六)", &["forged_evidence"]),
            ("§19(七)", &["tipped_off"]),
        ],
    },
];

/// Every excuse of every regulation, with each exclusion or aggravation in turn: none survives.
/// Returns the number of (excuse, bar) pairs tried per pack, printed for the issue note.
#[test]
fn no_excuse_survives_an_exclusion_or_aggravation() {
    let set = common::set();
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for reg in REGULATIONS {
        let base = background(&set, reg.pack, reg.choices);
        let mut tried = 0;
        for (art, facts) in reg.excuses {
            let excused = with(&base, facts, &[]);
            let e = eval(&set, reg.pack, &excused);
            // The scenario itself must be an excuse, or the test proves nothing.
            assert!(
                is_excuse(&e),
                "{} {art}: the clean case should be excused, got {} ({:?})",
                reg.pack,
                e.outcome,
                e.questions.iter().map(|q| &q.fact).collect::<Vec<_>>()
            );
            for (bar, bar_facts) in reg.bars {
                tried += 1;
                let all: Vec<&str> = facts.iter().chain(bar_facts.iter()).copied().collect();
                let e = eval(&set, reg.pack, &with(&base, &all, &[]));
                if is_excuse(&e) || e.outcome == "undetermined" {
                    failures.push(format!(
                        "{} {art} + {bar}: {} {:?} (fired {:?})",
                        reg.pack, e.outcome, e.modality, e.fired
                    ));
                }
            }
        }
        counts.push(format!(
            "{}: {} excuses × {} bars = {tried}",
            reg.pack,
            reg.excuses.len(),
            reg.bars.len()
        ));
    }
    println!("excuse × bar pairs tried: {}", counts.join("; "));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 003 (the news report) names eight families of situations (§6(一)–(八)) a choice decides;
/// each, on a clean case, with each of §11's bars in turn: none survives.
#[test]
fn art_003_6_no_named_family_survives_section_11() {
    let set = common::set();
    let reg = REGULATIONS.iter().find(|r| r.pack == "003").unwrap();
    let families = [
        "exploratory_trial",
        "pilot_first",
        "development_fault",
        "strict_rule_compliance",
        "sentence_execution_case",
        "police_equipment_weapons",
        "emergency_response",
        "prisoner_medical_care",
    ];
    let mut tried = 0;
    for fam in families {
        let base = background(
            &set,
            "003",
            &[("situation_family", fam), ("domain", "law_enforcement")],
        );
        assert!(is_excuse(&eval(&set, "003", &base)), "{fam}");
        for (bar, facts) in reg.bars {
            tried += 1;
            let e = eval(&set, "003", &with(&base, facts, &[]));
            assert!(
                !is_excuse(&e) && e.outcome != "undetermined",
                "{fam} + {bar}: {}",
                e.outcome
            );
        }
    }
    println!("003 §6 families × §11 bars tried: {tried}");
}

/// (pack, specific article, its situation fact, its own conditions, the general articles'
/// conditions: each met in turn).
struct Specific {
    pack: &'static str,
    article: &'static str,
    situation: &'static str,
    conditions: &'static [&'static str],
    generals: Table,
}

const GENERAL_000: Table = &[
    (
        "§7(一)",
        &[
            "force_harm",
            "coercive_measure_lawful",
            "within_necessary_limit",
            "timely_rescue",
        ],
    ),
    ("§7(五)→2016§21(一)", &["law_changed"]),
    ("§7(五)→2016§21(二)", &["law_unclear"]),
    ("§7(五)→2016§21(三)", &["unforeseeable_or_irresistible"]),
    (
        "§7(五)→2016§21(四)",
        &["facts_disputed_reasonably_explained"],
    ),
    ("§7(五)→2016§21(五)", &["new_evidence_changed_conclusion"]),
    ("§7(五)→2016§21(六)", &["basis_document_revoked"]),
    ("§7(五)→2016§21(七)", &["subject_fault"]),
];

const GENERAL_001: Table = &[
    (
        "§18 依法履职造成损害",
        &["acted_under_legal_conditions", "caused_damage_to_rights"],
    ),
    ("§18 不得以舆论炒作等为由追责", &["improper_ground_only"]),
    ("§25(一)", &["law_changed"]),
    ("§25(二)", &["law_unclear"]),
    ("§25(三)", &["force_majeure"]),
    ("§25(四)", &["facts_disputed_explained"]),
    ("§25(五)", &["new_evidence"]),
    ("§25(六)", &["basis_document_revoked"]),
    ("§25(七)", &["counterpart_fault"]),
    ("§25(八)", &["beyond_professional_skill"]),
    ("§25(九)", &["complex_case_misclassification"]),
];

const SPECIFICS: &[Specific] = &[
    Specific {
        pack: "000",
        article: "§7(二) 使用武器、警械",
        situation: "weapon_harm",
        conditions: &["weapon_use_lawful", "reported_promptly", "timely_rescue"],
        generals: GENERAL_000,
    },
    Specific {
        pack: "000",
        article: "§7(三) 现场相对人自伤自残或者自身原因",
        situation: "subject_own_cause_on_scene",
        conditions: &["prevention_measures_taken", "timely_rescue"],
        generals: GENERAL_000,
    },
    Specific {
        pack: "000",
        article: "§7(四) 被看管、羁押人员伤亡",
        situation: "custody_casualty",
        conditions: &[
            "custody_own_cause",
            "custody_safety_compliant",
            "timely_rescue",
        ],
        generals: GENERAL_000,
    },
    Specific {
        pack: "001",
        article: "§21 现场自伤自残、自杀及意外",
        situation: "self_harm_on_scene",
        conditions: &["act_lawful", "precautions_reasonable", "timely_rescue"],
        generals: GENERAL_001,
    },
    Specific {
        pack: "001",
        article: "§22 制止阻碍执行职务",
        situation: "casualty_stopping_obstruction",
        conditions: &["act_lawful", "restraint_lawful_proper", "timely_rescue"],
        generals: GENERAL_001,
    },
    Specific {
        pack: "001",
        article: "§23 限制人身自由期间伤亡",
        situation: "casualty_in_custody",
        conditions: &[
            "detention_lawful",
            "facility_safe",
            "custody_supervision_lawful",
            "timely_rescue",
        ],
        generals: GENERAL_001,
    },
    Specific {
        pack: "001",
        article: "§24 使用武器、警械",
        situation: "casualty_from_weapons",
        conditions: &[
            "weapon_procedure_lawful",
            "weapon_use_justified",
            "timely_rescue",
            "truthful_report",
        ],
        generals: GENERAL_001,
    },
];

/// Each specific article's situation with each of its conditions failing in turn, and each
/// general article's conditions met: no general article excuses it.
#[test]
fn no_general_article_excuses_what_the_specific_one_refuses() {
    let set = common::set();
    let mut failures = Vec::new();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for sp in SPECIFICS {
        let base = background(&set, sp.pack, &[("person_category", "serving_officer")]);
        // All conditions met: the specific article itself exempts.
        let mut all: Vec<&str> = vec![sp.situation];
        all.extend(sp.conditions);
        let e = eval(&set, sp.pack, &with(&base, &all, &[]));
        assert_eq!(e.outcome, "exemption", "{} {}", sp.pack, sp.article);
        let mut tried = 0;
        for failing in sp.conditions {
            for (general, gfacts) in sp.generals {
                tried += 1;
                let mut on: Vec<&str> = vec![sp.situation];
                on.extend(sp.conditions.iter().filter(|c| *c != failing));
                on.extend(gfacts.iter().filter(|g| *g != failing));
                let e = eval(&set, sp.pack, &with(&base, &on, &[failing]));
                if is_excuse(&e) || e.outcome == "undetermined" {
                    failures.push(format!(
                        "{} {} without {failing}, with {general}: {} (fired {:?})",
                        sp.pack, sp.article, e.outcome, e.fired
                    ));
                }
            }
        }
        match counts.iter_mut().find(|(p, _)| p == sp.pack) {
            Some(c) => c.1 += tried,
            None => counts.push((sp.pack.to_string(), tried)),
        }
    }
    println!(
        "specific × failing condition × general tried: {}",
        counts
            .iter()
            .map(|(p, n)| format!("{p}: {n}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 004 §14 excuses a change of classification or handling caused by (因) its circumstances;
/// an error produced by falsification or coercion (§6(二)) or by corruption (§24(一)) was not
/// caused so, whatever else is true.
#[test]
fn art_004_s14_excuses_only_errors_its_circumstances_caused() {
    let set = common::set();
    let base = background(&set, "004", &[]);
    for item in [
        "law_unclear",
        "unforeseeable_or_irresistible",
        "executing_superior_order",
        "assisting_case_cooperation",
    ] {
        for cause in ["falsified_or_coerced_evidence", "corrupt_intentional"] {
            let e = eval(
                &set,
                "004",
                &with(&base, &["other_enforcement_fault", item, cause], &[]),
            );
            assert_ne!(e.outcome, "exemption", "{item} + {cause}: {:?}", e.fired);
            assert!(
                !e.fired.iter().any(|r| r.starts_with("r14_")),
                "{item} + {cause}: {:?}",
                e.fired
            );
        }
    }
}

fn bars_of(pack: &str) -> Vec<Vec<&'static str>> {
    REGULATIONS
        .iter()
        .find(|r| r.pack == pack)
        .map(|r| r.bars.iter().map(|(_, f)| f.to_vec()).collect())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Monotonicity of exclusion: on any complete case of any pack, adding an exclusion or
    /// aggravation never turns a non-excuse into an excuse — and never leaves an excuse.
    #[test]
    fn adding_an_exclusion_never_yields_an_excuse(pick in 0usize..6, bits in proptest::collection::vec(any::<u8>(), 96), bar in 0usize..8) {
        let set = common::set();
        let pack = REGULATIONS[pick % REGULATIONS.len()].pack;
        let prog = set.program(pack).unwrap();
        let facts: Vec<Option<Value>> = prog
            .facts
            .iter()
            .zip(bits.iter().cycle())
            .map(|(f, b)| Some(f.domain[*b as usize % f.domain.len()].clone()))
            .collect();
        let before = prog.point_key(&facts);
        let bars = bars_of(pack);
        prop_assume!(!bars.is_empty());
        let mut after_facts = facts.clone();
        for k in &bars[bar % bars.len()] {
            let i = prog.fact_index(k).unwrap();
            after_facts[i] = Some(Value::Bool(true));
        }
        let after = prog.point_key(&after_facts);
        let excuse = |k: &lvzhi_rules::Key| k.outcome.is_some_and(|o| o.is_excuse());
        if !excuse(&before) {
            prop_assert!(!excuse(&after), "{pack}: {before:?} became {after:?}");
        }
        prop_assert!(!excuse(&after), "{pack}: an excuse survives the bar: {after:?}");
    }
}
