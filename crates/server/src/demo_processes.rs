//! The demo's 维权 incidents (001 §8–17) and 正名 cases (001 §29(五), 002 §18), handled by
//! 阿拉善左旗公安局维权办, recorded through `Service::create_process` / `act_process` on past
//! working days like the applications: a casualty incident reported 逐级 to the 盟 and the 厅 (the
//! 盟 forwarded it with its view, the 厅's acknowledgement overdue), a threat against an officer's
//! wife handled to the end, an office-opened case of online hype, a false accusation cleared with
//! its 正名通知书, and an anonymous complaint found unfounded awaiting its explanation. Fixed case ids make the
//! seed resumable (an existing case is left as it is).

use chrono::Datelike;
use lvzhi_service::ServiceError;
use lvzhi_workflow::{Actor, Role};
use serde_json::{json, Value};

use super::{failed, Seeder, BH, MENG, UNIT, ZQ};
use crate::error::AppError;

/// The demo account of the 厅's 维权办, which receives the reports of 001 §17.
pub(super) const GAT_OFFICE: &str = "p-wulan";

fn office(org: &str, person: &str) -> Actor {
    Actor::new(person, &[Role::Office], org)
}

fn zq_office() -> Actor {
    office(ZQ, super::OFFICE)
}

impl Seeder {
    /// Opens a case of `kind` with a fixed id `n` working days ago; `None` when it exists (the
    /// seed is resumable). Every process's demo opens its cases so.
    pub(super) async fn open_process(
        &self,
        kind: &str,
        id: &str,
        n: u32,
        actor: &Actor,
        command: Value,
    ) -> Result<Option<String>, AppError> {
        let day = self.wd(n)?;
        match self
            .service
            .create_process(kind, Some(id), actor, &command, day, self.now)
            .await
        {
            Ok(_) => Ok(Some(id.to_string())),
            Err(ServiceError::Exists(_)) => Ok(None),
            Err(e) => Err(failed(&format!("案件 {id}"), e)),
        }
    }

    /// Acts on a process case `n` working days ago.
    pub(super) async fn act_process(
        &self,
        id: &str,
        n: u32,
        actor: &Actor,
        command: Value,
    ) -> Result<(), AppError> {
        let day = self.wd(n)?;
        self.service
            .act_process(id, None, actor, &command, day, self.now)
            .await
            .map(|_| ())
            .map_err(|e| failed(&format!("案件 {id}"), e))
    }
}

