//! A pack compiled for evaluation: conditions resolved to fact indices (with `pack(...)` atoms
//! inlined from the referenced pack), precedence expanded to per-rule defeat masks, and the
//! three-valued evaluator with its exact computation of the decisive questions.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use lvzhi_calendar::NaiveDate;

use crate::compiled::Compiled;
use crate::cond::{Ast, CmpOp, Lit};
use crate::error::PackError;
use crate::pack::{FactType, Leniency, Modality, Outcome, Pack, RuleKind, Value};

/// Kleene truth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    False,
    Unknown,
    True,
}

impl Tri {
    pub(crate) fn not(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::True => Tri::False,
            Tri::Unknown => Tri::Unknown,
        }
    }
    pub(crate) fn from(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// A resolved condition.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Fact(usize),
    Cmp(usize, CmpOp, Lit),
    In(usize, Vec<Lit>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Count(Vec<Expr>, CmpOp, i64),
    OutcomeIn(Vec<Outcome>, bool),
    Const(Tri),
}

pub(crate) fn cmp_value(v: &Value, l: &Lit) -> Option<std::cmp::Ordering> {
    match (v, l) {
        (Value::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Value::Choice(a), Lit::Str(b)) => Some(a.as_str().cmp(b.as_str())),
        (Value::Number(a), Lit::Num(b)) => a.partial_cmp(b),
        (Value::Date(a), Lit::Date(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

impl Expr {
    pub(crate) fn eval(&self, f: &[Option<Value>], outcome: Option<Outcome>) -> Tri {
        match self {
            Expr::Const(t) => *t,
            Expr::Fact(i) => match f.get(*i) {
                Some(Some(Value::Bool(b))) => Tri::from(*b),
                _ => Tri::Unknown,
            },
            Expr::Cmp(i, op, l) => match f.get(*i).and_then(|v| v.as_ref()) {
                Some(v) => cmp_value(v, l).map_or(Tri::False, |o| Tri::from(op.holds(o))),
                None => Tri::Unknown,
            },
            Expr::In(i, ls) => match f.get(*i).and_then(|v| v.as_ref()) {
                Some(v) => Tri::from(
                    ls.iter()
                        .any(|l| cmp_value(v, l) == Some(std::cmp::Ordering::Equal)),
                ),
                None => Tri::Unknown,
            },
            Expr::Not(e) => e.eval(f, outcome).not(),
            Expr::And(v) => {
                let mut r = Tri::True;
                for e in v {
                    match e.eval(f, outcome) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => r = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                r
            }
            Expr::Or(v) => {
                let mut r = Tri::False;
                for e in v {
                    match e.eval(f, outcome) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => r = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                r
            }
            Expr::Count(v, op, n) => {
                let (mut t, mut u) = (0i64, 0i64);
                for e in v {
                    match e.eval(f, outcome) {
                        Tri::True => t += 1,
                        Tri::Unknown => u += 1,
                        Tri::False => {}
                    }
                }
                // The count lies in [t, t+u]: decided only if the comparison agrees at both ends
                // and everywhere between (monotone comparisons, plus == / != checked directly).
                let vals: Vec<bool> = (t..=t + u).map(|c| op.holds(c.cmp(n))).collect();
                if vals.iter().all(|b| *b) {
                    Tri::True
                } else if vals.iter().all(|b| !*b) {
                    Tri::False
                } else {
                    Tri::Unknown
                }
            }
            Expr::OutcomeIn(os, neg) => match outcome {
                None => Tri::Unknown,
                Some(o) => Tri::from(os.contains(&o) != *neg),
            },
        }
    }

    fn reads(&self, out: &mut BTreeSet<usize>) {
        match self {
            Expr::Fact(i) | Expr::Cmp(i, ..) | Expr::In(i, _) => {
                out.insert(*i);
            }
            Expr::Not(e) => e.reads(out),
            Expr::And(v) | Expr::Or(v) | Expr::Count(v, ..) => v.iter().for_each(|e| e.reads(out)),
            Expr::OutcomeIn(..) | Expr::Const(_) => {}
        }
    }

    fn literals(&self, out: &mut Vec<(usize, Lit)>) {
        match self {
            Expr::Cmp(i, _, l) => out.push((*i, l.clone())),
            Expr::In(i, ls) => ls.iter().for_each(|l| out.push((*i, l.clone()))),
            Expr::Not(e) => e.literals(out),
            Expr::And(v) | Expr::Or(v) | Expr::Count(v, ..) => {
                v.iter().for_each(|e| e.literals(out))
            }
            _ => {}
        }
    }
}

/// A fact as the program knows it (own or imported from a referenced pack).
#[derive(Debug, Clone)]
pub struct FactDef {
    pub id: String,
    pub ty: FactType,
    pub question: String,
    pub choices: Vec<String>,
    pub labels: Vec<String>,
    /// The pack that declares it.
    pub pack: String,
    pub(crate) asked_if: Option<Expr>,
    /// The values enumeration tries for this fact.
    pub domain: Vec<Value>,
}

#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub id: String,
    pub articles: Vec<String>,
    pub outcome: Outcome,
    pub modality: Modality,
    pub leniency: u8,
    pub explain: String,
    /// The condition the engine decides by: the pack's `when`, and for a general rule also
    /// "not in the situation of a specific rule that displaces it" (lex specialis).
    pub when: Expr,
    /// The pack's own `when` (for explanations: a displaced rule is shown as set aside).
    pub raw_when: Expr,
    pub reads: Vec<usize>,
    /// Citations added by `pack(...)` atoms: ("004-2016 §21", note).
    pub via: Vec<(String, String)>,
    /// (specific rule, its situation's fact): this rule gives way while that fact holds.
    pub displaced_by: Vec<(usize, usize)>,
    /// The situation fact of a specific rule (one with `specializes`).
    pub situation: Option<usize>,
}

/// The most decision rules one pack may have (defeat sets are 128-bit masks).
pub const MAX_RULES: usize = 128;

/// Enumeration caps: beyond them the engine says so rather than hang.
pub const COMPONENT_CAP: usize = 1 << 16;
const STATES_CAP: usize = 1 << 16;
const WORK_CAP: usize = 1 << 24;

#[derive(Debug, Clone)]
pub struct Program {
    pub pack: String,
    pub facts: Vec<FactDef>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) rules: Vec<CRule>,
    pub(crate) consequences: Vec<CRule>,
    /// For each rule, the mask of rules that defeat it.
    pub(crate) defeaters: Vec<u128>,
    /// (stronger, weaker) → (reason, citations).
    pub(crate) reasons: HashMap<(usize, usize), (String, Vec<String>)>,
    pub(crate) assertions: Vec<(String, Expr, String)>,
    /// Facts some assertion reads (the only ones an assertion can imply).
    assertion_facts: Vec<usize>,
    /// For each fact, the assertions that read it.
    assertions_reading: Vec<Vec<usize>>,
    /// The pack's `[[situation]]`s, for the situation-first interview.
    pub situations: Vec<SituationDef>,
    /// Classes whose rules are discretionary excuses (`may`): defeating a mandatory excuse,
    /// they leave it as the floor.
    may_excuse_classes: u128,
    /// Rule equivalence classes (same outcome, modality, leniency and defeat relations).
    pub(crate) class_of: Vec<usize>,
    pub(crate) class_rep: Vec<usize>,
    pub(crate) class_defeaters: Vec<u128>,
    /// The decision tables built once at compile time (issue 21).
    pub(crate) compiled: Compiled,
    /// The analysis of the case with nothing known, which every new case shows (its case page
    /// evaluates it on every view) and which depends on the program alone: computed on first
    /// use, then kept.
    blank: OnceLock<Analysis>,
}

/// A situation of the pack, resolved.
#[derive(Debug, Clone)]
pub struct SituationDef {
    pub id: String,
    pub label: String,
    /// Index of its fact in [`Program::facts`].
    pub fact: usize,
    pub articles: Vec<String>,
}

/// The decision a set of effective rules gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// `None` when no rule applies (ordinary accountability by default).
    pub outcome: Option<Outcome>,
    pub modality: Option<Modality>,
    pub leniency: u8,
    /// The mandatory minimum when the outcome is a discretionary (`may`) excuse that set
    /// aside a mandatory (`shall`) one: (outcome, leniency), always `shall` (002 §10 ¶1–¶2:
    /// 可以免除, and if not, 应当从轻、减轻).
    pub floor: Option<(Outcome, u8)>,
}

fn score(outcome: Option<Outcome>, modality: Option<Modality>, leniency: u8) -> i32 {
    let shall = i32::from(modality == Some(Modality::Shall));
    match outcome {
        Some(Outcome::NameClearing) => 60 + shall,
        Some(Outcome::Clarification) => 50 + shall,
        Some(Outcome::Exemption) => 40 + shall,
        Some(Outcome::Tolerance) => {
            let best = if leniency & Leniency::Waived.bit() != 0 {
                3
            } else if leniency & Leniency::Reduced.bit() != 0 {
                2
            } else {
                1
            };
            20 + best * 4 + shall
        }
        None | Some(Outcome::None) | Some(Outcome::Exclusion) => 10,
        Some(Outcome::Aggravation) => 1 - shall,
    }
}

impl Key {
    /// Leniency score for 从旧兼从轻 (docs/policy-packs.md "Outcomes and their order"); a
    /// mandatory floor breaks ties.
    pub fn lenient_score(&self) -> i32 {
        score(self.outcome, self.modality, self.leniency) * 100
            + self
                .floor
                .map_or(0, |(o, l)| score(Some(o), Some(Modality::Shall), l))
    }
    pub fn outcome_id(&self) -> &'static str {
        self.outcome.map_or("none", Outcome::id)
    }
    pub fn leniency_list(&self) -> Vec<Leniency> {
        [Leniency::Lighter, Leniency::Reduced, Leniency::Waived]
            .into_iter()
            .filter(|l| self.leniency & l.bit() != 0)
            .collect()
    }
}

/// Outcome severity when effective rules disagree without a stated precedence (the static
/// check reports such pairs): the least lenient wins, so an unresolved conflict never grants
/// an excuse by accident.
pub(crate) fn severity(o: Outcome) -> u8 {
    match o {
        Outcome::NameClearing => 0,
        Outcome::Clarification => 1,
        Outcome::Exemption => 2,
        Outcome::Tolerance => 3,
        Outcome::None => 4,
        Outcome::Exclusion => 5,
        Outcome::Aggravation => 6,
    }
}

fn bits(mut mask: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(i)
    })
}

/// Rule-level precedence edges (stronger, weaker, index of the [[precedence]] or None for the
/// built-in "exclusions defeat excuses").
pub(crate) fn edges(pack: &Pack) -> Vec<(usize, usize, Option<usize>)> {
    let decision: Vec<usize> = (0..pack.rules.len())
        .filter(|i| pack.rules[*i].kind == RuleKind::Decision)
        .collect();
    let select = |s: &str| -> Vec<usize> {
        match s.strip_prefix("group:") {
            Some(g) => decision
                .iter()
                .copied()
                .filter(|i| pack.rules[*i].group == g)
                .collect(),
            None => decision
                .iter()
                .copied()
                .filter(|i| pack.rules[*i].id == s)
                .collect(),
        }
    };
    let mut out = Vec::new();
    for (pi, p) in pack.precedences.iter().enumerate() {
        for s in select(&p.stronger) {
            for w in select(&p.weaker) {
                out.push((s, w, Some(pi)));
            }
        }
    }
    // 000 §9 / DESIGN §4: an exclusion defeats every excuse, stated or not.
    for &s in &decision {
        if pack.rules[s].outcome == Outcome::Exclusion {
            for &w in &decision {
                if pack.rules[w].outcome.is_excuse() && !out.iter().any(|e| e.0 == s && e.1 == w) {
                    out.push((s, w, None));
                }
            }
        }
    }
    out
}

/// Rejects precedence cycles, naming the cycle (e.g. `r1 → r2 → r1`).
pub(crate) fn precedence_cycles(pack: &Pack) -> Result<(), PackError> {
    let es = edges(pack);
    let n = pack.rules.len();
    let mut adj = vec![Vec::new(); n];
    for (s, w, p) in &es {
        adj[*s].push((*w, *p));
    }
    // Iterative DFS with colours; on a back edge, rebuild the cycle from the stack.
    let mut colour = vec![0u8; n];
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if *next < adj[v].len() {
                let (w, p) = adj[v][*next];
                *next += 1;
                if colour[w] == 1 {
                    let pos = stack.iter().position(|(x, _)| *x == w).unwrap_or(0);
                    let mut names: Vec<&str> = stack[pos..]
                        .iter()
                        .map(|(x, _)| pack.rules[*x].id.as_str())
                        .collect();
                    names.push(pack.rules[w].id.as_str());
                    let at = p.map_or(pack.rules[v].at, |pi| pack.precedences[pi].at);
                    let builtin = if es.iter().any(|e| e.2.is_none() && e.0 == v && e.1 == w)
                        || es.iter().any(|e| {
                            e.2.is_none()
                                && stack[pos..].iter().any(|(x, _)| *x == e.0)
                                && stack[pos..].iter().any(|(x, _)| *x == e.1)
                        }) {
                        "（其中含“不予容错优先于免责、容错”的固有规则）"
                    } else {
                        ""
                    };
                    let section = p.map_or_else(
                        || format!("规则 {}", pack.rules[v].id),
                        |pi| format!("第 {} 条优先规则（[[precedence]]）", pi + 1),
                    );
                    return Err(pack.error_at(
                        at,
                        &section,
                        format!(
                            "优先规则形成循环：{}{builtin}，无法确定哪条规则优先",
                            names.join(" → ")
                        ),
                    ));
                }
                if colour[w] == 0 {
                    colour[w] = 1;
                    stack.push((w, 0));
                }
            } else {
                colour[v] = 2;
                stack.pop();
            }
        }
    }
    Ok(())
}

