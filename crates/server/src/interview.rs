//! The facts interview and the live recommended determination (DESIGN §4): the case's facts in
//! the pack's vocabulary are evaluated by the rules engine, which returns the outcome, its
//! modality and leniency, the rules that fired or were defeated, the articles cited (with their
//! text) and — while facts are unknown — exactly the questions that could still change it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use lvzhi_rules::{split_citation, FactType, PackSet, Value};
use serde::Serialize;

use crate::cases::form::FormValues;
use crate::error::AppError;
use crate::packs::json_input;

/// The pack whose facts an application's interview asks (000): what the API's evaluator and
/// fact list answer for.
pub(crate) fn application_pack() -> &'static str {
    <lvzhi_workflow::Application as lvzhi_processes::Process>::PACK
}

/// A question of the pack's vocabulary, as the interview form shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct FactView {
    pub id: String,
    /// `bool`, `choice`, `number` or `date`.
    #[serde(rename = "type")]
    pub ty: String,
    pub question: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceView>,
    /// Articles the fact serves.
    pub articles: Vec<String>,
    /// For a question of another governing pack (id `"<pack>:<fact>"`): that regulation's
    /// title, 《…》.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regulation: Option<String>,
    /// For a fact of another regulation that this pack's own rules read (000 §7(五) and §8 cite
    /// the 2016 fault rules): that regulation's title, 《…》. Answered here under its bare id,
    /// as one of this pack's questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cited_from: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ChoiceView {
    pub id: String,
    pub label: String,
}

/// A cited article with its text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct CitationView {
    pub citation: String,
    /// As readers cite it: 《…》第七条第（一）项.
    pub readable: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct QuestionView {
    pub fact: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct DefeatView {
    pub rule: String,
    pub by: Vec<String>,
    pub reason: String,
}

/// The evaluation, with the field names of `lvzhi evaluate --json` plus Chinese texts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct EvaluationView {
    /// `exemption|tolerance|exclusion|aggravation|none|undetermined`.
    pub outcome: String,
    /// `shall|may`, absent while undetermined or for `none` by default.
    pub modality: Option<String>,
    pub leniency: Vec<String>,
    pub fired: Vec<String>,
    pub defeated: Vec<DefeatView>,
    pub citations: Vec<String>,
    pub questions: Vec<QuestionView>,
    pub notes: Vec<String>,
    /// The conclusion in one Chinese sentence.
    pub summary_zh: String,
    pub articles: Vec<CitationView>,
    /// The pack version whose result applies (从旧兼从轻).
    pub applied: String,
    // Issue 20 item 3. The doc comment is Chinese: the schema shows it inside a `oneOf`,
    // where the API reference's glossary does not reach.
    /// 案件适用多项规定时：每项规定下的结论、适用哪一项及其理由、各规定结论的差异。
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgement: Option<JudgementView>,
}

/// The case judged under each governing pack: each result, which prevails and why, and where
/// they differ.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct JudgementView {
    pub results: Vec<PackResultView>,
    /// The pack whose result applies; absent while undetermined.
    pub prevailing: Option<String>,
    /// Why it prevails: `same`, `only`, `bar`, `local`, `superior_floor`, `most_lenient`.
    pub ground: Option<String>,
    /// Which prevails and why, in Chinese.
    pub reason: String,
    /// Where the packs' results differ, in Chinese.
    pub differences: Vec<String>,
}

/// One governing pack's result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct PackResultView {
    pub pack: String,
    /// 《title》.
    pub title: String,
    pub version: String,
    pub outcome: String,
    pub modality: Option<String>,
    pub leniency: Vec<String>,
    pub summary_zh: String,
    /// `applied`, `compared` (从旧兼从轻, the other version applied) or `not_applied`.
    pub standing: String,
    /// Why the version applies or not, in Chinese (empty for a regulation with one version).
    pub standing_zh: String,
    /// Whether this is the result that applies.
    pub prevails: bool,
    pub fired: Vec<String>,
    pub articles: Vec<CitationView>,
    /// What remains to be established under this pack (ids as the case records them).
    pub questions: Vec<QuestionView>,
}

