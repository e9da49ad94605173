//! The demo's 纠错整改 cases (000 §31 ¶2, 002 §15–17, 003), opened by 阿拉善左旗公安局维权办 and
//! recorded through `Service::create_process` / `act_process` on past working days like the other
//! cases: one in progress whose last day was extended (002 §16) and which the 盟's office followed
//! up (000 §31 ¶2 各级公安机关); one reported and verified, from 高志刚's tolerance; one whose last
//! day passed without a report; the same officer repeating the same category, flagged for
//! accountability by the system (000 §31 ¶2); and the third such mistake of 巴彦浩特派出所 in the
//! year, raised as a risk point with its 易错风险警示提醒函 to the unit (002 §17, 000 §32). Fixed
//! case ids make the seed resumable (an existing case is left as it is).
//!
//! The risk point needs the three mistakes in one calendar year (the rule counts per year); a
//! demo seeded in the first weeks of January has its first one in the year before, and then no
//! risk point, as the rule says.

use chrono::{Datelike, Duration};
use lvzhi_workflow::{Actor, Role};
use serde_json::{json, Value};

use super::{failed, Seeder, BH, DIRECTOR, MENG, MENG_OFFICE, OFFICE, UNIT, WD, ZQ};
use crate::error::AppError;

/// Opens a case with a fixed id `n` working days ago; `false` when it exists already.
async fn open(s: &Seeder, id: &str, n: u32, command: Value) -> Result<bool, AppError> {
    let office = Actor::new(OFFICE, &[Role::Office], ZQ);
    Ok(s.open_process("rectification", id, n, &office, command)
        .await?
        .is_some())
}

async fn act(s: &Seeder, id: &str, n: u32, actor: &Actor, command: Value) -> Result<(), AppError> {
    s.act_process(id, n, actor, command).await
}

/// The 免责容错 application of `person`, if the demo has one (the rectification's source).
async fn application_of(s: &Seeder, person: &str) -> Result<Option<String>, AppError> {
    let ids = s
        .service
        .store()
        .cases_linked("applicant", person, 10)
        .await
        .map_err(|e| failed("来源案件", e))?;
    Ok(ids.into_iter().find(|id| id.starts_with('A')))
}

