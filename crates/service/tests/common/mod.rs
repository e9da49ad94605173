//! What the service's integration tests share: the databases each runs on.

use std::sync::atomic::{AtomicU32, Ordering};

use lvzhi_store::Store;

static SEQ: AtomicU32 = AtomicU32::new(0);

/// The databases a test runs on: SQLite (the file `name` in `dir`) and PostgreSQL unless
/// `LVZHI_TEST_PG=off` — a fresh schema each time, numbered from `base` so that the test files
/// of this crate never share one (a missing server prints why its half is skipped).
pub async fn database_urls(dir: &tempfile::TempDir, name: &str, base: u32) -> Vec<String> {
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
