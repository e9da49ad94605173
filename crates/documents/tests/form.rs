//! The 免责容错申请表 (000 §12 and its annex) rendered to PDF and read back with poppler: the
//! filled form carries the case's names, unit and dates in Chinese form; the blank one every
//! row label of the annex; a long statement and 40 evidence items run over pages with the table
//! continued (续表, the 工作单位 row repeated) and every item printed once; markup in a value
//! prints literally; everything stays inside the A4 type area.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

#[path = "../../workflow/tests/common/mod.rs"]
mod common;
mod poppler;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use common::*;
use lvzhi_documents::{render_application_form_pdf, Fonts, FormDetails, OfficerParticulars};
use lvzhi_workflow::*;
use poppler::*;

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts::discover(None));

/// The labels of the annex's rows, with the web form's additions (000 annex; apply page).
const LABELS: &[&str] = &[
    "公安民警免责容错申请表",
    "单位（盖章）：",
    "时间：",
    "工作单位",
    "民警姓名",
    "性别",
    "出生年月",
    "参加公安工作时间",
    "职务",
    "申请事项",
    "事实与理由",
    "原问责处理决定",
    "证据材料",
    "申请人签名",
    "所在单位意见",
    "本级维权办领导意见",
    "本级维权委领导意见",
];

fn two_officers() -> ApplicationForm {
    let mut f = form();
    f.applicants.push(Officer {
        person_id: "p-li".into(),
        name: "李强".into(),
    });
    f.matter = "申请对左公督〔2024〕12号记过处分决定适用依法履职免责。事实与理由：民警依法制止持刀伤人行为，所用措施未超出必要限度。".into();
    f
}

fn details() -> FormDetails {
    FormDetails {
        filed_on: Some(d(2024, 9, 27)),
        officers: BTreeMap::from([(
            "p-zhang".to_string(),
            OfficerParticulars {
                gender: Some("男".into()),
                born: Some(d(1985, 3, 12)),
                joined_police: Some(d(2008, 7, 1)),
                post: Some("社区民警".into()),
            },
        )]),
        evidence: vec![
            "执法记录仪视频（记录仪.mp4）".into(),
            "受伤群众证言（证言.pdf）".into(),
        ],
        bodies: Default::default(),
        committee_opinion: Some("同意审查论证组意见，对该民警予以免责。".into()),
    }
}

#[test]
fn s12_annex_filled_with_the_case_names_unit_and_chinese_dates_000() {
    if !poppler() {
        return;
    }
    let pdf = render_application_form_pdf(Some(&two_officers()), &details(), &FONTS).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Two officers take two rows each: the form runs onto a second sheet, continued.
    assert_eq!(pages(&pdf), 2);
    let text = raw_text(&pdf);
    for label in LABELS {
        assert!(text.contains(label), "lacks {label}: {text}");
    }
    for value in [
        "阿拉善左旗公安局巴彦浩特派出所",
        "张伟",
        "李强",
        "男",
        "1985年3月",
        "2008年7月",
        "社区民警",
        "时间：2024年9月27日",
        "申请对左公督〔2024〕12号记过处分决定适用依法履职免责",
        "民警依法制止持刀伤人行为，所用措施未超出必要限度。",
        "阿拉善左旗公安局督察大队",
        "记过",
        "2024年7月15日",
        "左公督〔2024〕12号",
        "受理机关阿拉善左旗公安局维护民警执法权威工作委员会",
        "1．执法记录仪视频（记录仪.mp4）",
        "2．受伤群众证言（证言.pdf）",
        // 本级维权委领导意见 as the 主任 recorded it on approval (000 §14, issue 22 item 6).
        "同意审查论证组意见，对该民警予以免责。",
    ] {
        assert!(text.contains(value), "lacks {value}: {text}");
    }
    // The signatures and dates are left for the hand.
    assert!(text.matches("年月日").count() >= 4, "{text}");
    // 申请事项 and 事实与理由 have a row each; the joined "事实与理由：" is not printed.
    assert!(!text.contains("事实与理由：民警"), "{text}");
}

#[test]
fn s12_annex_blank_for_handwriting_has_every_row_label_on_one_page_000() {
    if !poppler() {
        return;
    }
    let pdf = render_application_form_pdf(None, &details(), &FONTS).unwrap();
    assert_eq!(pages(&pdf), 1, "the blank form is one sheet");
    let text = raw_text(&pdf);
    for label in LABELS {
        assert!(text.contains(label), "lacks {label}: {text}");
    }
    // Nothing of a case, not even the details handed in.
    for value in [
        "张伟",
        "2024",
        "派出所",
        "记录仪",
        "男",
        "同意审查论证组意见",
    ] {
        assert!(!text.contains(value), "blank form shows {value}: {text}");
    }
}