/// What the compiler needs from the other loaded packs.
pub(crate) trait Resolver {
    fn pack(&self, id: &str) -> Option<&Pack>;
}

struct Compiler<'a> {
    resolver: &'a dyn Resolver,
    facts: Vec<FactDef>,
    index: HashMap<String, usize>,
    asked: Vec<Option<Ast>>,
    asked_pack: Vec<String>,
    errors: Vec<PackError>,
}

impl Compiler<'_> {
    fn add_facts(&mut self, pack: &Pack) {
        for f in pack.facts.iter().filter(|f| !f.per_person) {
            if let Some(&i) = self.index.get(&f.id) {
                // A referenced pack may share a fact id (same meaning by convention): it must
                // have the same type.
                if self.facts[i].ty != f.ty || self.facts[i].choices != f.choices {
                    let first = self.facts[i].pack.clone();
                    self.errors.push(pack.error_at(
                        0,
                        &format!("事实 {}", f.id),
                        format!(
                            "事实“{}”在政策包 {} 与 {} 中类型或可选值不同，无法合并使用",
                            f.id, first, pack.meta.id
                        ),
                    ));
                }
                continue;
            }
            self.index.insert(f.id.clone(), self.facts.len());
            self.facts.push(FactDef {
                id: f.id.clone(),
                ty: f.ty,
                question: f.question.clone(),
                choices: f.choices.clone(),
                labels: f.labels.clone(),
                pack: pack.meta.id.clone(),
                asked_if: None,
                domain: Vec::new(),
            });
            self.asked.push(f.asked_if.clone());
            self.asked_pack.push(pack.meta.id.clone());
        }
    }

    fn expr(
        &mut self,
        pack: &Pack,
        ast: &Ast,
        base: usize,
        section: &str,
        stack: &mut Vec<String>,
        via: &mut Vec<(String, String)>,
    ) -> Expr {
        match ast {
            Ast::Fact(n) => self
                .fact(&n.name)
                .map_or(Expr::Const(Tri::Unknown), Expr::Fact),
            Ast::Cmp(n, op, l, _) => {
                if n.name == "outcome" {
                    let o = match l {
                        Lit::Str(s) => Outcome::parse(s),
                        _ => None,
                    };
                    return Expr::OutcomeIn(o.into_iter().collect(), *op == CmpOp::Ne);
                }
                self.fact(&n.name)
                    .map_or(Expr::Const(Tri::Unknown), |i| Expr::Cmp(i, *op, l.clone()))
            }
            Ast::In(n, ls) => {
                let lits: Vec<Lit> = ls.iter().map(|(l, _)| l.clone()).collect();
                if n.name == "outcome" {
                    let os = lits
                        .iter()
                        .filter_map(|l| match l {
                            Lit::Str(s) => Outcome::parse(s),
                            _ => None,
                        })
                        .collect();
                    return Expr::OutcomeIn(os, false);
                }
                self.fact(&n.name)
                    .map_or(Expr::Const(Tri::Unknown), |i| Expr::In(i, lits))
            }
            Ast::Not(a) => Expr::Not(Box::new(self.expr(pack, a, base, section, stack, via))),
            Ast::And(v) => Expr::And(
                v.iter()
                    .map(|a| self.expr(pack, a, base, section, stack, via))
                    .collect(),
            ),
            Ast::Or(v) => Expr::Or(
                v.iter()
                    .map(|a| self.expr(pack, a, base, section, stack, via))
                    .collect(),
            ),
            Ast::Count(v, op, n) => Expr::Count(
                v.iter()
                    .map(|a| self.expr(pack, a, base, section, stack, via))
                    .collect(),
                *op,
                *n,
            ),
            Ast::Pack {
                pack: pid,
                article,
                at,
            } => self.pack_atom(pack, pid, article, base + at, section, stack, via),
        }
    }

    fn fact(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    #[allow(clippy::too_many_arguments)]
    fn pack_atom(
        &mut self,
        pack: &Pack,
        pid: &str,
        article: &str,
        at: usize,
        section: &str,
        stack: &mut Vec<String>,
        via: &mut Vec<(String, String)>,
    ) -> Expr {
        let resolver = self.resolver;
        let Some(other) = resolver.pack(pid) else {
            self.errors.push(pack.error_at(
                at,
                section,
                format!("{section} 的条件引用了未载入的政策包“{pid}”"),
            ));
            return Expr::Const(Tri::Unknown);
        };
        if other.article(article).is_none() {
            self.errors.push(pack.error_at(
                at,
                section,
                format!("{section} 的条件引用的条文“{pid} {article}”在政策包 {pid} 中不存在"),
            ));
            return Expr::Const(Tri::Unknown);
        }
        if stack.iter().any(|s| s == pid) {
            self.errors.push(pack.error_at(
                at,
                section,
                format!(
                    "{section} 的跨包引用形成循环：{} → {pid}",
                    stack.join(" → ")
                ),
            ));
            return Expr::Const(Tri::Unknown);
        }
        // The outcome the citing article needs: stated by the [[xref]] whose `means` (or
        // `cites`) is this article; without one, any outcome other than `none` counts.
        let xref = pack.xrefs.iter().find(|x| {
            (x.means.0 == pid && x.means.1 == article) || (x.cites.0 == pid && x.cites.1 == article)
        });
        let expect = xref.and_then(|x| x.expect);
        let mut note = xref.map(|x| x.note.clone()).unwrap_or_default();
        // A paraphrased text (`verbatim = false`) is never presented as settled: every note that
        // relies on it says so, whatever the citing pack's author wrote.
        if !other.meta.verbatim {
            let caution = format!(
                "注意：政策包 {pid} 的条文为转述而非原文，所引条文的序号和内容须以官方文本核对。"
            );
            if !note.contains("转述") {
                note = if note.is_empty() {
                    caution
                } else {
                    format!("{note}{caution}")
                };
            }
        }
        via.push((format!("{pid} {article}"), note));
        self.add_facts(other);
        stack.push(pid.to_string());
        let mut alts = Vec::new();
        for r in other.rules.iter().filter(|r| r.kind == RuleKind::Decision) {
            let cites = r
                .articles
                .iter()
                .any(|a| crate::pack::article_within(a, article));
            let fits = match expect {
                Some(o) => r.outcome == o,
                None => r.outcome != Outcome::None,
            };
            if cites && fits {
                let mut inner_via = Vec::new();
                let sec = format!("规则 {}（政策包 {pid}）", r.id);
                alts.push(self.expr(other, &r.when, r.when_at, &sec, stack, &mut inner_via));
                via.extend(inner_via);
            }
        }
        stack.pop();
        if alts.is_empty() {
            self.errors.push(pack.error_at(
                at,
                section,
                format!(
                    "{section} 引用的“{pid} {article}”中没有给出{}结果的规则",
                    expect.map_or("任何", Outcome::zh)
                ),
            ));
        }
        Expr::Or(alts)
    }
}

