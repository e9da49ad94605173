//! The shipped packs load, their examples pass, and coverage has no gaps.

mod common;

#[test]
fn core_packs_load_and_examples_pass() {
    let s = common::core_set();
    let results = s.run_examples(None);
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{} {}: {}", r.pack, r.id, r.failures.join("；")))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(results.len() > 60);
}

/// Every pack in `packs/` (including those written for 001–003) loads together.
#[test]
fn every_pack_in_the_directory_loads() {
    let s = common::set();
    assert!(s.packs().count() >= 3);
}
