//! What the service's integration tests share: the databases each runs on.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use lvzhi_store::Store;

static SEQ: AtomicU32 = AtomicU32::new(0);

/// The databases a test runs on: SQLite (the file `name` in `dir`) and PostgreSQL unless
/// `LVZHI_TEST_PG=off` — a fresh schema each time, numbered from `base` so that the test files
/// of this crate never share one (a missing server prints why its half is skipped).
pub(crate) async fn database_urls(dir: &tempfile::TempDir, name: &str, base: u32) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.path().join(name).display())];
    let pg = std::env::var("LVZHI_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    if pg != "off" {
        let micros = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros())
            .unwrap_or_default();
        let url = format!(
            "{pg}?schema=t_{}_{}_{micros}",
            std::process::id(),
            base + SEQ.fetch_add(1, Ordering::SeqCst)
        );
        match Store::open(&url).await {
            Ok(_) => urls.push(url),
            Err(e) => eprintln!("PostgreSQL tests skipped: {e}"),
        }
    }
    urls
}

/// The shipped packs' files (`packs/*.toml`), as (name, text), in name order.
pub(crate) fn shipped_pack_files() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = format!("packs/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The shipped packs as procedures: the titles, bodies and articles the notices of every
/// process name and cite, as the server gives them to its service.
pub(crate) fn regulations() -> lvzhi_service::governance::Regulations {
    let files = shipped_pack_files();
    let set = lvzhi_rules::PackSet::load(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .unwrap_or_else(|e| panic!("the shipped packs do not load: {e}"));
    lvzhi_service::packs::regulations(&set)
}