struct OwnResolver<'a>(&'a dyn Resolver);
impl Resolver for OwnResolver<'_> {
    fn pack(&self, id: &str) -> Option<&Pack> {
        self.0.pack(id)
    }
}

impl Program {
    /// Compiles `pack`, resolving `pack(...)` atoms through `resolver`.
    pub(crate) fn compile(pack: &Pack, resolver: &dyn Resolver) -> Result<Program, Vec<PackError>> {
        let r = OwnResolver(resolver);
        let mut c = Compiler {
            resolver: &r,
            facts: Vec::new(),
            index: HashMap::new(),
            asked: Vec::new(),
            asked_pack: Vec::new(),
            errors: Vec::new(),
        };
        c.add_facts(pack);
        let mut rules = Vec::new();
        let mut consequences = Vec::new();
        let mut rule_pos = Vec::new();
        for (ri, r) in pack.rules.iter().enumerate() {
            let section = format!("规则 {}", r.id);
            let mut via = Vec::new();
            let mut stack = vec![pack.meta.id.clone()];
            let when = c.expr(pack, &r.when, r.when_at, &section, &mut stack, &mut via);
            let mut reads = BTreeSet::new();
            when.reads(&mut reads);
            let cr = CRule {
                id: r.id.clone(),
                articles: r.articles.clone(),
                outcome: r.outcome,
                modality: r.modality,
                leniency: r.leniency.iter().fold(0, |m, l| m | l.bit()),
                explain: r.explain.clone(),
                raw_when: when.clone(),
                when,
                reads: reads.into_iter().collect(),
                via,
                displaced_by: Vec::new(),
                situation: None,
            };
            match r.kind {
                RuleKind::Decision => {
                    rule_pos.push(ri);
                    rules.push(cr)
                }
                RuleKind::Consequence => consequences.push(cr),
            }
        }
        if rules.len() > MAX_RULES {
            c.errors.push(pack.error_at(
                0,
                "[pack]",
                format!(
                    "政策包 {} 有 {} 条决定规则，超过上限 {MAX_RULES} 条，请拆分",
                    pack.meta.id,
                    rules.len()
                ),
            ));
        }
        let mut assertions = Vec::new();
        for a in &pack.assertions {
            let mut via = Vec::new();
            let mut stack = vec![pack.meta.id.clone()];
            let e = c.expr(
                pack,
                &a.never,
                0,
                &format!("断言 {}", a.id),
                &mut stack,
                &mut via,
            );
            assertions.push((a.id.clone(), e, a.message.clone()));
        }
        // asked_if conditions, compiled in the program's fact space.
        let asked = std::mem::take(&mut c.asked);
        let asked_pack = std::mem::take(&mut c.asked_pack);
        let mut asked_exprs = Vec::new();
        for (a, pid) in asked.iter().zip(&asked_pack) {
            let owner = if *pid == pack.meta.id {
                Some(pack)
            } else {
                resolver.pack(pid)
            };
            asked_exprs.push(match (a, owner) {
                (Some(a), Some(owner)) => {
                    let mut via = Vec::new();
                    let mut stack = vec![pid.clone()];
                    Some(c.expr(owner, a, 0, "asked_if", &mut stack, &mut via))
                }
                _ => None,
            });
        }
        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        let mut facts = c.facts;
        for (f, a) in facts.iter_mut().zip(asked_exprs) {
            f.asked_if = a;
        }
        // Lex specialis (DESIGN §4): while a specific rule's situation holds, the general
        // rules it names give way, whatever their own conditions say — the specific article's
        // conditions decide (000 §7(二) for weapons over §7(一), 001 §24 over §18).
        let situation_fact = |sid: &str| -> Option<usize> {
            pack.situation(sid)
                .and_then(|x| c.index.get(&x.fact).copied())
        };
        let pos_by_id: HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k))
            .collect();
        let mut displacers: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rules.len()];
        let mut situated: Vec<Option<usize>> = vec![None; rules.len()];
        for r in pack.rules.iter().filter(|r| r.kind == RuleKind::Decision) {
            let (Some(&sk), Some(sf)) = (
                pos_by_id.get(r.id.as_str()),
                r.situation.as_deref().and_then(situation_fact),
            ) else {
                continue;
            };
            if !r.specific {
                continue;
            }
            situated[sk] = Some(sf);
            for g in &r.specializes {
                if let Some(&gk) = pos_by_id.get(g.as_str()) {
                    displacers[gk].push((sk, sf));
                }
            }
        }
        for (k, rule) in rules.iter_mut().enumerate() {
            rule.situation = situated[k];
            if displacers[k].is_empty() {
                continue;
            }
            let mut parts = vec![rule.raw_when.clone()];
            for (_, sf) in &displacers[k] {
                parts.push(Expr::Not(Box::new(Expr::Fact(*sf))));
            }
            rule.when = Expr::And(parts);
            let mut reads = BTreeSet::new();
            rule.when.reads(&mut reads);
            rule.reads = reads.into_iter().collect();
            rule.displaced_by = std::mem::take(&mut displacers[k]);
        }
        let situations: Vec<SituationDef> = pack
            .situations
            .iter()
            .filter_map(|x| {
                Some(SituationDef {
                    id: x.id.clone(),
                    label: x.label.clone(),
                    fact: c.index.get(&x.fact).copied()?,
                    articles: x.articles.clone(),
                })
            })
            .collect();
        // Finite domains for enumeration: booleans and choices as they are; numbers and dates
        // by the thresholds the conditions compare them with (one below, at, one above).
        let mut lits = Vec::new();
        for r in rules.iter().chain(&consequences) {
            r.when.literals(&mut lits);
        }
        for (_, e, _) in &assertions {
            e.literals(&mut lits);
        }
        for (i, f) in facts.iter_mut().enumerate() {
            f.domain = match f.ty {
                FactType::Bool => vec![Value::Bool(false), Value::Bool(true)],
                FactType::Choice => f.choices.iter().cloned().map(Value::Choice).collect(),
                FactType::Number => {
                    let mut v: Vec<f64> = lits
                        .iter()
                        .filter(|(j, _)| *j == i)
                        .filter_map(|(_, l)| match l {
                            Lit::Num(n) => Some(*n),
                            _ => None,
                        })
                        .flat_map(|n| [n - 1.0, n, n + 1.0])
                        .collect();
                    v.sort_by(|a, b| a.total_cmp(b));
                    v.dedup();
                    if v.is_empty() {
                        v.push(0.0);
                    }
                    v.into_iter().map(Value::Number).collect()
                }
                FactType::Date => {
                    let mut v: Vec<NaiveDate> = lits
                        .iter()
                        .filter(|(j, _)| *j == i)
                        .filter_map(|(_, l)| match l {
                            Lit::Date(d) => Some(*d),
                            _ => None,
                        })
                        .flat_map(|d| [d.pred_opt(), Some(d), d.succ_opt()])
                        .flatten()
                        .collect();
                    v.sort();
                    v.dedup();
                    if v.is_empty() {
                        v.extend(NaiveDate::from_ymd_opt(2000, 1, 1));
                    }
                    v.into_iter().map(Value::Date).collect()
                }
            };
        }
        // Defeat masks over decision rules.
        let pos_of: HashMap<usize, usize> = rule_pos
            .iter()
            .enumerate()
            .map(|(k, ri)| (*ri, k))
            .collect();
        let mut defeaters = vec![0u128; rules.len()];
        let mut reasons = HashMap::new();
        for (s, w, p) in edges(pack) {
            let (Some(&s), Some(&w)) = (pos_of.get(&s), pos_of.get(&w)) else {
                continue;
            };
            if s < 128 && w < 128 {
                defeaters[w] |= 1u128 << s;
                let (reason, arts) = match p {
                    Some(pi) => (
                        pack.precedences[pi].reason.clone(),
                        pack.precedences[pi].articles.clone(),
                    ),
                    None => (
                        "具有不得免责容错情形的，不得给予免责容错认定（不予容错优先于免责、容错）"
                            .to_string(),
                        rules[s].articles.clone(),
                    ),
                };
                let cites = arts
                    .iter()
                    .map(|a| format!("{} {a}", pack.meta.id))
                    .collect();
                reasons.entry((s, w)).or_insert((reason, cites));
            }
        }
        // Equivalence classes: rules that decide alike and stand alike in precedence.
        let mut class_of = vec![0usize; rules.len()];
        let mut class_rep: Vec<usize> = Vec::new();
        let defeats_of = |r: usize| -> u128 {
            (0..rules.len())
                .filter(|w| defeaters[*w] & (1u128 << r) != 0)
                .fold(0u128, |m, w| m | (1u128 << w))
        };
        for r in 0..rules.len() {
            let found = class_rep.iter().position(|&q| {
                rules[q].outcome == rules[r].outcome
                    && rules[q].modality == rules[r].modality
                    && rules[q].leniency == rules[r].leniency
                    && defeaters[q] == defeaters[r]
                    && defeats_of(q) == defeats_of(r)
            });
            class_of[r] = match found {
                Some(c) => c,
                None => {
                    class_rep.push(r);
                    class_rep.len() - 1
                }
            };
        }
        let class_defeaters = class_rep
            .iter()
            .map(|&q| bits(defeaters[q]).fold(0u128, |m, s| m | (1u128 << class_of[s])))
            .collect();
        let index = facts
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.clone(), i))
            .collect();
        let may_excuse_classes = class_rep.iter().enumerate().fold(0u128, |m, (c, &q)| {
            if rules[q].outcome.is_excuse() && rules[q].modality == Modality::May {
                m | (1u128 << c)
            } else {
                m
            }
        });
        let mut af = BTreeSet::new();
        let mut assertions_reading = vec![Vec::new(); facts.len()];
        for (ai, (_, e, _)) in assertions.iter().enumerate() {
            let mut rs = BTreeSet::new();
            e.reads(&mut rs);
            for f in &rs {
                if let Some(v) = assertions_reading.get_mut(*f) {
                    v.push(ai);
                }
            }
            af.extend(rs);
        }
        let mut program = Program {
            pack: pack.meta.id.clone(),
            facts,
            index,
            rules,
            consequences,
            defeaters,
            reasons,
            assertions,
            assertion_facts: af.into_iter().collect(),
            assertions_reading,
            situations,
            may_excuse_classes,
            class_of,
            class_rep,
            class_defeaters,
            compiled: Compiled::default(),
            blank: OnceLock::new(),
        };
        program.compiled = Compiled::build(&program);
        Ok(program)
    }

    pub fn fact_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The decision of a set of fired classes, computed (`class_key` looks it up in the
    /// compiled table when the pack has one).
    pub(crate) fn class_key_computed(&self, fired: u128) -> Key {
        let mut best: Option<Outcome> = None;
        let mut eff = Vec::new();
        for c in bits(fired) {
            if fired & self.class_defeaters[c] == 0 {
                let o = self.rules[self.class_rep[c]].outcome;
                eff.push(c);
                if best.is_none_or(|b| severity(o) > severity(b)) {
                    best = Some(o);
                }
            }
        }
        // `none` is ordinary accountability whether a rule says so or no rule applies: the two
        // are one decision, so an unknown fact that only moves between them is not asked. The
        // modality a `none` rule states is reported afterwards from the rules that fired.
        let best = match best {
            None | Some(Outcome::None) => {
                return Key {
                    outcome: None,
                    modality: None,
                    leniency: 0,
                    floor: None,
                }
            }
            Some(b) => b,
        };
        let mut modality = Modality::May;
        let mut leniency = 0;
        for c in eff {
            let r = &self.rules[self.class_rep[c]];
            if r.outcome == best {
                if r.modality == Modality::Shall {
                    modality = Modality::Shall;
                }
                leniency |= r.leniency;
            }
        }
        // A discretionary excuse never takes away a mandatory one (002 §10 ¶1–¶2): a `shall`
        // excuse set aside only by `may` excuses stays as the floor of a `may` decision.
        let mut floor: Option<(Outcome, u8)> = None;
        if modality == Modality::May && best.is_excuse() {
            for c in bits(fired) {
                let by = fired & self.class_defeaters[c];
                let r = &self.rules[self.class_rep[c]];
                if by == 0
                    || by & !self.may_excuse_classes != 0
                    || !r.outcome.is_excuse()
                    || r.modality != Modality::Shall
                {
                    continue;
                }
                floor = match floor {
                    Some((o, l)) if o == r.outcome => Some((o, l | r.leniency)),
                    Some((o, l)) if o.excuse_rank() > r.outcome.excuse_rank() => Some((o, l)),
                    _ => Some((r.outcome, r.leniency)),
                };
            }
        }
        Key {
            outcome: Some(best),
            modality: Some(modality),
            leniency,
            floor,
        }
    }

    pub(crate) fn classes(&self, rules: u128) -> u128 {
        bits(rules).fold(0u128, |m, r| m | (1u128 << self.class_of[r]))
    }

    /// Facts the assertions force, given what is known: an unknown fact all of whose values
    /// but one would violate an assertion that the known facts do not already violate takes
    /// that value (weapon_use_lawful = 是 implies weapon_harm = 是 in 000). Sound, not complete;
    /// it changes no decision and no question (a forced fact can never be decisive), only what
    /// the explanation can show as established.
    pub fn implied(&self, facts: &[Option<Value>]) -> (Vec<Option<Value>>, Vec<(usize, usize)>) {
        self.implied_trying(facts, true)
    }

    /// `implied` as it was before issue 21, every live assertion tried for every fact.
    #[cfg(test)]
    fn implied_reference(
        &self,
        facts: &[Option<Value>],
    ) -> (Vec<Option<Value>>, Vec<(usize, usize)>) {
        self.implied_trying(facts, false)
    }

    /// [`Self::implied`], trying for each fact only the live assertions that read it
    /// (`only_reading`) or all of them (the reference).
    fn implied_trying(
        &self,
        facts: &[Option<Value>],
        only_reading: bool,
    ) -> (Vec<Option<Value>>, Vec<(usize, usize)>) {
        let mut v: Vec<Option<Value>> = facts.to_vec();
        v.resize(self.facts.len(), None);
        let mut implied = Vec::new();
        if self.assertions.is_empty() {
            return (v, implied);
        }
        let live: Vec<usize> = (0..self.assertions.len())
            .filter(|a| self.assertions[*a].1.eval(&v, None) != Tri::True)
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for &f in &self.assertion_facts {
                if v[f].is_some() {
                    continue;
                }
                let mut ok = Vec::new();
                let mut by = None;
                // Only the live assertions that read f can turn true with it: none is true
                // while f is unknown (the live ones were not at the start, and every implied
                // value keeps them so), and one that does not read f does not move with it.
                let reading = self
                    .assertions_reading
                    .get(f)
                    .map_or(&[][..], Vec::as_slice);
                for val in &self.facts[f].domain {
                    v[f] = Some(val.clone());
                    match live
                        .iter()
                        .filter(|a| !only_reading || reading.contains(a))
                        .find(|a| self.assertions[**a].1.eval(&v, None) == Tri::True)
                    {
                        Some(a) => by = Some(*a),
                        None => ok.push(val.clone()),
                    }
                }
                v[f] = None;
                if let (1, Some(a)) = (ok.len(), by) {
                    v[f] = ok.pop();
                    implied.push((f, a));
                    changed = true;
                }
            }
        }
        (v, implied)
    }

    /// Evaluates a case. `facts` is indexed like [`Program::facts`]; `None` = unknown.
    pub fn evaluate(&self, facts: &[Option<Value>]) -> Evaluation {
        self.evaluate_in(facts, Path::Compiled)
    }

    /// The evaluation as the engine made it before issue 21 (every decision computed, nothing
    /// kept between evaluations), which the compiled path must equal.
    #[cfg(test)]
    pub(crate) fn evaluate_reference(&self, facts: &[Option<Value>]) -> Evaluation {
        self.evaluate_in(facts, Path::Reference)
    }

    fn evaluate_in(&self, facts: &[Option<Value>], path: Path) -> Evaluation {
        let (facts, implied) = match path {
            Path::Compiled => self.implied(facts),
            #[cfg(test)]
            Path::Reference => self.implied_reference(facts),
            #[cfg(not(test))]
            Path::Reference => self.implied(facts),
        };
        let facts = facts.as_slice();
        let mut tri = Vec::with_capacity(self.rules.len());
        let mut fired = 0u128;
        for (i, r) in self.rules.iter().enumerate() {
            let t = match path {
                Path::Compiled => self.when(i, facts),
                Path::Reference => r.when.eval(facts, None),
            };
            if t == Tri::True {
                fired |= 1u128 << i;
            }
            tri.push(t);
        }
        let mut notes = Vec::new();
        for (id, e, msg) in &self.assertions {
            if e.eval(facts, None) == Tri::True {
                notes.push(format!(
                    "所给事实违反断言 {id}：{msg}；请核实事实后再作判断。"
                ));
            }
        }
        for (f, a) in &implied {
            let (id, _, msg) = &self.assertions[*a];
            if let Some(v) = &facts[*f] {
                notes.push(format!(
                    "依断言 {id}（{msg}），由已知事实推定“{}”为{}。",
                    self.facts[*f].question,
                    v.describe()
                ));
            }
        }
        let analysis = if path == Path::Compiled && facts.iter().all(Option::is_none) {
            self.blank
                .get_or_init(|| self.analyse(facts, &tri, fired, path))
                .clone()
        } else {
            self.analyse(facts, &tri, fired, path)
        };
        let determined = analysis.keys.len() == 1 && !analysis.overflow;
        let mut key = if determined {
            analysis.keys.iter().next().copied()
        } else {
            None
        };
        if analysis.overflow {
            notes.push(format!(
                "待判断的事实组合超过枚举上限（{COMPONENT_CAP}），问题清单按可能相关的全部事实列出。"
            ));
        }

        let mut defeated = Vec::new();
        let mut effective = Vec::new();
        for r in bits(fired) {
            let by = fired & self.defeaters[r];
            if by == 0 {
                effective.push(r);
            } else {
                let mut reasons = Vec::new();
                for s in bits(by) {
                    if let Some((reason, _)) = self.reasons.get(&(s, r)) {
                        if !reasons.contains(reason) {
                            reasons.push(reason.clone());
                        }
                    }
                }
                defeated.push(Defeat {
                    rule: self.rules[r].id.clone(),
                    by: bits(by).map(|s| self.rules[s].id.clone()).collect(),
                    reason: reasons.join("；"),
                });
            }
        }
        // General rules whose own conditions hold but whose situation a specific rule governs.
        for (r, rule) in self.rules.iter().enumerate() {
            if rule.displaced_by.is_empty()
                || fired & (1u128 << r) != 0
                || rule.raw_when.eval(facts, None) != Tri::True
            {
                continue;
            }
            let by: Vec<&(usize, usize)> = rule
                .displaced_by
                .iter()
                .filter(|(_, sf)| matches!(facts.get(*sf), Some(Some(Value::Bool(true)))))
                .collect();
            if by.is_empty() {
                continue;
            }
            defeated.push(Defeat {
                rule: rule.id.clone(),
                by: by.iter().map(|(s, _)| self.rules[*s].id.clone()).collect(),
                reason: by
                    .iter()
                    .map(|(s, sf)| {
                        format!(
                            "本案属于{}（{}）专门规定的情形（{}），应以该规定的条件为准，不适用一般规定（特别规定优先于一般规定）",
                            self.rules[*s]
                                .articles
                                .first()
                                .map(|a| format!("{} {a}", self.pack))
                                .unwrap_or_default(),
                            self.rules[*s].id,
                            self.facts[*sf].question.trim_end_matches('？')
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
            });
        }
        let mut citations: Vec<String> = Vec::new();
        let push = |c: String, cs: &mut Vec<String>| {
            if !cs.contains(&c) {
                cs.push(c);
            }
        };
        let outcome_now = key.map(|k| k.outcome.unwrap_or(Outcome::None));
        let mut explanations = Vec::new();
        let decisive: Vec<usize> = match key.and_then(|k| k.outcome) {
            Some(o) => effective
                .iter()
                .copied()
                .filter(|r| self.rules[*r].outcome == o)
                .collect(),
            None => Vec::new(),
        };
        // A determined `none`: the rules saying so (if any) decide, with their modality.
        let decisive: Vec<usize> = match key {
            Some(k) if k.outcome.is_none() => {
                let nones: Vec<usize> = effective
                    .iter()
                    .copied()
                    .filter(|r| self.rules[*r].outcome == Outcome::None)
                    .collect();
                if let Some(k) = key.as_mut() {
                    if !nones.is_empty() {
                        k.outcome = Some(Outcome::None);
                        k.modality = Some(
                            if nones
                                .iter()
                                .any(|r| self.rules[*r].modality == Modality::Shall)
                            {
                                Modality::Shall
                            } else {
                                Modality::May
                            },
                        );
                    }
                }
                nones
            }
            _ => decisive,
        };
        let others: Vec<usize> = effective
            .iter()
            .copied()
            .filter(|r| !decisive.contains(r))
            .collect();
        for &r in decisive.iter().chain(&others) {
            let rule = &self.rules[r];
            for a in &rule.articles {
                push(format!("{} {a}", self.pack), &mut citations);
            }
            for (c, note) in &rule.via {
                push(c.clone(), &mut citations);
                if !note.is_empty() {
                    let n = format!("规则 {} 援引的条文按其本意适用 {c}：{note}", rule.id);
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                }
            }
            if !rule.explain.is_empty() {
                explanations.push(format!("{}（{}）", rule.explain, rule.id));
            }
        }
        for d in &defeated {
            for b in &d.by {
                if let (Some(s), Some(w)) = (
                    self.rules.iter().position(|r| &r.id == b),
                    self.rules.iter().position(|r| r.id == d.rule),
                ) {
                    if let Some((_, arts)) = self.reasons.get(&(s, w)) {
                        for a in arts {
                            push(a.clone(), &mut citations);
                        }
                    }
                }
            }
        }
        if others.iter().any(|r| {
            self.rules[*r].outcome != self.rules[decisive.first().copied().unwrap_or(*r)].outcome
        }) {
            let names: Vec<&str> = effective
                .iter()
                .map(|r| self.rules[*r].id.as_str())
                .collect();
            notes.push(format!(
                "规则 {} 的结果不同且未声明优先顺序，已按较重的结果处理；请在政策包中补充 [[precedence]]。",
                names.join("、")
            ));
        }
        let floor = key.and_then(|k| k.floor).map(|(o, l)| {
            let rules: Vec<usize> = bits(fired)
                .filter(|r| {
                    let rule = &self.rules[*r];
                    let by = fired & self.defeaters[*r];
                    rule.outcome == o
                        && rule.modality == Modality::Shall
                        && by != 0
                        && bits(by).all(|d| {
                            self.rules[d].outcome.is_excuse()
                                && self.rules[d].modality == Modality::May
                        })
                })
                .collect();
            Floor {
                outcome: o,
                modality: Modality::Shall,
                leniency: Key {
                    outcome: Some(o),
                    modality: Some(Modality::Shall),
                    leniency: l,
                    floor: None,
                }
                .leniency_list(),
                rules: rules.iter().map(|r| self.rules[*r].id.clone()).collect(),
            }
        });
        if let Some(fl) = &floor {
            for r in &fl.rules {
                if let Some(rule) = self.rules.iter().find(|x| &x.id == r) {
                    for a in &rule.articles {
                        push(format!("{} {a}", self.pack), &mut citations);
                    }
                    if !rule.explain.is_empty() {
                        explanations.push(format!("{}（{}，保底）", rule.explain, rule.id));
                    }
                }
            }
            let l: Vec<&str> = fl.leniency.iter().map(|l| l.zh()).collect();
            notes.push(format!(
                "“可以”的结论不取消“应当”的结论：不予{}的，仍应当{}（规则 {}）。",
                key.and_then(|k| k.outcome).map_or("", |o| o.zh()),
                if l.is_empty() {
                    fl.outcome.zh().to_string()
                } else {
                    format!("{}（{}）", fl.outcome.zh(), l.join("、"))
                },
                fl.rules.join("、")
            ));
        }
        let mut fired_ids: Vec<String> = bits(fired).map(|r| self.rules[r].id.clone()).collect();
        for c in &self.consequences {
            if c.when.eval(facts, outcome_now) == Tri::True {
                fired_ids.push(c.id.clone());
                for a in &c.articles {
                    push(format!("{} {a}", self.pack), &mut citations);
                }
                if !c.explain.is_empty() {
                    notes.push(format!("{}（{}）", c.explain, c.id));
                }
            }
        }
        let questions = analysis
            .questions
            .iter()
            .map(|&i| Question {
                fact: self.facts[i].id.clone(),
                question: self.facts[i].question.clone(),
                choices: self.facts[i].choices.clone(),
                labels: self.facts[i].labels.clone(),
                ty: self.facts[i].ty,
            })
            .collect::<Vec<_>>();
        match key {
            Some(k) if k.outcome.is_none() => {
                notes.insert(
                    0,
                    "未发现适用免责、容错或不予容错的情形，依照有关规定一般处理。".to_string(),
                );
            }
            Some(_) => {}
            None => notes.insert(
                0,
                format!(
                    "尚有 {} 个事实未查明且可能改变结论，暂不能作出判断。",
                    questions.len()
                ),
            ),
        }
        Evaluation {
            outcome: key.map_or("undetermined", |k| k.outcome_id()).to_string(),
            modality: key.and_then(|k| k.modality),
            leniency: key.map(|k| k.leniency_list()).unwrap_or_default(),
            fired: fired_ids,
            defeated,
            citations,
            questions,
            notes,
            explanations,
            key,
            floor,
            implied: implied
                .iter()
                .filter_map(|(f, _)| facts[*f].clone().map(|v| (self.facts[*f].id.clone(), v)))
                .collect(),
            possible: analysis.keys,
        }
    }

    /// The possible decisions over every completion of the unknown facts, and the facts that
    /// can change them. Rules are grouped by the unknown facts they share (with assertions);
    /// each group is enumerated once, and groups combine by rule class (few) rather than by
    /// fact (many).
    fn analyse(&self, facts: &[Option<Value>], tri: &[Tri], fired: u128, path: Path) -> Analysis {
        let key = |m: u128| match path {
            Path::Compiled => self.class_key(m),
            Path::Reference => self.class_key_computed(m),
        };
        let mut undecided: Vec<usize> = (0..self.rules.len())
            .filter(|i| tri[*i] == Tri::Unknown)
            .collect();
        let base = self.classes(fired);
        // Prune at class level first: a class that changes no decision under any combination
        // of the other undecided classes (a superset of what the facts allow) cannot matter,
        // and its rules' facts need not be enumerated. Usually this settles a case at once.
        let mut ucls: Vec<usize> = undecided
            .iter()
            .map(|r| self.class_of[*r])
            .filter(|c| base & (1u128 << c) == 0)
            .collect();
        ucls.sort();
        ucls.dedup();
        if ucls.len() <= 12 {
            let k = ucls.len();
            let mask_of = |s: usize| {
                (0..k)
                    .filter(|j| s & (1 << j) != 0)
                    .fold(0u128, |m, j| m | (1u128 << ucls[j]))
            };
            let relevant: Vec<usize> = (0..k)
                .filter(|&j| {
                    (0..(1usize << k)).filter(|s| s & (1 << j) == 0).any(|s| {
                        let m = base | mask_of(s);
                        key(m) != key(m | (1u128 << ucls[j]))
                    })
                })
                .map(|j| ucls[j])
                .collect();
            undecided.retain(|r| relevant.contains(&self.class_of[*r]));
        }
        if undecided.is_empty() {
            return Analysis {
                keys: [key(base)].into_iter().collect(),
                questions: vec![],
                overflow: false,
            };
        }
        // Union-find over unknown facts.
        let n = self.facts.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while p[r] != r {
                r = p[r];
            }
            let mut y = x;
            while p[y] != r {
                let next = p[y];
                p[y] = r;
                y = next;
            }
            r
        }
        let unknown = |i: &usize| facts.get(*i).is_none_or(|v| v.is_none());
        let mut relevant = vec![false; n];
        for &r in &undecided {
            let fs: Vec<usize> = self.rules[r]
                .reads
                .iter()
                .copied()
                .filter(unknown)
                .collect();
            for w in fs.windows(2) {
                let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
                parent[a] = b;
            }
            for f in fs {
                relevant[f] = true;
            }
        }
        let mut live_assertions = Vec::new();
        let mut changed = true;
        let mut used = vec![false; self.assertions.len()];
        while changed {
            changed = false;
            for (ai, (_, e, _)) in self.assertions.iter().enumerate() {
                if used[ai] || e.eval(facts, None) != Tri::Unknown {
                    continue;
                }
                let mut rs = BTreeSet::new();
                e.reads(&mut rs);
                let fs: Vec<usize> = rs.into_iter().filter(unknown).collect();
                if fs.iter().any(|f| relevant[*f]) {
                    used[ai] = true;
                    changed = true;
                    live_assertions.push(ai);
                    for w in fs.windows(2) {
                        let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
                        parent[a] = b;
                    }
                    for f in fs {
                        relevant[f] = true;
                    }
                }
            }
        }
        let mut comps: BTreeMap<usize, Component> = BTreeMap::new();
        for f in (0..n).filter(|f| relevant[*f]) {
            let root = find(&mut parent, f);
            comps.entry(root).or_default().facts.push(f);
        }
        for &r in &undecided {
            if let Some(&f) = self.rules[r].reads.iter().find(|f| unknown(f)) {
                let root = find(&mut parent, f);
                comps.entry(root).or_default().rules.push(r);
            }
        }
        for &ai in &live_assertions {
            let mut rs = BTreeSet::new();
            self.assertions[ai].1.reads(&mut rs);
            if let Some(&f) = rs.iter().find(|f| unknown(f)) {
                let root = find(&mut parent, f);
                comps.entry(root).or_default().assertions.push(ai);
            }
        }
        let mut comps: Vec<Component> = comps
            .into_values()
            .filter(|c| !c.rules.is_empty())
            .collect();
        let mut overflow = false;
        let mut scratch: Vec<Option<Value>> = facts.to_vec();
        scratch.resize(n, None);
        for c in comps.iter_mut() {
            if !self.enumerate(c, &mut scratch, path) {
                overflow = true;
            }
        }
        // Combine groups: prefix and suffix sets of reachable class masks.
        let k = comps.len();
        let combine = |a: &HashSet<u128>, b: &[u128]| -> Option<HashSet<u128>> {
            let mut out = HashSet::new();
            for x in a {
                for y in b {
                    out.insert(x | y);
                    if out.len() > STATES_CAP {
                        return None;
                    }
                }
            }
            Some(out)
        };
        let mut prefix: Vec<HashSet<u128>> = vec![[base].into_iter().collect()];
        for c in &comps {
            let last = prefix.last().cloned().unwrap_or_default();
            match combine(&last, &c.patterns) {
                Some(s) => prefix.push(s),
                None => {
                    return Analysis {
                        keys: HashSet::new(),
                        questions: comps.iter().flat_map(|c| c.facts.clone()).collect(),
                        overflow: true,
                    }
                }
            }
        }
        let keys: HashSet<Key> = prefix[k].iter().map(|m| key(*m)).collect();
        if keys.len() <= 1 && !overflow {
            return Analysis {
                keys,
                questions: vec![],
                overflow,
            };
        }
        let mut suffix: Vec<HashSet<u128>> = vec![HashSet::new(); k + 1];
        suffix[k] = [0u128].into_iter().collect();
        for i in (0..k).rev() {
            suffix[i] = combine(&suffix[i + 1].clone(), &comps[i].patterns).unwrap_or_default();
        }
        // Score each fact by how many (context, flip) pairs change the decision.
        let mut scored: Vec<(usize, usize, usize)> = Vec::new();
        for (ci, c) in comps.iter().enumerate() {
            let pairs_total: usize = c.flips.iter().map(HashSet::len).sum();
            // A hostile pack must not hang an evaluation: past this much work, every fact of
            // the group that moves some pattern is asked, and a note says the list is not exact.
            if prefix[ci]
                .len()
                .saturating_mul(suffix[ci + 1].len())
                .saturating_mul(pairs_total.max(1))
                > WORK_CAP
            {
                overflow = true;
                for (fi, pairs) in c.flips.iter().enumerate() {
                    if !pairs.is_empty() {
                        scored.push((c.facts[fi], 0, c.facts[fi]));
                    }
                }
                continue;
            }
            let mut ctx = HashSet::new();
            for a in &prefix[ci] {
                for b in &suffix[ci + 1] {
                    ctx.insert(a | b);
                }
            }
            for (fi, pairs) in c.flips.iter().enumerate() {
                let mut score = 0;
                for x in &ctx {
                    for (p1, p2) in pairs {
                        if key(x | p1) != key(x | p2) {
                            score += 1;
                        }
                    }
                }
                if score > 0 || c.overflow {
                    scored.push((c.facts[fi], score, c.facts[fi]));
                }
            }
        }
        // `asked_if`: a fact its author calls meaningless here is not asked, unless nothing
        // else is left to ask.
        let allowed: Vec<(usize, usize, usize)> = scored
            .iter()
            .copied()
            .filter(|(f, _, _)| {
                self.facts[*f]
                    .asked_if
                    .as_ref()
                    .is_none_or(|a| a.eval(facts, None) != Tri::False)
            })
            .collect();
        let mut chosen = if allowed.is_empty() { scored } else { allowed };
        if chosen.is_empty() && keys.len() > 1 {
            // Assertions can disconnect the space so that no single answer changes the
            // decision; then every fact of a group with several possible patterns is asked.
            for c in &comps {
                if c.patterns.len() > 1 {
                    chosen.extend(c.facts.iter().map(|f| (*f, 0, *f)));
                }
            }
        }
        chosen.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        chosen.dedup_by_key(|x| x.0);
        Analysis {
            keys,
            questions: chosen.into_iter().map(|x| x.0).collect(),
            overflow,
        }
    }

    /// Enumerates one group's facts: its reachable class patterns and, per fact, the pattern
    /// pairs one change of that fact moves between. Returns false if over the cap.
    fn enumerate(&self, c: &mut Component, scratch: &mut [Option<Value>], path: Path) -> bool {
        let doms: Vec<&Vec<Value>> = c.facts.iter().map(|f| &self.facts[*f].domain).collect();
        let mut size: usize = 1;
        for d in &doms {
            size = size.saturating_mul(d.len().max(1));
        }
        c.flips = vec![HashSet::new(); c.facts.len()];
        if size > COMPONENT_CAP {
            // Too many combinations to list: a SAT solver answers the same two questions
            // exactly (which class patterns are reachable; which pattern pairs one change of
            // each fact moves between), as long as the group has few rule classes.
            let classes: Vec<usize> = c.rules.iter().map(|r| self.class_of[*r]).collect();
            if let Some((patterns, flips)) = crate::fidelity::component_by_sat(
                self,
                &c.facts,
                &c.rules,
                &classes,
                &c.assertions,
                scratch,
            ) {
                c.patterns = patterns;
                c.flips = flips;
                return true;
            }
            c.overflow = true;
            // Over-approximate: every combination of the group's rule classes.
            let cls: Vec<usize> = c.rules.iter().map(|r| self.class_of[*r]).collect();
            let m = cls.len().min(12);
            c.patterns = (0..(1u32 << m))
                .map(|s| {
                    (0..m)
                        .filter(|i| s & (1 << i) != 0)
                        .fold(0u128, |acc, i| acc | (1u128 << cls[i]))
                })
                .collect();
            c.patterns.sort();
            c.patterns.dedup();
            return false;
        }
        let mut table: Vec<Option<u128>> = Vec::with_capacity(size);
        let mut digits = vec![0usize; c.facts.len()];
        for _ in 0..size {
            for (j, f) in c.facts.iter().enumerate() {
                scratch[*f] = doms[j].get(digits[j]).cloned();
            }
            let valid = c
                .assertions
                .iter()
                .all(|ai| self.assertions[*ai].1.eval(scratch, None) != Tri::True);
            table.push(valid.then(|| {
                c.rules.iter().fold(0u128, |m, r| {
                    let fires = match path {
                        Path::Compiled => self.fires(*r, scratch),
                        Path::Reference => self.rules[*r].when.eval(scratch, None) == Tri::True,
                    };
                    if fires {
                        m | (1u128 << self.class_of[*r])
                    } else {
                        m
                    }
                })
            }));
            for j in 0..digits.len() {
                digits[j] += 1;
                if digits[j] < doms[j].len() {
                    break;
                }
                digits[j] = 0;
            }
        }
        for f in &c.facts {
            scratch[*f] = None;
        }
        let mut pats: Vec<u128> = table.iter().flatten().copied().collect();
        pats.sort();
        pats.dedup();
        c.patterns = pats;
        let mut stride = 1usize;
        for (j, d) in doms.iter().enumerate() {
            let len = d.len();
            for idx in 0..size {
                let v = (idx / stride) % len;
                for w in (v + 1)..len {
                    let idx2 = idx + (w - v) * stride;
                    if let (Some(Some(p1)), Some(Some(p2))) = (table.get(idx), table.get(idx2)) {
                        if p1 != p2 {
                            c.flips[j].insert((*p1, *p2));
                        }
                    }
                }
            }
            stride *= len.max(1);
        }
        true
    }
}

#[derive(Default)]
struct Component {
    facts: Vec<usize>,
    rules: Vec<usize>,
    assertions: Vec<usize>,
    patterns: Vec<u128>,
    flips: Vec<HashSet<(u128, u128)>>,
    overflow: bool,
}

#[derive(Debug, Clone)]
struct Analysis {
    keys: HashSet<Key>,
    questions: Vec<usize>,
    overflow: bool,
}

/// Which way an evaluation goes: through the compiled tables (always, outside tests) or the
/// interpreter they replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Compiled,
    #[cfg_attr(not(test), allow(dead_code))]
    Reference,
}

