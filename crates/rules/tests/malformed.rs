//! Malformed packs are rejected with a precise Chinese message (file:line:column and the
//! section), and nothing is loaded; unordered conflicts are reported with a triggering case.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use lvzhi_rules::{parse_pack, Level, PackSet};

const HEAD: &str = r#"[pack]
id = "t"
title = "测试"
effective = "2022-01-01"

[[article]]
id = "§1"
text = "测试条文"
kind = "operative"

[[fact]]
id = "timely_rescue"
type = "bool"
question = "是否及时施救？"

[[fact]]
id = "intent"
type = "bool"
question = "是否故意？"

[[fact]]
id = "kind"
type = "choice"
question = "哪一类？"
choices = ["a", "b"]
"#;

fn err(text: &str) -> String {
    match parse_pack("packs/t.toml", text) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn missing_bracket_is_a_syntax_error_with_position() {
    let text = format!("{HEAD}\n[[rule]\nid = \"r1\"\n");
    let e = err(&text);
    let line = line_of(&text, "[[rule]");
    assert!(e.starts_with(&format!("packs/t.toml:{line}:")), "{e}");
    assert!(
        e.contains("[[rule]] 附近 TOML 格式有误：表头“[[……]]”缺少结尾的“]”"),
        "{e}"
    );
}

#[test]
fn missing_bracket_in_a_condition_points_at_the_column() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§1\"]\nwhen = \"(timely_rescue and intent\"\noutcome = \"exemption\"\nmodality = \"shall\"\n"
    );
    let e = err(&text);
    let line = line_of(&text, "when = ");
    // `when = "` is 8 characters and the condition 25: the missing `)` is reported just after
    // its end, at column 34.
    assert!(e.starts_with(&format!("packs/t.toml:{line}:34：")), "{e}");
    assert!(e.contains("规则 r1"), "{e}");
    assert!(e.contains("“)”"), "{e}");
}

#[test]
fn unknown_fact_in_a_condition_names_it_and_the_nearest() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r7_1\"\narticles = [\"§1\"]\nwhen = \"intent or timly_rescue\"\noutcome = \"exemption\"\nmodality = \"shall\"\n"
    );
    let e = err(&text);
    let line = line_of(&text, "when = ");
    assert_eq!(
        e,
        format!("packs/t.toml:{line}:19：规则 r7_1 的条件引用了未定义的事实“timly_rescue”（最接近的是：timely_rescue）")
    );
}

#[test]
fn rule_citing_a_missing_article_is_rejected() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§9\"]\nwhen = \"intent\"\noutcome = \"exclusion\"\nmodality = \"shall\"\n"
    );
    let e = err(&text);
    assert!(
        e.contains("规则 r1 引用的条文“§9”在本政策包中不存在"),
        "{e}"
    );
    assert!(
        e.starts_with(&format!(
            "packs/t.toml:{}:",
            line_of(&text, "articles = [\"§9\"]")
        )),
        "{e}"
    );
}

#[test]
fn wrong_literal_type_and_choice_value_are_rejected() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§1\"]\nwhen = \"kind == \\\"c\\\" or intent == 3\"\noutcome = \"none\"\nmodality = \"shall\"\n"
    );
    let e = err(&text);
    assert!(e.contains("“c”不是事实“kind”的可选值"), "{e}");
    assert!(e.contains("不能与 3 比较"), "{e}");
}

#[test]
fn tolerance_without_leniency_is_rejected() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§1\"]\nwhen = \"intent\"\noutcome = \"tolerance\"\nmodality = \"may\"\n"
    );
    assert!(err(&text).contains("须注明 leniency"));
}

#[test]
fn precedence_cycle_is_rejected_naming_the_cycle() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§1\"]\nwhen = \"intent\"\noutcome = \"none\"\nmodality = \"shall\"\n\n[[rule]]\nid = \"r2\"\narticles = [\"§1\"]\nwhen = \"timely_rescue\"\noutcome = \"exemption\"\nmodality = \"shall\"\n\n[[precedence]]\nstronger = \"r1\"\nweaker = \"r2\"\n\n[[precedence]]\nstronger = \"r2\"\nweaker = \"r1\"\n"
    );
    let e = err(&text);
    assert!(
        e.contains("优先规则形成循环：r1 → r2 → r1")
            || e.contains("优先规则形成循环：r2 → r1 → r2"),
        "{e}"
    );
}

#[test]
fn duplicate_ids_are_rejected() {
    let text = format!("{HEAD}\n[[fact]]\nid = \"intent\"\ntype = \"bool\"\nquestion = \"？\"\n");
    assert!(err(&text).contains("事实 id“intent”重复"));
}

#[test]
fn nothing_loads_if_any_pack_is_wrong() {
    let good = HEAD.to_string();
    let bad = format!("{HEAD}\n[[rule]]\nid = \"r1\"\n").replace("id = \"t\"", "id = \"u\"");
    let r = PackSet::load([
        ("packs/t.toml", good.as_str()),
        ("packs/u.toml", bad.as_str()),
    ]);
    assert!(r.is_err());
}

