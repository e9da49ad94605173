//! Judgement under every rule that governs an officer (issue 20 item 3): a 阿拉善 police case
//! evaluated under 000, 001 and the two texts of 004 together, each shown; exclusions win
//! across packs; a local implementing rule within its superior's bounds (000 §1); 从旧兼从轻
//! between versions (004, 004-2016).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use lvzhi_calendar::parse_date;
use lvzhi_rules::{Answer, Ground, Judgement, Modality, Outcome, PackSet, Standing, Value};
use proptest::prelude::*;

fn answer(pack: &str, fact: &str, value: Value) -> Answer {
    Answer {
        pack: pack.to_string(),
        fact: fact.to_string(),
        value,
    }
}

fn yes_no(pack: &str, facts: &[(&str, bool)]) -> Vec<Answer> {
    facts
        .iter()
        .map(|(k, v)| answer(pack, k, Value::Bool(*v)))
        .collect()
}

/// What 阿拉善 police are bound to (the demo's bindings: 000, 001 and both texts of 004).
fn alashan() -> Vec<String> {
    ["000", "001", "004", "004-2016"].map(String::from).to_vec()
}

/// A serving officer on duty, none of 000 §9, §11, §31 ¶2's exclusions.
fn established() -> Vec<Answer> {
    let mut a = yes_no(
        "000",
        &[
            ("off_duty", false),
            ("intentional_violation", false),
            ("improper_gain", false),
            ("prohibited_act", false),
            ("other_exclusion", false),
            ("evidence_lost_recording_violation", false),
            ("concealed_or_refused_rectification", false),
        ],
    );
    a.push(answer(
        "000",
        "person_category",
        Value::Choice("serving_officer".into()),
    ));
    a
}

/// 000 §7(一): lawful coercive measure within the necessary limit, timely rescue.
fn coercive() -> Vec<Answer> {
    let mut a = established();
    a.extend(yes_no(
        "000",
        &[
            ("coercive_measure_lawful", true),
            ("within_necessary_limit", true),
            ("timely_rescue", true),
            ("weapon_harm", false),
            ("subject_own_cause_on_scene", false),
            ("custody_casualty", false),
        ],
    ));
    a
}

/// Answers every question still open with "no" (the first choice for a choice) until the
/// judgement is determined: the remaining grounds of every pack examined and not found.
fn settle(set: &PackSet, rules: &[String], mut a: Vec<Answer>) -> (Judgement, Vec<Answer>) {
    for _ in 0..20 {
        let j = set.judge(rules, &a, None, None).unwrap();
        if j.key.is_some() {
            return (j, a);
        }
        for q in &j.questions {
            let v = match q.question.choices.first() {
                Some(c) => Value::Choice(c.clone()),
                None => Value::Bool(false),
            };
            a.push(answer(&q.pack, &q.question.fact, v));
        }
    }
    panic!(
        "never settled: {:?}",
        set.judge(rules, &a, None, None).unwrap().reason
    );
}

/// As [`settle`], until every applied pack's own result is determined too.
fn settle_all(set: &PackSet, rules: &[String], a: Vec<Answer>) -> Judgement {
    let (mut j, mut a) = settle(set, rules, a);
    for _ in 0..20 {
        let open: Vec<(String, lvzhi_rules::Question)> = j
            .results
            .iter()
            .filter(|r| r.standing != Standing::NotApplied)
            .flat_map(|r| {
                r.evaluation
                    .questions
                    .iter()
                    .map(|q| (r.pack.clone(), q.clone()))
            })
            .collect();
        if open.is_empty() {
            return j;
        }
        for (p, q) in open {
            let v = match q.choices.first() {
                Some(c) => Value::Choice(c.clone()),
                None => Value::Bool(false),
            };
            a.push(answer(&p, &q.fact, v));
        }
        j = set.judge(rules, &a, None, None).unwrap();
    }
    panic!("never settled: {}", j.reason);
}

fn result<'a>(j: &'a Judgement, pack: &str) -> &'a lvzhi_rules::PackResult {
    j.results
        .iter()
        .find(|r| r.pack == pack)
        .unwrap_or_else(|| panic!("no result for {pack}"))
}

