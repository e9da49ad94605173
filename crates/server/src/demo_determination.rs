//! The demo's 容错免责认定 cases (002 §13, 003 §13), recorded through `Service::create_process` /
//! `act_process` on past working days like the other cases, three at each body:
//!
//! - 兴安盟国防动员办公室 (002, the 办党组 decides): 李明's application just filed; 赵刚's
//!   determination made by the 办党组, its 7-日 notification still due; 孙浩's, started by the
//!   办党组, told in writing and published within the office.
//! - 福州监狱 (003, its 民警依法履职保护委员会 decides, filings go to 福建省监狱管理局's): 陈伟's
//!   early involvement, awaiting an application; 周磊's determination made and replied; 吴静's
//!   applied for by her unit after early involvement, replied, a 复议申述 answered, and filed with
//!   the 省局's committee, which has yet to acknowledge it.
//!
//! Fixed case ids make the seed resumable (an existing case is left as it is).

use chrono::Datelike;
use lvzhi_workflow::{Actor, Role};
use serde_json::{json, Value};

use super::{Seeder, FJ_FZ, XAM};
use crate::error::AppError;

/// 兴安盟国防动员办公室: the office (执法科), the 办党组's 书记, an 执法人员.
pub(super) const XAM_OFFICE: &str = "p-xam-zhangli";
pub(super) const XAM_HEAD: &str = "p-xam-wangjianjun";
pub(super) const XAM_OFFICER: &str = "p-xam-liming";
/// 福州监狱: its 履职保护委员会办公室, the committee's 主任, a 民警; 福建省监狱管理局's office.
pub(super) const FZ_OFFICE: &str = "p-fz-linfang";
pub(super) const FZ_HEAD: &str = "p-fz-huangzhiqiang";
pub(super) const FZ_OFFICER: &str = "p-fz-chenwei";
pub(super) const FZ_UNIT: &str = "p-fz-gaoyong";
pub(super) const FJ_OFFICE: &str = "p-fj-zhenghua";

async fn open(
    s: &Seeder,
    id: &str,
    n: u32,
    actor: &Actor,
    command: Value,
) -> Result<bool, AppError> {
    Ok(s.open_process("determination", id, n, actor, command)
        .await?
        .is_some())
}