/// A rule that fired but was defeated.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Defeat {
    pub rule: String,
    pub by: Vec<String>,
    pub reason: String,
}

/// A question the case still needs answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub fact: String,
    pub question: String,
    pub choices: Vec<String>,
    pub labels: Vec<String>,
    pub ty: FactType,
}

/// The result of an evaluation, with its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `exemption|tolerance|exclusion|aggravation|none|undetermined`.
    pub outcome: String,
    pub modality: Option<Modality>,
    pub leniency: Vec<Leniency>,
    pub fired: Vec<String>,
    pub defeated: Vec<Defeat>,
    pub citations: Vec<String>,
    pub questions: Vec<Question>,
    pub notes: Vec<String>,
    /// The `explain` texts of the rules that decided, in Chinese.
    pub explanations: Vec<String>,
    pub key: Option<Key>,
    /// The mandatory minimum of a discretionary excuse (002 §10 ¶1 under ¶2), if any.
    pub floor: Option<Floor>,
    /// Facts the engine inferred from the known ones through the pack's assertions.
    pub implied: Vec<(String, Value)>,
    pub(crate) possible: HashSet<Key>,
}

/// The mandatory decision that remains when a discretionary (`may`) excuse is the outcome:
/// 可以免除责任, and where not granted, 应当从轻、减轻处理或者予以免责 (002 §10).
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub outcome: Outcome,
    pub modality: Modality,
    pub leniency: Vec<Leniency>,
    /// The mandatory rules that give it.
    pub rules: Vec<String>,
}