#[test]
fn art_000_7_1_exemption_under_000_001_004_2016_each_shown() {
    let set = common::set();
    let mut a = coercive();
    // 001 §18: acted under the legal conditions and harmed rights — its own exemption.
    a.extend(yes_no(
        "001",
        &[
            ("acted_under_legal_conditions", true),
            ("caused_damage_to_rights", true),
        ],
    ));
    // The judgement is settled before every pack's own result is: 004-2016's §20 discretion
    // (可以从轻) cannot outweigh 000's 应当免责, so it is not asked; its result says it is open.
    let (first, _) = settle(&set, &alashan(), a.clone());
    assert!(first.key.is_some());
    let open = result(&first, "004-2016");
    assert_eq!(open.evaluation.outcome, "undetermined");
    assert!(!open.evaluation.questions.is_empty());
    assert!(first
        .differences
        .iter()
        .any(|d| d.contains("（2016年修订）》尚不能确定")));
    let j = settle_all(&set, &alashan(), a);
    assert_eq!(first.key, j.key);
    // Each governing pack is shown, in the order bound, with its own result and citations.
    let shown: Vec<&str> = j.results.iter().map(|r| r.pack.as_str()).collect();
    assert_eq!(shown, ["000", "001", "004", "004-2016"]);
    let r000 = result(&j, "000");
    assert_eq!(r000.evaluation.outcome, "exemption");
    assert!(r000.evaluation.citations.iter().any(|c| c == "000 §7(一)"));
    let r001 = result(&j, "001");
    assert_eq!(r001.evaluation.outcome, "exemption");
    assert!(r001.evaluation.citations.iter().any(|c| c == "001 §18"));
    // 000's answer on rescue carried to 001's same question (same_as), not re-asked.
    assert!(r001.answered >= 3, "{}", r001.answered);
    let r16 = result(&j, "004-2016");
    assert_eq!(r16.evaluation.outcome, "none");
    assert_eq!(r16.standing, Standing::Applied);
    // The 1999 text is shown, not applied: no conduct date, the text in force now decides.
    let r99 = result(&j, "004");
    assert_eq!(r99.standing, Standing::NotApplied);
    assert!(
        r99.standing_zh.contains("行为发生日期未记录"),
        "{}",
        r99.standing_zh
    );
    // 000 prevails: the local implementing rule, within 001's bounds (000 §1).
    assert_eq!(j.prevailing.as_deref(), Some("000"));
    assert_eq!(j.ground, Some(Ground::Local));
    let k = j.key.unwrap();
    assert_eq!(k.outcome, Some(Outcome::Exemption));
    assert_eq!(k.modality, Some(Modality::Shall));
    assert!(j.reason.contains("本地实施规定"), "{}", j.reason);
    assert!(j.reason.contains("第七条第（一）项"), "{}", j.reason);
    assert!(
        j.reason
            .contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》"),
        "{}",
        j.reason
    );
    // Where they differ: 004-2016 gives no ground of its own.
    assert!(
        j.differences
            .iter()
            .any(|d| d.contains("《公安机关人民警察执法过错责任追究规定（2016年修订）》")),
        "{:?}",
        j.differences
    );
}

#[test]
fn a_fact_nobody_answered_stays_unknown_in_that_pack_and_its_result_says_so() {
    let set = common::set();
    let j = set.judge(&alashan(), &coercive(), None, None).unwrap();
    assert_eq!(result(&j, "000").evaluation.outcome, "exemption");
    // 001 and 004-2016 have questions 000's interview never asked.
    let r001 = result(&j, "001");
    assert_eq!(r001.evaluation.outcome, "undetermined");
    assert!(r001
        .evaluation
        .questions
        .iter()
        .any(|q| q.fact == "accusation_found_false"));
    assert!(j.key.is_none());
    assert!(j
        .questions
        .iter()
        .any(|q| q.pack == "004-2016" && q.question.fact == "corrupt_intentional"));
    assert!(j.reason.starts_with("尚不能确定"), "{}", j.reason);
    // Only what could change the judgement is asked: 001's 从重 (§19) and 正名 (§29(五))
    // grounds, not its excuses, none more lenient than 000 §7(一)'s 应当免责.
    let asked001: Vec<&str> = j
        .questions
        .iter()
        .filter(|q| q.pack == "001")
        .map(|q| q.question.fact.as_str())
        .collect();
    assert!(asked001.contains(&"accusation_found_false"), "{asked001:?}");
    assert!(asked001.contains(&"serious_dereliction"), "{asked001:?}");
    assert!(
        !asked001.contains(&"acted_under_legal_conditions"),
        "{asked001:?}"
    );
    assert!(!asked001.contains(&"law_changed"), "{asked001:?}");
    // 000's answer that the casualty was not in custody is 001 §23's question too: not asked.
    assert!(!r001
        .evaluation
        .questions
        .iter()
        .any(|q| q.fact == "casualty_in_custody"));
}

