//! Invariants of the evaluator over random partial cases of pack 000 (with 004-2016 facts
//! pulled in by 000 §7(五) and §8¶2).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use lvzhi_rules::{Program, Value};
use proptest::prelude::*;

fn program() -> (lvzhi_rules::PackSet, usize) {
    let s = common::core_set();
    let n = s.program("000").unwrap().facts.len();
    (s, n)
}

fn assign(p: &Program, picks: &[Option<u8>]) -> Vec<Option<Value>> {
    p.facts
        .iter()
        .zip(picks)
        .map(|(f, pick)| pick.map(|k| f.domain[k as usize % f.domain.len()].clone()))
        .collect()
}

fn violates(e: &lvzhi_rules::Evaluation) -> bool {
    e.notes.iter().any(|n| n.contains("违反断言"))
}

fn picks(n: usize) -> impl Strategy<Value = Vec<Option<u8>>> {
    proptest::collection::vec(proptest::option::weighted(0.5, any::<u8>()), n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_global_rejects: 1 << 20, ..ProptestConfig::default() })]

    /// Questions are empty exactly when the outcome is determined.
    #[test]
    fn no_questions_iff_determined(p in picks(64)) {
        let (s, n) = program();
        let prog = s.program("000").unwrap();
        let e = prog.evaluate(&assign(prog, &p[..n.min(p.len())]));
        prop_assert_eq!(e.questions.is_empty(), e.outcome != "undetermined", "{:?}", e.questions);
    }

    /// Learning more never unsettles a settled case, nor changes its outcome.
    #[test]
    fn adding_known_facts_keeps_a_determined_outcome(p in picks(64), extra in picks(64)) {
        let (s, n) = program();
        let prog = s.program("000").unwrap();
        let base = assign(prog, &p[..n]);
        let e = prog.evaluate(&base);
        prop_assume!(e.outcome != "undetermined" && !violates(&e));
        let mut more = base.clone();
        for (i, x) in assign(prog, &extra[..n]).into_iter().enumerate() {
            if more[i].is_none() {
                more[i] = x;
            }
        }
        let e2 = prog.evaluate(&more);
        prop_assume!(!violates(&e2));
        prop_assert_eq!(&e2.outcome, &e.outcome);
        // For `none` the modality only reports which rule (if any) said so
        // (docs/policy-packs.md): learning that a rule applies may add it.
        if e.outcome != "none" {
            prop_assert_eq!(e2.modality, e.modality);
        }
        prop_assert_eq!(&e2.leniency, &e.leniency);
    }

    /// Answering every question asked, with any values, settles the case.
    #[test]
    fn answering_all_questions_settles_the_case(p in picks(64), answers in picks(64)) {
        let (s, n) = program();
        let prog = s.program("000").unwrap();
        let mut facts = assign(prog, &p[..n]);
        let e = prog.evaluate(&facts);
        prop_assume!(!violates(&e));
        for q in &e.questions {
            let i = prog.fact_index(&q.fact).unwrap();
            let f = &prog.facts[i];
            let k = answers[i].unwrap_or(1) as usize % f.domain.len();
            facts[i] = Some(f.domain[k].clone());
        }
        let e2 = prog.evaluate(&facts);
        prop_assume!(!violates(&e2));
        prop_assert!(e2.outcome != "undetermined", "still asks {:?}", e2.questions);
        // And the answer is one the first evaluation said was possible.
        prop_assert!(e.possible().iter().any(|k| k.outcome_id() == e2.outcome));
    }

    /// Every question is honest: with the other unknowns completed somehow, changing its
    /// answer alone changes the decision (checked by brute force over the questions).
    #[test]
    fn every_question_can_change_the_outcome(p in picks(64)) {
        let (s, n) = program();
        let prog = s.program("000").unwrap();
        let facts = assign(prog, &p[..n]);
        let e = prog.evaluate(&facts);
        prop_assume!(!violates(&e));
        let qs: Vec<usize> = e.questions.iter().map(|q| prog.fact_index(&q.fact).unwrap()).collect();
        let size: usize = qs.iter().map(|i| prog.facts[*i].domain.len()).product();
        prop_assume!(size <= 1 << 12);
        // Facts that are neither known nor asked cannot matter: complete them with any value
        // the assertions allow once the questions are answered (a value they force — e.g.
        // 000's weapon_harm once weapon_use_lawful = 是 — first, then greedily).
        let complete = |mut f: Vec<Option<Value>>| -> Vec<Option<Value>> {
            f = prog.implied(&f).0;
            for i in 0..f.len() {
                if f[i].is_none() && !qs.contains(&i) {
                    for v in &prog.facts[i].domain {
                        f[i] = Some(v.clone());
                        if !violates(&prog.evaluate(&f)) {
                            break;
                        }
                    }
                }
            }
            f
        };
        let mut keys = std::collections::HashMap::new();
        for code in 0..size {
            let mut c = code;
            let mut f = facts.clone();
            let mut digits = Vec::new();
            for i in &qs {
                let d = prog.facts[*i].domain.len();
                f[*i] = Some(prog.facts[*i].domain[c % d].clone());
                digits.push(c % d);
                c /= d;
            }
            let f = complete(f);
            if !violates(&prog.evaluate(&f)) {
                keys.insert(digits, prog.point_key(&f));
            }
        }
        for (qi, q) in e.questions.iter().enumerate() {
            let decisive = keys.iter().any(|(d, k)| {
                keys.iter().any(|(d2, k2)| {
                    k != k2 && d.iter().zip(d2).enumerate().all(|(j, (a, b))| j == qi || a == b)
                })
            });
            prop_assert!(decisive, "question {} changes nothing", q.fact);
        }
    }
}
