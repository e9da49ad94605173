//! The notices of the 维权 incident (001 §17).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub(super) const INCIDENT: &[NoticeKind] = &[NoticeKind {
    id: "incident_report",
    name: "维权案（事）件报告",
    process: "incident",
    steps: &["escalation"],
    values: &[
        "to",
        "occurred_on",
        "unit",
        "officer",
        "place",
        "incident_type",
        "type_item",
        "description",
        "victims",
        "grounds",
        "handler",
        "office",
        "opened_on",
        "views",
        "view",
        "below",
        "received_on",
    ],
    flags: &[],
}];
