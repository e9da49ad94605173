//! A set of loaded packs: linked (cross-pack atoms and [[xref]] resolved), compiled, and the
//! operations over them — evaluation with 从旧兼从轻, examples (coverage: `coverage.rs`).

use std::collections::BTreeMap;

use lvzhi_calendar::{date_zh, parse_date, NaiveDate};

use crate::error::{hint, InputError, PackError, PackErrors};
use crate::pack::{parse_pack, FactType, Pack, Value};
use crate::program::{Evaluation, Program, Resolver};

/// A fact value as a user gives it (JSON or a terminal answer), before typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl Input {
    fn describe(&self) -> String {
        match self {
            Input::Bool(b) => b.to_string(),
            Input::Number(n) => n.to_string(),
            Input::Text(s) => format!("\"{s}\""),
        }
    }
}

/// Loaded, linked and compiled packs. Built only when every pack is free of errors.
#[derive(Debug, Clone)]
pub struct PackSet {
    packs: BTreeMap<String, Pack>,
    programs: BTreeMap<String, Program>,
}

impl Resolver for BTreeMap<String, Pack> {
    fn pack(&self, id: &str) -> Option<&Pack> {
        self.get(id)
    }
}

/// One example's result.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    pub pack: String,
    pub id: String,
    pub failures: Vec<String>,
}

impl ExampleResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An evaluation possibly under two versions (从旧兼从轻).
#[derive(Debug, Clone)]
pub struct Decision {
    pub evaluation: Evaluation,
    /// The pack version whose result applies.
    pub applied: String,
}

impl PackSet {
    /// Parses every `(file name, text)` and links them; any error anywhere rejects the set.
    pub fn load<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, PackErrors> {
        let mut errors = Vec::new();
        let mut packs: BTreeMap<String, Pack> = BTreeMap::new();
        for (file, text) in files {
            match parse_pack(file, text) {
                Ok(p) => {
                    if let Some(first) = packs.get(&p.meta.id) {
                        errors.push(p.error_at(
                            0,
                            "[pack]",
                            format!("政策包 id“{}”与 {} 重复", p.meta.id, first.file),
                        ));
                    } else {
                        packs.insert(p.meta.id.clone(), p);
                    }
                }
                Err(e) => errors.extend(e.0),
            }
        }
        if !errors.is_empty() {
            return Err(PackErrors(errors));
        }
        Self::link(packs)
    }

