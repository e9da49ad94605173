//! Extractors of the API that answer every malformed request in the API's own error shape
//! (`{"error":{"code","message"}}`, one formal Chinese sentence) instead of axum's English
//! plain-text rejections: JSON bodies (content type, size, syntax, types, unknown fields), query
//! strings and path parameters. Also the 405 answer for a known path asked with a wrong method.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{json_error, AppError};

/// The body of every error answer of the API.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// 错误详情。
    pub error: ErrorDetail,
}

/// 错误详情。
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// 机器可读的错误代码：unauthenticated（未登录）、access_denied（访问控制策略不允许：案件或机构不在其职责范围内）、forbidden（该事项应由其他角色办理，或无权管理）、csrf（缺少或错误的 X-CSRF-Token）、not_found（不存在）、bad_request（请求内容有误）、refused（程序不允许）、conflict（记录已变化）、too_many_requests、method_not_allowed、unsupported_media_type、payload_too_large、internal。
    pub code: String,
    /// 一句中文说明，可直接展示给用户。
    pub message: String,
}

/// An error answer with a status and code that `AppError` does not model (405, 413, 415).
pub(crate) fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    (status, axum::Json(body)).into_response()
}

/// A JSON request body: `Content-Type: application/json` (or `…+json`), at most the server's
/// body limit, valid JSON, of the expected shape, and with no field the type does not know.
/// Unknown fields are refused even inside workflow commands (whose types accept them silently),
/// so a misspelt optional field is never dropped without a word.
pub(crate) struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Serialize,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers().get(CONTENT_TYPE)) {
            return Err(api_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体应为 JSON，并带有请求头 Content-Type: application/json",
            ));
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(api_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "请求体过大，超过了系统允许的上限",
                ))
            }
            Err(_) => return Err(bad("请求体无法完整读取，请重新提交")),
        };
        parse_json(&bytes).map(ApiJson).map_err(|e| json_error(&e))
    }
}

fn bad(message: &str) -> Response {
    json_error(&AppError::BadRequest(message.to_string()))
}

fn is_json(ct: Option<&HeaderValue>) -> bool {
    let Some(ct) = ct.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The API code of a value that serialises as a string (a unit variant such as a document kind
/// or a role): what the API's `kind`, `category`, `area`… fields carry; empty for anything else.
pub(crate) fn id_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Parses a JSON body into `T` with Chinese messages naming the field at fault.
pub(crate) fn parse_json<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest(
            "请求体为空：应为一个 JSON 对象".to_string(),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::BadRequest(match e.classify() {
            serde_json::error::Category::Eof => format!(
                "请求体不是完整的 JSON：第 {} 行第 {} 列处内容意外结束",
                e.line(),
                e.column()
            ),
            _ => format!(
                "请求体不是有效的 JSON：第 {} 行第 {} 列处有语法错误",
                e.line(),
                e.column()
            ),
        })
    })?;
    from_value(value)
}

/// Deserialises `T` from a JSON value: type errors name the field's path, and fields that `T`
/// does not keep are refused.
pub(crate) fn from_value<T: DeserializeOwned + Serialize>(
    value: serde_json::Value,
) -> Result<T, AppError> {
    let parsed: T = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        AppError::BadRequest(with_path(&path, &serde_message_zh(&e.inner().to_string())))
    })?;
    let back = serde_json::to_value(&parsed).map_err(AppError::internal)?;
    if let Some(path) = unknown_field(&value, &back, String::new()) {
        return Err(AppError::BadRequest(format!(
            "请求中含有系统不接受的字段“{path}”，请检查字段名称是否拼写正确"
        )));
    }
    Ok(parsed)
}

/// A process command that does not read (`ServiceError::Command`): serde's words in Chinese,
/// naming the field at fault.
pub(crate) fn command_error_zh(path: &str, message: &str) -> String {
    with_path(path, &serde_message_zh(message))
}

fn with_path(path: &str, message: &str) -> String {
    if path.is_empty() || path == "." {
        format!("请求内容有误：{message}")
    } else {
        format!("字段“{path}”有误：{message}")
    }
}

