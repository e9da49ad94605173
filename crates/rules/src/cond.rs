//! The condition language of `when`, `never` and `asked_if` (docs/policy-packs.md "Conditions"):
//! a hand-written recursive-descent parser that keeps the byte offset of every token, so a
//! mistake is reported at its exact column in the pack file.

use lvzhi_calendar::{parse_date, NaiveDate};

/// A literal in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Bool(bool),
    Num(f64),
    Str(String),
    Date(NaiveDate),
}

impl Lit {
    pub fn describe(&self) -> String {
        match self {
            Lit::Bool(b) => b.to_string(),
            Lit::Num(n) => n.to_string(),
            Lit::Str(s) => format!("\"{s}\""),
            Lit::Date(d) => d.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

/// A fact named in a condition, with the byte offset of the name inside the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub name: String,
    pub at: usize,
}

/// A parsed condition, fact names not yet resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    Fact(Name),
    Cmp(Name, CmpOp, Lit, usize),
    In(Name, Vec<(Lit, usize)>),
    Not(Box<Ast>),
    And(Vec<Ast>),
    Or(Vec<Ast>),
    Count(Vec<Ast>, CmpOp, i64),
    Pack {
        pack: String,
        article: String,
        at: usize,
    },
}

impl Ast {
    /// Every fact name the condition reads (with duplicates), in order.
    pub fn names(&self, out: &mut Vec<Name>) {
        match self {
            Ast::Fact(n) | Ast::Cmp(n, ..) | Ast::In(n, _) => out.push(n.clone()),
            Ast::Not(a) => a.names(out),
            Ast::And(v) | Ast::Or(v) | Ast::Count(v, ..) => v.iter().for_each(|a| a.names(out)),
            Ast::Pack { .. } => {}
        }
    }

