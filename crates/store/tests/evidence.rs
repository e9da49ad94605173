//! Evidence files: the same cases on every backend — a local directory, an in-memory object
//! store, and S3 through a local S3-compatible server (moto, from PyPI).
//!
//! The S3 cases start `moto_server` on a free loopback port (installed by `scripts/install-moto`
//! into `target/moto-venv`, which `.ci/run` calls); without it they print `S3 tests skipped: …`
//! and pass. `LVZHI_TEST_S3=off` skips them too; `LVZHI_TEST_S3=s3://bucket?endpoint=…` uses an
//! existing server instead (credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use lvzhi_store::{sm3_hex, EvidenceStore, StoreError};
use object_store::aws::AmazonS3Builder;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// How a test alters a stored file behind the store's back.
enum Tamper {
    Dir(PathBuf),
    Object(Arc<dyn ObjectStore>, String),
}

impl Tamper {
    async fn overwrite(&self, digest: &str, bytes: &[u8]) {
        match self {
            Tamper::Dir(root) => {
                std::fs::write(root.join(&digest[..2]).join(digest), bytes).unwrap();
            }
            Tamper::Object(store, prefix) => {
                let key = EvidenceStore::object_key(digest);
                let key = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}/{key}")
                };
                store
                    .put(&ObjectPath::from(key), PutPayload::from(bytes.to_vec()))
                    .await
                    .unwrap();
            }
        }
    }
}

impl Tamper {
    /// Overwrites the object at `key` below the root or prefix (archived documents).
    async fn overwrite_key(&self, key: &str, bytes: &[u8]) {
        match self {
            Tamper::Dir(root) => std::fs::write(root.join(key), bytes).unwrap(),
            Tamper::Object(store, prefix) => {
                let key = if prefix.is_empty() {
                    key.to_string()
                } else {
                    format!("{prefix}/{key}")
                };
                store
                    .put(&ObjectPath::from(key), PutPayload::from(bytes.to_vec()))
                    .await
                    .unwrap();
            }
        }
    }
}

/// Archived documents (issue 6): a sealed notice's PDF under `documents/<case>/<n>-<sm3>.pdf`,
/// idempotent, read back only with the digest its seal recorded.
async fn document_cases(label: &str, ev: &EvidenceStore, tamper: &Tamper) {
    let pdf = binary(40 * 1024, 6);
    let a = ev.put_document("A2024-000001", 1, &pdf).await.unwrap();
    assert!(a.new, "{label}");
    assert_eq!(a.digest, sm3_hex(&pdf), "{label}");
    assert!(
        !ev.put_document("A2024-000001", 1, &pdf).await.unwrap().new,
        "{label}"
    );
    assert_eq!(
        ev.get_document("A2024-000001", 1, &a.digest).await.unwrap(),
        pdf,
        "{label}"
    );
    // Not the evidence of the same digest, nor another case's or number's document.
    assert!(
        matches!(
            ev.get(&a.digest).await,
            Err(StoreError::EvidenceMissing { .. })
        ),
        "{label}"
    );
    for (case, n) in [("A2024-000002", 1), ("A2024-000001", 2)] {
        assert!(
            matches!(
                ev.get_document(case, n, &a.digest).await,
                Err(StoreError::ArchiveMissing { .. })
            ),
            "{label}: {case} {n}"
        );
    }
    // Another rendering of the same number (a racing writer whose append lost) lands beside it.
    let other = binary(1000, 8);
    let b = ev.put_document("A2024-000001", 1, &other).await.unwrap();
    assert_eq!(
        ev.get_document("A2024-000001", 1, &a.digest).await.unwrap(),
        pdf,
        "{label}"
    );
    assert_eq!(
        ev.get_document("A2024-000001", 1, &b.digest).await.unwrap(),
        other,
        "{label}"
    );
    // Altered behind the store's back: refused, naming the recorded and the present digest.
    let key = EvidenceStore::document_key("A2024-000001", 1, &a.digest).unwrap();
    tamper.overwrite_key(&key, b"forged").await;
    match ev.get_document("A2024-000001", 1, &a.digest).await {
        Err(e @ StoreError::ArchiveCorrupt { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(&a.digest), "{label}: {msg}");
            assert!(msg.contains(&sm3_hex(b"forged")), "{label}: {msg}");
        }
        other => panic!("{label}: an altered archive was served: {other:?}"),
    }
    // Archiving the genuine bytes again restores them.
    assert!(
        ev.put_document("A2024-000001", 1, &pdf).await.unwrap().new,
        "{label}"
    );
    assert_eq!(
        ev.get_document("A2024-000001", 1, &a.digest).await.unwrap(),
        pdf,
        "{label}"
    );
    // Case ids that could leave the key space are refused before any I/O.
    assert!(
        matches!(
            ev.put_document("../x", 1, &pdf).await,
            Err(StoreError::ArchiveKey(_))
        ),
        "{label}"
    );
}