impl Evaluation {
    pub fn is_determined(&self) -> bool {
        self.key.is_some()
    }
    /// Every decision some completion of the unknown facts would give.
    pub fn possible(&self) -> Vec<Key> {
        let mut v: Vec<Key> = self.possible.iter().copied().collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set::PackSet;

    const PACK: &str = r#"[pack]
id = "t"
title = "测试"
effective = "2020-01-01"

[[article]]
id = "§1"
text = "……"
kind = "operative"

[[fact]]
id = "a"
type = "bool"
question = "甲？"

[[fact]]
id = "b"
type = "bool"
question = "乙？"

[[fact]]
id = "c"
type = "bool"
question = "丙？"

[[fact]]
id = "n"
type = "number"
question = "次数？"

[[rule]]
id = "excuse"
articles = ["§1"]
when = "a and (b or c)"
outcome = "exemption"
modality = "shall"

[[rule]]
id = "bar"
articles = ["§1"]
when = "count(b, c, n >= 3) >= 2"
outcome = "exclusion"
modality = "shall"
"#;

    fn prog() -> Program {
        let s = PackSet::load([("t.toml", PACK)]).unwrap();
        s.program("t").unwrap().clone()
    }

    fn facts(p: &Program, given: &[(&str, Value)]) -> Vec<Option<Value>> {
        let mut v = vec![None; p.facts.len()];
        for (k, x) in given {
            v[p.fact_index(k).unwrap()] = Some(x.clone());
        }
        v
    }

    #[test]
    fn kleene_connectives() {
        let p = prog();
        let f = facts(&p, &[("a", Value::Bool(false))]);
        // false and unknown = false
        assert_eq!(p.rules[0].when.eval(&f, None), Tri::False);
        let f = facts(&p, &[("a", Value::Bool(true)), ("b", Value::Bool(true))]);
        // true and (true or unknown) = true
        assert_eq!(p.rules[0].when.eval(&f, None), Tri::True);
        let f = facts(&p, &[("a", Value::Bool(true))]);
        assert_eq!(p.rules[0].when.eval(&f, None), Tri::Unknown);
    }

    #[test]
    fn count_is_decided_only_when_every_completion_agrees() {
        let p = prog();
        let f = facts(&p, &[("b", Value::Bool(true)), ("c", Value::Bool(true))]);
        assert_eq!(p.rules[1].when.eval(&f, None), Tri::True);
        let f = facts(&p, &[("b", Value::Bool(true))]);
        assert_eq!(p.rules[1].when.eval(&f, None), Tri::Unknown);
        let f = facts(&p, &[("b", Value::Bool(false)), ("c", Value::Bool(false))]);
        assert_eq!(p.rules[1].when.eval(&f, None), Tri::False);
    }

    #[test]
    fn number_domain_straddles_the_thresholds() {
        let p = prog();
        let n = &p.facts[p.fact_index("n").unwrap()];
        assert_eq!(
            n.domain,
            vec![Value::Number(2.0), Value::Number(3.0), Value::Number(4.0)]
        );
    }

    #[test]
    fn built_in_exclusion_defeats_the_excuse_and_questions_are_exact() {
        let p = prog();
        // Excuse holds (a, b); the bar needs one more of c / n>=3: both are asked, a is not.
        let e = p.evaluate(&facts(
            &p,
            &[("a", Value::Bool(true)), ("b", Value::Bool(true))],
        ));
        assert_eq!(e.outcome, "undetermined");
        let q: Vec<&str> = e.questions.iter().map(|q| q.fact.as_str()).collect();
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q.contains(&"c") && q.contains(&"n"));
        let e = p.evaluate(&facts(
            &p,
            &[
                ("a", Value::Bool(true)),
                ("b", Value::Bool(true)),
                ("c", Value::Bool(true)),
            ],
        ));
        assert_eq!(e.outcome, "exclusion");
        assert_eq!(e.defeated[0].rule, "excuse");
        assert!(e.questions.is_empty());
    }

    #[test]
    fn nothing_known_no_rule_can_be_excluded_yet() {
        let p = prog();
        let e = p.evaluate(&facts(&p, &[]));
        assert_eq!(e.outcome, "undetermined");
        assert_eq!(e.possible().len(), 3); // exemption, exclusion, none
    }
}
