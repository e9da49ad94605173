//! Forms: the one type of a submitted page form's values ([`FormValues`]), the one builder that
//! turns an action's form (its `Field`s, `lvzhi_case::FieldKind`) into the process's command
//! JSON ([`build`]), and the names of record a command carries ([`complete`]): names are never
//! taken from a browser or a client, but from the directory or the expert pool.
//!
//! Field names are the command's JSON keys; a nested object's fields are named `object.field`
//! on the page, a table's cells `table.row.field` (the row key is any token: a number, or a
//! candidate's id). A field left empty is left out, so the command type's defaults apply; a
//! required one left empty is refused in Chinese naming the field.

use std::collections::BTreeMap;

use lvzhi_processes::registry::CommandShapeError;
use lvzhi_processes::{ActionSpec, Field, FieldKind};
use serde_json::{Map, Value};

use crate::app::App;
use crate::error::AppError;

/// The fields of a submitted page form, in order, repeated names kept (checkbox lists). The
/// CSRF and one-use tokens are checked by the extractor and not among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FormValues(Vec<(String, String)>);

impl FormValues {
    /// The form's fields as posted, less the tokens the extractor has checked.
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Self {
        FormValues(
            pairs
                .into_iter()
                .filter(|(k, _)| k != "_csrf" && k != "_once")
                .collect(),
        )
    }

    /// The first value of `name`, as typed.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed (empty when absent).
    pub(crate) fn trimmed(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or_default()
    }

    /// The first value of `name`, trimmed, as an owned string.
    pub(crate) fn text(&self, name: &str) -> String {
        self.trimmed(name).to_string()
    }

    /// Every value of `name`, as typed.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `name` was sent with the value `v`.
    pub(crate) fn has(&self, name: &str, v: &str) -> bool {
        self.0.iter().any(|(k, x)| k == name && x.trim() == v)
    }

    pub(crate) fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Whether anything was entered under `prefix.` (an object's or a table's fields).
    pub(crate) fn filled_under(&self, prefix: &str) -> bool {
        let p = format!("{prefix}.");
        self.0
            .iter()
            .any(|(k, v)| k.starts_with(&p) && !v.trim().is_empty())
    }

    /// The row keys posted for the table `name` (`name.<key>.field`), in order of first
    /// appearance.
    pub(crate) fn row_keys(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.");
        let mut out: Vec<String> = Vec::new();
        for (k, _) in &self.0 {
            let Some(rest) = k.strip_prefix(&prefix) else {
                continue;
            };
            let Some((key, _)) = rest.split_once('.') else {
                continue;
            };
            if !key.is_empty() && !out.iter().any(|o| o == key) {
                out.push(key.to_string());
            }
        }
        out
    }
}

/// What reads a form's `Facts` field: the interview's `fact.<id>` answers, typed by the pack.
pub(crate) type FactsReader<'a> = &'a dyn Fn(&FormValues) -> Result<Map<String, Value>, AppError>;

/// (id, label) options of a select.
pub(crate) type Options = Vec<(String, String)>;

/// The options a form offers for its directory fields (people, organisations, experts), by the
/// field's full name (`members.person_id` for a table's column): what the page shows and the
/// only values the builder accepts.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormOptions(pub BTreeMap<String, Options>);

