//! Every kind of notice rendered to PDF and read back with poppler's `pdftotext` / `pdfinfo`
//! (Debian poppler-utils): the Chinese text, dates and citations are there, the page is A4, the
//! text stays in the GB/T 9704 type area, long texts paginate, markup prints literally and rare
//! characters fall back to a font that has them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;
mod poppler;

use std::io::Write;
use std::process::Command as Process;
use std::sync::LazyLock;

use common::*;
use lvzhi_documents::{render_pdf, Fonts, Header, KINDS};
use lvzhi_workflow::documents as docs;
use lvzhi_workflow::*;
use poppler::{is_page_number, lines_of, words, Word, MM};

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts::discover(None));

/// One notice of every kind: the workflow's own (shared with the DOCX tests and the benchmark in
/// `common`), then those of the issue-7 processes.
fn notices() -> Vec<(Document, Vec<&'static str>)> {
    common::notices()
        .into_iter()
        .chain(process_notices())
        .collect()
}

/// The notices of the 执法过错 (004) and heavy-sanction appeal (001 §27–28) processes, as
/// `lvzhi_processes` writes them.
fn process_notices() -> Vec<(Document, Vec<&'static str>)> {
    let notice = |kind, title: &str, addressee: &str, body: &[&str], signer: &str| Document {
        kind,
        title: title.into(),
        addressee: addressee.into(),
        copy_to: vec!["巴彦浩特派出所".into()],
        text: format!(
            "{addressee}：\n{}\n\n{signer}\n2024年9月2日",
            body.iter()
                .map(|p| format!("\u{3000}\u{3000}{p}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        issued_on: d(2024, 9, 2),
    };
    vec![
        (
            notice(
                DocumentKind::PublicStatement,
                "免责容错调查审查情况通报",
                "王某某",
                &[
                    "根据《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》（以下简称《实施细则》）第二十八条的规定，为澄清事实、消除不良影响，现将张某同志（巴彦浩特派出所）“处置醉酒滋事”的免责容错调查审查情况和认定意见（免责）通报如下：",
                    "经调查审查，民警张某依法履职，依法予以免责。",
                    "特此通报。",
                ],
                "阿拉善左旗公安局",
            ),
            vec!["免责容错调查审查情况通报", "第二十八条", "特此通报"],
        ),
        (
            notice(
                DocumentKind::FaultDetermination,
                "执法过错责任认定书",
                "阿拉善左旗公安局警务督察部门、人事部门",
                &[
                    "阿拉善左旗公安局“王某涉嫌盗窃案”（2024年6月3日）中发生的执法过错，经检查，认定如下：",
                    "一、执法过错情形：错误采取刑事强制措施（《规定》第六条第（七）项）。",
                    "二、责任划分：李某（审批人）全部责任（《规定》第九条）；张某（办案人）不承担责任。",
                ],
                "阿拉善左旗公安局法制部门",
            ),
            vec!["执法过错责任认定书", "第九条", "全部责任"],
        ),
        (
            notice(
                DocumentKind::FaultDecision,
                "执法过错责任追究决定书",
                "李某同志",
                &[
                    "依照《规定》第十六条，经局长王某某审批，决定对你作出如下处理：通报批评、延期晋级、晋职。",
                    "如不服本决定，可以自收到本决定之日起30日内（至2024年10月8日）向本级或者上级公安机关申诉。",
                ],
                "阿拉善左旗公安局",
            ),
            vec!["执法过错责任追究决定书", "第十六条", "2024年10月8日"],
        ),
        (
            notice(
                DocumentKind::FaultAppealReply,
                "执法过错申诉答复书",
                "李某同志",
                &["你提出的申诉收悉。依照《规定》第二十七条，经复查，维持原决定。"],
                "阿拉善盟公安局",
            ),
            vec!["执法过错申诉答复书", "第二十七条", "维持原决定"],
        ),
        (
            notice(
                DocumentKind::FaultTransfer,
                "执法过错案件移交函",
                "阿拉善左旗人民检察院",
                &[
                    "阿拉善左旗公安局在查处“王某涉嫌盗窃案”执法过错案件中发现，执法过错责任人员李某（审批人）明知王某无犯罪事实仍决定对其刑事拘留。其行为涉嫌构成犯罪，应当追究刑事责任。依照《公安机关人民警察执法过错责任追究规定》（以下简称《规定》）第十八条的规定，现将该人员涉嫌犯罪的案件移交你单位依法办理。",
                    "附：执法过错责任认定书及有关证据材料。",
                    "特此函告。",
                ],
                "阿拉善左旗公安局",
            ),
            vec!["执法过错案件移交函", "第十八条", "特此函告"],
        ),
        (
            notice(
                DocumentKind::SanctionReviewOpinion,
                "处分申诉复核意见书",
                "阿拉善左旗公安局政治处",
                &["经复核，本委认为该记大过处分不当，建议撤销原决定。"],
                "阿拉善左旗公安局维护民警执法权威工作委员会",
            ),
            vec!["处分申诉复核意见书", "记大过", "建议撤销原决定"],
        ),
        (
            notice(
                DocumentKind::CorrectionOrder,
                "限期纠正通知书",
                "阿拉善左旗公安局政治处",
                &["依照《公安机关维护民警执法权威工作规定》第二十八条，请你部门于2024年10月8日前予以纠正。"],
                "阿拉善左旗公安局警务督察部门",
            ),
            vec!["限期纠正通知书", "第二十八条", "2024年10月8日"],
        ),
        // 纠错 (000 §31, 002 §15–17), 维权 (001 §17) and 正名 (001 §29(五), 002 §18) notices.
        (
            notice(
                DocumentKind::RectificationNotice,
                "整改通知书",
                "张伟同志",
                &[
                    "经审查论证，你在2024年6月3日处置警情中存在现场警戒不到位的问题，虽予以容错，但应当及时纠正（《实施细则》第三十一条）。",
                    "请你于2024年10月8日前完成整改，并将整改情况书面报告本办。",
                ],
                "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            ),
            vec!["整改通知书", "2024年10月8日", "第三十一条"],
        ),
        (
            notice(
                DocumentKind::RiskWarning,
                "易错风险警示提醒函",
                "巴彦浩特派出所",
                &["你所民警在2024年内先后出现现场警戒不到位的同类问题，存在易错风险，请组织学习，防止同类问题再次发生。"],
                "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            ),
            vec!["易错风险警示提醒函", "同类问题"],
        ),
        (
            notice(
                DocumentKind::IncidentReport,
                "关于民警张伟在执法中受到暴力袭击的报告",
                "阿拉善盟公安局维权办",
                &["2024年9月1日，民警张伟在处置警情时受到暴力袭击（轻伤）。依照《实施办法》第十七条的规定，逐级报告。"],
                "阿拉善左旗公安局维权办",
            ),
            vec!["暴力袭击", "第十七条", "2024年9月1日"],
        ),
        (
            notice(
                DocumentKind::NameClearingNotice,
                "正名通知书",
                "巴彦浩特派出所",
                &["经审查，网传民警张伟“执法中殴打群众”的信息不实。依照《实施办法》第二十九条第（五）项的规定，对张伟同志予以正名，在全局范围内通报。"],
                "阿拉善左旗公安局",
            ),
            vec!["正名通知书", "第二十九条第（五）项"],
        ),
        (
            notice(
                DocumentKind::ComplaintOutcome,
                "举报核查结果反馈",
                "王某",
                &["你于2024年8月5日实名举报的问题，经核查，查无实据，现将核查结果反馈给你。"],
                "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            ),
            vec!["举报核查结果反馈", "2024年8月5日", "查无实据"],
        ),
        (
            notice(
                DocumentKind::DeterminationNotice,
                "容错认定结论告知书",
                "李明同志",
                &["经中共兴安盟国防动员办公室党组综合分析研判，认定结论如下：对你予以容错，免除责任。认定依据：《制度》第十条第（四）项。依照《制度》第十四条的规定，对你予以容错的，不作为执法错误认定。"],
                "兴安盟国防动员办公室",
            ),
            vec!["容错认定结论告知书", "第十四条", "不作为执法错误认定"],
        ),
        (
            notice(
                DocumentKind::DeterminationReviewReply,
                "复议申述答复书",
                "陈伟同志",
                &["你对本委员会评审认定结果提出的复议申述收悉。经复议，维持原认定结论。"],
                "福州监狱民警依法履职保护委员会",
            ),
            vec!["复议申述答复书", "维持原认定结论"],
        ),
        (
            notice(
                DocumentKind::DeterminationFiling,
                "关于陈伟同志容错免责认定情况的备案报告",
                "福建省监狱管理局民警依法履职保护委员会",
                &["依照《实施办法》第十三条的规定，现将我狱民警陈伟容错免责认定情况报请备案。"],
                "福州监狱民警依法履职保护委员会",
            ),
            vec!["备案报告", "福州监狱"],
        ),
    ]
}

fn poppler() -> bool {
    let ok = Process::new("pdftotext").arg("-v").output().is_ok()
        && Process::new("pdfinfo").arg("-v").output().is_ok();
    if !ok {
        println!("skipped: pdftotext/pdfinfo missing (apt-get install poppler-utils)");
    }
    ok
}

fn write_tmp(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    f.write_all(pdf).unwrap();
    f
}

fn pdftotext(pdf: &[u8], args: &[&str]) -> String {
    let f = write_tmp(pdf);
    let out = Process::new("pdftotext")
        .args(args)
        .arg(f.path())
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdfinfo(pdf: &[u8]) -> String {
    let f = write_tmp(pdf);
    let out = Process::new("pdfinfo").arg(f.path()).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Text without the spaces and line breaks pdftotext puts between CJK glyphs.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap()
}

#[test]
fn every_kind_renders_with_its_chinese_content_dates_and_citations() {
    let all = notices();
    for (kind, _, _) in KINDS {
        assert!(
            all.iter().any(|(d, _)| d.kind == *kind),
            "{kind:?} untested"
        );
    }
    if !poppler() {
        return;
    }
    for (doc, expected) in &all {
        let pdf = render_pdf(doc, None, &FONTS).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = squeeze(&pdftotext(&pdf, &["-layout"]));
        assert!(
            text.contains(&squeeze(&doc.title)),
            "{:?}: {text}",
            doc.kind
        );
        for e in expected {
            assert!(text.contains(e), "{:?} lacks {e}: {text}", doc.kind);
        }
        // Every paragraph of the notice of record is printed, word for word.
        for line in doc.text.lines() {
            assert!(
                text.contains(&squeeze(line)),
                "{:?} lacks {line}: {text}",
                doc.kind
            );
        }
    }
}

#[test]
fn a4_and_the_text_stays_inside_the_type_area() {
    if !poppler() {
        return;
    }
    let (doc, _) = notices().remove(5);
    let header = Header {
        organ: "阿拉善左旗公安局维护民警执法权威工作委员会文件".into(),
        number: Some("左公维〔2024〕3号".into()),
    };
    let pdf = render_pdf(&doc, Some(&header), &FONTS).unwrap();
    let info = pdfinfo(&pdf);
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap();
    let dims: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        (dims[0] - 595.28).abs() < 0.01 && (dims[1] - 841.89).abs() < 0.01,
        "{info}"
    );
    assert!(size.contains("(A4)"), "{info}");
    let text = squeeze(&pdftotext(&pdf, &["-layout"]));
    assert!(text.contains("左公维〔2024〕3号"), "{text}");
    assert!(text.contains("委员会文件"), "{text}");
    // Word boxes in points, origin top-left: the type area is x 28–184 mm, y 37–262 mm.
    let mm = 72.0 / 25.4;
    let bbox = pdftotext(&pdf, &["-bbox"]);
    let mut words = 0;
    for l in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let num = |k: &str| -> f64 {
            let s = l.split(&format!("{k}=\"")).nth(1).unwrap();
            s[..s.find('"').unwrap()].parse().unwrap()
        };
        let (x0, y0, x1, y1) = (num("xMin"), num("yMin"), num("xMax"), num("yMax"));
        let word = l
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("");
        if word.contains('—') || word.chars().all(|c| c.is_ascii_digit()) && y0 > 262.0 * mm {
            // The page number sits below the type area (GB/T 9704 §7.5).
            assert!(y0 > 262.0 * mm && y1 < 297.0 * mm - 10.0 * mm, "{l}");
            continue;
        }
        words += 1;
        // A full-width stop at the line's end is set half width (its ink stays inside), but
        // pdftotext reports the font's full advance: allow that half em.
        let slack = if word.ends_with(['。', '，', '、', '；', '：', '”', '）']) {
            8.5
        } else {
            0.5
        };
        assert!(
            x0 >= 28.0 * mm - 0.5 && x1 <= 184.0 * mm + slack,
            "outside horizontally: {l}"
        );
        assert!(
            y0 >= 37.0 * mm - 1.0 && y1 <= 262.0 * mm + 0.5,
            "outside vertically: {l}"
        );
    }
    assert!(words > 20, "{bbox}");
}

#[test]
fn a_long_reasons_text_paginates_with_page_numbers() {
    if !poppler() {
        return;
    }
    let f = form();
    let reasons: String = (1..=60)
        .map(|i| {
            format!("第{i}项理由：民警到达现场后依法表明身份并口头警告，违法行为人仍持刀伤人。")
        })
        .collect::<Vec<_>>()
        .join("\n\u{3000}\u{3000}");
    let doc = docs::rejection_notice(
        &reg(),
        &f,
        Some(Filer::Unit),
        d(2024, 9, 27),
        d(2024, 10, 8),
        &reasons,
    )
    .unwrap();
    let pdf = render_pdf(&doc, None, &FONTS).unwrap();
    let n = pages(&pdfinfo(&pdf));
    assert!(n > 2, "{n} pages");
    let text = squeeze(&pdftotext(&pdf, &["-layout"]));
    for p in 1..=n {
        assert!(
            text.contains(&format!("—{p}—")),
            "page number {p} missing: {text}"
        );
    }
    assert!(squeeze(&text).contains("第60项理由"));
}

#[test]
fn markup_in_a_value_prints_literally() {
    if !poppler() {
        return;
    }
    let f = form();
    let evil = "#set page(fill: red) *粗体* $x^2$ [链接] _斜_ <lbl> @ref `code` \\ #panic(\"x\")";
    let doc = docs::rejection_notice(
        &reg(),
        &f,
        Some(Filer::Officer),
        d(2024, 9, 27),
        d(2024, 10, 8),
        evil,
    )
    .unwrap();
    let pdf = render_pdf(&doc, None, &FONTS).unwrap();
    let text = squeeze(&pdftotext(&pdf, &["-layout"]));
    assert!(text.contains(&squeeze(evil)), "{text}");
}

/// Characters names use that GB2312 fonts (仿宋_GB2312 …) lack: U+3400 㐀 and U+4DAE 䶮 (CJK
/// Ext. A), U+20BB7 𠮷 (Ext. B, outside the BMP), U+32A3 ㊣ (enclosed).
const RARE: &str = "申请人姓名含㐀、䶮、𠮷字，印有㊣字。";

#[test]
fn a_character_outside_the_main_font_falls_back() {
    if !poppler() {
        return;
    }
    let f = form();
    let doc = docs::rejection_notice(
        &reg(),
        &f,
        Some(Filer::Officer),
        d(2024, 9, 27),
        d(2024, 10, 8),
        RARE,
    )
    .unwrap();
    let pdf = render_pdf(&doc, None, &FONTS).unwrap();
    let text = squeeze(&pdftotext(&pdf, &["-layout"]));
    assert!(text.contains(RARE), "{text}");
    assert_no_tofu(&pdf, RARE);
}

/// No glyph is typst's .notdef box: every character of `s` is in some embedded font's glyphs,
/// which pdftotext maps back (a missing glyph comes back as nothing or U+FFFD).
fn assert_no_tofu(pdf: &[u8], s: &str) {
    let text = pdftotext(pdf, &["-layout"]);
    assert!(!text.contains('\u{fffd}'), "{text}");
    for c in s.chars() {
        assert!(text.contains(c), "{c} missing: {text}");
    }
}

/// The embedded fonts' names (pdffonts), without the subset prefix ("ABCDEF+").
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let f = write_tmp(pdf);
    let out = Process::new("pdffonts").arg(f.path()).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(|n| n.split_once('+').map_or(n, |(_, n)| n).to_string())
        .collect()
}

/// With an office's own body font lacking a character (as 仿宋_GB2312 lacks 𠮷), the glyph comes
/// from a free CJK font and is printed, not a box. AR PL UKai (Debian fonts-arphic-ukai) stands
/// in for the configured font: it has GB2312 and Ext. A but not 𠮷.
#[test]
fn a_character_outside_the_configured_body_font_comes_from_a_free_fallback() {
    if !poppler() {
        return;
    }
    let (Some(kai), Some(sans)) = (
        FONTS.path_of("AR PL UKai CN"),
        FONTS.path_of("Noto Sans CJK SC"),
    ) else {
        println!("skipped: AR PL UKai CN or Noto Sans CJK SC missing (apt-get install fonts-arphic-ukai fonts-noto-cjk)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for p in [&kai, &sans] {
        let p = std::path::Path::new(p);
        std::os::unix::fs::symlink(p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let fonts = Fonts::from_dir(dir.path());
    let body = fonts.role(lvzhi_documents::Role::FangSong).unwrap();
    assert_eq!(body.family.as_deref(), Some("AR PL UKai CN"));
    let f = form();
    let doc = docs::rejection_notice(
        &reg(),
        &f,
        Some(Filer::Officer),
        d(2024, 9, 27),
        d(2024, 10, 8),
        RARE,
    )
    .unwrap();
    let pdf = render_pdf(&doc, None, &fonts).unwrap();
    let text = squeeze(&pdftotext(&pdf, &["-layout"]));
    assert!(text.contains(RARE), "{text}");
    assert_no_tofu(&pdf, RARE);
    let embedded = embedded_fonts(&pdf);
    assert!(embedded.iter().any(|n| n.contains("UKai")), "{embedded:?}");
    assert!(
        embedded.iter().any(|n| n.contains("NotoSansCJK")),
        "no fallback font for 𠮷: {embedded:?}"
    );
}

#[test]
fn fonts_report_a_family_for_every_role() {
    for r in FONTS.roles() {
        println!("{} -> {:?} (official: {})", r.role_zh, r.family, r.official);
    }
    if FONTS.has_cjk() {
        assert!(FONTS.roles().iter().all(|r| r.family.is_some()));
    }
}

/// A notice made directly: the addressee, paragraphs (indented), the signer and the date.
fn notice(paras: &[String]) -> Document {
    let body: Vec<String> = paras
        .iter()
        .map(|p| format!("\u{3000}\u{3000}{p}"))
        .collect();
    Document {
        kind: DocumentKind::AcceptanceNotice,
        title: "免责容错申请受理通知书".into(),
        addressee: "张伟同志".into(),
        copy_to: vec![],
        text: format!(
            "张伟同志：\n{}\n\n阿拉善左旗公安局维护民警执法权威工作委员会办公室\n2024年10月8日",
            body.join("\n")
        ),
        issued_on: d(2024, 10, 8),
    }
}

/// `n` ideographs without punctuation, so that every full line holds exactly 28.
fn ideographs(n: usize) -> String {
    "依法履职免责容错纠错维护民警执法权威"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// GB/T 9704 §5.2.1: 22 lines of 28 characters on a full page of 3号 body text, the lines
/// filling the 156 × 225 mm type area (their glyph boxes from its top and left edge to its
/// bottom and right edge).
#[test]
fn a_full_page_holds_22_lines_of_28_characters() {
    if !poppler() {
        return;
    }
    // One paragraph of 70 lines: page 2 is body text only.
    let doc = notice(&[ideographs(70 * 28 - 2)]);
    let pdf = render_pdf(&doc, None, &FONTS).unwrap();
    let ws = words(&pdf);
    let body: Vec<Word> = ws
        .iter()
        .filter(|w| w.page == 2 && !is_page_number(w))
        .cloned()
        .collect();
    let lines = lines_of(&body, 2);
    assert_eq!(lines.len(), 22, "{lines:?}");
    for (_, text) in &lines {
        assert_eq!(text.chars().count(), 28, "{text}");
    }
    let pitch: Vec<f64> = lines.windows(2).map(|w| w[1].0 - w[0].0).collect();
    for p in &pitch {
        assert!((p - pitch[0]).abs() < 0.05, "uneven line pitch: {pitch:?}");
    }
    let (x0, x1) = body
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.x0), b.max(w.x1)));
    let (y0, y1) = body
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), w| (a.min(w.y0), b.max(w.y1)));
    // The em boxes of the glyphs (pdftotext's boxes) span the type area to within a point.
    assert!((x0 - 28.0 * MM).abs() < 1.0, "left edge {x0}");
    assert!((x1 - 184.0 * MM).abs() < 1.0, "right edge {x1}");
    assert!((y0 - 37.0 * MM).abs() < 1.0, "top edge {y0}");
    assert!((y1 - 262.0 * MM).abs() < 1.0, "bottom edge {y1}");
}

/// The page where the date of a notice is printed, and the line of that page (from 0) where
/// the body's last words are, when they are there above the signer.
fn signature_page(pdf: &[u8], last_words: &str, signer: &str) -> (usize, Option<usize>) {
    let ws = words(pdf);
    let pages = ws.iter().map(|w| w.page).max().unwrap();
    let page = (1..=pages)
        .rev()
        .find(|p| {
            lines_of(&ws, *p)
                .iter()
                .any(|(_, t)| t.contains("2024年10月8日"))
        })
        .unwrap();
    let lines = lines_of(&ws, page);
    let signer_at = lines.iter().position(|(_, t)| t.contains(signer)).unwrap();
    let body_at = lines.iter().position(|(_, t)| t.contains(last_words));
    (page, body_at.filter(|b| *b < signer_at))
}

/// GB/T 9704 §7.3.5: the signature and the date are never alone at the top of a page; when the
/// body ends a page, its last lines go over with them. The body is shifted line by line over a
/// whole page, for last paragraphs of one, three (going over whole) and five lines (its last two
/// going over) and of two pages.
#[test]
fn the_signature_never_stands_alone_at_the_top_of_a_page() {
    if !poppler() {
        return;
    }
    let signer = "维护民警执法权威工作委员会办公室";
    for last_len in [5, 3 * 28 - 2, 5 * 28 - 2, 50 * 28 - 2] {
        // Shifts at which the end of the body stands at the top of the signature's page.
        let mut at_top = 0;
        for k in 0..=23 {
            let last = format!("{}末尾标记。", ideographs(last_len - 5));
            let paras = vec![ideographs(k * 28 + 26), last];
            let pdf = render_pdf(&notice(&paras), None, &FONTS).unwrap();
            let (page, end_line) = signature_page(&pdf, "末尾标记", signer);
            let Some(end_line) = end_line else {
                panic!("last paragraph of {last_len} characters after {k} lines: the signature is alone on page {page}");
            };
            if end_line <= 2 {
                at_top += 1;
            }
            // Whatever moved stays inside the type area, and is printed once.
            let text = squeeze(&pdftotext(&pdf, &["-layout"]));
            assert_eq!(text.matches("末尾标记").count(), 1);
            for w in words(&pdf).iter().filter(|w| !is_page_number(w)) {
                assert!(w.y0 >= 37.0 * MM - 1.0 && w.y1 <= 262.0 * MM + 0.5, "{w:?}");
            }
        }
        // The shifts reached the case the rule is about.
        assert!(
            at_top > 0,
            "{last_len}: the body never ended at a page's foot"
        );
    }
}

/// `LVZHI_SAMPLES=dir cargo test -p lvzhi-documents --test pdf samples` writes one PDF per kind.
#[test]
fn samples() {
    let Ok(dir) = std::env::var("LVZHI_SAMPLES") else {
        return;
    };
    let header = Header {
        organ: "阿拉善左旗公安局维护民警执法权威工作委员会文件".into(),
        number: Some("左公维〔2024〕3号".into()),
    };
    for (i, (doc, _)) in notices().iter().enumerate() {
        let h = (i == 5).then_some(&header);
        let started = std::time::Instant::now();
        let pdf = render_pdf(doc, h, &FONTS).unwrap();
        println!("{:?}: {} ms", doc.kind, started.elapsed().as_millis());
        std::fs::write(format!("{dir}/{i:02}.pdf"), pdf).unwrap();
    }
}