/// Seeds the demo's determinations.
pub(super) async fn seed(s: &Seeder) -> Result<(), AppError> {
    let year = s.today.year();
    let r = |n: u32| format!("R{year}-{n:06}");
    let date = |n: u32| -> Result<String, AppError> { Ok(s.wd(n)?.to_string()) };
    let xam_office = Actor::new(XAM_OFFICE, &[Role::Office], XAM);
    let xam_head = Actor::new(XAM_HEAD, &[Role::Director], XAM);
    let xam_officer = Actor::new(XAM_OFFICER, &[Role::Officer], XAM);
    let fz_office = Actor::new(FZ_OFFICE, &[Role::Office], FJ_FZ);
    let fz_head = Actor::new(FZ_HEAD, &[Role::Director], FJ_FZ);
    let fz_unit = Actor::new(FZ_UNIT, &[Role::Unit], FJ_FZ);

    // 李明 applies to the 国动办 (002 §13 个人也可以直接向单位提出容错认定申请).
    open(
        s,
        &r(1),
        2,
        &xam_officer,
        json!({
            "action": "determination_apply", "officer": XAM_OFFICER, "unit": XAM, "org": XAM,
            "matter": "在对一家企业开展消防安全行政检查时，因企业隐瞒情况、临时清理现场，未能及时发现其疏散通道长期堵塞的问题",
            "occurred_on": date(9)?,
            "reasons": "本人已按检查方案逐项检查并全程记录，企业负责人故意隐瞒，属于因执法对象故意隐瞒致使没有及时发现潜在问题的情形",
        }),
    )
    .await?;

    // 赵刚: applied, investigated, and the 办党组's conclusion made three working days ago; the
    // written notice (7日, 002 §13) is still to be sent.
    if open(
        s,
        &r(2),
        14,
        &Actor::new("p-xam-zhaogang", &[Role::Officer], XAM),
        json!({
            "action": "determination_apply", "officer": "p-xam-zhaogang", "unit": XAM, "org": XAM,
            "matter": "办理一起行政处罚案件时，因当事人提供虚假营业执照复印件，将处罚决定书的当事人名称写错",
            "occurred_on": date(20)?,
            "reasons": "错误系当事人提供虚假材料所致，发现后已及时更正并重新送达",
        }),
    )
    .await?
    {
        s.act_process(&r(2), 9, &xam_office, json!({ "action": "determination_investigate", "findings": "调取案卷、询问当事人和承办人员，核实当事人提供的营业执照复印件系伪造，处罚决定书已于发现当日更正并重新送达，未造成损失" })).await?;
        s.act_process(&r(2), 3, &xam_head, json!({
            "action": "determination_conclude", "verdict": "tolerated", "treatment": "waived",
            "grounds": ["r9_2"],
            "analysis": "承办人员已按法定程序调查取证，错误系行政相对人提供虚假材料所致，主观上无过错，且已及时纠正，未造成损失和不良影响",
        })).await?;
    }

    // 孙浩: the 办党组 starts the determination itself; concluded, told within 7 日, published.
    if open(
        s,
        &r(3),
        30,
        &xam_office,
        json!({
            "action": "determination_start", "officer": "p-xam-sunhao", "unit": XAM, "org": XAM,
            "matter": "在防空设施专项检查中，为防止险情扩大，未经集体研究临机决定责令停止使用一处地下室，事后查明险情评估偏重",
            "occurred_on": date(34)?,
            "reasons": "办党组会议研究认为，该执法人员系为防止执法风险临机决断，应当启动容错免责认定",
        }),
    )
    .await?
    {
        s.act_process(&r(3), 25, &xam_office, json!({ "action": "determination_investigate", "findings": "查阅现场记录和专家意见，询问在场人员，临机处置时现场确有渗水和裂缝，处置后已组织复核并恢复使用" })).await?;
        s.act_process(&r(3), 20, &xam_head, json!({
            "action": "determination_conclude", "verdict": "tolerated", "treatment": "waived",
            "grounds": ["r10_4"],
            "analysis": "为防止执法风险临机决断，主观上出于公心，程序上事后及时报告并组织复核，未造成重大损失和严重不良影响",
        })).await?;
        s.act_process(&r(3), 16, &xam_office, json!({ "action": "determination_notify", "units": ["兴安盟国防动员办公室人民防空科"] })).await?;
        s.act_process(&r(3), 15, &xam_office, json!({
            "action": "determination_publish", "published": true, "scope": "本办全体干部职工",
            "means": "meeting", "reason": "",
        })).await?;
    }

    // 陈伟: the prison's office intervenes early (003 §13 提前介入); no application yet.
    open(
        s,
        &r(4),
        1,
        &fz_office,
        json!({
            "action": "determination_early_involvement", "officer": FZ_OFFICER, "unit": FJ_FZ,
            "org": FJ_FZ,
            "matter": "夜间值班时罪犯突发疾病，判断为一般不适，延误送医约二十分钟",
            "occurred_on": date(2)?,
            "measures": "调取监区监控录像和值班记录，询问在场民警和罪犯，固定医务室交接记录",
        }),
    )
    .await?;

    // 周磊: applies; the committee concludes (减轻, 003 §6(七)) and the office replies in writing.
    if open(
        s,
        &r(5),
        20,
        &Actor::new("p-fz-zhoulei", &[Role::Officer], FJ_FZ),
        json!({
            "action": "determination_apply", "officer": "p-fz-zhoulei", "unit": FJ_FZ, "org": FJ_FZ,
            "matter": "处置罪犯聚众闹监时，对现场形势判断失误，提前使用警戒具，致一名罪犯轻微擦伤",
            "occurred_on": date(24)?,
            "reasons": "突发事件处置中判断失误，非出于主观故意，已及时救治并报告",
        }),
    )
    .await?
    {
        s.act_process(&r(5), 15, &fz_office, json!({ "action": "determination_investigate", "findings": "调取现场监控，询问当班民警和相关罪犯，擦伤经监狱医院处置，已愈合" })).await?;
        s.act_process(&r(5), 10, &fz_head, json!({
            "action": "determination_conclude", "verdict": "tolerated", "treatment": "reduced",
            "grounds": ["r6_7"],
            "analysis": "突发事件处置中判断失误，非出于主观故意，后果轻微，已及时救治；但未按预案先行口头警告，应予减轻处理",
            "motive": "罪犯突然冲撞，民警为制止而处置，非主观故意",
            "process": "处置后立即报告监区并经监狱医院处置",
            "policy": "符合监狱突发事件处置的要求，但未按预案先行口头警告",
            "consequence": "罪犯擦伤已愈合，未造成不可挽回的损失",
        })).await?;
        s.act_process(
            &r(5),
            9,
            &fz_office,
            json!({ "action": "determination_reply", "explanation": "" }),
        )
        .await?;
    }

    // 吴静: early involvement; her unit applies; concluded, replied; her 复议申述 answered; filed
    // with the 省局's committee, not yet acknowledged.
    if open(
        s,
        &r(6),
        40,
        &fz_office,
        json!({
            "action": "determination_early_involvement", "officer": "p-fz-wujing", "unit": FJ_FZ,
            "org": FJ_FZ,
            "matter": "办理罪犯减刑材料时，因原判法院裁定书载明的刑期起止日期有误，据以计算的考核分数出现偏差",
            "occurred_on": date(42)?,
            "measures": "封存减刑材料，调取原判裁定书和考核台账，固定证据",
        }),
    )
    .await?
    {
        s.act_process(&r(6), 38, &fz_unit, json!({ "action": "determination_request", "reasons": "偏差系原判裁定书日期错误所致，办理民警已按规定审核" })).await?;
        s.act_process(&r(6), 33, &fz_office, json!({ "action": "determination_investigate", "findings": "经核对，原判裁定书刑期起止日期确有笔误，法院已出具更正裁定；减刑材料尚未报出，未造成后果" })).await?;
        s.act_process(&r(6), 28, &fz_head, json!({
            "action": "determination_conclude", "verdict": "tolerated", "treatment": "lighter",
            "grounds": ["r6_5"],
            "analysis": "办理刑罚执行案件中的非故意失误，未造成后果；但未与原判法院核对日期，应予从轻处理",
            "motive": "依据法院裁定书办理，日期错误系笔误所致，非主观故意",
            "process": "按刑罚执行程序审核，但未与原判法院核对日期",
            "policy": "符合刑罚执行规定，无明令禁止情形",
            "consequence": "减刑材料尚未报出，未造成后果",
        })).await?;
        s.act_process(&r(6), 27, &fz_office, json!({ "action": "determination_reply", "explanation": "" })).await?;
        s.act_process(&r(6), 24, &Actor::new("p-fz-wujing", &[Role::Officer], FJ_FZ), json!({ "action": "determination_request_review", "reasons": "刑期日期错误系法院笔误，本人无从发现，请求免除责任" })).await?;
        s.act_process(&r(6), 18, &fz_head, json!({
            "action": "determination_answer_review", "maintained": false,
            "reasons": "经复议，法院裁定书笔误属于办理民警难以发现的情形，原认定从轻处理不当",
            "verdict": "tolerated", "treatment": "waived", "grounds": ["r6_5"],
        })).await?;
        s.act_process(&r(6), 16, &fz_office, json!({ "action": "determination_file", "note": "" })).await?;
    }
    Ok(())
}
