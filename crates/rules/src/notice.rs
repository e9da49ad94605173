//! Notice templates (issue 20 item 2): the written notices a procedure issues, as texts of the
//! pack (`[[notice]]`) with placeholders the process fills from the record.
//!
//! The template language, small on purpose (docs/policy-packs.md, "Notices"):
//!
//! - `{name}` — a value of the record (addressee, dates, matter, period, signer…); which names a
//!   notice may use is its kind's vocabulary ([`kinds`]).
//! - `{cite:§13}` — an article of the governing regulation: the full title at the notice's first
//!   citation (`《全称》（以下简称《简称》）第十三条`), the short name after. Several articles are
//!   joined by `、` or `至` (`{cite:§22、§26}`, `{cite:§14至§16}`).
//! - `{if:name}` / `{unless:name}` — nothing is written; the line (or optional part) is kept only
//!   when `name` is given (not empty) / not given.
//! - `{?…}` — an optional part of a line, dropped like a line.
//! - `{{` and `}}` — a literal brace.
//!
//! A line, or an optional part, is dropped (with its line break) when a condition in it fails,
//! or when it has values and every one of them is empty: an optional paragraph.
//!
//! Pure logic: no I/O. Hand-written rather than a template crate: the language is a few
//! placeholders and one rule, and every error must point at a line and column of the pack in
//! Chinese, which general-purpose engines (handlebars, minijinja, tera) do not give — they bring
//! loops, expressions and escaping a notice text must not have.

use std::collections::BTreeMap;

use crate::judge::article_words;

/// One notice a pack words (`[[notice]]`): its kind, its title and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeTemplate {
    /// The kind's id ([`kinds`]): the document kind, or `extension_approval_again` for the
    /// second extension.
    pub kind: String,
    /// The title, on one line: it may use the kind's values ([`Self::title_with`]).
    pub title: Template,
    pub text: Template,
}

impl NoticeTemplate {
    /// The notice filled from `values` (its kind's values, `signer` and `date` among them),
    /// citing the regulation named as `naming`: its title and its text.
    pub fn fill(
        &self,
        values: &BTreeMap<&str, String>,
        naming: &Naming,
    ) -> Result<(String, String), RenderError> {
        Ok((
            self.title_with(values)?,
            render_with(&self.text, values, naming)?,
        ))
    }

    /// The title filled from `values`.
    pub fn title_with(&self, values: &BTreeMap<&str, String>) -> Result<String, RenderError> {
        // No shipped title cites an article; one that did would name no regulation there.
        let naming = Naming {
            title: "",
            short_title: "",
        };
        render_with(&self.title, values, &naming)
    }
}

/// A parsed template: its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    lines: Vec<Vec<Piece>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `{name}`, at a byte offset of the template.
    Value(String, usize),
    /// `{cite:…}`: articles and the separators between them (`、`, `至`).
    Cite(Vec<(String, usize)>, Vec<String>),
    /// `{if:name}` (true) or `{unless:name}` (false).
    Guard(String, bool, usize),
    /// `{?…}`.
    Group(Vec<Piece>),
}

/// A mistake in a template: where (byte offset, and line and column within the template, from
/// 1; columns count characters) and what, as a formal Chinese sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("模板第 {line} 行第 {column} 列：{message}")]
pub struct TemplateError {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A placeholder as written, for checking against a kind's vocabulary and the pack's articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    Value(String),
    Guard(String),
    Article(String),
}

/// Why a template could not be filled (a value the process did not give).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("通知文本模板使用了“{0}”，但办理本步骤时没有该项内容")]
pub struct RenderError(pub String);

/// A notice kind of a procedure: its id, its Chinese name, the process that issues it, the
/// `[[procedure]]` steps it is issued under, the values its template may use and which of them
/// are conditions only (yes/no, used in `{if:…}` and `{unless:…}`).
#[derive(Debug, Clone, Copy)]
pub struct NoticeKind {
    pub id: &'static str,
    pub name: &'static str,
    /// The process that issues it (`application`, `rectification`, …): a pack that words any
    /// notice of a process words every notice of that process its steps need.
    pub process: &'static str,
    /// The `[[procedure]]` ids under which it is issued: a pack words it when it declares one of
    /// them (empty: whenever the pack words its process's notices).
    pub steps: &'static [&'static str],
    pub values: &'static [&'static str],
    pub flags: &'static [&'static str],
}

impl NoticeKind {
    pub fn allows(&self, name: &str) -> bool {
        ["signer", "date"].contains(&name)
            || self.values.contains(&name)
            || self.flags.contains(&name)
    }
}

