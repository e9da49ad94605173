//! Renders clap's parse errors in Chinese. Help and version output pass through unchanged.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn ctx(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::None => String::new(),
        _ => String::new(),
    })
}

/// The Chinese sentence for a clap error (without the `错误：` prefix).
pub(crate) fn message(e: &clap::Error) -> String {
    let arg = ctx(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(e, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = ctx(e, ContextKind::SuggestedSubcommand)
        .or_else(|| ctx(e, ContextKind::SuggestedArg))
        .map(|s| format!("；您是否想输入“{s}”？"))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = ctx(e, ContextKind::ValidValue)
                .map(|v| format!("；可选值：{v}"))
                .unwrap_or_default();
            format!("参数 {arg} 的值“{value}”无效{valid}")
        }
        ErrorKind::ValueValidation => {
            // Our own value parsers already explain the problem in Chinese.
            let source = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            if source.is_empty() {
                format!("参数 {arg} 的值“{value}”无效")
            } else {
                source
            }
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”{suggestion}"),
        ErrorKind::InvalidSubcommand => {
            let name = ctx(e, ContextKind::InvalidSubcommand).unwrap_or(value);
            format!("无法识别的命令“{name}”{suggestion}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令，请使用 --help 查看可用命令".to_string()
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值个数不正确")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他已给出的参数同时使用"),
        ErrorKind::NoEquals => format!("参数 {arg} 须以“=”给出值"),
        ErrorKind::InvalidUtf8 => "参数中含有无效的 UTF-8 字符".to_string(),
        _ => "命令行参数有误，请使用 --help 查看用法".to_string(),
    }
}

/// Prints the error (or the help text clap produced) and returns the exit code.
pub(crate) fn report(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            eprintln!("错误：{}\n使用 --help 查看用法。", message(&e));
            ExitCode::from(2)
        }
    }
}
