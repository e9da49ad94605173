//! The ids of the processes' enums are stored in recorded events and offered as form choices:
//! each is derived (strum) and must equal the variant's serde name; every `ALL` list is the
//! enum's own variant list (strum's `VariantArray`), so neither can drift from the enum.

use std::collections::BTreeSet;

use lvzhi_case::Sanction;
use serde::Serialize;
use strum::VariantArray;

use crate::{determination, incident, name_clearing, rectification, sanction_appeal};

fn serde_name(v: impl Serialize) -> String {
    let value = serde_json::to_value(v).unwrap();
    value.as_str().unwrap().to_string()
}

/// For each enum: every variant's id is its serde name, and it has a Chinese label.
macro_rules! check {
    ($($t:ty),* $(,)?) => {$({
        let variants = <$t as VariantArray>::VARIANTS;
        for v in variants {
            assert_eq!(v.id(), serde_name(v), "{}::{v:?}", stringify!($t));
            assert!(!v.zh().is_empty(), "{}::{v:?}", stringify!($t));
        }
    })*};
}

#[test]
fn every_id_is_the_serde_name_and_each_has_a_label() {
    check!(
        determination::Treatment,
        determination::Means,
        incident::IncidentType,
        incident::LeaderFailure,
        incident::VictimKind,
        incident::Ground,
        incident::Stage,
        name_clearing::Finding,
        name_clearing::Means,
        name_clearing::Stage,
        rectification::Stage,
    );
    // The lists whose positions are items of an article: 001 §8 has ten, §30 six (§29(五) and
    // 002 §18 name six findings).
    assert_eq!(incident::IncidentType::ALL.len(), 10);
    assert_eq!(incident::LeaderFailure::ALL.len(), 6);
    assert_eq!(name_clearing::Finding::ALL.len(), 6);
}

/// The determination's stages are not serialised: their ids name the stage tables' rows, one
/// each, and every stage but `new` has a row of its own.
#[test]
fn determination_stage_ids_are_distinct_and_each_has_its_label() {
    let stages = determination::Stage::VARIANTS;
    let ids: BTreeSet<&str> = stages.iter().map(|s| s.id()).collect();
    assert_eq!(ids.len(), stages.len());
    for s in stages {
        let unlabelled = s.zh() == "尚未启动";
        assert_eq!(unlabelled, *s == determination::Stage::New, "{s:?}");
    }
}

/// A contested measure is a sanction or 辞退: `Measure::ALL` lists each once, and its id is the
/// sanction's serde name (or `dismissal`).
#[test]
fn every_measure_is_listed_once_with_the_sanctions_serde_name() {
    use sanction_appeal::Measure;
    let mut expected: Vec<Measure> = Sanction::VARIANTS
        .iter()
        .map(|s| Measure::Sanction(*s))
        .collect();
    expected.push(Measure::Dismissal);
    assert_eq!(Measure::ALL.len(), expected.len());
    for m in expected {
        assert!(Measure::ALL.contains(&m), "{m:?}");
    }
    for s in Sanction::VARIANTS {
        assert_eq!(Measure::Sanction(*s).id(), serde_name(s));
    }
    assert_eq!(Measure::Dismissal.id(), "dismissal");
}
