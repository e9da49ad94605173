//! The notices of the 容错免责认定 of a 国动办 or a prison (002 §13, 003 §13).

use super::NoticeKind;

/// The vocabulary of its notices (see [`super::APPLICATION`] for the shape). How the case was
/// opened is told by `started` (the committee started it), `early` (an early involvement,
/// followed by the application of `applied_on`) and `by_unit` (the unit applied); the
/// conclusion by `conclusion` (`予以容错，免除责任`), `weighing` (the four looks of 003 §5,
/// empty under a pack without them), `grounds` (the articles relied on, cited by the short
/// name: cite the regulation before them) and `analysis`. Each kind is issued under the
/// `[[procedure]]` of its `steps`: 002 words only the 告知书, 003 the other three.
pub(super) const DETERMINATION: &[NoticeKind] = &[
    NoticeKind {
        id: "determination_notice",
        name: "容错认定结论告知书",
        process: "determination",
        steps: &["determination_notification"],
        values: &[
            "officer",
            "opened_on",
            "committee",
            "office",
            "unit",
            "matter",
            "applied_on",
            "concluded_on",
            "conclusion",
            "weighing",
            "grounds",
            "analysis",
            "units",
        ],
        flags: &["started", "early", "by_unit", "tolerated"],
    },
    NoticeKind {
        id: "determination_reply",
        name: "容错免责认定结果回复反馈书",
        process: "determination",
        steps: &["determination_reply"],
        values: &[
            "officer",
            "opened_on",
            "committee",
            "office",
            "unit",
            "matter",
            "applied_on",
            "concluded_on",
            "conclusion",
            "weighing",
            "grounds",
            "analysis",
            "review_body",
            "explanation",
        ],
        flags: &["started", "early", "by_unit", "tolerated"],
    },
    NoticeKind {
        id: "determination_review_reply",
        name: "复议申述答复书",
        process: "determination",
        steps: &["determination_review"],
        values: &[
            "officer",
            "requested_on",
            "reasons",
            "concluded_on",
            "previous",
            "answer",
            "conclusion",
            "weighing",
            "grounds",
            "analysis",
        ],
        flags: &["changed", "tolerated"],
    },
    NoticeKind {
        id: "determination_filing",
        name: "容错免责认定情况备案报告",
        process: "determination",
        steps: &["determination_filing"],
        values: &[
            "addressee",
            "unit",
            "officer",
            "committee_short",
            "concluded_on",
            "conclusion",
            "grounds",
            "replied_on",
            "review_requested_on",
            "review_answered_on",
            "note",
        ],
        flags: &["started", "early", "by_unit", "maintained"],
    },
];
