//! The notices of 纠错整改 and the 易错风险 warning (000 §31, §32; 002 §15–17; 003 §10, §11).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub(super) const RECTIFICATION: &[NoticeKind] = &[
    NoticeKind {
        id: "rectification_notice",
        name: "整改通知书",
        process: "rectification",
        steps: &["correction"],
        values: &[
            "officer",
            "occurred_on",
            "category",
            "source_case",
            "cause",
            "items",
            "requirements",
            "methods",
            "due",
        ],
        flags: &[],
    },
    NoticeKind {
        id: "risk_warning",
        name: "易错风险警示提醒函",
        process: "rectification",
        steps: &["risk_warning"],
        values: &["unit", "year", "count", "category", "earlier"],
        flags: &[],
    },
];
