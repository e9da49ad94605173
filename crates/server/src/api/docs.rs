//! `/api/docs`: the API reference as a Chinese page, rendered from the generated OpenAPI
//! document itself (every operation with its method, path, summary, parameters, request and
//! response schemas, and every schema's fields), so it says exactly what the code does. Plain
//! server-rendered HTML with the site stylesheet: no script, no outside asset.
//!
//! Also [`localise`]: the types the pages share with the API (`interview`, `ui::inbox`,
//! `ui::cases`) carry English doc comments for their maintainers; the document served to users
//! gets Chinese descriptions for them here.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use serde_json::{json, Map, Value};

/// Chinese descriptions of the shared types: (schema, property or "" for the type) → text.
const GLOSSARY: &[(&str, &str, &str)] = &[
    ("FactView", "", "政策包中的一个事实问题。"),
    ("FactView", "id", "事实代码。"),
    ("FactView", "type", "类型：bool（是否）、choice（选择）、number（数字）或 date（日期）。"),
    ("FactView", "question", "中文问题。"),
    ("FactView", "choices", "选项（仅 choice 类型）。"),
    ("FactView", "articles", "该事实服务的条款。"),
    ("FactView", "regulation", "其他适用规定的事实（代码为“政策包:事实代码”）所属规定的名称。"),
    ("ChoiceView", "", "选项。"),
    ("ChoiceView", "id", "选项代码。"),
    ("ChoiceView", "label", "选项的中文名称。"),
    ("CitationView", "", "引用的条款及其全文。"),
    ("CitationView", "citation", "条款，如 000 §7(一)。"),
    ("CitationView", "readable", "条款的通行引用方式：规定的全称加条、款、项，如“第七条第（一）项”前冠以该规定的名称。"),
    ("CitationView", "text", "条款全文。"),
    ("QuestionView", "", "尚待查明、可能改变结论的事实。"),
    ("QuestionView", "fact", "事实代码。"),
    ("QuestionView", "question", "中文问题。"),
    ("DefeatView", "", "被排除适用的规则。"),
    ("DefeatView", "rule", "规则代码。"),
    ("DefeatView", "by", "排除它的规则。"),
    ("DefeatView", "reason", "排除的理由。"),
    ("EvaluationView", "", "系统建议结论（字段与 lvzhi evaluate --json 相同，另附中文说明）。"),
    ("EvaluationView", "outcome", "结论代码：exemption（免责）、tolerance（容错）、exclusion（不予免责容错）、aggravation（从重处理）、none（不适用免责容错）、undetermined（尚不能确定）。"),
    ("EvaluationView", "modality", "情态：shall（应当）或 may（可以）；尚不能确定，或无规则适用时为空。"),
    ("EvaluationView", "leniency", "从宽幅度：lighter（从轻）、reduced（减轻）、waived（免于追究）。"),
    ("EvaluationView", "fired", "适用的规则。"),
    ("EvaluationView", "defeated", "被排除适用的规则及理由。"),
    ("EvaluationView", "citations", "引用的条款。"),
    ("EvaluationView", "questions", "仍需查明的事实，按对结论的影响排序。"),
    ("EvaluationView", "notes", "说明。"),
    ("EvaluationView", "summary_zh", "结论的中文表述。"),
    ("EvaluationView", "articles", "引用条款及其全文。"),
    ("EvaluationView", "applied", "结论所依据的政策包版本（从旧兼从轻）。"),
    ("EvaluationView", "judgement", "案件适用多项规定时：每项规定下的结论、适用哪一项及其理由、各规定结论的差异。"),
    ("JudgementView", "", "按案件适用的每项规定评估的结果。"),
    ("JudgementView", "results", "每项适用规定下的评估结果，按绑定顺序。"),
    ("JudgementView", "prevailing", "结论所依据的政策包；尚不能确定时为空。"),
    ("JudgementView", "ground", "适用理由代码：same（各规定结论相同）、only（仅一项规定）、bar（不予容错、从重情形优先）、local（本地实施规定在上位规定范围内适用）、superior_floor（上位规定应当给予的保护）、most_lenient（择对民警最有利者）。"),
    ("JudgementView", "reason", "适用哪一项规定及其理由。"),
    ("JudgementView", "differences", "各规定结论的差异。"),
    ("PackResultView", "", "一项适用规定下的评估结果。"),
    ("PackResultView", "pack", "政策包编号。"),
    ("PackResultView", "title", "规定名称。"),
    ("PackResultView", "version", "规定版本。"),
    ("PackResultView", "outcome", "结论代码（同 EvaluationView.outcome）。"),
    ("PackResultView", "modality", "情态：shall（应当）或 may（可以）。"),
    ("PackResultView", "leniency", "从宽幅度。"),
    ("PackResultView", "summary_zh", "结论的中文表述。"),
    ("PackResultView", "standing", "版本地位：applied（适用）、compared（从旧兼从轻比较后未适用）、not_applied（不在施行期内，未适用）。"),
    ("PackResultView", "standing_zh", "版本地位的中文说明。"),
    ("PackResultView", "prevails", "是否为适用的结论。"),
    ("PackResultView", "fired", "适用的规则。"),
    ("PackResultView", "articles", "引用条款及其全文。"),
    ("PackResultView", "questions", "在本规定下尚未查明的事实。"),
    ("InboxItem", "", "一项待办。"),
    ("InboxItem", "case_id", "案件编号。"),
    ("InboxItem", "title", "案件标题。"),
    ("InboxItem", "state", "案件阶段代码。"),
    ("InboxItem", "step", "步骤代码。"),
    ("InboxItem", "step_zh", "步骤名称。"),
    ("InboxItem", "due", "届满日（含当日）。"),
    ("InboxItem", "provisional", "是否暂定（该年度节假日安排尚未导入，按周末推算）。"),
    ("InboxItem", "article", "依据条款。"),
    ("InboxItem", "overdue", "是否已逾期。"),
    ("InboxItem", "working_days_left", "距届满日的工作日数（逾期为负数）。"),
    ("InboxItem", "state_zh", "案件阶段名称。"),
    ("CaseListPage", "", "一页案件。"),
    ("CaseListPage", "total", "符合条件的案件总数。"),
    ("CaseListPage", "page", "页码，从 1 起。"),
    ("CaseListPage", "page_size", "每页件数。"),
    ("CaseListPage", "cases", "本页的案件。"),
    ("CaseListItem", "", "列表中的一件案件。"),
    ("CaseListItem", "case_id", "案件编号。"),
    ("CaseListItem", "kind", "案件类型代码（application：免责容错申请）。"),
    ("CaseListItem", "state", "阶段代码。"),
    ("CaseListItem", "state_zh", "阶段名称。"),
    ("CaseListItem", "org_id", "办理机构编号。"),
    ("CaseListItem", "org_name", "办理机构名称。"),
    ("CaseListItem", "title", "案件标题。"),
    ("CaseListItem", "version", "案件版本（已记录的事件数）。"),
    ("CaseListItem", "updated_at", "最近更新时间（UTC，RFC 3339）。"),
];

