//! Reading one pack: TOML (with spans) → a validated [`Pack`]. Every mistake is collected with
//! its file, line, column and section; a pack with any mistake is not returned.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lvzhi_calendar::{parse_date, NaiveDate, Period};
use serde::Deserialize;
use strum::{EnumString, IntoStaticStr, VariantArray};
use toml::Spanned;

use crate::cond::{self, Ast, CmpOp, Lit};
use crate::error::{hint, PackError, PackErrors};

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: S<RawMeta>,
    #[serde(default)]
    article: Vec<S<RawArticle>>,
    #[serde(default)]
    fact: Vec<S<RawFact>>,
    #[serde(default)]
    assertion: Vec<S<RawAssertion>>,
    #[serde(default)]
    rule: Vec<S<RawRule>>,
    #[serde(default)]
    precedence: Vec<S<RawPrecedence>>,
    #[serde(default)]
    period: Vec<S<RawPeriod>>,
    #[serde(default)]
    procedure: Vec<S<RawProcedure>>,
    #[serde(default)]
    xref: Vec<S<RawXref>>,
    #[serde(default)]
    example: Vec<S<RawExample>>,
    #[serde(default)]
    role: Vec<S<RawRole>>,
    #[serde(default)]
    allocation: Vec<S<RawAllocation>>,
    #[serde(default)]
    situation: Vec<S<RawSituation>>,
    #[serde(default)]
    bodies: Option<S<RawBodies>>,
    #[serde(default)]
    notice: Vec<S<RawNotice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    kind: S<String>,
    title: S<String>,
    text: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBodies {
    committee: S<String>,
    #[serde(default)]
    committee_short: String,
    office: S<String>,
    #[serde(default)]
    office_short: String,
    #[serde(default)]
    head: String,
    #[serde(default)]
    articles: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSituation {
    id: S<String>,
    label: String,
    fact: S<String>,
    #[serde(default)]
    articles: Vec<S<String>>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: S<String>,
    title: String,
    #[serde(default)]
    short_title: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    version: String,
    effective: S<String>,
    #[serde(default)]
    until: Option<S<String>>,
    #[serde(default)]
    supersedes: Vec<S<String>>,
    #[serde(default)]
    source: String,
    #[serde(default = "yes")]
    verbatim: bool,
    #[serde(default)]
    note: String,
    #[serde(default)]
    references: Vec<S<String>>,
    /// Packs this one implements locally within their bounds (000 §1: 依据…制定本细则).
    #[serde(default)]
    implements: Vec<S<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    id: S<String>,
    text: String,
    kind: S<String>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    id: S<String>,
    #[serde(rename = "type")]
    ty: S<String>,
    question: String,
    #[serde(default)]
    choices: Vec<S<String>>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    articles: Vec<S<String>>,
    #[serde(default)]
    asked_if: Option<S<String>>,
    #[serde(default)]
    per_person: bool,
    /// The same question in other packs: `"<pack id> <fact id>"`.
    #[serde(default)]
    same_as: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssertion {
    id: S<String>,
    never: S<String>,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: S<String>,
    articles: Vec<S<String>>,
    when: S<String>,
    #[serde(default)]
    outcome: Option<S<String>>,
    #[serde(default)]
    modality: Option<S<String>>,
    #[serde(default)]
    leniency: Vec<S<String>>,
    #[serde(default)]
    group: String,
    #[serde(default)]
    explain: String,
    #[serde(default)]
    kind: Option<S<String>>,
    /// The situation this rule belongs to (a `[[situation]]` id).
    #[serde(default)]
    situation: Option<S<String>>,
    /// General rules this (specific) rule displaces while its situation holds; present (even
    /// empty) on every specific rule.
    #[serde(default)]
    specializes: Option<Vec<S<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrecedence {
    stronger: S<String>,
    weaker: S<String>,
    #[serde(default)]
    articles: Vec<S<String>>,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    id: S<String>,
    period: S<String>,
    #[serde(default)]
    from: String,
    articles: Vec<S<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    local: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    id: S<String>,
    articles: Vec<S<String>>,
    #[serde(default)]
    description: String,
    /// When the step applies (a condition over the pack's facts), for the workflow.
    #[serde(default)]
    when: Option<S<String>>,
    /// The working steps, in order (description only).
    #[serde(default)]
    steps: Vec<String>,
    /// Facts the step gathers or assesses.
    #[serde(default)]
    facts: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawXref {
    from: S<String>,
    cites: S<String>,
    means: S<String>,
    #[serde(default)]
    expect: Option<S<String>>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    id: S<String>,
    #[serde(default)]
    articles: Vec<S<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    facts: BTreeMap<String, S<toml::Value>>,
    #[serde(default)]
    conduct_date: Option<S<String>>,
    #[serde(default)]
    decision_date: Option<S<String>>,
    #[serde(default)]
    people: Vec<S<RawPerson>>,
    expect: S<RawExpect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: String,
    role: S<String>,
    #[serde(default)]
    facts: BTreeMap<String, S<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShare {
    person: String,
    share: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    #[serde(default)]
    outcome: Option<S<String>>,
    #[serde(default)]
    shares: Option<Vec<S<RawShare>>>,
    #[serde(default)]
    modality: Option<S<String>>,
    #[serde(default)]
    leniency: Option<Vec<S<String>>>,
    #[serde(default)]
    fired: Option<Vec<S<String>>>,
    #[serde(default)]
    questions: Option<Vec<S<String>>>,
    /// The mandatory minimum expected with a discretionary excuse.
    #[serde(default)]
    floor: Option<S<RawFloor>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFloor {
    outcome: S<String>,
    #[serde(default)]
    leniency: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: S<String>,
    label: String,
    #[serde(default)]
    articles: Vec<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllocation {
    id: S<String>,
    articles: Vec<S<String>>,
    when: S<String>,
    assign: Vec<S<RawAssign>>,
    #[serde(default)]
    defeats: Vec<S<String>>,
    #[serde(default)]
    explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssign {
    role: S<String>,
    #[serde(default)]
    who: Option<S<String>>,
    share: S<String>,
}

// ---------------------------------------------------------------------------------------------
// The validated model.

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    IntoStaticStr,
    VariantArray,
    EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Exemption,
    Tolerance,
    Exclusion,
    Aggravation,
    None,
    /// 正名: a false accusation found so (001 §29(五), 002 §18) — the officer's name is
    /// publicly cleared.
    NameClearing,
    /// 澄清: a complaint found untrue but not malicious (002 §18) — the result is fed back to a
    /// real-name reporter, or explained within a suitable circle for an anonymous one.
    Clarification,
}

impl Outcome {
    /// The variant whose id is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Exemption => "免责（不予追究）",
            Outcome::Tolerance => "容错",
            Outcome::Exclusion => "不予容错",
            Outcome::Aggravation => "从重追究",
            Outcome::None => "不适用免责容错（依规追究）",
            Outcome::NameClearing => "正名（澄清事实、消除影响）",
            Outcome::Clarification => "举报不实（反馈结果或者说明情况）",
        }
    }
    /// Excuses are what an exclusion or aggravation must defeat (000 §9, DESIGN §4): every
    /// outcome that clears the officer, including 正名 and the clarification of an untrue
    /// complaint — nothing inexcusable may come out as one of them.
    pub fn is_excuse(self) -> bool {
        matches!(
            self,
            Outcome::Exemption
                | Outcome::Tolerance
                | Outcome::NameClearing
                | Outcome::Clarification
        )
    }
    /// What makes a case inexcusable: 不予容错 and 从重.
    pub fn is_bar(self) -> bool {
        matches!(self, Outcome::Exclusion | Outcome::Aggravation)
    }
    /// How lenient an excuse is, for lex specialis (a general rule must not give what the
    /// specific one refuses, or more): tolerance < exemption < clarification < name clearing.
    pub fn excuse_rank(self) -> u8 {
        match self {
            Outcome::Tolerance => 1,
            Outcome::Exemption => 2,
            Outcome::Clarification => 3,
            Outcome::NameClearing => 4,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Modality {
    Shall,
    May,
}

impl Modality {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Modality::Shall => "应当",
            Modality::May => "可以",
        }
    }
}

/// Graded leniency, ordered from least to most lenient.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    IntoStaticStr,
    VariantArray,
    EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Leniency {
    Lighter,
    Reduced,
    Waived,
}

impl Leniency {
    /// The variant whose id is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Leniency::Lighter => "从轻",
            Leniency::Reduced => "减轻",
            Leniency::Waived => "免于追究",
        }
    }
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum ArticleKind {
    Operative,
    Procedural,
    Declarative,
    Organisational,
}

impl ArticleKind {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            ArticleKind::Operative => "实体规定",
            ArticleKind::Procedural => "程序规定",
            ArticleKind::Declarative => "宣示性规定",
            ArticleKind::Organisational => "组织保障规定",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum FactType {
    Bool,
    Choice,
    Number,
    Date,
}

impl FactType {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            FactType::Bool => "是/否（true 或 false）",
            FactType::Choice => "选项（字符串）",
            FactType::Number => "数字",
            FactType::Date => "日期（YYYY-MM-DD）",
        }
    }
}

/// A fact's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Choice(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    pub fn describe(&self) -> String {
        match self {
            Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Value::Choice(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub title: String,
    /// The name notices use after the first mention (`实施细则` for 000); empty: the full title.
    pub short_title: String,
    pub issuer: String,
    pub document_number: String,
    pub version: String,
    pub effective: NaiveDate,
    pub until: Option<NaiveDate>,
    pub supersedes: Vec<String>,
    pub source: String,
    pub verbatim: bool,
    pub note: String,
    pub references: Vec<String>,
    /// Packs this one implements locally (a local implementing rule applies within their
    /// bounds, see `judge.rs`); each is among `references`.
    pub implements: Vec<String>,
}

/// The bodies that carry out a procedure pack's steps and sign its notices (issue 20): the
/// committee that decides and its office that handles the case — 维权委/维权办 (000 §5), 办党组
/// and the 国动办 itself (002 §13), 依法履职保护委员会/办公室 (003). `{org}` in a name stands for
/// the organisation that handles the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bodies {
    pub committee: String,
    /// How notices name the committee after the first mention (`维权委`); empty: in full.
    pub committee_short: String,
    pub office: String,
    pub office_short: String,
    /// The title of the committee's head, who approves its decisions (`主任`).
    pub head: String,
    pub articles: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub text: String,
    pub kind: ArticleKind,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub id: String,
    pub ty: FactType,
    pub question: String,
    pub choices: Vec<String>,
    pub labels: Vec<String>,
    pub articles: Vec<String>,
    pub asked_if: Option<Ast>,
    pub per_person: bool,
    /// The same question in other packs, `(pack id, fact id, byte offset)`: checked when the
    /// packs are linked; each pack is among `references`.
    pub same_as: Vec<(String, String, usize)>,
}

#[derive(Debug, Clone)]
pub struct Assertion {
    pub id: String,
    pub never: Ast,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Decides the outcome; competes with the other decision rules.
    Decision,
    /// States what follows from facts and the outcome (000 §25, §30, §31): it never changes
    /// the outcome, and its condition may read the pseudo-fact `outcome`.
    Consequence,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub articles: Vec<String>,
    pub when: Ast,
    pub outcome: Outcome,
    pub modality: Modality,
    pub leniency: Vec<Leniency>,
    pub group: String,
    pub explain: String,
    pub kind: RuleKind,
    /// The `[[situation]]` this rule belongs to, if any.
    pub situation: Option<String>,
    /// Whether this rule is the specific one for its situation (it declares `specializes`).
    pub specific: bool,
    /// General rules this specific rule displaces while its situation holds (lex specialis).
    pub specializes: Vec<String>,
    /// Byte offset of the condition in the file, for link-time errors.
    pub when_at: usize,
    pub at: usize,
}

#[derive(Debug, Clone)]
pub struct Precedence {
    pub at: usize,
    pub stronger: String,
    pub weaker: String,
    pub articles: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct PeriodDef {
    pub id: String,
    pub period: Period,
    pub from: String,
    pub articles: Vec<String>,
    pub description: String,
    /// Why the length is a local setting (本地设置), when the article sets the step but no
    /// number of days: a unit's own pack may choose another.
    pub local: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Procedure {
    pub id: String,
    pub articles: Vec<String>,
    pub description: String,
    pub when: Option<Ast>,
    pub steps: Vec<String>,
    pub facts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Xref {
    pub from: String,
    pub cites: (String, String),
    pub means: (String, String),
    pub expect: Option<Outcome>,
    pub note: String,
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// An outcome id or `undetermined` (None: only `shares` are checked).
    pub outcome: Option<String>,
    /// Expected responsibility shares: (person, share).
    pub shares: Option<Vec<(String, Share)>>,
    pub modality: Option<Modality>,
    pub leniency: Option<Vec<Leniency>>,
    pub fired: Option<Vec<String>>,
    pub questions: Option<Vec<String>>,
    /// The expected mandatory floor: (outcome, leniency).
    pub floor: Option<(Outcome, Vec<Leniency>)>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub id: String,
    pub articles: Vec<String>,
    pub description: String,
    pub facts: Vec<(String, Value)>,
    pub conduct_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    /// People on the case (responsibility allocation examples, 004 §7–13).
    pub people: Vec<crate::alloc::Person>,
    pub expect: Expect,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub label: String,
    pub articles: Vec<String>,
}

/// The responsibility shares of 004 §7–13.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, IntoStaticStr, VariantArray, EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Share {
    All,
    Main,
    Separate,
    Liable,
    Secondary,
    NotLiable,
}

impl Share {
    /// The variant whose id is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Share::All => "全部责任",
            Share::Main => "主要责任",
            Share::Separate => "分别承担责任",
            Share::Liable => "承担责任",
            Share::Secondary => "次要责任",
            Share::NotLiable => "不承担责任",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Assign {
    /// A role id, or `any` for whoever matches `who` (004 §10 直接责任人员).
    pub role: String,
    /// A per-person fact the person must have (true) to be assigned.
    pub who: Option<String>,
    pub share: Share,
}

#[derive(Debug, Clone)]
pub struct Allocation {
    pub id: String,
    pub articles: Vec<String>,
    pub when: Ast,
    pub assign: Vec<Assign>,
    pub defeats: Vec<String>,
    pub explain: String,
}

/// A kind of situation a case can be in (000 §7's weapons, custody, self-harm …): what the
/// situation-first interview asks first, and what a specific article governs.
#[derive(Debug, Clone)]
pub struct Situation {
    pub id: String,
    /// The option as the user reads it (Chinese).
    pub label: String,
    /// The bool fact that holds exactly when the case is in this situation.
    pub fact: String,
    pub articles: Vec<String>,
    pub note: String,
}

/// A validated pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub file: String,
    pub meta: Meta,
    pub articles: Vec<Article>,
    pub facts: Vec<Fact>,
    pub assertions: Vec<Assertion>,
    pub rules: Vec<Rule>,
    pub precedences: Vec<Precedence>,
    pub periods: Vec<PeriodDef>,
    pub procedures: Vec<Procedure>,
    pub xrefs: Vec<Xref>,
    pub examples: Vec<Example>,
    pub roles: Vec<Role>,
    pub allocations: Vec<Allocation>,
    pub situations: Vec<Situation>,
    /// The bodies of its procedure, where the pack is one (`[bodies]`).
    pub bodies: Option<Bodies>,
    /// The texts of its procedure's notices (`[[notice]]`, issue 20 item 2), in the pack's
    /// order; empty when the pack words none.
    pub notices: Vec<crate::notice::NoticeTemplate>,
    pub(crate) loc: Locator,
    /// Expected fired rules not in this pack: (rule id, offset, section), checked at link.
    pub(crate) deferred_fired: Vec<(String, usize, String)>,
}

impl Pack {
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.id == id)
    }
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
    pub fn situation(&self, id: &str) -> Option<&Situation> {
        self.situations.iter().find(|s| s.id == id)
    }
    /// The procedural periods by id (what the workflow reads).
    pub fn period_map(&self) -> BTreeMap<String, Period> {
        self.periods
            .iter()
            .map(|p| (p.id.clone(), p.period))
            .collect()
    }
    /// Whether the pack is in force on `d`.
    pub fn in_force(&self, d: NaiveDate) -> bool {
        self.meta.effective <= d && self.meta.until.is_none_or(|u| d <= u)
    }
    /// An error at a byte offset of this pack's file.
    pub fn error_at(&self, at: usize, section: &str, message: String) -> PackError {
        self.loc.error(at, section, message)
    }
}

/// Turns byte offsets into line and column (columns count characters, from 1).
#[derive(Debug, Clone)]
pub(crate) struct Locator {
    file: String,
    text: String,
}

impl Locator {
    pub(crate) fn error(&self, at: usize, section: &str, message: String) -> PackError {
        let at = at.min(self.text.len());
        let mut at = at;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        PackError {
            file: self.file.clone(),
            line,
            column,
            section: section.to_string(),
            message,
        }
    }

    /// Where the condition text of a string value starts (after its opening quotes).
    fn string_start(&self, span: &std::ops::Range<usize>) -> usize {
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            let mut s = span.start + 3;
            // A newline right after the opening quotes is not part of the value.
            if self.text.get(s..s + 1) == Some("\n") {
                s += 1;
            }
            s
        } else {
            span.start + 1
        }
    }

    /// The byte offset in the file of byte `offset` of the string `value` written at `span`:
    /// exact when the value is written as it reads (no escapes), else the string's start.
    fn value_offset(&self, span: &std::ops::Range<usize>, value: &str, offset: usize) -> usize {
        let start = self.string_start(span);
        if self.text.get(start..start + value.len()) == Some(value) {
            start + offset
        } else {
            span.start
        }
    }
}

/// Canonical pack + article reference: `"004 §21"` → `("004", "§21")`.
pub fn split_citation(s: &str) -> Option<(String, String)> {
    let (p, a) = s.trim().split_once(' ')?;
    let a = a.trim();
    if p.is_empty() || !a.starts_with('§') {
        return None;
    }
    Some((p.to_string(), a.to_string()))
}

/// Whether article id `child` is `parent` or one of its items / paragraphs: `§7(一)` is in `§7`.
pub fn article_within(child: &str, parent: &str) -> bool {
    child == parent
        || child
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('(') || rest.starts_with('¶'))
}

struct Ctx<'a> {
    loc: &'a Locator,
    errors: Vec<PackError>,
}

impl Ctx<'_> {
    fn err(&mut self, at: usize, section: &str, message: String) {
        self.errors.push(self.loc.error(at, section, message));
    }
}