/// Deterministic binary content of `n` bytes (a xorshift stream), unlike any text case.
fn binary(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Every case, on one backend. `label` names the backend in assertion messages.
async fn cases(label: &str, ev: &EvidenceStore, tamper: &Tamper) {
    // Content-addressed and idempotent: the same content, the same digest, written once.
    let text = "现场执法记录仪视频摘要".as_bytes();
    let a = ev.put(text).await.unwrap();
    assert!(a.new, "{label}");
    assert_eq!(a.digest, sm3_hex(text), "{label}");
    assert_eq!(a.size, text.len() as u64, "{label}");
    let again = ev.put(text).await.unwrap();
    assert!(
        !again.new,
        "{label}: a second write of the same content writes nothing"
    );
    assert_eq!(again.digest, a.digest, "{label}");
    assert_eq!(ev.get(&a.digest).await.unwrap(), text, "{label}");

    // Binary content and the empty file round-trip byte for byte.
    let big = binary(1 << 20, 7);
    let b = ev.put(&big).await.unwrap();
    assert_eq!(ev.get(&b.digest).await.unwrap(), big, "{label}");
    let empty = ev.put(b"").await.unwrap();
    assert_eq!(ev.get(&empty.digest).await.unwrap(), b"", "{label}");

    // Writers racing with the same content all succeed and agree.
    let racing = binary(64 * 1024, 99);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (ev, bytes) = (ev.clone(), racing.clone());
        tasks.push(tokio::spawn(async move { ev.put(&bytes).await }));
    }
    for t in tasks {
        assert_eq!(
            t.await.unwrap().unwrap().digest,
            sm3_hex(&racing),
            "{label}"
        );
    }
    assert_eq!(ev.get(&sm3_hex(&racing)).await.unwrap(), racing, "{label}");

    // Altered behind the store's back: every read refuses it, in Chinese, naming both digests.
    tamper.overwrite(&a.digest, b"forged").await;
    match ev.get(&a.digest).await {
        Err(e @ StoreError::EvidenceCorrupt { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("已损坏或被篡改"), "{label}: {msg}");
            assert!(msg.contains(&a.digest), "{label}: {msg}");
            assert!(msg.contains(&sm3_hex(b"forged")), "{label}: {msg}");
        }
        other => panic!("{label}: altered evidence was not refused: {other:?}"),
    }
    // Same length, one byte changed: refused as well.
    let mut flipped = text.to_vec();
    flipped[0] ^= 1;
    tamper.overwrite(&a.digest, &flipped).await;
    assert!(
        matches!(
            ev.get(&a.digest).await,
            Err(StoreError::EvidenceCorrupt { .. })
        ),
        "{label}"
    );
    // Writing the genuine content again restores it.
    assert!(ev.put(text).await.unwrap().new, "{label}");
    assert_eq!(ev.get(&a.digest).await.unwrap(), text, "{label}");

    // Missing, and digests that are not digests (never turned into a path or key).
    let missing = "0".repeat(64);
    assert!(
        matches!(
            ev.get(&missing).await,
            Err(StoreError::EvidenceMissing { ref digest }) if *digest == missing
        ),
        "{label}"
    );
    for bad in [
        "../../etc/passwd",
        "",
        &a.digest.to_ascii_uppercase(),
        &a.digest[..63],
    ] {
        assert!(
            matches!(ev.get(bad).await, Err(StoreError::BadDigest(_))),
            "{label}: {bad}"
        );
    }
}

