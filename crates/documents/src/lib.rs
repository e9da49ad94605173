//! Official documents (issue 6): the written notices of the procedure typeset in-process with
//! typst in the layout of GB/T 9704-2012 《党政机关公文格式》, ready to print and stamp.
//!
//! The notice's text is handed to a fixed template as data (`sys.inputs`), never spliced into
//! markup, so whatever a user typed — `#`, `*`, `$`, `[` — prints as written.

#![warn(missing_docs)]

mod docx;
mod fonts;
mod form;
mod sealed;

use std::sync::LazyLock;

use lvzhi_workflow::{Document, DocumentKind};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Value};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

pub use docx::{docx_family, render_docx};
pub use fonts::{Fonts, Role, RoleFont, CARRIED_FAMILY};
pub use form::{render_application_form_pdf, FormDetails, OfficerParticulars};
pub use sealed::{render_pdf_detailed, RenderedPdf};

/// The issuing organ's 版头 (GB/T 9704 §7.2): 发文机关标志 in red, and the 发文字号.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// 发文机关标志, e.g. "阿拉善左旗公安局维护民警执法权威工作委员会文件".
    pub organ: String,
    /// 发文字号, e.g. "左公维〔2024〕3号".
    pub number: Option<String>,
}

/// Why a notice or form could not be made, in formal Chinese.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// No CJK font is installed or configured, so nothing can be typeset.
    #[error("未找到可用的中文字体：请安装 fonts-noto-cjk，或配置公文字体目录")]
    NoCjkFont,
    /// typst could not lay the document out.
    #[error("文书排版失败：{0}")]
    Typeset(String),
    /// The laid-out document could not be written as PDF or DOCX.
    #[error("文书导出失败：{0}")]
    Export(String),
}

/// Every kind of written notice, with its Chinese name.
pub const KINDS: &[(DocumentKind, &str, &str)] = &[
    (
        DocumentKind::AcceptanceNotice,
        "acceptance_notice",
        "受理通知书",
    ),
    (
        DocumentKind::RejectionNotice,
        "rejection_notice",
        "不予受理通知书",
    ),
    (
        DocumentKind::DeemedAcceptanceNotice,
        "deemed_acceptance_notice",
        "视为受理告知书",
    ),
    (
        DocumentKind::ExOfficioNotice,
        "ex_officio_notice",
        "主动启动审查论证通知书",
    ),
    (
        DocumentKind::ExtensionApproval,
        "extension_approval",
        "延长审查论证期限批复",
    ),
    (
        DocumentKind::ReviewOpinion,
        "review_opinion",
        "审查论证意见书",
    ),
    (
        DocumentKind::ReconsiderationReply,
        "reconsideration_reply",
        "复议答复书",
    ),
    (DocumentKind::ReReviewReply, "re_review_reply", "复核答复书"),
    (
        DocumentKind::Recommendation,
        "recommendation",
        "撤销或者变更问责决定建议书",
    ),
    (DocumentKind::PublicityNotice, "publicity_notice", "公示"),
    (
        DocumentKind::PublicStatement,
        "public_statement",
        "免责容错调查审查情况通报",
    ),
    (
        DocumentKind::FaultDetermination,
        "fault_determination",
        "执法过错责任认定书",
    ),
    (
        DocumentKind::FaultDecision,
        "fault_decision",
        "执法过错责任追究决定书",
    ),
    (
        DocumentKind::FaultAppealReply,
        "fault_appeal_reply",
        "执法过错申诉答复书",
    ),
    (
        DocumentKind::FaultTransfer,
        "fault_transfer",
        "执法过错案件移交函",
    ),
    (
        DocumentKind::SanctionReviewOpinion,
        "sanction_review_opinion",
        "处分申诉复核意见书",
    ),
    (
        DocumentKind::CorrectionOrder,
        "correction_order",
        "限期纠正通知书",
    ),
    (
        DocumentKind::RectificationNotice,
        "rectification_notice",
        "整改通知书",
    ),
    (
        DocumentKind::RiskWarning,
        "risk_warning",
        "易错风险警示提醒函",
    ),
    (
        DocumentKind::IncidentReport,
        "incident_report",
        "维权案（事）件报告",
    ),
    (
        DocumentKind::NameClearingNotice,
        "name_clearing_notice",
        "正名通知书",
    ),
    (
        DocumentKind::ComplaintOutcome,
        "complaint_outcome",
        "举报核查情况反馈（说明）",
    ),
    (
        DocumentKind::DeterminationNotice,
        "determination_notice",
        "容错免责认定结论告知（回复反馈）书",
    ),
    (
        DocumentKind::DeterminationReviewReply,
        "determination_review_reply",
        "复议申述答复书",
    ),
    (
        DocumentKind::DeterminationFiling,
        "determination_filing",
        "容错免责认定情况备案报告",
    ),
];

const TEMPLATE: &str = include_str!("templates/notice.typ");

/// The template parsed once; only the inputs change between notices.
static MAIN: LazyLock<Source> = LazyLock::new(|| Source::detached(TEMPLATE));

const INDENT: &str = "\u{3000}\u{3000}";