/// Seeds the demo's incidents and 正名 cases.
pub(super) async fn seed(s: &Seeder) -> Result<(), AppError> {
    let year = s.today.year();
    let w = |n: u32| format!("W{year}-{n:06}");
    let z = |n: u32| format!("Z{year}-{n:06}");
    let date = |n: u32| -> Result<String, AppError> { Ok(s.wd(n)?.to_string()) };

    // A casualty incident (001 §8(一), §17(一)): the officer reports it; the report to the 盟
    // follows at once; the 盟 forwards it to the 厅 with its view the next day (逐级); the 厅 has
    // not acknowledged it yet. The officer's own response on the scene is recorded (§14).
    let officer2 = Actor::new("p-wangzhiqiang", &[Role::Officer], BH);
    if let Some(id) = s
        .open_process(
            "incident",
            &w(1),
            3,
            &officer2,
            json!({
                "action": "incident_report", "source": "officer",
                "officer": "p-wangzhiqiang", "unit": BH, "org": ZQ,
                "incident_type": "violent_attack", "occurred_on": date(4)?,
                "place": "巴彦浩特镇额鲁特路夜市",
                "description": "出警处置酒后滋事时，滋事人员持啤酒瓶击打民警王志强头部，致其头部裂伤；辅警张伟上前制止时手臂被划伤。",
                "victims": [
                    { "name": "王志强", "kind": "officer", "harm": "头部裂伤，缝合七针" },
                    { "name": "张伟", "kind": "auxiliary", "harm": "左臂划伤" },
                ],
                "casualties": true,
            }),
        )
        .await?
    {
        s.act_process(&id, 2, &office(MENG, super::MENG_OFFICE), json!({ "action": "incident_forward", "view": "经核实，民警系依法履职时遭受暴力袭击，本机关已督促阿拉善左旗公安局全力做好民警救治、依法从快处理，建议厅维权办跟踪督办" })).await?;
        // 001 §14: he could not handle it alone and called the command centre for help.
        s.act_process(&id, 2, &zq_office(), json!({ "action": "incident_on_scene", "account": "王志强头部受伤后退至安全位置，表明身份并口头警告", "requested_help": true, "evidence": "执法记录仪全程录像，现场提取啤酒瓶碎片" })).await?;
        s.act_process(&id, 2, &zq_office(), json!({ "action": "incident_investigate", "findings": "刑侦大队已将滋事人员刑事拘留，调取执法记录仪和周边监控视频，固定证据", "handling_unit": "阿拉善左旗公安局刑侦大队" })).await?;
        s.act_process(&id, 1, &zq_office(), json!({ "action": "incident_comfort_payment", "recipient": "王志强", "amount_yuan": 3000, "basis": "保障民警依法履职抚慰专项资金使用规范" })).await?;
        s.act_process(&id, 1, &zq_office(), json!({ "action": "incident_civil_suit", "suit": "incidental_civil", "loss": "医疗费、误工费约 8600 元", "assistance": "法制大队协助民警准备刑事附带民事诉讼材料" })).await?;
    }

    // A threat against an officer's wife (001 §8(六), §11, §32): the unit reports it; protective
    // measures; investigated, handled and closed — the 台账 shows it to the end.
    let unit = Actor::new(UNIT, &[Role::Unit], BH);
    if let Some(id) = s
        .open_process(
            "incident",
            &w(2),
            12,
            &unit,
            json!({
                "action": "incident_report", "source": "unit",
                "officer": "p-suhe", "unit": BH, "org": ZQ,
                "incident_type": "threats", "occurred_on": date(13)?,
                "place": "苏和家中及其妻子工作单位",
                "description": "民警苏和依法查处一起赌博案件后，违法行为人多次电话威胁其妻子，并到其工作单位滋扰。",
                "victims": [
                    { "name": "苏和", "kind": "officer" },
                    { "name": "乌云", "kind": "near_relative", "relation": "妻子", "harm": "受到电话威胁和滋扰" },
                ],
            }),
        )
        .await?
    {
        s.act_process(&id, 11, &zq_office(), json!({ "action": "incident_protect", "protected": "苏和之妻乌云", "measures": "安排社区民警对其住所和工作单位周边加强巡逻，开通紧急联络电话", "taken_by": "巴彦浩特派出所" })).await?;
        s.act_process(&id, 9, &zq_office(), json!({ "action": "incident_investigate", "findings": "查明威胁电话系赌博案件违法行为人李某所打，已固定通话记录", "handling_unit": "阿拉善左旗公安局治安管理大队" })).await?;
        s.act_process(&id, 6, &zq_office(), json!({ "action": "incident_record_handling", "result": "李某因威胁他人人身安全被行政拘留十日" })).await?;
        s.act_process(&id, 5, &zq_office(), json!({ "action": "incident_close", "summary": "行为人已依法处理，民警及其家属生活恢复正常" })).await?;
    }

    // Online hype found by the office itself (001 §8(五), §12, §15).
    if let Some(id) = s
        .open_process(
            "incident",
            &w(3),
            1,
            &zq_office(),
            json!({
                "action": "incident_open", "clue": "网络巡查发现某短视频账号剪辑执法视频，歪曲事实、煽动对民警的攻击",
                "officer": "p-hejun", "unit": BH, "org": ZQ,
                "incident_type": "malicious_complaint", "occurred_on": date(2)?,
                "place": "某短视频平台",
                "description": "民警何军依法查处交通违法行为的视频被恶意剪辑传播，称其“暴力执法”。",
                "victims": [{ "name": "何军", "kind": "officer", "harm": "名誉受损" }],
            }),
        )
        .await?
    {
        s.act_process(&id, 0, &zq_office(), json!({ "action": "incident_media", "outlet": "某短视频平台", "clarification": "发布警情通报并公布完整执法视频，澄清事实", "coordinated_with": "阿拉善左旗委宣传部" })).await?;
    }

    // At 福州监狱, under the prisons' own regulation (003 §15): an inmate attacks 周磊 and his
    // family is threatened; the prison's 履职保护委员会办公室 coordinates with the procuratorate,
    // retains lawyers, asks the police to punish the threats and seeks a protection order — no
    // 001 step (逐级上报 to a 公安厅, 抚慰金) is offered there. Investigated, not yet handled.
    let fz_office = Actor::new(
        super::determination::FZ_OFFICE,
        &[Role::Office],
        super::FJ_FZ,
    );
    let fz_officer = Actor::new("p-fz-zhoulei", &[Role::Officer], super::FJ_FZ);
    if let Some(id) = s
        .open_process(
            "incident",
            &w(4),
            6,
            &fz_officer,
            json!({
                "action": "incident_report", "source": "officer",
                "officer": "p-fz-zhoulei", "unit": super::FJ_FZ, "org": super::FJ_FZ,
                "incident_type": "violent_attack", "occurred_on": date(7)?,
                "place": "福州监狱三监区习艺车间",
                "description": "民警周磊制止罪犯王某违规时，王某抗拒管教，持劳动工具袭击周磊，致其左臂骨折；其后王某亲属多次电话威胁周磊之妻。",
                "victims": [
                    { "name": "周磊", "kind": "officer", "harm": "左臂骨折" },
                    { "name": "林丽", "kind": "near_relative", "relation": "妻子", "harm": "受到电话威胁" },
                ],
            }),
        )
        .await?
    {
        s.act_process(&id, 5, &fz_office, json!({ "action": "incident_coordinate", "organ": "福州市人民检察院驻福州监狱检察室", "content": "通报罪犯王某袭警情况，商请依法从严追究其刑事责任；检察室同意提前介入" })).await?;
        s.act_process(&id, 4, &fz_office, json!({ "action": "incident_refer_police", "police": "福州市公安局晋安分局", "conduct": "罪犯王某亲属多次电话威胁周磊之妻林丽" })).await?;
        s.act_process(&id, 3, &fz_office, json!({ "action": "incident_legal_support", "provider": "福建某律师事务所律师团队", "support": "代理周磊参与刑事附带民事诉讼，主张医疗费、误工费" })).await?;
        s.act_process(&id, 2, &fz_office, json!({ "action": "incident_judicial_relief", "relief": "为林丽申请人身安全保护令", "organ": "福州市晋安区人民法院" })).await?;
        s.act_process(&id, 1, &fz_office, json!({ "action": "incident_investigate", "findings": "调取监控录像，询问在场民警和罪犯，证实王某持械袭警", "handling_unit": "福州监狱狱内侦查科" })).await?;
    }

    // A false accusation cleared (001 §29(五)).
    if let Some(id) = s
        .open_process(
            "name_clearing",
            &z(1),
            10,
            &zq_office(),
            json!({
                "action": "name_clearing_receive",
                "officer": "p-lina", "unit": BH, "org": ZQ,
                "complaint": "办理户籍业务时收受群众财物", "complaint_received_on": date(25)?,
                "complainant": "real_name", "complainant_name": "赵某",
                "handed_over_by": "阿拉善左旗公安局纪检监察室",
                "finding": "false_accusation",
                "investigation": "经调取业务办理记录、询问当事群众，举报人因户籍业务未获违规办理而捏造事实，系诬告",
            }),
        )
        .await?
    {
        s.act_process(&id, 8, &zq_office(), json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "材料齐全，证据确实，核查结论属实" })).await?;
        s.act_process(&id, 6, &zq_office(), json!({ "action": "name_clearing_refer", "department": "阿拉善左旗公安局法制大队", "liability": "赵某涉嫌诬告陷害，依法追究其法律责任" })).await?;
        s.act_process(&id, 6, &zq_office(), json!({ "action": "name_clearing_issue_notice", "scope": "阿拉善左旗公安局全体民警及巴彦浩特镇相关社区", "means": "circular", "clarification": "李娜同志依法办理户籍业务，不存在收受群众财物的问题" })).await?;
        s.act_process(&id, 4, &zq_office(), json!({ "action": "name_clearing_close", "summary": "已正名，诬告人已移交追责" })).await?;
    }

    // At the 兴安盟国动办: an anonymous complaint against one of its own 执法人员 found
    // unfounded, awaiting its explanation (002 §18; 002 §2 limits 002 to its own staff — a
    // police body's regulation has no such step).
    let xam_office = Actor::new(
        super::determination::XAM_OFFICE,
        &[Role::Office],
        super::XAM,
    );
    if let Some(id) = s
        .open_process(
            "name_clearing",
            &z(2),
            3,
            &xam_office,
            json!({
                "action": "name_clearing_receive",
                "officer": "p-xam-sunhao", "unit": super::XAM, "org": super::XAM,
                "complaint": "行政执法检查中收受被检查单位礼品", "complaint_received_on": date(15)?,
                "complainant": "anonymous",
                "handed_over_by": "兴安盟国防动员办公室机关纪委",
                "finding": "unfounded",
                "investigation": "经调阅执法检查记录、询问被检查单位，反映问题查无实据",
            }),
        )
        .await?
    {
        s.act_process(&id, 1, &xam_office, json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "核查结论属实，应在本办机关范围内说明情况" })).await?;
    }
    Ok(())
}
