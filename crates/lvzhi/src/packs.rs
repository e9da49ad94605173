//! What the case commands take from the built-in policy pack of 000: its procedural periods
//! (000 §13, §16, §18, §20, §21, §23 — a unit with other local periods changes its pack, not the
//! code) and its fact vocabulary, against which every recorded fact is typed.

use std::collections::BTreeMap;

use lvzhi_rules::{Input, PackSet};
use lvzhi_service::{FactCheck, Service};
use lvzhi_workflow::ProcedurePeriods;

use crate::error::AppError;

/// The pack whose procedure the application workflow follows.
pub const APPLICATION_PACK: &str = "000";

pub fn procedure_periods(set: &PackSet) -> Result<ProcedurePeriods, AppError> {
    let pack = set
        .pack(APPLICATION_PACK)
        .map_err(|e| AppError::Policy(e.to_string()))?;
    Ok(Service::periods_from(&pack.period_map())?)
}

/// A fact check over the pack's vocabulary: unknown ids (with the nearest known ones) and
/// values of the wrong type are refused with the engine's Chinese message.
pub fn fact_check(set: PackSet) -> FactCheck {
    Box::new(move |facts: &BTreeMap<String, serde_json::Value>| {
        let mut given = Vec::with_capacity(facts.len());
        for (k, v) in facts {
            let input = match v {
                serde_json::Value::Bool(b) => Input::Bool(*b),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(x) => Input::Number(x),
                    None => return Err(format!("事实“{k}”的数值无效")),
                },
                serde_json::Value::String(s) => Input::Text(s.clone()),
                _ => {
                    return Err(format!(
                        "事实“{k}”的值类型不正确：应为是/否、数字、选项或日期"
                    ))
                }
            };
            given.push((k.clone(), input));
        }
        set.typed_facts(APPLICATION_PACK, &given)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}
