//! Issue 22 item 13: the README's first command on a machine without any Chinese font (a fresh
//! Debian has none). The system's faces are hidden from the binary — fontdb reads the
//! fontconfig file `FONTCONFIG_FILE` names, and ours lists one empty directory — so the only
//! Chinese face left is the one lvzhi carries. The demo is seeded by `lvzhi serve --demo`, and
//! then every notice it issued must be sealed (已定稿), and a notice of every kind must print
//! its Chinese through `lvzhi document render`, read back with pdftotext.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::{ok, pdftotext, Server};

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A directory whose fontconfig names only an empty fonts directory, and a data directory.
struct Bare {
    root: tempfile::TempDir,
}

impl Bare {
    fn new() -> Bare {
        let root = tempfile::tempdir().unwrap();
        let empty = root.path().join("no-fonts");
        std::fs::create_dir_all(&empty).unwrap();
        std::fs::write(
            root.path().join("fonts.conf"),
            format!(
                "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
                empty.display()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(root.path().join("data")).unwrap();
        Bare { root }
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The binary with the system's fonts hidden.
    fn lvzhi(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lvzhi"));
        c.env("FONTCONFIG_FILE", self.root.path().join("fonts.conf"))
            .env("HOME", self.root.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .arg("--data-dir")
            .arg(self.data());
        c
    }

    fn run(&self, args: &[&str]) -> String {
        ok(self.lvzhi().args(args).output().expect("binary runs"))
    }
}

#[test]
fn issue22_with_no_system_font_the_carried_face_sets_every_role() {
    let bare = Bare::new();
    let v: serde_json::Value = serde_json::from_str(&bare.run(&["fonts", "--json"])).expect("json");
    assert_eq!(v["cjk"], true, "{v}");
    assert_eq!(v["carried"], true, "{v}");
    for r in v["roles"].as_array().unwrap() {
        assert_eq!(r["family"], "Noto Serif CJK SC", "{r}");
        assert_eq!(r["official"], false, "{r}");
    }
    let text = bare.run(&["fonts"]);
    assert!(text.contains("lvzhi 自带"), "{text}");
}

#[test]
fn issue22_the_demo_on_a_machine_without_chinese_fonts_seals_every_notice() {
    let bare = Bare::new();
    let child = bare
        .lvzhi()
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The URL is printed once the demo is seeded.
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(600))
            .expect("the server prints its URL");
        if line.contains("http://127.0.0.1:") {
            break;
        }
    }
    drop(server);
    let db = format!("sqlite://{}", bare.data().join("demo.db").display());
    let list: serde_json::Value =
        serde_json::from_str(&bare.run(&["case", "list", "--db", &db, "--json"])).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_id"].as_str().unwrap())
        .collect();
    assert!(ids.len() > 20, "{ids:?}");
    let (mut notices, mut unsealed) = (0, Vec::new());
    for id in &ids {
        let shown = bare.run(&["case", "show", id, "--db", &db]);
        let mut in_notices = false;
        for line in shown.lines() {
            if line == "文书：" {
                in_notices = true;
            } else if !line.starts_with("  ") {
                in_notices = false;
            } else if in_notices {
                notices += 1;
                if !line.ends_with("，已定稿") {
                    unsealed.push(format!("{id}: {line}"));
                }
            }
        }
    }
    assert!(notices > 20, "only {notices} notices in the demo");
    assert!(unsealed.is_empty(), "left unsealed: {unsealed:#?}");
    // A notice of each of the seven kinds of case typesets and prints its Chinese.
    for (id, kind, words) in [
        ("A2026-000001", "acceptance_notice", "受理"),
        ("W2026-000001", "incident_report", "执法权威受到侵害"),
        ("J2026-000001", "rectification_notice", "整改"),
        ("F2026-000001", "fault_determination", "执法过错"),
        ("R2026-000003", "determination_notice", "容错"),
        ("Z2026-000001", "name_clearing_notice", "正名"),
        ("S2026-000001", "sanction_review_opinion", "复核"),
    ] {
        let out = bare.data().join(format!("{id}.pdf"));
        let said = bare.run(&[
            "document",
            "render",
            "--db",
            &db,
            "--case",
            id,
            "--kind",
            kind,
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(said.contains("已写入") || out.exists(), "{said}");
        let Some(text) = pdftotext(&out) else {
            println!("skipped reading the PDFs: pdftotext missing (apt-get install poppler-utils)");
            return;
        };
        assert!(text.contains(words), "{id} {kind}: {text}");
    }
}