/// Chinese descriptions of the query parameters the pages share (`ui::cases::ListFilter`):
/// (path, parameter) → text.
const PARAM_GLOSSARY: &[(&str, &str, &str)] = &[
    (
        "/api/v1/cases",
        "state",
        "案件阶段代码（如 under_review）。",
    ),
    ("/api/v1/cases", "org", "办理机构编号。"),
    (
        "/api/v1/cases",
        "kind",
        "案件类型代码（application：免责容错申请）。",
    ),
    (
        "/api/v1/cases",
        "due_within",
        "只列出有步骤在此数目的工作日内届满（或已逾期）的案件，0 至 366。",
    ),
    ("/api/v1/cases", "page", "页码，从 1 起。"),
];

pub(super) fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

fn glossary(schema: &str, prop: &str) -> Option<&'static str> {
    GLOSSARY
        .iter()
        .find(|(s, p, _)| *s == schema && *p == prop)
        .map(|(_, _, t)| *t)
}

/// The glossary's text wins; without one, a description that is not Chinese is dropped (it is
/// for maintainers, not for the readers of this document).
fn set_description(target: &mut Value, text: Option<&str>) {
    let Some(obj) = target.as_object_mut() else {
        return;
    };
    match text {
        Some(t) => {
            obj.insert("description".into(), Value::String(t.to_string()));
        }
        None => {
            let current = obj.get("description").and_then(Value::as_str).unwrap_or("");
            if !has_cjk(current) {
                obj.remove("description");
            }
        }
    }
}

