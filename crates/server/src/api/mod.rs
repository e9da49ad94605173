//! The JSON API under `/api/v1`: everything the pages do, for other systems and scripts. Its
//! OpenAPI 3.1 document (`/api/openapi.json`) is generated from the handlers and types
//! (utoipa), and `/api/docs` renders that same document as a Chinese reference page, so the
//! documentation cannot drift from the code.
//!
//! Authentication is `auth::ApiUser`: a bearer token issued by an administrator, or the page
//! session's cookie with its `X-CSRF-Token` header on writes. Every failure — including a
//! malformed body, a wrong content type, bad path or query parameters, an unknown path or
//! method — answers `{"error":{"code","message"}}` with one formal Chinese sentence
//! (see [`extract`]).

mod admin;
mod application_form;
pub(crate) mod cases;
mod docs;
mod evidence;
pub(crate) mod extract;
pub(crate) mod people;
mod schema;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::app::App;

type Make = fn() -> MethodRouter<App>;

/// Every route of the API: method, path (as in the OpenAPI document) and handler. The router is
/// built from this table, and a test checks that the document lists each entry.
pub const ROUTES: &[(&str, &str, Make)] = &[
    ("GET", "/api/v1/me", || get(cases::me)),
    ("GET", "/api/v1/inbox", || get(cases::inbox)),
    ("GET", "/api/v1/cases", || get(cases::list_cases)),
    ("POST", "/api/v1/cases", || post(cases::create_case)),
    ("GET", "/api/v1/cases/{id}", || get(cases::get_case)),
    ("POST", "/api/v1/cases/{id}/actions", || post(cases::act)),
    // The older address of the same route.
    ("POST", "/api/v1/cases/{id}/act", || post(cases::act_alias)),
    ("POST", "/api/v1/cases/{id}/evidence", || {
        post(evidence::upload_evidence).layer(axum::extract::DefaultBodyLimit::max(
            crate::evidence::MAX_BODY_BYTES,
        ))
    }),
    ("GET", "/api/v1/incidents/ledger", || get(cases::ledger)),
    ("GET", "/api/v1/cases/{id}/evaluation", || {
        get(cases::case_evaluation)
    }),
    ("GET", "/api/v1/cases/{id}/documents", || {
        get(cases::documents)
    }),
    ("GET", "/api/v1/cases/{id}/documents/{n}", || {
        get(cases::document)
    }),
    // Served by the `{n}` route, which reads the suffix (the router has no suffix parameters).
    ("GET", "/api/v1/cases/{id}/documents/{n}.pdf", || {
        get(cases::document_pdf)
    }),
    ("GET", "/api/v1/cases/{id}/documents/{n}.docx", || {
        get(cases::document_docx)
    }),
    ("GET", "/api/v1/cases/{id}/application-form.pdf", || {
        get(application_form::application_form_pdf)
    }),
    ("POST", "/api/v1/evaluate", || post(cases::evaluate)),
    ("GET", "/api/v1/policy/facts", || get(cases::policy_facts)),
    ("GET", "/api/v1/orgs", || get(cases::orgs)),
    ("GET", "/api/v1/people/{id}/result-use", || {
        get(people::get_result_use)
    }),
    ("GET", "/api/v1/compliance/lawyers", || {
        get(people::lawyer_shortfalls)
    }),
    ("GET", "/api/v1/admin/people", || get(admin::people)),
    ("POST", "/api/v1/admin/people", || post(admin::put_person)),
    ("POST", "/api/v1/admin/grants", || post(admin::add_grant)),
    ("DELETE", "/api/v1/admin/grants", || {
        delete(admin::revoke_grant)
    }),
    ("GET", "/api/v1/admin/orgs/{id}/packs", || {
        get(admin::org_packs)
    }),
    ("PUT", "/api/v1/admin/orgs/{id}/packs", || {
        put(admin::put_org_packs)
    }),
    ("GET", "/api/v1/admin/tokens", || get(admin::tokens)),
    ("POST", "/api/v1/admin/tokens", || post(admin::issue_token)),
    ("DELETE", "/api/v1/admin/tokens/{id}", || {
        delete(admin::revoke_token)
    }),
    ("GET", "/api/openapi.json", || get(openapi_json)),
    ("GET", "/api/docs", || get(docs::page)),
];

/// The router's path of a documented one: `{n}.pdf` is routed as `{n}`.
fn router_path(path: &str) -> &str {
    match path.rsplit_once("}.") {
        Some((stem, ext)) if !ext.contains('/') => &path[..stem.len() + 1],
        _ => path,
    }
}

