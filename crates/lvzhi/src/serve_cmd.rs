//! `lvzhi serve`: the web application (crates/server) on this data directory. The binary owns
//! the files under the data directory — imported calendars and stored policy packs — and hands
//! the server a [`DataFiles`] that validates and stores them exactly as the CLI does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Args;
use lvzhi_calendar::{parse_date, Calendar};
use lvzhi_rules::PackSet;
use lvzhi_server::{Clock, DataFiles, ServeConfig};

use crate::audit_cmd::default_db;
use crate::error::AppError;

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| format!("日期“{s}”无效：应为存在的公历日期，格式为 YYYY-MM-DD"))
}

/// `HOST:PORT` that resolves to at least one address (checked before anything is opened).
fn addr_arg(s: &str) -> Result<String, String> {
    use std::net::ToSocketAddrs;
    match s.to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(_)) => Ok(s.to_string()),
        _ => Err(format!(
            "监听地址“{s}”无效：应为“主机:端口”，如 127.0.0.1:8080 或 0.0.0.0:8080"
        )),
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址 / Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = addr_arg, value_name = "HOST:PORT")]
    pub addr: String,
    /// 数据库地址（sqlite://文件 或 postgres://…），默认为数据目录中的 lvzhi.db；--demo 时默认为 demo.db / Database URL (default: DATA_DIR/lvzhi.db, or DATA_DIR/demo.db with --demo)
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// 载入演示数据（组织机构、各角色账户、专家库和各阶段案件），演示账户无须修改密码 / Seed demo organisations, accounts, experts and cases
    #[arg(long)]
    pub demo: bool,
    /// 以指定日期作为“今天”，仅用于演示和测试 / Use this day as today (demonstrations and tests only)
    #[arg(long, value_parser = date_arg, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Cookie 加 Secure 标记（经 HTTPS 反向代理访问时使用）/ Mark cookies Secure (behind TLS)
    #[arg(long)]
    pub secure_cookies: bool,
    /// 期限届满前多少个工作日开始提醒 / Remind this many working days before a due date
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub remind_within: u32,
    /// 证据文件存储位置：目录路径、file:///目录 或 s3://存储桶/前缀?endpoint=地址&region=区域（S3 凭据取自 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 环境变量），默认为数据目录中的 evidence / Where evidence files are kept: a directory, file:///DIR or s3://BUCKET/PREFIX?endpoint=URL&region=NAME (default: DATA_DIR/evidence)
    #[arg(long, value_name = "URL")]
    pub evidence: Option<String>,
    /// 公文字体目录（仿宋_GB2312、方正小标宋等），优先于系统字体；默认为数据目录中的 fonts（如存在）/ Fonts directory searched before the system's (default: DATA_DIR/fonts if present)
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
    /// 出具文书时不生成定稿 PDF（文书标注“未定稿”，下载时现时排版）/ Do not typeset, archive and seal notices when issued
    #[arg(long)]
    pub no_seal: bool,
}

/// Calendars and packs kept under the data directory, as the CLI keeps them.
struct Files {
    data_dir: PathBuf,
}

impl DataFiles for Files {
    fn import_calendar(&self, label: &str, text: &str) -> Result<(Calendar, String), String> {
        let imported = crate::calendar_store::import_text(&self.data_dir, label, text)
            .map_err(|e| e.to_string())?;
        let calendar = crate::calendar_store::load(&self.data_dir).map_err(|e| e.to_string())?;
        Ok((calendar, imported.summary_zh()))
    }

    fn import_pack(&self, label: &str, text: &str) -> Result<PackSet, String> {
        crate::pack_store::import(&self.data_dir, label, text)
            .map(|(set, _)| set)
            .map_err(|e| e.to_string())
    }
}

/// The database `serve` opens: `--db`, else `demo.db` for `--demo`, else the CLI's default.
pub(crate) fn db_url(data_dir: &Path, args: &ServeArgs) -> String {
    match (&args.db, args.demo) {
        (Some(url), _) => url.clone(),
        (None, true) => format!("sqlite://{}", data_dir.join("demo.db").display()),
        (None, false) => default_db(data_dir),
    }
}

pub(crate) fn run(data_dir: &Path, args: ServeArgs) -> Result<(), AppError> {
    let calendar = crate::calendar_store::load(data_dir)?;
    let packs = crate::pack_store::load(data_dir)?;
    let config = ServeConfig {
        addr: args.addr.clone(),
        db_url: db_url(data_dir, &args),
        data_dir: data_dir.to_path_buf(),
        demo: args.demo,
        clock: args.today.map_or_else(Clock::real, Clock::fixed),
        calendar,
        packs,
        files: Arc::new(Files {
            data_dir: data_dir.to_path_buf(),
        }),
        secure_cookies: args.secure_cookies,
        remind_within_wd: args.remind_within,
        evidence_url: args.evidence.clone(),
        // As `lvzhi document render` and `lvzhi fonts` choose it: the one given (which must
        // exist), or DATA_DIR/fonts if present.
        fonts_dir: match &args.fonts {
            Some(dir) if dir.is_dir() => Some(dir.clone()),
            Some(dir) => return Err(AppError::FontsDir(dir.clone())),
            None => Some(data_dir.join("fonts")).filter(|d| d.is_dir()),
        },
        seal_documents: !args.no_seal,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Startup(format!("无法启动运行时（系统错误：{e}）")))?;
    rt.block_on(async {
        preflight(&config.addr).await?;
        lvzhi_server::serve(config).await?;
        Ok(())
    })
}

/// Binds the address once (with the options the server binds with) so that the usual failures
/// are told in Chinese before the database is opened; the server then binds it again.
async fn preflight(addr: &str) -> Result<(), AppError> {
    use std::io::ErrorKind;
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => {
            drop(listener);
            Ok(())
        }
        Err(e) => Err(AppError::Startup(match e.kind() {
            ErrorKind::AddrInUse => format!(
                "监听地址 {addr} 已被占用：请用 --addr 换用其他端口，或先停止占用该端口的程序"
            ),
            ErrorKind::PermissionDenied => format!(
                "没有权限监听地址 {addr}：1024 以下的端口通常需要管理员权限，请用 --addr 换用其他端口"
            ),
            ErrorKind::AddrNotAvailable => {
                format!("监听地址 {addr} 不是本机的地址，请用 --addr 指定本机地址")
            }
            _ => match e.raw_os_error() {
                Some(code) => format!("无法监听地址 {addr}（系统错误代码 {code}）"),
                None => format!("无法监听地址 {addr}"),
            },
        })),
    }
}