/// Fills in Chinese descriptions (see [`GLOSSARY`]) and makes sure every 4xx answer names the
/// error body.
pub(super) fn localise(doc: &mut Value) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            set_description(schema, glossary(name, ""));
            if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                for (prop, s) in props.iter_mut() {
                    set_description(s, glossary(name, prop));
                }
            }
        }
    }
    let error_content = json!({
        "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } }
    });
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    for p in params {
                        let name = p
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        let text = PARAM_GLOSSARY
                            .iter()
                            .find(|(p, n, _)| p == path && *n == name)
                            .map(|(_, _, t)| *t);
                        set_description(p, text);
                    }
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    for (status, r) in responses.iter_mut() {
                        if status.starts_with('4') {
                            if let Some(r) = r.as_object_mut() {
                                r.entry("content").or_insert_with(|| error_content.clone());
                            }
                        }
                    }
                }
            }
        }
    }
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn type_zh(t: &str) -> &str {
    match t {
        "string" => "字符串",
        "integer" => "整数",
        "number" => "数字",
        "boolean" => "布尔值",
        "object" => "对象",
        "array" => "数组",
        "null" => "空值",
        other => other,
    }
}

fn ref_name(s: &Value) -> Option<&str> {
    s.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// A schema's type, readably: named schemas link to their section.
fn type_markup(s: &Value) -> Markup {
    if let Some(name) = ref_name(s) {
        return html! { a href={ "#schema-" (name) } { code { (name) } } };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let nullable = alts
                .iter()
                .any(|a| a.get("type").and_then(Value::as_str) == Some("null"));
            let others: Vec<&Value> = alts
                .iter()
                .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            return html! {
                @for (i, a) in others.iter().enumerate() {
                    @if i > 0 { " 或 " }
                    (type_markup(a))
                }
                @if nullable { "（可为空）" }
            };
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        return html! {
            @for (i, a) in all.iter().enumerate() {
                @if i > 0 { " 且 " }
                (type_markup(a))
            }
        };
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let nullable = types.contains(&"null");
    let main: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    let format = s.get("format").and_then(Value::as_str);
    html! {
        @if main.is_empty() {
            "任意 JSON 值"
        }
        @for (i, t) in main.iter().enumerate() {
            @if i > 0 { " 或 " }
            @if *t == "array" {
                "数组，元素为 "
                @if let Some(items) = s.get("items") { (type_markup(items)) } @else { "任意值" }
            } @else if *t == "object" && s.get("properties").is_none() {
                "对象（键值对）"
            } @else {
                (type_zh(t))
            }
        }
        @match format {
            Some("date") => { "（日期，YYYY-MM-DD）" }
            Some("date-time") => { "（时间，RFC 3339）" }
            _ => {}
        }
        @if nullable { "（可为空）" }
        @if let Some(vals) = s.get("enum").and_then(Value::as_array) {
            "，取值："
            @for (i, v) in vals.iter().enumerate() {
                @if i > 0 { "、" }
                code { (v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())) }
            }
        }
    }
}

fn description(s: &Value) -> &str {
    s.get("description").and_then(Value::as_str).unwrap_or("")
}

/// The field table of an object schema (nothing for other shapes).
fn fields_table(s: &Value) -> Markup {
    let Some(props) = s.get("properties").and_then(Value::as_object) else {
        return html! {};
    };
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        table.list {
            thead { tr { th { "字段" } th { "类型" } th { "必填" } th { "说明" } } }
            tbody {
                @for (name, p) in props {
                    tr {
                        td { code { (name) } }
                        td { (type_markup(p)) }
                        td { @if required.contains(&name.as_str()) { "是" } @else { "否" } }
                        td { (description(p)) }
                    }
                }
            }
        }
        @if s.get("additionalProperties").and_then(Value::as_bool) == Some(true) {
            p.hint { "除上列字段外，还可有其他字段，随操作而定。" }
        }
    }
}