/// The questions of pack `pack_id`, in order.
pub(crate) fn facts(packs: &PackSet, pack_id: &str) -> Result<Vec<FactView>, AppError> {
    let pack = packs
        .pack(pack_id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let view = |f: &lvzhi_rules::Fact, cited_from: Option<String>| FactView {
        id: f.id.clone(),
        ty: f.ty.id().to_string(),
        question: f.question.clone(),
        choices: choice_views(&f.choices, &f.labels),
        articles: f.articles.clone(),
        regulation: None,
        cited_from,
    };
    let mut out: Vec<FactView> = pack.facts.iter().map(|f| view(f, None)).collect();
    // Facts of other regulations that the pack's rules read through `pack(...)` (issue 22
    // item 1): the evaluation asks them, so the interview must too.
    if let Ok(program) = packs.program(pack_id) {
        for d in &program.facts {
            if d.pack == pack_id || pack.fact(&d.id).is_some() {
                continue;
            }
            if let Some((source, f)) = packs
                .pack(&d.pack)
                .ok()
                .and_then(|q| q.fact(&d.id).map(|f| (q, f)))
            {
                out.push(view(f, Some(lvzhi_rules::title_zh(source))));
            }
        }
    }
    Ok(out)
}

/// A choice fact's options with their labels (the id where a label is missing).
fn choice_views(choices: &[String], labels: &[String]) -> Vec<ChoiceView> {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| ChoiceView {
            id: c.clone(),
            label: labels.get(i).cloned().unwrap_or_else(|| c.clone()),
        })
        .collect()
}

/// Facts from a form: `fact.<id>` fields; an empty value or `unknown` leaves the fact unknown.
/// Values are typed by the pack (an unknown id or a wrong value is refused in Chinese).
pub(crate) fn facts_from_form(
    packs: &PackSet,
    pack_id: &str,
    fields: &FormValues,
) -> Result<BTreeMap<String, serde_json::Value>, AppError> {
    packs
        .pack(pack_id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut out = BTreeMap::new();
    for (k, v) in fields.pairs() {
        let Some(id) = k.strip_prefix("fact.") else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() || v == "unknown" {
            continue;
        }
        let ty = match lvzhi_rules::split_key(id) {
            // Another governing pack's question (issue 20 item 3).
            Some((other, fact)) => packs
                .program(other)
                .ok()
                .and_then(|p| p.fact_index(fact).map(|i| p.facts[i].ty)),
            // The pack's own facts and those its rules inline from others (000 §7(五)).
            None => packs
                .program(pack_id)
                .ok()
                .and_then(|p| p.fact_index(id).map(|i| p.facts[i].ty)),
        };
        let Some(ty) = ty else {
            return Err(AppError::BadRequest(format!(
                "事实“{id}”不在政策包 {pack_id} 的事实清单中"
            )));
        };
        let value = match ty {
            FactType::Bool => match v {
                "true" | "yes" | "是" => serde_json::Value::Bool(true),
                "false" | "no" | "否" => serde_json::Value::Bool(false),
                _ => return Err(AppError::BadRequest(format!("事实“{id}”应回答“是”或“否”"))),
            },
            FactType::Number => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => serde_json::json!(x),
                _ => return Err(AppError::BadRequest(format!("事实“{id}”应为数字"))),
            },
            FactType::Choice | FactType::Date => serde_json::Value::String(v.to_string()),
        };
        out.insert(id.to_string(), value);
    }
    Ok(out)
}

fn article_text(packs: &PackSet, citation: &str) -> String {
    let Some((pack_id, art)) = split_citation(citation) else {
        return String::new();
    };
    let Ok(pack) = packs.pack(&pack_id) else {
        return String::new();
    };
    // The item itself, or the article it belongs to ("§7(一)" → "§7").
    if let Some(a) = pack.article(&art) {
        return a.text.clone();
    }
    let base: String = art.chars().take_while(|c| *c != '(' && *c != '¶').collect();
    pack.article(&base)
        .map(|a| a.text.clone())
        .unwrap_or_default()
}

