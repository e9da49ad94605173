//! One notice of every kind, made by the workflow's own document functions on 2024 dates, with
//! the texts each must show — shared by the DOCX tests and the render benchmark.
#![allow(dead_code)]

#[path = "../../../workflow/tests/common/mod.rs"]
mod workflow_common;

use lvzhi_calendar::{Deadline, Period};
use lvzhi_workflow::documents as docs;
use lvzhi_workflow::*;
pub(crate) use workflow_common::{d, exemption, form, reg};

/// The 版头 the tests and samples use.
pub(crate) fn header() -> lvzhi_documents::Header {
    lvzhi_documents::Header {
        organ: "阿拉善左旗公安局维护民警执法权威工作委员会文件".into(),
        number: Some("左公维〔2024〕3号".into()),
    }
}

/// The review opinion (审查论证意见书), the notice the benchmark renders.
pub(crate) fn review_opinion() -> Document {
    notices()
        .into_iter()
        .map(|(doc, _)| doc)
        .find(|doc| doc.kind == DocumentKind::ReviewOpinion)
        .expect("the review opinion is among the notices")
}

pub(crate) fn deadline(
    start: chrono::NaiveDate,
    period: Period,
    due: chrono::NaiveDate,
) -> Deadline {
    Deadline {
        start,
        period,
        due,
        provisional: false,
        missing_years: vec![],
    }
}

/// One notice of every kind, made by the workflow's own document functions on 2024 dates.
pub(crate) fn notices() -> Vec<(Document, Vec<&'static str>)> {
    let f = form();
    let opinion_due = deadline(d(2024, 10, 8), Period::WorkingDays(30), d(2024, 11, 18));
    let appeal_due = deadline(d(2024, 11, 1), Period::WorkingDays(10), d(2024, 11, 15));
    let ex = exemption();
    let decision = f.accountability_decision.clone().unwrap();
    let reg = reg();
    vec![
        (
            docs::acceptance_notice(
                &reg,
                &f,
                Some(Filer::Officer),
                d(2024, 9, 27),
                d(2024, 10, 8),
                &opinion_due,
            )
            .unwrap(),
            vec![
                "免责容错申请受理通知书",
                "2024年9月27日",
                "2024年11月18日",
                "第十三条",
                "张伟同志",
            ],
        ),
        (
            docs::rejection_notice(
                &reg,
                &f,
                Some(Filer::Officer),
                d(2024, 9, 27),
                d(2024, 10, 8),
                "申请事项不属于免责容错的范围。",
            )
            .unwrap(),
            vec![
                "不予受理",
                "2024年10月8日",
                "第十三条",
                "不属于免责容错的范围",
            ],
        ),
        (
            docs::deemed_acceptance_notice(
                &reg,
                &f,
                Some(Filer::Officer),
                d(2024, 9, 27),
                &deadline(d(2024, 9, 27), Period::WorkingDays(7), d(2024, 10, 12)),
                d(2024, 10, 14),
                &opinion_due,
            )
            .unwrap(),
            vec!["视为受理", "2024年10月12日", "第十六条"],
        ),
        (
            docs::ex_officio_notice(
                &reg,
                &f,
                "群众反映该民警处置过程规范。",
                d(2024, 10, 8),
                &opinion_due,
            )
            .unwrap(),
            vec!["主动启动", "第十二条第二款", "2024年11月18日"],
        ),
        (
            docs::extension_approval(
                &reg,
                &f,
                Some(Filer::Officer),
                1,
                "案情复杂，需要调取执法记录仪视频。",
                Role::Director,
                d(2024, 11, 11),
                d(2024, 11, 18),
                &deadline(d(2024, 11, 18), Period::WorkingDays(15), d(2024, 12, 9)),
            )
            .unwrap(),
            vec!["第十八条", "2024年12月9日"],
        ),
        (
            docs::review_opinion(
                &reg,
                &f,
                Some(Filer::Officer),
                &ex,
                d(2024, 10, 8),
                d(2024, 11, 1),
                &appeal_due,
            )
            .unwrap(),
            vec!["审查论证意见", "第七条", "2024年11月15日", "第二十一条"],
        ),
        (
            docs::appeal_reply(
                &reg,
                &f,
                Some(Filer::Officer),
                AppealKind::Reconsideration,
                d(2024, 11, 5),
                true,
                "原审查论证意见认定事实清楚。",
                &ex,
                d(2024, 11, 20),
                Some((
                    &deadline(d(2024, 11, 20), Period::WorkingDays(10), d(2024, 12, 4)),
                    &f.parent_committee.clone().unwrap(),
                )),
                &f.committee,
                None,
            )
            .unwrap(),
            vec![
                "复议",
                "维持原审查论证意见",
                "2024年11月5日",
                "2024年12月4日",
            ],
        ),
        (
            docs::appeal_reply(
                &reg,
                &f,
                Some(Filer::Officer),
                AppealKind::ReReview,
                d(2024, 12, 2),
                false,
                "原意见对现场情况认定有误。",
                &ex,
                d(2024, 12, 20),
                None,
                &f.parent_committee.clone().unwrap(),
                Some(&f.committee),
            )
            .unwrap(),
            vec!["复核", "2024年12月2日", "2024年12月20日"],
        ),
        (
            docs::recommendation(
                &reg,
                &f,
                &decision,
                Some(Sanction::Demerit),
                &ex,
                Proposal::Revoke,
                "该民警依法履职，未超出必要限度。",
                d(2024, 11, 25),
            )
            .unwrap(),
            vec![
                "阿拉善左旗公安局督察大队",
                "2024年7月15日",
                "第二十七条",
                "撤销",
            ],
        ),
        (
            docs::publicity_notice(
                &reg,
                &f,
                &ex,
                "阿拉善左旗公安局政务公开栏",
                d(2024, 11, 4),
                &deadline(d(2024, 11, 4), Period::Days(5), d(2024, 11, 8)),
                Period::Days(5),
            )
            .unwrap(),
            vec!["公示", "第二十三条", "2024年11月8日", "政务公开栏"],
        ),
    ]
}
