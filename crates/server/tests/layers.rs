//! The server's layers (issue 14): the JSON API and the case layer never reach into the pages.
//! `api` renders what `cases` returns, as `ui` does; a page module that the API imported would
//! put page logic back on the API's path.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every line of the modules under `src/<dir>` that names the `ui` module.
fn uses_of_ui(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(!files.is_empty(), "no sources under {}", root.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("crate::ui")
                || code.contains("super::ui")
                || code.contains("super::super::ui")
            {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_api_imports_nothing_from_the_pages() {
    let found = uses_of_ui("api");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_case_layer_imports_nothing_from_the_pages() {
    let found = uses_of_ui("cases");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