#[tokio::test]
async fn local_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("evidence");
    let ev = EvidenceStore::open(&format!("file://{}", root.display())).unwrap();
    cases("local", &ev, &Tamper::Dir(root.clone())).await;
    // Only digest-named files remain: no temporary file is left behind.
    for fan in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(fan.unwrap().path()).unwrap() {
            let name = f.unwrap().file_name().into_string().unwrap();
            assert_eq!(name.len(), 64, "{name}");
        }
    }
    // A plain path opens the same directory.
    let plain = EvidenceStore::open(root.to_str().unwrap()).unwrap();
    let text = "现场执法记录仪视频摘要".as_bytes();
    assert_eq!(plain.get(&sm3_hex(text)).await.unwrap(), text);
    document_cases("local", &ev, &Tamper::Dir(root.clone())).await;
    let d = sm3_hex(&binary(40 * 1024, 6));
    assert!(root
        .join(format!("documents/A2024-000001/1-{d}.pdf"))
        .is_file());
}

#[tokio::test]
async fn object_store_in_memory() {
    let mem: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let ev = EvidenceStore::object(mem.clone(), "cases/evidence", "memory");
    cases(
        "memory",
        &ev,
        &Tamper::Object(mem.clone(), "cases/evidence".into()),
    )
    .await;
    // The key layout is sm3/<first two hex digits>/<digest> below the prefix.
    let d = sm3_hex("现场执法记录仪视频摘要".as_bytes());
    let key = format!("cases/evidence/sm3/{}/{d}", &d[..2]);
    assert!(mem.head(&ObjectPath::from(key)).await.is_ok());
    document_cases(
        "memory",
        &ev,
        &Tamper::Object(mem.clone(), "cases/evidence".into()),
    )
    .await;
    let d = sm3_hex(&binary(40 * 1024, 6));
    let key = format!("cases/evidence/documents/A2024-000001/1-{d}.pdf");
    assert!(mem.head(&ObjectPath::from(key)).await.is_ok());
}

#[tokio::test]
async fn s3_compatible_server() {
    let Some(s3) = s3() else { return };
    let prefix = format!("run-{}-{}", std::process::id(), nanos());
    let url = format!(
        "s3://{}/{prefix}?endpoint={}&region=us-east-1",
        s3.bucket, s3.endpoint
    );
    let ev = EvidenceStore::open_with_env(&url, |k| s3.env(k)).unwrap();
    assert!(ev.describe().contains(&s3.bucket), "{}", ev.describe());
    // The tamperer is a separate client straight onto the bucket.
    let direct: Arc<dyn ObjectStore> = Arc::new(
        AmazonS3Builder::new()
            .with_bucket_name(&s3.bucket)
            .with_region("us-east-1")
            .with_endpoint(&s3.endpoint)
            .with_allow_http(true)
            .with_access_key_id(s3.key.clone())
            .with_secret_access_key(s3.secret.clone())
            .build()
            .unwrap(),
    );
    cases("s3", &ev, &Tamper::Object(direct.clone(), prefix.clone())).await;
    let d = sm3_hex("现场执法记录仪视频摘要".as_bytes());
    let key = format!("{prefix}/sm3/{}/{d}", &d[..2]);
    assert!(direct.head(&ObjectPath::from(key)).await.is_ok());
    document_cases("s3", &ev, &Tamper::Object(direct.clone(), prefix.clone())).await;
}