pub(crate) fn routes() -> Router<App> {
    let mut by_path: BTreeMap<&str, MethodRouter<App>> = BTreeMap::new();
    for (_, path, make) in ROUTES {
        if router_path(path) != *path {
            // Its handler is the plain path's, which dispatches on the suffix.
            continue;
        }
        let m = make();
        let merged = match by_path.remove(path) {
            Some(existing) => existing.merge(m),
            None => m,
        };
        by_path.insert(path, merged);
    }
    let mut router = Router::new();
    for (path, m) in by_path {
        router = router.route(path, m);
    }
    router.layer(axum::middleware::from_fn(extract::method_not_allowed))
}

/// The schema of the `command` of a request to act on a case: filled in by [`document`] with
/// every process's commands (`schema::components`), generated from the registry.
pub(crate) fn case_commands() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("办理命令：见各 Commands_* 组件"))
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .build()
        .into()
}

/// The schema of the `command` of a request to open a case (filled in as [`case_commands`]).
pub(crate) fn opening_commands() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("立案命令：见各 Commands_* 组件"))
        .additional_properties(Some(AdditionalProperties::FreeForm(true)))
        .build()
        .into()
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "系统管理员签发的接口令牌：请求头 Authorization: Bearer <令牌>。以令牌持有人的身份和角色办理；令牌可随时吊销。",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "网页登录后的会话（供本系统网页的脚本使用）；写操作还须带请求头 X-CSRF-Token（取自页面 body 的 data-csrf 属性）。",
            ))),
        );
    }
}

/// The OpenAPI document of the API (utoipa derives paths and schemas from the handlers).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "履职 API",
        description = "依法履职保护工作系统的 JSON 接口：网页能做的，接口都能做。所有时间以北京时间的日历日计；期限按国务院公布的节假日安排以工作日计算。出错时一律返回 {\"error\":{\"code\",\"message\"}}，message 为一句中文说明。",
        license(name = "Apache-2.0")
    ),
    paths(
        cases::me,
        cases::inbox,
        cases::list_cases,
        cases::create_case,
        cases::get_case,
        cases::act,
        cases::act_alias,
        evidence::upload_evidence,
        cases::ledger,
        cases::case_evaluation,
        cases::documents,
        cases::document,
        cases::document_pdf,
        cases::document_docx,
        application_form::application_form_pdf,
        cases::evaluate,
        cases::policy_facts,
        cases::orgs,
        people::get_result_use,
        people::lawyer_shortfalls,
        admin::people,
        admin::put_person,
        admin::add_grant,
        admin::revoke_grant,
        admin::org_packs,
        admin::put_org_packs,
        admin::tokens,
        admin::issue_token,
        admin::revoke_token,
        openapi_json,
        docs::page,
    ),
    components(schemas(extract::ErrorBody, extract::ErrorDetail)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "个人", description = "当前用户与我的待办"),
        (name = "案件", description = "案件的查询、立案、办理和文书"),
        (name = "系统建议", description = "规则引擎依政策包给出的建议结论"),
        (name = "政策", description = "政策包的事实清单"),
        (name = "组织机构", description = "组织机构树"),
        (name = "结果运用", description = "民警的免责容错认定及其不得影响的事项（000 §30、003）"),
        (name = "系统管理", description = "人员、角色、机构适用的规定和接口令牌（须有系统管理权限）"),
        (name = "文档", description = "接口文档本身"),
    )
)]
pub(crate) struct ApiDoc;

/// The document as served: generated once, with every process's commands as components
/// (`schema`, from the registry), Chinese descriptions filled in for the types the pages share
/// (see [`docs::localise`]) and the error body on every 4xx answer.
pub fn document(app: &App) -> &'static serde_json::Value {
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut v = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        let (commands, act, open) = schema::components(app);
        if let Some(schemas) = v
            .pointer_mut("/components/schemas")
            .and_then(serde_json::Value::as_object_mut)
        {
            schemas.extend(commands);
            if let Some(c) = schemas.get_mut("ActionRequest") {
                c["properties"]["command"] = act;
            }
            if let Some(c) = schemas.get_mut("CreateCaseRequest") {
                c["properties"]["command"] = open;
            }
        }
        docs::localise(&mut v);
        v
    })
}

#[utoipa::path(
    get, path = "/api/openapi.json", tag = "文档",
    summary = "OpenAPI 文档",
    description = "本接口的 OpenAPI 3.1 文档（JSON），由程序代码生成。无需登录。",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json", body = Object))
)]
pub(crate) async fn openapi_json(State(app): State<App>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        axum::Json(document(&app)),
    )
        .into_response()
}