mod application;
mod determination;
mod enforcement_fault;
mod incident;
mod name_clearing;
mod rectification;
mod sanction_appeal;

pub use application::APPLICATION;

/// The vocabularies of every process's notices, one per process (each in its own module).
pub const PROCESSES: &[&[NoticeKind]] = &[
    application::APPLICATION,
    rectification::RECTIFICATION,
    incident::INCIDENT,
    name_clearing::NAME_CLEARING,
    sanction_appeal::SANCTION_APPEAL,
    enforcement_fault::ENFORCEMENT_FAULT,
    determination::DETERMINATION,
];

/// Every notice kind of every process.
pub fn kinds() -> impl Iterator<Item = &'static NoticeKind> {
    PROCESSES.iter().flat_map(|p| p.iter())
}

/// The kind of notice `id`, if there is one.
pub fn kind(id: &str) -> Option<&'static NoticeKind> {
    kinds().find(|k| k.id == id)
}

/// Parses a template. One final line break (the closing quotes on their own line) is not part of
/// the text.
pub fn parse_template(text: &str) -> Result<Template, TemplateError> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let body = body.strip_suffix('\r').unwrap_or(body);
    let mut p = Parser {
        src: body,
        pos: 0,
        full: text,
    };
    let mut lines = Vec::new();
    loop {
        let (pieces, end) = p.pieces(false)?;
        lines.push(pieces);
        match end {
            End::Newline => continue,
            End::Eof => break,
            // A line ends at a line break or the end; only an optional part closes.
            End::Close => return Err(p.error(p.pos, "多余的“}”：字面的右花括号应写作“}}”".into())),
        }
    }
    Ok(Template { lines })
}

enum End {
    Newline,
    Eof,
    Close,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    full: &'a str,
}

