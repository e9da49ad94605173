//! `lvzhi audit verify` / `audit head` through the real binary, on a database changed by hand.

use std::process::{Command, Output};

use lvzhi_store::{NewEvent, Store};

fn lvzhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn seed(url: &str, n: i64) {
    block_on(async {
        let store = Store::open(url).await.unwrap();
        for i in 0..n {
            let e = NewEvent {
                kind: "note".into(),
                actor: "p1".into(),
                role: "office".into(),
                at: chrono::DateTime::from_timestamp(1_700_000_000 + i, 0).unwrap(),
                reason: None,
                payload: serde_json::json!({ "i": i }),
            };
            store.append("A-2024-001", i, &[e]).await.unwrap();
        }
        store.close().await;
    })
}

#[test]
fn verify_passes_then_names_the_event_changed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    seed(&url, 6);
    let ok = lvzhi(&["audit", "verify", "--db", &url]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("审计链完整：共 6 个事件"));
    let head = lvzhi(&["audit", "head", "--db", &url, "--json"]);
    let head: serde_json::Value = serde_json::from_slice(&head.stdout).unwrap();
    assert_eq!(head["seq"], 6);
    assert_eq!(head["hash"].as_str().unwrap().len(), 64);

    // Edit one stored event directly in the database file, as a tamperer would.
    block_on(async {
        let store = Store::open(&url).await.unwrap();
        store
            .execute_raw("UPDATE events SET actor = 'someone-else' WHERE seq = 4")
            .await
            .unwrap();
        store.close().await;
    });
    let bad = lvzhi(&["audit", "verify", "--db", &url]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("第 4 号事件") && err.contains("篡改"), "{err}");
    let json = lvzhi(&["audit", "verify", "--db", &url, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["problem"]["kind"], "altered");
    assert_eq!(v["problem"]["seq"], 4);
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let o = lvzhi(&["audit", "verify", "--db", "mysql://x"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("数据库地址“mysql://x”无效"));
}