#[test]
fn same_as_carries_answers_and_a_shared_id_alone_does_not() {
    let set = common::set();
    let a = vec![
        answer("000", "timely_rescue", Value::Bool(true)),
        answer("000", "mitigation_taken", Value::Bool(false)),
        answer("000", "person_category", Value::Choice("auxiliary".into())),
        // Inlined from 004-2016 by 000 §7(五): its origin's equivalences hold.
        answer("000", "law_changed", Value::Bool(true)),
    ];
    let to001 = set.translate(&a, "001");
    assert!(to001.contains(&("timely_rescue".into(), Value::Bool(true))));
    assert!(to001.contains(&("mitigation_measures".into(), Value::Bool(false))));
    assert!(to001.contains(&("law_changed".into(), Value::Bool(true))));
    // 001's person_category is another question (who was infringed, 001 §33).
    assert!(!to001.iter().any(|(k, _)| k == "person_category"));
    let to2016 = set.translate(&a, "004-2016");
    assert_eq!(to2016, vec![("law_changed".to_string(), Value::Bool(true))]);
    // Versions of one regulation share their ids: 1999 §14(一) is 2016 §21(二).
    let b = vec![answer("004-2016", "law_unclear", Value::Bool(true))];
    assert!(set
        .translate(&b, "004")
        .contains(&("law_unclear".into(), Value::Bool(true))));
    assert_eq!(
        set.same_fact_in("004-2016", "subject_fault", "001")
            .as_deref(),
        Some("counterpart_fault")
    );
}

#[test]
fn art_004_2016_19_aggravation_prevails_over_000_7_1_exemption() {
    let set = common::set();
    let mut a = coercive();
    a.extend(yes_no("004-2016", &[("forged_evidence", true)]));
    let (j, _) = settle(&set, &alashan(), a);
    assert_eq!(result(&j, "000").evaluation.outcome, "exemption");
    assert_eq!(result(&j, "004-2016").evaluation.outcome, "aggravation");
    assert_eq!(j.ground, Some(Ground::Bar));
    assert_eq!(j.prevailing.as_deref(), Some("004-2016"));
    assert_eq!(j.key.unwrap().outcome, Some(Outcome::Aggravation));
    assert!(j.reason.contains("第十九条第（六）项"), "{}", j.reason);
    assert!(
        j.reason.contains("优先于其他规定的免责、容错结论"),
        "{}",
        j.reason
    );
}

#[test]
fn art_000_9_exclusion_prevails_over_001_25_exemption() {
    let set = common::set();
    let mut a: Vec<Answer> = coercive()
        .into_iter()
        .filter(|x| x.fact != "improper_gain")
        .collect();
    a.push(answer("000", "improper_gain", Value::Bool(true)));
    // 001 §25(八): beyond professional skill — an exemption 000 does not have.
    a.extend(yes_no("001", &[("beyond_professional_skill", true)]));
    // Nothing else can matter once 000 §9 bars the excuse: settled at once.
    let (first, _) = settle(&set, &alashan(), a.clone());
    assert_eq!(first.ground, Some(Ground::Bar));
    let j = settle_all(&set, &alashan(), a);
    assert_eq!(result(&j, "000").evaluation.outcome, "exclusion");
    assert_eq!(result(&j, "001").evaluation.outcome, "exemption");
    assert_eq!(j.ground, Some(Ground::Bar));
    assert_eq!(j.prevailing.as_deref(), Some("000"));
    assert_eq!(j.key.unwrap().outcome, Some(Outcome::Exclusion));
}

