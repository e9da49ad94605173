//! Every kind of notice written as a DOCX and read back from the archive: the same texts as the
//! notice of record, the GB/T 9704-2012 page setup (A4, margins, 22 × 28 grid), fonts, 版头,
//! page numbers and 抄送; markup in a value kept literally; and, where LibreOffice is installed,
//! the DOCX printed by `libreoffice --headless` as an A4 PDF with the title on it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::io::Read;
use std::process::Command as Process;
use std::sync::LazyLock;

use common::*;
use lvzhi_documents::{render_docx, Fonts};
use lvzhi_workflow::documents as docs;
use lvzhi_workflow::*;

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts::discover(None));

/// The parts of the archive a test reads.
struct Parts {
    document: String,
    styles: String,
    footers: Vec<String>,
    settings: String,
}

fn unzip(docx: &[u8]) -> Parts {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let document = read("word/document.xml");
    let settings = read("word/settings.xml");
    let styles = read("word/styles.xml");
    let footers = (1..=2)
        .map(|i| read(&format!("word/footer{i}.xml")))
        .collect();
    Parts {
        document,
        styles,
        footers,
        settings,
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#xA;", "\n")
        .replace("&amp;", "&")
}

/// The text of every `<w:t>` in order, one line per paragraph.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        let mut rest = para;
        while let Some(i) = rest.find("<w:t") {
            let after = &rest[i + 4..];
            // `<w:t>` or `<w:t xml:space=…>`, not `<w:tab/>` or `<w:tcPr>`.
            if !(after.starts_with('>') || after.starts_with(' ')) {
                rest = after;
                continue;
            }
            let open = after.find('>').unwrap();
            let body = &after[open + 1..];
            let close = body.find("</w:t>").unwrap();
            out.push_str(&unescape(&body[..close]));
            rest = &body[close..];
        }
        out.push('\n');
    }
    out
}

/// The attributes of the first `<tag …>` element.
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let start = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no {tag}"));
    let end = xml[start..].find('>').unwrap();
    &xml[start..start + end]
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_kind_has_the_text_of_record_in_the_docx() {
    // The workflow's notices; the other processes' kinds are the same `Document` shape.
    let all = notices();
    assert_eq!(all.len(), 10);
    for (doc, expected) in &all {
        let docx = render_docx(doc, None, &FONTS).unwrap();
        assert!(docx.starts_with(b"PK"), "a zip archive");
        let parts = unzip(&docx);
        let text = text_of(&parts.document);
        let flat = squeeze(&text);
        // The title is a paragraph of its own, and every paragraph of the notice is there.
        assert!(
            text.lines().any(|l| l == doc.title),
            "{:?}: {text}",
            doc.kind
        );
        for e in expected {
            assert!(flat.contains(e), "{:?} lacks {e}: {text}", doc.kind);
        }
        for line in doc.text.lines().filter(|l| !l.trim().is_empty()) {
            let line = line.trim_start_matches('\u{3000}').trim();
            assert!(
                text.lines().any(|l| l == line),
                "{:?} lacks the paragraph {line}: {text}",
                doc.kind
            );
        }
        if !doc.copy_to.is_empty() {
            assert!(
                text.contains(&format!("抄送：{}。", doc.copy_to.join("，"))),
                "{text}"
            );
        }
    }
}

