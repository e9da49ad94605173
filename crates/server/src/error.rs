//! Errors as the user sees them: one formal Chinese sentence with the right status code. Pages
//! render it in the layout; the API answers `{"error":{"code","message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lvzhi_service::ServiceError;
use lvzhi_store::StoreError;
use lvzhi_workflow::WorkflowError;

/// Why a request or the start failed: each variant is an HTTP status and a stable code, and its
/// message is the Chinese sentence the user sees.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in (or the session expired).
    #[error("请先登录")]
    Unauthenticated,
    /// Refused by the workflow: the step belongs to another role (000's guards).
    #[error("{0}")]
    Forbidden(String),
    /// Refused by the access policies: the case or organisation is outside the user's scope.
    #[error("{0}")]
    AccessDenied(String),
    /// No such case, page, file or route.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed or a value is invalid.
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but refused by the procedure (stage, window, content).
    #[error("{0}")]
    Unprocessable(String),
    /// The request conflicts with the record as it is (a stale version, a duplicate).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts (login limiting): try again later.
    #[error("{0}")]
    TooManyRequests(String),
    /// A body past the route's limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Something the server needs is missing for now (e.g. no CJK font to typeset a notice);
    /// the message says what, so an operator can fix it.
    #[error("{0}")]
    Unavailable(String),
    /// The CSRF token a page form or a session's API request must send is missing or wrong.
    #[error("提交的表单已过期或来源无法确认，请刷新页面后重新提交")]
    Csrf,
    /// The server could not start (database, evidence store, policies, address).
    #[error("{0}")]
    Startup(String),
    /// A failure of ours; the detail goes to the log, the user gets a plain sentence.
    #[error("系统内部错误，请稍后重试；如持续出现，请联系系统管理员")]
    Internal(String),
}

impl AppError {
    /// The same error with the citations by code in its sentence ("（001 §32）") read as
    /// articles of the regulation named in full (issue 22 item 5): the domain writes codes, the
    /// user reads words.
    pub(crate) fn cited(self, packs: &lvzhi_rules::PackSet) -> AppError {
        let c = |m: String| packs.cite_in_text(&m);
        match self {
            AppError::Forbidden(m) => AppError::Forbidden(c(m)),
            AppError::AccessDenied(m) => AppError::AccessDenied(c(m)),
            AppError::NotFound(m) => AppError::NotFound(c(m)),
            AppError::BadRequest(m) => AppError::BadRequest(c(m)),
            AppError::Unprocessable(m) => AppError::Unprocessable(c(m)),
            AppError::Conflict(m) => AppError::Conflict(c(m)),
            other => other,
        }
    }

    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::AccessDenied(_) | AppError::Csrf => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Startup(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::AccessDenied(_) => "access_denied",
            AppError::Csrf => "csrf",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unprocessable(_) => "refused",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Startup(_) | AppError::Internal(_) => "internal",
        }
    }

    pub(crate) fn forbidden_case() -> Self {
        AppError::AccessDenied("您无权查看或办理该案件".to_string())
    }

    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        AppError::Internal(detail.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } => AppError::Conflict(e.to_string()),
            StoreError::BadDigest(_) | StoreError::BadUrl(_) => AppError::BadRequest(e.to_string()),
            StoreError::EvidenceMissing { .. } => AppError::NotFound(e.to_string()),
            StoreError::Directory(_) => AppError::Unprocessable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<WorkflowError> for AppError {
    fn from(e: WorkflowError) -> Self {
        match e {
            WorkflowError::Forbidden { .. } => AppError::Forbidden(e.to_string()),
            WorkflowError::Invalid(_) => AppError::BadRequest(e.to_string()),
            WorkflowError::MissingPeriods(_) => AppError::Internal(e.to_string()),
            _ => AppError::Unprocessable(e.to_string()),
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Store(s) => s.into(),
            ServiceError::Workflow(w) => w.into(),
            ServiceError::NotFound(_) => AppError::NotFound(e.to_string()),
            ServiceError::BadCaseId(_) | ServiceError::NotACreation | ServiceError::Facts(_) => {
                AppError::BadRequest(e.to_string())
            }
            ServiceError::Exists(_) => AppError::Conflict(e.to_string()),
            ServiceError::CorruptEvent { .. } => AppError::Internal(e.to_string()),
            ServiceError::Process(p) => match p.refusal {
                lvzhi_processes::Refusal::Forbidden => AppError::Forbidden(p.to_string()),
                lvzhi_processes::Refusal::Invalid => AppError::BadRequest(p.to_string()),
                lvzhi_processes::Refusal::Refused => AppError::Unprocessable(p.to_string()),
            },
            ServiceError::UnknownKind(_) => AppError::NotFound(e.to_string()),
            ServiceError::Command { path, message } => {
                AppError::BadRequest(crate::api::extract::command_error_zh(&path, &message))
            }
            ServiceError::NotAProcessCreation(_) => AppError::BadRequest(e.to_string()),
            ServiceError::EvidenceNotUploaded { .. } | ServiceError::NotGoverned(_) => {
                AppError::Unprocessable(e.to_string())
            }
            ServiceError::TooLong(_) => AppError::BadRequest(e.to_string()),
        }
    }
}

/// JSON error body of the API.
pub(crate) fn json_error(e: &AppError) -> Response {
    if let AppError::Internal(detail) | AppError::Startup(detail) = e {
        tracing::error!("internal error: {detail}");
    }
    let body = serde_json::json!({ "error": { "code": e.code(), "message": e.to_string() } });
    let mut res = (e.status(), axum::Json(body)).into_response();
    if matches!(e, AppError::Unauthenticated) {
        // RFC 6750: tell API clients which scheme to use.
        res.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"lvzhi\""),
        );
    }
    res
}

/// Errors as API responses (the pages wrap theirs in `ui::PageError`).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        json_error(&self)
    }
}
