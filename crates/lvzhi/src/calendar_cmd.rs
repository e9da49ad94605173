//! `lvzhi calendar …`: inspect the working-day calendar and compute statutory periods.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use lvzhi_calendar::{date_zh, parse_date, weekday_zh, Datelike, NaiveDate, Period};
use serde::Serialize;

use crate::calendar_store;
use crate::error::AppError;

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| {
        format!("日期“{s}”无效：应为存在的公历日期，格式为 YYYY-MM-DD，如 2024-09-27")
    })
}

fn period_arg(s: &str) -> Result<Period, String> {
    s.parse::<Period>().map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// 逐日列出日期区间内的工作日与节假日 / List every day of a range
    List {
        /// 起始日期 / First day (YYYY-MM-DD)
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        from: NaiveDate,
        /// 结束日期（含）/ Last day, inclusive (YYYY-MM-DD)
        #[arg(long, value_parser = date_arg, value_name = "DATE")]
        to: NaiveDate,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 计算期间届满日（起始日不计入），如 7wd、30wd、5d / Due date of a period
    Add {
        /// 起算日期 / Start date (not counted)
        #[arg(value_parser = date_arg, value_name = "DATE")]
        start: NaiveDate,
        /// 期间：Nwd 为 N 个工作日，Nd 为 N 日 / Period: Nwd working days, Nd days
        #[arg(value_parser = period_arg, value_name = "PERIOD")]
        period: Period,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 计算两个日期之间经过的工作日数 / Working days elapsed between two dates
    Between {
        #[arg(value_parser = date_arg, value_name = "FROM")]
        from: NaiveDate,
        #[arg(value_parser = date_arg, value_name = "TO")]
        to: NaiveDate,
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 导入一个年度的节假日安排或地方补充日期 / Import a year's schedule or local extra days
    Import {
        /// 日历文件 / Schedule file
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 列出已载入的年度及其依据 / List the loaded years and their sources
    Years {
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
}

use crate::print_json;

fn provisional_note(missing: &[i32]) -> String {
    let years: Vec<String> = missing.iter().map(|y| format!("{y}年")).collect();
    format!(
        "（暂定：{}的节假日安排尚未载入，已仅按周末计算；导入该年度安排后日期可能变化）",
        years.join("、")
    )
}

pub(crate) fn run(data_dir: &Path, cmd: CalendarCommand) -> Result<(), AppError> {
    let load = || calendar_store::load(data_dir);
    match cmd {
        CalendarCommand::Import { file } => {
            let r = calendar_store::import(data_dir, &file)?;
            println!("{}", r.summary_zh());
            Ok(())
        }
        CalendarCommand::List { from, to, json } => {
            if to < from {
                return Err(AppError::ReversedRange {
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
            let cal = load()?;
            let days = from
                .iter_days()
                .take_while(|d| *d <= to)
                .map(|d| cal.day(d))
                .collect::<Result<Vec<_>, _>>()?;
            if json {
                return print_json(&days);
            }
            for d in &days {
                let status = if d.workday { "工作日" } else { "休息日" };
                let name = d.name.as_deref().unwrap_or("");
                let note = if d.provisional {
                    "（暂定：该年度安排未载入）"
                } else {
                    ""
                };
                println!(
                    "{} {} {status} {name}{note}",
                    d.date,
                    weekday_zh(d.date.weekday())
                );
            }
            Ok(())
        }
        CalendarCommand::Add {
            start,
            period,
            json,
        } => {
            let dl = load()?.add(start, period)?;
            if json {
                return print_json(&dl);
            }
            let note = if dl.provisional {
                provisional_note(&dl.missing_years)
            } else {
                String::new()
            };
            println!(
                "自{}起算{}（起始日不计入），届满日为{}（{}）{note}",
                date_zh(dl.start),
                period.to_chinese(),
                date_zh(dl.due),
                weekday_zh(dl.due.weekday())
            );
            Ok(())
        }
        CalendarCommand::Between { from, to, json } => {
            let e = load()?.working_days_between(from, to)?;
            if json {
                return print_json(&e);
            }
            let note = if e.provisional {
                provisional_note(&e.missing_years)
            } else {
                String::new()
            };
            println!(
                "自{}至{}经过 {} 个工作日（不含起始日）{note}",
                date_zh(from),
                date_zh(to),
                e.working_days
            );
            Ok(())
        }
        CalendarCommand::Years { json } => {
            #[derive(Serialize)]
            struct Year<'a> {
                year: i32,
                source: &'a str,
                holidays: usize,
                workdays: usize,
            }
            let cal = load()?;
            let rows: Vec<Year> = cal
                .years()
                .values()
                .map(|y| {
                    let holidays = y
                        .days
                        .values()
                        .filter(|d| d.kind == lvzhi_calendar::SpecialKind::Holiday)
                        .count();
                    Year {
                        year: y.year,
                        source: &y.source,
                        holidays,
                        workdays: y.days.len() - holidays,
                    }
                })
                .collect();
            if json {
                return print_json(&rows);
            }
            for y in rows {
                println!(
                    "{}年：放假日 {} 天，调休上班日 {} 天；依据：{}",
                    y.year, y.holidays, y.workdays, y.source
                );
            }
            Ok(())
        }
    }
}
