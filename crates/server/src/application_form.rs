//! The 《公安民警免责容错申请表》 of 000's annex as a PDF (000 §12: the officer or the unit
//! "填写《公安民警免责容错申请表》"): filled from an application, for signing and stamping — to
//! exactly those who may view the case (Cedar `view`, as the case page) — and blank for
//! handwriting. The pages serve it at `/cases/{id}/application-form.pdf` and
//! `/forms/application-form.pdf` (`ui::application_form`), the API at
//! `GET /api/v1/cases/{id}/application-form.pdf`.
//!
//! Typeset on demand by `lvzhi-documents` (`render_application_form_pdf`) on the blocking pool;
//! the form is not a notice, so it is neither sealed nor archived.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use axum::response::Response;
use lvzhi_documents::{render_application_form_pdf, FormDetails, OfficerParticulars};

use crate::app::App;
use crate::auth::User;
use crate::cases;
use crate::error::AppError;
use crate::notices::{file_response, rfc5987, PDF};

/// The Chinese name of the form, as its file is named.
const TITLE: &str = "公安民警免责容错申请表";

/// `attachment` with an ASCII name and the Chinese one (`A2026-000001-公安民警免责容错申请表.pdf`).
fn disposition(case_id: Option<&str>) -> String {
    let (ascii, name) = match case_id {
        Some(id) => (
            format!("{id}-application-form.pdf"),
            format!("{id}-{TITLE}.pdf"),
        ),
        None => (
            "application-form.pdf".to_string(),
            format!("{TITLE}（空白）.pdf"),
        ),
    };
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        rfc5987(&name)
    )
}

/// Typesets the form on the blocking pool: filled from `filled` (the form and its details) or
/// blank. The same inputs give the same PDF, so the last few are kept by a digest of their
/// inputs (issue 19: a form downloaded again is not typeset again; the case's version changes
/// its inputs, and so does an officer's post in the directory).
async fn typeset(
    app: &App,
    filled: Option<(lvzhi_workflow::ApplicationForm, FormDetails)>,
) -> Result<Arc<Vec<u8>>, AppError> {
    let key = lvzhi_store::sm3_hex(format!("{filled:?}").as_bytes());
    if let Some(pdf) = cached(&key) {
        return Ok(pdf);
    }
    let fonts = app.typesetter().fonts();
    let pdf = crate::typeset::blocking(move || {
        let r = match &filled {
            Some((form, details)) => render_application_form_pdf(Some(form), details, &fonts),
            None => render_application_form_pdf(None, &FormDetails::default(), &fonts),
        };
        r.map_err(|e| e.to_string())
    })
    .await
    .map_err(AppError::from)?;
    let pdf = Arc::new(pdf);
    keep(key, pdf.clone());
    Ok(pdf)
}

/// How many typeset forms are kept.
const CACHED_FORMS: usize = 32;

/// Typeset forms by the digest of their inputs, the most recently used first.
type FormCache = Mutex<VecDeque<(String, Arc<Vec<u8>>)>>;

fn cache() -> &'static FormCache {
    static CACHE: OnceLock<FormCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(VecDeque::new()))
}

fn cached(key: &str) -> Option<Arc<Vec<u8>>> {
    let mut c = cache().lock().ok()?;
    let i = c.iter().position(|(k, _)| k == key)?;
    let hit = c.remove(i)?;
    let pdf = hit.1.clone();
    c.push_front(hit);
    Some(pdf)
}

fn keep(key: String, pdf: Arc<Vec<u8>>) {
    if let Ok(mut c) = cache().lock() {
        c.retain(|(k, _)| *k != key);
        c.push_front((key, pdf));
        c.truncate(CACHED_FORMS);
    }
}

/// The filled form of application `case_id` as `user` may download it: 404 for no such
/// application (a case of another process has no 申请表), 403 when the user may not view it.
pub(crate) async fn filled(app: &App, user: &User, case_id: &str) -> Result<Response, AppError> {
    let ctx = cases::load(app, user, case_id).await?;
    let Some(state) = ctx.state::<lvzhi_workflow::State>() else {
        return Err(AppError::NotFound(format!(
            "案件 {case_id} 是{}，没有申请表",
            ctx.process().name_zh()
        )));
    };
    let Some(form) = state.form.clone() else {
        return Err(AppError::NotFound(format!("案件 {case_id} 没有申请表")));
    };
    let mut details = FormDetails::from_state(state);
    // The directory keeps each officer's post (职务); the rest of the annex's particulars are
    // not on record and stay blank for handwriting.
    let dir = app.directory();
    let mut officers = BTreeMap::new();
    for a in &form.applicants {
        let post = dir
            .people
            .get(&a.person_id)
            .map(|p| p.title.trim().to_string())
            .filter(|t| !t.is_empty());
        if post.is_some() {
            officers.insert(
                a.person_id.clone(),
                OfficerParticulars {
                    post,
                    ..OfficerParticulars::default()
                },
            );
        }
    }
    details.officers = officers;
    let pdf = typeset(app, Some((form, details))).await?;
    Ok(file_response(
        pdf.to_vec(),
        PDF,
        &disposition(Some(case_id)),
    ))
}

/// The blank form, for handwriting.
pub(crate) async fn blank(app: &App) -> Result<Response, AppError> {
    let pdf = typeset(app, None).await?;
    Ok(file_response(pdf.to_vec(), PDF, &disposition(None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_in_ascii_and_in_chinese() {
        let d = disposition(Some("A2026-000001"));
        assert!(
            d.starts_with("attachment; filename=\"A2026-000001-application-form.pdf\"; filename*=UTF-8''A2026-000001-%E5%85%AC"),
            "{d}"
        );
        let d = disposition(None);
        assert!(d.contains("filename=\"application-form.pdf\""), "{d}");
        // （空白） percent-encoded: the blank form says it is blank.
        assert!(
            d.contains("%EF%BC%88%E7%A9%BA%E7%99%BD%EF%BC%89.pdf"),
            "{d}"
        );
    }
}
