//! The shipped packs load, their examples pass, and as data alone coverage has no gaps.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

#[test]
fn core_packs_load_and_examples_pass() {
    let s = common::core_set();
    let results = s.run_examples(None);
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{} {}: {}", r.pack, r.id, r.failures.join("；")))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(results.len() > 60);
}

/// Every pack in `packs/` (including those written for 001–003) loads together.
#[test]
fn every_pack_in_the_directory_loads() {
    let s = common::set();
    assert!(s.packs().count() >= 3);
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn seed(prefix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/regulations");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(name).unwrap()
}

/// 000 and 004 are verbatim: every article text occurs in the seed (modulo the line and page
/// breaks of the source file).
#[test]
fn art_000_and_004_article_texts_are_verbatim_from_the_seeds() {
    let s = common::core_set();
    for (id, prefix, count) in [("000", "000_", 40), ("004", "004_", 30)] {
        let text = squash(&seed(prefix));
        let p = s.pack(id).unwrap();
        assert!(p.meta.verbatim);
        for a in &p.articles {
            assert!(
                text.contains(&squash(&a.text)),
                "{id} {} not verbatim: {}",
                a.id,
                a.text
            );
        }
        let top: std::collections::BTreeSet<&str> = p
            .articles
            .iter()
            .map(|a| a.id.split(['(', '¶']).next().unwrap())
            .collect();
        assert_eq!(top.len(), count, "{id}: {top:?}");
    }
    let p = s.pack("004-2016").unwrap();
    assert!(!p.meta.verbatim);
    assert!(p.meta.note.contains("核对"));
    assert_eq!(p.meta.supersedes, vec!["004".to_string()]);
    assert_eq!(
        s.pack("004").unwrap().meta.until.unwrap().to_string(),
        "2016-02-29"
    );
}

#[test]
fn art_000_periods_have_the_ids_the_workflow_reads() {
    let s = common::core_set();
    let m = s.pack("000").unwrap().period_map();
    let got: Vec<(String, String)> = m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
    let want = [
        ("acceptance", "7wd"),
        ("extension_1", "15wd"),
        ("extension_2", "15wd"),
        ("opinion", "30wd"),
        ("publicity", "5d"),
        ("re_review_apply", "10wd"),
        ("re_review_reply", "30wd"),
        ("reconsideration_apply", "10wd"),
        ("reconsideration_reply", "15wd"),
        // The rectification's verification (000 §31¶2), a local setting the pack marks so.
        ("rectification_verify", "10wd"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        s.pack("004").unwrap().period_map()["appeal_reply"].to_string(),
        "30d"
    );
}

#[test]
fn core_packs_have_no_coverage_gaps_and_mark_declarative_articles() {
    let s = common::core_set();
    let all = lvzhi_rules::InUse::all_of(&s);
    for id in ["000", "004", "004-2016"] {
        let rows = s.coverage(id, &all).unwrap();
        let gaps: Vec<_> = rows.iter().filter(|r| r.status == "gap").collect();
        assert!(gaps.is_empty(), "{id}: {gaps:?}");
    }
    let rows = s.coverage("000", &all).unwrap();
    let s1 = rows.iter().find(|r| r.article == "§1").unwrap();
    assert_eq!(s1.status, "declarative");
    let s7 = rows.iter().find(|r| r.article == "§7(一)").unwrap();
    assert_eq!(s7.rules, vec!["r7_1".to_string()]);
    assert!(s7.examples.contains(&"ex7_1".to_string()));
}

#[test]
fn core_packs_have_no_conflicts_and_no_dead_rules() {
    let s = common::core_set();
    let bad: Vec<_> = s
        .check(None)
        .into_iter()
        .filter(|f| {
            matches!(
                f.kind,
                "conflict" | "never_fires" | "always_defeated" | "not_proved"
            )
        })
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
}

/// Issue 22 item 5: citations by code inside a text read as articles of the regulation named
/// in full; unknown codes and unreadable citations stay as written.
#[test]
fn issue22_citations_in_a_text_read_with_the_regulations_title() {
    let set = common::set();
    let t000 = "《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》";
    let t2016 = "《公安机关人民警察执法过错责任追究规定（2016年修订）》";
    for (code, words) in [
        ("000 §7(一)", format!("{t000}第七条第（一）项")),
        (
            "000 §8(三)、000 §25、000 §31¶2",
            format!("{t000}第八条第（三）项、{t000}第二十五条、{t000}第三十一条第二款"),
        ),
        (
            "依照 000 §16、§18、§20 办理。",
            format!("依照{t000}第十六条、第十八条、第二十条办理。"),
        ),
        (
            "000 §7(五)、004-2016 §21",
            format!("{t000}第七条第（五）项、{t2016}第二十一条"),
        ),
        (
            "（关联记录，000 §22）",
            format!("（关联记录，{t000}第二十二条）"),
        ),
        ("000 §14–15", format!("{t000}第十四条至第十五条")),
    ] {
        assert_eq!(set.cite_in_text(code), words, "{code}");
    }
    for kept in [
        "没有条款",
        "999 §7",
        "000 §",
        "§7 单独出现",
        "000 §7 及",
        "a §b",
    ] {
        let out = set.cite_in_text(kept);
        assert!(out == kept || !out.contains('§'), "{kept} → {out}");
    }
    assert_eq!(set.cite_in_text("999 §7(一)"), "999 §7(一)");
}