/// What kind of literal a fact compares with.
fn literal_fits(ty: FactType, lit: &Lit) -> bool {
    matches!(
        (ty, lit),
        (FactType::Bool, Lit::Bool(_))
            | (FactType::Choice, Lit::Str(_))
            | (FactType::Number, Lit::Num(_))
            | (FactType::Date, Lit::Date(_))
    )
}

/// Which facts a condition may read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Case facts only (`when` of decision rules, `never`, `asked_if`).
    Case,
    /// Case facts and the pseudo-fact `outcome` (consequence rules).
    WithOutcome,
    /// Case facts and `role.fact` per-person facts (allocations).
    Roles,
}

const OUTCOME_VALUES: [&str; 7] = [
    "exemption",
    "tolerance",
    "exclusion",
    "aggravation",
    "none",
    "name_clearing",
    "clarification",
];

/// Parses and checks a condition; errors name the section and point at the column.
fn condition(
    ctx: &mut Ctx,
    facts: &HashMap<String, (FactType, Vec<String>, bool)>,
    roles: &BTreeSet<String>,
    src: &S<String>,
    section: &str,
    what: &str,
    scope: Scope,
) -> Option<Ast> {
    let base = ctx.loc.string_start(&src.span());
    let ast = match cond::parse(src.get_ref()) {
        Ok(a) => a,
        Err(e) => {
            ctx.err(
                base + e.at,
                section,
                format!("{section} 的{what}有语法错误：{}", e.message),
            );
            return None;
        }
    };
    let mut ok = true;
    check_names(ctx, facts, roles, &ast, base, section, what, scope, &mut ok);
    ok.then_some(ast)
}