/// Seeds the demo's rectifications.
pub(super) async fn seed(s: &Seeder) -> Result<(), AppError> {
    let year = s.today.year();
    let j = |n: u32| format!("J{year}-{n:06}");
    let date = |n: u32| -> Result<String, AppError> { Ok(s.wd(n)?.to_string()) };
    // A last day `n` calendar days ahead (the office sets it as a date).
    let ahead = |n: i64| (s.today + Duration::days(n)).to_string();
    let office = Actor::new(OFFICE, &[Role::Office], ZQ);
    let director = Actor::new(DIRECTOR, &[Role::Director], ZQ);
    let meng_office = Actor::new(MENG_OFFICE, &[Role::Office], MENG);
    let unit = Actor::new(UNIT, &[Role::Unit], BH);

    // 刘洋: evidence not fixed in time; he asks for more time (002 §16: the training he must
    // attend starts after the last day), the 主任 grants it; the 盟's office follows up.
    let liuyang = Actor::new("p-liuyang", &[Role::Officer], BH);
    if open(
        s,
        &j(1),
        30,
        json!({
            "action": "rectification_open", "officer": "p-liuyang", "unit": BH,
            "category": "evidence", "occurred_on": date(33)?,
            "cause": "查处一起非法营运案件时未及时提取、固定车辆行驶记录，致部分违法事实无法认定，经认定予以容错",
            "items": ["补充完善案件证据材料", "参加证据收集与固定专项培训", "书面剖析原因"],
            "requirements": "严格落实证据收集、固定规范，重要证据当场提取、及时固定",
            "methods": ["reminder_talk", "supervision_letter"],
            "due": date(8)?,
        }),
    )
    .await?
    {
        act(s, &j(1), 25, &unit, json!({ "action": "rectification_record_follow_up", "method": "talk", "findings": "所长约谈刘洋，证据材料已补充，原因剖析已完成，培训待参加" })).await?;
        act(s, &j(1), 12, &liuyang, json!({ "action": "rectification_request_extension", "requested_due": ahead(21), "reasons": "证据收集与固定专项培训由盟局统一组织，开班时间晚于整改期限" })).await?;
        act(s, &j(1), 11, &director, json!({ "action": "rectification_decide_extension", "granted": true, "reasons": "培训开班时间确非本人所能决定，属特殊情况，同意延长" })).await?;
        act(s, &j(1), 3, &meng_office, json!({ "action": "rectification_record_follow_up", "method": "phone", "findings": "盟局维权办电话回访，已报名参加本期培训，其余事项已完成" })).await?;
    }

    // 高志刚: the tolerance of his application (000 §8(三), 000 §31 ¶2) rectified and verified.
    let gaozhigang = Actor::new("p-gaozhigang", &[Role::Officer], WD);
    let source = application_of(s, "p-gaozhigang").await?;
    if open(
        s,
        &j(2),
        19,
        json!({
            "action": "rectification_open", "officer": "p-gaozhigang", "unit": WD,
            "source_case": source,
            "category": "policy_execution", "occurred_on": date(130)?,
            "cause": "执行专项整治部署时因整治范围界定不明确超范围查扣，经认定予以容错",
            "items": ["学习市场监管部门关于流动加油点的认定标准", "参与修订专项行动执法指引"],
            "requirements": "查扣前报法制员审核，严格把握整治范围",
            "methods": ["reminder_talk"],
            "due": date(2)?,
        }),
    )
    .await?
    {
        act(s, &j(2), 14, &office, json!({ "action": "rectification_record_follow_up", "method": "visit", "findings": "到温都尔勒图派出所实地回访，认定标准已组织学习，执法指引修订稿已提交" })).await?;
        act(s, &j(2), 8, &gaozhigang, json!({ "action": "rectification_report_completion", "summary": "已学习认定标准并通过测试；执法指引修订稿经旗局法制大队审核后印发" })).await?;
        act(s, &j(2), 6, &office, json!({ "action": "rectification_verify", "findings": "经核对学习记录和印发的执法指引，整改事项均已完成，整改到位" })).await?;
    }

    // 宝音: a legal document wrongly made; the last day passed without a report (002 §16), found
    // when the office followed up.
    if open(
        s,
        &j(3),
        25,
        json!({
            "action": "rectification_open", "officer": "p-baoyin", "unit": WD,
            "category": "legal_documents", "occurred_on": date(28)?,
            "cause": "制作行政处罚决定书时援引法律条款错误，经复核已更正，未造成严重后果，予以容错",
            "items": ["逐案自查近一年制作的法律文书", "参加法律文书制作培训"],
            "requirements": "法律文书制作后经审核人逐项核对法律依据",
            "methods": ["reminder_talk"],
            "due": date(6)?,
        }),
    )
    .await?
    {
        act(s, &j(3), 2, &office, json!({ "action": "rectification_record_follow_up", "method": "phone", "findings": "电话回访，自查尚未完成，未报告整改情况，已督促其尽快完成并报告" })).await?;
    }

    // 刘洋 again, the same category of mistake (000 §31 ¶2): flagged by the system on opening.
    open(
        s,
        &j(4),
        8,
        json!({
            "action": "rectification_open", "officer": "p-liuyang", "unit": BH,
            "category": "evidence", "occurred_on": date(9)?,
            "cause": "办理一起盗窃案件时未及时调取现场监控视频，致视频被覆盖，经认定予以容错",
            "items": ["书面说明未及时调取的原因", "整理近三个月所办案件的证据材料"],
            "requirements": "现场勘查时同步调取、固定视听资料",
            "methods": ["admonishment"],
            "due": ahead(30),
        }),
    )
    .await?;

    // 张宏: the third evidence mistake of 巴彦浩特派出所 this year — a risk point with its warning
    // letter to the unit (002 §17, 000 §32).
    open(
        s,
        &j(5),
        6,
        json!({
            "action": "rectification_open", "officer": "p-zhanghong", "unit": BH,
            "category": "evidence", "occurred_on": date(7)?,
            "cause": "处置一起纠纷时未固定当事人陈述，事后无法还原经过，经认定予以容错",
            "items": ["补充询问并制作笔录", "参加派出所证据规范专题学习"],
            "requirements": "现场处置中及时制作笔录、固定陈述",
            "methods": ["reminder_talk"],
            "due": ahead(25),
        }),
    )
    .await?;
    Ok(())
}