/// The first field of a sent JSON value that its parsed form does not keep (see
/// [`unknown_field`]), as a dotted path.
pub(crate) fn unknown_field_path(
    sent: &serde_json::Value,
    kept: &serde_json::Value,
) -> Option<String> {
    unknown_field(sent, kept, String::new())
}

/// The first key of `input` (depth first, as a dotted path) that the parsed value does not
/// carry back. Absent-and-empty values (`null`, `false`, `0`, `""`, `[]`, `{}`) are tolerated:
/// they mean the same as leaving the field out.
fn unknown_field(
    input: &serde_json::Value,
    back: &serde_json::Value,
    path: String,
) -> Option<String> {
    use serde_json::Value;
    match (input, back) {
        (Value::Object(i), Value::Object(b)) => {
            for (k, v) in i {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match b.get(k) {
                    Some(bv) => {
                        if let Some(found) = unknown_field(v, bv, p) {
                            return Some(found);
                        }
                    }
                    None if is_empty(v) => {}
                    None => return Some(p),
                }
            }
            None
        }
        (Value::Array(i), Value::Array(b)) => i
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(n, (iv, bv))| unknown_field(iv, bv, format!("{path}[{n}]"))),
        _ => None,
    }
}

fn is_empty(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// Text between the first pair of backticks after `from`.
fn ticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

/// Every backticked word of `s`.
fn all_ticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// `u32`, `i64`, `f64`… (a letter and digits).
fn is_prim(e: &str, letter: char) -> bool {
    let mut cs = e.chars();
    cs.next() == Some(letter) && e.len() > 1 && cs.all(|c| c.is_ascii_digit())
}

fn expected_zh(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.contains("date") || e.contains("NaiveDate") {
        "日期（YYYY-MM-DD）"
    } else if e.contains("bool") {
        "true 或 false"
    } else if is_prim(e, 'u') || e == "usize" || e.contains("unsigned") {
        "非负整数"
    } else if is_prim(e, 'i') || e == "isize" || e.contains("integer") {
        "整数"
    } else if is_prim(e, 'f') || e.contains("number") {
        "数字"
    } else if e.contains("string") || e.contains("str") || e.contains("char") {
        "字符串"
    } else if e.contains("sequence")
        || e.contains("tuple")
        || e.contains("array")
        || e.starts_with("a Vec")
    {
        "数组"
    } else if e.contains("struct") || e.contains("map") || e.contains("enum") {
        "JSON 对象"
    } else {
        "正确类型的值"
    }
}

fn found_zh(found: &str) -> &'static str {
    let f = found.trim();
    if f.starts_with("string") {
        "字符串"
    } else if f.starts_with("boolean") {
        "布尔值"
    } else if f.starts_with("integer") || f.starts_with("floating point") {
        "数字"
    } else if f.starts_with("sequence") {
        "数组"
    } else if f.starts_with("map") {
        "JSON 对象"
    } else if f.starts_with("null") || f.starts_with("unit") {
        "null"
    } else {
        "其他类型的值"
    }
}

