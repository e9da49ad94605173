//! Evaluation speed (issue 3): a full 000 evaluation with explanation and questions, against
//! the same §7(一) decision hand-written in plain Rust as the floor.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use lvzhi_rules::{PackSet, Value};

fn load() -> PackSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
    let files: Vec<(String, String)> = ["000.toml", "004.toml", "004-2016.toml"]
        .iter()
        .map(|n| {
            (
                format!("packs/{n}"),
                std::fs::read_to_string(dir.join(n)).expect("pack readable"),
            )
        })
        .collect();
    PackSet::load(files.iter().map(|(a, b)| (a.as_str(), b.as_str()))).expect("packs load")
}

/// 000 §7(一) with §9, §11, §31 and §38 checked, written by hand: the floor.
#[derive(Clone, Copy)]
struct Case {
    in_scope: bool,
    intentional: bool,
    improper_gain: bool,
    prohibited: bool,
    other_exclusion: bool,
    evidence_lost: bool,
    defiance: bool,
    coercive_lawful: bool,
    within_limit: bool,
    timely_rescue: bool,
}

fn hand_written(c: &Case) -> (&'static str, &'static str, Vec<&'static str>) {
    if !c.in_scope {
        return ("none", "shall", vec!["000 §38"]);
    }
    if c.defiance {
        return ("aggravation", "shall", vec!["000 §31¶2"]);
    }
    if c.intentional || c.improper_gain || c.prohibited || c.other_exclusion {
        return ("exclusion", "shall", vec!["000 §9"]);
    }
    if c.evidence_lost {
        return ("none", "shall", vec!["000 §11"]);
    }
    if c.coercive_lawful && c.within_limit && c.timely_rescue {
        return ("exemption", "shall", vec!["000 §7(一)"]);
    }
    ("none", "", vec![])
}

fn bench(c: &mut Criterion) {
    let set = load();
    let prog = set.program("000").expect("000 loaded");
    let mut facts: Vec<Option<Value>> = vec![None; prog.facts.len()];
    let mut put = |k: &str, v: Value| {
        if let Some(i) = prog.fact_index(k) {
            facts[i] = Some(v);
        }
    };
    put("person_category", Value::Choice("serving_officer".into()));
    for k in [
        "off_duty",
        "intentional_violation",
        "improper_gain",
        "prohibited_act",
        "other_exclusion",
        "evidence_lost_recording_violation",
        "concealed_or_refused_rectification",
        // The specific situations of 000 §7(二)–(四) ruled out (lex specialis, issue 15).
        "weapon_harm",
        "subject_own_cause_on_scene",
        "custody_casualty",
    ] {
        put(k, Value::Bool(false));
    }
    // force_harm too: the hand-written floor's `coercive_lawful` presupposes force (000's
    // assertion lawful_force_presupposes_force). Without it the full evaluation infers it, but
    // the decision alone (no inference) measured a case where §7(一) does not fire.
    for k in [
        "force_harm",
        "coercive_measure_lawful",
        "within_necessary_limit",
        "timely_rescue",
    ] {
        put(k, Value::Bool(true));
    }
    let known = facts.clone();
    let partial: Vec<Option<Value>> = known
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if prog.facts[i].id.contains("exclusion") || prog.facts[i].id == "off_duty" {
                None
            } else {
                v.clone()
            }
        })
        .collect();
    let empty: Vec<Option<Value>> = vec![None; prog.facts.len()];
    assert_eq!(prog.evaluate(&known).outcome, "exemption");
    assert_eq!(prog.point_key(&known).outcome_id(), "exemption");

    let mut g = c.benchmark_group("000");
    g.bench_function("pack_full_evaluation_known_case", |b| {
        b.iter(|| black_box(prog.evaluate(black_box(&known))))
    });
    g.bench_function("pack_decision_only_known_case", |b| {
        b.iter(|| black_box(prog.point_key(black_box(&known))))
    });
    g.bench_function("pack_full_evaluation_two_unknowns", |b| {
        b.iter(|| black_box(prog.evaluate(black_box(&partial))))
    });
    g.bench_function("pack_full_evaluation_nothing_known", |b| {
        b.iter(|| black_box(prog.evaluate(black_box(&empty))))
    });
    let case = Case {
        in_scope: true,
        intentional: false,
        improper_gain: false,
        prohibited: false,
        other_exclusion: false,
        evidence_lost: false,
        defiance: false,
        coercive_lawful: true,
        within_limit: true,
        timely_rescue: true,
    };
    g.bench_function("hand_written_s7_1_floor", |b| {
        b.iter(|| black_box(hand_written(black_box(&case))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
