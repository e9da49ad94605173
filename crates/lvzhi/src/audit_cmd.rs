//! `lvzhi audit …`: check the tamper-evident trail (DESIGN §5) and print its head for anchoring.

use std::path::Path;

use clap::Subcommand;
use lvzhi_store::Store;

use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 重新计算整条 SM3 哈希链，指出第一个被篡改、删除或调换顺序的事件 / Verify the hash chain
    Verify {
        /// 数据库地址，默认为数据目录中的 lvzhi.db / Database URL (default: DATA_DIR/lvzhi.db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 输出当前链头哈希，供外部留存比对 / Print the current chain head
    Head {
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
}

/// The database every command uses unless told otherwise: the same SQLite file `serve` uses.
pub fn default_db(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("lvzhi.db").display())
}

/// Creates the directory a SQLite database file lives in (the data directory for the default
/// database), and nothing else: `--db` naming another database, or PostgreSQL, must not leave
/// an empty `./lvzhi-data` behind (issue 19 item 7).
pub fn ensure_sqlite_dir(url: &str) -> Result<(), AppError> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path.starts_with(':') {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => std::fs::create_dir_all(dir)
            .map_err(|source| AppError::Write {
                path: dir.to_path_buf(),
                source,
            }),
        _ => Ok(()),
    }
}

async fn open(data_dir: &Path, db: Option<String>) -> Result<Store, AppError> {
    let url = db.unwrap_or_else(|| default_db(data_dir));
    ensure_sqlite_dir(&url)?;
    Ok(Store::open(&url).await?)
}

pub fn run(data_dir: &Path, cmd: AuditCommand) -> Result<(), AppError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Output(format!("无法启动运行时：{e}")))?;
    rt.block_on(async {
        match cmd {
            AuditCommand::Verify { db, json } => {
                let store = open(data_dir, db).await?;
                let report = store.verify().await?;
                store.close().await;
                if json {
                    crate::print_json(&report)?;
                } else if report.problem.is_none() {
                    println!(
                        "审计链完整：共 {} 个事件，链头为第 {} 号事件，哈希 {}",
                        report.events, report.head.seq, report.head.hash
                    );
                }
                match report.problem {
                    None => Ok(()),
                    Some(p) => Err(AppError::ChainBroken(format!(
                        "{p}（此前 {} 个事件校验无误）",
                        report.events
                    ))),
                }
            }
            AuditCommand::Head { db, json } => {
                let store = open(data_dir, db).await?;
                let head = store.head().await?;
                store.close().await;
                if json {
                    crate::print_json(&head)
                } else {
                    println!("{} {}", head.seq, head.hash);
                    Ok(())
                }
            }
        }
    })
}
