//! Evidence files, stored content-addressed by their SM3 digest (DESIGN §5), and re-verified on
//! every read so a changed file is never served as evidence.
//!
//! Two backends behind one API ([`EvidenceStore::open`] takes a URL):
//! - a local directory (`/path`, or `file:///path`): `ROOT/ab/abcdef…` (the first two hex
//!   digits fan out), written via temp file + fsync + rename;
//! - S3-compatible object storage (`s3://bucket/prefix?endpoint=…&region=…`) through the
//!   `object_store` crate: key `prefix/sm3/ab/abcdef…`, credentials from `AWS_ACCESS_KEY_ID` and
//!   `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN` if set).
//!
//! Writing is idempotent: the same content always lands under the same name, and a second
//! write of content already stored intact writes nothing. A stored copy found altered is
//! replaced by the genuine content when that content is written again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{
    BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};
use serde::Serialize;

use crate::chain::sm3_hex;
use crate::StoreError;

/// Where evidence files are kept; cheap to clone.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    Local {
        root: PathBuf,
    },
    Object {
        store: Arc<dyn ObjectStore>,
        /// Key prefix inside the bucket (may be empty).
        prefix: String,
        /// How the store is named in messages, e.g. `s3://bucket/prefix`.
        label: String,
    },
}

/// An evidence file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvidence {
    /// Its SM3 digest.
    pub digest: String,
    /// Its size in bytes.
    pub size: u64,
    /// False when identical content was already stored intact (deduplicated: nothing written).
    pub new: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::EvidenceIo {
        path: path.display().to_string(),
        source,
    }
}

