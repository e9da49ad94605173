//! The sample papers of `docs/samples/` (issue 6): one sample case at 阿拉善左旗公安局, its notice
//! of every kind of 000 made by the workflow's own document functions, the other processes'
//! notices in their words, and the 申请表 filled and blank.
//! `scripts/samples` runs this with a directory and turns the PDFs into PNG pages:
//!
//! `LVZHI_SAMPLES_DIR=dir cargo test -p lvzhi-documents --test samples -- --ignored`

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

#[path = "../../workflow/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use lvzhi_calendar::{Deadline, Period};
use lvzhi_documents::{
    render_application_form_pdf, render_pdf, Fonts, FormDetails, Header, OfficerParticulars, KINDS,
};
use lvzhi_workflow::documents as docs;
use lvzhi_workflow::*;

fn deadline(start: chrono::NaiveDate, period: Period, due: chrono::NaiveDate) -> Deadline {
    Deadline {
        start,
        period,
        due,
        provisional: false,
        missing_years: vec![],
    }
}

/// The sample case: 张伟 of 巴彦浩特派出所 applies against a 记过 (000 §12); accepted, reviewed,
/// appealed, recommended for revocation, published.
fn sample_form() -> ApplicationForm {
    let mut f = form();
    f.matter = "申请对左公督〔2024〕12号记过处分决定适用依法履职免责。事实与理由：2024年6月3日晚，民警张伟在巴彦浩特镇处置一起持刀伤人警情，到达现场后依法表明身份并口头警告，违法行为人仍持刀追砍群众，民警依法使用警棍将其制止，致其右臂骨折。民警随即呼叫急救并全程录像。民警的处置符合《人民警察使用警械和武器条例》的规定，未超出必要限度，事后及时救治伤者。".into();
    f
}

fn sample_details() -> FormDetails {
    FormDetails {
        filed_on: Some(d(2024, 9, 27)),
        officers: BTreeMap::from([(
            "p-zhang".to_string(),
            OfficerParticulars {
                gender: Some("男".into()),
                born: Some(d(1988, 5, 16)),
                joined_police: Some(d(2011, 8, 1)),
                post: Some("社区民警、一级警长".into()),
            },
        )]),
        evidence: vec![
            "执法记录仪视频（2024-06-03 21时14分至21时40分）".into(),
            "现场目击群众证言二份".into(),
            "伤者就医记录及诊断证明".into(),
            "左公督〔2024〕12号问责处理决定书复印件".into(),
        ],
        bodies: Default::default(),
        committee_opinion: None,
    }
}

/// A long statement of reasons: the review opinion runs onto a second page.
fn long_basis() -> String {
    [
        "民警到达现场后依法表明身份并口头警告，违法行为人不听制止，继续持刀追砍群众，现场群众的人身安全受到严重威胁；",
        "民警在警告无效的情况下使用警棍制止，所用警械与违法行为的危险程度相当，未超出必要限度，符合《人民警察使用警械和武器条例》第七条、第八条的规定；",
        "违法行为人受伤系其持刀抗拒制止所致，民警在制服后立即呼叫急救并护送就医，事后及时救治，未造成进一步损害；",
        "执法记录仪视频完整记录了处置经过，现场目击群众证言与视频相互印证，事实清楚，证据确实充分；",
        "原问责处理决定以“处置方式不当、造成人员受伤”为由给予记过处分，未考虑民警面临的紧急情况和违法行为人的暴力抗拒，认定事实和适用依据均有不当",
    ]
    .join("")
}