#[test]
fn art_001_25_shall_exemption_is_a_floor_000_may_not_go_below() {
    let set = common::set();
    // Nothing in 000 §7–8 applies; 001 §25(八) says 应当免责.
    let mut a = established();
    a.extend(yes_no(
        "000",
        &[
            ("coercive_measure_lawful", false),
            ("weapon_use_lawful", false),
            ("subject_own_cause_on_scene", false),
            ("custody_own_cause", false),
        ],
    ));
    a.extend(yes_no("001", &[("beyond_professional_skill", true)]));
    let (j, _) = settle(&set, &alashan(), a);
    assert_eq!(result(&j, "000").evaluation.outcome, "none");
    assert_eq!(result(&j, "001").evaluation.outcome, "exemption");
    assert_eq!(j.prevailing.as_deref(), Some("001"));
    assert_eq!(j.ground, Some(Ground::SuperiorFloor));
    assert!(j.reason.contains("第二十五条"), "{}", j.reason);
    assert!(j.reason.contains("不得低于上位规定"), "{}", j.reason);
}

#[test]
fn art_001_20_may_tolerance_is_left_to_the_local_rule() {
    let set = common::set();
    let mut a = established();
    a.extend(yes_no(
        "000",
        &[
            ("coercive_measure_lawful", false),
            ("weapon_use_lawful", false),
            ("subject_own_cause_on_scene", false),
            ("custody_own_cause", false),
        ],
    ));
    // 001 §19: a flaw not directly causing the harm — 可以从轻、减轻或者免除, discretionary,
    // not a bound on 000 (which has no such ground).
    a.extend(yes_no(
        "001",
        &[("enforcement_flaw", true), ("flaw_direct_causation", false)],
    ));
    let rules: Vec<String> = ["000", "001"].map(String::from).to_vec();
    let (j, _) = settle(&set, &rules, a);
    assert_eq!(result(&j, "001").evaluation.outcome, "tolerance");
    assert_eq!(result(&j, "000").evaluation.outcome, "none");
    assert_eq!(j.prevailing.as_deref(), Some("000"));
    assert_eq!(j.ground, Some(Ground::Local));
    assert!(
        j.differences.iter().any(|d| d.contains("“可以”")),
        "{:?}",
        j.differences
    );
}

#[test]
fn art_004_14_3_cong_jiu_jian_cong_qing_between_004_and_004_2016() {
    let set = common::set();
    let rules: Vec<String> = ["004", "004-2016"].map(String::from).to_vec();
    let d = |s: &str| parse_date(s).unwrap();
    // Carrying out a superior's order: not pursued under 1999 §14(三), no such ground in 2016.
    let mut a = yes_no("004", &[("executing_superior_order", true)]);
    let mut j = set
        .judge(&rules, &a, Some(d("2015-06-01")), Some(d("2023-03-01")))
        .unwrap();
    for _ in 0..10 {
        if j.key.is_some() {
            break;
        }
        for q in j.questions.clone() {
            a.push(answer(&q.pack, &q.question.fact, Value::Bool(false)));
        }
        j = set
            .judge(&rules, &a, Some(d("2015-06-01")), Some(d("2023-03-01")))
            .unwrap();
    }
    assert_eq!(
        j.key.map(|k| k.outcome),
        Some(Some(Outcome::Exemption)),
        "{} {:?}",
        j.reason,
        j.questions
            .iter()
            .map(|q| &q.question.fact)
            .collect::<Vec<_>>()
    );
    assert_eq!(j.prevailing.as_deref(), Some("004"));
    assert_eq!(result(&j, "004").standing, Standing::Applied);
    assert_eq!(result(&j, "004-2016").standing, Standing::Compared);
    assert!(result(&j, "004-2016").standing_zh.contains("从旧兼从轻"));
    assert!(j
        .evaluation
        .as_ref()
        .unwrap()
        .notes
        .iter()
        .any(|n| n.starts_with("从旧兼从轻")));
    // The same conduct in 2017: only the 2016 text was ever in force; no such ground.
    let later = set
        .judge(&rules, &a, Some(d("2017-06-01")), Some(d("2023-03-01")))
        .unwrap();
    assert_eq!(result(&later, "004").standing, Standing::NotApplied);
    assert_eq!(later.prevailing.as_deref(), Some("004-2016"));
    assert_ne!(later.key.unwrap().outcome, Some(Outcome::Exemption));
}

