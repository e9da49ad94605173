//! `lvzhi case …`: the application cases of record (issue 4's contract), for administrators and
//! scripted checks. Requests are JSON files:
//!
//! ```json
//! { "actor": {"person_id": "o-wang", "roles": ["office"], "org_id": "org-zuoqi"},
//!   "today": "2024-09-30",            // optional: the statutory day; default today in Beijing
//!   "expected_version": 2,            // optional (act): the version the user saw
//!   "case_id": "A2024-000001",        // optional (create): otherwise numbered A<year>-<n>
//!   "command": {"action": "accept"} }
//! ```

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use lvzhi_calendar::{date_zh, parse_date, Calendar, Period};
use lvzhi_service::Service;
use lvzhi_store::Store;
use lvzhi_workflow::{Actor, Command};
use serde::Deserialize;

use crate::audit_cmd::default_db;
use crate::error::AppError;
use crate::print_json;

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("日期“{s}”无效：应为存在的公历日期，格式为 YYYY-MM-DD"))
}

fn working_days_arg(s: &str) -> Result<Period, String> {
    match s.parse::<Period>() {
        Ok(p @ Period::WorkingDays(_)) => Ok(p),
        _ => Err(format!("期间“{s}”无效：应为工作日数，如 3wd")),
    }
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// 立案：提出申请或由维权办主动启动（请求文件为 JSON）/ Open a case from a request file
    Create {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 数据库地址，默认为数据目录中的 lvzhi.db / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 对案件执行一项操作（请求文件为 JSON）/ Act on a case
    Act {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 查看案件状态、全部未届期限与时间线 / Show a case
    Show {
        #[arg(value_name = "ID")]
        id: String,
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以哪一天计算剩余工作日（默认北京时间今天）/ The day to count from
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        today: Option<NaiveDate>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 列出案件，或列出已逾期、即将届满的期限 / List cases or due deadlines
    List {
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 只列已逾期的期限 / Overdue deadlines
        #[arg(long)]
        overdue: bool,
        /// 列出 N 个工作日内届满的期限，如 3wd / Deadlines due within N working days
        #[arg(long, value_parser = working_days_arg, value_name = "Nwd")]
        due_within: Option<Period>,
        /// 按案件状态筛选 / Filter by state
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
        /// 以哪一天为今天 / The day to count from
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        today: Option<NaiveDate>,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 运行一次到期事件处理（如逾期视为受理）/ One scheduler pass
    Tick {
        /// 数据库地址 / Database URL
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 以哪一天为今天 / The day to run as
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        today: Option<NaiveDate>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    actor: Actor,
    #[serde(default)]
    today: Option<NaiveDate>,
    #[serde(default)]
    expected_version: Option<i64>,
    #[serde(default)]
    case_id: Option<String>,
    command: Command,
}

/// Statutory days are Beijing days, whatever the server's time zone. UTC+8 has no daylight
/// saving, so the Beijing calendar day is the UTC instant moved by eight hours.
pub fn beijing_today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(8)).date_naive()
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

fn read_request(path: &Path) -> Result<Request, AppError> {
    let text = crate::calendar_store::read_text(path)?;
    serde_json::from_str(&text).map_err(|e| AppError::Request {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        detail: match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("JSON 语法错误（{e}）")
            }
            _ => format!("内容不符合请求格式（{e}）"),
        },
    })
}

pub(crate) async fn service(
    data_dir: &Path,
    db: Option<String>,
    calendar: Calendar,
) -> Result<Service, AppError> {
    let url = db.unwrap_or_else(|| default_db(data_dir));
    crate::audit_cmd::ensure_sqlite_dir(&url)?;
    let store = Store::open(&url).await?;
    // The same packs and fact check as `serve`: built-in packs, or stored ones replacing them.
    let set = crate::pack_store::load(data_dir)?;
    let periods = lvzhi_server::packs::all_periods(&set).map_err(AppError::Policy)?;
    Ok(
        Service::new(store, calendar, periods)
            .with_fact_check(lvzhi_server::packs::fact_check(set)),
    )
}

pub fn run(data_dir: &Path, cmd: CaseCommand) -> Result<(), AppError> {
    let calendar = crate::calendar_store::load(data_dir)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Output(format!("无法启动运行时：{e}")))?;
    rt.block_on(async move {
        match cmd {
            CaseCommand::Create { file, db, json } => {
                let req = read_request(&file)?;
                let svc = service(data_dir, db, calendar).await?;
                let now = now();
                let today = req.today.unwrap_or_else(|| beijing_today(now));
                let (id, version) = svc
                    .create(req.case_id.as_deref(), &req.actor, &req.command, today, now)
                    .await?;
                if json {
                    print_json(&serde_json::json!({ "case_id": id, "version": version }))?;
                } else {
                    println!("已立案：{id}（版本 {version}）");
                }
                svc.store().close().await;
                Ok(())
            }
            CaseCommand::Act { id, file, db, json } => {
                let req = read_request(&file)?;
                let svc = service(data_dir, db, calendar).await?;
                let now = now();
                let today = req.today.unwrap_or_else(|| beijing_today(now));
                let (version, events) = svc
                    .act(
                        &id,
                        req.expected_version,
                        &req.actor,
                        &req.command,
                        today,
                        now,
                    )
                    .await?;
                if json {
                    print_json(
                        &serde_json::json!({ "case_id": id, "version": version, "events": events }),
                    )?;
                } else {
                    println!("已记录（案件 {id}，版本 {version}）：");
                    for e in &events {
                        println!("  {}", e.describe_zh());
                    }
                }
                svc.store().close().await;
                Ok(())
            }
            CaseCommand::Show {
                id,
                db,
                today,
                json,
            } => {
                let svc = service(data_dir, db, calendar).await?;
                let today = today.unwrap_or_else(|| beijing_today(now()));
                let view = svc.view(&id, today).await?;
                svc.store().close().await;
                if json {
                    return print_json(&view);
                }
                println!(
                    "案件 {}（版本 {}）：{}",
                    view.case_id, view.version, view.title
                );
                println!("状态：{}", view.stage_zh);
                if view.deadlines.is_empty() {
                    println!("未届期限：无");
                }
                for d in &view.deadlines {
                    let when = if d.overdue {
                        format!("已逾期 {} 个工作日", -d.working_days_left)
                    } else {
                        format!("尚余 {} 个工作日", d.working_days_left)
                    };
                    let provisional = if d.deadline.provisional {
                        "（暂定）"
                    } else {
                        ""
                    };
                    println!(
                        "期限：{}，届满日 {}{provisional}，{when}（{}）",
                        d.deadline.label,
                        date_zh(d.deadline.due),
                        d.deadline.article
                    );
                }
                println!("时间线：");
                for t in &view.timeline {
                    println!("  [{}] {}", t.version, t.description);
                }
                Ok(())
            }
            CaseCommand::List {
                db,
                overdue,
                due_within,
                state,
                today,
                json,
            } => {
                let svc = service(data_dir, db, calendar).await?;
                let today = today.unwrap_or_else(|| beijing_today(now()));
                if overdue || due_within.is_some() {
                    let rows = svc.due(today, due_within, overdue).await?;
                    svc.store().close().await;
                    if json {
                        return print_json(&rows);
                    }
                    for r in &rows {
                        let provisional = if r.provisional { "（暂定）" } else { "" };
                        println!(
                            "{} {} 届满日 {}{provisional}（{}）",
                            r.case_id,
                            r.step,
                            date_zh(r.due),
                            r.article
                        );
                    }
                    if rows.is_empty() {
                        println!("没有符合条件的期限");
                    }
                    return Ok(());
                }
                let rows = svc
                    .store()
                    .list_cases(state.as_deref(), None, 500, 0)
                    .await?;
                svc.store().close().await;
                if json {
                    return print_json(&rows);
                }
                for r in &rows {
                    println!(
                        "{} [{}] {}（版本 {}）",
                        r.case_id, r.case.state, r.case.title, r.version
                    );
                }
                if rows.is_empty() {
                    println!("没有案件");
                }
                Ok(())
            }
            CaseCommand::Tick { db, today } => {
                let svc = service(data_dir, db, calendar).await?;
                let now = now();
                let today = today.unwrap_or_else(|| beijing_today(now));
                let owner = format!("cli-{}", std::process::id());
                let fired = svc.tick(today, now, &owner).await?;
                svc.store().close().await;
                println!(
                    "处理到期事件 {} 件{}",
                    fired.len(),
                    if fired.is_empty() {
                        String::new()
                    } else {
                        format!("：{}", fired.join("、"))
                    }
                );
                Ok(())
            }
        }
    })
}