    /// Links already parsed packs.
    pub fn link(packs: BTreeMap<String, Pack>) -> Result<Self, PackErrors> {
        let mut errors: Vec<PackError> = Vec::new();
        for p in packs.values() {
            for s in &p.meta.supersedes {
                if !packs.contains_key(s) {
                    errors.push(p.error_at(
                        0,
                        "[pack]",
                        format!(
                            "政策包 {} 声明取代的政策包“{s}”未载入{}",
                            p.meta.id,
                            hint(s, packs.keys().map(String::as_str))
                        ),
                    ));
                }
            }
            for x in &p.xrefs {
                for (pid, art) in [&x.cites, &x.means] {
                    match packs.get(pid) {
                        None => errors.push(p.error_at(
                            x.at,
                            &format!("交叉引用 {}", x.from),
                            format!(
                                "交叉引用 {} 所引的政策包“{pid}”未载入{}",
                                x.from,
                                hint(pid, packs.keys().map(String::as_str))
                            ),
                        )),
                        Some(q) if q.article(art).is_none() => errors.push(p.error_at(
                            x.at,
                            &format!("交叉引用 {}", x.from),
                            format!("交叉引用 {} 所引的条文“{pid} {art}”不存在", x.from),
                        )),
                        _ => {}
                    }
                }
            }
        }
        errors.extend(crate::judge::check_same_as(&packs));
        let mut programs = BTreeMap::new();
        for p in packs.values() {
            match Program::compile(p, &packs) {
                Ok(prog) => {
                    programs.insert(p.meta.id.clone(), prog);
                }
                Err(es) => errors.extend(es),
            }
        }
        if !errors.is_empty() {
            return Err(PackErrors(errors));
        }
        let set = PackSet { packs, programs };
        for p in set.packs.values() {
            let lineage = set.lineage(&p.meta.id);
            for (rid, at, section) in &p.deferred_fired {
                if !lineage.iter().any(|q| q.rule(rid).is_some()) {
                    let known: Vec<&str> = lineage
                        .iter()
                        .flat_map(|q| q.rules.iter().map(|r| r.id.as_str()))
                        .collect();
                    errors.push(p.error_at(
                        *at,
                        section,
                        format!(
                            "{section} 预期触发的规则“{rid}”不存在{}",
                            hint(rid, known.into_iter())
                        ),
                    ));
                }
            }
            // Example facts not declared by the pack must come from a referenced pack or
            // another version of the same regulation.
            for ex in &p.examples {
                for (k, v) in &ex.facts {
                    if p.fact(k).is_some() {
                        continue;
                    }
                    let def = lineage
                        .iter()
                        .filter_map(|q| set.programs.get(&q.meta.id))
                        .find_map(|prog| prog.fact_index(k).map(|i| &prog.facts[i]));
                    match def {
                        None => errors.push(p.error_at(
                            0,
                            &format!("示例 {}", ex.id),
                            format!(
                                "示例 {} 给出的事实“{k}”未定义{}",
                                ex.id,
                                hint(
                                    k,
                                    set.programs
                                        .get(&p.meta.id)
                                        .into_iter()
                                        .flat_map(|prog| prog.facts.iter().map(|f| f.id.as_str()))
                                )
                            ),
                        )),
                        Some(f) => {
                            if let Err(e) = retype(f.ty, &f.choices, k, v) {
                                errors.push(p.error_at(
                                    0,
                                    &format!("示例 {}", ex.id),
                                    format!("示例 {}：{e}", ex.id),
                                ));
                            }
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(PackErrors(errors))
        }
    }
    pub fn packs(&self) -> impl Iterator<Item = &Pack> {
        self.packs.values()
    }

    pub fn pack(&self, id: &str) -> Result<&Pack, InputError> {
        self.packs.get(id).ok_or_else(|| InputError::UnknownPack {
            id: id.to_string(),
            hint: hint(id, self.packs.keys().map(String::as_str)),
        })
    }

    pub fn program(&self, id: &str) -> Result<&Program, InputError> {
        self.programs
            .get(id)
            .ok_or_else(|| InputError::UnknownPack {
                id: id.to_string(),
                hint: hint(id, self.packs.keys().map(String::as_str)),
            })
    }

    /// The versions of the same regulation as `id` (linked by `supersedes`), oldest first.
    pub fn lineage(&self, id: &str) -> Vec<&Pack> {
        let mut ids = vec![id.to_string()];
        let mut changed = true;
        while changed {
            changed = false;
            for p in self.packs.values() {
                let linked =
                    ids.contains(&p.meta.id) || p.meta.supersedes.iter().any(|s| ids.contains(s));
                let back: Vec<String> = if ids.contains(&p.meta.id) {
                    p.meta.supersedes.clone()
                } else {
                    vec![]
                };
                if linked && !ids.contains(&p.meta.id) {
                    ids.push(p.meta.id.clone());
                    changed = true;
                }
                for b in back {
                    if !ids.contains(&b) && self.packs.contains_key(&b) {
                        ids.push(b);
                        changed = true;
                    }
                }
            }
        }
        let mut v: Vec<&Pack> = ids.iter().filter_map(|i| self.packs.get(i)).collect();
        v.sort_by_key(|p| p.meta.effective);
        v
    }

    /// The version of `id`'s regulation in force on `d` (the latest that is in force).
    pub fn in_force(&self, id: &str, d: NaiveDate) -> Option<&Pack> {
        self.lineage(id).into_iter().rfind(|p| p.in_force(d))
    }

    /// Types user input against every version of `id`'s regulation.
    pub fn typed_facts(
        &self,
        id: &str,
        given: &[(String, Input)],
    ) -> Result<Vec<(String, Value)>, InputError> {
        let mut defs = Vec::new();
        for p in self.lineage(id) {
            if let Ok(prog) = self.program(&p.meta.id) {
                defs.extend(prog.facts.iter());
            }
        }
        let mut out = Vec::new();
        for (k, v) in given {
            let Some(def) = defs.iter().find(|f| f.id == *k) else {
                return Err(InputError::UnknownFact {
                    pack: id.to_string(),
                    fact: k.clone(),
                    hint: hint(k, defs.iter().map(|f| f.id.as_str())),
                });
            };
            out.push((k.clone(), typed(def.ty, &def.choices, k, v)?));
        }
        Ok(out)
    }

    /// Evaluates `facts` under pack `id`. With dates, 从旧兼从轻: if the version in force at
    /// the conduct differs from the one at the decision, both are evaluated and the more
    /// lenient result applies.
    pub fn evaluate(
        &self,
        id: &str,
        facts: &[(String, Value)],
        conduct: Option<NaiveDate>,
        decision: Option<NaiveDate>,
    ) -> Result<Decision, InputError> {
        let requested = self.pack(id)?;
        let lineage = self.lineage(id);
        let at_decision = match decision {
            Some(d) => self.in_force(id, d).unwrap_or(requested),
            None => match conduct {
                // Without a decision date the current (latest) version decides.
                Some(_) => lineage.last().copied().unwrap_or(requested),
                None => requested,
            },
        };
        let at_conduct = conduct.and_then(|d| self.in_force(id, d));
        let mut new = self.run(&at_decision.meta.id, facts)?;
        let Some(old_pack) = at_conduct.filter(|p| p.meta.id != at_decision.meta.id) else {
            if let (Some(c), None) = (conduct, at_conduct) {
                new.evaluation.notes.push(format!(
                    "行为发生时（{}）没有已载入的该规定版本生效，按 {} 评估。",
                    date_zh(c),
                    at_decision.meta.id
                ));
            }
            return Ok(new);
        };
        let old = self.run(&old_pack.meta.id, facts)?;
        let (o, n) = (&old.evaluation.clone(), &new.evaluation.clone());
        let describe = |p: &Pack| {
            format!(
                "{}（{}，{}起施行）",
                p.meta.id,
                if p.meta.document_number.is_empty() {
                    p.meta.version.as_str()
                } else {
                    p.meta.document_number.as_str()
                },
                date_zh(p.meta.effective)
            )
        };
        let head = format!(
            "从旧兼从轻：行为发生于{}，适用当时有效的 {}；处理于{}，现行为 {}。",
            conduct.map(date_zh).unwrap_or_default(),
            describe(old_pack),
            decision.map(date_zh).unwrap_or_else(|| "现在".into()),
            describe(at_decision)
        );
        let score = |e: &Evaluation| e.key.map(|k| k.lenient_score());
        let zh = |e: &Evaluation| match e.key {
            Some(k) => {
                let mut s = k
                    .outcome
                    .map_or("一般处理".to_string(), |o| o.zh().to_string());
                if let Some(m) = k.modality {
                    s = format!("{}{s}", m.zh());
                }
                let l: Vec<&str> = k.leniency_list().iter().map(|l| l.zh()).collect();
                if !l.is_empty() {
                    s.push_str(&format!("（{}）", l.join("、")));
                }
                s
            }
            None => "尚不能确定".to_string(),
        };
        match (score(o), score(n)) {
            (Some(so), Some(sn)) => {
                let (pick, pid) = if so > sn {
                    (old, old_pack.meta.id.clone())
                } else {
                    (new, at_decision.meta.id.clone())
                };
                let mut e = pick.evaluation;
                let why = if so == sn {
                    format!(
                        "两者结论相同（{}），适用现行的 {}。",
                        zh(&e),
                        at_decision.meta.id
                    )
                } else {
                    format!(
                        "按 {} 为{}，按 {} 为{}，适用较轻的 {}。",
                        old_pack.meta.id,
                        zh(o),
                        at_decision.meta.id,
                        zh(n),
                        pid
                    )
                };
                e.notes.insert(0, format!("{head}{why}"));
                Ok(Decision {
                    evaluation: e,
                    applied: pid,
                })
            }
            _ => {
                // At least one version cannot decide yet. If the decided one is already at
                // least as lenient as anything the other could give, it stands; otherwise
                // the case stays undetermined and both versions' questions are asked.
                let best_possible = |e: &Evaluation| {
                    e.possible()
                        .iter()
                        .map(|k| k.lenient_score())
                        .max()
                        .unwrap_or(0)
                };
                let settled = match (score(o), score(n)) {
                    (Some(so), None) if so >= best_possible(n) => Some((old.clone(), old_pack)),
                    (None, Some(sn)) if sn >= best_possible(o) => Some((new.clone(), at_decision)),
                    _ => None,
                };
                if let Some((d, p)) = settled {
                    let mut e = d.evaluation;
                    e.notes.insert(
                        0,
                        format!(
                            "{head}按 {} 已为{}，另一版本无论如何认定都不会更轻，适用 {}。",
                            p.meta.id,
                            zh(&e),
                            p.meta.id
                        ),
                    );
                    return Ok(Decision {
                        evaluation: e,
                        applied: p.meta.id.clone(),
                    });
                }
                let mut e = new.evaluation.clone();
                e.outcome = "undetermined".into();
                e.modality = None;
                e.leniency.clear();
                e.key = None;
                for q in &o.questions {
                    if !e.questions.iter().any(|x| x.fact == q.fact) {
                        e.questions.push(q.clone());
                    }
                }
                let keep = self.decisive_across(
                    &old_pack.meta.id,
                    &at_decision.meta.id,
                    facts,
                    &e.questions,
                );
                if let Some(keep) = keep {
                    e.questions.retain(|q| keep.contains(&q.fact));
                }
                e.notes.insert(
                    0,
                    format!(
                        "{head}按 {} 为{}，按 {} 为{}；须待事实查明后比较两者，适用较轻者。",
                        old_pack.meta.id,
                        zh(o),
                        at_decision.meta.id,
                        zh(n)
                    ),
                );
                Ok(Decision {
                    evaluation: e,
                    applied: at_decision.meta.id.clone(),
                })
            }
        }
    }

    /// Of the questions of two versions, those whose answer can change the more lenient of the
    /// two decisions (brute force over the questions; `None` when too many to enumerate or when
    /// the check finds none, in which case all are kept).
    fn decisive_across(
        &self,
        old: &str,
        new: &str,
        facts: &[(String, Value)],
        questions: &[crate::program::Question],
    ) -> Option<Vec<String>> {
        let (po, pn) = (self.program(old).ok()?, self.program(new).ok()?);
        let domain = |f: &str| -> Option<Vec<Value>> {
            po.fact_index(f)
                .map(|i| po.facts[i].domain.clone())
                .or_else(|| pn.fact_index(f).map(|i| pn.facts[i].domain.clone()))
        };
        let doms: Vec<Vec<Value>> = questions
            .iter()
            .map(|q| domain(&q.fact))
            .collect::<Option<_>>()?;
        let mut size = 1usize;
        for d in &doms {
            size = size.checked_mul(d.len().max(1))?;
        }
        if size > 1 << 12 {
            return None;
        }
        let fill = |p: &Program, extra: &[(String, Value)]| {
            let mut v = vec![None; p.facts.len()];
            for (k, x) in facts.iter().chain(extra) {
                if let Some(i) = p.fact_index(k) {
                    v[i] = Some(x.clone());
                }
            }
            v
        };
        let mut table = Vec::with_capacity(size);
        for code in 0..size {
            let mut c = code;
            let mut extra = Vec::new();
            for (q, d) in questions.iter().zip(&doms) {
                extra.push((q.fact.clone(), d[c % d.len()].clone()));
                c /= d.len();
            }
            let ko = po.point_key(&fill(po, &extra));
            let kn = pn.point_key(&fill(pn, &extra));
            table.push(if ko.lenient_score() > kn.lenient_score() {
                ko
            } else {
                kn
            });
        }
        let mut keep = Vec::new();
        let mut stride = 1usize;
        for (q, d) in questions.iter().zip(&doms) {
            let len = d.len();
            let moves = (0..size).any(|idx| {
                let v = (idx / stride) % len;
                ((v + 1)..len).any(|w| table[idx] != table[idx + (w - v) * stride])
            });
            if moves {
                keep.push(q.fact.clone());
            }
            stride *= len;
        }
        (!keep.is_empty()).then_some(keep)
    }

    /// Evaluates under exactly one pack (facts it does not know are ignored).
    pub fn run(&self, id: &str, facts: &[(String, Value)]) -> Result<Decision, InputError> {
        let prog = self.program(id)?;
        let mut vals = vec![None; prog.facts.len()];
        for (k, v) in facts {
            if let Some(i) = prog.fact_index(k) {
                vals[i] = Some(v.clone());
            }
        }
        Ok(Decision {
            evaluation: prog.evaluate(&vals),
            applied: id.to_string(),
        })
    }

    /// Runs every example of every pack (or of `only`).
    pub fn run_examples(&self, only: Option<&str>) -> Vec<ExampleResult> {
        let mut out = Vec::new();
        for p in self.packs.values() {
            if only.is_some_and(|o| o != p.meta.id) {
                continue;
            }
            for ex in &p.examples {
                let mut failures = Vec::new();
                let facts = match self.typed_facts(
                    &p.meta.id,
                    &ex.facts
                        .iter()
                        .map(|(k, v)| (k.clone(), value_input(v)))
                        .collect::<Vec<_>>(),
                ) {
                    Ok(f) => f,
                    Err(e) => {
                        out.push(ExampleResult {
                            pack: p.meta.id.clone(),
                            id: ex.id.clone(),
                            failures: vec![e.to_string()],
                        });
                        continue;
                    }
                };
                if let Some(want) = &ex.expect.shares {
                    match self.allocate(&p.meta.id, &ex.people, &facts) {
                        Err(e) => failures.push(e.to_string()),
                        Ok(a) => {
                            let mut got: Vec<(String, String)> = a
                                .shares
                                .iter()
                                .map(|s| (s.person.clone(), s.share.clone()))
                                .collect();
                            got.sort();
                            got.dedup();
                            let mut w: Vec<(String, String)> = want
                                .iter()
                                .map(|(p, s)| (p.clone(), s.id().to_string()))
                                .collect();
                            w.sort();
                            if got != w {
                                let show = |v: &[(String, String)]| {
                                    v.iter()
                                        .map(|(p, s)| format!("{p}:{s}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                };
                                failures.push(format!(
                                    "责任划分应为 [{}]，实际为 [{}]",
                                    show(&w),
                                    show(&got)
                                ));
                            }
                        }
                    }
                }
                let d = self.evaluate(&p.meta.id, &facts, ex.conduct_date, ex.decision_date);
                match d {
                    Err(e) => failures.push(e.to_string()),
                    Ok(d) => {
                        let e = &d.evaluation;
                        let x = &ex.expect;
                        if let Some(o) = &x.outcome {
                            if e.outcome != *o {
                                failures.push(format!("结果应为 {o}，实际为 {}", e.outcome));
                            }
                        }
                        if let Some(m) = x.modality {
                            if e.modality != Some(m) {
                                failures.push(format!(
                                    "modality 应为 {}，实际为 {}",
                                    m.id(),
                                    e.modality.map_or("（无）", |m| m.id())
                                ));
                            }
                        }
                        if let Some(l) = &x.leniency {
                            if *l != e.leniency {
                                failures.push(format!(
                                    "leniency 应为 [{}]，实际为 [{}]",
                                    l.iter().map(|l| l.id()).collect::<Vec<_>>().join(", "),
                                    e.leniency
                                        .iter()
                                        .map(|l| l.id())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ));
                            }
                        }
                        if let Some(f) = &x.fired {
                            let mut a = f.clone();
                            a.sort();
                            let mut b: Vec<String> = e.fired.clone();
                            b.sort();
                            if a != b {
                                failures.push(format!(
                                    "触发的规则应为 [{}]，实际为 [{}]",
                                    a.join(", "),
                                    b.join(", ")
                                ));
                            }
                        }
                        if let Some((fo, fl)) = &x.floor {
                            let got = e.floor.as_ref().map(|f| (f.outcome, f.leniency.clone()));
                            if got.as_ref() != Some(&(*fo, fl.clone())) {
                                failures.push(format!(
                                    "保底结论应为 {} [{}]，实际为 {}",
                                    fo.id(),
                                    fl.iter().map(|l| l.id()).collect::<Vec<_>>().join(", "),
                                    got.map_or("（无）".to_string(), |(o, l)| format!(
                                        "{} [{}]",
                                        o.id(),
                                        l.iter().map(|l| l.id()).collect::<Vec<_>>().join(", ")
                                    ))
                                ));
                            }
                        }
                        if let Some(q) = &x.questions {
                            let got: Vec<String> =
                                e.questions.iter().map(|q| q.fact.clone()).collect();
                            let mut a = q.clone();
                            a.sort();
                            let mut b = got.clone();
                            b.sort();
                            if a != b {
                                failures.push(format!(
                                    "待问事实应为 [{}]，实际为 [{}]",
                                    q.join(", "),
                                    got.join(", ")
                                ));
                            }
                        }
                    }
                }
                out.push(ExampleResult {
                    pack: p.meta.id.clone(),
                    id: ex.id.clone(),
                    failures,
                });
            }
        }
        out
    }
}

/// One option of the situation question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SituationOption {
    pub id: String,
    /// The option as the user reads it.
    pub label: String,
    /// The fact it answers (true when chosen, false when not).
    pub fact: String,
    pub articles: Vec<String>,
}

/// The first question of a situation-first interview: which of the pack's situations the case
/// is in. Several may be chosen; those not chosen do not apply.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SituationQuestion {
    pub question: String,
    pub options: Vec<SituationOption>,
}

/// One step of a situation-first interview (issue 15 item 7): the evaluation so far, the
/// situation question while a situation is still open and could change the outcome, and the
/// other decisive questions, most decisive first. Every question is decisive (the engine's
/// exact `questions`); answering the situation question is answering the situations' facts,
/// after which only what can still change the outcome within those situations is asked.
#[derive(Debug, Clone)]
pub struct Interview {
    pub decision: Decision,
    pub situation: Option<SituationQuestion>,
    pub questions: Vec<crate::program::Question>,
}

impl PackSet {
    /// The next step of the interview of a case under pack `id` (dates as for
    /// [`PackSet::evaluate`]). Pure: the caller keeps the facts and calls again after each
    /// answer; [`PackSet::situation_answer`] turns the chosen situations into facts.
    pub fn interview(
        &self,
        id: &str,
        facts: &[(String, Value)],
        conduct: Option<NaiveDate>,
        decision: Option<NaiveDate>,
    ) -> Result<Interview, InputError> {
        let decision = self.evaluate(id, facts, conduct, decision)?;
        let prog = self.program(id)?;
        let known = |f: &str| {
            facts.iter().any(|(k, _)| k == f)
                || decision.evaluation.implied.iter().any(|(k, _)| k == f)
        };
        let asked: Vec<&str> = decision
            .evaluation
            .questions
            .iter()
            .map(|q| q.fact.as_str())
            .collect();
        let open: Vec<&crate::program::SituationDef> = prog
            .situations
            .iter()
            .filter(|x| !known(&prog.facts[x.fact].id))
            .collect();
        let offered = open
            .iter()
            .any(|x| asked.contains(&prog.facts[x.fact].id.as_str()));
        let (situation, questions) = if offered {
            let facts_of: Vec<&str> = open
                .iter()
                .map(|x| prog.facts[x.fact].id.as_str())
                .collect();
            (
                Some(SituationQuestion {
                    question: "本案涉及下列哪些情形？（可选多项；未选的视为不涉及）".to_string(),
                    options: open
                        .iter()
                        .map(|x| SituationOption {
                            id: x.id.clone(),
                            label: x.label.clone(),
                            fact: prog.facts[x.fact].id.clone(),
                            articles: x.articles.iter().map(|a| format!("{id} {a}")).collect(),
                        })
                        .collect(),
                }),
                decision
                    .evaluation
                    .questions
                    .iter()
                    .filter(|q| !facts_of.contains(&q.fact.as_str()))
                    .cloned()
                    .collect(),
            )
        } else {
            (None, decision.evaluation.questions.clone())
        };
        Ok(Interview {
            decision,
            situation,
            questions,
        })
    }

    /// The facts an answer to the situation question gives: each situation of pack `id` whose
    /// fact is not among `known` holds if chosen and does not otherwise.
    pub fn situation_answer(
        &self,
        id: &str,
        known: &[(String, Value)],
        chosen: &[String],
    ) -> Result<Vec<(String, Value)>, InputError> {
        let prog = self.program(id)?;
        for c in chosen {
            if !prog.situations.iter().any(|x| &x.id == c) {
                return Err(InputError::UnknownSituation {
                    pack: id.to_string(),
                    situation: c.clone(),
                    known: prog
                        .situations
                        .iter()
                        .map(|x| format!("{}（{}）", x.id, x.label))
                        .collect::<Vec<_>>()
                        .join("、"),
                });
            }
        }
        Ok(prog
            .situations
            .iter()
            .filter(|x| !known.iter().any(|(k, _)| *k == prog.facts[x.fact].id))
            .map(|x| {
                (
                    prog.facts[x.fact].id.clone(),
                    Value::Bool(chosen.contains(&x.id)),
                )
            })
            .collect())
    }
}

fn value_input(v: &Value) -> Input {
    match v {
        Value::Bool(b) => Input::Bool(*b),
        Value::Number(n) => Input::Number(*n),
        Value::Choice(s) => Input::Text(s.clone()),
        Value::Date(d) => Input::Text(d.to_string()),
    }
}

fn retype(ty: FactType, choices: &[String], k: &str, v: &Value) -> Result<Value, InputError> {
    typed(ty, choices, k, &value_input(v))
}

/// Types one input value for a fact.
pub fn typed(ty: FactType, choices: &[String], k: &str, v: &Input) -> Result<Value, InputError> {
    let wrong = || InputError::WrongType {
        fact: k.to_string(),
        expected: ty.zh().to_string(),
        got: v.describe(),
    };
    match (ty, v) {
        (FactType::Bool, Input::Bool(b)) => Ok(Value::Bool(*b)),
        (FactType::Number, Input::Number(n)) => Ok(Value::Number(*n)),
        (FactType::Date, Input::Text(s)) => parse_date(s).map(Value::Date).ok_or_else(wrong),
        (FactType::Choice, Input::Text(s)) => {
            if choices.contains(s) {
                Ok(Value::Choice(s.clone()))
            } else {
                Err(InputError::NotAChoice {
                    fact: k.to_string(),
                    got: s.clone(),
                    choices: choices.join("、"),
                })
            }
        }
        _ => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(id: &str, effective: &str, until: &str, supersedes: &str) -> String {
        format!(
            "[pack]\nid = \"{id}\"\ntitle = \"t\"\neffective = \"{effective}\"\n{until}supersedes = [{supersedes}]\n\n[[article]]\nid = \"§1\"\ntext = \"…\"\nkind = \"declarative\"\n"
        )
    }

    #[test]
    fn versions_in_force_follow_effective_and_until() {
        let old = pack("v1", "1999-01-01", "until = \"2016-02-29\"\n", "");
        let new = pack("v2", "2016-03-01", "", "\"v1\"");
        let s = PackSet::load([("a.toml", old.as_str()), ("b.toml", new.as_str())]).unwrap();
        let d = |x: &str| parse_date(x).unwrap();
        assert_eq!(s.in_force("v2", d("2015-01-01")).unwrap().meta.id, "v1");
        assert_eq!(s.in_force("v1", d("2016-02-29")).unwrap().meta.id, "v1");
        assert_eq!(s.in_force("v1", d("2016-03-01")).unwrap().meta.id, "v2");
        assert!(s.in_force("v1", d("1990-01-01")).is_none());
        let ids: Vec<&str> = s.lineage("v1").iter().map(|p| p.meta.id.as_str()).collect();
        assert_eq!(ids, ["v1", "v2"]);
    }

    #[test]
    fn superseding_a_missing_pack_is_an_error() {
        let new = pack("v2", "2016-03-01", "", "\"v0\"");
        let e = PackSet::load([("b.toml", new.as_str())]).unwrap_err();
        assert!(e.to_string().contains("声明取代的政策包“v0”未载入"), "{e}");
    }

    #[test]
    fn inputs_are_typed_with_chinese_errors() {
        assert!(matches!(
            typed(FactType::Bool, &[], "x", &Input::Text("是".into())),
            Err(InputError::WrongType { .. })
        ));
        assert_eq!(
            typed(FactType::Date, &[], "d", &Input::Text("2024-02-29".into())).unwrap(),
            Value::Date(parse_date("2024-02-29").unwrap())
        );
        let e = typed(
            FactType::Choice,
            &["a".into()],
            "k",
            &Input::Text("b".into()),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "事实“k”的取值“b”不在可选值之内（可选值：a）");
    }
}
