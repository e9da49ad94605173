//! Coverage (issue 20 item 5): for each article of a pack, how it is implemented — a rule the
//! engine applies, a step a process carries out, a period a process reads, or a declarative
//! article — and what is missing. The engine knows nothing of processes: what they use of the
//! packs arrives as data ([`InUse`], built by the process registry from each process's
//! declaration), so a `[[procedure]]` or `[[period]]` that no process uses is reported as a gap
//! instead of counting as coverage.

use std::collections::BTreeMap;

use crate::error::InputError;
use crate::pack::{article_within, ArticleKind};
use crate::set::PackSet;

/// What the processes use of the packs: the periods they read and the procedures they carry
/// out, each with the names of the processes that do (`免责容错申请`). The process registry
/// builds it (`lvzhi_processes::in_use`); an empty one means no process uses anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InUse {
    periods: BTreeMap<(String, String), Vec<String>>,
    procedures: BTreeMap<(String, String), Vec<String>>,
}

impl InUse {
    /// The process `by` reads the period `id` of pack `pack`.
    pub fn period(&mut self, pack: &str, id: &str, by: &str) {
        add(&mut self.periods, pack, id, by);
    }

    /// The process `by` carries out the procedure `id` of pack `pack`.
    pub fn procedure(&mut self, pack: &str, id: &str, by: &str) {
        add(&mut self.procedures, pack, id, by);
    }

    /// Every period and procedure of every pack of `set`, as if a process (named `pack`) used
    /// each: what coverage says of the packs as data alone, apart from the processes (a
    /// pack's completeness: every article given a rule, a procedure or a period).
    pub fn all_of(set: &PackSet) -> InUse {
        let mut used = InUse::default();
        for p in set.packs() {
            for x in &p.periods {
                used.period(&p.meta.id, &x.id, "pack");
            }
            for x in &p.procedures {
                used.procedure(&p.meta.id, &x.id, "pack");
            }
        }
        used
    }

    /// The processes reading period `id` of `pack` (empty: none).
    pub fn period_users(&self, pack: &str, id: &str) -> &[String] {
        users(&self.periods, pack, id)
    }

    /// The processes carrying out procedure `id` of `pack` (empty: none).
    pub fn procedure_users(&self, pack: &str, id: &str) -> &[String] {
        users(&self.procedures, pack, id)
    }
}

fn add(map: &mut BTreeMap<(String, String), Vec<String>>, pack: &str, id: &str, by: &str) {
    let v = map.entry((pack.to_string(), id.to_string())).or_default();
    if !v.iter().any(|x| x == by) {
        v.push(by.to_string());
    }
}

fn users<'a>(
    map: &'a BTreeMap<(String, String), Vec<String>>,
    pack: &str,
    id: &str,
) -> &'a [String] {
    map.get(&(pack.to_string(), id.to_string()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A pack's `[[procedure]]` or `[[period]]` citing the article, and the processes that use it
/// (empty: none does, a gap).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Use {
    pub id: String,
    pub processes: Vec<String>,
}

/// One article's coverage.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CoverageRow {
    pub article: String,
    /// The article's kind (`operative`, `procedural`, `declarative`, `organisational`).
    pub kind: &'static str,
    /// How the article is implemented, in this order, several possible: `rule` (a `[[rule]]`
    /// or `[[allocation]]` of the pack cites it, which the engine evaluates), `step` (a
    /// `[[procedure]]` citing it that a process carries out), `period` (a `[[period]]` citing
    /// it that a process reads), `declarative` (a declarative article: nothing to implement).
    pub implemented: Vec<&'static str>,
    /// The rules and allocations citing the article.
    pub rules: Vec<String>,
    /// The examples testing it.
    pub examples: Vec<String>,
    /// Every `[[period]]` citing it (used or not; see `period_uses`).
    pub periods: Vec<String>,
    /// Every `[[procedure]]` citing it (used or not; see `procedure_uses`).
    pub procedures: Vec<String>,
    /// Each period of `periods` with the processes that read it.
    pub period_uses: Vec<Use>,
    /// Each procedure of `procedures` with the processes that carry it out.
    pub procedure_uses: Vec<Use>,
    /// `covered`, `gap`, `declarative` or `organisational`: `gap` whenever `missing` is not
    /// empty, whatever the kind.
    pub status: &'static str,
    /// What is missing, in Chinese (empty when nothing is).
    pub missing: String,
}

impl CoverageRow {
    /// The procedures citing the article that no process carries out.
    pub fn unused_procedures(&self) -> impl Iterator<Item = &str> {
        self.procedure_uses
            .iter()
            .filter(|u| u.processes.is_empty())
            .map(|u| u.id.as_str())
    }

