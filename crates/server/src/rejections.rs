//! Every rejection in Chinese (issue 19 item 4). Handlers answer with `AppError`s, but the
//! framework answers some requests before a handler runs — a query string, path parameter or
//! form it cannot read, a body over the limit, a method a route does not take — in English
//! plain text or with an empty body. This layer sees every answer: one that is an error and is
//! neither a page nor JSON is the framework's, and is given again as a Chinese page (or, under
//! `/api/`, the API's Chinese JSON), with the same status. It also refuses, with their own
//! statuses, what should never reach a handler: an overlong address or header block, a body in
//! another character set than UTF-8.

use axum::extract::Request;
use axum::http::header;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::api::extract::api_error;
use crate::error::AppError;

/// The longest request target served (a browser's address bar holds far less); a longer one
/// is 414. The HTTP library's own limit, far above it, answers without a body.
pub(crate) const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header fields and header bytes served (431 past either).
pub(crate) const MAX_HEADERS: usize = 64;
pub(crate) const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The largest framework answer this layer reads to find out what it said.
const MAX_REJECTION_BYTES: usize = 16 * 1024;

pub(crate) async fn chinese(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if req.uri().to_string().len() > MAX_URI_BYTES {
        return answer(
            api,
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            &format!("请求的网址过长（不能超过 {} KiB）", MAX_URI_BYTES / 1024),
        );
    }
    if let Some(why) = header_excess(req.headers()) {
        return answer(
            api,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            &why,
        );
    }
    if let Some(charset) = foreign_charset(req.headers()) {
        return answer(
            api,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            &format!("只接受 UTF-8 编码的提交内容，不接受 {charset} 编码；请改用 UTF-8 后重新提交"),
        );
    }
    let method = req.method().clone();
    let res = next.run(req).await;
    if !is_framework_rejection(&res) {
        return res;
    }
    let status = res.status();
    let allow = res.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(res.into_body(), MAX_REJECTION_BYTES)
        .await
        .unwrap_or_default();
    let said = String::from_utf8_lossy(&body);
    let (status, code, message) = translate(status, &method, &said);
    let mut out = answer(api, status, code, &message);
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// An error answer whose body is not ours: ours are HTML pages, JSON, or files with their own
/// content types; the framework's are plain text or empty.
fn is_framework_rejection(res: &Response) -> bool {
    if !(res.status().is_client_error() || res.status().is_server_error()) {
        return false;
    }
    match res.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(ct) => ct
            .to_str()
            .map(|ct| ct.starts_with("text/plain"))
            .unwrap_or(true),
    }
}

/// The framework's words, in Chinese, by what it refused.
fn translate(
    status: StatusCode,
    method: &axum::http::Method,
    said: &str,
) -> (StatusCode, &'static str, String) {
    let field = |prefix: &str| {
        said.strip_prefix(prefix)
            .and_then(|rest| rest.split(':').next())
            .map(str::trim)
            .filter(|f| !f.is_empty() && f.len() <= 40 && !f.contains(' '))
            .map(str::to_string)
    };
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            status,
            "method_not_allowed",
            format!("该网址不支持 {method} 请求方法"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            status,
            "payload_too_large",
            "提交的内容过大，超出了允许的大小".to_string(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            status,
            "unsupported_media_type",
            "提交内容的类型不受支持：表单应为 application/x-www-form-urlencoded，接口请求应为 application/json".to_string(),
        ),
        _ if said.contains("length limit exceeded") => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "提交的内容过大，超出了允许的大小".to_string(),
        ),
        _ if said.starts_with("Failed to deserialize query string") => {
            let which = field("Failed to deserialize query string: ");
            (
                StatusCode::BAD_REQUEST,
                "bad_request",
                match which {
                    Some(f) => format!("网址中的查询参数“{f}”的值无效"),
                    None => "网址中的查询参数无效".to_string(),
                },
            )
        }
        _ if said.starts_with("Failed to deserialize form") => (
            StatusCode::BAD_REQUEST,
            "bad_request",
            "提交的表单内容无法识别，请刷新页面后重新填写".to_string(),
        ),
        // A path parameter that is not UTF-8 or not of its type names nothing that exists.
        _ if said.starts_with("Invalid URL") || said.contains("path argument") => (
            StatusCode::NOT_FOUND,
            "not_found",
            "请求的网址无效：其中的编号或名称不存在".to_string(),
        ),
        s if s.is_server_error() => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            AppError::internal("").to_string(),
        ),
        s => (
            s,
            "bad_request",
            format!("请求无法处理（HTTP {}）", s.as_u16()),
        ),
    }
}

/// An answer in the request's kind: the API's JSON, or a Chinese page.
fn answer(api: bool, status: StatusCode, code: &str, message: &str) -> Response {
    if api {
        return api_error(status, code, message);
    }
    crate::ui::error_page(status, message)
}

fn header_excess(headers: &HeaderMap) -> Option<String> {
    if headers.len() > MAX_HEADERS {
        return Some(format!("请求头过多（不能超过 {MAX_HEADERS} 个）"));
    }
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    (bytes > MAX_HEADER_BYTES)
        .then(|| format!("请求头过大（合计不能超过 {} KiB）", MAX_HEADER_BYTES / 1024))
}

/// The character set a request body declares, when it is not UTF-8 (GBK forms from old
/// systems would otherwise be decoded as UTF-8 into mojibake and stored).
fn foreign_charset(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let charset = ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })?;
    let utf8 = charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8");
    (!utf8).then(|| {
        charset
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(20)
            .collect()
    })
}

/// A body's bytes as a page form would send them, refused when any field is not UTF-8 (the
/// framework's decoder would replace the bytes with U+FFFD and the mojibake be recorded).
pub(crate) fn checked_form(bytes: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

fn decode(part: &[u8]) -> Result<String, AppError> {
    let plus: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
    String::from_utf8(bytes).map_err(|_| {
        AppError::BadRequest(
            "提交的表单含有无效的字符编码（应为 UTF-8），未予记录；请在浏览器中重新填写后提交"
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forms_that_are_not_utf8_are_refused_not_replaced() {
        assert_eq!(
            checked_form(b"a=%E7%94%B3%E8%AF%B7&b=x+y&c").unwrap(),
            vec![
                ("a".to_string(), "申请".to_string()),
                ("b".to_string(), "x y".to_string()),
                ("c".to_string(), String::new())
            ]
        );
        assert!(checked_form(b"matter=%FF%FE%28").is_err());
        assert!(checked_form(&[b'a', b'=', 0xC3]).is_err());
    }

    #[test]
    fn charsets_other_than_utf8_are_named() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=GBK"),
        );
        assert_eq!(foreign_charset(&h).as_deref(), Some("GBK"));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=\"utf-8\""),
        );
        assert_eq!(foreign_charset(&h), None);
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        assert_eq!(foreign_charset(&h), None);
    }

    #[test]
    fn the_frameworks_words_are_translated() {
        let get = axum::http::Method::GET;
        let (s, _, m) = translate(
            StatusCode::BAD_REQUEST,
            &get,
            "Failed to deserialize query string: page: invalid digit found in string",
        );
        assert_eq!(
            (s, m.as_str()),
            (StatusCode::BAD_REQUEST, "网址中的查询参数“page”的值无效")
        );
        let (s, _, _) = translate(
            StatusCode::BAD_REQUEST,
            &get,
            "Invalid URL: Invalid UTF-8 in `id`",
        );
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _, m) = translate(StatusCode::METHOD_NOT_ALLOWED, &get, "");
        assert_eq!(
            (s, m.as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, "该网址不支持 GET 请求方法")
        );
    }
}