#[test]
fn a_long_statement_and_40_evidence_items_continue_the_table_over_pages() {
    if !poppler() {
        return;
    }
    let mut f = form();
    let reasons: Vec<String> = (1..=40)
        .map(|i| format!("理由{i:02}号：民警到达现场后依法表明身份并口头警告，违法行为人仍持刀伤人，民警依法使用警械予以制止。"))
        .collect();
    f.matter = format!("申请对记过处分适用免责。事实与理由：{}", reasons.join("\n"));
    let mut det = details();
    det.evidence = (1..=40)
        .map(|i| format!("物证{i:02}号：现场照片及提取笔录"))
        .collect();
    let pdf = render_application_form_pdf(Some(&f), &det, &FONTS).unwrap();
    let n = pages(&pdf);
    assert!(n >= 3, "{n} pages");
    let texts = page_texts(&pdf);
    assert_eq!(texts.len(), n);
    let all: String = texts.concat();
    for i in 1..=40 {
        let r = format!("理由{i:02}号");
        assert_eq!(all.matches(&r).count(), 1, "{r}: {all}");
        let e = format!("物证{i:02}号");
        assert_eq!(all.matches(&e).count(), 1, "{e}: {all}");
        assert!(all.contains(&format!("{i}．物证{i:02}号")), "{e} numbered");
    }
    for (p, t) in texts.iter().enumerate() {
        let p = p + 1;
        // The first row (工作单位) repeats on every page; continuation pages say 续表.
        assert!(
            t.contains("工作单位阿拉善左旗公安局巴彦浩特派出所"),
            "page {p}: {t}"
        );
        assert_eq!(t.contains("续表"), p > 1, "page {p}: {t}");
        assert!(t.contains(&format!("—{p}—")), "page {p} number: {t}");
    }
    // The title only once, on the first page.
    assert_eq!(all.matches("公安民警免责容错申请表").count() - (n - 1), 1);
    // The rows after the long ones still come, in order, on the last page.
    let last = texts.last().unwrap();
    assert!(last.contains("本级维权委领导意见"), "{last}");
    assert_text_in_type_area(&pdf);
}

#[test]
fn markup_in_a_form_value_prints_literally() {
    if !poppler() {
        return;
    }
    let evil = "#set page(fill: red) *粗体* $x^2$ [链接] _斜_ <lbl> @ref `code` \\ #panic(\"x\")";
    let mut f = form();
    f.matter = evil.to_string();
    f.applicants[0].name = "#text(red)[王]".into();
    f.applying_unit.name = "]）#{ 1 + 1 }".into();
    let mut det = details();
    det.evidence = vec![format!("{evil}（a&b<c>.pdf）")];
    let pdf = render_application_form_pdf(Some(&f), &det, &FONTS).unwrap();
    let text = raw_text(&pdf);
    assert!(text.contains(&squeeze(evil)), "{text}");
    assert!(text.contains("#text(red)[王]"), "{text}");
    assert!(text.contains("]）#{1+1}"), "{text}");
    assert!(text.contains("a&b<c>.pdf"), "{text}");
}

/// Every word inside A4's type area (x 28–184 mm, y 37–262 mm), but for the page number below
/// it and the 续表 mark above it.
fn assert_text_in_type_area(pdf: &[u8]) {
    let info = pdfinfo(pdf);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let ws = words(pdf);
    assert!(ws.len() > 20, "{ws:?}");
    for w in &ws {
        if is_page_number(w) {
            continue;
        }
        if w.text.contains("续表") || w.y1 < 37.0 * MM && w.text.contains("申请表") {
            assert!(w.y1 < 37.0 * MM && w.page > 1, "{w:?}");
            continue;
        }
        assert!(
            w.x0 >= 28.0 * MM - 0.5 && w.x1 <= 184.0 * MM + 8.5,
            "outside horizontally: {w:?}"
        );
        assert!(
            w.y0 >= 37.0 * MM - 1.0 && w.y1 <= 262.0 * MM + 0.5,
            "outside vertically: {w:?}"
        );
    }
}

#[test]
fn the_form_is_a4_inside_the_type_area() {
    if !poppler() {
        return;
    }
    for pdf in [
        render_application_form_pdf(Some(&two_officers()), &details(), &FONTS).unwrap(),
        render_application_form_pdf(None, &FormDetails::default(), &FONTS).unwrap(),
    ] {
        assert_text_in_type_area(&pdf);
    }
}
