//! `lvzhi policy …`, `evaluate` and `interview` through the real binary: the contract of
//! issue 3.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn lvzhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn facts_file(dir: &Path, json: &str) -> String {
    let p = dir.join("facts.json");
    std::fs::write(&p, json).unwrap();
    p.display().to_string()
}

#[test]
fn policy_list_json_names_every_shipped_pack() {
    let o = lvzhi(&["policy", "list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in ["000", "004", "004-2016"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
}

#[test]
fn policy_facts_json_has_the_contract_fields() {
    let o = lvzhi(&["policy", "facts", "000", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let facts = v.as_array().unwrap();
    let cat = facts.iter().find(|f| f["id"] == "person_category").unwrap();
    assert_eq!(cat["type"], "choice");
    assert!(cat["choices"].as_array().unwrap().len() == 4);
    let b = facts.iter().find(|f| f["id"] == "timely_rescue").unwrap();
    assert_eq!(b["type"], "bool");
    assert!(b.get("choices").is_none());
    assert!(b["question"].as_str().unwrap().ends_with('？'));
}

#[test]
fn policy_check_reports_the_cross_reference_finding_as_a_warning() {
    let o = lvzhi(&["policy", "check"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(
        out.contains("[警告] xref_mismatch：000 §7(五) 字面引用“004 §21”"),
        "{out}"
    );
    assert!(out.contains("先进集体"));
    assert!(out.contains("000 §8¶2 字面引用“004 §20”"));
}

#[test]
fn policy_test_ends_with_the_count_line() {
    let o = lvzhi(&["policy", "test"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn policy_test_on_a_failing_external_pack_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine.toml");
    std::fs::write(
        &p,
        r#"[pack]
id = "mine"
title = "本单位细则"
effective = "2024-01-01"

[[article]]
id = "§1"
text = "依法履职的，不予追究。"
kind = "operative"

[[fact]]
id = "lawful"
type = "bool"
question = "是否依法履职？"

[[rule]]
id = "r1"
articles = ["§1"]
when = "lawful"
outcome = "exemption"
modality = "shall"

[[example]]
id = "ok"
articles = ["§1"]
facts = { lawful = true }
expect = { outcome = "exemption", modality = "shall" }

[[example]]
id = "wrong"
articles = ["§1"]
facts = { lawful = true }
expect = { outcome = "tolerance" }
"#,
    )
    .unwrap();
    let o = lvzhi(&["policy", "test", p.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(!o.status.success());
    assert_eq!(out.lines().last().unwrap(), "1 passed, 1 failed");
    assert!(
        out.contains("未通过 mine wrong：结果应为 tolerance，实际为 exemption"),
        "{out}"
    );
    // And `policy check` accepts it (it cites nothing missing).
    let o = lvzhi(&["policy", "check", p.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn policy_check_on_a_broken_pack_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(
        &p,
        "[pack]\nid = \"bad\"\ntitle = \"坏\"\neffective = \"2024-01-01\"\n\n[[article]]\nid = \"§1\"\ntext = \"…\"\nkind = \"operative\"\n\n[[fact]]\nid = \"timely_rescue\"\ntype = \"bool\"\nquestion = \"？\"\n\n[[rule]]\nid = \"r7_1\"\narticles = [\"§1\"]\nwhen = \"timly_rescue\"\noutcome = \"exemption\"\nmodality = \"shall\"\n",
    )
    .unwrap();
    let o = lvzhi(&["policy", "check", p.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:19:9：规则 r7_1 的条件引用了未定义的事实“timly_rescue”（最接近的是：timely_rescue）",
            p.display()
        )),
        "{err}"
    );
}

/// Issue 20 item 2: a unit's own copy of 000 whose 公示 cites an article it does not have is
/// refused by `policy check` in Chinese, at the line and column of the citation, and loads
/// once corrected.
#[test]
fn issue20_policy_check_refuses_a_notice_template_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("000-x.toml");
    let good =
        include_str!("../../../packs/000.toml").replacen("id = \"000\"", "id = \"000-x\"", 1);
    let bad = good.replacen("根据{cite:§23}的规定", "根据{cite:§123}的规定", 1);
    let at = bad.find("§123}").unwrap();
    let line = bad[..at].matches('\n').count() + 1;
    let column = bad[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    std::fs::write(&p, &bad).unwrap();
    let o = lvzhi(&["policy", "check", p.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:{line}:{column}：通知 publicity_notice（认定意见公示）的文本模板有误：引用的条文“§123”在本政策包中不存在",
            p.display()
        )),
        "{err}"
    );
    std::fs::write(&p, &good).unwrap();
    let o = lvzhi(&["policy", "check", p.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

/// The line of one article in `policy coverage ID`'s output.
fn coverage_line(out: &str, id: &str, article: &str) -> String {
    let prefix = format!("{id} {article} [");
    out.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {id} {article}:\n{out}"))
        .to_string()
}

/// Issue 20 item 5: coverage says how each article is implemented, with the processes that
/// use each step and period, and what no process uses is a gap.
#[test]
fn policy_coverage_says_how_each_article_is_implemented_000() {
    let o = lvzhi(&["policy", "coverage", "000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("000 §1 [declarative] 宣示性规定"), "{out}");
    assert!(coverage_line(&out, "000", "§7(一)").contains("规则 r7_1"));
    let l = coverage_line(&out, "000", "§13");
    assert!(l.contains("期间 acceptance（免责容错申请）"), "{l}");
    assert!(!l.contains("缺口"), "{l}");
    let l = coverage_line(&out, "000", "§14");
    assert!(l.contains("步骤 review（免责容错申请）"), "{l}");
    // 000 §28: the public statement, the last procedure of the pack no process carried out.
    let l = coverage_line(&out, "000", "§28");
    assert!(l.contains("步骤 public_statement（免责容错申请）"), "{l}");
    assert!(!l.contains("缺口"), "{l}");
    assert!(!out.contains("无流程使用"), "{out}");
}

/// 002 §13's 7-日 notification is read by the 容错免责认定, whose steps carry out the article.
#[test]
fn policy_coverage_shows_the_determination_reads_the_notification_period_002() {
    let out = stdout(&lvzhi(&["policy", "coverage", "002"]));
    let l = coverage_line(&out, "002", "§13");
    assert!(!l.contains("缺口："), "{l}");
    assert!(l.contains("期间 notification（容错免责认定）"), "{l}");
    assert!(
        l.contains("步骤 ") && l.contains("determination_conclusion（容错免责认定）"),
        "{l}"
    );
    // 002 §15–17's correction is carried out by the rectification.
    assert!(coverage_line(&out, "002", "§15").contains("步骤 correction（纠错整改）"));
    let o = lvzhi(&["policy", "coverage", "002", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["article"] == "§13")
        .unwrap();
    let mut keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "article",
            "examples",
            "implemented",
            "kind",
            "missing",
            "period_uses",
            "periods",
            "procedure_uses",
            "procedures",
            "rules",
            "status"
        ]
    );
    assert_eq!(row["status"], "covered");
    assert_eq!(
        row["period_uses"],
        serde_json::json!([{ "id": "notification", "processes": ["容错免责认定"] }])
    );
}

/// 003's procedures are all carried out now (§15's 依法维权 by the 维权 incident, issue 20): 缺口 0,
/// with §13's procedure, 情况备案 included, and §15's five steps each named.
#[test]
fn policy_coverage_of_003_counts_its_s13_and_s15_steps() {
    let out = stdout(&lvzhi(&["policy", "coverage", "003"]));
    assert!(out.contains("缺口 0 条"), "{out}");
    let l = coverage_line(&out, "003", "§13");
    assert!(!l.contains("缺口："), "{l}");
    assert!(
        l.contains("步骤 ") && l.contains("determination_filing（容错免责认定）"),
        "{l}"
    );
    let l = coverage_line(&out, "003", "§15");
    for step in [
        "rights_protection",
        "judicial_coordination",
        "lawyer_engagement",
        "police_referral",
        "judicial_relief",
    ] {
        assert!(l.contains(&format!("{step}（维权案（事）件）")), "{l}");
    }
}

#[test]
fn evaluate_json_has_exactly_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let f = facts_file(
        dir.path(),
        r#"{"facts":{"person_category":"serving_officer","off_duty":false,"intentional_violation":false,"improper_gain":true,"prohibited_act":false,"other_exclusion":false,"evidence_lost_recording_violation":false,"concealed_or_refused_rectification":false,"coercive_measure_lawful":true,"within_necessary_limit":true,"timely_rescue":true,"weapon_harm":false,"subject_own_cause_on_scene":false,"custody_casualty":false}}"#,
    );
    let o = lvzhi(&["evaluate", "--pack", "000", "--facts", &f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "citations",
            "defeated",
            "fired",
            "leniency",
            "modality",
            "notes",
            "outcome",
            "questions"
        ]
    );
    assert_eq!(v["outcome"], "exclusion");
    assert_eq!(v["modality"], "shall");
    assert_eq!(v["questions"], serde_json::json!([]));
    assert_eq!(v["defeated"][0]["rule"], "r7_1");
}

#[test]
fn evaluate_with_dates_applies_the_more_lenient_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut facts = serde_json::Map::new();
    for k in [
        "law_unclear",
        "unforeseeable_or_irresistible",
        "assisting_case_cooperation",
        "minor_negligence",
        "admitted_and_corrected",
        "cooperated_reduced_loss",
        "minor_no_serious_consequence",
        "corrupt_intentional",
        "obstructed_investigation",
        "retaliated_against_complainant",
        "repeated_errors",
        "egregious_serious_consequence",
        "law_changed",
        "facts_disputed_reasonably_explained",
        "new_evidence_changed_conclusion",
        "basis_document_revoked",
        "subject_fault",
        "forged_evidence",
        "tipped_off",
    ] {
        facts.insert(k.into(), false.into());
    }
    facts.insert("other_enforcement_fault".into(), true.into());
    facts.insert("executing_superior_order".into(), true.into());
    // 004 §14's causal condition (issue 15): the error was not produced by falsification.
    facts.insert("falsified_or_coerced_evidence".into(), false.into());
    let json = serde_json::json!({"facts": facts, "conduct_date": "2015-06-01", "decision_date": "2017-03-01"});
    let f = facts_file(dir.path(), &json.to_string());
    let o = lvzhi(&["evaluate", "--pack", "004", "--facts", &f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outcome"], "exemption");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("从旧兼从轻") && notes.contains("适用较轻的 004"),
        "{notes}"
    );
}

#[test]
fn evaluate_rejects_unknown_fact_and_wrong_type_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let f = facts_file(dir.path(), r#"{"facts":{"timly_rescue":true}}"#);
    let o = lvzhi(&["evaluate", "--pack", "000", "--facts", &f]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("政策包 000 中没有事实“timly_rescue”（最接近的是：timely_rescue）"),
        "{}",
        stderr(&o)
    );
    let f = facts_file(dir.path(), r#"{"facts":{"timely_rescue":"是"}}"#);
    let o = lvzhi(&["evaluate", "--pack", "000", "--facts", &f]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("事实“timely_rescue”的取值类型不正确"),
        "{}",
        stderr(&o)
    );
    let f = facts_file(dir.path(), r#"{"facts":{"person_category":"police"}}"#);
    let o = lvzhi(&["evaluate", "--pack", "000", "--facts", &f]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("不在可选值之内"), "{}", stderr(&o));
    let o = lvzhi(&["evaluate", "--pack", "0000", "--facts", &f]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("未找到政策包“0000”"), "{}", stderr(&o));
}

fn interview(answers: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["interview", "--pack", "000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn interview_over_a_pipe_asks_only_decisive_questions_and_concludes() {
    // Situation first (issue 15 item 7): 1 = 强制措施中造成伤亡, no other situation. Then 在职民警;
    // 工作时间; 无第九条、第十一条情形（六问）; 依法抓捕、未超限度、及时施救（三问）. The questions
    // adapt to the answers; three "是" settle §7(一).
    let script = "1\n1\n否\n否\n否\n否\n否\n否\n是\n是\n是\n";
    let o = interview(script);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(out.contains("本案涉及下列哪些情形？"), "{out}");
    assert!(out.contains("结论：免责（不予追究）（应当）"), "{out}");
    assert!(out.contains("000 §7(一)"), "{out}");
    // A tolerance question can never change an exemption: it must not be asked; nor can a
    // question of a situation the case is not in (custody, weapons), nor §31 ¶2's. (The
    // conclusion's notes may name such facts as inferred "否"; only the questions count here.)
    let asked = out.split("结论：").next().unwrap_or_default();
    assert!(!asked.contains("是否因现场情况紧急而判断失误"), "{out}");
    assert!(!asked.contains("看管、羁押场所设置是否安全规范"), "{out}");
    assert!(!asked.contains("使用武器、警械后是否及时报告"), "{out}");
    assert!(!asked.contains("隐瞒问题、拒不整改"), "{out}");
    assert_eq!(out.matches("> ").count(), 11, "{out}");
}

#[test]
fn interview_ends_cleanly_on_eof_and_reprompts_on_nonsense() {
    let o = interview("1\n也许\n");
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("无法识别“也许”"), "{out}");
    assert!(out.contains("输入已结束"), "{out}");
    assert!(out.contains("结论：尚不能确定"), "{out}");
}

#[test]
fn policy_allocate_004_s9_approver_bears_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("people.json");
    std::fs::write(
        &p,
        r#"{"people":[
            {"name":"张某","role":"handler","facts":{"at_fault":false,"falsified_or_concealed":false,"unauthorised_act":false}},
            {"name":"赵某","role":"reviewer","facts":{"at_fault":false,"falsified_or_concealed":false,"unauthorised_act":false}},
            {"name":"李某","role":"approver","facts":{"at_fault":true,"overrode_correct_opinion":true,"unauthorised_act":false}}]}"#,
    )
    .unwrap();
    let o = lvzhi(&["policy", "allocate", "004", "--people", p.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(
        out.contains("李某（审批人）：全部责任（依据：004 §9"),
        "{out}"
    );
    assert!(out.contains("张某（办案人）：不承担责任"), "{out}");
    let o = lvzhi(&[
        "policy",
        "allocate",
        "004",
        "--people",
        p.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["shares"][0]["share"], "all");
    assert_eq!(v["undetermined"], serde_json::json!([]));
}

#[test]
fn interview_with_dates_compares_the_two_versions() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args([
            "interview",
            "--pack",
            "004",
            "--conduct-date",
            "2015-06-01",
            "--decision-date",
            "2017-03-01",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first question decides at once: corruption aggravates under both versions (004 §24,
    // 2016 §19), and the aggravations now come before any excuse (issue 15).
    child
        .stdin
        .take()
        .unwrap()
        .write_all("是\n".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out.matches("> ").count(), 1, "{out}");
    assert!(out.contains("适用政策包：004-2016"), "{out}");
    assert!(out.contains("从旧兼从轻"), "{out}");
}
