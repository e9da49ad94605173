//! `lvzhi case …` through the real binary (issue 4's contract): create, act, show, list, tick;
//! bad input gets a Chinese error and writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::path::Path;
use std::process::{Command, Output};

fn lvzhi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn err(o: Output) -> String {
    assert!(
        !o.status.success(),
        "unexpectedly succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(!e.contains("panicked"), "{e}");
    e
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const OFFICE: &str = r#"{"person_id":"o-wang","roles":["office"],"org_id":"org-zuoqi"}"#;

fn request(actor: &str, today: &str, command: &str) -> String {
    format!(r#"{{"actor":{actor},"today":"{today}","command":{command}}}"#)
}

fn head(dir: &Path) -> String {
    ok(lvzhi(dir, &["audit", "head"]))
}

#[test]
fn art_000_s13_file_register_deemed_accepted_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = write(d, "file.json", include_str!("fixtures/file.json"));
    let v: serde_json::Value =
        serde_json::from_str(&ok(lvzhi(d, &["case", "create", &file, "--json"]))).unwrap();
    assert_eq!(v["case_id"], "A2024-000001");
    let reg = write(
        d,
        "reg.json",
        &request(OFFICE, "2024-09-30", r#"{"action":"register"}"#),
    );
    assert!(ok(lvzhi(d, &["case", "act", "A2024-000001", &reg])).contains("登记"));

    let show: serde_json::Value = serde_json::from_str(&ok(lvzhi(
        d,
        &[
            "case",
            "show",
            "A2024-000001",
            "--today",
            "2024-10-09",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(show["stage"], "registered");
    assert_eq!(show["version"], 2);
    assert_eq!(show["deadlines"][0]["due"], "2024-10-12");
    assert_eq!(show["deadlines"][0]["article"], "000 §13");
    assert_eq!(show["deadlines"][0]["provisional"], false);
    assert_eq!(show["timeline"].as_array().unwrap().len(), 2);

    let due: serde_json::Value = serde_json::from_str(&ok(lvzhi(
        d,
        &[
            "case",
            "list",
            "--due-within",
            "3wd",
            "--today",
            "2024-10-09",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(due.as_array().unwrap().len(), 1);
    let none: serde_json::Value = serde_json::from_str(&ok(lvzhi(
        d,
        &[
            "case",
            "list",
            "--due-within",
            "3wd",
            "--today",
            "2024-09-30",
            "--json",
        ],
    )))
    .unwrap();
    assert!(
        none.as_array().unwrap().is_empty(),
        "10-12 is 5 working days after 09-30"
    );
    assert!(ok(lvzhi(
        d,
        &["case", "list", "--overdue", "--today", "2024-10-13"]
    ))
    .contains("A2024-000001"));

    // The scheduler: nothing on the last day; deemed accepted the day after; once only.
    assert!(ok(lvzhi(d, &["case", "tick", "--today", "2024-10-12"])).contains("0 件"));
    assert!(ok(lvzhi(d, &["case", "tick", "--today", "2024-10-13"])).contains("1 件"));
    assert!(ok(lvzhi(d, &["case", "tick", "--today", "2024-10-14"])).contains("0 件"));
    let text = ok(lvzhi(
        d,
        &["case", "show", "A2024-000001", "--today", "2024-10-14"],
    ));
    assert!(text.contains("视为受理"), "{text}");
    assert!(ok(lvzhi(d, &["audit", "verify"])).contains("共 3 个事件"));
}

#[test]
fn bad_input_is_refused_in_chinese_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = write(d, "file.json", include_str!("fixtures/file.json"));
    ok(lvzhi(d, &["case", "create", &file]));
    let before = head(d);

    // A fact value of the wrong type, and an unknown fact with the nearest known id.
    let wrong_type = include_str!("fixtures/file.json").replace(
        r#""coercive_measure_lawful": true"#,
        r#""coercive_measure_lawful": "是""#,
    );
    let e = err(lvzhi(
        d,
        &["case", "create", &write(d, "t.json", &wrong_type)],
    ));
    assert!(
        e.contains("coercive_measure_lawful") && e.contains("类型"),
        "{e}"
    );
    let typo = include_str!("fixtures/file.json")
        .replace("coercive_measure_lawful", "coercive_measure_lawfull");
    let e = err(lvzhi(d, &["case", "create", &write(d, "u.json", &typo)]));
    assert!(
        e.contains("coercive_measure_lawfull") && e.contains("coercive_measure_lawful"),
        "{e}"
    );

    // An action not allowed in the state, and a wrong role.
    let accept_by_officer = request(
        r#"{"person_id":"p-zhang","roles":["officer"],"org_id":"org-bayan"}"#,
        "2024-09-30",
        r#"{"action":"accept"}"#,
    );
    err(lvzhi(
        d,
        &[
            "case",
            "act",
            "A2024-000001",
            &write(d, "a.json", &accept_by_officer),
        ],
    ));
    let reply = request(OFFICE, "2024-09-30", r#"{"action":"approve_opinion"}"#);
    err(lvzhi(
        d,
        &["case", "act", "A2024-000001", &write(d, "b.json", &reply)],
    ));
    // A malformed date, an unknown action, broken JSON, a missing case.
    let bad_date = request(OFFICE, "2024-02-30", r#"{"action":"register"}"#);
    let e = err(lvzhi(
        d,
        &[
            "case",
            "act",
            "A2024-000001",
            &write(d, "c.json", &bad_date),
        ],
    ));
    assert!(e.contains("请求文件") && e.contains("第1行"), "{e}");
    let unknown = request(OFFICE, "2024-09-30", r#"{"action":"approve_everything"}"#);
    err(lvzhi(
        d,
        &["case", "act", "A2024-000001", &write(d, "e.json", &unknown)],
    ));
    let e = err(lvzhi(
        d,
        &[
            "case",
            "act",
            "A2024-000001",
            &write(d, "f.json", "{\"actor\":"),
        ],
    ));
    assert!(e.contains("JSON 语法错误"), "{e}");
    let reg = request(OFFICE, "2024-09-30", r#"{"action":"register"}"#);
    let e = err(lvzhi(
        d,
        &["case", "act", "A-NONE", &write(d, "g.json", &reg)],
    ));
    assert!(e.contains("案件 A-NONE 不存在"), "{e}");
    assert!(err(lvzhi(d, &["case", "list", "--due-within", "3d"])).contains("工作日"));

    assert_eq!(head(d), before, "nothing was written");
    let listed: serde_json::Value =
        serde_json::from_str(&ok(lvzhi(d, &["case", "list", "--json"]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
