//! `lvzhi calendar …` through the real binary: the contract of issue 2.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::path::Path;
use std::process::{Command, Output};

fn lvzhi(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("--data-dir")
        .arg(data_dir)
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

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn list_json_covers_2019_to_2026_with_official_days() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&lvzhi(
        dir.path(),
        &[
            "calendar",
            "list",
            "--from",
            "2019-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
    ));
    let days = v.as_array().unwrap();
    assert_eq!(days.len(), 2922);
    let find = |date: &str| days.iter().find(|d| d["date"] == date).unwrap().clone();
    for (date, workday) in [
        ("2024-02-04", true),
        ("2024-02-18", true),
        ("2024-10-07", false),
        ("2025-01-26", true),
        ("2025-02-08", true),
    ] {
        assert_eq!(find(date)["workday"], workday, "{date}");
    }
    assert_eq!(find("2024-10-07")["name"], "国庆节");
    assert_eq!(find("2024-03-05")["name"], serde_json::Value::Null);
    // Exactly the three contract fields.
    assert_eq!(find("2024-03-05").as_object().unwrap().len(), 3);
}

#[test]
fn add_must_show_examples() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "add", "2024-09-27", "7wd", "--json"],
    ));
    assert_eq!(v["due"], "2024-10-12");
    assert_eq!(v["start"], "2024-09-27");
    assert_eq!(v["period"], "7wd");
    assert_eq!(v["provisional"], false);
    assert_eq!(v["missing_years"], serde_json::json!([]));
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "add", "2025-04-30", "5d", "--json"],
    ));
    assert_eq!(v["due"], "2025-05-06");
    let text = stdout(&lvzhi(
        dir.path(),
        &["calendar", "add", "2024-09-27", "7wd"],
    ));
    assert!(text.contains("2024年10月12日"), "{text}");
}

#[test]
fn add_into_unloaded_year_says_provisional() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "add", "2026-12-25", "10wd", "--json"],
    ));
    assert_eq!(v["provisional"], true);
    assert_eq!(v["missing_years"], serde_json::json!([2027]));
    let text = stdout(&lvzhi(
        dir.path(),
        &["calendar", "add", "2026-12-25", "10wd"],
    ));
    assert!(text.contains("暂定") && text.contains("2027年"), "{text}");
}

#[test]
fn between_counts_working_days() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "between", "2024-09-27", "2024-10-12", "--json"],
    ));
    assert_eq!(v["working_days"], 7);
    let text = stdout(&lvzhi(
        dir.path(),
        &["calendar", "between", "2024-09-27", "2024-10-12"],
    ));
    assert!(text.contains("7 个工作日"), "{text}");
}

#[test]
fn bad_input_is_a_clear_chinese_error_and_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            &["calendar", "add", "2024-02-30", "7wd"][..],
            "日期“2024-02-30”无效",
        ),
        (&["calendar", "add", "2024-01-01", "7x"][..], "期间“7x”无效"),
        (&["calendar", "add", "2024-01-01"][..], "缺少必需的参数"),
        (
            &[
                "calendar",
                "list",
                "--from",
                "2024-03-01",
                "--to",
                "2024-02-01",
            ][..],
            "晚于",
        ),
        (
            &["calendar", "add", "1900-01-01", "7wd"][..],
            "超出日历支持的范围",
        ),
        (&["calendar", "frobnicate"][..], "无法识别的命令"),
    ] {
        let o = lvzhi(dir.path(), args);
        assert!(!o.status.success(), "{args:?} succeeded");
        let err = stderr(&o);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn import_validates_whole_file_and_changes_nothing_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bad_cases = [
        (
            "year 2027\nholiday 2027-01-01 元旦\nholiday 2027-01-01 元旦\n",
            "第3行",
        ),
        (
            "year 2027\nworkday 2027-02-06 调休\nholiday 2027-02-06 春节\n",
            "既列为放假日又列为调休上班日",
        ),
        (
            "year 2027\nholiday 2027-02-29 春节\n",
            "第2行第9列：日期“2027-02-29”无效",
        ),
        (
            "year 2024\nmode extend\nholiday 2024-10-01 本地\n",
            "国庆节",
        ),
    ];
    for (text, needle) in bad_cases {
        let file = dir.path().join("bad.txt");
        std::fs::write(&file, text).unwrap();
        let o = lvzhi(&data, &["calendar", "import", file.to_str().unwrap()]);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(err.contains(needle), "{err}");
        assert!(err.contains("bad.txt"), "names the file: {err}");
        assert!(
            !data.join("calendars").exists(),
            "nothing written for {text:?}"
        );
    }
}

#[test]
fn import_next_year_then_periods_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.txt");
    std::fs::write(
        &file,
        "year 2027\nsource 测试通知\nholiday 2027-01-01..2027-01-03 元旦\n",
    )
    .unwrap();
    let o = lvzhi(dir.path(), &["calendar", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("已导入2027年国务院节假日安排"),
        "{}",
        stdout(&o)
    );
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "add", "2026-12-25", "10wd", "--json"],
    ));
    assert_eq!(v["provisional"], false);
    assert_eq!(v["due"], "2027-01-11");
    // Local extra days extend the official year.
    let local = dir.path().join("local.txt");
    std::fs::write(
        &local,
        "year 2027\nmode extend\nsource 地方补充\nholiday 2027-01-04 地方假日\n",
    )
    .unwrap();
    assert!(
        lvzhi(dir.path(), &["calendar", "import", local.to_str().unwrap()])
            .status
            .success()
    );
    let v = json(&lvzhi(
        dir.path(),
        &["calendar", "add", "2026-12-25", "10wd", "--json"],
    ));
    assert_eq!(v["due"], "2027-01-12");
}

#[test]
fn help_is_bilingual() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&lvzhi(dir.path(), &["calendar", "add", "--help"]));
    assert!(
        text.contains("用法 Usage") && text.contains("起算日期 / Start date"),
        "{text}"
    );
}
