//! Reading a PDF back with poppler's command-line tools (Debian poppler-utils): text, page
//! count, word boxes per page, fonts.
#![allow(dead_code)]

use std::io::Write;
use std::process::Command as Process;

/// Whether poppler's tools are installed; tests that need them say they were skipped.
pub(crate) fn poppler() -> bool {
    let ok = ["pdftotext", "pdfinfo", "pdffonts"]
        .iter()
        .all(|t| Process::new(t).arg("-v").output().is_ok());
    if !ok {
        println!("skipped: pdftotext/pdfinfo/pdffonts missing (apt-get install poppler-utils)");
    }
    ok
}

pub(crate) fn write_tmp(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    f.write_all(pdf).unwrap();
    f
}

fn run(tool: &str, pdf: &[u8], args: &[&str], to_stdout: bool) -> String {
    let f = write_tmp(pdf);
    let mut cmd = Process::new(tool);
    cmd.args(args).arg(f.path());
    if to_stdout {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn pdftotext(pdf: &[u8], args: &[&str]) -> String {
    run("pdftotext", pdf, args, true)
}

/// The whole text, squeezed, in the order it was typeset.
pub(crate) fn raw_text(pdf: &[u8]) -> String {
    squeeze(&pdftotext(pdf, &["-raw"]))
}

pub(crate) fn pdfinfo(pdf: &[u8]) -> String {
    run("pdfinfo", pdf, &[], false)
}

pub(crate) fn pdffonts(pdf: &[u8]) -> String {
    run("pdffonts", pdf, &[], false)
}

/// Text without the spaces and line breaks pdftotext puts between CJK glyphs.
pub(crate) fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub(crate) fn pages(pdf: &[u8]) -> usize {
    pdfinfo(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

/// The squeezed text of each page (pdftotext separates pages with a form feed), in the order
/// it was typeset (`-raw`: a table cell's lines stay together).
pub(crate) fn page_texts(pdf: &[u8]) -> Vec<String> {
    let text = pdftotext(pdf, &["-raw"]);
    let mut v: Vec<String> = text.split('\u{c}').map(squeeze).collect();
    if v.last().is_some_and(|p| p.is_empty()) {
        v.pop();
    }
    v
}

/// A word's box in points, origin at the page's top left.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

/// Every word with its page (from 1) and box, from `pdftotext -bbox`.
pub(crate) fn words(pdf: &[u8]) -> Vec<Word> {
    let html = pdftotext(pdf, &["-bbox"]);
    let mut page = 0;
    let mut out = Vec::new();
    for l in html.lines().map(str::trim_start) {
        if l.starts_with("<page") {
            page += 1;
        }
        if !l.starts_with("<word") {
            continue;
        }
        let num = |k: &str| -> f64 {
            let s = l.split(&format!("{k}=\"")).nth(1).unwrap();
            s[..s.find('"').unwrap()].parse().unwrap()
        };
        let text = l
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        out.push(Word {
            page,
            x0: num("xMin"),
            y0: num("yMin"),
            x1: num("xMax"),
            y1: num("yMax"),
            text,
        });
    }
    out
}

pub(crate) const MM: f64 = 72.0 / 25.4;

/// The lines of a page: words grouped by their top edge, top to bottom, each line's text.
pub(crate) fn lines_of(words: &[Word], page: usize) -> Vec<(f64, String)> {
    let mut ws: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
    ws.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<(f64, String)> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some((y, t)) if (w.y0 - *y).abs() < 3.0 => t.push_str(&w.text),
            _ => lines.push((w.y0, w.text.clone())),
        }
    }
    lines
}

/// Whether a word is the page number "— n —" below the type area (GB/T 9704 §7.5).
pub(crate) fn is_page_number(w: &Word) -> bool {
    w.y0 > 262.0 * MM && (w.text.contains('—') || w.text.chars().all(|c| c.is_ascii_digit()))
}
