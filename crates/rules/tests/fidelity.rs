//! `policy check`'s fidelity proofs (issue 15): the violations found in the packs as shipped
//! before the fix are kept as fixtures (tests/fixtures/item*.toml, old pack snippets copied
//! unchanged but for the declarations the old format could not make) and must stay errors; the
//! shipped packs must have none.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use lvzhi_rules::{Finding, Level, PackSet};

fn fixture(name: &str) -> (PackSet, Vec<Finding>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let file = format!("tests/fixtures/{name}");
    let set = match PackSet::load([(file.as_str(), text.as_str())]) {
        Ok(s) => s,
        Err(e) => panic!("{name} does not load: {e}"),
    };
    let f = set.check(None);
    (set, f)
}

fn errors<'a>(f: &'a [Finding], kind: &str) -> Vec<&'a Finding> {
    f.iter()
        .filter(|x| x.level == Level::Error && x.kind == kind)
        .collect()
}

#[test]
fn art_004_s14_s24_item1_exemption_over_aggravation_is_an_error_with_a_counterexample() {
    let (_, f) = fixture("item1_004_exemption_outranks_aggravation.toml");
    let e = errors(&f, "excused_despite_bar");
    // r24_1, r24_3 and r24_4 each fire with law_unclear and the result is still exemption.
    assert_eq!(e.len(), 3, "{f:?}");
    let r24_1 = e.iter().find(|x| x.message.contains("规则 r24_1")).unwrap();
    assert!(
        r24_1.message.contains("law_unclear = 是"),
        "{}",
        r24_1.message
    );
    assert!(
        r24_1.message.contains("corrupt_intentional = 是"),
        "{}",
        r24_1.message
    );
    assert!(r24_1.message.contains("应当免责"), "{}", r24_1.message);
    assert!(r24_1.message.contains("被 r14_1 排除"), "{}", r24_1.message);
}

#[test]
fn art_000_s7_2_item2_general_s7_1_bypassing_the_weapons_article_is_an_error() {
    let (_, f) = fixture("item2_000_general_bypasses_weapons.toml");
    let e = errors(&f, "general_bypasses_specific");
    assert_eq!(e.len(), 1, "{f:?}");
    let m = &e[0].message;
    assert!(m.contains("r7_2") && m.contains("r7_1"), "{m}");
    assert!(m.contains("weapon_harm = 是"), "{m}");
    assert!(m.contains("specializes"), "{m}");
}

#[test]
fn art_001_s24_item2_s18_bypassing_the_truthful_report_is_an_error() {
    let (_, f) = fixture("item2_001_s18_bypasses_s24.toml");
    let e = errors(&f, "general_bypasses_specific");
    assert_eq!(e.len(), 1, "{f:?}");
    assert!(e[0].message.contains("r18_1"), "{}", e[0].message);
    assert!(
        e[0].message.contains("casualty_from_weapons = 是"),
        "{}",
        e[0].message
    );
}

#[test]
fn art_000_s31_p2_item3_defiance_outside_its_paragraph_is_an_error() {
    let (_, f) = fixture("item3_000_defiance_outside_s31p2.toml");
    let e = errors(&f, "outside_situation");
    assert_eq!(e.len(), 1, "{f:?}");
    assert!(
        e[0].message.contains("previously_tolerated = 否"),
        "{}",
        e[0].message
    );
    assert!(e[0].message.contains("r31_defiance"), "{}", e[0].message);
}

/// Item 4 was a defect of the engine as much as of the pack: a `may` excuse defeating a `shall`
/// one dropped the mandatory result. The checker found it (`mandatory_lost`) before the engine
/// kept the floor; now the old snippet evaluates to both, and the checker proves it.
#[test]
fn art_002_s10_item4_may_exemption_keeps_the_shall_floor() {
    let (set, f) = fixture("item4_002_may_defeats_shall.toml");
    assert!(errors(&f, "mandatory_lost").is_empty(), "{f:?}");
    let facts: Vec<(String, lvzhi_rules::Value)> = [
        ("pilot_in_directives", true),
        ("prohibited_act", false),
        ("serious_consequences", false),
        ("actively_remedied", true),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), lvzhi_rules::Value::Bool(*v)))
    .collect();
    let e = set.run("old-002-s10", &facts).unwrap().evaluation;
    assert_eq!(e.outcome, "exemption");
    assert_eq!(e.modality, Some(lvzhi_rules::Modality::May));
    let floor = e.floor.expect("the ¶1 floor");
    assert_eq!(floor.outcome, lvzhi_rules::Outcome::Tolerance);
    assert_eq!(floor.modality, lvzhi_rules::Modality::Shall);
    assert_eq!(floor.rules, vec!["r10_1".to_string()]);
}

/// Item 6 likewise: the checker found people dropped from the allocation (`silent_drop`);
/// the allocation now is undetermined and asks, and the checker proves it.
#[test]
fn art_004_s7_item6_allocation_no_longer_drops_a_person() {
    let (_, f) = fixture("item6_004_allocation_drops_approver.toml");
    assert!(errors(&f, "silent_drop").is_empty(), "{f:?}");
}

#[test]
fn every_shipped_pack_passes_every_fidelity_proof() {
    let s = common::set();
    let bad: Vec<String> = s
        .check(None)
        .into_iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| format!("{} {}：{}", f.pack, f.kind, f.message))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
/// As data alone — every procedure and period counted as used — no shipped pack leaves an
/// article without a rule, a procedure or a period (what the processes leave unused is
/// `lvzhi policy coverage`'s to say: tests/coverage.rs, the processes' registry).
fn every_shipped_pack_passes_its_examples_and_has_no_coverage_gap() {
    let s = common::set();
    let failed: Vec<String> = s
        .run_examples(None)
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{} {}: {}", r.pack, r.id, r.failures.join("；")))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    for p in s.packs() {
        let gaps: Vec<_> = s
            .coverage(&p.meta.id, &lvzhi_rules::InUse::all_of(&s))
            .unwrap()
            .into_iter()
            .filter(|r| r.status == "gap")
            .map(|r| r.article)
            .collect();
        assert!(gaps.is_empty(), "{}: {gaps:?}", p.meta.id);
    }
}
