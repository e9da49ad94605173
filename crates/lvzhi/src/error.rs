//! The errors a command can end with, each displayed as one Chinese sentence.

use std::path::PathBuf;

use lvzhi_calendar::{CalendarError, PeriodError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    #[error("{0}")]
    Period(#[from] PeriodError),
    #[error("无法读取文件 {path}：{source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("无法写入 {path}：{source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("文件 {0} 不是有效的 UTF-8 文本，请以 UTF-8 编码保存后重试")]
    NotUtf8(PathBuf),
    #[error("起始日期 {from} 晚于结束日期 {to}")]
    ReversedRange { from: String, to: String },
    #[error("{0}")]
    Store(#[from] lvzhi_store::StoreError),
    #[error("{0}")]
    Service(#[from] lvzhi_service::ServiceError),
    #[error("请求文件 {path} 第{line}行第{column}列：{detail}")]
    Request {
        path: PathBuf,
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("政策包有误：{0}")]
    Pack(String),
    #[error("审计链校验未通过：{0}")]
    ChainBroken(String),
    #[error("输出结果失败：{0}")]
    Output(String),
    /// Policy packs, evaluation input, interview (lvzhi-rules): already one Chinese sentence.
    #[error("{0}")]
    Policy(String),
    /// `serve` could not start (the address, the runtime): one Chinese sentence.
    #[error("{0}")]
    Startup(String),
    /// The web application (already one Chinese sentence).
    #[error("{0}")]
    Server(#[from] lvzhi_server::AppError),
    #[error("字体目录 {0} 不存在或不是目录")]
    FontsDir(PathBuf),
    #[error("输出文件路径 {0} 无效：应为文件路径")]
    OutPath(PathBuf),
    /// Writing an output file, with the reason in Chinese.
    #[error("无法写入 {path}：{reason}")]
    WriteOut { path: PathBuf, reason: String },
    #[error("案件 {case} 中没有{kind}（该文书尚未出具）")]
    NoDocument { case: String, kind: String },
    /// Typesetting or packing a notice (lvzhi-documents): already one Chinese sentence.
    #[error("{0}")]
    Document(String),
}