impl FormOptions {
    pub(crate) fn get(&self, name: &str) -> Option<&Options> {
        self.0.get(name)
    }
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

/// The message for a required field left empty.
pub(crate) fn missing(field: &Field, at: &str) -> String {
    if field.is_choice() {
        format!("{at}请选择“{}”", field.label)
    } else {
        format!("{at}请填写“{}”", field.label)
    }
}

/// The name a field's cells take in a table's row: `table.row.field`, or within an object
/// `object.field`.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Builds the command of `spec` from a page's form: every field by its kind, empty optional
/// fields left out (or sent empty when the field says so), blank table rows dropped, people
/// and organisations only among the options offered. `facts` reads a `Facts` field (the
/// interview's `fact.<id>` answers, typed by the pack). Names of record are filled later
/// ([`complete`]).
pub(crate) fn build(
    spec: &ActionSpec,
    values: &FormValues,
    options: &FormOptions,
    facts: FactsReader<'_>,
) -> Result<Value, AppError> {
    let b = Builder {
        values,
        options,
        facts,
    };
    let mut root = b.object(&spec.fields, "", "", "")?;
    root.insert("action".to_string(), Value::String(spec.id.clone()));
    Ok(Value::Object(root))
}

struct Builder<'a> {
    values: &'a FormValues,
    options: &'a FormOptions,
    facts: FactsReader<'a>,
}

impl Builder<'_> {
    /// The fields under `prefix` (their form names) as an object; `column` is their name in the
    /// options (the row key left out), `at` prefixes messages (`“受害人”第 2 行：`).
    fn object(
        &self,
        fields: &[Field],
        prefix: &str,
        column_prefix: &str,
        at: &str,
    ) -> Result<Map<String, Value>, AppError> {
        let mut out = Map::new();
        for field in fields {
            let name = join(prefix, &field.name);
            let col = join(column_prefix, &field.name);
            match self.value(field, &name, &col, at)? {
                Some(v) => {
                    out.insert(field.name.clone(), v);
                }
                None if field.required && !matches!(field.kind, FieldKind::NameOf { .. }) => {
                    return Err(bad(missing(field, at)));
                }
                None => {}
            }
        }
        Ok(out)
    }

    fn value(
        &self,
        field: &Field,
        name: &str,
        col: &str,
        at: &str,
    ) -> Result<Option<Value>, AppError> {
        let label = &field.label;
        let raw = self.values.trimmed(name);
        let string = |v: &str| Some(Value::String(v.to_string()));
        Ok(match &field.kind {
            FieldKind::NameOf { .. } => None,
            FieldKind::Bool => Some(Value::Bool(matches!(raw, "true" | "on" | "1" | "yes"))),
            FieldKind::Facts => {
                let facts = (self.facts)(self.values)?;
                (!facts.is_empty()).then_some(Value::Object(facts))
            }
            FieldKind::Evidence => {
                let part = |p: &str| self.values.text(&format!("{name}.{p}"));
                let (sm3, file_name, description) =
                    (part("sm3"), part("file_name"), part("description"));
                if sm3.is_empty() && file_name.is_empty() {
                    None
                } else {
                    Some(serde_json::json!({
                        "sm3": sm3, "file_name": file_name, "description": description
                    }))
                }
            }
            FieldKind::Object { fields } => {
                if !field.required && !self.values.filled_under(name) {
                    None
                } else {
                    Some(Value::Object(self.object(fields, name, col, at)?))
                }
            }
            FieldKind::Rows { fields, max } => {
                let mut rows = Vec::new();
                for key in self.values.row_keys(name) {
                    let cell = format!("{name}.{key}");
                    // A row with nothing typed or chosen but its selects' defaults is blank.
                    let blank = fields.iter().all(|f| {
                        let at = join(&cell, &f.name);
                        matches!(
                            f.kind,
                            FieldKind::Bool
                                | FieldKind::Choice { .. }
                                | FieldKind::YesNo { .. }
                                | FieldKind::NameOf { .. }
                        ) || (self.values.trimmed(&at).is_empty() && !self.values.filled_under(&at))
                    });
                    if blank {
                        continue;
                    }
                    let at = format!("“{label}”第 {} 行：", rows.len() + 1);
                    rows.push(Value::Object(self.object(fields, &cell, col, &at)?));
                }
                if rows.len() > *max {
                    return Err(bad(format!("“{label}”最多 {max} 行")));
                }
                (!rows.is_empty()).then_some(Value::Array(rows))
            }
            FieldKind::MultiChoice { options } => {
                let mut picked: Vec<Value> = Vec::new();
                for v in self.values.all(name) {
                    let v = v.trim();
                    if v.is_empty() || picked.iter().any(|p| p == v) {
                        continue;
                    }
                    if !options.iter().any(|(id, _)| id == v) {
                        return Err(bad(format!("{at}“{label}”的选项“{v}”无效")));
                    }
                    picked.push(Value::String(v.to_string()));
                }
                (!picked.is_empty()).then_some(Value::Array(picked))
            }
            FieldKind::Lines => {
                let lines: Vec<Value> = raw
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect();
                (!lines.is_empty()).then_some(Value::Array(lines))
            }
            FieldKind::List => {
                let items: Vec<Value> = raw
                    .split(['、', ',', '，', ';', '；', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            FieldKind::Text | FieldKind::LongText if raw.is_empty() => {
                field.always_sent.then(|| Value::String(String::new()))
            }
            _ if raw.is_empty() => None,
            FieldKind::Text | FieldKind::LongText => string(raw),
            FieldKind::Date => {
                if chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").is_err() {
                    return Err(bad(format!(
                        "{at}“{label}”应为有效日期（年-月-日，如 2024-10-08）"
                    )));
                }
                string(raw)
            }
            FieldKind::Integer => Some(Value::from(
                raw.parse::<i64>()
                    .map_err(|_| bad(format!("{at}“{label}”应为整数")))?,
            )),
            FieldKind::Amount => Some(Value::from(
                raw.replace([',', '，', ' '], "")
                    .parse::<u64>()
                    .map_err(|_| bad(format!("{at}“{label}”应为不小于 0 的整数")))?,
            )),
            FieldKind::YesNo { .. } => match raw {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => return Err(bad(format!("{at}“{label}”的选项“{raw}”无效"))),
            },
            FieldKind::Choice { options } => {
                if !options.iter().any(|(id, _)| id == raw) {
                    return Err(bad(format!("{at}“{label}”的选项“{raw}”无效")));
                }
                string(raw)
            }
            FieldKind::Index { options } => {
                let n = raw
                    .parse::<u64>()
                    .ok()
                    .filter(|n| options.iter().any(|(i, _)| i == n))
                    .ok_or_else(|| bad(format!("{at}请从列表中选择“{label}”")))?;
                Some(Value::from(n))
            }
            FieldKind::Person | FieldKind::Org | FieldKind::Expert => {
                if let Some(offered) = self.options.get(col) {
                    if !offered.iter().any(|(id, _)| id == raw) {
                        return Err(bad(format!("{at}“{label}”：“{raw}”不在可选之列")));
                    }
                }
                string(raw)
            }
        })
    }
}

/// A command that does not read as its process's, in Chinese: serde's words and the field's
/// path under `prefix` (`command` for the API's body).
pub(crate) fn shape_error(prefix: &str, path: &str, message: &str) -> AppError {
    let path = if path.is_empty() || path == "." {
        prefix.to_string()
    } else if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}.{path}")
    };
    AppError::BadRequest(crate::api::extract::command_error_zh(&path, message))
}