#[test]
fn art_004_2016_21_1_law_changed_applies_the_2016_text_under_cong_jiu_jian_cong_qing() {
    let set = common::set();
    let rules: Vec<String> = ["004", "004-2016"].map(String::from).to_vec();
    let d = |s: &str| parse_date(s).unwrap();
    // §19's bars examined and not found (the ids are shared by both texts).
    let a = yes_no(
        "004-2016",
        &[
            ("law_changed", true),
            ("corrupt_intentional", false),
            ("obstructed_investigation", false),
            ("retaliated_against_complainant", false),
            ("repeated_errors", false),
            ("egregious_serious_consequence", false),
            ("forged_evidence", false),
            ("tipped_off", false),
        ],
    );
    let j = set
        .judge(&rules, &a, Some(d("2015-06-01")), Some(d("2023-03-01")))
        .unwrap();
    assert_eq!(result(&j, "004-2016").evaluation.outcome, "exemption");
    assert_eq!(j.prevailing.as_deref(), Some("004-2016"), "{}", j.reason);
    assert_eq!(result(&j, "004").standing, Standing::Compared);
}

#[test]
fn without_governance_one_pack_is_judged_alone() {
    let set = common::set();
    let j = set
        .judge(&["000".to_string()], &coercive(), None, None)
        .unwrap();
    assert_eq!(j.results.len(), 1);
    assert_eq!(j.ground, Some(Ground::Only));
    assert_eq!(j.key.unwrap().outcome, Some(Outcome::Exemption));
    let alone = set
        .evaluate("000", &set.translate(&coercive(), "000"), None, None)
        .unwrap();
    assert_eq!(j.key, alone.evaluation.key);
}

#[test]
fn an_unknown_governing_pack_is_refused_in_chinese() {
    let set = common::set();
    let e = set
        .judge(&["009".to_string()], &[], None, None)
        .unwrap_err();
    assert!(e.to_string().contains("009"), "{e}");
}

// ---- exclusions provably win ----

/// The case facts of 000, 001 and 004-2016 that decide excuses and bars.
const FACTS: &[(&str, &str)] = &[
    ("000", "intentional_violation"),
    ("000", "improper_gain"),
    ("000", "coercive_measure_lawful"),
    ("000", "within_necessary_limit"),
    ("000", "timely_rescue"),
    ("000", "weapon_harm"),
    ("000", "law_changed"),
    ("000", "emergency_misjudgment"),
    ("000", "previously_tolerated"),
    ("000", "concealed_or_refused_rectification"),
    ("001", "acted_under_legal_conditions"),
    ("001", "caused_damage_to_rights"),
    ("001", "harmful_consequence"),
    ("001", "serious_dereliction"),
    ("001", "accusation_found_false"),
    ("001", "beyond_professional_skill"),
    ("001", "minor_negligence"),
    ("004-2016", "corrupt_intentional"),
    ("004-2016", "forged_evidence"),
    ("004-2016", "subject_fault"),
    ("004-2016", "admitted_and_corrected"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// 000 §9, 001 §19, 004-2016 §19: a 不予容错 or 从重 result under any governing pack is
    /// never outweighed by an excuse under another — the judgement is never an excuse then,
    /// and once determined it is that bar.
    #[test]
    fn exclusion_in_any_governing_pack_wins(picks in proptest::collection::vec(proptest::option::of(any::<bool>()), FACTS.len())) {
        let set = common::set();
        let mut a = coercive();
        a.retain(|x| !FACTS.iter().any(|(_, f)| *f == x.fact));
        for ((p, f), v) in FACTS.iter().zip(&picks) {
            if let Some(v) = v {
                a.push(answer(p, f, Value::Bool(*v)));
            }
        }
        let j = set.judge(&alashan(), &a, None, None).unwrap();
        let barred = j.results.iter().filter(|r| r.standing != Standing::NotApplied).any(|r| {
            r.evaluation.key.is_some_and(|k| k.outcome.is_some_and(Outcome::is_bar))
        });
        if barred {
            prop_assert!(!j.key.is_some_and(|k| k.outcome.is_some_and(Outcome::is_excuse)), "{}", j.reason);
            if let Some(k) = j.key {
                prop_assert!(k.outcome.is_some_and(Outcome::is_bar));
                prop_assert_eq!(j.ground, Some(Ground::Bar));
            }
        }
        // And an excuse is given only when no governing pack could still bar it.
        if j.key.is_some_and(|k| k.outcome.is_some_and(Outcome::is_excuse)) {
            for r in j.results.iter().filter(|r| r.standing == Standing::Applied) {
                prop_assert!(!r.evaluation.possible().iter().any(|k| k.outcome.is_some_and(Outcome::is_bar)), "{} {}", r.pack, j.reason);
            }
        }
    }
}