impl Parser<'_> {
    fn error(&self, at: usize, message: String) -> TemplateError {
        let before = &self.full[..at.min(self.full.len())];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        TemplateError {
            offset: at,
            line,
            column: before[start..].chars().count() + 1,
            message,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    /// Pieces up to the end of the line (or of the optional part, `group`).
    fn pieces(&mut self, group: bool) -> Result<(Vec<Piece>, End), TemplateError> {
        let mut out = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, out: &mut Vec<Piece>| {
            if !text.is_empty() {
                out.push(Piece::Text(std::mem::take(text)));
            }
        };
        loop {
            let at = self.pos;
            let Some(c) = self.peek() else {
                flush(&mut text, &mut out);
                return Ok((out, End::Eof));
            };
            self.pos += c.len_utf8();
            match c {
                '\r' if self.peek() == Some('\n') => {}
                '\n' => {
                    flush(&mut text, &mut out);
                    return Ok((out, End::Newline));
                }
                // Within an optional part "}" always closes it, so that nested parts may end
                // together ("{?甲{?乙}}"); a literal "}" is written outside optional parts.
                '}' if group => {
                    flush(&mut text, &mut out);
                    return Ok((out, End::Close));
                }
                '}' if self.peek() == Some('}') => {
                    self.pos += 1;
                    text.push('}');
                }
                '}' => return Err(self.error(at, "多余的“}”：字面的右花括号应写作“}}”".into())),
                '{' if self.peek() == Some('{') => {
                    self.pos += 1;
                    text.push('{');
                }
                '{' if self.peek() == Some('?') => {
                    self.pos += 1;
                    flush(&mut text, &mut out);
                    let (inner, end) = self.pieces(true)?;
                    match end {
                        End::Close => out.push(Piece::Group(inner)),
                        _ => {
                            return Err(self.error(at, "可选片段“{?”没有在同一行内以“}”闭合".into()))
                        }
                    }
                }
                '{' => {
                    flush(&mut text, &mut out);
                    out.push(self.placeholder(at)?);
                }
                c => text.push(c),
            }
        }
    }

    /// A placeholder whose `{` is at `at`; `self.pos` is just after it.
    fn placeholder(&mut self, at: usize) -> Result<Piece, TemplateError> {
        let rest = &self.src[self.pos..];
        let Some(len) = rest
            .find(['}', '{', '\n'])
            .filter(|&i| rest[i..].starts_with('}'))
        else {
            return Err(self.error(
                at,
                "占位符的“{”没有闭合：应以“}”结束（字面的左花括号应写作“{{”）".into(),
            ));
        };
        let inner = &rest[..len];
        let inner_at = self.pos;
        self.pos += len + 1;
        if let Some(arts) = inner.strip_prefix("cite:") {
            return self.cite(arts, inner_at + "cite:".len(), at);
        }
        for (prefix, keep) in [("if:", true), ("unless:", false)] {
            if let Some(name) = inner.strip_prefix(prefix) {
                let name = name.trim();
                if !is_name(name) {
                    return Err(self.error(
                        at,
                        format!("条件“{{{inner}}}”应写作 {{{prefix}名称}}，名称由小写字母、数字和下划线组成"),
                    ));
                }
                return Ok(Piece::Guard(name.to_string(), keep, at));
            }
        }
        let name = inner.trim();
        if !is_name(name) {
            return Err(self.error(
                at,
                format!("占位符“{{{inner}}}”写法有误：应为 {{名称}}、{{cite:条文}}、{{if:名称}}、{{unless:名称}} 或 {{?可选片段}}"),
            ));
        }
        Ok(Piece::Value(name.to_string(), at))
    }

    fn cite(&self, arts: &str, base: usize, at: usize) -> Result<Piece, TemplateError> {
        let mut articles = Vec::new();
        let mut seps = Vec::new();
        let mut start = 0;
        let bounds: Vec<(usize, char)> = arts
            .char_indices()
            .filter(|(_, c)| *c == '、' || *c == '至')
            .chain(std::iter::once((arts.len(), '\0')))
            .collect();
        for (i, c) in bounds {
            let raw = &arts[start..i];
            let a = raw.trim();
            let a_at = base + start + (raw.len() - raw.trim_start().len());
            if a.is_empty() {
                return Err(self.error(
                    at,
                    format!(
                        "引用“{{cite:{arts}}}”缺少条文：应写作 {{cite:§13}}，多条以“、”或“至”连接"
                    ),
                ));
            }
            if article_words(a).is_none() {
                return Err(self.error(
                    a_at,
                    format!("引用的条文“{a}”写法有误：应为 §13、§12¶2、§7(一) 这样的条文编号"),
                ));
            }
            articles.push((a.to_string(), a_at));
            if c != '\0' {
                seps.push(c.to_string());
            }
            start = i + c.len_utf8();
        }
        Ok(Piece::Cite(articles, seps))
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Template {
    /// Whether it writes nothing at all (no line has a piece).
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(Vec::is_empty)
    }

    /// Every placeholder with its byte offset in the template, in order.
    pub fn placeholders(&self) -> Vec<(Placeholder, usize)> {
        fn walk(pieces: &[Piece], out: &mut Vec<(Placeholder, usize)>) {
            for p in pieces {
                match p {
                    Piece::Text(_) => {}
                    Piece::Value(n, at) => out.push((Placeholder::Value(n.clone()), *at)),
                    Piece::Guard(n, _, at) => out.push((Placeholder::Guard(n.clone()), *at)),
                    Piece::Cite(arts, _) => {
                        for (a, at) in arts {
                            out.push((Placeholder::Article(a.clone()), *at));
                        }
                    }
                    Piece::Group(inner) => walk(inner, out),
                }
            }
        }
        let mut out = Vec::new();
        for line in &self.lines {
            walk(line, &mut out);
        }
        out
    }

    /// The text with `value(name)` for each `{name}` (`None`: the process has no such value — an
    /// error), the regulation named as `naming` says ([`Naming`]).
    pub fn render<'v>(
        &self,
        value: &dyn Fn(&str) -> Option<&'v str>,
        naming: &Naming,
    ) -> Result<String, RenderError> {
        let mut r = Render {
            value,
            short: naming.short(),
            cites: 0,
            first_at: None,
        };
        let mut out: Vec<String> = Vec::new();
        for line in &self.lines {
            if r.keep(line)? {
                let mut s = String::new();
                r.pieces(line, &mut s, out.len())?;
                out.push(s);
            }
        }
        // The first citation names the regulation in full; it introduces the short name only
        // when the notice cites the regulation again (一个简称不用第二次就不必“以下简称”).
        if let Some((line, at)) = r.first_at {
            let name = naming.first(r.cites > 1);
            if let Some(s) = out.get_mut(line) {
                s.insert_str(at, &name);
            }
        }
        Ok(out.join("\n"))
    }
}

/// How a notice names the regulation it cites: its full title, and the short name it uses after
/// the first mention (empty: the full title every time).
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
}

impl Naming<'_> {
    /// At the first citation: `《全称》（以下简称《简称》）` when `again` (the notice cites it
    /// again), else `《全称》`.
    pub fn first(&self, again: bool) -> String {
        if again && !self.short_title.is_empty() {
            format!("《{}》（以下简称《{}》）", self.title, self.short_title)
        } else {
            format!("《{}》", self.title)
        }
    }

    /// After the first citation: `《简称》` (`《全称》` without one).
    pub fn short(&self) -> String {
        if self.short_title.is_empty() {
            format!("《{}》", self.title)
        } else {
            format!("《{}》", self.short_title)
        }
    }
}

