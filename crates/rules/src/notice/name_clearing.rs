//! The notices of 澄清正名 and the feedback on a complaint (001 §13, §29(五); 002 §18).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape). The 正名通知书
/// is issued under `name_clearing`; the feedback to a real-name reporter and the explanation
/// of an anonymous complaint under 002's `complaint_feedback_named` and
/// `complaint_feedback_anonymous`.
pub(super) const NAME_CLEARING: &[NoticeKind] = &[
    NoticeKind {
        id: "name_clearing_notice",
        name: "正名通知书",
        process: "name_clearing",
        steps: &["name_clearing"],
        values: &[
            "addressee",
            "received_on",
            "handed_over_by",
            "unit",
            "officer",
            "complaint",
            "finding",
            "office_short",
            "clarification",
            "scope",
            "means",
            // The department the slanderer was referred to, once recorded (001 §13, §29(五)):
            // the notice says so only then.
            "referred_to",
        ],
        flags: &[],
    },
    NoticeKind {
        id: "complaint_feedback_named",
        name: "举报核查情况反馈",
        process: "name_clearing",
        steps: &["complaint_feedback_named"],
        values: &[
            "addressee",
            "received_on",
            "handed_over_by",
            "unit",
            "officer",
            "complaint",
            "finding",
            "content",
        ],
        flags: &[],
    },
    NoticeKind {
        id: "complaint_feedback_anonymous",
        name: "关于匿名举报核查情况的说明",
        process: "name_clearing",
        steps: &["complaint_feedback_anonymous"],
        values: &[
            "addressee",
            "received_on",
            "handed_over_by",
            "unit",
            "officer",
            "complaint",
            "finding",
            "content",
            "scope",
        ],
        flags: &[],
    },
];
