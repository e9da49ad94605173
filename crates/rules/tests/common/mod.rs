//! Loads the shipped packs for the integration tests.

#![allow(dead_code)]

use lvzhi_rules::{PackSet, Value};

pub(crate) fn packs_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs")
}

/// Every pack in `packs/`, named as the CLI names them.
pub(crate) fn files() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(packs_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                format!("packs/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub(crate) fn set() -> PackSet {
    let f = files();
    match PackSet::load(f.iter().map(|(a, b)| (a.as_str(), b.as_str()))) {
        Ok(s) => s,
        Err(e) => panic!("packs do not load:\n{e}"),
    }
}

/// Only the packs this crate's author ships (000, 004, 004-2016), for tests that must not
/// depend on packs being written elsewhere.
pub(crate) fn core_set() -> PackSet {
    let f: Vec<(String, String)> = files()
        .into_iter()
        .filter(|(n, _)| n.ends_with("/000.toml") || n.contains("/004"))
        .collect();
    match PackSet::load(f.iter().map(|(a, b)| (a.as_str(), b.as_str()))) {
        Ok(s) => s,
        Err(e) => panic!("packs do not load:\n{e}"),
    }
}

pub(crate) fn b(k: &str, v: bool) -> (String, Value) {
    (k.to_string(), Value::Bool(v))
}