/// The decision in one Chinese sentence.
fn summary(key: Option<lvzhi_rules::Key>, leniency: &[lvzhi_rules::Leniency]) -> String {
    match key {
        None => "尚不能确定：仍有待查明的事实可能改变结论".to_string(),
        Some(k) => {
            let o = k.outcome.map_or("不适用免责容错（依照有关规定处理）", |o| {
                o.zh()
            });
            let m = k.modality.map_or(String::new(), |m| m.zh().to_string());
            let l: Vec<&str> = leniency.iter().map(|l| l.zh()).collect();
            if l.is_empty() {
                format!("{m}{o}")
            } else {
                format!("{m}{o}（{}）", l.join("、"))
            }
        }
    }
}

fn citation_view(packs: &PackSet, c: &str) -> CitationView {
    CitationView {
        citation: c.to_string(),
        readable: packs.cite_zh(c),
        text: article_text(packs, c),
    }
}

/// Evaluates a case's facts under pack 000 (with 从旧兼从轻 when both dates are given).
pub(crate) fn evaluate(
    packs: &PackSet,
    facts: &BTreeMap<String, serde_json::Value>,
    conduct: Option<NaiveDate>,
    decision: Option<NaiveDate>,
) -> Result<EvaluationView, AppError> {
    let mut given = Vec::new();
    for (k, v) in facts {
        if lvzhi_rules::split_key(k).is_some() {
            // Another pack's question: judged only where that pack governs.
            continue;
        }
        if let Some(i) = json_input(k, v).map_err(AppError::BadRequest)? {
            given.push((k.clone(), i));
        }
    }
    let typed: Vec<(String, Value)> = packs
        .typed_facts(application_pack(), &given)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let d = packs
        .evaluate(application_pack(), &typed, conduct, decision)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let e = &d.evaluation;
    Ok(EvaluationView {
        outcome: e.outcome.clone(),
        modality: e.modality.map(|m| m.id().to_string()),
        leniency: e.leniency.iter().map(|l| l.id().to_string()).collect(),
        fired: e.fired.clone(),
        defeated: defeats(e),
        citations: e.citations.clone(),
        questions: e
            .questions
            .iter()
            .map(|q| QuestionView {
                fact: q.fact.clone(),
                question: q.question.clone(),
            })
            .collect(),
        notes: e.explanations.iter().chain(&e.notes).cloned().collect(),
        summary_zh: summary(e.key, &e.leniency),
        articles: e
            .citations
            .iter()
            .map(|c| citation_view(packs, c))
            .collect(),
        applied: d.applied.clone(),
        judgement: None,
    })
}

fn defeats(e: &lvzhi_rules::Evaluation) -> Vec<DefeatView> {
    e.defeated
        .iter()
        .map(|x| DefeatView {
            rule: x.rule.clone(),
            by: x.by.clone(),
            reason: x.reason.clone(),
        })
        .collect()
}

/// The rule packs a case is judged under: those its governance recorded (that are loaded), or
/// the application's own pack for a case recorded before bindings (000 alone, as before).
pub(crate) fn governing(packs: &PackSet, g: Option<&lvzhi_processes::Governance>) -> Vec<String> {
    let rules: Vec<String> = g
        .map(|g| {
            g.rules
                .iter()
                .map(|r| r.pack.clone())
                .filter(|p| packs.pack(p).is_ok())
                .collect()
        })
        .unwrap_or_default();
    if rules.is_empty() {
        vec![application_pack().to_string()]
    } else {
        rules
    }
}