#[allow(clippy::too_many_arguments)]
fn check_names(
    ctx: &mut Ctx,
    facts: &HashMap<String, (FactType, Vec<String>, bool)>,
    roles: &BTreeSet<String>,
    ast: &Ast,
    base: usize,
    section: &str,
    what: &str,
    scope: Scope,
    ok: &mut bool,
) {
    let mut rec =
        |a: &Ast, ok: &mut bool| check_names(ctx, facts, roles, a, base, section, what, scope, ok);
    match ast {
        Ast::Not(a) => rec(a, ok),
        Ast::And(v) | Ast::Or(v) | Ast::Count(v, ..) => v.iter().for_each(|a| rec(a, ok)),
        Ast::Pack { .. } => {}
        Ast::Fact(n) | Ast::Cmp(n, ..) | Ast::In(n, _) => {
            let at = base + n.at;
            if n.name == "outcome" && scope == Scope::WithOutcome {
                let lits: Vec<(&Lit, usize)> = match ast {
                    Ast::Cmp(_, CmpOp::Eq | CmpOp::Ne, l, lat) => {
                        vec![(l, *lat)]
                    }
                    Ast::In(_, v) => v.iter().map(|(l, a)| (l, *a)).collect(),
                    _ => {
                        ctx.err(
                            at,
                            section,
                            format!(
                                "{section} 的{what}中，outcome 只能用 ==、!= 或 in 与结果标识比较"
                            ),
                        );
                        *ok = false;
                        return;
                    }
                };
                for (l, lat) in lits {
                    if !matches!(l, Lit::Str(s) if OUTCOME_VALUES.contains(&s.as_str())) {
                        ctx.err(
                            base + lat,
                            section,
                            format!(
                                "{section} 的{what}中，outcome 的取值 {} 无效（可选值：{}）",
                                l.describe(),
                                OUTCOME_VALUES.join("、")
                            ),
                        );
                        *ok = false;
                    }
                }
                return;
            }
            let (fact_name, per_person_ref) = match n.name.split_once('.') {
                Some((role, f)) if scope == Scope::Roles => {
                    if !roles.contains(role) {
                        ctx.err(
                            at,
                            section,
                            format!(
                                "{section} 的{what}引用了未定义的角色“{role}”{}",
                                hint(role, roles.iter().map(String::as_str))
                            ),
                        );
                        *ok = false;
                        return;
                    }
                    (f, true)
                }
                _ => (n.name.as_str(), false),
            };
            let Some((ty, choices, per_person)) = facts.get(fact_name) else {
                let known = facts
                    .iter()
                    .filter(|(_, v)| v.2 == per_person_ref)
                    .map(|(k, _)| k.as_str());
                ctx.err(
                    at,
                    section,
                    format!(
                        "{section} 的{what}引用了未定义的事实“{fact_name}”{}",
                        hint(fact_name, known)
                    ),
                );
                *ok = false;
                return;
            };
            if *per_person != per_person_ref {
                let msg = if *per_person {
                    format!("{section} 的{what}中，“{fact_name}”是逐人事实，应写作“角色.{fact_name}”并只用于 [[allocation]]")
                } else {
                    format!("{section} 的{what}中，“{fact_name}”不是逐人事实，不能加角色前缀")
                };
                ctx.err(at, section, msg);
                *ok = false;
                return;
            }
            let lits: Vec<(&Lit, usize)> = match ast {
                Ast::Fact(_) => {
                    if *ty != FactType::Bool {
                        ctx.err(
                            at,
                            section,
                            format!(
                                "{section} 的{what}中，事实“{fact_name}”的类型为{}，不能单独作为条件，须与取值比较",
                                ty.zh()
                            ),
                        );
                        *ok = false;
                    }
                    vec![]
                }
                Ast::Cmp(_, op, l, lat) => {
                    if matches!(ty, FactType::Bool | FactType::Choice)
                        && !matches!(op, CmpOp::Eq | CmpOp::Ne)
                    {
                        ctx.err(
                            base + lat,
                            section,
                            format!(
                                "{section} 的{what}中，事实“{fact_name}”的类型为{}，只能用 == 或 != 比较",
                                ty.zh()
                            ),
                        );
                        *ok = false;
                    }
                    vec![(l, *lat)]
                }
                Ast::In(_, v) => v.iter().map(|(l, a)| (l, *a)).collect(),
                _ => vec![],
            };
            for (l, lat) in lits {
                if !literal_fits(*ty, l) {
                    ctx.err(
                        base + lat,
                        section,
                        format!(
                            "{section} 的{what}中，事实“{fact_name}”的类型为{}，不能与 {} 比较",
                            ty.zh(),
                            l.describe()
                        ),
                    );
                    *ok = false;
                } else if let Lit::Str(s) = l {
                    if !choices.contains(s) {
                        ctx.err(
                            base + lat,
                            section,
                            format!(
                                "{section} 的{what}中，“{s}”不是事实“{fact_name}”的可选值（可选值：{}）",
                                choices.join("、")
                            ),
                        );
                        *ok = false;
                    }
                }
            }
        }
    }
}

fn dup(ctx: &mut Ctx, seen: &mut HashMap<String, usize>, id: &S<String>, what: &str) {
    if id.get_ref().trim().is_empty() {
        ctx.err(id.span().start, what, format!("{what}的 id 不能为空"));
        return;
    }
    if let Some(first) = seen.get(id.get_ref()) {
        let line = ctx.loc.error(*first, "", String::new()).line;
        ctx.err(
            id.span().start,
            &format!("{what} {}", id.get_ref()),
            format!("{what} id“{}”重复（第 {line} 行已定义）", id.get_ref()),
        );
    } else {
        seen.insert(id.get_ref().clone(), id.span().start);
    }
}

fn date(ctx: &mut Ctx, s: &S<String>, section: &str, what: &str) -> Option<NaiveDate> {
    let d = parse_date(s.get_ref());
    if d.is_none() {
        ctx.err(
            s.span().start,
            section,
            format!(
                "{section} 的{what}“{}”不是有效日期（应为 YYYY-MM-DD）",
                s.get_ref()
            ),
        );
    }
    d
}

fn article_refs(
    ctx: &mut Ctx,
    articles: &BTreeSet<String>,
    refs: &[S<String>],
    section: &str,
    required: bool,
    at: usize,
) -> Vec<String> {
    if required && refs.is_empty() {
        ctx.err(
            at,
            section,
            format!("{section} 未注明所依据的条文（articles）"),
        );
    }
    for r in refs {
        if !articles.contains(r.get_ref()) {
            ctx.err(
                r.span().start,
                section,
                format!(
                    "{section} 引用的条文“{}”在本政策包中不存在{}",
                    r.get_ref(),
                    hint(r.get_ref(), articles.iter().map(String::as_str))
                ),
            );
        }
    }
    refs.iter().map(|r| r.get_ref().clone()).collect()
}