/// A page's command the process does not read, named by the form's own labels where the path
/// leads to a field (`proposal` missing `to` → 请选择“变更后的处理”).
pub(crate) fn explain(spec: &ActionSpec, e: &CommandShapeError) -> AppError {
    let missing_key = e
        .message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next());
    let mut fields = &spec.fields;
    let mut found: Option<&Field> = None;
    let parts = e
        .path
        .split('.')
        .filter(|p| !p.is_empty() && *p != "." && p.parse::<usize>().is_err())
        .chain(missing_key);
    for part in parts {
        let Some(f) = fields.iter().find(|f| f.name == part) else {
            found = None;
            break;
        };
        found = Some(f);
        fields = match &f.kind {
            FieldKind::Object { fields } | FieldKind::Rows { fields, .. } => fields,
            _ => fields,
        };
    }
    match (found, missing_key) {
        (Some(f), Some(_)) => bad(missing(f, "")),
        (Some(f), None) => bad(format!("“{}”的内容有误，请检查后重新提交", f.label)),
        _ => bad(format!(
            "“{}”的表单内容不完整或者有误，请检查后重新提交",
            spec.label
        )),
    }
}

/// The names of record of the people, organisations and experts a command chooses
/// (`NameOf` fields of its form), written into it whatever was sent: from the directory, or the
/// expert pool. A chosen id the record does not know is refused (422) — except an organisation
/// named as free text (an authority outside the directory keeps the name sent).
pub(crate) async fn complete(
    app: &App,
    spec: &ActionSpec,
    command: &Value,
) -> Result<Value, AppError> {
    let mut command = command.clone();
    let experts = if has_expert(&spec.fields) {
        app.store().experts().await?
    } else {
        Vec::new()
    };
    let names = Names {
        dir: &app.directory(),
        experts: &experts,
    };
    if let Value::Object(map) = &mut command {
        names.fill(&spec.fields, map)?;
    }
    Ok(command)
}