    /// Every `pack("…", "…")` atom.
    pub fn packs(&self, out: &mut Vec<(String, String, usize)>) {
        match self {
            Ast::Pack { pack, article, at } => out.push((pack.clone(), article.clone(), *at)),
            Ast::Not(a) => a.packs(out),
            Ast::And(v) | Ast::Or(v) | Ast::Count(v, ..) => v.iter().for_each(|a| a.packs(out)),
            _ => {}
        }
    }
}

/// A syntax error at a byte offset of the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Date(NaiveDate),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Cmp(CmpOp),
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("“{s}”"),
        Tok::Str(s) => format!("字符串“{s}”"),
        Tok::Num(n) => format!("数字“{n}”"),
        Tok::Date(d) => format!("日期“{d}”"),
        Tok::LParen => "“(”".into(),
        Tok::RParen => "“)”".into(),
        Tok::LBracket => "“[”".into(),
        Tok::RBracket => "“]”".into(),
        Tok::Comma => "“,”".into(),
        Tok::Cmp(_) => "比较运算符".into(),
        Tok::End => "条件结尾".into(),
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = match c {
            '(' | '（' => Some(Tok::LParen),
            ')' | '）' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' | '，' => Some(Tok::Comma),
            _ => None,
        };
        if let Some(t) = single {
            out.push((t, at));
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).map(|p| p.1);
        let two = |op| Some((Tok::Cmp(op), 2));
        let cmp = match (c, next) {
            ('=', Some('=')) => two(CmpOp::Eq),
            ('!', Some('=')) => two(CmpOp::Ne),
            ('<', Some('=')) => two(CmpOp::Le),
            ('>', Some('=')) => two(CmpOp::Ge),
            ('<', _) => Some((Tok::Cmp(CmpOp::Lt), 1)),
            ('>', _) => Some((Tok::Cmp(CmpOp::Gt), 1)),
            _ => None,
        };
        if let Some((t, n)) = cmp {
            out.push((t, at));
            i += n;
            continue;
        }
        if c == '"' {
            let mut s = String::new();
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => {
                        return Err(SyntaxError {
                            at,
                            message: "字符串缺少结尾的双引号".into(),
                        })
                    }
                    Some((_, '"')) => break,
                    Some((_, ch)) => s.push(*ch),
                }
                j += 1;
            }
            out.push((Tok::Str(s), at));
            i = j + 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].1.is_ascii_digit() || matches!(chars[j].1, '.' | '-'))
            {
                j += 1;
            }
            let end = chars.get(j).map_or(src.len(), |p| p.0);
            let text = &src[at..end];
            let tok = if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
                parse_date(text).map(Tok::Date)
            } else {
                text.parse::<f64>().ok().map(Tok::Num)
            };
            match tok {
                Some(t) => out.push((t, at)),
                None => {
                    return Err(SyntaxError {
                        at,
                        message: format!("无法识别的数字或日期“{text}”（日期应写作 YYYY-MM-DD）"),
                    })
                }
            }
            i = j;
            continue;
        }
        // Chinese connectives are single characters and may be written without spaces.
        if matches!(c, '和' | '且' | '或' | '非') {
            let word = match c {
                '和' | '且' => "and",
                '或' => "or",
                _ => "not",
            };
            out.push((Tok::Ident(word.into()), at));
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_ascii_alphanumeric() || matches!(chars[j].1, '_' | '.'))
            {
                j += 1;
            }
            if j == i {
                return Err(SyntaxError {
                    at,
                    message: format!(
                        "无法识别的字符“{c}”（事实标识只能由英文字母、数字、下划线组成）"
                    ),
                });
            }
            let end = chars.get(j).map_or(src.len(), |p| p.0);
            out.push((Tok::Ident(src[at..end].to_string()), at));
            i = j;
            continue;
        }
        return Err(SyntaxError {
            at,
            message: format!("无法识别的字符“{c}”"),
        });
    }
    out.push((Tok::End, src.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
}

/// Deep nesting is refused rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |t| &t.0)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |t| t.1)
    }
    fn bump(&mut self) -> (Tok, usize) {
        let t = self.toks.get(self.pos).cloned().unwrap_or((Tok::End, 0));
        self.pos += 1;
        t
    }
    fn err<T>(&self, message: String) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            at: self.at(),
            message,
        })
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<usize, SyntaxError> {
        if *self.peek() == t {
            Ok(self.bump().1)
        } else {
            self.err(format!("此处应为{what}，实际为{}", describe(self.peek())))
        }
    }

    fn or(&mut self) -> Result<Ast, SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("条件嵌套过深".into());
        }
        let mut v = vec![self.and()?];
        while self.is_kw("or") {
            self.bump();
            v.push(self.and()?);
        }
        self.depth -= 1;
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Ast::Or(v)
        })
    }
    fn and(&mut self) -> Result<Ast, SyntaxError> {
        let mut v = vec![self.not()?];
        while self.is_kw("and") {
            self.bump();
            v.push(self.not()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Ast::And(v)
        })
    }
    fn not(&mut self) -> Result<Ast, SyntaxError> {
        if self.is_kw("not") {
            self.bump();
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return self.err("条件嵌套过深".into());
            }
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Ast::Not(Box::new(inner)));
        }
        self.atom()
    }
    fn list(&mut self) -> Result<Vec<Ast>, SyntaxError> {
        self.expect(Tok::LParen, "“(”")?;
        let mut v = vec![self.or()?];
        while *self.peek() == Tok::Comma {
            self.bump();
            v.push(self.or()?);
        }
        self.expect(Tok::RParen, "“)”")?;
        Ok(v)
    }
    fn literal(&mut self) -> Result<(Lit, usize), SyntaxError> {
        let (t, at) = self.bump();
        let lit = match t {
            Tok::Num(n) => Lit::Num(n),
            Tok::Str(s) => Lit::Str(s),
            Tok::Date(d) => Lit::Date(d),
            Tok::Ident(s) if s == "true" => Lit::Bool(true),
            Tok::Ident(s) if s == "false" => Lit::Bool(false),
            other => {
                return Err(SyntaxError {
                    at,
                    message: format!(
                        "此处应为取值（数字、\"字符串\"、true/false 或日期），实际为{}",
                        describe(&other)
                    ),
                })
            }
        };
        Ok((lit, at))
    }
    fn atom(&mut self) -> Result<Ast, SyntaxError> {
        match self.peek().clone() {
            Tok::LParen => {
                self.bump();
                let e = self.or()?;
                self.expect(Tok::RParen, "与“(”配对的“)”")?;
                Ok(e)
            }
            Tok::Ident(s) if s == "any" => {
                self.bump();
                Ok(Ast::Or(self.list()?))
            }
            Tok::Ident(s) if s == "count" => {
                self.bump();
                let v = self.list()?;
                let op = match self.bump() {
                    (Tok::Cmp(op), _) => op,
                    (other, at) => {
                        return Err(SyntaxError {
                            at,
                            message: format!(
                                "count(...) 之后应为比较运算符，实际为{}",
                                describe(&other)
                            ),
                        })
                    }
                };
                match self.bump() {
                    (Tok::Num(n), _) if n.fract() == 0.0 && n.abs() < 1e9 => {
                        Ok(Ast::Count(v, op, n as i64))
                    }
                    (other, at) => Err(SyntaxError {
                        at,
                        message: format!("count(...) 应与整数比较，实际为{}", describe(&other)),
                    }),
                }
            }
            Tok::Ident(s) if s == "pack" => {
                let at = self.bump().1;
                self.expect(Tok::LParen, "“(”")?;
                let pack = match self.bump() {
                    (Tok::Str(s), _) => s,
                    (other, at) => {
                        return Err(SyntaxError {
                            at,
                            message: format!(
                                "pack(...) 的第一个参数应为带引号的政策包标识，实际为{}",
                                describe(&other)
                            ),
                        })
                    }
                };
                self.expect(Tok::Comma, "“,”")?;
                let article = match self.bump() {
                    (Tok::Str(s), _) => s,
                    (other, at) => {
                        return Err(SyntaxError {
                            at,
                            message: format!(
                                "pack(...) 的第二个参数应为带引号的条文标识，实际为{}",
                                describe(&other)
                            ),
                        })
                    }
                };
                self.expect(Tok::RParen, "“)”")?;
                Ok(Ast::Pack { pack, article, at })
            }
            Tok::Ident(s)
                if !matches!(s.as_str(), "and" | "or" | "not" | "in" | "true" | "false") =>
            {
                let at = self.bump().1;
                let name = Name { name: s, at };
                match self.peek().clone() {
                    Tok::Cmp(op) => {
                        self.bump();
                        let (lit, lat) = self.literal()?;
                        Ok(Ast::Cmp(name, op, lit, lat))
                    }
                    Tok::Ident(k) if k == "in" => {
                        self.bump();
                        self.expect(Tok::LBracket, "“[”")?;
                        let mut v = vec![self.literal()?];
                        while *self.peek() == Tok::Comma {
                            self.bump();
                            v.push(self.literal()?);
                        }
                        self.expect(Tok::RBracket, "“]”")?;
                        Ok(Ast::In(name, v))
                    }
                    _ => Ok(Ast::Fact(name)),
                }
            }
            other => self.err(format!("此处应为事实标识或“(”，实际为{}", describe(&other))),
        }
    }
}