/// A request or response body: its schema's type and, when inline, its fields.
fn body_markup(content: Option<&Value>) -> Markup {
    let Some(content) = content.and_then(Value::as_object) else {
        return html! { span.empty { "无" } };
    };
    html! {
        @for (media, c) in content {
            @let schema = c.get("schema").unwrap_or(&Value::Null);
            div { code { (media) } "：" (type_markup(schema)) }
            @if ref_name(schema).is_none() { (fields_table(schema)) }
        }
    }
}

struct Op<'a> {
    method: &'a str,
    path: &'a str,
    op: &'a Value,
}

/// The page anchor of an operation (`op-post-api-v1-cases`).
fn anchor(method: &str, path: &str) -> String {
    let p: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("op-{}{}", method.to_ascii_lowercase(), p)
}

impl Op<'_> {
    fn anchor(&self) -> String {
        anchor(self.method, self.path)
    }
    fn tag(&self) -> &str {
        self.op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .unwrap_or("其他")
    }
    fn summary(&self) -> &str {
        self.op.get("summary").and_then(Value::as_str).unwrap_or("")
    }
    fn public(&self) -> bool {
        // `security: [{}]` marks an operation that needs no credential.
        self.op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(Map::is_empty)))
    }
}

/// The operations in the order of the route table (the order a reader meets them in use).
fn operations(doc: &Value) -> Vec<Op<'_>> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for m in METHODS {
                if let Some(op) = item.get(*m) {
                    out.push(Op {
                        method: m,
                        path,
                        op,
                    });
                }
            }
        }
    }
    out.sort_by_key(|o| {
        super::ROUTES
            .iter()
            .position(|(m, p, _)| m.eq_ignore_ascii_case(o.method) && *p == o.path)
            .unwrap_or(usize::MAX)
    });
    out
}

fn in_zh(place: &str) -> &str {
    match place {
        "path" => "路径",
        "query" => "查询",
        "header" => "请求头",
        "cookie" => "Cookie",
        other => other,
    }
}