fn valid_digest(d: &str) -> bool {
    d.len() == 64
        && d.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

fn bad_url(url: &str, why: &str) -> StoreError {
    StoreError::EvidenceConfig(format!(
        "证据存储地址“{url}”无效：{why}。应为本地目录路径、file:///目录 或 s3://存储桶/前缀?endpoint=地址&region=区域"
    ))
}

/// Temporary file names must differ between concurrent writers of the same content.
static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

impl EvidenceStore {
    /// A local directory of evidence files.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        EvidenceStore {
            backend: Backend::Local { root: root.into() },
        }
    }

    /// Evidence in any `object_store` backend, under `prefix` (keys `prefix/sm3/ab/…`).
    pub fn object(store: Arc<dyn ObjectStore>, prefix: &str, label: impl Into<String>) -> Self {
        EvidenceStore {
            backend: Backend::Object {
                store,
                prefix: prefix.trim_matches('/').to_string(),
                label: label.into(),
            },
        }
    }

    /// Opens the store a URL names: a plain path or `file:///path` (local directory), or
    /// `s3://bucket[/prefix][?endpoint=URL&region=NAME]` with credentials from the usual
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment variables.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with_env(url, |k| std::env::var(k).ok())
    }

    /// [`EvidenceStore::open`] with the environment given explicitly (tests, embedding).
    pub fn open_with_env(
        url: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, StoreError> {
        let trimmed = url.trim();
        if trimmed.is_empty() {
            return Err(bad_url(url, "地址为空"));
        }
        let Some((scheme, _)) = trimmed.split_once("://") else {
            return Ok(Self::new(trimmed));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "file" => {
                let parsed = url::Url::parse(trimmed).map_err(|_| bad_url(url, "无法解析"))?;
                let path = parsed
                    .to_file_path()
                    .map_err(|_| bad_url(url, "file:// 地址应为本机的绝对路径"))?;
                Ok(Self::new(path))
            }
            "s3" => Self::open_s3(url, trimmed, env),
            _ => Err(bad_url(url, "不支持该协议")),
        }
    }

    fn open_s3(
        url: &str,
        trimmed: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, StoreError> {
        let parsed = url::Url::parse(trimmed).map_err(|_| bad_url(url, "无法解析"))?;
        let bucket = parsed.host_str().unwrap_or_default().to_string();
        if bucket.is_empty() {
            return Err(bad_url(url, "缺少存储桶名称"));
        }
        let prefix = parsed.path().trim_matches('/').to_string();
        if !prefix.is_empty() && ObjectPath::parse(&prefix).is_err() {
            return Err(bad_url(url, "对象前缀含有不允许的字符"));
        }
        let mut endpoint: Option<String> = None;
        let mut region: Option<String> = None;
        for (k, v) in parsed.query_pairs() {
            match k.as_ref() {
                "endpoint" => endpoint = Some(v.into_owned()),
                "region" => region = Some(v.into_owned()),
                other => {
                    return Err(bad_url(
                        url,
                        &format!("不认识的参数“{other}”（可用 endpoint、region）"),
                    ))
                }
            }
        }
        if let Some(e) = &endpoint {
            if !(e.starts_with("http://") || e.starts_with("https://")) {
                return Err(bad_url(url, "endpoint 应以 http:// 或 https:// 开头"));
            }
        }
        let key = env("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty());
        let secret = env("AWS_SECRET_ACCESS_KEY").filter(|v| !v.is_empty());
        // Static keys only: without them the client would probe cloud instance metadata over
        // the network, which an intranet deployment never has.
        let (Some(key), Some(secret)) = (key, secret) else {
            return Err(StoreError::EvidenceConfig(
                "使用 S3 证据存储须设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY"
                    .to_string(),
            ));
        };
        let region = region
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_string());
        // reqwest's rustls has no built-in provider here (see Cargo.toml): ring's becomes the
        // process default once; an `Err` only says one is installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&bucket)
            .with_region(&region)
            .with_access_key_id(key)
            .with_secret_access_key(secret)
            // A page waits for the store: fail within a minute rather than retry for minutes.
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: Duration::from_secs(60),
            })
            .with_client_options(ClientOptions::new().with_timeout(Duration::from_secs(120)));
        if let Some(token) = env("AWS_SESSION_TOKEN").filter(|v| !v.is_empty()) {
            builder = builder.with_token(token);
        }
        if let Some(e) = &endpoint {
            builder = builder
                .with_endpoint(e)
                .with_allow_http(e.starts_with("http://"));
        }
        let store = builder
            .build()
            .map_err(|e| bad_url(url, &format!("无法建立 S3 客户端（{e}）")))?;
        let label = match (&endpoint, prefix.is_empty()) {
            (Some(e), true) => format!("s3://{bucket}（{e}）"),
            (Some(e), false) => format!("s3://{bucket}/{prefix}（{e}）"),
            (None, true) => format!("s3://{bucket}"),
            (None, false) => format!("s3://{bucket}/{prefix}"),
        };
        Ok(Self::object(Arc::new(store), &prefix, label))
    }

    /// The object key of a digest below the store's prefix: `sm3/ab/abcdef…`.
    pub fn object_key(digest: &str) -> String {
        format!("sm3/{}/{digest}", &digest[..2])
    }

    /// Where the files are, for logs and start-up messages.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Local { root } => format!("本地目录 {}", root.display()),
            Backend::Object { label, .. } => format!("对象存储 {label}"),
        }
    }

    fn path_of(root: &Path, digest: &str) -> PathBuf {
        root.join(&digest[..2]).join(digest)
    }

    fn location(prefix: &str, digest: &str) -> ObjectPath {
        let key = Self::object_key(digest);
        if prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{prefix}/{key}"))
        }
    }

    fn backend_error(label: &str, e: object_store::Error) -> StoreError {
        StoreError::EvidenceBackend {
            location: label.to_string(),
            detail: e.to_string(),
        }
    }

    /// Stores `bytes` and returns their digest. Content already stored intact is not written
    /// again; a stored copy that no longer matches its digest is replaced.
    pub async fn put(&self, bytes: &[u8]) -> Result<StoredEvidence, StoreError> {
        let digest = sm3_hex(bytes);
        let size = bytes.len() as u64;
        match self.get(&digest).await {
            Ok(_) => {
                return Ok(StoredEvidence {
                    digest,
                    size,
                    new: false,
                })
            }
            Err(StoreError::EvidenceMissing { .. } | StoreError::EvidenceCorrupt { .. }) => {}
            Err(e) => return Err(e),
        }
        match &self.backend {
            Backend::Local { root } => Self::write_local(root, &digest, bytes).await?,
            Backend::Object {
                store,
                prefix,
                label,
            } => {
                // One PUT: S3 makes the object visible whole or not at all.
                store
                    .put(
                        &Self::location(prefix, &digest),
                        PutPayload::from(bytes.to_vec()),
                    )
                    .await
                    .map_err(|e| Self::backend_error(label, e))?;
            }
        }
        Ok(StoredEvidence {
            digest,
            size,
            new: true,
        })
    }

    /// Written to a temporary file, synced, then renamed (and the directory synced), so a crash
    /// never leaves a partial file under a digest name.
    async fn write_local(root: &Path, digest: &str, bytes: &[u8]) -> Result<(), StoreError> {
        Self::write_file(root, &Self::path_of(root, digest), bytes).await
    }

    /// [`EvidenceStore::write_local`] for any file below `root`.
    async fn write_file(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        use tokio::io::AsyncWriteExt;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        tokio::fs::create_dir_all(&dir).await.map_err(io(&dir))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TMP_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let written = async {
            let mut f = tokio::fs::File::create(&tmp).await.map_err(io(&tmp))?;
            f.write_all(bytes).await.map_err(io(&tmp))?;
            f.sync_all().await.map_err(io(&tmp))?;
            tokio::fs::rename(&tmp, path).await.map_err(io(path))
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&tmp).await;
        }
        written?;
        // The rename itself is durable only once the directory entry is on disk.
        if let Ok(d) = tokio::fs::File::open(&dir).await {
            let _ = d.sync_all().await;
        }
        Ok(())
    }

    /// Reads a file back, verifying that its content still has the digest it is stored under.
    pub async fn get(&self, digest: &str) -> Result<Vec<u8>, StoreError> {
        if !valid_digest(digest) {
            return Err(StoreError::BadDigest(digest.to_string()));
        }
        let missing = || StoreError::EvidenceMissing {
            digest: digest.to_string(),
        };
        let bytes = match &self.backend {
            Backend::Local { root } => {
                let path = Self::path_of(root, digest);
                match tokio::fs::read(&path).await {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
                    Err(e) => return Err(io(&path)(e)),
                }
            }
            Backend::Object {
                store,
                prefix,
                label,
            } => {
                let got = match store.get(&Self::location(prefix, digest)).await {
                    Ok(r) => r,
                    Err(object_store::Error::NotFound { .. }) => return Err(missing()),
                    Err(e) => return Err(Self::backend_error(label, e)),
                };
                got.bytes()
                    .await
                    .map_err(|e| Self::backend_error(label, e))?
                    .to_vec()
            }
        };
        let actual = sm3_hex(&bytes);
        if actual != digest {
            return Err(StoreError::EvidenceCorrupt {
                digest: digest.to_string(),
                actual,
            });
        }
        Ok(bytes)
    }

    // Archived documents (issue 6): the PDF of each notice as it was issued, kept beside the
    // evidence under a reserved key space that content-addressed keys (`sm3/…`, `ab/…`) never
    // use, and checked against the digest its seal recorded on every read.

    /// The key of a sealed notice's PDF below the store's root or prefix:
    /// `documents/<case>/<n>-<sm3>.pdf`. The digest is part of the name, so two writers racing
    /// to issue the same number (the case's version check lets one append win) never overwrite
    /// each other's file, and a recorded seal always finds the bytes it was computed from.
    pub fn document_key(case_id: &str, number: usize, digest: &str) -> Result<String, StoreError> {
        let safe_case = !case_id.is_empty()
            && case_id.len() <= 64
            && !case_id.starts_with(['_', '.'])
            && case_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !safe_case {
            return Err(StoreError::ArchiveKey(format!(
                "案件编号“{case_id}”不能用作存档位置"
            )));
        }
        if number == 0 {
            return Err(StoreError::ArchiveKey("文书序号从 1 起".to_string()));
        }
        if !valid_digest(digest) {
            return Err(StoreError::BadDigest(digest.to_string()));
        }
        Ok(format!("documents/{case_id}/{number}-{digest}.pdf"))
    }

    fn key_location(prefix: &str, key: &str) -> ObjectPath {
        if prefix.is_empty() {
            ObjectPath::from(key)
        } else {
            ObjectPath::from(format!("{prefix}/{key}"))
        }
    }

    /// Archives the PDF of notice `number` of a case and returns its digest. Idempotent like
    /// [`EvidenceStore::put`]: an intact copy is not written again, an altered one is replaced.
    pub async fn put_document(
        &self,
        case_id: &str,
        number: usize,
        bytes: &[u8],
    ) -> Result<StoredEvidence, StoreError> {
        let digest = sm3_hex(bytes);
        let size = bytes.len() as u64;
        let key = Self::document_key(case_id, number, &digest)?;
        match self.get_document(case_id, number, &digest).await {
            Ok(_) => {
                return Ok(StoredEvidence {
                    digest,
                    size,
                    new: false,
                })
            }
            Err(StoreError::ArchiveMissing { .. } | StoreError::ArchiveCorrupt { .. }) => {}
            Err(e) => return Err(e),
        }
        match &self.backend {
            Backend::Local { root } => Self::write_file(root, &root.join(&key), bytes).await?,
            Backend::Object {
                store,
                prefix,
                label,
            } => {
                store
                    .put(
                        &Self::key_location(prefix, &key),
                        PutPayload::from(bytes.to_vec()),
                    )
                    .await
                    .map_err(|e| Self::backend_error(label, e))?;
            }
        }
        Ok(StoredEvidence {
            digest,
            size,
            new: true,
        })
    }

    /// Reads the archived PDF of notice `number`, refusing it unless it still has `digest`.
    pub async fn get_document(
        &self,
        case_id: &str,
        number: usize,
        digest: &str,
    ) -> Result<Vec<u8>, StoreError> {
        let key = Self::document_key(case_id, number, digest)?;
        let missing = || StoreError::ArchiveMissing { key: key.clone() };
        let bytes = match &self.backend {
            Backend::Local { root } => {
                let path = root.join(&key);
                match tokio::fs::read(&path).await {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
                    Err(e) => return Err(io(&path)(e)),
                }
            }
            Backend::Object {
                store,
                prefix,
                label,
            } => {
                let got = match store.get(&Self::key_location(prefix, &key)).await {
                    Ok(r) => r,
                    Err(object_store::Error::NotFound { .. }) => return Err(missing()),
                    Err(e) => return Err(Self::backend_error(label, e)),
                };
                got.bytes()
                    .await
                    .map_err(|e| Self::backend_error(label, e))?
                    .to_vec()
            }
        };
        let actual = sm3_hex(&bytes);
        if actual != digest {
            return Err(StoreError::ArchiveCorrupt {
                key,
                expected: digest.to_string(),
                actual,
            });
        }
        Ok(bytes)
    }

    /// Removes the archived PDF of notice `number` with `digest` (a notice typeset for an
    /// append that lost: its file must not outlive the attempt). Removing what is not there
    /// is not an error.
    pub async fn remove_document(
        &self,
        case_id: &str,
        number: usize,
        digest: &str,
    ) -> Result<(), StoreError> {
        let key = Self::document_key(case_id, number, digest)?;
        match &self.backend {
            Backend::Local { root } => {
                let path = root.join(&key);
                match tokio::fs::remove_file(&path).await {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io(&path)(e)),
                }
                // Leave no empty case directory behind.
                if let Some(dir) = path.parent() {
                    let _ = tokio::fs::remove_dir(dir).await;
                }
                Ok(())
            }
            Backend::Object {
                store,
                prefix,
                label,
            } => match store.delete(&Self::key_location(prefix, &key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(Self::backend_error(label, e)),
            },
        }
    }

    /// Everything the store holds: evidence files by digest and archived notices by case,
    /// number and digest (for the audit's orphan and missing-file checks). Temporary files of
    /// interrupted writes are left out; names that fit neither form are listed as `other`.
    pub async fn inventory(&self) -> Result<Inventory, StoreError> {
        let mut inv = Inventory::default();
        match &self.backend {
            Backend::Local { root } => {
                let mut stack = vec![root.clone()];
                while let Some(dir) = stack.pop() {
                    let mut entries = match tokio::fs::read_dir(&dir).await {
                        Ok(e) => e,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(io(&dir)(e)),
                    };
                    while let Some(entry) = entries.next_entry().await.map_err(io(&dir))? {
                        let path = entry.path();
                        let file_type = entry.file_type().await.map_err(io(&path))?;
                        if file_type.is_dir() {
                            stack.push(path);
                        } else if let Ok(rel) = path.strip_prefix(root) {
                            let rel: Vec<String> = rel
                                .components()
                                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                                .collect();
                            inv.add_local(&rel);
                        }
                    }
                }
            }
            Backend::Object {
                store,
                prefix,
                label,
            } => {
                use futures_util::StreamExt;
                let root = (!prefix.is_empty()).then(|| ObjectPath::from(prefix.as_str()));
                let mut listing = store.list(root.as_ref());
                while let Some(meta) = listing.next().await {
                    let meta = meta.map_err(|e| Self::backend_error(label, e))?;
                    let key = meta.location.as_ref();
                    let rel = match prefix.is_empty() {
                        true => key,
                        false => key
                            .strip_prefix(prefix.as_str())
                            .unwrap_or(key)
                            .trim_start_matches('/'),
                    };
                    let parts: Vec<String> = rel.split('/').map(str::to_string).collect();
                    match parts.first().map(String::as_str) {
                        Some("sm3") => inv.add_local(&parts[1..]),
                        _ => inv.add_local(&parts),
                    }
                }
            }
        }
        inv.evidence.sort();
        inv.documents.sort();
        inv.other.sort();
        Ok(inv)
    }
}

