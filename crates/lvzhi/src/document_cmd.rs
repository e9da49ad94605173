//! `lvzhi document …` and `lvzhi fonts` (issue 6's contract): the written notices of a stored
//! case as a print-ready PDF (GB/T 9704-2012, typst in-process) or an editable DOCX, and which
//! fonts they are set in.

use std::fs;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use lvzhi_documents::{docx_family, render_docx, render_pdf, Fonts, Role, CARRIED_FAMILY, KINDS};
use lvzhi_workflow::DocumentKind;
use serde::Serialize;

use crate::case_cmd::{beijing_today, service};
use crate::error::AppError;
use crate::print_json;

/// A document kind by its id (`review_opinion`) or its Chinese name (`审查论证意见书`).
fn kind_arg(s: &str) -> Result<DocumentKind, String> {
    KINDS
        .iter()
        .find(|(_, id, zh)| *id == s || *zh == s)
        .map(|(kind, _, _)| *kind)
        .ok_or_else(|| format!("文书种类“{s}”无效：可用 lvzhi document kinds 查看全部种类及其标识"))
}

fn kind_zh(kind: DocumentKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("文书", |(_, _, zh)| *zh)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Pdf,
    Docx,
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// 列出文书种类及其标识与中文名称 / List the kinds of written notice
    Kinds {
        /// 以 JSON 输出 / Print JSON
        #[arg(long)]
        json: bool,
    },
    /// 将案件中某种文书的最新一份输出为 PDF 或 DOCX / Render a case's latest notice of a kind
    Render {
        /// 数据库地址，默认为数据目录中的 lvzhi.db / Database URL (default: DATA_DIR/lvzhi.db)
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// 案件编号 / Case id
        #[arg(long, value_name = "ID")]
        case: String,
        /// 文书种类：标识或中文名称，如 review_opinion / Kind: id or Chinese name
        #[arg(long, value_parser = kind_arg, value_name = "KIND")]
        kind: DocumentKind,
        /// 输出格式：pdf（按 GB/T 9704 排版，供打印）或 docx（供编辑）/ Output format: pdf or docx
        #[arg(long, value_enum, hide_possible_values = true, value_name = "pdf|docx")]
        format: Format,
        /// 输出文件 / Output file
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        fonts: FontsArg,
    },
}

#[derive(Debug, Args)]
pub struct FontsArg {
    /// 公文字体目录（仿宋_GB2312、方正小标宋等），优先于系统字体；默认为数据目录中的 fonts（如存在）/ Fonts directory searched before the system's (default: DATA_DIR/fonts if present)
    #[arg(long = "fonts", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FontsCommand {
    #[command(flatten)]
    fonts: FontsArg,
    /// 以 JSON 输出 / Print JSON
    #[arg(long)]
    json: bool,
}

/// The fonts directory in use: the one given (which must exist), or DATA_DIR/fonts if present,
/// as `lvzhi serve` chooses it.
fn fonts_dir(data_dir: &Path, arg: &FontsArg) -> Result<Option<PathBuf>, AppError> {
    match &arg.dir {
        Some(dir) if dir.is_dir() => Ok(Some(dir.clone())),
        Some(dir) => Err(AppError::FontsDir(dir.clone())),
        None => Ok(Some(data_dir.join("fonts")).filter(|d| d.is_dir())),
    }
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename, so the file is
/// either the previous one or the whole new document, never a part.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| AppError::OutPath(path.to_path_buf()))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = |target: &Path, e: std::io::Error| AppError::WriteOut {
        path: target.to_path_buf(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "所在目录不存在".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有写入权限".to_string(),
            std::io::ErrorKind::IsADirectory => "该路径是一个目录".to_string(),
            std::io::ErrorKind::StorageFull => "磁盘空间不足".to_string(),
            _ => format!("系统错误（{e}）"),
        },
    };
    fs::write(&tmp, bytes).map_err(|e| write(path, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        write(path, e)
    })
}

#[derive(Serialize)]
struct KindRow {
    id: &'static str,
    name: &'static str,
}

