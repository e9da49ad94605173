//! The notices of the heavy-sanction appeal (001 §27, §28).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape).
pub(super) const SANCTION_APPEAL: &[NoticeKind] = &[
    NoticeKind {
        id: "sanction_review_opinion",
        name: "处分申诉复核意见书",
        process: "sanction_appeal",
        steps: &["appeal_review"],
        values: &[
            "addressee",
            "officer",
            "unit",
            "department",
            "decided_on",
            "measure",
            "document_number",
            "filed_on",
            "recheck_facts",
            "recheck_reasons",
            "recheck_basis",
            "recheck_procedure",
            "proposal",
            "opinion",
        ],
        flags: &["improper"],
    },
    NoticeKind {
        id: "correction_order",
        name: "限期纠正通知书",
        process: "sanction_appeal",
        steps: &["unfair_punishment_correction"],
        values: &[
            "addressee",
            "officer",
            "decided_on",
            "measure",
            "findings",
            "deadline",
            "requirements",
        ],
        flags: &[],
    },
];
