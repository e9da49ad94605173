//! `lvzhi case …`: the cases of record of every process (issue 4's contract, on the one engine of
//! issue 14), for administrators and scripted checks. Requests are JSON files:
//!
//! ```json
//! { "actor": {"person_id": "o-wang", "roles": ["office"], "org_id": "org-zuoqi"},
//!   "today": "2024-09-30",            // optional: the statutory day; default today in Beijing
//!   "expected_version": 2,            // optional (act): the version the user saw
//!   "case_id": "A2024-000001",        // optional (create): otherwise numbered by the process
//!   "kind": "incident",               // optional (create): the process; default application
//!   "command": {"action": "accept"} }
//! ```
//!
//! A command is the process's JSON command, as the API takes it; `act` needs no kind (the
//! case has one).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use lvzhi_calendar::{date_zh, parse_date, Calendar, Period};
use lvzhi_processes::{by_kind, Actor};
use lvzhi_service::Service;
use lvzhi_store::Store;
use serde::{Deserialize, Serialize};

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
    /// The process of a new case (default: the application).
    #[serde(default)]
    kind: Option<String>,
    command: serde_json::Value,
}

/// A recorded event as the CLI prints it (JSON).
#[derive(Serialize)]
struct Recorded<'a> {
    kind: &'a str,
    on: NaiveDate,
    person_id: &'a str,
    role: &'a str,
    description: &'a str,
    event: &'a serde_json::Value,
}

fn recorded(e: &lvzhi_processes::DecidedEvent) -> Recorded<'_> {
    Recorded {
        kind: e.kind_id,
        on: e.on,
        person_id: &e.by.person_id,
        role: e.by.role.id(),
        description: &e.description,
        event: &e.payload,
    }
}

/// A person's name of record, or the id when the directory has no such person.
async fn name_of(svc: &Service, id: &str) -> String {
    match svc.store().person(id).await {
        Ok(Some(p)) => p.name,
        _ => id.to_string(),
    }
}

/// One line of a timeline: the day, who (role and name) and what.
async fn line(svc: &Service, on: NaiveDate, person: &str, role: &str, what: &str) -> String {
    let role_zh = serde_json::from_value::<lvzhi_processes::Role>(serde_json::json!(role))
        .map(|r| r.zh())
        .unwrap_or(role);
    if person == "system" {
        format!("{}　系统：{what}", date_zh(on))
    } else {
        format!(
            "{}　{role_zh}{}：{what}",
            date_zh(on),
            name_of(svc, person).await
        )
    }
}

/// The Chinese name of a stage of a kind (the id itself when unknown).
fn stage_zh(kind: &str, stage: &str) -> String {
    by_kind(kind)
        .and_then(|p| {
            p.stages()
                .iter()
                .find(|(id, _)| *id == stage)
                .map(|(_, zh)| zh.to_string())
        })
        .unwrap_or_else(|| stage.to_string())
}

/// Statutory days are Beijing days, whatever the server's time zone. UTC+8 has no daylight
/// saving, so the Beijing calendar day is the UTC instant moved by eight hours.
pub(crate) fn beijing_today(now: DateTime<Utc>) -> NaiveDate {
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
    let periods = lvzhi_service::packs::all_periods(&set).map_err(AppError::Policy)?;
    Ok(Service::new(store, calendar, periods)
        .with_regulations(lvzhi_service::packs::regulations(&set))
        .with_fact_check(lvzhi_service::packs::fact_check(set)))
}

pub(crate) fn run(data_dir: &Path, cmd: CaseCommand) -> Result<(), AppError> {
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
                let kind = req.kind.as_deref().unwrap_or(lvzhi_service::APPLICATION);
                let (id, version, events) = svc
                    .create_process(
                        kind,
                        req.case_id.as_deref(),
                        &req.actor,
                        &req.command,
                        today,
                        now,
                    )
                    .await?;
                if json {
                    let events: Vec<_> = events.iter().map(recorded).collect();
                    print_json(&serde_json::json!({
                        "case_id": id, "kind": kind, "version": version, "events": events,
                    }))?;
                } else {
                    println!("已立案：{id}（版本 {version}）");
                    for e in &events {
                        let l = line(&svc, e.on, &e.by.person_id, e.by.role.id(), &e.description);
                        println!("  {}", l.await);
                    }
                }
                svc.store().close().await;
                Ok(())
            }
            CaseCommand::Act { id, file, db, json } => {
                let req = read_request(&file)?;
                let svc = service(data_dir, db, calendar).await?;
                let now = now();
                let today = req.today.unwrap_or_else(|| beijing_today(now));
                if req.kind.is_some() {
                    return Err(AppError::Policy(
                        "办理已有案件的请求不需要 kind：案件类型以案件为准".to_string(),
                    ));
                }
                let (version, events) = svc
                    .act_process(
                        &id,
                        req.expected_version,
                        &req.actor,
                        &req.command,
                        today,
                        now,
                    )
                    .await?;
                if json {
                    let events: Vec<_> = events.iter().map(recorded).collect();
                    print_json(
                        &serde_json::json!({ "case_id": id, "version": version, "events": events }),
                    )?;
                } else {
                    println!("已记录（案件 {id}，版本 {version}）：");
                    for e in &events {
                        let l = line(&svc, e.on, &e.by.person_id, e.by.role.id(), &e.description);
                        println!("  {}", l.await);
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
                let loaded = svc.load_process(&id).await?;
                let view = svc.view_process(&loaded, today);
                if json {
                    svc.store().close().await;
                    return print_json(&view);
                }
                println!(
                    "{}（{}，版本 {}）：{}",
                    view.case_id, view.kind_zh, view.version, view.title
                );
                println!("状态：{}", view.stage_zh);
                for f in &view.facts {
                    println!("{}：{}", f.label, f.value);
                }
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
                if !view.documents.is_empty() {
                    println!("文书：");
                    for (n, d) in view.documents.iter().enumerate() {
                        let sealed = view.seals.iter().any(|s| s.seal.document == n + 1);
                        println!(
                            "  {}. {}（{}）{}",
                            n + 1,
                            d.title,
                            date_zh(d.issued_on),
                            if sealed { "，已定稿" } else { "" }
                        );
                    }
                }
                println!("时间线：");
                for t in &view.timeline {
                    let l = line(&svc, t.on, &t.actor, &t.role, &t.description).await;
                    match &t.reason {
                        Some(r) if !t.description.contains(r.as_str()) => {
                            println!("  [{}] {l}。理由：{r}", t.version)
                        }
                        _ => println!("  [{}] {l}", t.version),
                    }
                }
                svc.store().close().await;
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
                let rows: Vec<serde_json::Value> = rows
                    .into_iter()
                    .map(|r| {
                        let kind_zh = by_kind(&r.case.kind).map_or("", |p| p.name_zh());
                        serde_json::json!({
                            "case_id": r.case_id,
                            "kind": r.case.kind,
                            "kind_zh": kind_zh,
                            "state": r.case.state,
                            "state_zh": stage_zh(&r.case.kind, &r.case.state),
                            "org_id": r.case.org_id,
                            "title": r.case.title,
                            "version": r.version,
                            "updated_at": r.updated_at,
                        })
                    })
                    .collect();
                if json {
                    return print_json(&rows);
                }
                for r in &rows {
                    println!(
                        "{} {}（{}）{}（版本 {}）",
                        r["case_id"].as_str().unwrap_or_default(),
                        r["kind_zh"].as_str().unwrap_or_default(),
                        r["state_zh"].as_str().unwrap_or_default(),
                        r["title"].as_str().unwrap_or_default(),
                        r["version"]
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
