//! What the application workflow takes from the policy pack of 000: its procedural periods
//! (000 §13, §16, §18, §20, §21, §23 — a unit with other local periods changes its pack, not the
//! code) and its fact vocabulary, against which every recorded fact is typed; and the periods of
//! every pack in force. Here, in the service, so the CLI and the server wire a service alike.

use std::collections::BTreeMap;

use crate::{FactCheck, PackPeriods, Periods};
use lvzhi_rules::{Input, PackSet};
use lvzhi_workflow::ProcedurePeriods;

/// The pack whose procedure the application workflow follows.
pub const APPLICATION_PACK: &str = "000";

/// The application's periods, from the 000 pack of `set`.
pub fn procedure_periods(set: &PackSet) -> Result<ProcedurePeriods, String> {
    let pack = set.pack(APPLICATION_PACK).map_err(|e| e.to_string())?;
    ProcedurePeriods::from_map(&pack.period_map()).map_err(|e| e.to_string())
}

/// The periods of every pack in force, by pack id: what each process counts by (issue 14:
/// periods are data for every process). The application's are checked whole.
pub fn all_periods(set: &PackSet) -> Result<PackPeriods, String> {
    procedure_periods(set)?;
    Ok(set
        .packs()
        .map(|p| (p.meta.id.clone(), Periods::new(p.period_map())))
        .collect())
}

/// Every pack in force as a procedure a case may follow, by id: its version, title and bodies —
/// what a new case records of the packs that govern it — and its `[[procedure]]`s' articles,
/// which the notices cite (issue 20). A pack without `[bodies]` keeps the 维权委 of 000 §10.
pub fn regulations(set: &PackSet) -> crate::governance::Regulations {
    set.packs()
        .map(|p| (p.meta.id.clone(), lvzhi_processes::regulation_of(p)))
        .collect()
}

/// A JSON fact value as the engine's input; `None` for null (unknown).
pub fn json_input(key: &str, v: &serde_json::Value) -> Result<Option<Input>, String> {
    Ok(Some(match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Bool(b) => Input::Bool(*b),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(x) => Input::Number(x),
            None => return Err(format!("事实“{key}”的数值无效")),
        },
        serde_json::Value::String(s) => Input::Text(s.clone()),
        _ => {
            return Err(format!(
                "事实“{key}”的值类型不正确：应为是/否、数字、选项或日期"
            ))
        }
    }))
}

/// A fact check over the pack's vocabulary: unknown ids (with the nearest known ones) and
/// values of the wrong type are refused with the engine's Chinese message. A key
/// `"<pack>:<fact>"` is another governing pack's question, typed by that pack.
pub fn fact_check(set: PackSet) -> FactCheck {
    Box::new(move |facts: &BTreeMap<String, serde_json::Value>| {
        let mut given = Vec::with_capacity(facts.len());
        for (k, v) in facts {
            match json_input(k, v)? {
                // Another governing pack's question (issue 20 item 3): typed by that pack.
                Some(input) if lvzhi_rules::split_key(k).is_some() => {
                    if let Some((pack, fact)) = lvzhi_rules::split_key(k) {
                        set.typed_facts(pack, &[(fact.to_string(), input)])
                            .map_err(|e| e.to_string())?;
                    }
                }
                Some(input) => given.push((k.clone(), input)),
                // A recorded fact has a value; "unknown" is simply not recorded.
                None => {
                    return Err(format!(
                        "事实“{k}”的值类型不正确：应为是/否、数字、选项或日期"
                    ))
                }
            }
        }
        set.typed_facts(APPLICATION_PACK, &given)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}
