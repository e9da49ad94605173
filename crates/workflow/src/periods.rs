//! The procedural periods, read from the policy pack's `[[period]]` entries (never hard-coded).

use std::collections::BTreeMap;

use lvzhi_calendar::Period;
use serde::{Deserialize, Serialize};

use crate::error::WorkflowError;

/// The period ids the 000 procedure looks up in its pack, with the article each comes from.
pub const PERIOD_IDS: [(&str, &str); 9] = [
    ("acceptance", "000 §13"),
    ("opinion", "000 §16"),
    ("extension_1", "000 §18"),
    ("extension_2", "000 §20"),
    ("reconsideration_apply", "000 §21"),
    ("reconsideration_reply", "000 §21"),
    ("re_review_apply", "000 §21"),
    ("re_review_reply", "000 §21"),
    ("publicity", "000 §23"),
];

/// The ids of [`PERIOD_IDS`]: what the application declares it reads
/// (`Process::PERIODS`, counted by `lvzhi policy coverage`).
pub const PERIOD_NAMES: [&str; PERIOD_IDS.len()] = {
    let mut out = [""; PERIOD_IDS.len()];
    let mut i = 0;
    while i < PERIOD_IDS.len() {
        out[i] = PERIOD_IDS[i].0;
        i += 1;
    }
    out
};

/// Every period the application procedure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedurePeriods {
    /// Decide on acceptance (000 §13).
    pub acceptance: Period,
    /// Issue the opinion, from acceptance (000 §16).
    pub opinion: Period,
    /// First extension (000 §18).
    pub extension_1: Period,
    /// Second extension, 主任 only (000 §20).
    pub extension_2: Period,
    /// Apply for 复议, from receipt of the opinion (000 §21).
    pub reconsideration_apply: Period,
    /// Reply to a 复议, from its receipt (000 §21).
    pub reconsideration_reply: Period,
    /// Apply for 复核, from receipt of the 复议 reply (000 §21).
    pub re_review_apply: Period,
    /// Reply to a 复核, from its receipt (000 §21).
    pub re_review_reply: Period,
    /// Minimum publicity period (000 §23).
    pub publicity: Period,
}

impl ProcedurePeriods {
    /// Builds the set from the case's periods, looking up exactly the ids of [`PERIOD_IDS`].
    pub fn from_periods(periods: &lvzhi_case::Periods) -> Result<Self, WorkflowError> {
        let map: BTreeMap<String, Period> = PERIOD_NAMES
            .iter()
            .filter_map(|id| periods.get(id).map(|p| (id.to_string(), p)))
            .collect();
        Self::from_map(&map)
    }

    /// Builds the set from a pack's periods (id → period). Every missing id is named in the
    /// error; ids the workflow does not use are ignored.
    pub fn from_map(map: &BTreeMap<String, Period>) -> Result<Self, WorkflowError> {
        let missing: Vec<String> = PERIOD_IDS
            .iter()
            .filter(|(id, _)| !map.contains_key(*id))
            .map(|(id, art)| format!("“{id}”（{art}）"))
            .collect();
        if !missing.is_empty() {
            return Err(WorkflowError::MissingPeriods(missing.join("、")));
        }
        let get = |id: &str| {
            map.get(id)
                .copied()
                .ok_or_else(|| WorkflowError::MissingPeriods(format!("“{id}”")))
        };
        Ok(Self {
            acceptance: get("acceptance")?,
            opinion: get("opinion")?,
            extension_1: get("extension_1")?,
            extension_2: get("extension_2")?,
            reconsideration_apply: get("reconsideration_apply")?,
            reconsideration_reply: get("reconsideration_reply")?,
            re_review_apply: get("re_review_apply")?,
            re_review_reply: get("re_review_reply")?,
            publicity: get("publicity")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> BTreeMap<String, Period> {
        [
            ("acceptance", "7wd"),
            ("opinion", "30wd"),
            ("extension_1", "15wd"),
            ("extension_2", "15wd"),
            ("reconsideration_apply", "10wd"),
            ("reconsideration_reply", "15wd"),
            ("re_review_apply", "10wd"),
            ("re_review_reply", "30wd"),
            ("publicity", "5d"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect()
    }

    #[test]
    fn builds_from_a_complete_map() {
        let p = ProcedurePeriods::from_map(&full()).unwrap();
        assert_eq!(p.acceptance, Period::WorkingDays(7));
        assert_eq!(p.publicity, Period::Days(5));
        assert_eq!(p.re_review_reply, Period::WorkingDays(30));
    }

    #[test]
    fn names_every_missing_id_in_chinese() {
        let mut m = full();
        m.remove("extension_2");
        m.remove("publicity");
        let e = ProcedurePeriods::from_map(&m).unwrap_err().to_string();
        assert!(e.contains("政策包缺少程序期间"), "{e}");
        assert!(e.contains("“extension_2”（000 §20）"), "{e}");
        assert!(e.contains("“publicity”（000 §23）"), "{e}");
        assert!(!e.contains("acceptance"), "{e}");
    }
}