#[test]
fn unordered_conflicting_rules_are_reported_with_a_triggering_assignment() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r_exempt\"\narticles = [\"§1\"]\nwhen = \"timely_rescue\"\noutcome = \"exemption\"\nmodality = \"shall\"\n\n[[rule]]\nid = \"r_none\"\narticles = [\"§1\"]\nwhen = \"kind == \\\"b\\\"\"\noutcome = \"none\"\nmodality = \"shall\"\n"
    );
    let set = PackSet::load([("packs/t.toml", text.as_str())]).unwrap();
    let f = set.check(Some("t"));
    let c = f
        .iter()
        .find(|f| f.kind == "conflict")
        .expect("conflict found");
    assert_eq!(c.level, Level::Error);
    assert!(
        c.message.contains("r_exempt") && c.message.contains("r_none"),
        "{}",
        c.message
    );
    assert!(c.message.contains("timely_rescue = 是"), "{}", c.message);
    assert!(c.message.contains("kind = b"), "{}", c.message);

    // An assertion that they cannot hold together removes the false alarm.
    let fixed = format!("{text}\n[[assertion]]\nid = \"x\"\nnever = \"timely_rescue and kind == \\\"b\\\"\"\nmessage = \"不能同时成立\"\n");
    let set = PackSet::load([("packs/t.toml", fixed.as_str())]).unwrap();
    assert!(!set.check(Some("t")).iter().any(|f| f.kind == "conflict"));

    // So does a stated precedence.
    let ordered = format!("{text}\n[[precedence]]\nstronger = \"r_none\"\nweaker = \"r_exempt\"\n");
    let set = PackSet::load([("packs/t.toml", ordered.as_str())]).unwrap();
    assert!(!set.check(Some("t")).iter().any(|f| f.kind == "conflict"));
}

#[test]
fn a_rule_that_can_never_fire_is_listed() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r_dead\"\narticles = [\"§1\"]\nwhen = \"intent and not intent\"\noutcome = \"none\"\nmodality = \"shall\"\n"
    );
    let set = PackSet::load([("packs/t.toml", text.as_str())]).unwrap();
    assert!(set
        .check(Some("t"))
        .iter()
        .any(|f| f.kind == "never_fires" && f.message.contains("r_dead")));
}

#[test]
fn cross_pack_atom_to_a_missing_pack_is_rejected_at_its_column() {
    let text = format!(
        "{HEAD}\n[[rule]]\nid = \"r1\"\narticles = [\"§1\"]\nwhen = \"intent or pack(\\\"zz\\\", \\\"§1\\\")\"\noutcome = \"none\"\nmodality = \"shall\"\n"
    );
    let e = PackSet::load([("packs/t.toml", text.as_str())])
        .unwrap_err()
        .to_string();
    let line = line_of(&text, "when = ");
    assert!(e.starts_with(&format!("packs/t.toml:{line}:19：")), "{e}");
    assert!(e.contains("未载入的政策包“zz”"), "{e}");
}

