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
pub fn application_pack() -> &'static str {
    <lvzhi_workflow::Application as lvzhi_processes::Process>::PACK
}

/// A question of the pack's vocabulary, as the interview form shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FactView {
    pub id: String,
    /// `bool`, `choice`, `number` or `date`.
    #[serde(rename = "type")]
    pub ty: String,
    pub question: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceView>,
    /// Articles the fact serves.
    pub articles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChoiceView {
    pub id: String,
    pub label: String,
}

/// A cited article with its text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CitationView {
    pub citation: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub fact: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DefeatView {
    pub rule: String,
    pub by: Vec<String>,
    pub reason: String,
}

/// The evaluation, with the field names of `lvzhi evaluate --json` plus Chinese texts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
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
}

/// The questions of pack `pack_id`, in order.
pub fn facts(packs: &PackSet, pack_id: &str) -> Result<Vec<FactView>, AppError> {
    let pack = packs
        .pack(pack_id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(pack
        .facts
        .iter()
        .map(|f| FactView {
            id: f.id.clone(),
            ty: f.ty.id().to_string(),
            question: f.question.clone(),
            choices: f
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| ChoiceView {
                    id: c.clone(),
                    label: f.labels.get(i).cloned().unwrap_or_else(|| c.clone()),
                })
                .collect(),
            articles: f.articles.clone(),
        })
        .collect())
}

/// Facts from a form: `fact.<id>` fields; an empty value or `unknown` leaves the fact unknown.
/// Values are typed by the pack (an unknown id or a wrong value is refused in Chinese).
pub fn facts_from_form(
    packs: &PackSet,
    pack_id: &str,
    fields: &FormValues,
) -> Result<BTreeMap<String, serde_json::Value>, AppError> {
    let pack = packs
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
        let Some(f) = pack.fact(id) else {
            return Err(AppError::BadRequest(format!(
                "事实“{id}”不在政策包 {pack_id} 的事实清单中"
            )));
        };
        let value = match f.ty {
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

/// Evaluates a case's facts under pack 000 (with 从旧兼从轻 when both dates are given).
pub fn evaluate(
    packs: &PackSet,
    facts: &BTreeMap<String, serde_json::Value>,
    conduct: Option<NaiveDate>,
    decision: Option<NaiveDate>,
) -> Result<EvaluationView, AppError> {
    let mut given = Vec::new();
    for (k, v) in facts {
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
    let summary_zh = match e.key {
        None => "尚不能确定：仍有待查明的事实可能改变结论".to_string(),
        Some(k) => {
            let o = k.outcome.map_or("不适用免责容错（依照有关规定处理）", |o| {
                o.zh()
            });
            let m = k.modality.map_or(String::new(), |m| m.zh().to_string());
            let l: Vec<&str> = e.leniency.iter().map(|l| l.zh()).collect();
            if l.is_empty() {
                format!("{m}{o}")
            } else {
                format!("{m}{o}（{}）", l.join("、"))
            }
        }
    };
    Ok(EvaluationView {
        outcome: e.outcome.clone(),
        modality: e.modality.map(|m| m.id().to_string()),
        leniency: e.leniency.iter().map(|l| l.id().to_string()).collect(),
        fired: e.fired.clone(),
        defeated: e
            .defeated
            .iter()
            .map(|x| DefeatView {
                rule: x.rule.clone(),
                by: x.by.clone(),
                reason: x.reason.clone(),
            })
            .collect(),
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
        summary_zh,
        articles: e
            .citations
            .iter()
            .map(|c| CitationView {
                citation: c.clone(),
                text: article_text(packs, c),
            })
            .collect(),
        applied: d.applied.clone(),
    })
}

/// The recommendation as the workflow records it (plain strings; no engine types).
pub fn recommendation(v: &EvaluationView) -> Option<lvzhi_workflow::Recommendation> {
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
