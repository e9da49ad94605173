//! What the whole-system tests share: the real server built as `lvzhi serve --demo` builds it —
//! a temporary SQLite database, the embedded calendar, the repository's policy packs, a fixed
//! clock, the demo seed — and served over TCP on a loopback port.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::{demo, router, App, Clock, DataFiles, ServeConfig};

/// The day the demo and the tests run on: a Tuesday, so every step falls on a working day.
pub const TODAY: (i32, u32, u32) = (2026, 11, 24);

pub fn today() -> NaiveDate {
    let (y, m, d) = TODAY;
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The server stores no files in these tests: uploads are refused.
pub struct NoFiles;

impl DataFiles for NoFiles {
    fn import_calendar(&self, _: &str, _: &str) -> Result<(Calendar, String), String> {
        Err("测试环境不保存日历文件".to_string())
    }
    fn import_pack(&self, _: &str, _: &str) -> Result<PackSet, String> {
        Err("测试环境不保存政策包".to_string())
    }
}

/// The shipped packs, read from the repository's `packs/` directory.
pub fn packs() -> PackSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("packs directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("pack text");
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, text)
        })
        .collect();
    files.sort();
    PackSet::load(files.iter().map(|(f, t)| (f.as_str(), t.as_str()))).expect("packs load")
}

/// The application on a fresh database in `dir`, seeded with the demo data.
pub async fn demo_app(dir: &Path) -> App {
    let app = App::open(ServeConfig {
        addr: "127.0.0.1:0".to_string(),
        db_url: format!("sqlite://{}", dir.join("lvzhi.db").display()),
        data_dir: dir.to_path_buf(),
        demo: true,
        clock: Clock::fixed(today()),
        calendar: Calendar::embedded(),
        packs: packs(),
        files: Arc::new(NoFiles),
        secure_cookies: false,
        remind_within_wd: 3,
        evidence_url: None,
    })
    .await
    .expect("the server opens its database");
    demo::seed(&app).await.expect("the demo seeds");
    app
}

/// Serves the application on a free loopback port until the test's runtime ends.
pub async fn serve(app: App) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router(app)).await;
    });
    addr
}