fn notices() -> Vec<(Document, Option<Header>)> {
    let f = sample_form();
    let opinion_due = deadline(d(2024, 10, 8), Period::WorkingDays(30), d(2024, 11, 18));
    let appeal_due = deadline(d(2024, 11, 1), Period::WorkingDays(10), d(2024, 11, 15));
    let mut ex = exemption();
    ex.basis = long_basis();
    let decision = f.accountability_decision.clone().unwrap();
    let committee_header = Header {
        organ: "阿拉善左旗公安局维护民警执法权威工作委员会文件".into(),
        number: Some("左公维〔2024〕3号".into()),
    };
    let parent_header = Header {
        organ: "阿拉善盟公安局维护民警执法权威工作委员会文件".into(),
        number: Some("阿公维〔2024〕11号".into()),
    };
    vec![
        (
            docs::acceptance_notice(
&reg(),
                &f,
                Some(Filer::Officer),
                d(2024, 9, 27),
                d(2024, 10, 8),
                &opinion_due,
            ).unwrap(),
            None,
        ),
        (
            docs::rejection_notice(
&reg(),
                &f,
                Some(Filer::Unit),
                d(2024, 9, 27),
                d(2024, 10, 8),
                "申请事项系对民警违反工作纪律受到的批评教育提出，不属于《实施细则》第七条、第八条规定的免责或者容错情形，亦不属于问责处理决定。",
            ).unwrap(),
            None,
        ),
        (
            docs::deemed_acceptance_notice(
&reg(),
                &f,
                Some(Filer::Officer),
                d(2024, 9, 27),
                &deadline(d(2024, 9, 27), Period::WorkingDays(7), d(2024, 10, 12)),
                d(2024, 10, 14),
                &opinion_due,
            ).unwrap(),
            None,
        ),
        (
            docs::ex_officio_notice(
&reg(),
                &f,
                "督察大队在执法监督检查中调阅执法记录仪视频，发现民警处置过程规范，可能具有依法履职免责情形。",
                d(2024, 10, 8),
                &opinion_due,
            ).unwrap(),
            None,
        ),
        (
            docs::extension_approval(
&reg(),
                &f,
                Some(Filer::Officer),
                1,
                "案情复杂，需要调取执法记录仪视频并听取伤者陈述。",
                Role::Director,
                d(2024, 11, 11),
                d(2024, 11, 18),
                &deadline(d(2024, 11, 18), Period::WorkingDays(15), d(2024, 12, 9)),
            ).unwrap(),
            Some(committee_header.clone()),
        ),
        (
            docs::review_opinion(
&reg(),
                &f,
                Some(Filer::Officer),
                &ex,
                d(2024, 10, 8),
                d(2024, 11, 1),
                &appeal_due,
            ).unwrap(),
            Some(committee_header.clone()),
        ),
        (
            docs::appeal_reply(
&reg(),
                &f,
                Some(Filer::Officer),
                AppealKind::Reconsideration,
                d(2024, 11, 5),
                true,
                "原审查论证意见认定事实清楚，适用依据正确，程序合法。",
                &ex,
                d(2024, 11, 20),
                Some((
                    &deadline(d(2024, 11, 20), Period::WorkingDays(10), d(2024, 12, 4)),
                    &f.parent_committee.clone().unwrap(),
                )),
                &f.committee,
                None,
            ).unwrap(),
            Some(committee_header.clone()),
        ),
        (
            docs::appeal_reply(
&reg(),
                &f,
                Some(Filer::Officer),
                AppealKind::ReReview,
                d(2024, 12, 2),
                true,
                "经复核，原审查论证意见和复议意见认定事实清楚，适用依据正确。",
                &ex,
                d(2024, 12, 20),
                None,
                &f.parent_committee.clone().unwrap(),
                Some(&f.committee),
            ).unwrap(),
            Some(parent_header),
        ),
        (
            docs::recommendation(
&reg(),
                &f,
                &decision,
                Some(Sanction::Demerit),
                &ex,
                Proposal::Revoke,
                "民警依法履职，所用警械未超出必要限度，事后及时救治伤者，依照《实施细则》第七条第（一）项应当免责。",
                d(2024, 11, 25),
            ).unwrap(),
            Some(committee_header),
        ),
        (
            docs::publicity_notice(
&reg(),
                &f,
                &exemption(),
                "阿拉善左旗公安局政务公开栏及内网门户",
                d(2024, 11, 4),
                &deadline(d(2024, 11, 4), Period::Days(5), d(2024, 11, 8)),
                Period::Days(5),
            ).unwrap(),
            None,
        ),
    ]
}

