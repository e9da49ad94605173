//! The demo's 执法过错 cases (004) and appeals against heavy sanctions (001 §27–28), at
//! 阿拉善左旗公安局, recorded through `Service::create_process` / `act_process` on past working
//! days like the other cases: an approver who overrode the correct opinion of the handler and the
//! reviewer (004 §9), decided, approved, filed, partly recovered and now appealed, its reply due;
//! an error exempted under 004 §14 and closed; an unlawful fine whose decision awaits the 局长's
//! approval (§26¶2); a 记大过 found improper by the committee, declined by the deciding
//! department and ordered corrected by the 督察 by a deadline; and one awaiting the committee's
//! opinion.
//! Fixed case ids make the seed resumable (an existing case is left as it is).

use chrono::Days;
use lvzhi_processes::enforcement_fault::{assess, FaultState};
use lvzhi_workflow::{Actor, Role};
use serde_json::{json, Value};

use super::{
    failed, Seeder, AGENCY_HEAD, BH, DEPT, DIRECTOR, INSPECTORATE, LEGAL, MENG_DC, OFFICE,
    PERSONNEL, WD, ZQ,
};
use crate::error::AppError;

/// Opens a case with a fixed id `n` working days ago; `false` when it exists already.
async fn open(
    s: &Seeder,
    kind: &str,
    id: &str,
    n: u32,
    actor: &Actor,
    command: Value,
) -> Result<bool, AppError> {
    Ok(s.open_process(kind, id, n, actor, command).await?.is_some())
}

async fn act(s: &Seeder, id: &str, n: u32, actor: &Actor, command: Value) -> Result<(), AppError> {
    s.act_process(id, n, actor, command).await
}

/// Records the engine's allocation for the case's recorded people and circumstances, as the
/// server does for the 法制部门 (004 §7–13).
async fn assess_now(s: &Seeder, id: &str, n: u32, actor: &Actor) -> Result<(), AppError> {
    let loaded = s
        .service
        .load_process(id)
        .await
        .map_err(|e| failed(&format!("案件 {id}"), e))?;
    let state: FaultState = serde_json::from_value(loaded.case.state_json())
        .map_err(|e| failed(&format!("案件 {id}"), e))?;
    let assessment = assess(&s.packs, &state).map_err(|e| failed(&format!("案件 {id}"), e))?;
    act(
        s,
        id,
        n,
        actor,
        json!({ "action": "enforcement_fault_assess", "assessment": assessment }),
    )
    .await
}

