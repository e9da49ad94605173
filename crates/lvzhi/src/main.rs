//! `lvzhi` — the command line of 履职. Every message a user reads is in Chinese; `--help` is
//! bilingual so that an administrator without Chinese input can still find their way.

mod audit_cmd;
mod calendar_cmd;
mod calendar_store;
mod case_cmd;
mod cli_error;
mod document_cmd;
mod error;
mod pack_store;
mod policy_cmd;
mod serve_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::AppError;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法 Usage: {usage}

{all-args}{after-help}";

/// 履职：民警依法履职免责、容错纠错、维权与正名工作系统 / lvzhi: duty-performance protection for officers.
#[derive(Debug, Parser)]
#[command(
    name = "lvzhi",
    version,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// 显示帮助 / Print help
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,

    /// 显示版本 / Print version
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,

    /// 数据目录（数据库、导入的日历和政策包）/ Data directory (database, imported calendars and packs)
    #[arg(
        long,
        global = true,
        env = "LVZHI_DATA_DIR",
        default_value = "lvzhi-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 工作日历与法定期间计算 / Working-day calendar and statutory periods
    #[command(subcommand, disable_help_flag = true)]
    Calendar(calendar_cmd::CalendarCommand),
    /// 审计链校验与链头 / The tamper-evident audit trail
    #[command(subcommand, disable_help_flag = true)]
    Audit(audit_cmd::AuditCommand),
    /// 免责容错申请案件：立案、操作、查看、列表与到期处理 / Application cases of record
    #[command(subcommand, disable_help_flag = true)]
    Case(case_cmd::CaseCommand),
    /// 政策包（规定的数据化表示）的查看、校验与测试 / Policy packs: list, check, test, coverage
    #[command(subcommand, disable_help_flag = true)]
    Policy(policy_cmd::PolicyCommand),
    /// 依政策包评估案件事实，给出结论、依据与待查明的问题 / Evaluate a case's facts
    #[command(disable_help_flag = true)]
    Evaluate(policy_cmd::EvaluateArgs),
    /// 在终端逐项询问仍可能改变结论的问题 / Ask only the questions that can change the outcome
    #[command(disable_help_flag = true)]
    Interview(policy_cmd::InterviewArgs),
    /// 公文文书：种类列表，按 GB/T 9704 输出 PDF 或可编辑的 DOCX / Official documents: PDF or DOCX
    #[command(subcommand, disable_help_flag = true)]
    Document(document_cmd::DocumentCommand),
    /// 文书所用字体：各字体角色使用的字体及其来源 / Which fonts the documents are set in
    #[command(disable_help_flag = true)]
    Fonts(document_cmd::FontsCommand),
    /// 启动网页应用（--demo 载入演示数据）/ Run the web application (--demo: with demo data)
    #[command(disable_help_flag = true)]
    Serve(serve_cmd::ServeArgs),
}

/// Gives every (sub)command the bilingual help layout: clap's own headings are English only.
fn localize(cmd: clap::Command) -> clap::Command {
    let positions: Vec<clap::Id> = cmd.get_positionals().map(|a| a.get_id().clone()).collect();
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令 Commands")
        .mut_args(|a| match positions.iter().position(|id| id == a.get_id()) {
            // Re-heading an argument loses its place; keep positionals in declaration order.
            Some(i) => a.help_heading("参数 Arguments").display_order(i),
            None => a.help_heading("选项 Options"),
        })
        .mut_subcommands(localize)
}

fn parse() -> Result<Cli, clap::Error> {
    let matches = localize(Cli::command()).try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

/// Every command prints with `println!`, which panics when stdout is a closed pipe
/// (`lvzhi interview --pack 000 | head`, `lvzhi calendar years | head`). A reader that stopped
/// reading is not an error: the command ends quietly with exit code 0. Every other panic keeps
/// the default report.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if (msg.starts_with("failed printing to stdout")
            || msg.starts_with("failed printing to stderr"))
            && msg.contains("Broken pipe")
        {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Logs to stderr at the level `LVZHI_LOG` names (`error`, `warn`, `info`, `debug`, `trace`):
/// by default what an operator must see — `info` for the server (its scheduler's passes),
/// `warn` for the other commands (a seal skipped, an archive not cleaned).
fn init_logs(serving: bool) {
    use tracing_subscriber::filter::LevelFilter;
    let level = match std::env::var("LVZHI_LOG").unwrap_or_default().trim() {
        "error" => LevelFilter::ERROR,
        "warn" => LevelFilter::WARN,
        "info" => LevelFilter::INFO,
        "debug" => LevelFilter::DEBUG,
        "trace" => LevelFilter::TRACE,
        "off" => LevelFilter::OFF,
        _ if serving => LevelFilter::INFO,
        _ => LevelFilter::WARN,
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_ansi(false)
        .try_init();
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return cli_error::report(e),
    };
    init_logs(matches!(cli.command, Command::Serve(_)));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), AppError> {
    match cli.command {
        Command::Calendar(cmd) => calendar_cmd::run(&cli.data_dir, cmd),
        Command::Audit(cmd) => audit_cmd::run(&cli.data_dir, cmd),
        Command::Case(cmd) => case_cmd::run(&cli.data_dir, cmd),
        Command::Policy(cmd) => policy_cmd::run(cmd),
        Command::Evaluate(args) => policy_cmd::evaluate(args),
        Command::Interview(args) => policy_cmd::interview(args),
        Command::Document(cmd) => document_cmd::run(&cli.data_dir, cmd),
        Command::Fonts(cmd) => document_cmd::fonts(&cli.data_dir, cmd),
        Command::Serve(args) => serve_cmd::run(&cli.data_dir, args),
    }
}

/// Prints a value as pretty JSON on stdout (the `--json` contracts).
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), AppError> {
    let s = serde_json::to_string_pretty(value).map_err(|e| AppError::Output(e.to_string()))?;
    println!("{s}");
    Ok(())
}
