//! `lvzhi` — the command line of 履职. Every message a user reads is in Chinese; `--help` is
//! bilingual so that an administrator without Chinese input can still find their way.

mod audit_cmd;
mod calendar_cmd;
mod calendar_store;
mod cli_error;
mod error;

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

    /// 数据目录（导入的日历等）/ Data directory (imported calendars, …)
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

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return cli_error::report(e),
    };
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
    }
}

/// Prints a value as pretty JSON on stdout (the `--json` contracts).
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), AppError> {
    let s = serde_json::to_string_pretty(value).map_err(|e| AppError::Output(e.to_string()))?;
    println!("{s}");
    Ok(())
}
