//! `policy check`: findings beyond load errors — cross-reference mismatches, and proofs by
//! exhaustive enumeration over the facts each group of rules reads: conflicting rules without
//! a stated precedence (with a triggering assignment), rules that can never fire, and fact
//! combinations no rule decides.

use std::collections::BTreeSet;

use crate::pack::{Pack, Value};
use crate::program::{Expr, Program, Tri, COMPONENT_CAP};
use crate::set::PackSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    pub fn zh(self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "警告",
            Level::Info => "提示",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub level: Level,
    pub pack: String,
    /// `xref_mismatch`, `conflict`, `never_fires`, `always_defeated`, `undecided`, `not_proved`.
    pub kind: &'static str,
    pub message: String,
}

enum Search {
    Found(Vec<Option<Value>>),
    None,
    TooLarge(usize),
}

impl Program {
    fn reads_of(e: &Expr) -> BTreeSet<usize> {
        let mut s = BTreeSet::new();
        e.reads_pub(&mut s);
        s
    }

    /// Facts plus those of every assertion touching them (transitively), and those assertions.
    fn closure(&self, mut fs: BTreeSet<usize>) -> (Vec<usize>, Vec<usize>) {
        let mut used = vec![false; self.assertions.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for (i, (_, e, _)) in self.assertions.iter().enumerate() {
                if used[i] {
                    continue;
                }
                let r = Self::reads_of(e);
                if r.iter().any(|f| fs.contains(f)) {
                    used[i] = true;
                    changed = true;
                    fs.extend(r);
                }
            }
        }
        (
            fs.into_iter().collect(),
            (0..used.len()).filter(|i| used[*i]).collect(),
        )
    }

    /// Enumerates every assignment of `facts` that violates no assertion in `asserts`, calling
    /// `f` until it returns true.
    fn search(
        &self,
        facts: &[usize],
        asserts: &[usize],
        mut f: impl FnMut(&[Option<Value>]) -> bool,
    ) -> Search {
        let mut size = 1usize;
        for i in facts {
            size = size.saturating_mul(self.facts[*i].domain.len().max(1));
        }
        if size > COMPONENT_CAP {
            return Search::TooLarge(size);
        }
        let mut vals: Vec<Option<Value>> = vec![None; self.facts.len()];
        let mut digits = vec![0usize; facts.len()];
        for _ in 0..size {
            for (j, fi) in facts.iter().enumerate() {
                vals[*fi] = self.facts[*fi].domain.get(digits[j]).cloned();
            }
            let valid = asserts
                .iter()
                .all(|a| self.assertions[*a].1.eval(&vals, None) != Tri::True);
            if valid && f(&vals) {
                return Search::Found(vals);
            }
            for j in 0..digits.len() {
                digits[j] += 1;
                if digits[j] < self.facts[facts[j]].domain.len() {
                    break;
                }
                digits[j] = 0;
            }
        }
        Search::None
    }

    fn show(&self, vals: &[Option<Value>], only: &BTreeSet<usize>) -> String {
        only.iter()
            .filter_map(|i| {
                vals.get(*i)
                    .and_then(|v| v.as_ref())
                    .map(|v| format!("{} = {}", self.facts[*i].id, v.describe()))
            })
            .collect::<Vec<_>>()
            .join("，")
    }
}

impl Expr {
    pub(crate) fn reads_pub(&self, out: &mut BTreeSet<usize>) {
        match self {
            Expr::Fact(i) | Expr::Cmp(i, ..) | Expr::In(i, _) => {
                out.insert(*i);
            }
            Expr::Not(e) => e.reads_pub(out),
            Expr::And(v) | Expr::Or(v) | Expr::Count(v, ..) => {
                v.iter().for_each(|e| e.reads_pub(out))
            }
            Expr::OutcomeIn(..) | Expr::Const(_) => {}
        }
    }
}