/// Parses a condition. Offsets in errors and names are byte offsets into `src`.
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(SyntaxError {
            at: 0,
            message: "条件为空".into(),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    if *p.peek() != Tok::End {
        return p.err(format!(
            "条件在此处多出了{}（是否缺少“and”或“or”，或括号不配对？）",
            describe(p.peek())
        ));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precedence_and_chinese_connectives() {
        let a = parse("a and b or not c").unwrap();
        assert!(matches!(a, Ast::Or(ref v) if v.len() == 2));
        let b = parse("a和b或非c").unwrap();
        assert!(matches!(b, Ast::Or(ref v) if v.len() == 2));
    }

    #[test]
    fn parses_comparisons_lists_counts_and_pack_atoms() {
        assert!(matches!(
            parse("n >= 3").unwrap(),
            Ast::Cmp(_, CmpOp::Ge, Lit::Num(_), _)
        ));
        assert!(matches!(
            parse("d < 2016-03-01").unwrap(),
            Ast::Cmp(_, CmpOp::Lt, Lit::Date(_), _)
        ));
        assert!(matches!(parse("k in [\"a\", \"b\"]").unwrap(), Ast::In(_, ref v) if v.len() == 2));
        assert!(
            matches!(parse("count(a, b, c) >= 2").unwrap(), Ast::Count(ref v, _, 2) if v.len() == 3)
        );
        assert!(matches!(
            parse("pack(\"004-2016\", \"§21\")").unwrap(),
            Ast::Pack { ref pack, .. } if pack == "004-2016"
        ));
    }

    #[test]
    fn errors_point_at_the_offending_column() {
        let e = parse("(a and b").unwrap_err();
        assert_eq!(e.at, 8);
        assert!(e.message.contains("“)”"), "{}", e.message);
        let e = parse("a and and").unwrap_err();
        assert_eq!(e.at, 6);
        let e = parse("a b").unwrap_err();
        assert_eq!(e.at, 2);
        let e = parse("a == ").unwrap_err();
        assert!(e.message.contains("取值"));
        assert!(parse("").is_err());
        assert!(parse("\"abc").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&src).is_err());
        let src = format!("{}a", "not ".repeat(500));
        assert!(parse(&src).is_err());
    }
}
