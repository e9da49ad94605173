//! `lvzhi audit verify` / `audit head` through the real binary, on a database changed by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

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

/// An `evidence_added` event as the workflow records it (its payload's shape is what the audit
/// reads).
fn evidence_event(sm3: &str, name: &str, person: &str) -> NewEvent {
    NewEvent {
        kind: "evidence_added".into(),
        actor: person.into(),
        role: "officer".into(),
        at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        reason: None,
        payload: serde_json::json!({
            "on": "2024-10-08",
            "by": { "person_id": person, "role": "officer" },
            "kind": { "type": "evidence_added",
                      "evidence": { "sm3": sm3, "file_name": name, "description": "" } }
        }),
    }
}

/// Issue 19 items 1 and 5: the evidence store held against the record. A digest recorded on
/// another case without an upload there (the attack, in records made before the fix), a
/// recorded file that is not in the store, and a stored file no record names are each found;
/// the first two fail the check.
#[test]
fn verify_finds_evidence_not_uploaded_missing_and_orphaned() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let evidence = lvzhi_store::EvidenceStore::new(dir.path().join("evidence"));
    let (secret, orphan) = block_on(async {
        let secret = evidence.put("询问笔录".as_bytes()).await.unwrap().digest;
        let orphan = evidence
            .put(b"an upload that was refused")
            .await
            .unwrap()
            .digest;
        let store = Store::open(&url).await.unwrap();
        store
            .record_evidence_upload(
                "A2024-000001",
                "p-a",
                &secret,
                chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            )
            .await
            .unwrap();
        for (case, sm3, person) in [
            ("A2024-000001", secret.as_str(), "p-a"),
            ("A2024-000002", secret.as_str(), "p-b"),
            ("A2024-000003", &"0f".repeat(32), "p-c"),
        ] {
            store
                .append(case, 0, &[evidence_event(sm3, "笔录.txt", person)])
                .await
                .unwrap();
        }
        store.close().await;
        (secret, orphan)
    });
    let data_dir = dir.path().to_string_lossy().to_string();
    let o = lvzhi(&["--data-dir", &data_dir, "audit", "verify", "--db", &url]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("审计链完整"), "{out}");
    assert!(
        out.contains("[未上传] 案件 A2024-000002") && out.contains("此前已登记于案件 A2024-000001"),
        "{out}"
    );
    assert!(out.contains("[缺失] 案件 A2024-000003"), "{out}");
    assert!(out.contains(&orphan), "the orphan is listed: {out}");
    assert!(
        !out.contains(&format!("  SM3 {secret}")),
        "a recorded file is no orphan: {out}"
    );
    assert!(err.contains("证据核查发现 2 处问题"), "{err}");
    let json = lvzhi(&[
        "--data-dir",
        &data_dir,
        "audit",
        "evidence",
        "--db",
        &url,
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["records"], 3);
    assert_eq!(v["not_uploaded_here"][0]["case_id"], "A2024-000002");
    assert_eq!(v["orphan_files"][0], serde_json::json!(orphan));
}