#[test]
fn the_page_is_a4_with_the_gb_t_9704_margins_and_grid() {
    let doc = review_opinion();
    let parts = unzip(&render_docx(&doc, None, &FONTS).unwrap());
    let xml = &parts.document;
    let size = element(xml, "w:pgSz");
    assert!(
        size.contains(r#"w:w="11906""#) && size.contains(r#"w:h="16838""#),
        "{size}"
    );
    let margins = element(xml, "w:pgMar");
    for (side, twips) in [
        ("top", 2098),
        ("bottom", 1984),
        ("left", 1588),
        ("right", 1474),
    ] {
        assert!(
            margins.contains(&format!(r#"w:{side}="{twips}""#)),
            "{side}: {margins}"
        );
    }
    // 22 lines a page and 28 characters a line: the line pitch (225 mm / 22) and the character
    // spacing of the grid, with the body paragraphs at exactly that line spacing.
    let grid = element(xml, "w:docGrid");
    assert!(
        grid.contains(r#"w:type="linesAndChars""#)
            && grid.contains(r#"w:linePitch="579""#)
            && grid.contains(r#"w:charSpace="-849""#),
        "{grid}"
    );
    assert!(xml.contains(r#"w:line="579" w:lineRule="exact""#), "{xml}");
    // 3号 仿宋 body, 2号 title: sizes in half-points, fonts named for the east-Asian script.
    let fangsong = lvzhi_documents::docx_family(&FONTS, lvzhi_documents::Role::FangSong);
    assert!(
        xml.contains(&format!(r#"w:eastAsia="{fangsong}""#)),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:sz w:val="32" />"#), "{xml}");
    // The Normal style carries the body size too: LibreOffice sizes the grid's cells from it.
    let normal = &parts.styles[parts.styles.find(r#"w:styleId="Normal""#).unwrap()..];
    let normal = &normal[..normal.find("</w:style>").unwrap()];
    assert!(
        normal.contains(r#"<w:sz w:val="32" />"#) && normal.contains(&fangsong),
        "{normal}"
    );
    assert!(xml.contains(r#"<w:sz w:val="44" />"#), "{xml}");
    // Page numbers "— n —" in 4号 宋体: right on odd pages, left on even ones (§7.5).
    assert!(
        parts.settings.contains("w:evenAndOddHeaders"),
        "{}",
        parts.settings
    );
    for footer in &parts.footers {
        assert!(footer.contains("PAGE"), "{footer}");
        assert!(footer.contains("— ") && footer.contains(" —"), "{footer}");
        assert!(footer.contains(r#"<w:sz w:val="28" />"#), "{footer}");
    }
    assert!(parts.footers.iter().any(|f| f.contains(r#"w:val="right""#)));
    assert!(parts.footers.iter().any(|f| f.contains(r#"w:val="left""#)));
}

#[test]
fn the_header_is_red_with_the_document_number() {
    let doc = review_opinion();
    let parts = unzip(&render_docx(&doc, Some(&header()), &FONTS).unwrap());
    let text = text_of(&parts.document);
    let mut lines = text.lines().filter(|l| !l.is_empty());
    assert_eq!(
        lines.next(),
        Some("阿拉善左旗公安局维护民警执法权威工作委员会文件")
    );
    assert_eq!(lines.next(), Some("左公维〔2024〕3号"));
    assert_eq!(lines.next(), Some(doc.title.as_str()));
    assert!(
        parts.document.contains(r#"<w:color w:val="E60012" />"#),
        "{}",
        parts.document
    );
    // The red rule under the number, and no box around it.
    let pbdr = &parts.document[parts.document.find("<w:pBdr>").unwrap()..];
    let pbdr = &pbdr[..pbdr.find("</w:pBdr>").unwrap()];
    let rule = element(pbdr, "w:bottom");
    assert!(
        rule.contains("E60012") && rule.contains(r#"w:sz="12""#),
        "{rule}"
    );
    assert!(
        !pbdr.contains("<w:top") && !pbdr.contains("<w:left"),
        "{pbdr}"
    );
}

#[test]
fn the_signature_stands_right_after_the_body() {
    let doc = review_opinion();
    let parts = unzip(&render_docx(&doc, None, &FONTS).unwrap());
    let signature: Vec<&str> = doc
        .text
        .rsplit_once("\n\n")
        .unwrap()
        .1
        .lines()
        .map(str::trim)
        .collect();
    for line in &signature {
        let at = parts
            .document
            .find(&format!(">{line}</w:t>"))
            .unwrap_or_else(|| panic!("{line}"));
        let para = &parts.document[parts.document[..at].rfind("<w:p ").unwrap()..at];
        assert!(para.contains(r#"<w:jc w:val="right" />"#), "{para}");
    }
    assert!(parts.document.contains(r#"w:name="stamp""#));
}

#[test]
fn markup_in_a_value_is_printed_literally() {
    let evil = "<w:t>x</w:t></w:r></w:p><w:p> & &amp; ]]> <![CDATA[ \"引号\" '单' #set *粗体*";
    let doc = docs::rejection_notice(
        &reg(),
        &form(),
        Some(Filer::Officer),
        d(2024, 9, 27),
        d(2024, 10, 8),
        evil,
    )
    .unwrap();
    let docx = render_docx(&doc, None, &FONTS).unwrap();
    let parts = unzip(&docx);
    let text = text_of(&parts.document);
    assert!(text.contains(evil), "{text}");
    // Nothing of it became markup: the raw XML has it only escaped.
    assert!(!parts.document.contains("<w:t>x</w:t>"));
    assert!(!parts.document.contains("]]>"));
    assert!(parts.document.contains("&amp;amp;"));
}

#[test]
fn a_long_reasons_text_stays_whole() {
    let reasons: String = (1..=60)
        .map(|i| {
            format!("第{i}项理由：民警到达现场后依法表明身份并口头警告，违法行为人仍持刀伤人。")
        })
        .collect::<Vec<_>>()
        .join("\n\u{3000}\u{3000}");
    let doc = docs::rejection_notice(
        &reg(),
        &form(),
        Some(Filer::Unit),
        d(2024, 9, 27),
        d(2024, 10, 8),
        &reasons,
    )
    .unwrap();
    let parts = unzip(&render_docx(&doc, None, &FONTS).unwrap());
    let text = text_of(&parts.document);
    for i in [1, 30, 60] {
        assert!(text.contains(&format!("第{i}项理由")), "{i}");
    }
}

fn libreoffice() -> Option<&'static str> {
    ["libreoffice", "soffice"].into_iter().find(|p| {
        Process::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Converts with a profile of its own, so parallel tests and a running LibreOffice don't clash.
fn convert_to_pdf(program: &str, docx: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("notice.docx");
    std::fs::write(&input, docx).unwrap();
    let out = Process::new(program)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.path().join("notice.pdf")).unwrap_or_else(|e| {
        panic!(
            "no PDF ({e}): {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn poppler(pdf: &[u8], program: &str, args: &[&str]) -> String {
    let mut f = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::io::Write::write_all(&mut f, pdf).unwrap();
    let out = Process::new(program)
        .args(args)
        .arg(f.path())
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn libreoffice_prints_the_docx_as_an_a4_pdf_with_the_title() {
    let Some(program) = libreoffice() else {
        println!(
            "skipped: libreoffice is not installed (apt-get install libreoffice-writer-nogui)"
        );
        return;
    };
    if Process::new("pdftotext").arg("-v").output().is_err() {
        println!("skipped: pdftotext/pdfinfo missing (apt-get install poppler-utils)");
        return;
    }
    let doc = review_opinion();
    let pdf = convert_to_pdf(
        program,
        &render_docx(&doc, Some(&header()), &FONTS).unwrap(),
    );
    let info = poppler(&pdf, "pdfinfo", &[]);
    assert!(info.contains("595.") && info.contains("841."), "{info}");
    let text = squeeze(&poppler(&pdf, "pdftotext", &["-layout"]));
    assert!(text.contains(&squeeze(&doc.title)), "{text}");
    assert!(text.contains("左公维〔2024〕3号"), "{text}");
    assert!(text.contains("—1—"), "page number: {text}");
}

/// `LVZHI_SAMPLES=dir cargo test -p lvzhi-documents --test docx samples` writes one DOCX per
/// kind (the review opinion with the 版头).
#[test]
fn samples() {
    let Ok(dir) = std::env::var("LVZHI_SAMPLES") else {
        return;
    };
    for (i, (doc, _)) in notices().iter().enumerate() {
        let h = header();
        let h = (doc.kind == DocumentKind::ReviewOpinion).then_some(&h);
        let docx = render_docx(doc, h, &FONTS).unwrap();
        std::fs::write(format!("{dir}/{i:02}.docx"), docx).unwrap();
    }
}

/// Debian's fonts-arphic-ukai (installed by `.ci/run`) is named "AR PL UKai" by typst, without
/// the "CN" fontconfig shows; the 楷体 role finds it by that name.
#[test]
fn the_kai_role_finds_ar_pl_ukai_by_typst_s_name() {
    if !FONTS.families().iter().any(|f| f == "AR PL UKai") {
        println!("skipped: AR PL UKai not installed (apt-get install fonts-arphic-ukai)");
        return;
    }
    let kai = FONTS.role(lvzhi_documents::Role::Kai).unwrap();
    let official = FONTS
        .families()
        .iter()
        .any(|f| ["KaiTi_GB2312", "KaiTi", "FZKai-Z03S", "STKaiti"].contains(&f.as_str()));
    if !official {
        assert_eq!(kai.family.as_deref(), Some("AR PL UKai"));
        assert!(!kai.official);
    }
}
