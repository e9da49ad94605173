//! How long one notice takes to render (issue 6): the review opinion (审查论证意见书) with its
//! 版头 typeset to PDF in-process by typst, and written as DOCX; then, as the ratio anchor, the
//! same DOCX printed to PDF by `libreoffice --headless --convert-to pdf` (Debian), timed over a
//! few runs outside criterion.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p lvzhi-documents --bench render`.
//! Under `cargo test` each benchmark runs once and LibreOffice is not started.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use lvzhi_documents::{render_docx, render_pdf, Fonts};

fn bench(c: &mut Criterion) {
    let fonts = Fonts::discover(None);
    let doc = common::review_opinion();
    let header = common::header();
    if !fonts.has_cjk() {
        println!("render: skipped, no Chinese font installed (apt-get install fonts-noto-cjk)");
        return;
    }
    let mut group = c.benchmark_group("review_opinion");
    group.sample_size(50);
    // typst memoises: the same notice again reuses most of its layout.
    group.bench_function("pdf", |b| {
        b.iter(|| render_pdf(black_box(&doc), Some(&header), &fonts).unwrap())
    });
    // A different text each time (as successive notices are): its paragraphs are laid out anew.
    let mut n = 0u64;
    group.bench_function("pdf_new_text", |b| {
        b.iter(|| {
            n += 1;
            let doc = fresh(&doc, n);
            render_pdf(black_box(&doc), Some(&header), &fonts).unwrap()
        })
    });
    group.bench_function("docx", |b| {
        b.iter(|| render_docx(black_box(&doc), Some(&header), &fonts).unwrap())
    });
    group.finish();
}

/// The notice with the n-th variant of its text in every paragraph.
fn fresh(doc: &lvzhi_workflow::Document, n: u64) -> lvzhi_workflow::Document {
    let mut doc = doc.clone();
    doc.text = doc.text.replace("。", &format!("（{n}）。"));
    doc
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The LibreOffice round trip, and in-process medians measured the same simple way, so the
/// ratio is of like with like.
fn libreoffice_anchor(cold: Duration) {
    let program = ["libreoffice", "soffice"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(program) = program else {
        println!("libreoffice anchor: skipped, libreoffice is not installed (apt-get install libreoffice-writer-nogui)");
        return;
    };
    let fonts = Fonts::discover(None);
    let doc = common::review_opinion();
    let header = common::header();
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        t.elapsed()
    };
    let pdf: Vec<Duration> = (0..30)
        .map(|i| {
            let doc = fresh(&doc, 1_000_000 + i);
            time(&|| {
                black_box(render_pdf(&doc, Some(&header), &fonts).unwrap());
            })
        })
        .collect();
    let docx: Vec<Duration> = (0..30)
        .map(|_| {
            time(&|| {
                black_box(render_docx(&doc, Some(&header), &fonts).unwrap());
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("review_opinion.docx");
    std::fs::write(&input, render_docx(&doc, Some(&header), &fonts).unwrap()).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let convert = || {
        let out = Command::new(program)
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(dir.path().join("review_opinion.pdf").exists());
    };
    // The first run creates the profile; it is timed apart (a fresh server or CI pays it once).
    let first = time(&convert);
    let runs: Vec<Duration> = (0..5).map(|_| time(&convert)).collect();
    let lo = median(runs.clone());
    let (pdf, docx) = (median(pdf), median(docx));
    println!("review_opinion, median of simple timings (30 in-process runs, 5 LibreOffice runs):");
    println!(
        "  typst PDF, first in the process:  {:9.2} ms (fonts loaded, nothing memoised)",
        ms(cold)
    );
    println!("  typst PDF, in-process, new text:  {:9.2} ms", ms(pdf));
    println!("  docx-rs DOCX, in-process:         {:9.2} ms", ms(docx));
    println!(
        "  libreoffice --headless DOCX → PDF: {:9.2} ms (runs: {}; first run with a new profile {:.0} ms)",
        ms(lo),
        runs.iter()
            .map(|d| format!("{:.0}", ms(*d)))
            .collect::<Vec<_>>()
            .join(", "),
        ms(first)
    );
    println!(
        "  ratio: LibreOffice DOCX → PDF takes {:.0}× as long as typst's PDF",
        lo.as_secs_f64() / pdf.as_secs_f64()
    );
}

criterion_group!(benches, bench);

fn main() {
    // The very first notice a process typesets: nothing memoised yet (fonts already loaded).
    let cold = {
        let fonts = Fonts::discover(None);
        let (doc, header) = (common::review_opinion(), common::header());
        let t = Instant::now();
        let ok = render_pdf(&doc, Some(&header), &fonts).is_ok();
        (t.elapsed(), ok)
    };
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        if cold.1 {
            libreoffice_anchor(cold.0);
        }
    } else {
        println!("libreoffice anchor: skipped under cargo test; run `cargo bench -p lvzhi-documents --bench render`");
    }
}
