//! How long a text, how many items a list may have in any command (issue 19 item 3). The page
//! limited 申请事项 to 500 characters and the API took 2,500,000: the office's 受理 then
//! typeset for 46 s and every download of the 申请表 for 16 s. Every command of every process
//! passes this one check in the service before it is decided, whichever front end sent it, so
//! the pages, the API and the CLI refuse the same things; the pages' `maxlength`s and the API
//! document's `maxLength`s are these constants.
//!
//! A field is limited by its name (the last key of its path), else by the general text limit.
//! The numbers are the product's, not a regulation's: generous for what an office writes (a
//! review opinion runs to a few pages) and small enough that a notice typesets in a moment.

use serde_json::Value;

/// An id (person, organisation, case, digest).
pub const ID_CHARS: usize = 64;
/// A name, title, document number (文号), file name or code.
pub const NAME_CHARS: usize = 200;
/// 申请事项: quoted inside a sentence of every notice (000 §13, §16, §23).
pub const MATTER_CHARS: usize = 500;
/// 事实与理由 of the 申请表.
pub const STATEMENT_CHARS: usize = 3000;
/// Any other text: reasons, opinions, descriptions, a notice's body.
pub const TEXT_CHARS: usize = 10_000;
/// Items of any list (applicants, panel members, rectification items, …).
pub const LIST_ITEMS: usize = 200;
/// Entries of any map (the answered facts of a case).
pub const MAP_ENTRIES: usize = 500;
/// Nesting of a command.
pub const DEPTH: usize = 12;

/// Fields limited by name, with their Chinese label: (key, limit, label).
pub const NAMED: &[(&str, usize, &str)] = &[
    ("matter", MATTER_CHARS, "申请事项"),
    ("statement", STATEMENT_CHARS, "事实与理由"),
    ("sm3", ID_CHARS, "SM3 摘要"),
    ("name", NAME_CHARS, "名称"),
    ("title", NAME_CHARS, "标题"),
    ("file_name", NAME_CHARS, "文件名"),
    ("document_number", NAME_CHARS, "文号"),
    ("addressee", NAME_CHARS, "主送"),
    ("action", NAME_CHARS, "操作代码"),
    ("kind", NAME_CHARS, "类型"),
    ("type", NAME_CHARS, "类型"),
    ("role", NAME_CHARS, "角色"),
    ("category", NAME_CHARS, "类别"),
    ("sanction", NAME_CHARS, "处理种类"),
    ("unit", ID_CHARS, "单位"),
    ("org", ID_CHARS, "机构"),
    ("department", ID_CHARS, "部门"),
    ("description", TEXT_CHARS, "说明"),
    ("reasons", TEXT_CHARS, "理由"),
    ("text", TEXT_CHARS, "正文"),
];

/// Labels of text fields limited by the general limit, for the message.
const LABELS: &[(&str, &str)] = &[
    ("opinion", "意见"),
    ("summary", "摘要"),
    ("note", "备注"),
    ("reason", "理由"),
    ("details", "详情"),
    ("content", "内容"),
];

/// A command past a limit: one Chinese sentence naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TooLong(pub String);

fn limit_of(key: &str) -> (usize, Option<&'static str>) {
    if let Some((_, n, label)) = NAMED.iter().find(|(k, _, _)| *k == key) {
        return (*n, Some(label));
    }
    if key == "id" || key.ends_with("_id") {
        return (ID_CHARS, Some("编号"));
    }
    let label = LABELS.iter().find(|(k, _)| *k == key).map(|(_, l)| *l);
    (TEXT_CHARS, label)
}

fn label(key: &str, path: &str) -> String {
    match limit_of(key).1 {
        Some(l) => format!("“{l}”"),
        None if path.is_empty() => "提交的内容".to_string(),
        None => format!("字段“{path}”"),
    }
}

/// Checks every string, list and map of a command against its limit.
pub fn check(command: &Value) -> Result<(), TooLong> {
    walk(command, "", "", 0)
}

fn walk(v: &Value, key: &str, path: &str, depth: usize) -> Result<(), TooLong> {
    if depth > DEPTH {
        return Err(TooLong(format!(
            "提交的内容层次过深（不能超过 {DEPTH} 层）"
        )));
    }
    match v {
        Value::String(s) => {
            let (max, _) = limit_of(key);
            let n = s.chars().count();
            if n > max {
                return Err(TooLong(format!(
                    "{}过长：不能超过 {max} 个字符（现有 {n} 个）",
                    label(key, path)
                )));
            }
        }
        Value::Array(items) => {
            if items.len() > LIST_ITEMS {
                return Err(TooLong(format!(
                    "{}的条目过多：不能超过 {LIST_ITEMS} 项（现有 {} 项）",
                    label(key, path),
                    items.len()
                )));
            }
            for (i, item) in items.iter().enumerate() {
                walk(item, key, &format!("{path}[{i}]"), depth + 1)?;
            }
        }
        Value::Object(map) => {
            if map.len() > MAP_ENTRIES {
                return Err(TooLong(format!(
                    "{}的条目过多：不能超过 {MAP_ENTRIES} 项（现有 {} 项）",
                    label(key, path),
                    map.len()
                )));
            }
            for (k, item) in map {
                if k.chars().count() > NAME_CHARS {
                    return Err(TooLong(format!("字段名过长：不能超过 {NAME_CHARS} 个字符")));
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, k, &p, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_matter_is_limited_as_on_the_page() {
        let ok = json!({"action": "file", "form": {"matter": "申".repeat(MATTER_CHARS)}});
        assert_eq!(check(&ok), Ok(()));
        let long = json!({"action": "file", "form": {"matter": "申".repeat(2_500_000)}});
        assert_eq!(
            check(&long).unwrap_err().0,
            "“申请事项”过长：不能超过 500 个字符（现有 2500000 个）"
        );
    }

    #[test]
    fn every_other_text_list_and_map_has_a_limit() {
        let text = json!({"opinion": "意".repeat(TEXT_CHARS + 1)});
        assert!(check(&text).unwrap_err().0.starts_with("“意见”过长"));
        let unknown = json!({"x": {"y": "z".repeat(TEXT_CHARS + 1)}});
        assert!(check(&unknown).unwrap_err().0.starts_with("字段“x.y”过长"));
        let list = json!({"items": vec!["a"; LIST_ITEMS + 1]});
        assert!(check(&list).unwrap_err().0.contains("条目过多"));
        let ids = json!({"person_id": "p".repeat(ID_CHARS + 1)});
        assert!(check(&ids).unwrap_err().0.starts_with("“编号”过长"));
        let mut deep = json!("x");
        for _ in 0..20 {
            deep = json!([deep]);
        }
        assert!(check(&deep).unwrap_err().0.contains("层次过深"));
        let facts: serde_json::Map<String, Value> = (0..MAP_ENTRIES + 1)
            .map(|i| (format!("f{i}"), json!(true)))
            .collect();
        assert!(check(&json!({ "facts": facts })).is_err());
    }
}
