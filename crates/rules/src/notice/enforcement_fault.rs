//! The notices of the 执法过错 case (004 §16, §18, §26, §27).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape). Citations of the
/// record (`error`, `shares`, `basis`, the circumstances) are computed with their article
/// numbers, `《简称》第九条`; the fixed wording and the articles of the procedure are the
/// template's.
pub(super) const ENFORCEMENT_FAULT: &[NoticeKind] = &[
    NoticeKind {
        id: "fault_transfer",
        name: "执法过错案件移交函",
        process: "enforcement_fault",
        steps: &["transfer"],
        values: &["addressee", "agency", "case", "person", "role", "facts"],
        flags: &[],
    },
    NoticeKind {
        id: "fault_determination",
        name: "执法过错责任认定书",
        process: "enforcement_fault",
        steps: &["determination"],
        values: &[
            "addressee",
            "agency",
            "case",
            "error_on",
            "error",
            "shares",
            "deviations",
            "reasons",
            "outcome",
            "circumstances",
            "item_leadership",
            "item_award",
            "unit",
            "year",
            "item_proposal",
            "proposal",
        ],
        flags: &["departs", "exempt"],
    },
    NoticeKind {
        id: "fault_decision",
        name: "执法过错责任追究决定书",
        process: "enforcement_fault",
        steps: &["determination"],
        values: &[
            "addressee",
            "case",
            "role",
            "error_on",
            "error",
            "share",
            "basis",
            "exemptions",
            "mitigations",
            "aggravations",
            "department",
            "approver",
            "measures",
            "reasons",
            "reply_period",
            "filing_period",
            "appeal_due",
        ],
        flags: &["waived", "aggravated", "provisional"],
    },
    NoticeKind {
        id: "fault_appeal_reply",
        name: "执法过错申诉答复书",
        process: "enforcement_fault",
        steps: &["appeal"],
        values: &[
            "addressee",
            "filed_on",
            "agency",
            "decided_on",
            "original",
            "measures",
            "reasons",
        ],
        flags: &["waived", "upheld", "revoked"],
    },
];
