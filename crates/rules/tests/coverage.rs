//! Coverage that tells the truth (issue 20 item 5): each article says how it is implemented —
//! a rule, a step a process carries out, a period a process reads, or declarative — and a
//! `[[procedure]]` or `[[period]]` that no process uses is a gap, never coverage.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use lvzhi_rules::InUse;

fn row(
    set: &lvzhi_rules::PackSet,
    pack: &str,
    article: &str,
    used: &InUse,
) -> lvzhi_rules::CoverageRow {
    set.coverage(pack, used)
        .unwrap()
        .into_iter()
        .find(|r| r.article == article)
        .unwrap_or_else(|| panic!("{pack} {article}"))
}

#[test]
fn s13_002_a_period_and_a_procedure_no_process_uses_are_gaps() {
    let s = common::set();
    let r = row(&s, "002", "§13", &InUse::default());
    assert_eq!(r.status, "gap");
    assert!(
        r.missing.contains("期间 notification 无流程使用"),
        "{}",
        r.missing
    );
    assert!(
        r.missing.contains("determination_conclusion") && r.missing.contains("无流程执行"),
        "{}",
        r.missing
    );
    assert!(!r.implemented.contains(&"step") && !r.implemented.contains(&"period"));
    assert_eq!(r.periods, ["notification"]);
    assert_eq!(r.unused_periods().collect::<Vec<_>>(), ["notification"]);
    // Once a process reads the period and carries out the step, both implement the article.
    let mut used = InUse::default();
    used.period("002", "notification", "容错认定");
    for step in [
        "determination_start",
        "determination_application",
        "determination_investigation",
        "determination_conclusion",
        "determination_notification",
        "determination_publication",
    ] {
        used.procedure("002", step, "容错认定");
    }
    let r = row(&s, "002", "§13", &used);
    assert_eq!(r.status, "covered", "{}", r.missing);
    assert!(r.implemented.contains(&"step") && r.implemented.contains(&"period"));
    assert_eq!(r.period_uses[0].processes, ["容错认定"]);
    assert_eq!(r.procedure_uses[0].processes, ["容错认定"]);
}

#[test]
fn s28_000_a_procedure_used_under_another_pack_does_not_count() {
    let s = common::set();
    let mut used = InUse::default();
    // The same procedure id of another pack is another procedure.
    used.procedure("001", "public_statement", "维权案（事）件");
    let r = row(&s, "000", "§28", &used);
    assert_eq!(r.status, "gap");
    assert_eq!(
        r.unused_procedures().collect::<Vec<_>>(),
        ["public_statement"]
    );
    used.procedure("000", "public_statement", "免责容错申请");
    assert_eq!(row(&s, "000", "§28", &used).implemented, ["step"]);
}

#[test]
fn s23_000_one_used_and_one_unused_is_still_a_gap() {
    let s = common::set();
    let mut used = InUse::default();
    used.period("000", "publicity", "免责容错申请");
    let r = row(&s, "000", "§23", &used);
    assert!(r.implemented.contains(&"period"));
    assert_eq!(r.status, "gap");
    assert!(
        r.missing.contains("程序 publicity_objection 无流程执行"),
        "{}",
        r.missing
    );
}

#[test]
fn rules_and_declarative_articles_need_no_process_000() {
    let s = common::set();
    let none = InUse::default();
    let r = row(&s, "000", "§1", &none);
    assert_eq!(
        (r.status, r.implemented.as_slice()),
        ("declarative", &["declarative"][..])
    );
    let r = row(&s, "000", "§7(一)", &none);
    assert_eq!(r.status, "covered");
    assert_eq!(r.implemented, ["rule"]);
    assert_eq!(r.rules, ["r7_1"]);
    assert!(r.examples.contains(&"ex7_1".to_string()));
}

#[test]
fn an_operative_article_only_the_pack_mentions_is_a_gap() {
    let pack = r#"
[pack]
id = "t"
title = "测试"
effective = "2024-01-01"

[[article]]
id = "§1"
text = "应当补偿。"
kind = "operative"

[[article]]
id = "§2"
text = "七日内告知。"
kind = "procedural"

[[period]]
id = "notice"
period = "7d"
from = "决定之日"
articles = ["§2"]
description = "告知"

[[procedure]]
id = "compensate"
articles = ["§1"]
description = "补偿"
"#;
    let s = lvzhi_rules::PackSet::load([("t.toml", pack)]).unwrap_or_else(|e| panic!("{e}"));
    let none = InUse::default();
    let r = row(&s, "t", "§1", &none);
    assert_eq!(r.status, "gap");
    assert!(r.implemented.is_empty());
    assert!(
        r.missing.contains("无规则、步骤或期间实施本条"),
        "{}",
        r.missing
    );
    let r = row(&s, "t", "§2", &none);
    assert_eq!(r.status, "gap");
    // A step implements an operative article; a period read implements a procedural one.
    let mut used = InUse::default();
    used.procedure("t", "compensate", "流程");
    used.period("t", "notice", "流程");
    assert_eq!(row(&s, "t", "§1", &used).implemented, ["step"]);
    assert_eq!(row(&s, "t", "§2", &used).status, "covered");
    // `all_of` counts every procedure and period as used: the pack's completeness as data.
    assert!(s
        .coverage("t", &InUse::all_of(&s))
        .unwrap()
        .iter()
        .all(|r| r.status != "gap"));
}