/// Static analysis of one compiled pack.
pub fn analyse(pack: &Pack, prog: &Program) -> Vec<Finding> {
    let mut out = Vec::new();
    let id = &pack.meta.id;
    let n = prog.rules.len();
    let reads: Vec<BTreeSet<usize>> = prog
        .rules
        .iter()
        .map(|r| r.reads.iter().copied().collect())
        .collect();
    let finding = |level, kind, message| Finding {
        level,
        pack: id.clone(),
        kind,
        message,
    };
    // 1. Conflicts: different outcomes, no precedence either way, both can fire.
    for a in 0..n {
        for b in (a + 1)..n {
            let (ra, rb) = (&prog.rules[a], &prog.rules[b]);
            if ra.outcome == rb.outcome
                || prog.defeaters[a] & (1u128 << b) != 0
                || prog.defeaters[b] & (1u128 << a) != 0
            {
                continue;
            }
            let both: BTreeSet<usize> = reads[a].union(&reads[b]).copied().collect();
            let (fs, asserts) = prog.closure(both.clone());
            match prog.search(&fs, &asserts, |v| prog.fires(a, v) && prog.fires(b, v)) {
                Search::Found(v) => out.push(finding(
                    Level::Error,
                    "conflict",
                    format!(
                        "规则 {}（{}）与规则 {}（{}）结果不同，可能同时成立，却未声明优先顺序；例如：{}。请增加 [[precedence]] 或 [[assertion]]。",
                        ra.id,
                        ra.outcome.zh(),
                        rb.id,
                        rb.outcome.zh(),
                        prog.show(&v, &both)
                    ),
                )),
                Search::None => {}
                Search::TooLarge(size) => out.push(finding(
                    Level::Info,
                    "not_proved",
                    format!(
                        "规则 {} 与 {} 读取的事实组合有 {size} 种，超过枚举上限 {COMPONENT_CAP}，未能证明二者不冲突。",
                        ra.id, rb.id
                    ),
                )),
            }
        }
    }
    // 2. Rules that can never fire, or are always defeated when they do.
    for r in 0..n {
        let (fs, asserts) = prog.closure(reads[r].clone());
        match prog.search(&fs, &asserts, |v| prog.fires(r, v)) {
            Search::None => {
                out.push(finding(
                    Level::Warning,
                    "never_fires",
                    format!(
                        "规则 {} 在任何（符合断言的）事实组合下都不会成立。",
                        prog.rules[r].id
                    ),
                ));
                continue;
            }
            Search::TooLarge(_) | Search::Found(_) => {}
        }
        let defs: Vec<usize> = (0..n)
            .filter(|s| prog.defeaters[r] & (1u128 << s) != 0)
            .collect();
        if defs.is_empty() {
            continue;
        }
        let mut all = reads[r].clone();
        for s in &defs {
            all.extend(reads[*s].iter().copied());
        }
        let (fs, asserts) = prog.closure(all);
        if let Search::None = prog.search(&fs, &asserts, |v| {
            prog.fires(r, v) && !defs.iter().any(|s| prog.fires(*s, v))
        }) {
            let by: Vec<&str> = defs.iter().map(|s| prog.rules[*s].id.as_str()).collect();
            out.push(finding(
                Level::Warning,
                "always_defeated",
                format!(
                    "规则 {} 每次成立时都被 {} 排除，实际上永远不会起作用。",
                    prog.rules[r].id,
                    by.join("、")
                ),
            ));
        }
    }
    // 3. Combinations no rule decides, per group of rules sharing facts (information).
    let mut group_of: Vec<usize> = (0..n).collect();
    for a in 0..n {
        for b in (a + 1)..n {
            if !reads[a].is_disjoint(&reads[b]) {
                let (ga, gb) = (group_of[a], group_of[b]);
                for g in group_of.iter_mut() {
                    if *g == gb {
                        *g = ga;
                    }
                }
            }
        }
    }
    let groups: BTreeSet<usize> = group_of.iter().copied().collect();
    for g in groups {
        let members: Vec<usize> = (0..n).filter(|r| group_of[*r] == g).collect();
        if members.len() < 2 {
            continue;
        }
        let all: BTreeSet<usize> = members
            .iter()
            .flat_map(|r| reads[*r].iter().copied())
            .collect();
        let (fs, asserts) = prog.closure(all.clone());
        let mut total = 0usize;
        let mut undecided = 0usize;
        let mut example = None;
        let res = prog.search(&fs, &asserts, |v| {
            total += 1;
            if !members.iter().any(|r| prog.fires(*r, v)) {
                undecided += 1;
                if example.is_none() {
                    example = Some(v.to_vec());
                }
            }
            false
        });
        let names: Vec<&str> = members.iter().map(|r| prog.rules[*r].id.as_str()).collect();
        match res {
            // Too many to count: the SAT solver still finds whether some combination is left
            // undecided, and one such combination.
            Search::TooLarge(size) => {
                if let Some(v) = crate::fidelity::undecided_example(prog, &members) {
                    out.push(finding(
                        Level::Info,
                        "undecided",
                        format!(
                            "规则组（{}）：{size} 种事实组合中有没有任何规则作出决定的组合（按一般规定处理），例如：{}。",
                            names.join("、"),
                            prog.show(&v, &all)
                        ),
                    ));
                }
            }
            _ if undecided > 0 => out.push(finding(
                Level::Info,
                "undecided",
                format!(
                    "规则组（{}）：{total} 种事实组合中有 {undecided} 种没有任何规则作出决定（按一般规定处理），例如：{}。",
                    names.join("、"),
                    example.map(|v| prog.show(&v, &all)).unwrap_or_default()
                ),
            )),
            _ => {}
        }
    }
    out
}