fn has_expert(fields: &[Field]) -> bool {
    fields.iter().any(|f| match &f.kind {
        FieldKind::Expert => true,
        FieldKind::Object { fields } | FieldKind::Rows { fields, .. } => has_expert(fields),
        _ => false,
    })
}

/// The person id an expert of the pool takes part under: their account's, or the pool's id.
pub(crate) fn expert_person_id(e: &lvzhi_store::ExpertRecord) -> String {
    e.person_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(&e.id)
        .to_string()
}

struct Names<'a> {
    dir: &'a crate::app::Directory,
    experts: &'a [lvzhi_store::ExpertRecord],
}

impl Names<'_> {
    fn fill(&self, fields: &[Field], map: &mut Map<String, Value>) -> Result<(), AppError> {
        for field in fields {
            match &field.kind {
                FieldKind::Object { fields } => {
                    if let Some(Value::Object(inner)) = map.get_mut(&field.name) {
                        self.fill(fields, inner)?;
                    }
                }
                FieldKind::Rows { fields, .. } => {
                    if let Some(Value::Array(rows)) = map.get_mut(&field.name) {
                        for row in rows {
                            if let Value::Object(inner) = row {
                                self.fill(fields, inner)?;
                            }
                        }
                    }
                }
                FieldKind::NameOf { of } => {
                    let Some(source) = fields.iter().find(|f| &f.name == of) else {
                        continue;
                    };
                    let Some(id) = map.get(of).and_then(Value::as_str).map(str::to_string) else {
                        continue;
                    };
                    if let Some(name) = self.name_of(source, &id)? {
                        map.insert(field.name.clone(), Value::String(name));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The name of record of `id` chosen in `source`; `None` to keep what was sent.
    fn name_of(&self, source: &Field, id: &str) -> Result<Option<String>, AppError> {
        let label = &source.label;
        match source.kind {
            FieldKind::Person => match self.dir.people.get(id) {
                Some(p) => Ok(Some(p.name.clone())),
                None => Err(AppError::Unprocessable(format!(
                    "{label}“{id}”不在人员名录中"
                ))),
            },
            FieldKind::Org => match self.dir.orgs.get(id) {
                Some(o) => Ok(Some(o.name.clone())),
                None => Err(AppError::Unprocessable(format!(
                    "{label}“{id}”不在组织机构名录中"
                ))),
            },
            FieldKind::Expert => match self
                .experts
                .iter()
                .find(|e| e.active && expert_person_id(e) == id)
            {
                Some(e) => Ok(Some(e.name.clone())),
                None => Err(AppError::Unprocessable(format!(
                    "{label}“{id}”不是专家库中在册的人员"
                ))),
            },
            // Free text naming an organisation or person: the record's name when it is one.
            _ => Ok(self
                .dir
                .orgs
                .get(id)
                .map(|o| o.name.clone())
                .or_else(|| self.dir.people.get(id).map(|p| p.name.clone()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_processes::Role;

    fn values(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn no_facts(_: &FormValues) -> Result<Map<String, Value>, AppError> {
        Ok(Map::new())
    }

    fn spec(fields: Vec<Field>) -> ActionSpec {
        ActionSpec {
            id: "x_do".into(),
            label: "办理".into(),
            article: String::new(),
            role: Role::Office,
            fields,
        }
    }

    #[test]
    fn objects_rows_and_choices_become_the_commands_json() {
        let s = spec(vec![
            Field::new(
                "determination",
                "认定",
                FieldKind::Object {
                    fields: vec![
                        Field::new(
                            "outcome",
                            "认定结论",
                            FieldKind::Choice {
                                options: vec![("exemption".into(), "免责".into())],
                            },
                            true,
                        ),
                        Field::new("articles", "依据条款", FieldKind::List, false),
                        Field::new("flag", "不当", FieldKind::Bool, false),
                    ],
                },
                true,
            ),
            Field::new(
                "members",
                "成员",
                FieldKind::Rows {
                    fields: vec![
                        Field::new("person_id", "成员", FieldKind::Person, true),
                        Field::new(
                            "name",
                            "姓名",
                            FieldKind::NameOf {
                                of: "person_id".into(),
                            },
                            true,
                        ),
                        Field::new(
                            "category",
                            "类别",
                            FieldKind::Choice {
                                options: vec![("legal".into(), "法制".into())],
                            },
                            true,
                        ),
                    ],
                    max: 5,
                },
                true,
            ),
            Field::new(
                "revised",
                "变更",
                FieldKind::Object { fields: vec![] },
                false,
            ),
            Field::new("grounds", "理由", FieldKind::LongText, false).always_sent(),
        ]);
        let v = values(&[
            ("_csrf", "x"),
            ("determination.outcome", "exemption"),
            ("determination.articles", "000 §8、 000 §7(一)，"),
            ("members.fa.person_id", "fa"),
            ("members.fa.category", "legal"),
            ("members.ji.category", "legal"),
            ("members.fa.name", "冒名"),
        ]);
        let mut options = FormOptions::default();
        options.0.insert(
            "members.person_id".into(),
            vec![("fa".into(), "法制员".into())],
        );
        let c = build(&s, &v, &options, &no_facts).unwrap();
        assert_eq!(
            c,
            serde_json::json!({
                "action": "x_do",
                "determination": { "outcome": "exemption", "articles": ["000 §8", "000 §7(一)"], "flag": false },
                "members": [{ "person_id": "fa", "category": "legal" }],
                "grounds": "",
            })
        );
        // A person not offered is refused; a required choice left empty names the field.
        let v = values(&[
            ("determination.outcome", "exemption"),
            ("members.0.person_id", "zhao"),
        ]);
        let e = build(&s, &v, &options, &no_facts).unwrap_err().to_string();
        assert!(e.contains("不在可选之列"), "{e}");
        let v = values(&[("members.0.person_id", "fa")]);
        let e = build(&s, &v, &options, &no_facts).unwrap_err().to_string();
        assert_eq!(e, "请选择“认定结论”");
        let v = values(&[("determination.outcome", "pardon")]);
        let e = build(&s, &v, &options, &no_facts).unwrap_err().to_string();
        assert_eq!(e, "“认定结论”的选项“pardon”无效");
    }

    #[test]
    fn row_keys_keep_the_order_posted() {
        let v = values(&[
            ("victims.2.name", "a"),
            ("victims.0.name", "b"),
            ("victims.2.kind", "c"),
            ("victims", "x"),
        ]);
        assert_eq!(v.row_keys("victims"), ["2", "0"]);
        assert!(v.filled_under("victims"));
        assert!(!v.filled_under("other"));
    }
}
