//! The written notices of a case of any process (issue 6), as the document pages and the API
//! read them: numbered from 1 in order of issue, each with its seal when sealed; the sealed PDF
//! read back from the archive and re-hashed against its seal on every read (a notice without a
//! seal is typeset on demand and named 未定稿), the DOCX typeset on demand for editing, and the
//! file replies with their RFC 5987 names.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lvzhi_processes::{Document, DocumentSeal};
use lvzhi_store::{sm3_hex, StoreError};

use crate::app::App;
use crate::auth::User;
use crate::cases::{self, CaseCtx};
use crate::error::AppError;

pub(crate) const PDF: &str = "application/pdf";
pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// What a document path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Page,
    Pdf,
    Docx,
}

/// `3` → the page of notice 3; `3.pdf`, `3.docx` → its files. `None` for anything else.
pub(crate) fn parse_file(file: &str) -> Option<(usize, Format)> {
    let (n, format) = match file.split_once('.') {
        None => (file, Format::Page),
        Some((n, "pdf")) => (n, Format::Pdf),
        Some((n, "docx")) => (n, Format::Docx),
        Some(_) => return None,
    };
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.len() > 6 {
        return None;
    }
    n.parse().ok().filter(|n| *n > 0).map(|n| (n, format))
}

/// One issued notice of a case: its number (from 1, in order of issue), its text of record,
/// its seal (if sealed) and the day it was sealed.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub n: usize,
    pub document: Document,
    pub seal: Option<DocumentSeal>,
    pub sealed_on: Option<chrono::NaiveDate>,
}

/// The notices of one case of any process (the 000 application or one of `lvzhi_processes`),
/// as the document pages, downloads and API read them: every case's notices are numbered,
/// sealed, downloaded and checked the same way.
#[derive(Debug, Clone)]
pub(crate) struct CaseDocuments {
    pub case_id: String,
    pub items: Vec<Issued>,
}

impl CaseDocuments {
    /// The notices of a loaded case, with their seals.
    pub(crate) fn of(ctx: &CaseCtx) -> Self {
        let case = &ctx.case.case;
        let seals = case.seals();
        let items = case
            .documents()
            .into_iter()
            .enumerate()
            .map(|(i, document)| {
                let seal = seals.iter().find(|s| s.seal.document == i + 1);
                Issued {
                    n: i + 1,
                    document,
                    seal: seal.map(|s| s.seal.clone()),
                    sealed_on: seal.map(|s| s.on),
                }
            })
            .collect();
        CaseDocuments {
            case_id: ctx.id().to_string(),
            items,
        }
    }

    /// The notices of case `case_id`, for a user who may view it (404 otherwise, as for a
    /// case that does not exist).
    pub(crate) async fn load(app: &App, user: &User, case_id: &str) -> Result<Self, AppError> {
        Ok(Self::of(&cases::load(app, user, case_id).await?))
    }

    /// The notice `n`, or 404.
    pub(crate) fn one(&self, n: usize) -> Result<&Issued, AppError> {
        self.items
            .iter()
            .find(|d| d.n == n)
            .ok_or_else(|| AppError::NotFound(format!("案件 {} 没有第 {n} 份文书", self.case_id)))
    }
}