/// The notices of the other processes (issue 7: 维权 incidents, 正名, rectification, 执法过错,
/// sanction appeals), written here in the words those processes use: their texts come from
/// `lvzhi_processes`' state machines, the layout is the same template.
fn process_notices() -> Vec<(Document, Option<Header>)> {
    let notice =
        |kind, title: &str, addressee: &str, body: &[&str], signer: &str, copy: &[&str]| {
            let text = format!(
                "{addressee}：\n{}\n\n{signer}\n2024年9月2日",
                body.iter()
                    .map(|p| format!("\u{3000}\u{3000}{p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            Document {
                kind,
                title: title.into(),
                addressee: addressee.into(),
                copy_to: copy.iter().map(|c| c.to_string()).collect(),
                text,
                issued_on: d(2024, 9, 2),
            }
        };
    vec![
        (notice(
            DocumentKind::FaultDetermination,
            "执法过错责任认定书",
            "阿拉善左旗公安局警务督察部门、人事部门",
            &[
                "阿拉善左旗公安局办理的“王某涉嫌盗窃案”中发生的执法过错，经法制部门检查，认定如下：",
                "一、执法过错情形：对不符合条件的犯罪嫌疑人错误采取刑事强制措施（《公安机关人民警察执法过错责任追究规定》第六条第（七）项）。",
                "二、责任划分：审批人李某对审批意见负全部责任；办案人张某如实报告案情，不承担责任（《规定》第九条）。",
                "请依照《规定》第十六条提出处理意见，报局长审批。",
            ],
            "阿拉善左旗公安局法制部门",
            &["巴彦浩特派出所"],
        ), None),
        (notice(
            DocumentKind::FaultDecision,
            "执法过错责任追究决定书",
            "李某同志",
            &[
                "你在“王某涉嫌盗窃案”中审批采取刑事强制措施，经认定属于执法过错，应负全部责任。依照《公安机关人民警察执法过错责任追究规定》第十六条，经局长审批，决定对你作出如下处理：通报批评、延期晋级。",
                "如不服本决定，可以自收到本决定之日起三十日内（至2024年10月8日）向本级或者上级公安机关申诉（《规定》第二十七条）。",
            ],
            "阿拉善左旗公安局",
            &["阿拉善左旗公安局政治处"],
        ), Some(Header {
            organ: "阿拉善左旗公安局文件".into(),
            number: Some("左公发〔2024〕21号".into()),
        })),
        (notice(
            DocumentKind::FaultAppealReply,
            "执法过错申诉答复书",
            "李某同志",
            &["你于2024年9月10日提出的申诉收悉。依照《公安机关人民警察执法过错责任追究规定》第二十七条，本局进行了复查，认为原决定认定事实清楚，责任划分适当，决定维持原决定。"],
            "阿拉善盟公安局",
            &[],
        ), None),
        (notice(
            DocumentKind::FaultTransfer,
            "执法过错案件移交函",
            "阿拉善左旗人民检察院",
            &[
                "阿拉善左旗公安局在查处“王某涉嫌盗窃案”执法过错案件中发现，执法过错责任人员李某（审批人）明知王某无犯罪事实仍决定对其刑事拘留。其行为涉嫌构成犯罪，应当追究刑事责任。依照《公安机关人民警察执法过错责任追究规定》（以下简称《规定》）第十八条的规定，现将该人员涉嫌犯罪的案件移交你单位依法办理。",
                "附：执法过错责任认定书及有关证据材料。",
                "特此函告。",
            ],
            "阿拉善左旗公安局",
            &[],
        ), None),
        (notice(
            DocumentKind::SanctionReviewOpinion,
            "处分申诉复核意见书",
            "阿拉善左旗公安局政治处",
            &[
                "民警赵某对你处作出的记大过处分不服，向本委提出申诉。本委依照《公安机关维护民警执法权威工作规定》第二十七条组织复核。",
                "经复核，本委认为：赵某系在依法制止暴力袭警过程中使用警械，未超出必要限度，该记大过处分认定事实不清，适用依据不当，建议撤销原处分决定。",
            ],
            "阿拉善左旗公安局维护民警执法权威工作委员会",
            &["赵某同志"],
        ), None),
        (notice(
            DocumentKind::CorrectionOrder,
            "限期纠正通知书",
            "阿拉善左旗公安局政治处",
            &["本委于2024年9月2日向你处提出撤销赵某记大过处分的复核意见，你处逾期未予采纳，亦未说明正当理由。依照《公安机关维护民警执法权威工作规定》第二十八条，请你处于2024年10月8日前予以纠正，并将纠正情况书面报告本委。"],
            "阿拉善左旗公安局警务督察部门",
            &[],
        ), None),
        (notice(
            DocumentKind::RectificationNotice,
            "整改通知书",
            "张伟同志",
            &[
                "经审查论证，你在2024年6月3日处置持刀伤人警情中存在现场警戒不到位的问题，虽予以容错，但应当及时纠正（《实施细则》第三十一条）。",
                "请你于2024年10月8日前完成整改，并将整改情况书面报告本办。",
                "特此通知。",
            ],
            "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            &["巴彦浩特派出所"],
        ), None),
        (notice(
            DocumentKind::RiskWarning,
            "易错风险警示提醒函",
            "巴彦浩特派出所",
            &[
                "你所民警在2024年内办理的A2024-3号、A2024-7号案件中，先后出现现场警戒不到位的同类问题，存在易错风险。",
                "请你所组织民警学习有关规定，加强现场处置培训，防止同类问题再次发生（《实施细则》第三十二条）。",
                "特此函告。",
            ],
            "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            &[],
        ), None),
        (notice(
            DocumentKind::IncidentReport,
            "关于民警张伟在执法中受到暴力袭击的报告",
            "阿拉善盟公安局维权办",
            &[
                "2024年9月1日，阿拉善左旗公安局巴彦浩特派出所民警张伟在巴彦浩特镇处置警情时受到暴力袭击（轻伤）。",
                "事件经过：违法行为人酒后持木棒袭击正在调解纠纷的民警，致民警左臂骨折，违法行为人已被依法刑事拘留。",
                "本案（事）件属于民警在执法中受到暴力袭击致伤，依照《内蒙古公安机关维护公安民警执法权威工作实施办法》第十七条的规定，逐级报告。本机关维权办已于2024年9月2日立案，将全程跟踪、督办，续报处理情况。",
            ],
            "阿拉善左旗公安局维权办",
            &[],
        ), None),
        (notice(
            DocumentKind::NameClearingNotice,
            "正名通知书",
            "巴彦浩特派出所",
            &[
                "2024年8月，网络上有人发布民警张伟“执法中殴打群众”的信息。经本机关维权办审查，现澄清事实如下：执法记录仪视频显示，民警依法制止持刀伤人行为，未有殴打群众的行为，网传信息不实。",
                "依照《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十九条第（五）项的规定，对张伟同志予以正名。本通知在全局范围内以通报方式公开，澄清事实，消除影响。对侵权违法行为人，已同时移交有关部门依法追究责任。",
                "特此通知。",
            ],
            "阿拉善左旗公安局",
            &["张伟同志"],
        ), None),
        (notice(
            DocumentKind::ComplaintOutcome,
            "举报核查结果反馈",
            "王某",
            &["你于2024年8月5日实名举报阿拉善左旗公安局巴彦浩特派出所民警张伟“执法中殴打群众”的问题。经核查，举报反映的问题查无实据。根据有关规定，现将核查结果反馈给你。"],
            "阿拉善左旗公安局维护民警执法权威工作委员会办公室",
            &[],
        ), None),
        (notice(
            DocumentKind::DeterminationNotice,
            "容错认定结论告知书",
            "李明同志",
            &[
                "2026年10月12日，你向本单位提出容错认定申请，申请事项为：在一次行政检查中，因企业隐瞒情况，未能及时发现消防通道堵塞的问题。",
                "经调查核实，中共兴安盟国防动员办公室党组结合主观、客观条件、程序方法、性质程度、后果影响以及挽回损失等情况进行综合分析研判，于2026年10月26日作出认定结论：对你予以容错，免除责任。",
                "认定依据：《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》（以下简称《制度》）第十条第（五）项。依照《制度》第十四条的规定，对你予以容错的，不作为执法错误认定。",
                "特此告知。",
            ],
            "兴安盟国防动员办公室",
            &["兴安盟国防动员办公室执法科"],
        ), None),
        (notice(
            DocumentKind::DeterminationReviewReply,
            "复议申述答复书",
            "陈伟同志",
            &[
                "你对本委员会2026年9月30日评审认定结果提出的复议申述收悉。经本委员会复议，维持原认定结论。",
                "特此答复。",
            ],
            "福州监狱民警依法履职保护委员会",
            &[],
        ), None),
        (notice(
            DocumentKind::DeterminationFiling,
            "关于陈伟同志容错免责认定情况的备案报告",
            "福建省监狱管理局民警依法履职保护委员会",
            &[
                "我狱民警陈伟容错免责认定一案，经本委员会评审认定，对其予以容错，减轻处理，已书面回复反馈本人。现将认定情况报请备案。",
            ],
            "福州监狱民警依法履职保护委员会",
            &[],
        ), None),
    ]
}

#[test]
#[ignore = "writes the sample PDFs for scripts/samples"]
fn write_samples() {
    let Ok(dir) = std::env::var("LVZHI_SAMPLES_DIR") else {
        panic!("set LVZHI_SAMPLES_DIR to the directory for the sample PDFs");
    };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let fonts = Fonts::discover(None);
    let mut all = notices();
    all.extend(process_notices());
    let mut missing = Vec::new();
    for (kind, id, zh) in KINDS {
        let Some((doc, header)) = all.iter().find(|(d, _)| d.kind == *kind) else {
            missing.push(format!("{id} {zh}"));
            continue;
        };
        let pdf = render_pdf(doc, header.as_ref(), &fonts).unwrap();
        std::fs::write(dir.join(format!("{id}.pdf")), pdf).unwrap();
        println!("{id}\t{zh}\t{}", doc.title);
    }
    let form = sample_form();
    let filled = render_application_form_pdf(Some(&form), &sample_details(), &fonts).unwrap();
    std::fs::write(dir.join("application_form.pdf"), filled).unwrap();
    println!("application_form\t免责容错申请表（填写）");
    let blank = render_application_form_pdf(None, &FormDetails::default(), &fonts).unwrap();
    std::fs::write(dir.join("application_form_blank.pdf"), blank).unwrap();
    println!("application_form_blank\t免责容错申请表（空白）");
    for m in &missing {
        println!("no sample yet\t{m}");
    }
}
