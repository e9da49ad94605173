//! Official documents in the server (issue 6): the notices of a case typeset with
//! `lvzhi-documents` — the PDF sealed when a notice is issued (the service's renderer, see
//! `lvzhi_service`'s crate docs), and the PDF and DOCX downloads of the case page and the API.
//!
//! The fonts are discovered once per process (scanning the system's fonts takes a moment), on
//! the first notice typeset, from the configured fonts directory first and then the system.
//!
//! Typesetting is CPU-bound and runs on a bounded pool (issue 19 item 3): at most one job per
//! core at a time, a download that cannot start within [`QUEUE_WAIT`] is answered 503 with a
//! Chinese sentence instead of piling up, and one that runs past [`TIME_LIMIT`] is given up
//! (its thread finishes on its own, still holding its place, so the pool stays bounded). The
//! texts' own limits (`lvzhi_service::limits`) keep a notice's typesetting short.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use lvzhi_documents::Fonts;
use lvzhi_service::{RenderPdf, RenderedPdf};
use lvzhi_workflow::Document;

/// Typesets notices with the fonts of one fonts directory (or the system's alone).
pub struct Typesetter {
    fonts_dir: Option<PathBuf>,
}

/// Fonts by directory, loaded once per process and shared by every app (tests open many).
fn fonts_for(dir: Option<&Path>) -> Arc<Fonts> {
    static LOADED: OnceLock<Mutex<BTreeMap<Option<PathBuf>, Arc<Fonts>>>> = OnceLock::new();
    let map = LOADED.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut map = match map.lock() {
        Ok(g) => g,
        // A panic while loading leaves the map as it was: still usable.
        Err(p) => p.into_inner(),
    };
    map.entry(dir.map(Path::to_path_buf))
        .or_insert_with(|| Arc::new(Fonts::discover(dir)))
        .clone()
}

impl Typesetter {
    pub fn new(fonts_dir: Option<PathBuf>) -> Self {
        Typesetter { fonts_dir }
    }

    /// The fonts in use (loaded on first use).
    pub fn fonts(&self) -> Arc<Fonts> {
        fonts_for(self.fonts_dir.as_deref())
    }

    /// The notice as a print-ready PDF (GB/T 9704-2012), with its pages and fonts. Blocking:
    /// callers on the async runtime use `spawn_blocking` (the service does).
    pub fn pdf(&self, document: &Document) -> Result<RenderedPdf, String> {
        let fonts = self.fonts();
        let r = lvzhi_documents::render_pdf_detailed(document, None, &fonts)
            .map_err(|e| e.to_string())?;
        Ok(RenderedPdf {
            pdf: r.pdf,
            pages: r.pages,
            fonts: r.fonts,
        })
    }

    /// The notice as an editable DOCX with the same content and structure. Blocking.
    pub fn docx(&self, document: &Document) -> Result<Vec<u8>, String> {
        let fonts = self.fonts();
        lvzhi_documents::render_docx(document, None, &fonts).map_err(|e| e.to_string())
    }

    /// The renderer the service seals issued notices with (already on a blocking thread; it
    /// waits longer for its place than a download: a notice being issued should be sealed).
    pub fn renderer(self: &Arc<Self>) -> Arc<RenderPdf> {
        let me = self.clone();
        Arc::new(move |d: &Document| {
            let _place = pool()
                .acquire(SEAL_WAIT)
                .ok_or_else(|| TypesetError::Busy.to_string())?;
            me.pdf(d)
        })
    }
}

/// How long a download waits for a place on the pool.
pub(crate) const QUEUE_WAIT: Duration = Duration::from_secs(5);
/// How long sealing a notice being issued waits for a place.
pub(crate) const SEAL_WAIT: Duration = Duration::from_secs(60);
/// The longest a download waits for its typesetting.
pub(crate) const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Why a typesetting job gave no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypesetError {
    #[error("排版服务繁忙，请稍后再试")]
    Busy,
    #[error("文书排版超时，请稍后再试；如持续出现，请联系系统管理员")]
    TimedOut,
    #[error("{0}")]
    Failed(String),
}

/// Places on the typesetting pool: a counter and a condition variable, so that a blocking
/// thread can wait for a place with a time limit.
pub(crate) struct Pool {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A place on the pool, given back when dropped.
pub(crate) struct Place<'a>(&'a Pool);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        let mut free = match self.0.free.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *free += 1;
        self.0.freed.notify_one();
    }
}

impl Pool {
    pub(crate) fn new(places: usize) -> Self {
        Pool {
            free: Mutex::new(places.max(1)),
            freed: Condvar::new(),
        }
    }

    /// Waits up to `wait` for a place (blocking: call it on a blocking thread).
    pub(crate) fn acquire(&self, wait: Duration) -> Option<Place<'_>> {
        let guard = match self.free.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let (mut free, _) = match self
            .freed
            .wait_timeout_while(guard, wait, |free| *free == 0)
        {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        if *free == 0 {
            return None;
        }
        *free -= 1;
        Some(Place(self))
    }
}

/// The process's pool: one place per core.
pub(crate) fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Runs a blocking typesetting job off the async runtime, on the bounded pool.
pub(crate) async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, TypesetError> {
    let task = tokio::task::spawn_blocking(move || {
        let _place = pool().acquire(QUEUE_WAIT).ok_or(TypesetError::Busy)?;
        job().map_err(TypesetError::Failed)
    });
    match tokio::time::timeout(TIME_LIMIT, task).await {
        Err(_) => Err(TypesetError::TimedOut),
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(TypesetError::Failed(format!("文书排版异常中止（{e}）"))),
    }
}

impl From<TypesetError> for crate::error::AppError {
    fn from(e: TypesetError) -> Self {
        match e {
            TypesetError::Failed(why) => {
                tracing::warn!("typesetting failed: {why}");
                crate::error::AppError::Unavailable(format!("文书暂时无法生成：{why}"))
            }
            other => crate::error::AppError::Unavailable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_gives_no_more_places_than_it_has_and_takes_them_back() {
        let pool = Pool::new(2);
        let a = pool.acquire(Duration::ZERO).expect("first");
        let _b = pool.acquire(Duration::ZERO).expect("second");
        assert!(pool.acquire(Duration::from_millis(20)).is_none(), "full");
        drop(a);
        assert!(pool.acquire(Duration::ZERO).is_some(), "given back");
    }
}