/// The PDF of a notice and whether it is the sealed one: the archived file, re-hashed against
/// its seal; or, without a seal, typeset now.
pub(crate) async fn pdf(app: &App, case_id: &str, d: &Issued) -> Result<(Vec<u8>, bool), AppError> {
    let Some(seal) = &d.seal else {
        let typesetter = app.typesetter().clone();
        let document = d.document.clone();
        let r = crate::typeset::blocking(move || typesetter.pdf(&document))
            .await
            .map_err(AppError::from)?;
        return Ok((r.pdf, false));
    };
    match app.evidence().get_document(case_id, d.n, &seal.sm3).await {
        Ok(bytes) => Ok((bytes, true)),
        Err(StoreError::ArchiveMissing { key }) => {
            // Lost from the archive (or the archive moved): typeset again, and serve it only if
            // it is the very PDF sealed — same text, same fonts give the same bytes.
            let typesetter = app.typesetter().clone();
            let document = d.document.clone();
            let again = crate::typeset::blocking(move || typesetter.pdf(&document))
                .await
                .map_err(AppError::from)?;
            if sm3_hex(&again.pdf) == seal.sm3 {
                tracing::warn!(
                    "document archive: {key} was missing; restored from a re-typeset copy"
                );
                let _ = app.evidence().put_document(case_id, d.n, &again.pdf).await;
                Ok((again.pdf, true))
            } else {
                tracing::error!("document archive: {key} is missing and a re-typeset copy differs");
                Err(AppError::Conflict(format!(
                    "第 {} 份文书的定稿 PDF 不在存档中，重新排版的文件与定稿时记录的 SM3 摘要不一致（字体或排版程序已变化）；请联系系统管理员恢复存档",
                    d.n
                )))
            }
        }
        Err(e @ StoreError::ArchiveCorrupt { .. }) => {
            // Someone changed the archived file: refuse it and leave a trace for the operator.
            tracing::error!("document archive integrity failure: case {case_id}: {e:?}");
            Err(AppError::Conflict(e.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// The notice as an editable DOCX, typeset now.
pub(crate) async fn docx(app: &App, d: &Issued) -> Result<Vec<u8>, AppError> {
    let typesetter = app.typesetter().clone();
    let document = d.document.clone();
    crate::typeset::blocking(move || typesetter.docx(&document))
        .await
        .map_err(AppError::from)
}

/// Percent-encodes everything but RFC 5987's `attr-char` (the `filename*` of every download).
pub(crate) fn rfc5987(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    /// What RFC 5987 does not let stand as itself: all but letters, digits and `attr-char`'s
    /// `!#$&+-.^_`|~`.
    const NOT_ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    utf8_percent_encode(s, NOT_ATTR_CHAR).to_string()
}

/// `A2026-000001-1-免责容错申请受理通知书.pdf` (with `（未定稿）` when unsealed) in UTF-8, and
/// the ASCII `A2026-000001-1.pdf` for old clients (RFC 6266 / RFC 5987).
pub(crate) fn content_disposition(case_id: &str, d: &Issued, ext: &str, sealed: bool) -> String {
    let title: String = d
        .document
        .title
        .chars()
        .filter(|c| !c.is_control() && !"/\\\"".contains(*c))
        .collect();
    let mark = if sealed { "" } else { "（未定稿）" };
    let name = format!("{case_id}-{}-{title}{mark}.{ext}", d.n);
    format!(
        "attachment; filename=\"{case_id}-{}.{ext}\"; filename*=UTF-8''{}",
        d.n,
        rfc5987(&name)
    )
}

/// A file reply: its type, its name, never cached.
pub(crate) fn file_response(
    bytes: Vec<u8>,
    content_type: &'static str,
    disposition: &str,
) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The PDF or DOCX of notice `n`, for pages and the API alike.
pub(crate) async fn file(
    app: &App,
    docs: &CaseDocuments,
    n: usize,
    format: Format,
) -> Result<Response, AppError> {
    let id = &docs.case_id;
    let d = docs.one(n)?;
    match format {
        Format::Docx => {
            let bytes = docx(app, d).await?;
            Ok(file_response(
                bytes,
                DOCX,
                &content_disposition(id, d, "docx", d.seal.is_some()),
            ))
        }
        _ => {
            let (bytes, sealed) = pdf(app, id, d).await?;
            Ok(file_response(
                bytes,
                PDF,
                &content_disposition(id, d, "pdf", sealed),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_paths_name_a_page_or_a_file() {
        assert_eq!(parse_file("3"), Some((3, Format::Page)));
        assert_eq!(parse_file("12.pdf"), Some((12, Format::Pdf)));
        assert_eq!(parse_file("1.docx"), Some((1, Format::Docx)));
        for bad in [
            "0",
            "0.pdf",
            "",
            ".pdf",
            "1.txt",
            "1.pdf.pdf",
            "-1",
            "a",
            "1e3",
            "9999999",
        ] {
            assert_eq!(parse_file(bad), None, "{bad}");
        }
    }

    #[test]
    fn file_names_carry_the_title_in_utf8_and_mark_unsealed_copies() {
        let document = Document {
            kind: lvzhi_workflow::DocumentKind::AcceptanceNotice,
            title: "免责容错申请受理通知书".into(),
            addressee: String::new(),
            copy_to: vec![],
            text: String::new(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
        };
        let d = Issued {
            n: 1,
            document,
            seal: None,
            sealed_on: None,
        };
        let sealed = content_disposition("A2026-000001", &d, "pdf", true);
        assert!(sealed.starts_with("attachment; filename=\"A2026-000001-1.pdf\"; filename*=UTF-8''A2026-000001-1-%E5%85%8D"), "{sealed}");
        assert!(HeaderValue::from_str(&sealed).is_ok());
        let unsealed = content_disposition("A2026-000001", &d, "docx", false);
        // （未定稿）
        assert!(
            unsealed.ends_with(&format!("{}.docx", rfc5987("（未定稿）"))),
            "{unsealed}"
        );
    }
}
