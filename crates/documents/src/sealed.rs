//! A notice typeset with what its seal records (issue 6): the PDF, its page count, and the font
//! families its text is actually set in (the configured faces, or the fallbacks typst chose for
//! rare characters) — so the record says which fonts a printed copy came from.

use super::*;
use typst::layout::{Frame, FrameItem};

/// A typeset notice and what its seal records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Its number of pages.
    pub pages: u32,
    /// The families of every font used, sorted.
    pub fonts: Vec<String>,
}

fn families(frame: &Frame, out: &mut Vec<String>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => families(&g.frame, out),
            FrameItem::Text(t) => {
                let family = &t.font.info().family;
                if !out.iter().any(|f| f == family) {
                    out.push(family.clone());
                }
            }
            _ => {}
        }
    }
}

/// [`render_pdf`], with the page count and the fonts used (the same bytes: the same
/// template, inputs and export).
pub fn render_pdf_detailed(
    doc: &Document,
    org_header: Option<&Header>,
    fonts: &Fonts,
) -> Result<RenderedPdf, DocumentError> {
    let document = compile(&MAIN, inputs(doc, org_header, fonts), fonts)?;
    let pdf = export(&document)?;
    let mut used = Vec::new();
    for page in document.pages() {
        families(&page.frame, &mut used);
    }
    used.sort();
    Ok(RenderedPdf {
        pdf,
        pages: u32::try_from(document.pages().len()).unwrap_or(u32::MAX),
        fonts: used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Issue 6: the seal's PDF is the very PDF `render_pdf` makes (a printed copy of either
    /// matches the record), with its pages and the fonts the text is set in.
    #[test]
    fn the_detailed_pdf_is_render_pdfs_with_its_pages_and_fonts() {
        let fonts = Fonts::discover(None);
        if !fonts.has_cjk() {
            println!("skipped: no CJK font (apt-get install fonts-noto-cjk)");
            return;
        }
        let doc = Document {
            kind: DocumentKind::AcceptanceNotice,
            title: "免责容错申请受理通知书".into(),
            addressee: "张伟同志".into(),
            copy_to: vec![],
            text: "张伟同志：\n\u{3000}\u{3000}决定予以受理。\n\u{3000}\u{3000}特此通知。\n\n某办公室\n2024年10月8日".into(),
            issued_on: NaiveDate::from_ymd_opt(2024, 10, 8).unwrap_or_default(),
        };
        let detailed = render_pdf_detailed(&doc, None, &fonts).expect("typeset");
        let plain = render_pdf(&doc, None, &fonts).expect("typeset");
        assert_eq!(detailed.pdf, plain);
        assert_eq!(detailed.pages, 1);
        assert!(!detailed.fonts.is_empty());
        let fangsong = fonts.role(Role::FangSong).and_then(|r| r.family.clone());
        if let Some(f) = fangsong {
            assert!(
                detailed.fonts.contains(&f),
                "{:?} lacks {f}",
                detailed.fonts
            );
        }
    }
}