/// A body's name in `[bodies]`: not empty, and `{org}` the only placeholder (the organisation
/// that handles the case), so that every name a notice signs with is the pack's own.
fn body_name(ctx: &mut Ctx, name: &S<String>) {
    let text = name.get_ref();
    if text.trim().is_empty() {
        ctx.err(
            name.span().start,
            "[bodies]",
            "[bodies] 的机构名称不能为空".into(),
        );
        return;
    }
    let rest = text.replace("{org}", "");
    if rest.contains('{') || rest.contains('}') {
        ctx.err(
            name.span().start,
            "[bodies]",
            format!("[bodies] 的机构名称“{text}”只能使用占位符 {{org}}（办理案件的单位名称）"),
        );
    }
}

/// The pack's notice texts (`[[notice]]`, issue 20 item 2): each kind known and worded once; a
/// process's every notice that the pack's steps issue worded when any notice of that process
/// is; each template well formed, using only its kind's values and citing only the pack's own
/// articles.
fn notices(
    ctx: &mut Ctx,
    raw: &[S<RawNotice>],
    article_ids: &BTreeSet<String>,
    step_ids: &BTreeSet<String>,
) -> Vec<crate::notice::NoticeTemplate> {
    use crate::notice::{self, Placeholder};
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in raw {
        let at = n.span().start;
        let n = n.get_ref();
        let id = n.kind.get_ref().trim();
        let Some(kind) = notice::kind(id) else {
            ctx.err(
                n.kind.span().start,
                "[[notice]]",
                format!(
                    "[[notice]] 的通知种类（kind）“{id}”不存在{}",
                    hint(id, notice::kinds().map(|k| k.id))
                ),
            );
            continue;
        };
        let section = format!("通知 {id}");
        if let Some(first) = seen.get(id) {
            let line = ctx.loc.error(*first, "", String::new()).line;
            ctx.err(
                n.kind.span().start,
                &section,
                format!("{section}（{}）重复（第 {line} 行已定义）", kind.name),
            );
            continue;
        }
        seen.insert(id.to_string(), at);
        if n.title.get_ref().trim().is_empty() {
            ctx.err(
                n.title.span().start,
                &section,
                format!("{section}（{}）的标题（title）不能为空", kind.name),
            );
        }
        // The title may use the kind's values too (a report names its officer), on one line.
        let mut ok = true;
        let mut parsed = Vec::new();
        for (field, what, is_title) in [(&n.title, "标题", true), (&n.text, "文本模板", false)]
        {
            let src = field.get_ref();
            let span = field.span();
            // A title is read trimmed; `lead` maps its offsets back into the value as written.
            let lead = if is_title {
                src.len() - src.trim_start().len()
            } else {
                0
            };
            let body = if is_title { src.trim() } else { src.as_str() };
            let checked = if is_title && body.contains('\n') {
                Err(notice::TemplateError {
                    offset: 0,
                    line: 1,
                    column: 1,
                    message: "标题只能写在一行内".into(),
                })
            } else {
                notice::parse_template(body)
            };
            let template = match checked {
                Ok(t) => t,
                Err(e) => {
                    let at = ctx.loc.value_offset(&span, src, lead + e.offset);
                    ctx.err(
                        at,
                        &section,
                        format!("{section}（{}）的{what}有误：{}", kind.name, e.message),
                    );
                    ok = false;
                    continue;
                }
            };
            for (p, offset) in template.placeholders() {
                let at = ctx.loc.value_offset(&span, src, lead + offset);
                let wrong = match &p {
                    Placeholder::Value(name) if kind.flags.contains(&name.as_str()) => {
                        Some(format!(
                            "“{name}”只表示是否具备，只能用作条件：{{if:{name}}} 或 {{unless:{name}}}"
                        ))
                    }
                    Placeholder::Value(name) | Placeholder::Guard(name) if !kind.allows(name) => {
                        let known = ["signer", "date"]
                            .into_iter()
                            .chain(kind.values.iter().copied())
                            .chain(kind.flags.iter().copied());
                        Some(format!(
                            "占位符“{name}”不是该通知可用的内容{}；可用：{}",
                            hint(name, known.clone()),
                            known.collect::<Vec<_>>().join("、")
                        ))
                    }
                    Placeholder::Article(a) if !article_ids.contains(a) => Some(format!(
                        "引用的条文“{a}”在本政策包中不存在{}",
                        hint(a, article_ids.iter().map(String::as_str))
                    )),
                    _ => None,
                };
                if let Some(message) = wrong {
                    ok = false;
                    ctx.err(
                        at,
                        &section,
                        format!("{section}（{}）的{what}有误：{message}", kind.name),
                    );
                }
            }
            parsed.push(template);
        }
        let (Some(text), Some(title), true) = (parsed.pop(), parsed.pop(), ok) else {
            continue;
        };
        out.push(notice::NoticeTemplate {
            kind: id.to_string(),
            title,
            text,
        });
    }
    // Completeness, per process: the kinds its steps in this pack issue.
    for group in notice::PROCESSES {
        let worded = |k: &notice::NoticeKind| seen.get(k.id).copied();
        let Some(first) = group.iter().filter_map(worded).min() else {
            continue;
        };
        let missing: Vec<String> = group
            .iter()
            .filter(|k| worded(k).is_none())
            .filter(|k| k.steps.is_empty() || k.steps.iter().any(|s| step_ids.contains(*s)))
            .map(|k| format!("{}（{}）", k.id, k.name))
            .collect();
        if !missing.is_empty() {
            ctx.err(
                first,
                "[[notice]]",
                format!(
                    "[[notice]] 缺少以下通知的文本模板：{}；政策包载明某一程序的通知文本的，应当载明该程序各步骤的全部通知",
                    missing.join("、")
                ),
            );
        }
    }
    out
}