pub(crate) fn run(data_dir: &Path, cmd: DocumentCommand) -> Result<(), AppError> {
    match cmd {
        DocumentCommand::Kinds { json } => {
            let rows: Vec<KindRow> = KINDS
                .iter()
                .map(|(_, id, name)| KindRow { id, name })
                .collect();
            if json {
                return print_json(&rows);
            }
            let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &rows {
                println!("{:width$}  {}", r.id, r.name);
            }
            Ok(())
        }
        DocumentCommand::Render {
            db,
            case,
            kind,
            format,
            out,
            fonts,
        } => {
            let dir = fonts_dir(data_dir, &fonts)?;
            let calendar = crate::calendar_store::load(data_dir)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| AppError::Output(format!("无法启动运行时：{e}")))?;
            let view = rt.block_on(async {
                let svc = service(data_dir, db, calendar).await?;
                let today = beijing_today(chrono::DateTime::<chrono::Utc>::from(
                    std::time::SystemTime::now(),
                ));
                // A case of any process (issue 14): its notices as the engine replays them.
                let view = match svc.load_process(&case).await {
                    Ok(loaded) => Ok(svc.view_process(&loaded, today)),
                    Err(e) => Err(e),
                };
                svc.store().close().await;
                Ok::<_, AppError>(view?)
            })?;
            // The latest notice of the kind: a second extension, a later reply.
            let doc = view
                .documents
                .iter()
                .rev()
                .find(|d| d.kind == kind)
                .ok_or_else(|| AppError::NoDocument {
                    case: case.clone(),
                    kind: kind_zh(kind).to_string(),
                })?;
            let fonts = Fonts::discover(dir.as_deref());
            let bytes = match format {
                Format::Pdf => render_pdf(doc, None, &fonts),
                Format::Docx => render_docx(doc, None, &fonts),
            }
            .map_err(|e| AppError::Document(e.to_string()))?;
            write_atomically(&out, &bytes)?;
            println!(
                "已输出{}（案件 {case}，{}）：{}",
                kind_zh(kind),
                match format {
                    Format::Pdf => "PDF",
                    Format::Docx => "DOCX",
                },
                out.display()
            );
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct FontRow {
    role: Role,
    role_zh: &'static str,
    /// The family typst sets the role in (PDF); `None`: glyph fallback only.
    family: Option<String>,
    official: bool,
    /// The font file it is loaded from.
    path: Option<String>,
    /// The family a DOCX names for the role.
    docx_family: String,
}

#[derive(Serialize)]
struct FontsReport {
    fonts_dir: Option<String>,
    /// Whether any Chinese font was found (without one no notice can be typeset).
    cjk: bool,
    /// Whether every role uses its official (licensed) face.
    official: bool,
    /// Whether lvzhi's own face (a subset of Noto Serif CJK SC) stands in, no full family of it
    /// being installed.
    carried: bool,
    roles: Vec<FontRow>,
}

pub(crate) fn fonts(data_dir: &Path, cmd: FontsCommand) -> Result<(), AppError> {
    let dir = fonts_dir(data_dir, &cmd.fonts)?;
    let fonts = Fonts::discover(dir.as_deref());
    let roles: Vec<FontRow> = fonts
        .roles()
        .iter()
        .map(|r| FontRow {
            role: r.role,
            role_zh: r.role_zh,
            path: r.family.as_deref().and_then(|f| fonts.path_of(f)),
            family: r.family.clone(),
            official: r.official,
            docx_family: docx_family(&fonts, r.role),
        })
        .collect();
    let report = FontsReport {
        fonts_dir: dir.as_ref().map(|d| d.display().to_string()),
        cjk: fonts.has_cjk(),
        official: roles.iter().all(|r| r.official),
        carried: fonts.uses_carried_face(),
        roles,
    };
    if cmd.json {
        return print_json(&report);
    }
    match &report.fonts_dir {
        Some(d) => println!("公文字体目录：{d}（优先于系统字体）"),
        None => println!("公文字体目录：未配置（只使用系统字体）"),
    }
    for r in &report.roles {
        let used = match (&r.family, &r.path) {
            (Some(f), Some(p)) => format!("{f}（{p}）"),
            (Some(f), None) if report.carried && f == CARRIED_FAMILY => {
                format!("{f}（lvzhi 自带的常用字子集）")
            }
            (Some(f), None) => f.clone(),
            (None, _) => "未找到，按字形回退到任一含该字的字体".to_string(),
        };
        let kind = if r.official {
            "公文字体"
        } else {
            "免费替代字体"
        };
        let kind = if r.family.is_some() { kind } else { "无" };
        println!(
            "{}：{used}，{kind}；DOCX 中写作“{}”",
            r.role_zh, r.docx_family
        );
    }
    if !report.cjk {
        println!(
            "未找到任何中文字体，无法排版文书：请安装 fonts-noto-cjk，或以 --fonts 指定公文字体目录。"
        );
    } else if report.official {
        println!("已找到全部公文字体。");
    } else if report.carried
        && report
            .roles
            .iter()
            .all(|r| r.family.as_deref() == Some(CARRIED_FAMILY))
    {
        println!(
            "未找到系统中文字体，文书使用 lvzhi 自带的 Noto Serif CJK SC 常用字子集排版；GB 2312 以外的生僻字可能无法显示。如需标准字体，请以 --fonts 指定公文字体目录，或安装 fonts-noto-cjk。"
        );
    } else {
        println!(
            "未找到全部公文字体，PDF 中缺少的使用免费替代字体；如需标准字体，请以 --fonts 指定公文字体目录。"
        );
    }
    Ok(())
}