/// serde's English messages (serde_json, serde_urlencoded, chrono) as formal Chinese. Unknown
/// messages get a general sentence; the English text is never shown.
pub(crate) fn serde_message_zh(m: &str) -> String {
    let list = |s: &str| -> String {
        let words = all_ticked(s);
        if words.len() > 1 {
            words[1..].join("、")
        } else {
            String::new()
        }
    };
    if m.starts_with("missing field") {
        return format!("缺少必填字段“{}”", ticked(m).unwrap_or_default());
    }
    if m.starts_with("unknown field") {
        let allowed = list(m);
        let field = ticked(m).unwrap_or_default();
        return if allowed.is_empty() {
            format!("不接受字段“{field}”")
        } else {
            format!("不接受字段“{field}”，可用的字段为：{allowed}")
        };
    }
    if m.starts_with("unknown variant") {
        let allowed = list(m);
        let v = ticked(m).unwrap_or_default();
        return if allowed.is_empty() {
            format!("取值“{v}”无效")
        } else {
            format!("取值“{v}”无效，可选的取值为：{allowed}")
        };
    }
    if m.starts_with("duplicate field") {
        return format!("字段“{}”重复出现", ticked(m).unwrap_or_default());
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "类型不正确：应为{}，收到的是{}",
            expected_zh(expected),
            found_zh(found)
        );
    }
    if let Some(rest) = m.strip_prefix("invalid value: ") {
        let expected = rest.split_once(", expected ").map(|x| x.1).unwrap_or("");
        return format!("取值无效：应为{}", expected_zh(expected));
    }
    if m.starts_with("invalid length") {
        return "数组的元素个数不正确".to_string();
    }
    if m.contains("invalid digit") || m.contains("cannot parse integer") {
        return "应为非负整数".to_string();
    }
    // chrono's words for a date that does not exist (2024-02-30, a 13th month): before the
    // numbers' "out of range", which would have told the user a number was too large.
    if m.contains("input is out of range") || m.contains("no possible date") {
        return "日期不存在，应为有效的 YYYY-MM-DD 日期".to_string();
    }
    if m.contains("too large") || m.contains("too small") || m.contains("out of range") {
        return "数值超出允许的范围".to_string();
    }
    if m.contains("invalid float") {
        return "应为数字".to_string();
    }
    if m.contains("invalid characters")
        || m.contains("premature end of input")
        || m.contains("trailing input")
        || m.contains("input is not enough")
        || m.contains("no possible date")
        || m.contains("bad or unsupported format")
    {
        return "日期格式不正确，应为 YYYY-MM-DD".to_string();
    }
    if m.contains("provided string was not `true` or `false`") {
        return "应为 true 或 false".to_string();
    }
    "内容格式不正确".to_string()
}

/// A query string of the API, with a Chinese message naming the parameter at fault.
pub(crate) struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or_default();
        parse_query(q).map(ApiQuery).map_err(|e| json_error(&e))
    }
}

/// Parses a query string into `T`; on failure each parameter is tried alone so the message can
/// name the one at fault.
pub(crate) fn parse_query<T: DeserializeOwned>(q: &str) -> Result<T, AppError> {
    match serde_urlencoded::from_str::<T>(q) {
        Ok(t) => Ok(t),
        Err(e) => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q)
                .map_err(|_| AppError::BadRequest("查询参数无法解析，请检查编码".to_string()))?;
            for (k, v) in &pairs {
                let single = serde_urlencoded::to_string([(k, v)]).unwrap_or_default();
                if let Err(e1) = serde_urlencoded::from_str::<T>(&single) {
                    let m = e1.to_string();
                    // A missing required parameter shows up for every single pair: not this one.
                    if !m.starts_with("missing field") {
                        return Err(AppError::BadRequest(format!(
                            "查询参数“{k}”的值“{v}”无效：{}",
                            serde_message_zh(&m)
                        )));
                    }
                }
            }
            Err(AppError::BadRequest(format!(
                "查询参数有误：{}",
                serde_message_zh(&e.to_string())
            )))
        }
    }
}

/// Path parameters of the API, refused in Chinese when they do not parse.
pub(crate) struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(t)) => Ok(ApiPath(t)),
            Err(r) => Err(json_error(&path_error(&r))),
        }
    }
}

fn path_error(r: &PathRejection) -> AppError {
    use axum::extract::path::ErrorKind;
    let PathRejection::FailedToDeserializePathParams(e) = r else {
        return AppError::internal(format!("path parameters missing: {r}"));
    };
    AppError::BadRequest(match e.kind() {
        ErrorKind::ParseErrorAtKey {
            key,
            value,
            expected_type,
        } => format!(
            "路径参数“{key}”的值“{value}”无效：应为{}",
            expected_zh(expected_type)
        ),
        ErrorKind::ParseErrorAtIndex {
            value,
            expected_type,
            ..
        }
        | ErrorKind::ParseError {
            value,
            expected_type,
        } => format!(
            "路径参数的值“{value}”无效：应为{}",
            expected_zh(expected_type)
        ),
        ErrorKind::InvalidUtf8InPathParam { key } => {
            format!("路径参数“{key}”不是有效的 UTF-8 文本")
        }
        ErrorKind::DeserializeError { key, value, .. } => {
            format!("路径参数“{key}”的值“{value}”无效")
        }
        _ => "请求路径中的参数无效".to_string(),
    })
}