/// Converts a TOML value given for a fact (examples) to a typed value.
fn toml_value(ty: FactType, choices: &[String], v: &toml::Value) -> Result<Value, String> {
    match (ty, v) {
        (FactType::Bool, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
        (FactType::Number, toml::Value::Integer(i)) => Ok(Value::Number(*i as f64)),
        (FactType::Number, toml::Value::Float(f)) => Ok(Value::Number(*f)),
        (FactType::Date, toml::Value::String(s)) => parse_date(s)
            .map(Value::Date)
            .ok_or_else(|| format!("“{s}”不是有效日期（应为 YYYY-MM-DD）")),
        (FactType::Date, toml::Value::Datetime(d)) => parse_date(&d.to_string())
            .map(Value::Date)
            .ok_or_else(|| format!("“{d}”不是有效日期（应为 YYYY-MM-DD）")),
        (FactType::Choice, toml::Value::String(s)) => {
            if choices.contains(s) {
                Ok(Value::Choice(s.clone()))
            } else {
                Err(format!("“{s}”不是可选值（可选值：{}）", choices.join("、")))
            }
        }
        _ => Err(format!("类型应为{}", ty.zh())),
    }
}

/// Parses and validates one pack. `file` is how errors name it (e.g. `packs/000.toml`).
pub fn parse_pack(file: &str, text: &str) -> Result<Pack, PackErrors> {
    let loc = Locator {
        file: file.to_string(),
        text: text.to_string(),
    };
    let raw: RawPack = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let section = section_at(text, at);
            let msg = translate_toml(e.message());
            let message = if section.is_empty() {
                format!("TOML 格式有误：{msg}")
            } else {
                format!("{section} 附近 TOML 格式有误：{msg}")
            };
            return Err(PackErrors(vec![loc.error(at, &section, message)]));
        }
    };
    let mut ctx = Ctx {
        loc: &loc,
        errors: Vec::new(),
    };

    // [pack]
    let m = raw.pack.get_ref();
    let meta_at = raw.pack.span().start;
    if m.id.get_ref().trim().is_empty() || m.id.get_ref().contains(char::is_whitespace) {
        ctx.err(
            m.id.span().start,
            "[pack]",
            "[pack] 的 id 不能为空，也不能含空格".into(),
        );
    }
    let effective = date(&mut ctx, &m.effective, "[pack]", "生效日期（effective）");
    let until = m
        .until
        .as_ref()
        .and_then(|u| date(&mut ctx, u, "[pack]", "失效日期（until）"));
    for i in &m.implements {
        if i.get_ref() == m.id.get_ref() {
            ctx.err(
                i.span().start,
                "[pack]",
                "[pack] 的 implements 不能包含本政策包自身".into(),
            );
        } else if !m.references.iter().any(|r| r.get_ref() == i.get_ref()) {
            ctx.err(
                i.span().start,
                "[pack]",
                format!(
                    "[pack] 的 implements 所列政策包“{}”未列入 references",
                    i.get_ref()
                ),
            );
        }
    }
    if let (Some(e), Some(u)) = (effective, until) {
        if u < e {
            ctx.err(
                meta_at,
                "[pack]",
                "[pack] 的失效日期（until）早于生效日期（effective）".into(),
            );
        }
    }

    // [[article]]
    let mut seen = HashMap::new();
    let mut articles = Vec::new();
    for a in &raw.article {
        let a = a.get_ref();
        dup(&mut ctx, &mut seen, &a.id, "条文");
        if !a.id.get_ref().starts_with('§') {
            ctx.err(
                a.id.span().start,
                &format!("条文 {}", a.id.get_ref()),
                format!(
                    "条文 id“{}”应以“§”开头，如 §7、§7(一)、§8¶2",
                    a.id.get_ref()
                ),
            );
        }
        let kind = match a.kind.get_ref().as_str() {
            "operative" => ArticleKind::Operative,
            "procedural" => ArticleKind::Procedural,
            "declarative" => ArticleKind::Declarative,
            "organisational" | "organizational" => ArticleKind::Organisational,
            other => {
                ctx.err(
                    a.kind.span().start,
                    &format!("条文 {}", a.id.get_ref()),
                    format!(
                        "条文 {} 的类别“{other}”无效（可选值：operative、procedural、declarative、organisational）",
                        a.id.get_ref()
                    ),
                );
                ArticleKind::Declarative
            }
        };
        articles.push(Article {
            id: a.id.get_ref().clone(),
            text: a.text.clone(),
            kind,
            note: a.note.clone(),
        });
    }
    let article_ids: BTreeSet<String> = articles.iter().map(|a| a.id.clone()).collect();

    // [[role]] (before facts: role-prefixed names are checked against them)
    let mut seen = HashMap::new();
    let mut roles = Vec::new();
    for r in &raw.role {
        let at = r.span().start;
        let r = r.get_ref();
        dup(&mut ctx, &mut seen, &r.id, "角色");
        let section = format!("角色 {}", r.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &r.articles, &section, false, at);
        roles.push(Role {
            id: r.id.get_ref().clone(),
            label: r.label.clone(),
            articles: arts,
        });
    }
    let role_ids: BTreeSet<String> = roles.iter().map(|r| r.id.clone()).collect();

    // [[fact]]: types first, so conditions anywhere can be checked.
    let mut seen = HashMap::new();
    let mut fact_types: HashMap<String, (FactType, Vec<String>, bool)> = HashMap::new();
    for f in &raw.fact {
        let f = f.get_ref();
        dup(&mut ctx, &mut seen, &f.id, "事实");
        let section = format!("事实 {}", f.id.get_ref());
        let id = f.id.get_ref();
        if id == "outcome"
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || id.starts_with(|c: char| c.is_ascii_digit())
        {
            ctx.err(
                f.id.span().start,
                &section,
                format!("事实 id“{id}”无效：应为小写英文字母、数字和下划线组成的标识（且不能为 outcome）"),
            );
        }
        let ty = match f.ty.get_ref().as_str() {
            "bool" => FactType::Bool,
            "choice" => FactType::Choice,
            "number" => FactType::Number,
            "date" => FactType::Date,
            other => {
                ctx.err(
                    f.ty.span().start,
                    &section,
                    format!("{section} 的类型“{other}”无效（可选值：bool、choice、number、date）"),
                );
                FactType::Bool
            }
        };
        let choices: Vec<String> = f.choices.iter().map(|c| c.get_ref().clone()).collect();
        if ty == FactType::Choice && choices.is_empty() {
            ctx.err(
                f.ty.span().start,
                &section,
                format!("{section} 的类型为 choice，须给出 choices"),
            );
        }
        if ty != FactType::Choice && !choices.is_empty() {
            ctx.err(
                f.ty.span().start,
                &section,
                format!("{section} 的类型不是 choice，不应给出 choices"),
            );
        }
        if !f.labels.is_empty() && f.labels.len() != choices.len() {
            ctx.err(
                f.ty.span().start,
                &section,
                format!(
                    "{section} 的 labels 有 {} 项，choices 有 {} 项，应一一对应",
                    f.labels.len(),
                    choices.len()
                ),
            );
        }
        let mut cs = BTreeSet::new();
        for c in &f.choices {
            if !cs.insert(c.get_ref()) {
                ctx.err(
                    c.span().start,
                    &section,
                    format!("{section} 的可选值“{}”重复", c.get_ref()),
                );
            }
        }
        if f.question.trim().is_empty() {
            ctx.err(
                f.id.span().start,
                &section,
                format!("{section} 缺少提问（question）"),
            );
        }
        fact_types.insert(id.clone(), (ty, choices, f.per_person));
    }
    let mut facts = Vec::new();
    for f in &raw.fact {
        let at = f.span().start;
        let f = f.get_ref();
        let section = format!("事实 {}", f.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &f.articles, &section, false, at);
        let asked_if = f.asked_if.as_ref().and_then(|c| {
            condition(
                &mut ctx,
                &fact_types,
                &role_ids,
                c,
                &section,
                "提问前提（asked_if）",
                Scope::Case,
            )
        });
        let (ty, choices, per_person) =
            fact_types
                .get(f.id.get_ref())
                .cloned()
                .unwrap_or((FactType::Bool, vec![], false));
        let mut same_as = Vec::new();
        for x in &f.same_as {
            let at = x.span().start;
            match x.get_ref().trim().split_once(' ') {
                Some((pid, fid)) if !pid.is_empty() && !fid.trim().is_empty() => {
                    if pid == m.id.get_ref() {
                        ctx.err(at, &section, format!("{section} 的 same_as“{}”指向本政策包自身", x.get_ref()));
                    } else if !m.references.iter().any(|r| r.get_ref() == pid) {
                        ctx.err(
                            at,
                            &section,
                            format!("{section} 的 same_as 所指的政策包“{pid}”未列入 [pack] 的 references"),
                        );
                    } else if per_person {
                        ctx.err(at, &section, format!("{section} 是逐人事实，不能声明 same_as"));
                    } else {
                        same_as.push((pid.to_string(), fid.trim().to_string(), at));
                    }
                }
                _ => ctx.err(
                    at,
                    &section,
                    format!(
                        "{section} 的 same_as“{}”格式有误：应为“政策包 id 事实 id”，如“001 timely_rescue”",
                        x.get_ref()
                    ),
                ),
            }
        }
        facts.push(Fact {
            id: f.id.get_ref().clone(),
            ty,
            question: f.question.clone(),
            choices,
            labels: f.labels.clone(),
            articles: arts,
            asked_if,
            per_person,
            same_as,
        });
    }

    // [[assertion]]
    let mut seen = HashMap::new();
    let mut assertions = Vec::new();
    for a in &raw.assertion {
        let a = a.get_ref();
        dup(&mut ctx, &mut seen, &a.id, "断言");
        let section = format!("断言 {}", a.id.get_ref());
        if let Some(never) = condition(
            &mut ctx,
            &fact_types,
            &role_ids,
            &a.never,
            &section,
            "条件（never）",
            Scope::Case,
        ) {
            assertions.push(Assertion {
                id: a.id.get_ref().clone(),
                never,
                message: a.message.clone(),
            });
        }
    }

    // [[situation]]
    let mut seen = HashMap::new();
    let mut situations = Vec::new();
    for x in &raw.situation {
        let at = x.span().start;
        let x = x.get_ref();
        dup(&mut ctx, &mut seen, &x.id, "情形");
        let section = format!("情形 {}", x.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &x.articles, &section, false, at);
        match fact_types.get(x.fact.get_ref()) {
            Some((FactType::Bool, _, false)) => {}
            Some(_) => ctx.err(
                x.fact.span().start,
                &section,
                format!(
                    "{section} 的 fact“{}”应为是/否类型的案件事实（不能是逐人事实）",
                    x.fact.get_ref()
                ),
            ),
            None => ctx.err(
                x.fact.span().start,
                &section,
                format!(
                    "{section} 的 fact“{}”未定义{}",
                    x.fact.get_ref(),
                    hint(x.fact.get_ref(), fact_types.keys().map(String::as_str))
                ),
            ),
        }
        if x.label.trim().is_empty() {
            ctx.err(at, &section, format!("{section} 缺少选项文字（label）"));
        }
        situations.push(Situation {
            id: x.id.get_ref().clone(),
            label: x.label.clone(),
            fact: x.fact.get_ref().clone(),
            articles: arts,
            note: x.note.clone(),
        });
    }
    let situation_ids: BTreeSet<String> = situations.iter().map(|x| x.id.clone()).collect();

    // [[rule]]
    let mut seen = HashMap::new();
    let mut rules = Vec::new();
    for r in &raw.rule {
        let at = r.span().start;
        let r = r.get_ref();
        dup(&mut ctx, &mut seen, &r.id, "规则");
        let section = format!("规则 {}", r.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &r.articles, &section, true, at);
        let kind = match r.kind.as_ref().map(|k| k.get_ref().as_str()) {
            None | Some("decision") => RuleKind::Decision,
            Some("consequence") => RuleKind::Consequence,
            Some(other) => {
                let span = r.kind.as_ref().map_or(at, |k| k.span().start);
                ctx.err(
                    span,
                    &section,
                    format!("{section} 的 kind“{other}”无效（可选值：decision、consequence）"),
                );
                RuleKind::Decision
            }
        };
        let scope = if kind == RuleKind::Consequence {
            Scope::WithOutcome
        } else {
            Scope::Case
        };
        let when = condition(
            &mut ctx,
            &fact_types,
            &role_ids,
            &r.when,
            &section,
            "条件",
            scope,
        );
        let out_at = r
            .outcome
            .as_ref()
            .map_or(r.when.span().start, |o| o.span().start);
        let outcome = match (&r.outcome, kind) {
            (Some(o), _) => {
                let x = Outcome::parse(o.get_ref());
                if x.is_none() {
                    ctx.err(
                        o.span().start,
                        &section,
                        format!(
                            "{section} 的结果“{}”无效（可选值：exemption、tolerance、exclusion、aggravation、none、name_clearing、clarification）",
                            o.get_ref()
                        ),
                    );
                }
                x
            }
            // A consequence never decides the outcome (docs/policy-packs.md).
            (None, RuleKind::Consequence) => Some(Outcome::None),
            (None, RuleKind::Decision) => {
                ctx.err(at, &section, format!("{section} 缺少结果（outcome）"));
                None
            }
        };
        let modality = match r.modality.as_ref().map(|m| m.get_ref().as_str()) {
            Some("shall") => Some(Modality::Shall),
            Some("may") => Some(Modality::May),
            Some(other) => {
                let span = r.modality.as_ref().map_or(at, |m| m.span().start);
                ctx.err(
                    span,
                    &section,
                    format!("{section} 的 modality“{other}”无效（可选值：shall 应当、may 可以）"),
                );
                None
            }
            None if kind == RuleKind::Consequence => Some(Modality::Shall),
            None => {
                ctx.err(
                    out_at,
                    &section,
                    format!(
                        "{section} 缺少 modality：每个结果都须注明 shall（应当）或 may（可以）"
                    ),
                );
                None
            }
        };
        let mut leniency = Vec::new();
        for l in &r.leniency {
            match Leniency::parse(l.get_ref()) {
                Some(x) if !leniency.contains(&x) => leniency.push(x),
                Some(_) => ctx.err(
                    l.span().start,
                    &section,
                    format!("{section} 的 leniency 中“{}”重复", l.get_ref()),
                ),
                None => ctx.err(
                    l.span().start,
                    &section,
                    format!(
                        "{section} 的 leniency“{}”无效（可选值：lighter 从轻、reduced 减轻、waived 免于追究）",
                        l.get_ref()
                    ),
                ),
            }
        }
        leniency.sort();
        if outcome == Some(Outcome::Tolerance) && r.leniency.is_empty() {
            ctx.err(
                out_at,
                &section,
                format!("{section} 的结果为容错（tolerance），须注明 leniency（从轻、减轻、免于追究中的一项或几项）"),
            );
        }
        if outcome.is_some_and(|o| o != Outcome::Tolerance) && !r.leniency.is_empty() {
            ctx.err(
                out_at,
                &section,
                format!("{section} 的结果不是容错（tolerance），不应注明 leniency"),
            );
        }
        if let (Some(when), Some(outcome), Some(modality)) = (when, outcome, modality) {
            rules.push(Rule {
                id: r.id.get_ref().clone(),
                articles: arts,
                when,
                outcome,
                modality,
                leniency,
                group: r.group.clone(),
                explain: r.explain.clone(),
                kind,
                situation: r.situation.as_ref().map(|x| x.get_ref().clone()),
                specific: r.specializes.is_some(),
                specializes: r
                    .specializes
                    .iter()
                    .flatten()
                    .map(|x| x.get_ref().clone())
                    .collect(),
                when_at: loc.string_start(&r.when.span()),
                at,
            });
        }
    }
    let rule_ids: BTreeSet<String> = raw
        .rule
        .iter()
        .map(|r| r.get_ref().id.get_ref().clone())
        .collect();
    // Lex specialis (DESIGN §4): a specific rule names the situation it governs and the
    // general rules it displaces there; both must exist and be decision rules.
    let decision_ids: BTreeSet<String> = raw
        .rule
        .iter()
        .filter(|r| {
            r.get_ref()
                .kind
                .as_ref()
                .is_none_or(|k| k.get_ref() != "consequence")
        })
        .map(|r| r.get_ref().id.get_ref().clone())
        .collect();
    for r in &raw.rule {
        let at = r.span().start;
        let r = r.get_ref();
        let section = format!("规则 {}", r.id.get_ref());
        let consequence = r
            .kind
            .as_ref()
            .is_some_and(|k| k.get_ref() == "consequence");
        if let Some(x) = &r.situation {
            if !situation_ids.contains(x.get_ref()) {
                ctx.err(
                    x.span().start,
                    &section,
                    format!(
                        "{section} 的 situation“{}”未定义{}",
                        x.get_ref(),
                        hint(x.get_ref(), situation_ids.iter().map(String::as_str))
                    ),
                );
            }
        }
        let specializes: &[S<String>] = r.specializes.as_deref().unwrap_or(&[]);
        if r.specializes.is_some() {
            if consequence {
                ctx.err(
                    at,
                    &section,
                    format!("{section} 是附随后果规则，不能声明 specializes"),
                );
            }
            if r.situation.is_none() {
                ctx.err(
                    at,
                    &section,
                    format!("{section} 声明了 specializes（特别规定），须以 situation 注明其所规定的情形"),
                );
            }
        }
        for g in specializes {
            if g.get_ref() == r.id.get_ref() {
                ctx.err(
                    g.span().start,
                    &section,
                    format!("{section} 的 specializes 不能包含自身"),
                );
            } else if !decision_ids.contains(g.get_ref()) {
                ctx.err(
                    g.span().start,
                    &section,
                    format!(
                        "{section} 的 specializes 引用的“{}”不是本政策包的决定规则{}",
                        g.get_ref(),
                        hint(g.get_ref(), decision_ids.iter().map(String::as_str))
                    ),
                );
            }
        }
    }
    let groups: BTreeSet<String> = raw
        .rule
        .iter()
        .map(|r| r.get_ref().group.clone())
        .filter(|g| !g.is_empty())
        .collect();

    // [[precedence]]
    let mut precedences = Vec::new();
    for (i, p) in raw.precedence.iter().enumerate() {
        let at = p.span().start;
        let p = p.get_ref();
        let section = format!("第 {} 条优先规则（[[precedence]]）", i + 1);
        for side in [&p.stronger, &p.weaker] {
            let s = side.get_ref();
            let ok = match s.strip_prefix("group:") {
                Some(g) => groups.contains(g),
                None => rule_ids.contains(s),
            };
            if !ok {
                let near = match s.strip_prefix("group:") {
                    Some(g) => hint(g, groups.iter().map(String::as_str)),
                    None => hint(s, rule_ids.iter().map(String::as_str)),
                };
                ctx.err(
                    side.span().start,
                    &section,
                    format!("{section} 引用了不存在的规则或规则组“{s}”{near}"),
                );
            }
        }
        let arts = article_refs(&mut ctx, &article_ids, &p.articles, &section, false, at);
        precedences.push(Precedence {
            at,
            stronger: p.stronger.get_ref().clone(),
            weaker: p.weaker.get_ref().clone(),
            articles: arts,
            reason: p.reason.clone(),
        });
    }

    // [[period]]
    let mut seen = HashMap::new();
    let mut periods = Vec::new();
    for p in &raw.period {
        let at = p.span().start;
        let p = p.get_ref();
        dup(&mut ctx, &mut seen, &p.id, "期间");
        let section = format!("期间 {}", p.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &p.articles, &section, true, at);
        match p.period.get_ref().parse::<Period>() {
            Ok(period) => periods.push(PeriodDef {
                id: p.id.get_ref().clone(),
                period,
                from: p.from.clone(),
                articles: arts,
                description: p.description.clone(),
                local: p.local.clone().filter(|l| !l.trim().is_empty()),
            }),
            Err(e) => ctx.err(p.period.span().start, &section, format!("{section}：{e}")),
        }
    }

    // [[procedure]]
    let mut seen = HashMap::new();
    let mut procedures = Vec::new();
    for p in &raw.procedure {
        let at = p.span().start;
        let p = p.get_ref();
        dup(&mut ctx, &mut seen, &p.id, "程序");
        let section = format!("程序 {}", p.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &p.articles, &section, true, at);
        let when = p.when.as_ref().and_then(|c| {
            condition(
                &mut ctx,
                &fact_types,
                &role_ids,
                c,
                &section,
                "适用条件（when）",
                Scope::Case,
            )
        });
        for f in &p.facts {
            if !fact_types.contains_key(f.get_ref()) {
                ctx.err(
                    f.span().start,
                    &section,
                    format!(
                        "{section} 列出的事实“{}”未定义{}",
                        f.get_ref(),
                        hint(f.get_ref(), fact_types.keys().map(String::as_str))
                    ),
                );
            }
        }
        procedures.push(Procedure {
            id: p.id.get_ref().clone(),
            articles: arts,
            description: p.description.clone(),
            when,
            steps: p.steps.clone(),
            facts: p.facts.iter().map(|f| f.get_ref().clone()).collect(),
        });
    }

    // [[xref]]
    let mut xrefs = Vec::new();
    for x in &raw.xref {
        let at = x.span().start;
        let x = x.get_ref();
        let section = format!("交叉引用 {}", x.from.get_ref());
        article_refs(
            &mut ctx,
            &article_ids,
            std::slice::from_ref(&x.from),
            &section,
            true,
            at,
        );
        let mut cite = |s: &S<String>, key: &str| {
            let c = split_citation(s.get_ref());
            if c.is_none() {
                ctx.err(
                    s.span().start,
                    &section,
                    format!(
                        "{section} 的 {key}“{}”格式无效（应为“政策包 条文”，如“004 §21”）",
                        s.get_ref()
                    ),
                );
            }
            c
        };
        let cites = cite(&x.cites, "cites");
        let means = cite(&x.means, "means");
        let expect = x.expect.as_ref().and_then(|e| {
            let o = Outcome::parse(e.get_ref());
            if o.is_none() {
                ctx.err(
                    e.span().start,
                    &section,
                    format!("{section} 的 expect“{}”不是有效的结果", e.get_ref()),
                );
            }
            o
        });
        if let (Some(cites), Some(means)) = (cites, means) {
            xrefs.push(Xref {
                from: x.from.get_ref().clone(),
                cites,
                means,
                expect,
                note: x.note.clone(),
                at: x.means.span().start,
            });
        }
    }

    // [[example]]
    let mut deferred = Vec::new();
    let mut seen = HashMap::new();
    let mut examples = Vec::new();
    for ex in &raw.example {
        let at = ex.span().start;
        let ex = ex.get_ref();
        dup(&mut ctx, &mut seen, &ex.id, "示例");
        let section = format!("示例 {}", ex.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &ex.articles, &section, false, at);
        let mut fvals = Vec::new();
        for (k, v) in &ex.facts {
            match fact_types.get(k) {
                // Facts of referenced packs (e.g. 004-2016 via pack(...)) are checked at link time.
                None => fvals.push((k.clone(), untyped(v.get_ref()))),
                Some((ty, choices, _)) => match toml_value(*ty, choices, v.get_ref()) {
                    Ok(val) => fvals.push((k.clone(), val)),
                    Err(e) => ctx.err(
                        v.span().start,
                        &section,
                        format!("{section} 中事实“{k}”的取值有误：{e}"),
                    ),
                },
            }
        }
        let cd = ex
            .conduct_date
            .as_ref()
            .and_then(|d| date(&mut ctx, d, &section, "行为日期（conduct_date）"));
        let dd = ex
            .decision_date
            .as_ref()
            .and_then(|d| date(&mut ctx, d, &section, "处理日期（decision_date）"));
        let e = ex.expect.get_ref();
        let o = e.outcome.as_ref().map(|o| o.get_ref().clone());
        if let Some(oo) = &e.outcome {
            let v = oo.get_ref();
            if Outcome::parse(v).is_none() && v != "undetermined" {
                ctx.err(
                    oo.span().start,
                    &section,
                    format!("{section} 预期的结果“{v}”无效（可选值：exemption、tolerance、exclusion、aggravation、none、name_clearing、clarification、undetermined）"),
                );
            }
        } else if e.shares.is_none() {
            ctx.err(
                ex.expect.span().start,
                &section,
                format!("{section} 的 expect 须给出 outcome（或责任划分示例的 shares）"),
            );
        }
        let mut people = Vec::new();
        for p in &ex.people {
            let p = p.get_ref();
            if !role_ids.contains(p.role.get_ref()) {
                ctx.err(
                    p.role.span().start,
                    &section,
                    format!(
                        "{section} 中人员“{}”的角色“{}”未定义{}",
                        p.name,
                        p.role.get_ref(),
                        hint(p.role.get_ref(), role_ids.iter().map(String::as_str))
                    ),
                );
            }
            let mut facts = Vec::new();
            for (k, v) in &p.facts {
                match fact_types.get(k) {
                    Some((ty, choices, true)) => match toml_value(*ty, choices, v.get_ref()) {
                        Ok(val) => facts.push((k.clone(), value_to_input(&val))),
                        Err(e) => ctx.err(
                            v.span().start,
                            &section,
                            format!("{section} 中人员“{}”的事实“{k}”取值有误：{e}", p.name),
                        ),
                    },
                    _ => ctx.err(
                        v.span().start,
                        &section,
                        format!(
                            "{section} 中人员“{}”的事实“{k}”不是已定义的逐人事实（per_person）",
                            p.name
                        ),
                    ),
                }
            }
            people.push(crate::alloc::Person {
                name: p.name.clone(),
                role: p.role.get_ref().clone(),
                facts,
            });
        }
        let shares = e.shares.as_ref().map(|v| {
            v.iter()
                .filter_map(|x| {
                    let x = x.get_ref();
                    let sh = Share::parse(x.share.get_ref());
                    if sh.is_none() {
                        ctx.err(
                            x.share.span().start,
                            &section,
                            format!("{section} 预期的 share“{}”无效", x.share.get_ref()),
                        );
                    }
                    sh.map(|s| (x.person.clone(), s))
                })
                .collect()
        });
        let modality = e
            .modality
            .as_ref()
            .and_then(|m| match m.get_ref().as_str() {
                "shall" => Some(Modality::Shall),
                "may" => Some(Modality::May),
                other => {
                    ctx.err(
                        m.span().start,
                        &section,
                        format!("{section} 预期的 modality“{other}”无效（可选值：shall、may）"),
                    );
                    None
                }
            });
        let leniency = e.leniency.as_ref().map(|v| {
            let mut out: Vec<Leniency> = v
                .iter()
                .filter_map(|l| {
                    let x = Leniency::parse(l.get_ref());
                    if x.is_none() {
                        ctx.err(
                            l.span().start,
                            &section,
                            format!("{section} 预期的 leniency“{}”无效", l.get_ref()),
                        );
                    }
                    x
                })
                .collect();
            out.sort();
            out.dedup();
            out
        });
        let fired = e.fired.as_ref().map(|v| {
            v.iter()
                .map(|r| {
                    // A rule of another version of the regulation (从旧兼从轻) is checked when
                    // the packs are linked.
                    if !rule_ids.contains(r.get_ref()) {
                        deferred.push((r.get_ref().clone(), r.span().start, section.clone()));
                    }
                    r.get_ref().clone()
                })
                .collect()
        });
        let questions = e
            .questions
            .as_ref()
            .map(|v| v.iter().map(|q| q.get_ref().clone()).collect());
        let floor = e.floor.as_ref().and_then(|f| {
            let f = f.get_ref();
            let o = Outcome::parse(f.outcome.get_ref());
            if o.is_none() {
                ctx.err(
                    f.outcome.span().start,
                    &section,
                    format!("{section} 预期的保底结论“{}”无效", f.outcome.get_ref()),
                );
            }
            let mut l: Vec<Leniency> = f
                .leniency
                .iter()
                .filter_map(|x| Leniency::parse(x.get_ref()))
                .collect();
            l.sort();
            o.map(|o| (o, l))
        });
        examples.push(Example {
            id: ex.id.get_ref().clone(),
            articles: arts,
            description: ex.description.clone(),
            facts: fvals,
            conduct_date: cd,
            decision_date: dd,
            people,
            expect: Expect {
                outcome: o,
                shares,
                modality,
                leniency,
                fired,
                questions,
                floor,
            },
        });
    }

    // [[allocation]]
    let mut seen = HashMap::new();
    let mut allocations = Vec::new();
    let alloc_ids: BTreeSet<String> = raw
        .allocation
        .iter()
        .map(|a| a.get_ref().id.get_ref().clone())
        .collect();
    for a in &raw.allocation {
        let at = a.span().start;
        let a = a.get_ref();
        dup(&mut ctx, &mut seen, &a.id, "责任划分");
        let section = format!("责任划分 {}", a.id.get_ref());
        let arts = article_refs(&mut ctx, &article_ids, &a.articles, &section, true, at);
        let when = condition(
            &mut ctx,
            &fact_types,
            &role_ids,
            &a.when,
            &section,
            "条件",
            Scope::Roles,
        );
        let mut assign = Vec::new();
        for s in &a.assign {
            let s = s.get_ref();
            if s.role.get_ref() != "any" && !role_ids.contains(s.role.get_ref()) {
                ctx.err(
                    s.role.span().start,
                    &section,
                    format!(
                        "{section} 指定了未定义的角色“{}”{}",
                        s.role.get_ref(),
                        hint(s.role.get_ref(), role_ids.iter().map(String::as_str))
                    ),
                );
            }
            if let Some(w) = &s.who {
                if !fact_types
                    .get(w.get_ref())
                    .is_some_and(|f| f.2 && f.0 == FactType::Bool)
                {
                    ctx.err(
                        w.span().start,
                        &section,
                        format!(
                            "{section} 的 who“{}”应为是/否类型的逐人事实（per_person）",
                            w.get_ref()
                        ),
                    );
                }
            }
            let share = Share::parse(s.share.get_ref());
            if share.is_none() {
                ctx.err(
                    s.share.span().start,
                    &section,
                    format!(
                        "{section} 的 share“{}”无效（可选值：all、main、separate、liable、secondary、not_liable）",
                        s.share.get_ref()
                    ),
                );
            }
            if let Some(share) = share {
                assign.push(Assign {
                    role: s.role.get_ref().clone(),
                    who: s.who.as_ref().map(|w| w.get_ref().clone()),
                    share,
                });
            }
        }
        for d in &a.defeats {
            if !alloc_ids.contains(d.get_ref()) {
                ctx.err(
                    d.span().start,
                    &section,
                    format!(
                        "{section} 的 defeats 引用了不存在的责任划分“{}”",
                        d.get_ref()
                    ),
                );
            }
        }
        if let Some(when) = when {
            allocations.push(Allocation {
                id: a.id.get_ref().clone(),
                articles: arts,
                when,
                assign,
                defeats: a.defeats.iter().map(|d| d.get_ref().clone()).collect(),
                explain: a.explain.clone(),
            });
        }
    }

    // [bodies]
    let bodies = raw.bodies.as_ref().map(|b| {
        let at = b.span().start;
        let b = b.get_ref();
        for name in [&b.committee, &b.office] {
            body_name(&mut ctx, name);
        }
        let articles = article_refs(&mut ctx, &article_ids, &b.articles, "[bodies]", true, at);
        Bodies {
            committee: b.committee.get_ref().trim().to_string(),
            committee_short: b.committee_short.trim().to_string(),
            office: b.office.get_ref().trim().to_string(),
            office_short: b.office_short.trim().to_string(),
            head: b.head.trim().to_string(),
            articles,
        }
    });

    // [[notice]]
    let step_ids: BTreeSet<String> = raw
        .procedure
        .iter()
        .map(|p| p.get_ref().id.get_ref().trim().to_string())
        .collect();
    let notices = notices(&mut ctx, &raw.notice, &article_ids, &step_ids);

    let meta = Meta {
        id: m.id.get_ref().clone(),
        title: m.title.clone(),
        short_title: m.short_title.clone(),
        issuer: m.issuer.clone(),
        document_number: m.document_number.clone(),
        version: m.version.clone(),
        effective: effective.unwrap_or_default(),
        until,
        supersedes: m.supersedes.iter().map(|s| s.get_ref().clone()).collect(),
        source: m.source.clone(),
        verbatim: m.verbatim,
        note: m.note.clone(),
        references: m.references.iter().map(|s| s.get_ref().clone()).collect(),
        implements: m.implements.iter().map(|s| s.get_ref().clone()).collect(),
    };
    let mut pack = Pack {
        file: file.to_string(),
        meta,
        articles,
        facts,
        assertions,
        rules,
        precedences,
        periods,
        procedures,
        xrefs,
        examples,
        roles,
        allocations,
        situations,
        bodies,
        notices,
        loc: loc.clone(),
        deferred_fired: deferred,
    };
    let mut errors = ctx.errors;
    if errors.is_empty() {
        if let Err(e) = crate::program::precedence_cycles(&pack) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        pack.loc = loc;
        Ok(pack)
    } else {
        Err(PackErrors(errors))
    }
}