struct Render<'a, 'v> {
    value: &'a dyn Fn(&str) -> Option<&'v str>,
    short: String,
    /// Citations written so far.
    cites: usize,
    /// Where the first citation's name goes (line, byte offset): written once the notice is
    /// complete, when it is known whether the regulation is cited again.
    first_at: Option<(usize, usize)>,
}

impl<'v> Render<'_, 'v> {
    fn get(&self, name: &str) -> Result<&'v str, RenderError> {
        (self.value)(name).ok_or_else(|| RenderError(name.to_string()))
    }

    /// Whether a line or an optional part is kept: every condition holds, and some value is
    /// not empty when it has values.
    fn keep(&self, pieces: &[Piece]) -> Result<bool, RenderError> {
        let (mut values, mut filled) = (0, 0);
        for p in pieces {
            match p {
                Piece::Guard(n, keep, _) => {
                    let given = !self.get(n)?.is_empty();
                    if given != *keep {
                        return Ok(false);
                    }
                }
                Piece::Value(n, _) => {
                    values += 1;
                    if !self.get(n)?.is_empty() {
                        filled += 1;
                    }
                }
                _ => {}
            }
        }
        Ok(values == 0 || filled > 0)
    }

    fn pieces(
        &mut self,
        pieces: &[Piece],
        out: &mut String,
        line: usize,
    ) -> Result<(), RenderError> {
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Value(n, _) => out.push_str(self.get(n)?),
                Piece::Guard(..) => {}
                Piece::Cite(arts, seps) => {
                    if self.cites == 0 {
                        self.first_at = Some((line, out.len()));
                    } else {
                        out.push_str(&self.short);
                    }
                    self.cites += 1;
                    for (i, (a, _)) in arts.iter().enumerate() {
                        if i > 0 {
                            out.push_str(seps.get(i - 1).map_or("、", String::as_str));
                        }
                        out.push_str(&article_words(a).unwrap_or_else(|| a.clone()));
                    }
                }
                Piece::Group(inner) => {
                    if self.keep(inner)? {
                        self.pieces(inner, out, line)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Fills `template` from `values` (name → value; a name not listed is an error).
pub fn render_with(
    template: &Template,
    values: &BTreeMap<&str, String>,
    naming: &Naming,
) -> Result<String, RenderError> {
    template.render(&|n| values.get(n).map(String::as_str), naming)
}

/// The notice texts of one pack by kind (`[[notice]]`), the pack read and checked whole: what a
/// process compiles in as its shipped texts.
pub fn notices_of(
    file: &str,
    text: &str,
) -> Result<BTreeMap<String, NoticeTemplate>, crate::PackErrors> {
    Ok(crate::parse_pack(file, text)?
        .notices
        .into_iter()
        .map(|n| (n.kind.clone(), n))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(t: &str, values: &[(&str, &str)]) -> String {
        let map: BTreeMap<&str, String> = values.iter().map(|(k, v)| (*k, v.to_string())).collect();
        render_with(
            &parse_template(t).unwrap(),
            &map,
            &Naming {
                title: "全称",
                short_title: "简称",
            },
        )
        .unwrap()
    }

    /// Issue 20 item 2: values from the record, the regulation cited in full at the first
    /// citation and by its short name after (000 §13, §16, §15 in the 受理通知书).
    #[test]
    fn issue20_placeholders_and_citations() {
        assert_eq!(
            fill(
                "{addressee}：\n根据{cite:§13}的规定受理；{cite:§16}；（{cite:§21¶3}）{cite:§14至§16}{cite:§22、§26}",
                &[("addressee", "张三同志")]
            ),
            "张三同志：\n根据《全称》（以下简称《简称》）第十三条的规定受理；《简称》第十六条；（《简称》第二十一条第三款）《简称》第十四条至第十六条《简称》第二十二条、第二十六条"
        );
    }

    /// A notice that cites its regulation once names it in full without "以下简称": a short name
    /// is introduced only to be used (the 不予受理通知书 cites 000 §13 alone).
    #[test]
    fn issue20_a_short_name_is_introduced_only_when_used_again() {
        assert_eq!(
            fill("根据{cite:§13}的规定，决定不予受理。", &[]),
            "根据《全称》第十三条的规定，决定不予受理。"
        );
        let no_short = Naming {
            title: "全称",
            short_title: "",
        };
        let t = parse_template("{cite:§13}；{cite:§16}").unwrap();
        assert_eq!(
            render_with(&t, &BTreeMap::new(), &no_short).unwrap(),
            "《全称》第十三条；《全称》第十六条"
        );
    }

    #[test]
    fn issue20_escaped_braces_are_literal() {
        assert_eq!(fill("{{x}} 与 }}{{", &[]), "{x} 与 }{");
    }

    /// Within an optional part "}" closes it: nested parts that end in text end together (a
    /// "}}" there is two closings, not a literal brace).
    #[test]
    fn issue20_nested_optional_parts_end_together() {
        let t = "{?（{a}{?，第{b}号}}。";
        assert_eq!(fill(t, &[("a", "1"), ("b", "2")]), "（1，第2号。");
        assert_eq!(fill(t, &[("a", "1"), ("b", "")]), "（1。");
        assert_eq!(fill(t, &[("a", ""), ("b", "")]), "。");
    }

    /// An optional paragraph: a line whose values are all empty drops out with its line break;
    /// an optional part of a line likewise; conditions keep or drop a line.
    #[test]
    fn issue20_lines_and_parts_drop_out() {
        let t = "{addressee}：\n正文{?（{number}）}。\n{if:upheld}维持。\n{unless:upheld}变更为{x}。\n\n落款";
        assert_eq!(
            fill(
                t,
                &[
                    ("addressee", ""),
                    ("number", ""),
                    ("upheld", "是"),
                    ("x", "y")
                ]
            ),
            "正文。\n维持。\n\n落款"
        );
        assert_eq!(
            fill(
                t,
                &[
                    ("addressee", "某单位"),
                    ("number", "5号"),
                    ("upheld", ""),
                    ("x", "y")
                ]
            ),
            "某单位：\n正文（5号）。\n变更为y。\n\n落款"
        );
        // A line with one value of two filled stays.
        assert_eq!(fill("{a}{b}", &[("a", ""), ("b", "B")]), "B");
        // A citation in a dropped line is not a mention: the one left names the regulation in
        // full, and introduces no short name it would not use.
        assert_eq!(
            fill("{a}{cite:§13}\n{cite:§16}", &[("a", "")]),
            "《全称》第十六条"
        );
        assert_eq!(
            fill("{a}{cite:§13}\n{cite:§16}", &[("a", "甲")]),
            "甲《全称》（以下简称《简称》）第十三条\n《简称》第十六条"
        );
        // One final line break is not part of the text.
        assert_eq!(fill("甲\n乙\n", &[]), "甲\n乙");
    }

    #[test]
    fn issue20_missing_value_is_an_error() {
        let t = parse_template("{who}").unwrap();
        let naming = Naming {
            title: "",
            short_title: "",
        };
        let err = render_with(&t, &BTreeMap::new(), &naming).unwrap_err();
        assert!(err.to_string().contains("“who”"), "{err}");
    }

    /// Errors give the line and column within the template, in Chinese.
    #[test]
    fn issue20_errors_have_line_and_column() {
        let e = parse_template("第一行\n正文{addressee").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("没有闭合"), "{}", e.message);
        let e = parse_template("甲}乙").unwrap_err();
        assert_eq!((e.line, e.column), (1, 2));
        assert!(e.message.contains("多余的“}”"), "{}", e.message);
        let e = parse_template("\n\n  {cite:§13、}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        assert!(e.message.contains("缺少条文"), "{}", e.message);
        let e = parse_template("{cite:§13、第五条}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 11));
        assert!(e.message.contains("“第五条”"), "{}", e.message);
        let e = parse_template("{?可选{x}\n}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        let e = parse_template("{名字}").unwrap_err();
        assert!(e.message.contains("写法有误"), "{}", e.message);
        let e = parse_template("{if:}").unwrap_err();
        assert!(e.message.contains("条件"), "{}", e.message);
        assert_eq!(e.to_string(), format!("模板第 1 行第 1 列：{}", e.message));
    }

    #[test]
    fn issue20_placeholders_are_listed_with_offsets() {
        let t = parse_template("{a}\n{?{if:b}{cite:§13至§16}}").unwrap();
        let p: Vec<Placeholder> = t.placeholders().into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            p,
            vec![
                Placeholder::Value("a".into()),
                Placeholder::Guard("b".into()),
                Placeholder::Article("§13".into()),
                Placeholder::Article("§16".into()),
            ]
        );
        assert_eq!(t.placeholders()[3].1, "{a}\n{?{if:b}{cite:§13至".len());
    }
}