#[tokio::test]
async fn s3_unreachable_is_an_error_not_a_hang_or_panic() {
    // Nothing listens on this port; the error names the store.
    let port = free_port();
    let url = format!("s3://nowhere?endpoint=http://127.0.0.1:{port}");
    let ev = EvidenceStore::open_with_env(&url, |k| match k {
        "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("x".into()),
        _ => None,
    })
    .unwrap();
    let started = Instant::now();
    match ev.get(&"1".repeat(64)).await {
        Err(e @ StoreError::EvidenceBackend { .. }) => {
            assert!(e.to_string().starts_with("证据存储（s3://nowhere"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(90));
}

// ---------------------------------------------------------------------------------------------
// The S3-compatible server.

struct S3 {
    endpoint: String,
    bucket: String,
    key: String,
    secret: String,
}

impl S3 {
    fn env(&self, k: &str) -> Option<String> {
        match k {
            "AWS_ACCESS_KEY_ID" => Some(self.key.clone()),
            "AWS_SECRET_ACCESS_KEY" => Some(self.secret.clone()),
            _ => None,
        }
    }
}

/// A started moto server: its standard input is a pipe this process holds, and the wrapper
/// shell kills moto when the pipe closes — so moto ends with the test binary however it ends.
struct Moto {
    s3: S3,
    _child: Mutex<Child>,
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The S3 server for this test binary, started once; `None` (with the reason printed) when
/// the tests are to be skipped.
fn s3() -> Option<&'static S3> {
    static MOTO: OnceLock<Result<Moto, String>> = OnceLock::new();
    static EXTERNAL: OnceLock<Option<S3>> = OnceLock::new();
    match std::env::var("LVZHI_TEST_S3") {
        Ok(v) if v == "off" => {
            eprintln!("S3 tests skipped: LVZHI_TEST_S3=off");
            return None;
        }
        Ok(v) if !v.is_empty() => {
            let s3 = EXTERNAL.get_or_init(|| external(&v)).as_ref();
            if s3.is_none() {
                eprintln!("S3 tests skipped: LVZHI_TEST_S3 is not s3://bucket?endpoint=URL or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are unset");
            }
            return s3;
        }
        _ => {}
    }
    match MOTO.get_or_init(start_moto) {
        Ok(m) => Some(&m.s3),
        Err(why) => {
            eprintln!("S3 tests skipped: {why}");
            None
        }
    }
}

fn external(url: &str) -> Option<S3> {
    let rest = url.strip_prefix("s3://")?;
    let (bucket, query) = rest.split_once("?endpoint=")?;
    Some(S3 {
        endpoint: query.split('&').next()?.to_string(),
        bucket: bucket.trim_end_matches('/').to_string(),
        key: std::env::var("AWS_ACCESS_KEY_ID").ok()?,
        secret: std::env::var("AWS_SECRET_ACCESS_KEY").ok()?,
    })
}

fn start_moto() -> Result<Moto, String> {
    let bin = target_dir().join("moto-venv/bin/moto_server");
    if !bin.exists() {
        return Err(format!(
            "{} not found (scripts/install-moto installs moto from PyPI there)",
            bin.display()
        ));
    }
    let port = free_port();
    let logs = target_dir().join("moto-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let log = logs.join(format!("{port}.log"));
    let child = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" -H 127.0.0.1 -p "$1" >"$2" 2>&1 </dev/null & read _; kill $!"#)
        .arg(&bin)
        .arg(port.to_string())
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let moto = Moto {
        s3: S3 {
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: "lvzhi-evidence".into(),
            key: "testing".into(),
            secret: "testing".into(),
        },
        _child: Mutex::new(child),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match create_bucket(port, &moto.s3.bucket) {
            Ok(()) => return Ok(moto),
            Err(e) if Instant::now() > deadline => {
                return Err(format!(
                    "moto did not answer on port {port} ({e}); see {}",
                    log.display()
                ))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

/// `PUT /bucket` (moto accepts it unsigned).
fn create_bucket(port: u16, bucket: &str) -> Result<(), String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).map_err(|e| e.to_string())?;
    if reply.starts_with("HTTP/1.1 200") || reply.contains("BucketAlreadyOwnedByYou") {
        Ok(())
    } else {
        Err(reply.lines().next().unwrap_or_default().to_string())
    }
}