fn value_to_input(v: &Value) -> crate::set::Input {
    match v {
        Value::Bool(b) => crate::set::Input::Bool(*b),
        Value::Number(n) => crate::set::Input::Number(*n),
        Value::Choice(s) => crate::set::Input::Text(s.clone()),
        Value::Date(d) => crate::set::Input::Text(d.to_string()),
    }
}

/// A value for a fact this pack does not declare (checked when packs are linked).
fn untyped(v: &toml::Value) -> Value {
    match v {
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Integer(i) => Value::Number(*i as f64),
        toml::Value::Float(f) => Value::Number(*f),
        toml::Value::String(s) => Value::Choice(s.clone()),
        other => Value::Choice(format!("{other:?}")),
    }
}

/// The `[[kind]]` table header and its `id` nearest before `at`, to name the section of a
/// TOML syntax error.
fn section_at(text: &str, at: usize) -> String {
    let before = text.get(..at.min(text.len())).unwrap_or(text);
    let mut header = None;
    let mut id = None;
    for line in before.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            header = Some(t.trim_matches(|c| c == '[' || c == ']').to_string());
            id = None;
        } else if let Some(rest) = t.strip_prefix("id") {
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                id = Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    let label = |h: &str| match h {
        "rule" => "规则",
        "fact" => "事实",
        "article" => "条文",
        "example" => "示例",
        "period" => "期间",
        "assertion" => "断言",
        "allocation" => "责任划分",
        "role" => "角色",
        "xref" => "交叉引用",
        "precedence" => "优先规则",
        "situation" => "情形",
        "pack" => "[pack]",
        _ => "",
    };
    match (header, id) {
        (Some(h), Some(i)) if !label(&h).is_empty() && h != "pack" => format!("{} {i}", label(&h)),
        (Some(h), _) if h == "pack" => "[pack]".to_string(),
        (Some(h), _) => format!("[[{h}]]"),
        _ => String::new(),
    }
}