    /// The periods citing the article that no process reads.
    pub fn unused_periods(&self) -> impl Iterator<Item = &str> {
        self.period_uses
            .iter()
            .filter(|u| u.processes.is_empty())
            .map(|u| u.id.as_str())
    }
}

impl PackSet {
    /// Each article of pack `id`: how it is implemented, given what the processes use of the
    /// packs (`used`), and what is missing. A `[[procedure]]` or `[[period]]` that no process
    /// uses is a gap of every article it cites, never coverage; so is an operative article
    /// that no rule, step or period implements, and an operative article with rules but no
    /// example.
    pub fn coverage(&self, id: &str, used: &InUse) -> Result<Vec<CoverageRow>, InputError> {
        let p = self.pack(id)?;
        let pack = p.meta.id.as_str();
        let mut rows = Vec::new();
        for a in &p.articles {
            let within = |x: &String| article_within(x, &a.id);
            let rules: Vec<String> = p
                .rules
                .iter()
                .filter(|r| r.articles.iter().any(within))
                .map(|r| r.id.clone())
                .chain(
                    p.allocations
                        .iter()
                        .filter(|r| r.articles.iter().any(within))
                        .map(|r| r.id.clone()),
                )
                .collect();
            let examples: Vec<String> = p
                .examples
                .iter()
                .filter(|e| {
                    e.articles.iter().any(within)
                        || e.expect.fired.as_ref().is_some_and(|f| {
                            f.iter()
                                .any(|r| p.rule(r).is_some_and(|r| r.articles.iter().any(within)))
                        })
                })
                .map(|e| e.id.clone())
                .collect();
            let period_uses: Vec<Use> = p
                .periods
                .iter()
                .filter(|x| x.articles.iter().any(within))
                .map(|x| Use {
                    id: x.id.clone(),
                    processes: used.period_users(pack, &x.id).to_vec(),
                })
                .collect();
            let procedure_uses: Vec<Use> = p
                .procedures
                .iter()
                .filter(|x| x.articles.iter().any(within))
                .map(|x| Use {
                    id: x.id.clone(),
                    processes: used.procedure_users(pack, &x.id).to_vec(),
                })
                .collect();
            let step = procedure_uses.iter().any(|u| !u.processes.is_empty());
            let period = period_uses.iter().any(|u| !u.processes.is_empty());
            let mut implemented = Vec::new();
            if !rules.is_empty() {
                implemented.push("rule");
            }
            if step {
                implemented.push("step");
            }
            if period {
                implemented.push("period");
            }
            if a.kind == ArticleKind::Declarative {
                implemented.push("declarative");
            }
            let mut missing = Vec::new();
            let unused = |u: &[Use]| -> Vec<String> {
                u.iter()
                    .filter(|u| u.processes.is_empty())
                    .map(|u| u.id.clone())
                    .collect()
            };
            let idle_procedures = unused(&procedure_uses);
            if !idle_procedures.is_empty() {
                missing.push(format!("程序 {} 无流程执行", idle_procedures.join("、")));
            }
            let idle_periods = unused(&period_uses);
            if !idle_periods.is_empty() {
                missing.push(format!("期间 {} 无流程使用", idle_periods.join("、")));
            }
            match a.kind {
                ArticleKind::Operative => {
                    if rules.is_empty() && !step && !period {
                        missing.push("无规则、步骤或期间实施本条".to_string());
                    } else if !rules.is_empty() && examples.is_empty() {
                        missing.push("规则缺少示例".to_string());
                    }
                }
                ArticleKind::Procedural => {
                    if rules.is_empty() && !step && !period && missing.is_empty() {
                        missing.push("缺少期间（[[period]]）或程序（[[procedure]]）".to_string());
                    }
                }
                ArticleKind::Declarative | ArticleKind::Organisational => {}
            }
            let status = if !missing.is_empty() {
                "gap"
            } else {
                match a.kind {
                    ArticleKind::Declarative => "declarative",
                    ArticleKind::Organisational => "organisational",
                    _ => "covered",
                }
            };
            rows.push(CoverageRow {
                article: a.id.clone(),
                kind: a.kind.id(),
                implemented,
                periods: period_uses.iter().map(|u| u.id.clone()).collect(),
                procedures: procedure_uses.iter().map(|u| u.id.clone()).collect(),
                rules,
                examples,
                period_uses,
                procedure_uses,
                status,
                missing: missing.join("；"),
            });
        }
        Ok(rows)
    }
}