/// The shipped pack 000 with `from` replaced by `to` (once): a unit's own edit of its notices.
fn edited_000(from: &str, to: &str) -> String {
    let text = include_str!("../../../packs/000.toml");
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// Line and column (characters, from 1) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

fn refused_000(text: &str) -> String {
    match parse_pack("packs/000.toml", text) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

/// Issue 20 item 2: pack 000 words every notice of the application, and they load.
#[test]
fn issue20_000_words_every_notice_of_the_application() {
    let pack = parse_pack("packs/000.toml", include_str!("../../../packs/000.toml")).unwrap();
    let kinds: Vec<&str> = pack
        .notices
        .iter()
        .map(|n| n.kind.as_str())
        .filter(|k| lvzhi_rules::notice::APPLICATION.iter().any(|a| a.id == *k))
        .collect();
    let all: Vec<&str> = lvzhi_rules::notice::APPLICATION
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(kinds, all);
    assert!(pack.notices.iter().all(|n| !n.title.is_empty()));
}

/// Issue 20 item 2: a template's mistakes are refused at load, in Chinese, at the line and
/// column of the placeholder in the pack file.
#[test]
fn issue20_notice_template_errors_point_at_line_and_column() {
    // An unknown placeholder for that kind, with the nearest known one.
    let text = edited_000("收到{you}提交的免责容错申请，申请事项为“{matter}”{?（涉及{department}于{decided_on}作出的{sanction}处理决定）}。经登记和初查，根据{cite:§13}的规定，决定予以受理。", "收到{you}提交的免责容错申请，申请事项为“{mater}”。经登记和初查，根据{cite:§13}的规定，决定予以受理。");
    let (line, column) = position(&text, "{mater}");
    let e = refused_000(&text);
    assert!(
        e.starts_with(&format!("packs/000.toml:{line}:{column}：通知 acceptance_notice（受理通知书）的文本模板有误：占位符“mater”不是该通知可用的内容（最接近的是：matter")),
        "{e}"
    );

    // An unclosed brace.
    let text = edited_000(
        "即最迟于{opinion_due}作出。审查论证期间",
        "即最迟于{opinion_due作出。审查论证期间",
    );
    let (line, column) = position(&text, "{opinion_due作出");
    let e = refused_000(&text);
    assert!(
        e.starts_with(&format!("packs/000.toml:{line}:{column}：")),
        "{e}"
    );
    assert!(e.contains("占位符的“{”没有闭合"), "{e}");

    // A citation of an article the pack lacks.
    let text = edited_000("根据{cite:§12¶2}的规定", "根据{cite:§12¶3}的规定");
    let (line, column) = position(&text, "§12¶3}");
    let e = refused_000(&text);
    assert!(
        e.starts_with(&format!("packs/000.toml:{line}:{column}：通知 ex_officio_notice（主动启动审查论证通知书）的文本模板有误：引用的条文“§12¶3”在本政策包中不存在")),
        "{e}"
    );

    // A yes/no value written as text.
    let text = edited_000("{?{if:improper}原问责", "{?{improper}原问责");
    let e = refused_000(&text);
    assert!(e.contains("“improper”只表示是否具备，只能用作条件"), "{e}");

    // A stray closing brace.
    let text = edited_000("　　特此告知。", "　　特此告知。}");
    let (line, column) = position(&text, "。}");
    let e = refused_000(&text);
    assert!(
        e.starts_with(&format!("packs/000.toml:{line}:{}：", column + 1)),
        "{e}"
    );
    assert!(e.contains("多余的“}”"), "{e}");
}

/// Issue 20 item 2: every kind worded once, and all of them when any is.
#[test]
fn issue20_notice_kinds_repeated_missing_or_unknown_are_refused() {
    let text = edited_000(
        "kind = \"rejection_notice\"",
        "kind = \"acceptance_notice\"",
    );
    let e = refused_000(&text);
    let first = position(&text, "[[notice]]\nkind = \"acceptance_notice\"").0;
    assert!(
        e.contains(&format!(
            "通知 acceptance_notice（受理通知书）重复（第 {first} 行已定义）"
        )),
        "{e}"
    );
    assert!(
        e.contains("[[notice]] 缺少以下通知的文本模板：rejection_notice（不予受理通知书）"),
        "{e}"
    );

    let text = edited_000("kind = \"publicity_notice\"", "kind = \"publicity\"");
    let e = refused_000(&text);
    assert!(
        e.contains("[[notice]] 的通知种类（kind）“publicity”不存在（最接近的是："),
        "{e}"
    );
    assert!(e.contains("publicity_notice（认定意见公示）"), "{e}");

    // A pack that words none keeps the shipped texts (no error).
    let at = include_str!("../../../packs/000.toml")
        .find("\n[[notice]]")
        .unwrap();
    let none = &include_str!("../../../packs/000.toml")[..at];
    assert!(parse_pack("packs/000.toml", none)
        .unwrap()
        .notices
        .is_empty());
}

/// Issue 20 item 2: completeness is per process — a pack that words one notice of the
/// rectification words the other its steps issue (000 §31¶2's 整改通知书, §32's 易错风险警示提醒函)
/// — and a title may use the kind's values, checked like the text.
#[test]
fn issue20_notices_complete_per_process_and_titles_checked() {
    let shipped = include_str!("../../../packs/000.toml");
    let start = shipped.find("[[notice]]\nkind = \"risk_warning\"").unwrap();
    // The block ends with the closing quotes of its text (the second triple quote after it).
    let open = start + shipped[start..].find("'''").unwrap() + 3;
    let end = open + shipped[open..].find("'''").unwrap() + 3;
    let text = format!("{}{}", &shipped[..start], &shipped[end..]);
    let e = refused_000(&text);
    assert!(
        e.contains("[[notice]] 缺少以下通知的文本模板：risk_warning（易错风险警示提醒函）"),
        "{e}"
    );
    // The application's notices are complete: only the rectification's is missing.
    assert!(!e.contains("acceptance_notice"), "{e}");

    let text = edited_000(
        "title = \"整改通知书\"",
        "title = \"整改通知书（{oficer}）\"",
    );
    let e = refused_000(&text);
    assert!(
        e.contains("通知 rectification_notice（整改通知书）的标题有误"),
        "{e}"
    );
    assert!(
        e.contains("占位符“oficer”不是该通知可用的内容（最接近的是：officer）"),
        "{e}"
    );
    // A title with the kind's values loads.
    let text = edited_000(
        "title = \"整改通知书\"",
        "title = \"关于{officer}同志的整改通知书\"",
    );
    assert!(parse_pack("packs/000.toml", &text).is_ok());
}
