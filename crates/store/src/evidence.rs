//! Evidence files, stored content-addressed by their SM3 digest (DESIGN §5) in a local
//! directory, and re-verified on every read so a changed file is never served as evidence.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::chain::sm3_hex;
use crate::StoreError;

/// A local directory of evidence files: `ROOT/ab/abcdef…` (first two hex digits fan out).
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    root: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvidence {
    pub digest: String,
    pub size: u64,
    /// False when identical content was already stored (deduplicated).
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

impl EvidenceStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        EvidenceStore { root: root.into() }
    }

    fn path_of(&self, digest: &str) -> PathBuf {
        self.root.join(&digest[..2]).join(digest)
    }

    /// Stores `bytes` and returns their digest. Written to a temporary file, synced, then renamed,
    /// so a crash never leaves a partial file under a digest name.
    pub async fn put(&self, bytes: &[u8]) -> Result<StoredEvidence, StoreError> {
        let digest = sm3_hex(bytes);
        let path = self.path_of(&digest);
        let size = bytes.len() as u64;
        if tokio::fs::try_exists(&path).await.map_err(io(&path))? {
            return Ok(StoredEvidence {
                digest,
                size,
                new: false,
            });
        }
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        tokio::fs::create_dir_all(&dir).await.map_err(io(&dir))?;
        let tmp = dir.join(format!(".{digest}.{}.tmp", std::process::id()));
        {
            use tokio::io::AsyncWriteExt;
            let mut f = tokio::fs::File::create(&tmp).await.map_err(io(&tmp))?;
            f.write_all(bytes).await.map_err(io(&tmp))?;
            f.sync_all().await.map_err(io(&tmp))?;
        }
        tokio::fs::rename(&tmp, &path).await.map_err(io(&path))?;
        Ok(StoredEvidence {
            digest,
            size,
            new: true,
        })
    }

    /// Reads a file back, verifying that its content still has the digest it is stored under.
    pub async fn get(&self, digest: &str) -> Result<Vec<u8>, StoreError> {
        if !valid_digest(digest) {
            return Err(StoreError::BadDigest(digest.to_string()));
        }
        let path = self.path_of(digest);
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::EvidenceMissing {
                    digest: digest.to_string(),
                })
            }
            Err(e) => return Err(io(&path)(e)),
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
}