/// The key a question of `pack` is recorded under in a case: the application pack's own fact
/// when one is the same question, else `"<origin pack>:<fact>"` (the pack that declares it).
pub(crate) fn question_key(packs: &PackSet, pack: &str, fact: &str) -> String {
    let vocab = application_pack();
    if let Some(own) = packs
        .same_fact_in(pack, fact, vocab)
        .filter(|f| packs.pack(vocab).is_ok_and(|p| p.fact(f).is_some()))
    {
        return own;
    }
    let origin = packs
        .program(pack)
        .ok()
        .and_then(|p| p.fact_index(fact).map(|i| p.facts[i].pack.clone()))
        .unwrap_or_else(|| pack.to_string());
    lvzhi_rules::fact_key(vocab, &origin, fact)
}

/// The case's facts as answers: the application pack's by id, another pack's as
/// `"<pack>:<fact>"`, each typed by its pack.
fn answers(
    packs: &PackSet,
    facts: &BTreeMap<String, serde_json::Value>,
) -> Result<Vec<lvzhi_rules::Answer>, AppError> {
    let mut out = Vec::new();
    for (k, v) in facts {
        let Some(input) = json_input(k, v).map_err(AppError::BadRequest)? else {
            continue;
        };
        let (pack, fact) = lvzhi_rules::split_key(k).unwrap_or((application_pack(), k));
        let typed = packs
            .typed_facts(pack, &[(fact.to_string(), input)])
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        for (f, value) in typed {
            out.push(lvzhi_rules::Answer {
                pack: pack.to_string(),
                fact: f,
                value,
            });
        }
    }
    Ok(out)
}