/// The TOML crate's messages are English; they are rendered in Chinese (names in backticks are
/// kept, as they are the pack's own words).
fn translate_toml(msg: &str) -> String {
    let m = msg.trim();
    let quoted: Vec<&str> = m.split('`').skip(1).step_by(2).collect();
    let first = quoted.first().copied().unwrap_or("");
    let ty = |t: &str| -> String {
        let t = t.trim();
        let words: [(&str, &str); 10] = [
            ("a string", "字符串"),
            ("string", "字符串"),
            ("integer", "整数"),
            ("boolean", "true 或 false"),
            ("a boolean", "true 或 false"),
            ("float", "小数"),
            ("a sequence", "数组"),
            ("sequence", "数组"),
            ("map", "表"),
            ("datetime", "日期时间"),
        ];
        for (en, zh) in words {
            if t.starts_with(en) {
                return zh.to_string();
            }
        }
        "其他类型".to_string()
    };
    if m.starts_with("unclosed array table") {
        "表头“[[……]]”缺少结尾的“]”".to_string()
    } else if m.starts_with("unclosed table") {
        "表头“[……]”缺少结尾的“]”".to_string()
    } else if m.starts_with("unclosed array") {
        "数组缺少结尾的“]”".to_string()
    } else if m.starts_with("unclosed inline table") {
        "内联表缺少结尾的“}”".to_string()
    } else if m.starts_with("unknown field") {
        let rest: Vec<&str> = quoted.iter().skip(1).copied().collect();
        if rest.is_empty() {
            format!("未知的键“{first}”")
        } else {
            format!("未知的键“{first}”（此处可用的键：{}）", rest.join("、"))
        }
    } else if m.starts_with("unknown variant") {
        format!("无效的取值“{first}”")
    } else if m.starts_with("missing field") {
        format!("缺少必填项“{first}”")
    } else if m.starts_with("duplicate key") {
        format!("键“{first}”重复")
    } else if let Some(rest) = m.strip_prefix("invalid type: ") {
        let (got, want) = rest.split_once(", expected").unwrap_or((rest, ""));
        format!("取值类型不正确：应为{}，实际为{}", ty(want), ty(got))
    } else if m.contains("string") && m.contains("expected") {
        "字符串缺少结尾的引号".to_string()
    } else if m.starts_with("invalid table header") || m.contains("table header") {
        "表头格式无效（是否缺少“]”？）".to_string()
    } else if m.starts_with("invalid key") || m.contains("key") {
        "键名无效或缺少“=”".to_string()
    } else if m.contains("expected") && !first.is_empty() {
        format!("此处缺少“{first}”")
    } else {
        "格式有误，请检查此处的 TOML 写法（键 = 值、表头、引号与括号是否配对）".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words a pack writes (`outcome = "tolerance"`, `share = "not_liable"`, …) are the
    /// enums' ids, derived (strum) with their parsers from the one list of variants: each id
    /// parses back to its variant, and no two variants share one.
    #[test]
    fn every_id_parses_back_and_ids_are_distinct() {
        macro_rules! check {
            ($($t:ty),* $(,)?) => {$({
                let variants = <$t as VariantArray>::VARIANTS;
                let ids: BTreeSet<&str> = variants.iter().map(|v| v.id()).collect();
                assert_eq!(ids.len(), variants.len(), "{}", stringify!($t));
                for v in variants {
                    assert!(!v.zh().is_empty(), "{}::{v:?}", stringify!($t));
                }
            })*};
        }
        check!(Outcome, Leniency, Share, Modality, ArticleKind, FactType);
        for o in Outcome::VARIANTS {
            assert_eq!(Outcome::parse(o.id()), Some(*o));
        }
        for l in Leniency::VARIANTS {
            assert_eq!(Leniency::parse(l.id()), Some(*l));
        }
        for s in Share::VARIANTS {
            assert_eq!(Share::parse(s.id()), Some(*s));
        }
        assert_eq!(Outcome::parse("name_clearing"), Some(Outcome::NameClearing));
        assert_eq!(Share::parse("not_liable"), Some(Share::NotLiable));
        // Exact words only, as before.
        assert_eq!(Outcome::parse("Tolerance"), None);
        assert_eq!(Outcome::parse("undetermined"), None);
        assert_eq!(Leniency::parse(""), None);
    }
}
