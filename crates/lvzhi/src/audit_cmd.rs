//! `lvzhi audit …`: check the tamper-evident trail (DESIGN §5) and print its head for anchoring.

use std::path::Path;

use clap::Subcommand;
use lvzhi_service::audit::EvidenceAudit;
use lvzhi_store::{EvidenceStore, Store};

use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 重新计算整条 SM3 哈希链，指出第一个被篡改、删除或调换顺序的事件 / Verify the hash chain
    Verify {
        /// 数据库地址，默认为数据目录中的 lvzhi.db / Database URL (default: DATA_DIR/lvzhi.db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 证据存储位置；给出时（或数据目录中有 evidence 目录时）一并核对证据存储 / Also audit this evidence store (default: DATA_DIR/evidence when present)
        #[arg(long, value_name = "URL")]
        evidence: Option<String>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 核对证据存储与记录：登记的证据文件是否在库、是否由登记人上传至本案，定稿文书是否存档，以及无记录的孤立文件 / Audit the evidence store against the record
    Evidence {
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 证据存储位置，默认为数据目录中的 evidence / Evidence store (default: DATA_DIR/evidence)
        #[arg(long, value_name = "URL")]
        evidence: Option<String>,
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
pub(crate) fn default_db(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("lvzhi.db").display())
}

/// Creates the directory a SQLite database file lives in (the data directory for the default
/// database), and nothing else: `--db` naming another database, or PostgreSQL, must not leave
/// an empty `./lvzhi-data` behind (issue 19 item 7).
pub(crate) fn ensure_sqlite_dir(url: &str) -> Result<(), AppError> {
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

pub(crate) fn run(data_dir: &Path, cmd: AuditCommand) -> Result<(), AppError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Output(format!("无法启动运行时：{e}")))?;
    rt.block_on(async {
        match cmd {
            AuditCommand::Verify { db, evidence, json } => {
                let store = open(data_dir, db).await?;
                let report = store.verify().await?;
                // The evidence store too, when there is one to look at (issue 19): records made
                // before upload receipts existed are found there.
                let archive = evidence_store(data_dir, evidence.as_deref(), false)?;
                let audit = match (&archive, &report.problem) {
                    (Some(a), None) => Some(audit_evidence(&store, a).await?),
                    _ => None,
                };
                store.close().await;
                if json {
                    // The chain's report as before, with the evidence audit beside it.
                    let mut v = serde_json::to_value(&report)
                        .map_err(|e| AppError::Output(e.to_string()))?;
                    if let (Some(obj), Some(a)) = (v.as_object_mut(), &audit) {
                        obj.insert(
                            "evidence".to_string(),
                            serde_json::to_value(a).map_err(|e| AppError::Output(e.to_string()))?,
                        );
                    }
                    crate::print_json(&v)?;
                } else if report.problem.is_none() {
                    println!(
                        "审计链完整：共 {} 个事件，链头为第 {} 号事件，哈希 {}",
                        report.events, report.head.seq, report.head.hash
                    );
                    if let Some(a) = &audit {
                        print_evidence(a);
                    }
                }
                if let Some(p) = report.problem {
                    return Err(AppError::ChainBroken(format!(
                        "{p}（此前 {} 个事件校验无误）",
                        report.events
                    )));
                }
                match audit {
                    Some(a) if a.has_findings() => Err(evidence_findings(&a)),
                    _ => Ok(()),
                }
            }
            AuditCommand::Evidence { db, evidence, json } => {
                let store = open(data_dir, db).await?;
                let Some(archive) = evidence_store(data_dir, evidence.as_deref(), true)? else {
                    return Ok(());
                };
                let audit = audit_evidence(&store, &archive).await?;
                store.close().await;
                if json {
                    crate::print_json(&audit)?;
                } else {
                    print_evidence(&audit);
                }
                if audit.has_findings() {
                    Err(evidence_findings(&audit))
                } else {
                    Ok(())
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

/// The evidence store to audit: `--evidence`, else `DATA_DIR/evidence` — when it exists, or
/// always when `required` (the explicit `audit evidence`, which then says the store is empty).
fn evidence_store(
    data_dir: &Path,
    url: Option<&str>,
    required: bool,
) -> Result<Option<EvidenceStore>, AppError> {
    match url {
        Some(u) => Ok(Some(EvidenceStore::open(u)?)),
        None => {
            let dir = data_dir.join("evidence");
            Ok((required || dir.is_dir()).then(|| EvidenceStore::new(dir)))
        }
    }
}

async fn audit_evidence(store: &Store, archive: &EvidenceStore) -> Result<EvidenceAudit, AppError> {
    lvzhi_service::audit::audit_evidence(store, archive)
        .await
        .map_err(AppError::from)
}

fn short(sm3: &str) -> &str {
    sm3.get(..16).unwrap_or(sm3)
}

/// The audit in Chinese: what was checked, each finding, then the housekeeping.
fn print_evidence(a: &EvidenceAudit) {
    println!(
        "证据核查：登记的证据 {} 项，证据存储中的文件 {} 个；定稿文书 {} 份，存档 {} 份。",
        a.records, a.files, a.seals, a.archived
    );
    for r in &a.missing_files {
        println!(
            "[缺失] 案件 {} 第 {} 号事件登记的证据“{}”（SM3 {}…）在证据存储中缺失或已被改动",
            r.case_id,
            r.seq,
            r.file_name,
            short(&r.sm3)
        );
    }
    for r in &a.not_uploaded_here {
        println!(
            "[未上传] 案件 {} 第 {} 号事件登记的证据“{}”（SM3 {}…）没有登记人向本案上传该文件的记录，该文件此前已登记于案件 {}",
            r.case_id,
            r.seq,
            r.file_name,
            short(&r.sm3),
            r.first_case.as_deref().unwrap_or("（未知）")
        );
    }
    for (case, n, sm3) in &a.missing_notices {
        println!(
            "[缺失] 案件 {case} 第 {n} 份文书的定稿 PDF（SM3 {}…）不在存档中",
            short(sm3)
        );
    }
    if !a.orphan_files.is_empty() {
        println!(
            "证据存储中有 {} 个文件没有任何证据记录（如上传后登记被拒绝，或登记时进程中断；核实后可清理）：",
            a.orphan_files.len()
        );
        for d in &a.orphan_files {
            println!("  SM3 {d}");
        }
    }
    if !a.orphan_notices.is_empty() {
        println!(
            "存档中有 {} 份文书 PDF 没有定稿记录（如办理未能记入时进程中断；核实后可清理）：",
            a.orphan_notices.len()
        );
        for (case, n, sm3) in &a.orphan_notices {
            println!("  案件 {case} 第 {n} 份（SM3 {}…）", short(sm3));
        }
    }
    if a.unverifiable > 0 {
        println!(
            "另有 {} 项证据登记于上传记录启用之前，无法核实上传人（不属异常）。",
            a.unverifiable
        );
    }
    if !a.has_findings() {
        println!("证据存储与记录一致。");
    }
}

fn evidence_findings(a: &EvidenceAudit) -> AppError {
    AppError::ChainBroken(format!(
        "证据核查发现 {} 处问题：{} 项证据文件缺失或被改动，{} 项证据未见登记人向该案上传的记录，{} 份定稿文书未存档",
        a.missing_files.len() + a.not_uploaded_here.len() + a.missing_notices.len(),
        a.missing_files.len(),
        a.not_uploaded_here.len(),
        a.missing_notices.len()
    ))
}