/// Gives a 405 from the router (a known path, another method) the API's error body; axum's own
/// is empty. The `Allow` header is kept.
pub(crate) async fn method_not_allowed(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let res = next.run(req).await;
    if res.status() != StatusCode::METHOD_NOT_ALLOWED {
        return res;
    }
    let allow = res.headers().get(ALLOW).cloned();
    let mut out = api_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        &format!("该接口不支持 {method} 请求方法"),
    );
    if let Some(a) = allow {
        out.headers_mut().insert(ALLOW, a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        n: u32,
        #[serde(default)]
        when: Option<chrono::NaiveDate>,
        #[serde(default)]
        inner: Option<lvzhi_workflow::Command>,
    }

    fn err(s: &str) -> String {
        match parse_json::<Body>(s.as_bytes()) {
            Err(e) => e.to_string(),
            Ok(b) => panic!("accepted {b:?}"),
        }
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn json_errors_are_chinese_and_name_the_field() {
        for (input, needle) in [
            ("", "为空"),
            ("{", "意外结束"),
            ("{\"n\":1,}", "语法错误"),
            ("{}", "缺少必填字段“n”"),
            ("{\"n\":\"x\"}", "字段“n”有误"),
            ("{\"n\":-1}", "字段“n”有误"),
            ("{\"n\":1,\"extra\":2}", "extra"),
            ("{\"n\":1,\"when\":\"2024-13-01\"}", "字段“when”有误"),
            (
                "{\"n\":1,\"inner\":{\"action\":\"nope\"}}",
                "取值“nope”无效",
            ),
            (
                "{\"n\":1,\"inner\":{\"action\":\"reject\",\"reasons\":\"r\",\"typo\":1}}",
                "inner.typo",
            ),
        ] {
            let m = err(input);
            assert!(m.contains(needle), "{input}: {m}");
            assert!(has_cjk(&m), "{m}");
            assert!(!m.contains("expected"), "English leaked: {m}");
        }
        let ok: Body = parse_json(b"{\"n\":1,\"inner\":{\"action\":\"register\"}}").unwrap();
        assert_eq!(ok.n, 1);
    }

    /// A body of every kind of field a command carries.
    #[derive(Debug, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Form {
        n: u32,
        #[serde(default)]
        flag: bool,
        #[serde(default)]
        when: Option<chrono::NaiveDate>,
        #[serde(default)]
        pair: Option<(u32, u32)>,
        #[serde(default)]
        sanction: Option<lvzhi_workflow::Sanction>,
        #[serde(default)]
        command: Option<lvzhi_workflow::Command>,
    }

    /// serde's (and chrono's) English, as the user reads it: each message exactly, produced by
    /// the libraries themselves, so that an upgrade that rewords one fails here rather than
    /// reaching a user as the general sentence (or as English).
    #[test]
    fn serde_messages_are_translated_exactly() {
        let sanctions = "admonition、written_self_examination、circulated_criticism、warning、\
                         demerit、major_demerit、demotion、removal_from_post、expulsion";
        let mut wrong = Vec::new();
        for (input, expected) in [
            ("{}", "请求内容有误：缺少必填字段“n”".to_string()),
            (
                r#"{"n":"x"}"#,
                "字段“n”有误：类型不正确：应为非负整数，收到的是字符串".into(),
            ),
            (r#"{"n":-1}"#, "字段“n”有误：取值无效：应为非负整数".into()),
            (
                r#"{"n":5000000000}"#,
                "字段“n”有误：取值无效：应为非负整数".into(),
            ),
            (
                r#"{"n":1.5}"#,
                "字段“n”有误：类型不正确：应为非负整数，收到的是数字".into(),
            ),
            (
                r#"{"n":null}"#,
                "字段“n”有误：类型不正确：应为非负整数，收到的是null".into(),
            ),
            (
                r#"{"n":1,"flag":"yes"}"#,
                "字段“flag”有误：类型不正确：应为true 或 false，收到的是字符串".into(),
            ),
            (
                r#"{"n":1,"when":"2024-02-30"}"#,
                "字段“when”有误：日期不存在，应为有效的 YYYY-MM-DD 日期".into(),
            ),
            (
                r#"{"n":1,"when":"2024-13-01"}"#,
                "字段“when”有误：日期不存在，应为有效的 YYYY-MM-DD 日期".into(),
            ),
            (
                r#"{"n":1,"when":"2024/02/01"}"#,
                "字段“when”有误：日期格式不正确，应为 YYYY-MM-DD".into(),
            ),
            (
                r#"{"n":1,"when":"2024-02"}"#,
                "字段“when”有误：日期格式不正确，应为 YYYY-MM-DD".into(),
            ),
            (
                r#"{"n":1,"when":"2024-02-01T08:00"}"#,
                "字段“when”有误：日期格式不正确，应为 YYYY-MM-DD".into(),
            ),
            (
                r#"{"n":1,"when":20240201}"#,
                "字段“when”有误：类型不正确：应为日期（YYYY-MM-DD），收到的是数字".into(),
            ),
            (
                r#"{"n":1,"pair":[1]}"#,
                "字段“pair”有误：数组的元素个数不正确".into(),
            ),
            (
                r#"{"n":1,"pair":"1,2"}"#,
                "字段“pair”有误：类型不正确：应为数组，收到的是字符串".into(),
            ),
            (
                r#"{"n":1,"sanction":"flogging"}"#,
                format!("字段“sanction”有误：取值“flogging”无效，可选的取值为：{sanctions}"),
            ),
            (
                r#"{"n":1,"sanction":3}"#,
                "字段“sanction”有误：类型不正确：应为字符串，收到的是数字".into(),
            ),
            (
                r#"{"n":1,"extra":2}"#,
                "字段“extra”有误：不接受字段“extra”，可用的字段为：n、flag、when、pair、sanction、\
                 command"
                    .into(),
            ),
            (
                r#"{"n":1,"command":"reject"}"#,
                "字段“command”有误：类型不正确：应为JSON 对象，收到的是字符串".into(),
            ),
            (
                r#"{"n":1,"command":{}}"#,
                "字段“command”有误：缺少必填字段“action”".into(),
            ),
            (
                r#"{"n":1,"command":{"action":"reject"}}"#,
                "字段“command”有误：缺少必填字段“reasons”".into(),
            ),
            (
                r#"{"n":1,"command":{"action":"reject","reasons":["r"]}}"#,
                "字段“command”有误：类型不正确：应为字符串，收到的是数组".into(),
            ),
        ] {
            let got = match parse_json::<Form>(input.as_bytes()) {
                Err(e) => e.to_string(),
                Ok(f) => format!("accepted: {f:?}"),
            };
            if got != expected {
                wrong.push(format!(
                    "{input}\n  got:      {got}\n  expected: {expected}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // An unknown action names the ones there are (the list is the command type's).
        let got = parse_json::<Form>(br#"{"n":1,"command":{"action":"fly"}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            got.starts_with("字段“command.action”有误：取值“fly”无效，可选的取值为：file、"),
            "{got}"
        );
        // A message serde has never written gets the general sentence, never the English.
        assert_eq!(serde_message_zh("something new"), "内容格式不正确");
    }

    #[derive(Debug, Deserialize)]
    struct Q {
        page: Option<u32>,
        #[allow(dead_code)]
        state: Option<String>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let q: Q = parse_query("page=2&state=filed").unwrap();
        assert_eq!(q.page, Some(2));
        let e = parse_query::<Q>("state=x&page=abc")
            .unwrap_err()
            .to_string();
        assert!(e.contains("“page”") && e.contains("非负整数"), "{e}");
    }
}
