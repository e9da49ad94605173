//! Issue 15 item 8 (and issue 19 item 7) through the real binary: a closed pipe ends every
//! command quietly, and `--db` naming another database creates no `./lvzhi-data`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::process::{Command, Stdio};

fn closed_pipe(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // The reader goes away before the first line is written (`… | head -0`).
    drop(child.stdout.take());
    child.wait_with_output().expect("binary ends")
}

#[test]
fn interview_on_a_closed_pipe_ends_quietly() {
    let o = closed_pipe(&["interview", "--pack", "000"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{:?} {err}", o.status);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

#[test]
fn calendar_years_and_policy_show_on_a_closed_pipe_end_quietly() {
    for args in [&["calendar", "years"][..], &["policy", "show", "000"][..]] {
        let o = closed_pipe(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{args:?}: {:?} {err}", o.status);
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn a_db_elsewhere_creates_no_default_data_dir() {
    let cwd = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let db = format!(
        "sqlite://{}",
        other.path().join("sub").join("x.db").display()
    );
    let o = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["audit", "verify", "--db", &db])
        .current_dir(cwd.path())
        .env_remove("LVZHI_DATA_DIR")
        .output()
        .expect("binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !cwd.path().join("lvzhi-data").exists(),
        "./lvzhi-data was created"
    );
    // The database's own directory is created.
    assert!(other.path().join("sub").join("x.db").exists());
}