/// Splits a notice's text into body paragraphs and the signature block (signer, date), which
/// the workflow writes after a blank line at the end.
fn layout_parts(text: &str) -> (Vec<(bool, String)>, Vec<String>) {
    let (body, signature) = match text.rsplit_once("\n\n") {
        Some((b, s)) if !s.trim().is_empty() && s.lines().count() <= 3 => (b, Some(s)),
        _ => (text, None),
    };
    let paras = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.strip_prefix(INDENT) {
            Some(rest) => (true, rest.trim_start_matches('\u{3000}').to_string()),
            None => (false, l.to_string()),
        })
        .collect();
    let signature = signature
        .map(|s| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    (paras, signature)
}

fn str_value(s: impl Into<String>) -> Value {
    let s: String = s.into();
    s.into_value()
}

fn inputs(doc: &Document, header: Option<&Header>, fonts: &Fonts) -> Dict {
    let (paras, signature) = layout_parts(&doc.text);
    let mut d = Dict::new();
    d.insert("title".into(), str_value(doc.title.as_str()));
    let paras: Vec<Value> = paras
        .into_iter()
        .map(|(indent, text)| {
            let mut p = Dict::new();
            p.insert("indent".into(), indent.into_value());
            p.insert("text".into(), str_value(text));
            p.into_value()
        })
        .collect();
    d.insert("paras".into(), paras.into_value());
    // The date stands four characters in from the right (GB/T 9704 §7.3.5.1); a signer too long
    // for that moves right so that it still takes one line.
    let longest = signature
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let pad = 27usize.saturating_sub(longest).min(4) as i64;
    d.insert("signature-pad".into(), pad.into_value());
    let signature: Vec<Value> = signature.into_iter().map(str_value).collect();
    d.insert("signature".into(), signature.into_value());
    let copy_to: Vec<Value> = doc.copy_to.iter().map(|s| str_value(s.as_str())).collect();
    d.insert("copy-to".into(), copy_to.into_value());
    let header = match header {
        Some(h) => {
            let mut hd = Dict::new();
            hd.insert("organ".into(), str_value(h.organ.as_str()));
            hd.insert(
                "number".into(),
                match &h.number {
                    Some(n) => str_value(n.as_str()),
                    None => Value::None,
                },
            );
            // The organ's name spans at most the type area's width (156 mm ≈ 442 pt).
            let chars = h.organ.chars().count().max(1) as f64;
            let size = (420.0 / chars).clamp(16.0, 36.0);
            hd.insert(
                "organ-size".into(),
                typst::layout::Abs::pt(size).into_value(),
            );
            hd.into_value()
        }
        None => Value::None,
    };
    d.insert("header".into(), header);
    d.insert("fonts".into(), font_inputs(fonts));
    d
}

/// The font stack of each role, as every template reads it (`sys.inputs.fonts`).
fn font_inputs(fonts: &Fonts) -> Value {
    let mut f = Dict::new();
    let stack = |role| -> Value {
        let v: Vec<Value> = fonts.stack(role).into_iter().map(str_value).collect();
        v.into_value()
    };
    f.insert("fangsong".into(), stack(Role::FangSong));
    f.insert("xbsong".into(), stack(Role::XiaoBiaoSong));
    f.insert("song".into(), stack(Role::Song));
    f.insert("hei".into(), stack(Role::Hei));
    f.insert("xbsong-weight".into(), fonts.title_weight().into_value());
    f.into_value()
}

struct NoticeWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    /// The template: the notice's, or the application form's.
    main: &'a Source,
}

impl World for NoticeWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    // The template reads no files: a notice is made only from its inputs.
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets a notice as a PDF in the GB/T 9704-2012 layout; `org_header` adds the red 版头 and
/// 发文字号 when an organ issues it under its own number.
pub fn render_pdf(
    doc: &Document,
    org_header: Option<&Header>,
    fonts: &Fonts,
) -> Result<Vec<u8>, DocumentError> {
    typeset(&MAIN, inputs(doc, org_header, fonts), fonts)
}

/// Compiles a template with its inputs and exports the PDF.
fn typeset(main: &Source, inputs: Dict, fonts: &Fonts) -> Result<Vec<u8>, DocumentError> {
    export(&compile(main, inputs, fonts)?)
}

/// Lays out a template with its inputs (the pages, before export).
fn compile(main: &Source, inputs: Dict, fonts: &Fonts) -> Result<PagedDocument, DocumentError> {
    if !fonts.has_cjk() {
        return Err(DocumentError::NoCjkFont);
    }
    let world = NoticeWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        fonts,
        main,
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    // Keep typst's memoisation cache from growing without bound in a long-running server.
    typst::comemo::evict(10);
    result.map_err(|errs| {
        DocumentError::Typeset(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("；"),
        )
    })
}

/// The PDF of laid-out pages.
fn export(document: &PagedDocument) -> Result<Vec<u8>, DocumentError> {
    typst_pdf::pdf(document, &typst_pdf::PdfOptions::default()).map_err(|errs| {
        DocumentError::Export(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("；"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_block_is_split_from_the_body() {
        let (paras, sig) = layout_parts(
            "张伟同志：\n\u{3000}\u{3000}本办收到申请。\n\u{3000}\u{3000}特此通知。\n\n某办公室\n2024年10月8日",
        );
        assert_eq!(
            paras,
            vec![
                (false, "张伟同志：".to_string()),
                (true, "本办收到申请。".to_string()),
                (true, "特此通知。".to_string()),
            ]
        );
        assert_eq!(sig, vec!["某办公室", "2024年10月8日"]);
    }
}