/// What an evidence store holds (see [`EvidenceStore::inventory`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Evidence files, by SM3 digest.
    pub evidence: Vec<String>,
    /// Archived notices: (case id, notice number, SM3 digest).
    pub documents: Vec<(String, usize, String)>,
    /// Anything else (not written by lvzhi).
    pub other: Vec<String>,
}

impl Inventory {
    /// Sorts one relative path (local layout: `ab/<digest>`, `documents/<case>/<n>-<d>.pdf`).
    fn add_local(&mut self, parts: &[String]) {
        match parts {
            [name] | [_, name] if name.starts_with('.') && name.ends_with(".tmp") => {}
            [_, _, name] if name.starts_with('.') && name.ends_with(".tmp") => {}
            [shard, digest] if valid_digest(digest) && digest.starts_with(shard.as_str()) => {
                self.evidence.push(digest.clone())
            }
            [dir, case, file] if dir == "documents" => {
                let parsed = file
                    .strip_suffix(".pdf")
                    .and_then(|f| f.split_once('-'))
                    .and_then(|(n, d)| Some((n.parse::<usize>().ok()?, d)))
                    .filter(|(_, d)| valid_digest(d));
                match parsed {
                    Some((n, d)) => self.documents.push((case.clone(), n, d.to_string())),
                    None => self.other.push(parts.join("/")),
                }
            }
            _ => self.other.push(parts.join("/")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn keys(k: &str) -> Option<String> {
        match k {
            "AWS_ACCESS_KEY_ID" => Some("test".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("secret".into()),
            _ => None,
        }
    }

    #[test]
    fn urls_choose_the_backend() {
        let local = EvidenceStore::open_with_env("/var/lib/lvzhi/evidence", no_env).unwrap();
        assert!(
            matches!(local.backend, Backend::Local { ref root } if root == Path::new("/var/lib/lvzhi/evidence"))
        );
        let file = EvidenceStore::open_with_env("file:///srv/ev%20a", no_env).unwrap();
        assert!(
            matches!(file.backend, Backend::Local { ref root } if root == Path::new("/srv/ev a"))
        );
        let s3 = EvidenceStore::open_with_env(
            "s3://lvzhi/evidence/a?endpoint=http://127.0.0.1:9000&region=cn-north-1",
            keys,
        )
        .unwrap();
        match &s3.backend {
            Backend::Object { prefix, label, .. } => {
                assert_eq!(prefix, "evidence/a");
                assert_eq!(label, "s3://lvzhi/evidence/a（http://127.0.0.1:9000）");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            EvidenceStore::location("evidence/a", &"ab".repeat(32)).as_ref(),
            format!("evidence/a/sm3/ab/{}", "ab".repeat(32))
        );
        assert_eq!(
            EvidenceStore::location("", &"0f".repeat(32)).as_ref(),
            format!("sm3/0f/{}", "0f".repeat(32))
        );
    }

    #[test]
    fn document_keys_stay_in_their_key_space() {
        let d = "ab".repeat(32);
        assert_eq!(
            EvidenceStore::document_key("A2024-000001", 3, &d).unwrap(),
            format!("documents/A2024-000001/3-{d}.pdf")
        );
        for case in ["", "../x", "a/b", "_directory", ".hidden", "案件"] {
            assert!(
                matches!(
                    EvidenceStore::document_key(case, 1, &d),
                    Err(StoreError::ArchiveKey(_))
                ),
                "{case}"
            );
        }
        assert!(EvidenceStore::document_key("A1", 0, &d).is_err());
        assert!(matches!(
            EvidenceStore::document_key("A1", 1, "../../etc"),
            Err(StoreError::BadDigest(_))
        ));
    }

    #[test]
    fn bad_urls_and_missing_credentials_are_told_in_chinese() {
        for url in [
            "",
            "gs://bucket",
            "s3://",
            "s3://b?endpoint=ftp://x",
            "s3://b?foo=1",
            "file://host/x",
        ] {
            let e = EvidenceStore::open_with_env(url, keys).unwrap_err();
            let msg = e.to_string();
            assert!(msg.starts_with("证据存储地址"), "{url}: {msg}");
        }
        let e = EvidenceStore::open_with_env("s3://b", no_env).unwrap_err();
        assert!(e.to_string().contains("AWS_ACCESS_KEY_ID"), "{e}");
    }
}