/// Seeds the demo's enforcement-fault cases and sanction appeals.
pub(super) async fn seed(s: &Seeder) -> Result<(), AppError> {
    use chrono::Datelike;
    let year = s.today.year();
    let f = |n: u32| format!("F{year}-{n:06}");
    let a = |n: u32| format!("S{year}-{n:06}");
    let date = |n: u32| -> Result<String, AppError> { Ok(s.wd(n)?.to_string()) };
    let legal = Actor::new(LEGAL, &[Role::LegalAffairs], ZQ);
    let inspectorate = Actor::new(INSPECTORATE, &[Role::Inspectorate], ZQ);
    let personnel = Actor::new(PERSONNEL, &[Role::Personnel], ZQ);
    let head = Actor::new(AGENCY_HEAD, &[Role::AgencyHead], ZQ);

    // 004 §9: the handler and the reviewer proposed not to detain; the 所长 approved detention.
    // The 督察 decided on him alone and the 局长 approved (§26¶2); 人事 filed it (§22); the
    // compensation paid to 刘某 is partly recovered from him (§19); he appealed to this agency,
    // whose reply is due (§27).
    if open(
        s,
        "enforcement_fault",
        &f(1),
        25,
        &legal,
        json!({
            "action": "enforcement_fault_open", "error_type": "wrongful_criminal_measure",
            "error_on": date(40)?, "case_name": "刘某涉嫌寻衅滋事案",
            "description": "刘某与他人发生口角，无殴打他人、任意损毁财物等情节，不构成寻衅滋事，却被刑事拘留三日后释放。",
            "unit": WD,
        }),
    )
    .await?
    {
        let id = f(1);
        act(s, &id, 24, &legal, json!({
            "action": "enforcement_fault_record_people",
            "people": [
                { "name": "孟凡", "person_id": "p-mengfan", "role": "handler",
                  "opinion": "现有证据不足以证明刘某构成寻衅滋事，建议不予刑事拘留" },
                { "name": "其其格", "person_id": "p-qiqige", "role": "reviewer",
                  "opinion": "同意办案人意见" },
                { "name": "吴刚", "person_id": "p-wugang", "role": "approver",
                  "opinion": "决定刑事拘留", "at_fault": true, "overrode_correct_opinion": true },
            ],
        })).await?;
        act(s, &id, 24, &legal, json!({ "action": "enforcement_fault_record_circumstances" })).await?;
        assess_now(s, &id, 23, &legal).await?;
        act(s, &id, 22, &legal, json!({
            "action": "enforcement_fault_confirm",
            "proposal": "审批人吴刚不采纳办案人、审核人的正确意见，应承担全部责任，建议予以通报批评、延期晋级",
        })).await?;
        act(s, &id, 13, &inspectorate, json!({
            "action": "enforcement_fault_decide", "name": "吴刚",
            "measures": ["circulated_criticism", "deferred_promotion"],
            "reasons": "审批时不采纳办案人、审核人的正确意见，错误决定刑事拘留，造成执法过错",
        })).await?;
        act(s, &id, 12, &head, json!({
            "action": "enforcement_fault_approve", "name": "吴刚", "result": "approved",
        })).await?;
        act(s, &id, 11, &personnel, json!({
            "action": "enforcement_fault_record_in_file", "name": "吴刚", "note": "已归入本人档案",
        })).await?;
        // §19: 刘某 was compensated for three days' detention; part is recovered from 吴刚.
        act(s, &id, 10, &legal, json!({
            "action": "enforcement_fault_record_compensation", "amount": 1545,
            "paid_on": date(10)?, "basis": "左公赔决字〔2026〕1号刑事赔偿决定书（侵犯人身自由三日）",
        })).await?;
        act(s, &id, 8, &legal, json!({
            "action": "enforcement_fault_recover", "name": "吴刚", "amount": 500,
            "reasons": "审批时不采纳办案人、审核人的正确意见，错误决定刑事拘留，有重大过失",
        })).await?;
        let wugang = Actor::new("p-wugang", &[Role::Officer], WD);
        act(s, &id, 4, &wugang, json!({
            "action": "enforcement_fault_appeal", "to": "same_level",
            "reasons": "审批时案情紧急，办案人意见并未说明证据不足的具体理由，本人不应承担全部责任",
        })).await?;
    }

    // 004 §14(一): the law was unclear; nobody is held responsible, and the case is closed.
    if open(
        s,
        "enforcement_fault",
        &f(2),
        10,
        &legal,
        json!({
            "action": "enforcement_fault_open", "error_type": "admin_act_revoked",
            "error_on": date(30)?, "case_name": "某商户违规经营行政处罚案",
            "description": "对某商户作出的罚款决定被复议机关以适用法律错误为由撤销。",
            "unit": BH,
        }),
    )
    .await?
    {
        let id = f(2);
        act(s, &id, 9, &legal, json!({
            "action": "enforcement_fault_record_people",
            "people": [
                { "name": "阿斯楞", "person_id": "p-asileng", "role": "handler", "at_fault": true,
                  "opinion": "依据地方规定建议罚款" },
            ],
        })).await?;
        act(
            s,
            &id,
            9,
            &legal,
            json!({
                "action": "enforcement_fault_record_circumstances", "exemptions": ["law_unclear"],
            }),
        )
        .await?;
        assess_now(s, &id, 8, &legal).await?;
        act(s, &id, 7, &legal, json!({
            "action": "enforcement_fault_confirm",
            "proposal": "地方规定与上位法规定不一致，依照第十四条第（一）项不追究民警责任，由法制部门加强执法指导",
        })).await?;
    }

    // 004 §26¶2: an unlawful fine; 人事 decided on the handler and reported it to the 局长,
    // whose approval is awaited.
    if open(
        s,
        "enforcement_fault",
        &f(3),
        6,
        &legal,
        json!({
            "action": "enforcement_fault_open", "error_type": "unlawful_admin_penalty",
            "error_on": date(25)?, "case_name": "某网吧未核验身份行政处罚案",
            "description": "未经告知陈述、申辩权利即对某网吧经营者作出罚款决定，被复议机关确认违法。",
            "unit": BH,
        }),
    )
    .await?
    {
        let id = f(3);
        act(s, &id, 5, &legal, json!({
            "action": "enforcement_fault_record_people",
            "people": [
                { "name": "何军", "person_id": "p-hejun", "role": "handler", "at_fault": true,
                  "opinion": "建议罚款五千元" },
            ],
        })).await?;
        act(s, &id, 5, &legal, json!({ "action": "enforcement_fault_record_circumstances" })).await?;
        assess_now(s, &id, 4, &legal).await?;
        act(s, &id, 3, &legal, json!({
            "action": "enforcement_fault_confirm",
            "proposal": "办案人何军未履行告知程序，应承担全部责任，建议责令做出书面检查",
        })).await?;
        act(s, &id, 1, &personnel, json!({
            "action": "enforcement_fault_decide", "name": "何军",
            "measures": ["written_self_examination"],
            "reasons": "作出行政处罚决定前未告知当事人陈述、申辩的权利，违反法定程序",
        })).await?;
    }

    // 001 §27–28: a 记大过 found improper; the deciding department declined to correct it; the
    // 督察 ordered it corrected by a deadline, which is now running.
    let zhanglei = Actor::new("p-zhanglei", &[Role::Officer], WD);
    let office = Actor::new(OFFICE, &[Role::Office], ZQ);
    let director = Actor::new(DIRECTOR, &[Role::Director], ZQ);
    let department = Actor::new(DEPT, &[Role::OriginalDepartment], MENG_DC);
    if open(
        s,
        "sanction_appeal",
        &a(1),
        20,
        &zhanglei,
        json!({
            "action": "sanction_appeal_file", "officer_id": "p-zhanglei", "unit": WD,
            "committee_id": ZQ, "measure": "major_demerit", "department_id": MENG_DC,
            "decided_on": date(30)?, "document_number": format!("阿公督〔{year}〕3号"),
            "conduct": "依法对拒不配合检查、驾车冲撞民警的驾驶人当场采取强制措施",
            "reasons": "强制措施符合人民警察法的规定，原决定认定本人滥用强制措施与事实不符",
        }),
    )
    .await?
    {
        let id = a(1);
        act(
            s,
            &id,
            18,
            &office,
            json!({
                "action": "sanction_appeal_hear",
                "statement": "驾驶人拒不停车并加速冲撞，本人被迫跃上车辆引擎盖，随后依法将其控制",
            }),
        )
        .await?;
        for (aspect, proper, finding) in [
            (
                "facts",
                false,
                "执法记录仪视频显示驾驶人先行冲撞民警，原决定认定民警滥用强制措施与事实不符",
            ),
            ("reasons", false, "处分理由建立在错误事实之上"),
            ("basis", true, "所引依据本身无误"),
            ("procedure", false, "作出处分前未听取民警的陈述和申辩"),
        ] {
            act(s, &id, 16, &office, json!({
                "action": "sanction_appeal_recheck", "aspect": aspect, "proper": proper, "finding": finding,
            })).await?;
        }
        act(
            s,
            &id,
            12,
            &director,
            json!({
                "action": "sanction_appeal_opinion", "improper": true, "proposal": "revoke",
                "opinion": "民警系依法履职，原决定认定事实错误、程序违法，建议撤销记大过处分",
            }),
        )
        .await?;
        act(
            s,
            &id,
            8,
            &department,
            json!({
                "action": "sanction_appeal_department_answer", "corrected": false,
                "reasons": "认为民警处置方式不当，维持原处分",
            }),
        )
        .await?;
        let deadline = s
            .today
            .checked_add_days(Days::new(20))
            .ok_or_else(|| failed("日期计算", "超出日期范围"))?;
        act(s, &id, 6, &inspectorate, json!({
            "action": "sanction_appeal_order_correction",
            "findings": "经核查，张磊同志系依法履职，受到的记大过处分认定事实错误、程序违法，属实",
            "requirements": "撤销对张磊同志的记大过处分，恢复其相应待遇，并书面报告纠正情况",
            "deadline": deadline.to_string(),
        })).await?;
    }

    // 001 §27: a 撤职 appealed, the officer heard, the re-check under way.
    let chenliang = Actor::new("p-chenliang", &[Role::Officer], BH);
    if open(
        s,
        "sanction_appeal",
        &a(2),
        3,
        &chenliang,
        json!({
            "action": "sanction_appeal_file", "officer_id": "p-chenliang", "unit": BH,
            "committee_id": ZQ, "measure": "removal_from_post", "department_id": MENG_DC,
            "decided_on": date(15)?,
            "conduct": "带队处置聚众斗殴警情时依法使用警械",
            "reasons": "使用警械符合规定，未造成严重后果",
        }),
    )
    .await?
    {
        act(s, &a(2), 1, &office, json!({
            "action": "sanction_appeal_hear", "statement": "现场多人持械斗殴，警告无效后使用警棍制止",
        })).await?;
    }
    Ok(())
}
