//! Official documents in the server (issue 6): the notices of a case typeset with
//! `lvzhi-documents` — the PDF sealed when a notice is issued (the service's renderer, see
//! `lvzhi_service`'s crate docs), and the PDF and DOCX downloads of the case page and the API.
//!
//! The fonts are discovered once per process (scanning the system's fonts takes a moment), on
//! the first notice typeset, from the configured fonts directory first and then the system.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

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

    /// The renderer the service seals issued notices with.
    pub fn renderer(self: &Arc<Self>) -> Arc<RenderPdf> {
        let me = self.clone();
        Arc::new(move |d: &Document| me.pdf(d))
    }
}

/// Runs a blocking typesetting job off the async runtime.
pub async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(job).await {
        Ok(r) => r,
        Err(e) => Err(format!("文书排版异常中止（{e}）")),
    }
}