fn operation_markup(o: &Op<'_>) -> Markup {
    let params =
        o.op.get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
    let responses = o.op.get("responses").and_then(Value::as_object);
    html! {
        section.card id=(o.anchor()) {
            h3 { span.badge { (o.method.to_uppercase()) } " " code { (o.path) } }
            p { strong { (o.summary()) } }
            @if let Some(d) = o.op.get("description").and_then(Value::as_str) { p { (d) } }
            p.hint { @if o.public() { "无需登录。" } @else { "需要登录：Bearer 接口令牌，或网页会话（写操作另带 X-CSRF-Token）。" } }
            @if !params.is_empty() {
                h4 { "参数" }
                table.list {
                    thead { tr { th { "名称" } th { "位置" } th { "类型" } th { "必填" } th { "说明" } } }
                    tbody {
                        @for p in &params {
                            tr {
                                td { code { (p.get("name").and_then(Value::as_str).unwrap_or("")) } }
                                td { (in_zh(p.get("in").and_then(Value::as_str).unwrap_or(""))) }
                                td { (type_markup(p.get("schema").unwrap_or(&Value::Null))) }
                                td { @if p.get("required").and_then(Value::as_bool) == Some(true) { "是" } @else { "否" } }
                                td { (description(p)) }
                            }
                        }
                    }
                }
            }
            @if let Some(body) = o.op.get("requestBody") {
                h4 { "请求体" }
                @if !description(body).is_empty() { p { (description(body)) } }
                (body_markup(body.get("content")))
            }
            h4 { "应答" }
            table.list {
                thead { tr { th { "状态码" } th { "说明" } th { "内容" } } }
                tbody {
                    @if let Some(rs) = responses {
                        @for (status, r) in rs {
                            tr {
                                td { code { (status) } }
                                td { (description(r)) }
                                td { (body_markup(r.get("content"))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The reference page.
pub(super) fn render(doc: &Value) -> Markup {
    let ops = operations(doc);
    let mut tags: Vec<(String, String)> = doc
        .get("tags")
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    (
                        t.get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        description(t).to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for o in &ops {
        if !tags.iter().any(|(n, _)| n == o.tag()) {
            tags.push((o.tag().to_string(), String::new()));
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let info_desc = doc
        .pointer("/info/description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let version = doc
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("");
    let openapi = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "接口文档 — 履职" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top {
                    a.brand href="/" { "履职" span { "依法履职保护工作系统" } }
                    nav { a href="/" { "我的待办" } a href="/cases" { "案件" } a.active href="/api/docs" { "接口文档" } }
                }
                main {
                    h1 { "履职 API 接口文档" }
                    section.card {
                        p { (info_desc) }
                        dl.grid {
                            dt { "接口版本" } dd { (version) }
                            dt { "文档格式" } dd { "OpenAPI " (openapi) "，" a href="/api/openapi.json" { "下载 openapi.json" } }
                            dt { "地址前缀" } dd { code { "/api/v1" } }
                            dt { "认证" } dd {
                                "系统管理员为人员签发接口令牌（" a href={ "#" (anchor("post", "/api/v1/admin/tokens")) } { "签发接口令牌" } "），调用时带请求头 "
                                code { "Authorization: Bearer <令牌>" } "，即以该人员的身份和角色办理，权限与其在网页上相同。"
                                "本系统网页的脚本也可使用登录会话，写操作另带请求头 " code { "X-CSRF-Token" } "。"
                            }
                            dt { "请求体" } dd { "JSON，请求头 " code { "Content-Type: application/json" } "；不接受未列出的字段。" }
                            dt { "错误" } dd {
                                "一律返回 " code { "{\"error\":{\"code\":\"…\",\"message\":\"…\"}}" }
                                "，message 为一句中文说明。常见状态码：400 请求内容有误；401 未登录或令牌无效、已吊销；403 无权办理；404 不存在；409 案件已被他人更新；422 办理程序不允许。"
                            }
                        }
                    }
                    section.card {
                        h2 { "目录" }
                        @for (tag, tag_desc) in &tags {
                            h3 { (tag) @if !tag_desc.is_empty() { " " small.hint { (tag_desc) } } }
                            ul {
                                @for o in ops.iter().filter(|o| o.tag() == tag) {
                                    li { a href={ "#" (o.anchor()) } { code { (o.method.to_uppercase()) " " (o.path) } } " " (o.summary()) }
                                }
                            }
                        }
                        p { a href="#actions" { "操作一览" } " · " a href="#roles" { "角色一览" } " · " a href="#schemas" { "数据结构" } }
                    }
                    @for (tag, _) in &tags {
                        h2 { (tag) }
                        @for o in ops.iter().filter(|o| o.tag() == tag) { (operation_markup(o)) }
                    }
                    section.card id="actions" {
                        h2 { "操作一览" }
                        p { "办理命令的 " code { "action" } " 字段取下列代码之一（file 与 open_ex_officio 用于立案）。当前用户对某案件现在可以办理的操作见案件详情的 " code { "available_actions" } "。" }
                        table.list {
                            thead { tr { th { "代码" } th { "名称" } } }
                            tbody { @for (id, zh) in lvzhi_workflow::ACTIONS { tr { td { code { (id) } } td { (zh) } } } }
                        }
                    }
                    section.card id="roles" {
                        h2 { "角色一览" }
                        table.list {
                            thead { tr { th { "代码" } th { "名称" } } }
                            tbody { @for (id, zh) in lvzhi_access::ROLES { tr { td { code { (id) } } td { (zh) } } } }
                        }
                    }
                    h2 id="schemas" { "数据结构" }
                    @for (name, s) in &schemas {
                        section.card id={ "schema-" (name) } {
                            h3 { code { (name) } }
                            @if !description(s).is_empty() { p { (description(s)) } }
                            @if s.get("properties").is_some() { (fields_table(s)) }
                            @else { p { "类型：" (type_markup(s)) } }
                        }
                    }
                }
                footer { "履职 · 本页由接口的 OpenAPI 文档自动生成" }
            }
        }
    }
}

#[utoipa::path(
    get, path = "/api/docs", tag = "文档",
    summary = "接口文档（网页）",
    description = "本页：由 OpenAPI 文档生成的中文接口参考。无需登录。",
    security(()),
    responses((status = 200, description = "HTML 页面", content_type = "text/html"))
)]
pub(super) async fn page(
    axum::extract::State(app): axum::extract::State<crate::app::App>,
) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        render(super::document(&app)),
    )
        .into_response()
}