/// Cross-reference findings: a citation whose literal target is not what the text means.
pub fn xref_findings(set: &PackSet, pack: &Pack) -> Vec<Finding> {
    let mut out = Vec::new();
    for x in &pack.xrefs {
        let text = |pid: &str, art: &str| -> (String, bool) {
            match set.pack(pid) {
                Ok(p) => (
                    p.article(art).map(|a| a.text.clone()).unwrap_or_default(),
                    p.meta.verbatim,
                ),
                Err(_) => (String::new(), true),
            }
        };
        let (cited, _) = text(&x.cites.0, &x.cites.1);
        let (meant, verbatim) = text(&x.means.0, &x.means.1);
        let gives = |pid: &str, art: &str| -> bool {
            set.pack(pid).is_ok_and(|p| {
                p.rules.iter().any(|r| {
                    r.articles
                        .iter()
                        .any(|a| crate::pack::article_within(a, art))
                        && x.expect.is_none_or(|o| r.outcome == o)
                })
            })
        };
        let literal_ok = gives(&x.cites.0, &x.cites.1);
        if x.cites == x.means && literal_ok {
            continue;
        }
        let expect = x
            .expect
            .map_or("相应".to_string(), |o| format!("“{}”", o.zh()));
        let short = |s: &str| {
            let t: String = s.chars().take(48).collect();
            if s.chars().count() > 48 {
                format!("{t}……")
            } else {
                t
            }
        };
        let mut msg = format!(
            "{} {} 字面引用“{} {}”，该条文为：“{}”",
            pack.meta.id,
            x.from,
            x.cites.0,
            x.cites.1,
            short(&cited)
        );
        if !literal_ok {
            msg.push_str(&format!("，并无给出{expect}结果的规则"));
        }
        if x.cites != x.means {
            msg.push_str(&format!(
                "；其本意应为“{} {}”：“{}”{}。评估按本意（{} {}）进行。",
                x.means.0,
                x.means.1,
                short(&meant),
                if verbatim {
                    ""
                } else {
                    "（该版本文本为转述，须以官方文本核对）"
                },
                x.means.0,
                x.means.1
            ));
        } else {
            msg.push('。');
        }
        if !x.note.is_empty() {
            msg.push_str(&format!("说明：{}", x.note));
        }
        out.push(Finding {
            level: Level::Warning,
            pack: pack.meta.id.clone(),
            kind: "xref_mismatch",
            message: msg,
        });
    }
    out
}

impl PackSet {
    /// Every finding for every pack (or only `only`).
    pub fn check(&self, only: Option<&str>) -> Vec<Finding> {
        let mut out = Vec::new();
        for p in self.packs() {
            if only.is_some_and(|o| o != p.meta.id) {
                continue;
            }
            out.extend(xref_findings(self, p));
            if let Ok(prog) = self.program(&p.meta.id) {
                out.extend(analyse(p, prog));
                out.extend(crate::fidelity::fidelity(p, prog));
            }
            out.extend(crate::fidelity::allocation_fidelity(self, p));
        }
        out
    }
}
