//! `lvzhi serve --demo` through the real binary: it seeds the demo data, prints the demo
//! accounts and its URL, and answers HTTP on loopback until it is killed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::Server;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A plain HTTP/1.1 GET; returns the status line and the body.
fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("server accepts connections");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_string();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_demo_prints_its_url_and_accounts_and_answers_http() {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = Vec::new();
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(180))
            .unwrap_or_else(|_| panic!("no URL printed; output so far: {printed:?}"));
        if let Some(i) = line.find("http://") {
            break line[i..].trim().to_string();
        }
        printed.push(line);
    };
    let all = printed.join("\n");
    assert!(all.contains("demo-office-2026"), "{all}");
    assert!(all.contains("维权办"), "{all}");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let (status, body) = get(&addr, "/healthz");
    assert!(status.contains(" 200"), "{status}");
    assert!(body.contains("ok"), "{body}");
    let (status, body) = get(&addr, "/login");
    assert!(status.contains(" 200"), "{status}");
    assert!(body.contains("登录"), "{body}");
    assert!(dir.path().join("demo.db").exists());
    drop(server);
}

#[test]
fn serve_refuses_a_malformed_address_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["serve", "--addr", "not-an-address", "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("错误：监听地址“not-an-address”无效"),
        "{err}"
    );
    // Nothing was opened or created.
    assert!(!dir.path().join("lvzhi.db").exists());
}

#[test]
fn serve_refuses_a_port_in_use_in_one_chinese_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["serve", "--addr", &addr, "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("错误：监听地址 {addr} 已被占用")),
        "{err}"
    );
    drop(taken);
}

#[test]
fn serve_help_is_bilingual_and_marks_today_as_for_demonstrations() {
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["serve", "--help"])
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for want in [
        "--demo",
        "--today",
        "仅用于演示和测试",
        "--remind-within",
        "选项 Options",
    ] {
        assert!(help.contains(want), "{want} missing from:\n{help}");
    }
}
