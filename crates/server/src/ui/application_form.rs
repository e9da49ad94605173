//! The 申请表 downloads of the pages: filled from an application at
//! `/cases/{id}/application-form.pdf`, blank at `/forms/application-form.pdf` (any signed-in
//! user: it holds nothing of any case). See `crate::application_form`.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;

use super::{PageResult, PageUser};
use crate::app::App;
use crate::application_form::{blank, filled};

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}/application-form.pdf", get(filled_page))
        .route("/forms/application-form.pdf", get(blank_page))
}

async fn filled_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    Ok(filled(&app, &user, &id).await?)
}

async fn blank_page(State(app): State<App>, PageUser(_user): PageUser) -> PageResult {
    Ok(blank(&app).await?)
}