/// Evaluates a case's facts under every pack in `rules` (issue 20 item 3): each result with
/// its citations, the one that prevails and why, and where they differ. Under the
/// application's pack alone this is exactly [`evaluate`].
pub(crate) fn judge(
    packs: &PackSet,
    rules: &[String],
    facts: &BTreeMap<String, serde_json::Value>,
    conduct: Option<NaiveDate>,
    decision: Option<NaiveDate>,
) -> Result<EvaluationView, AppError> {
    if rules.iter().all(|r| r == application_pack()) {
        return evaluate(packs, facts, conduct, decision);
    }
    let answers = answers(packs, facts)?;
    let j = packs
        .judge(rules, &answers, conduct, decision)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let question_views = |pack: &str, qs: &[lvzhi_rules::Question]| -> Vec<QuestionView> {
        let mut out: Vec<QuestionView> = Vec::new();
        for q in qs {
            let fact = question_key(packs, pack, &q.fact);
            if !out.iter().any(|x| x.fact == fact) {
                out.push(QuestionView {
                    fact,
                    question: q.question.clone(),
                });
            }
        }
        out
    };
    let results: Vec<PackResultView> = j
        .results
        .iter()
        .map(|r| {
            let e = &r.evaluation;
            let (title, version) = packs.pack(&r.pack).map_or_else(
                |_| (r.pack.clone(), String::new()),
                |p| (lvzhi_rules::title_zh(p), p.meta.version.clone()),
            );
            PackResultView {
                pack: r.pack.clone(),
                title,
                version,
                outcome: e.outcome.clone(),
                modality: e.modality.map(|m| m.id().to_string()),
                leniency: e.leniency.iter().map(|l| l.id().to_string()).collect(),
                summary_zh: summary(e.key, &e.leniency),
                standing: match r.standing {
                    lvzhi_rules::Standing::Applied => "applied",
                    lvzhi_rules::Standing::Compared => "compared",
                    lvzhi_rules::Standing::NotApplied => "not_applied",
                }
                .to_string(),
                standing_zh: r.standing_zh.clone(),
                prevails: j.prevailing.as_deref() == Some(r.pack.as_str()),
                fired: e.fired.clone(),
                articles: e
                    .citations
                    .iter()
                    .map(|c| {
                        let mut v = citation_view(packs, c);
                        // Under its pack's heading: the article alone.
                        if let Some((_, art)) = split_citation(c) {
                            v.readable = lvzhi_rules::article_zh(&art);
                        }
                        v
                    })
                    .collect(),
                questions: question_views(&r.pack, &e.questions),
            }
        })
        .collect();
    let mut questions: Vec<QuestionView> = Vec::new();
    for q in &j.questions {
        for v in question_views(&q.pack, std::slice::from_ref(&q.question)) {
            if !questions.iter().any(|x| x.fact == v.fact) {
                questions.push(v);
            }
        }
    }
    let judgement = Some(JudgementView {
        results,
        prevailing: j.prevailing.clone(),
        ground: j.ground.map(|g| {
            serde_json::to_value(g)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        reason: j.reason.clone(),
        differences: j.differences.clone(),
    });
    Ok(match (&j.evaluation, j.key) {
        (Some(e), Some(k)) => {
            let leniency = k.leniency_list();
            EvaluationView {
                outcome: k.outcome_id().to_string(),
                modality: k.modality.map(|m| m.id().to_string()),
                leniency: leniency.iter().map(|l| l.id().to_string()).collect(),
                fired: e.fired.clone(),
                defeated: defeats(e),
                citations: e.citations.clone(),
                questions,
                notes: std::iter::once(j.reason.clone())
                    .chain(e.explanations.iter().cloned())
                    .chain(e.notes.iter().cloned())
                    .collect(),
                summary_zh: summary(Some(k), &leniency),
                articles: e
                    .citations
                    .iter()
                    .map(|c| citation_view(packs, c))
                    .collect(),
                applied: j.prevailing.clone().unwrap_or_default(),
                judgement,
            }
        }
        _ => EvaluationView {
            outcome: "undetermined".to_string(),
            modality: None,
            leniency: Vec::new(),
            fired: Vec::new(),
            defeated: Vec::new(),
            citations: Vec::new(),
            questions,
            notes: vec![j.reason.clone()],
            summary_zh: summary(None, &[]),
            articles: Vec::new(),
            applied: String::new(),
            judgement,
        },
    })
}

/// The questions of other governing packs a case's interview asks besides the application
/// pack's own: those the judgement still needs (`open`) and those already answered, grouped by
/// regulation in the order the packs govern.
pub(crate) fn other_questions(
    packs: &PackSet,
    rules: &[String],
    open: &[QuestionView],
    facts: &BTreeMap<String, serde_json::Value>,
) -> Vec<FactView> {
    let mut out: Vec<FactView> = Vec::new();
    let keys = open
        .iter()
        .map(|q| q.fact.as_str())
        .chain(facts.keys().map(String::as_str));
    let mut wanted: Vec<(&str, &str)> = keys.filter_map(lvzhi_rules::split_key).collect();
    // In the order the packs govern (a regulation's versions together), then as asked.
    let rank = |p: &str| {
        rules
            .iter()
            .position(|r| r == p || packs.lineage(r).iter().any(|l| l.meta.id == p))
            .unwrap_or(usize::MAX)
    };
    wanted.sort_by_key(|&(p, _)| rank(p));
    for (pack, fact) in wanted {
        let key = lvzhi_rules::fact_key(application_pack(), pack, fact);
        if out.iter().any(|f| f.id == key) {
            continue;
        }
        let (Ok(p), Ok(prog)) = (packs.pack(pack), packs.program(pack)) else {
            continue;
        };
        let Some(def) = prog.fact_index(fact).map(|i| &prog.facts[i]) else {
            continue;
        };
        out.push(FactView {
            id: key,
            ty: def.ty.id().to_string(),
            question: def.question.clone(),
            choices: choice_views(&def.choices, &def.labels),
            articles: p.fact(fact).map(|f| f.articles.clone()).unwrap_or_default(),
            regulation: Some(lvzhi_rules::title_zh(p)),
            cited_from: None,
        });
    }
    out
}

/// The recommendation as the workflow records it (plain strings; no engine types).
pub(crate) fn recommendation(v: &EvaluationView) -> Option<lvzhi_workflow::Recommendation> {
    if v.outcome == "undetermined" {
        return None;
    }
    Some(lvzhi_workflow::Recommendation {
        outcome: v.outcome.clone(),
        modality: v.modality.clone().unwrap_or_else(|| "shall".to_string()),
        leniency: v.leniency.clone(),
        citations: v.citations.clone(),
        explanation: v.notes.join("；"),
    })
}
