//! The demo data of `lvzhi serve --demo`: an organisation tree drawn from the seed regulations
//! (内蒙古自治区公安厅 → 阿拉善盟公安局 → 旗县公安局 → 派出所, with 兴安盟国防动员办公室 of seed 002
//! and 福建省监狱管理局 → 福州监狱 of seed 003), one account per role, the expert pool of 000 §18–19,
//! and about twenty cases standing in every stage of the 000 procedure.
//!
//! The handling committee is 阿拉善左旗公安局维权委; its parent committee, which hears 复核, is
//! 阿拉善盟公安局维权委 (000 §21). Every case is built by `Service::create` / `Service::act` with
//! past dates counted in working days back from today, and the one deemed acceptance is fired by
//! the scheduler's own `tick` — never by writing events by hand — so the record, its deadlines
//! and its SM3 chain are genuine and `lvzhi audit verify` passes.
//!
//! Seeding is idempotent: the administrator's account is written last and marks a complete
//! seed; when it exists the data is reused and only the accounts are returned. A seed cut short
//! is resumed (directory writes are upserts; a case that already exists is left as it is).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_service::{Service, ServiceError};
use lvzhi_store::{ExpertRecord, GrantRecord, OrgPacks, OrgRecord, PersonRecord};
use lvzhi_workflow::{
    AccountabilityDecision, AccountabilityInquiry, ApplicationForm, Command, Determination,
    Eligibility, ExternalCategory, ExternalParticipant, Leniency, MemberCategory, Modality,
    Officer, OnSceneReport, Org, Outcome, OversightBody, PanelMember, Proposal, Recommendation,
    Role, Sanction,
};
use serde_json::{json, Value};

use crate::app::App;
use crate::error::AppError;

// The demo's 维权 incidents and 正名 cases (issue 7).
#[path = "demo_processes.rs"]
mod processes;
// The demo's 执法过错 cases and heavy-sanction appeals (issue 7).
#[path = "demo_fault.rs"]
mod fault;
// The demo's 纠错整改 cases (issue 7).
#[path = "demo_rectification.rs"]
mod rectification;
// The demo's 容错免责认定 cases at 兴安盟国防动员办公室 (002) and 福州监狱 (003).
#[path = "demo_determination.rs"]
mod determination;

/// A demo account as printed at start.
pub struct DemoAccount {
    /// The login name.
    pub login: String,
    /// The demo password (public: the demo is for trying the system out).
    pub password: String,
    /// Who the account is, in Chinese (person, role, organisation).
    pub description: String,
}

/// Directory changes made by the seed are recorded against this actor in the chain.
const SEEDER: &str = "demo-seed";

// ---- organisations ----

const GAT: &str = "nmg-gat";
const MENG: &str = "als-gaj";
const MENG_JJ: &str = "als-gaj-jjjc";
const MENG_DC: &str = "als-gaj-dczd";
const MENG_FZ: &str = "als-gaj-fzzd";
const ZQ: &str = "alszq-gaj";
const ZQ_FZ: &str = "alszq-fzdd";
const ZQ_JJ: &str = "alszq-jjjc";
const BH: &str = "alszq-bhht";
const WD: &str = "alszq-wdelt";
const YQ: &str = "alsyq-gaj";
const EJN: &str = "ejnq-gaj";
const XAM: &str = "xam-gfdb";
const FJ: &str = "fj-jyglj";
const FJ_FZ: &str = "fj-fzjy";

/// (id, parent, name, kind) in an order where every parent comes first.
const ORGS: &[(&str, Option<&str>, &str, &str)] = &[
    (GAT, None, "内蒙古自治区公安厅", "police"),
    (MENG, Some(GAT), "阿拉善盟公安局", "police"),
    (
        MENG_JJ,
        Some(MENG),
        "阿拉善盟公安局纪检监察室",
        "department",
    ),
    (MENG_DC, Some(MENG), "阿拉善盟公安局督察支队", "department"),
    (MENG_FZ, Some(MENG), "阿拉善盟公安局法制支队", "department"),
    (ZQ, Some(MENG), "阿拉善左旗公安局", "police"),
    (ZQ_FZ, Some(ZQ), "阿拉善左旗公安局法制大队", "department"),
    (ZQ_JJ, Some(ZQ), "阿拉善左旗公安局纪检监察室", "department"),
    (BH, Some(ZQ), "巴彦浩特派出所", "police"),
    (WD, Some(ZQ), "温都尔勒图派出所", "police"),
    (YQ, Some(MENG), "阿拉善右旗公安局", "police"),
    (EJN, Some(MENG), "额济纳旗公安局", "police"),
    (XAM, None, "兴安盟国防动员办公室", "enforcement"),
    (FJ, None, "福建省监狱管理局", "prison"),
    (FJ_FZ, Some(FJ), "福州监狱", "prison"),
];

/// The regulations each body of the demo is bound to (issue 20: procedure pack, rule packs),
/// inherited by every organisation below it. Chosen from the seeds' own scope articles:
/// 001 §1–2 (全区公安机关) and 004 §2 (every police organ; the 1999 text and its 2016 revision,
/// between which 从旧兼从轻 decides) for the region; 000 §1 and §38 (全盟公安机关在职人民警察)
/// for 阿拉善盟, whose procedure is 000's; 002 §2 (兴安盟国防动员办公室全体行政执法人员); 003
/// (福建省监狱人民警察) for Fujian's prisons.
const BINDINGS: &[(&str, Option<&str>, &[&str])] = &[
    (GAT, None, &["001", "004", "004-2016"]),
    (MENG, Some("000"), &["000", "001", "004", "004-2016"]),
    (XAM, Some("002"), &["002"]),
    (FJ, Some("003"), &["003"]),
];

fn org_name(id: &str) -> &'static str {
    ORGS.iter()
        .find(|(o, ..)| *o == id)
        .map(|(_, _, n, _)| *n)
        .unwrap_or("")
}

fn org(id: &str) -> Org {
    Org {
        id: id.to_string(),
        name: org_name(id).to_string(),
    }
}

// ---- people ----

const OFFICER: &str = "p-bateer";
const OFFICER2: &str = "p-wangzhiqiang";
const OFFICER_YQ: &str = "p-chenhao";
const UNIT: &str = "p-liujianguo";
const OFFICE: &str = "p-zhaomin";
const DIRECTOR: &str = "p-lizhenhua";
const DEPUTY: &str = "p-sunlixin";
const MEMBER: &str = "p-zhoujing";
const PANEL_LEGAL: &str = "p-majun";
const PANEL_DISC: &str = "p-gaoyan";
const EXPERT: &str = "p-eerdun";
const DEPT: &str = "p-hanbing";
const MENG_DIRECTOR: &str = "p-bayin";
const MENG_OFFICE: &str = "p-yangfan";
/// 法制部门 and 警务督察部门 of 阿拉善左旗公安局 (004 §26, 001 §28).
const LEGAL: &str = "p-guoming";
const INSPECTORATE: &str = "p-zhouqiang";
/// 人事部门 and the 局长 of 阿拉善左旗公安局: 执法过错 discipline decided and approved (004 §26¶2).
const PERSONNEL: &str = "p-wangli";
const AGENCY_HEAD: &str = "p-hewei";
/// Written last: its presence means the seed completed.
const ADMIN: &str = "p-admin";

struct PersonDef {
    id: &'static str,
    name: &'static str,
    org: &'static str,
    title: &'static str,
    login: Option<&'static str>,
    grants: &'static [(&'static str, &'static str)],
    /// The account's description as printed at start (accounts only).
    description: &'static str,
}

const fn account(
    id: &'static str,
    name: &'static str,
    org: &'static str,
    title: &'static str,
    login: &'static str,
    grants: &'static [(&'static str, &'static str)],
    description: &'static str,
) -> PersonDef {
    PersonDef {
        id,
        name,
        org,
        title,
        login: Some(login),
        grants,
        description,
    }
}

const fn officer(id: &'static str, name: &'static str, org: &'static str) -> PersonDef {
    PersonDef {
        id,
        name,
        org,
        title: "民警",
        login: None,
        grants: &[],
        description: "",
    }
}

/// One account per role (DESIGN §1), then the applicants and colleagues without an account.
const PEOPLE: &[PersonDef] = &[
    account(
        OFFICER,
        "巴特尔",
        BH,
        "民警",
        "officer",
        &[("officer", BH)],
        "巴特尔，巴彦浩特派出所民警（申请人，本人有多件案件）",
    ),
    account(
        OFFICER2,
        "王志强",
        BH,
        "民警",
        "officer2",
        &[("officer", BH)],
        "王志强，巴彦浩特派出所民警（申请人）",
    ),
    account(
        OFFICER_YQ,
        "陈浩",
        YQ,
        "民警",
        "officer-yq",
        &[("officer", YQ)],
        "陈浩，阿拉善右旗公安局民警（用于演示：无权查看其他单位民警的案件）",
    ),
    account(
        UNIT,
        "刘建国",
        BH,
        "所长",
        "unit",
        &[("unit", BH)],
        "刘建国，巴彦浩特派出所所长（申请单位负责人）",
    ),
    account(
        OFFICE,
        "赵敏",
        ZQ,
        "维权办工作人员",
        "office",
        &[("office", ZQ)],
        "赵敏，阿拉善左旗公安局维权办工作人员",
    ),
    account(
        DIRECTOR,
        "李振华",
        ZQ,
        "督察长、维权委主任",
        "director",
        &[("director", ZQ)],
        "李振华，阿拉善左旗公安局督察长、维权委主任（001 §5：维权委由督察长任主任）",
    ),
    account(
        DEPUTY,
        "孙立新",
        ZQ,
        "副局长、维权委副主任",
        "deputy",
        &[("deputy_director", ZQ)],
        "孙立新，阿拉善左旗公安局维权委副主任",
    ),
    account(
        MEMBER,
        "周静",
        ZQ,
        "警务督察大队大队长、维权委成员",
        "member",
        &[("committee_member", ZQ)],
        "周静，阿拉善左旗公安局维权委成员",
    ),
    account(
        PANEL_LEGAL,
        "马俊",
        ZQ_FZ,
        "法制大队大队长",
        "panel-legal",
        &[("panel_member", ZQ)],
        "马俊，阿拉善左旗公安局法制大队（审查论证组法制成员）",
    ),
    account(
        PANEL_DISC,
        "高岩",
        ZQ_JJ,
        "纪检监察室主任",
        "panel-discipline",
        &[("panel_member", ZQ)],
        "高岩，阿拉善左旗公安局纪检监察室（审查论证组纪检成员）",
    ),
    account(
        EXPERT,
        "额尔敦",
        MENG,
        "律师（特邀审查论证人员）",
        "expert",
        &[("external_expert", MENG)],
        "额尔敦，律师，经批准参与审查论证的特邀人员（000 §18）",
    ),
    account(
        DEPT,
        "韩冰",
        MENG_DC,
        "督察支队副支队长",
        "department",
        &[("original_department", MENG_DC)],
        "韩冰，阿拉善盟公安局督察支队（原问责决定部门）",
    ),
    account(
        LEGAL,
        "郭明",
        ZQ_FZ,
        "法制大队民警",
        "legal",
        &[("legal_affairs", ZQ)],
        "郭明，阿拉善左旗公安局法制大队（执法过错案件的检查认定，004 §26）",
    ),
    account(
        INSPECTORATE,
        "周强",
        ZQ,
        "警务督察大队民警",
        "inspectorate",
        &[("inspectorate", ZQ)],
        "周强，阿拉善左旗公安局警务督察大队（执法过错处理决定，004 §26；督促纠正不公正处分，001 §28）",
    ),
    account(
        PERSONNEL,
        "王丽",
        ZQ,
        "政治处人事训练室民警",
        "personnel",
        &[("personnel", ZQ)],
        "王丽，阿拉善左旗公安局政治处人事训练室（执法过错处理决定、记入档案，004 §26¶2、§22）",
    ),
    account(
        AGENCY_HEAD,
        "何伟",
        ZQ,
        "局长",
        "head",
        &[("agency_head", ZQ)],
        "何伟，阿拉善左旗公安局局长（审批执法过错处理决定，004 §26¶2）",
    ),
    account(
        MENG_DIRECTOR,
        "巴音",
        MENG,
        "副局长、维权委主任",
        "parent-director",
        &[("director", MENG), ("higher_committee", MENG)],
        "巴音，阿拉善盟公安局维权委主任（上一级维权委，办理复核）",
    ),
    account(
        MENG_OFFICE,
        "杨帆",
        MENG,
        "维权办工作人员",
        "parent-office",
        &[("office", MENG)],
        "杨帆，阿拉善盟公安局维权办工作人员（上一级维权委）",
    ),
    account(
        processes::GAT_OFFICE,
        "乌兰",
        GAT,
        "警务督察总队、维权办工作人员",
        "gat-office",
        &[("office", GAT)],
        "乌兰，内蒙古自治区公安厅维权办工作人员（接收逐级上报的维权案（事）件，001 §17）",
    ),
    account(
        determination::XAM_OFFICE,
        "张丽",
        XAM,
        "执法科工作人员",
        "xam-office",
        &[("office", XAM)],
        "张丽，兴安盟国防动员办公室执法科工作人员（容错免责认定的调查核实、告知和公开，002 §13）",
    ),
    account(
        determination::XAM_HEAD,
        "王建军",
        XAM,
        "党组书记、主任",
        "xam-head",
        &[("director", XAM)],
        "王建军，中共兴安盟国防动员办公室党组书记（办党组作出容错认定结论，002 §13）",
    ),
    account(
        determination::XAM_OFFICER,
        "李明",
        XAM,
        "行政执法人员",
        "xam-officer",
        &[("officer", XAM)],
        "李明，兴安盟国防动员办公室行政执法人员（容错认定申请人）",
    ),
    officer("p-xam-zhaogang", "赵刚", XAM),
    officer("p-xam-sunhao", "孙浩", XAM),
    account(
        determination::FZ_OFFICE,
        "林芳",
        FJ_FZ,
        "民警依法履职保护委员会办公室工作人员",
        "fz-office",
        &[("office", FJ_FZ)],
        "林芳，福州监狱民警依法履职保护委员会办公室工作人员（提前介入、调查核实、回复反馈和情况备案，003 §13）",
    ),
    account(
        determination::FZ_HEAD,
        "黄志强",
        FJ_FZ,
        "监狱长、民警依法履职保护委员会主任",
        "fz-head",
        &[("director", FJ_FZ)],
        "黄志强，福州监狱民警依法履职保护委员会主任（评审认定、答复复议申述，003 §13）",
    ),
    account(
        determination::FZ_OFFICER,
        "陈伟",
        FJ_FZ,
        "民警",
        "fz-officer",
        &[("officer", FJ_FZ)],
        "陈伟，福州监狱民警（提前介入的当事人）",
    ),
    PersonDef {
        id: determination::FZ_UNIT,
        name: "高勇",
        org: FJ_FZ,
        title: "监区长",
        login: None,
        grants: &[("unit", FJ_FZ)],
        description: "",
    },
    officer("p-fz-zhoulei", "周磊", FJ_FZ),
    officer("p-fz-wujing", "吴静", FJ_FZ),
    account(
        determination::FJ_OFFICE,
        "郑华",
        FJ,
        "民警依法履职保护委员会办公室工作人员",
        "fj-office",
        &[("office", FJ)],
        "郑华，福建省监狱管理局民警依法履职保护委员会办公室工作人员（接收监狱报送的认定情况备案，003 §13）",
    ),
    officer("p-suhe", "苏和", BH),
    officer("p-lina", "李娜", BH),
    officer("p-hejun", "何军", BH),
    officer("p-liuyang", "刘洋", BH),
    officer("p-zhaoxue", "赵雪", BH),
    officer("p-chenliang", "陈亮", BH),
    officer("p-zhanghong", "张宏", BH),
    officer("p-asileng", "阿斯楞", BH),
    officer("p-zhanglei", "张磊", WD),
    officer("p-baoyin", "宝音", WD),
    officer("p-wurina", "乌日娜", WD),
    officer("p-mengfan", "孟凡", WD),
    officer("p-wugang", "吴刚", WD),
    officer("p-qiqige", "其其格", WD),
    officer("p-gaozhigang", "高志刚", WD),
    officer("p-wanghai", "王海", ZQ_JJ),
];

/// The administrator (every root of the tree), written after everything else.
const ADMIN_DEF: PersonDef = account(
    ADMIN,
    "张宁",
    GAT,
    "系统管理员",
    "admin",
    &[
        ("administrator", GAT),
        ("administrator", XAM),
        ("administrator", FJ),
    ],
    "张宁，系统管理员（组织机构、人员、专家库、日历与政策包）",
);

/// The demo password of a login: printed at start, so demo data is for demonstrations only.
fn password(login: &str) -> String {
    format!("demo-{login}-2026")
}

fn person_name(id: &str) -> &'static str {
    PEOPLE
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.name)
        .unwrap_or("")
}

/// Every demo account, in the order printed.
pub(crate) fn accounts() -> Vec<DemoAccount> {
    PEOPLE
        .iter()
        .chain(std::iter::once(&ADMIN_DEF))
        .filter_map(|p| {
            p.login.map(|login| DemoAccount {
                login: login.to_string(),
                password: password(login),
                description: p.description.to_string(),
            })
        })
        .collect()
}

// ---- the expert pool (000 §18–19) ----

/// (id, name, category of 000 §18, affiliation, linked person, retained by: 聘请律师 of 001 §26).
/// The 盟局 retains two lawyers; the 左旗局 only one, so its 维权办 sees the 001 §26 warning.
type ExpertSeed = (
    &'static str,
    &'static str,
    ExternalCategory,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);
const EXPERTS: &[ExpertSeed] = &[
    (
        "e-tuya",
        "图雅",
        ExternalCategory::Deputy,
        "阿拉善盟人大代表，阿拉善左旗某牧民专业合作社理事长",
        None,
        None,
    ),
    (
        "e-liujianhua",
        "刘建华",
        ExternalCategory::PoliticalLegalStaff,
        "阿拉善左旗人民检察院检察官",
        None,
        None,
    ),
    (
        "e-wangying",
        "王颖",
        ExternalCategory::PoliticalLegalStaff,
        "阿拉善盟中级人民法院法官",
        None,
        None,
    ),
    (
        "e-eerdun",
        "额尔敦",
        ExternalCategory::LegalExpert,
        "内蒙古某律师事务所律师",
        Some(EXPERT),
        Some(MENG),
    ),
    (
        "e-chenzhiyuan",
        "陈志远",
        ExternalCategory::LegalExpert,
        "内蒙古大学法学院副教授",
        None,
        None,
    ),
    (
        "e-narisu",
        "那日苏",
        ExternalCategory::FrontlineOfficer,
        "额济纳旗公安局达来呼布派出所民警（基层民警代表）",
        None,
        None,
    ),
    (
        "e-zhaoguilan",
        "赵桂兰",
        ExternalCategory::PublicRepresentative,
        "巴彦浩特镇某社区居民委员会主任",
        None,
        None,
    ),
    (
        "e-liming",
        "李明",
        ExternalCategory::Other,
        "阿拉善盟心理健康指导中心心理咨询师",
        None,
        None,
    ),
    (
        "e-sunwei",
        "孙伟",
        ExternalCategory::LegalExpert,
        "内蒙古某律师事务所律师，阿拉善盟公安局法律顾问",
        None,
        Some(MENG),
    ),
    (
        "e-wulan",
        "乌兰",
        ExternalCategory::LegalExpert,
        "阿拉善左旗某律师事务所律师，阿拉善左旗公安局法律顾问",
        None,
        Some(ZQ),
    ),
];

/// All seven conditions of 000 §19 recorded as met.
fn eligible() -> Eligibility {
    Eligibility {
        political_stance: true,
        integrity: true,
        no_criminal_record: true,
        no_disciplinary_record: true,
        experience_authority: true,
        no_conflict: true,
        confidentiality: true,
    }
}

// ---- facts in the vocabulary of packs/000.toml ----

type Facts = BTreeMap<String, Value>;

fn facts(pairs: &[(&str, Value)]) -> Facts {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// What the panel establishes in every case: a serving officer on duty, and none of the
/// exclusions of 000 §9, §11 and §31 ¶2.
fn established(extra: &[(&str, Value)]) -> Facts {
    let mut f = facts(&[
        ("person_category", json!("serving_officer")),
        ("off_duty", json!(false)),
        ("intentional_violation", json!(false)),
        ("improper_gain", json!(false)),
        ("prohibited_act", json!(false)),
        ("other_exclusion", json!(false)),
        ("evidence_lost_recording_violation", json!(false)),
        ("concealed_or_refused_rectification", json!(false)),
    ]);
    f.extend(facts(extra));
    f
}

/// For a fault-tolerance case: the exemptions of 000 §7 (and 004-2016 §21, cited by §7(五))
/// were examined and do not apply, nor do the recurrences of §31 ¶2.
fn tolerance_facts(extra: &[(&str, Value)]) -> Facts {
    let mut f = established(&[
        ("coercive_measure_lawful", json!(false)),
        ("weapon_use_lawful", json!(false)),
        ("subject_own_cause_on_scene", json!(false)),
        ("custody_own_cause", json!(false)),
        ("law_changed", json!(false)),
        ("law_unclear", json!(false)),
        ("unforeseeable_or_irresistible", json!(false)),
        ("facts_disputed_reasonably_explained", json!(false)),
        ("new_evidence_changed_conclusion", json!(false)),
        ("basis_document_revoked", json!(false)),
        ("subject_fault", json!(false)),
        ("rectification_ineffective", json!(false)),
        ("same_error_recurred", json!(false)),
    ]);
    f.extend(facts(extra));
    f
}

fn weapon() -> Facts {
    established(&[
        ("weapon_use_lawful", json!(true)),
        ("reported_promptly", json!(true)),
        ("timely_rescue", json!(true)),
    ])
}

fn coercive() -> Facts {
    established(&[
        ("coercive_measure_lawful", json!(true)),
        ("within_necessary_limit", json!(true)),
        ("timely_rescue", json!(true)),
        // 000 §7(二)–(四) govern their own situations (issue 15): the general §7(一) decides
        // only once they are ruled out.
        ("weapon_harm", json!(false)),
        ("subject_own_cause_on_scene", json!(false)),
        ("custody_casualty", json!(false)),
    ])
}

fn subject_own_cause() -> Facts {
    established(&[
        ("subject_own_cause_on_scene", json!(true)),
        ("prevention_measures_taken", json!(true)),
        ("timely_rescue", json!(true)),
    ])
}

fn custody() -> Facts {
    established(&[
        ("custody_own_cause", json!(true)),
        ("custody_safety_compliant", json!(true)),
        ("timely_rescue", json!(true)),
    ])
}

fn law_changed() -> Facts {
    // 000 §7(五) gives way to §7(二)–(四) in their situations (issue 15): ruled out here.
    established(&[
        ("law_changed", json!(true)),
        ("weapon_harm", json!(false)),
        ("subject_own_cause_on_scene", json!(false)),
        ("custody_casualty", json!(false)),
    ])
}

fn emergency() -> Facts {
    tolerance_facts(&[
        ("emergency_misjudgment", json!(true)),
        ("serious_consequences", json!(false)),
        ("mitigation_taken", json!(true)),
        ("enforcement_flaw", json!(true)),
    ])
}

fn major_operation() -> Facts {
    tolerance_facts(&[
        ("major_operation_decisive_action", json!(true)),
        ("mitigation_taken", json!(true)),
        ("serious_consequences", json!(false)),
    ])
}

fn policy_unclear() -> Facts {
    tolerance_facts(&[
        ("superior_policy_unclear", json!(true)),
        ("serious_consequences", json!(false)),
        ("mitigation_taken", json!(true)),
    ])
}

fn reform() -> Facts {
    tolerance_facts(&[
        ("reform_innovation_error", json!(true)),
        ("mitigation_taken", json!(true)),
    ])
}

// ---- actors ----

fn actor(person: &str, roles: &[Role], org: &str) -> lvzhi_workflow::Actor {
    lvzhi_workflow::Actor::new(person, roles, org)
}

fn office() -> lvzhi_workflow::Actor {
    actor(OFFICE, &[Role::Office], ZQ)
}
fn director() -> lvzhi_workflow::Actor {
    actor(DIRECTOR, &[Role::Director], ZQ)
}
fn deputy() -> lvzhi_workflow::Actor {
    actor(DEPUTY, &[Role::DeputyDirector], ZQ)
}
fn unit() -> lvzhi_workflow::Actor {
    actor(UNIT, &[Role::Unit], BH)
}
fn department() -> lvzhi_workflow::Actor {
    actor(DEPT, &[Role::OriginalDepartment], MENG_DC)
}
fn parent_director() -> lvzhi_workflow::Actor {
    actor(
        MENG_DIRECTOR,
        &[Role::Director, Role::HigherCommittee],
        MENG,
    )
}
fn legal() -> lvzhi_workflow::Actor {
    actor(PANEL_LEGAL, &[Role::PanelMember], ZQ)
}
fn discipline() -> lvzhi_workflow::Actor {
    actor(PANEL_DISC, &[Role::PanelMember], ZQ)
}
/// An applicant officer acting for themself; `unit_org` is their 派出所.
fn applicant(person: &str, unit_org: &str) -> lvzhi_workflow::Actor {
    actor(person, &[Role::Officer], unit_org)
}

fn panel(extra: &[(&str, &str, MemberCategory)]) -> Command {
    let mut members = vec![
        PanelMember {
            person_id: PANEL_LEGAL.to_string(),
            name: person_name(PANEL_LEGAL).to_string(),
            category: MemberCategory::Legal,
        },
        PanelMember {
            person_id: PANEL_DISC.to_string(),
            name: person_name(PANEL_DISC).to_string(),
            category: MemberCategory::Discipline,
        },
    ];
    for (id, name, c) in extra {
        members.push(PanelMember {
            person_id: id.to_string(),
            name: name.to_string(),
            category: *c,
        });
    }
    Command::FormPanel { members }
}

fn text(s: &str) -> String {
    s.to_string()
}

// ---- the seeder ----

struct Seeder {
    service: Arc<Service>,
    calendar: Arc<Calendar>,
    packs: Arc<PackSet>,
    today: NaiveDate,
    now: DateTime<Utc>,
    /// Case numbers handed out so far, per year (`A<year>-<n>`, in order of filing).
    numbers: BTreeMap<i32, u32>,
}

fn failed(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Startup(format!("演示数据载入失败（{what}）：{e}"))
}

impl Seeder {
    /// The day `n` working days before today (today itself for 0).
    fn wd(&self, n: u32) -> Result<NaiveDate, AppError> {
        let mut d = self.today;
        let mut k = 0;
        while k < n {
            d = d
                .pred_opt()
                .ok_or_else(|| failed("日期计算", "超出日期范围"))?;
            if self
                .calendar
                .is_workday(d)
                .map_err(|e| failed("日期计算", e))?
            {
                k += 1;
            }
        }
        Ok(d)
    }

    /// A 免责容错申请表 to 阿拉善左旗公安局维权委 (复核 to 阿拉善盟公安局维权委, 000 §21).
    fn form(
        &self,
        applicants: &[&str],
        unit_org: &str,
        matter: &str,
        decision: Option<(Sanction, &str, NaiveDate, u32)>,
        facts: Facts,
    ) -> ApplicationForm {
        ApplicationForm {
            applicants: applicants
                .iter()
                .map(|id| Officer {
                    person_id: id.to_string(),
                    name: person_name(id).to_string(),
                })
                .collect(),
            applying_unit: org(unit_org),
            committee: org(ZQ),
            parent_committee: Some(org(MENG)),
            matter: matter.to_string(),
            statement: None,
            accountability_decision: decision.map(|(sanction, dept, decided_on, serial)| {
                // 文号 of the deciding department: 督察 or 纪检 of 阿拉善盟公安局.
                let prefix = if dept == MENG_JJ {
                    "阿公纪决"
                } else {
                    "阿公督决"
                };
                AccountabilityDecision {
                    department: org(dept),
                    sanction,
                    decided_on,
                    document_number: Some(format!("{prefix}〔{}〕{serial}号", decided_on.year())),
                }
            }),
            facts,
        }
    }

    /// Opens a case on the day `n` working days ago. `None` when it already exists (a resumed
    /// seed leaves it as it is).
    async fn open(
        &mut self,
        n: u32,
        actor: &lvzhi_workflow::Actor,
        command: Command,
    ) -> Result<Option<Case>, AppError> {
        let day = self.wd(n)?;
        let seq = self.numbers.entry(day.year()).or_insert(0);
        *seq += 1;
        let id = format!("A{}-{:06}", day.year(), seq);
        match self
            .service
            .create(Some(&id), actor, &command, day, self.now)
            .await
        {
            Ok(_) => Ok(Some(Case { id })),
            Err(ServiceError::Exists(_)) => Ok(None),
            Err(e) => Err(failed(&format!("案件 {id}，{}", command.label_zh()), e)),
        }
    }

    async fn act(
        &self,
        case: &Case,
        n: u32,
        actor: &lvzhi_workflow::Actor,
        command: Command,
    ) -> Result<(), AppError> {
        let day = self.wd(n)?;
        self.service
            .act(&case.id, None, actor, &command, day, self.now)
            .await
            .map(|_| ())
            .map_err(|e| failed(&format!("案件 {}，{}", case.id, command.label_zh()), e))
    }

    /// The engine's recommendation for the facts (000 pack in force), as the office records it.
    fn recommendation(&self, facts: &Facts) -> Option<Recommendation> {
        crate::interview::evaluate(&self.packs, facts, None, None)
            .ok()
            .and_then(|v| crate::interview::recommendation(&v))
    }

    /// Records the facts established by the panel and the engine's recommendation for them.
    async fn establish(
        &self,
        case: &Case,
        n: u32,
        facts: Facts,
    ) -> Result<Recommendation, AppError> {
        let rec = self.recommendation(&facts);
        self.act(case, n, &office(), Command::UpdateFacts { facts })
            .await?;
        match rec {
            Some(r) => {
                self.act(
                    case,
                    n,
                    &office(),
                    Command::RecordRecommendation {
                        recommendation: r.clone(),
                    },
                )
                .await?;
                Ok(r)
            }
            // A locally replaced pack may leave these facts undetermined: no recommendation
            // is recorded, and the committee's determination stands on its stated basis.
            None => Ok(Recommendation::default()),
        }
    }
}

struct Case {
    id: String,
}

/// The committee's determination, following the recommendation (with a stated reason where a
/// locally replaced pack recommends otherwise).
fn determination(
    rec: &Recommendation,
    outcome: Outcome,
    leniency: Option<Leniency>,
    basis: &str,
    improper: bool,
) -> Determination {
    let mut d = Determination {
        outcome,
        modality: Modality::Shall,
        leniency,
        basis: basis.to_string(),
        articles: rec.citations.clone(),
        original_decision_improper: improper,
        departure_reasons: None,
    };
    if !rec.outcome.is_empty() && d.departs_from(rec) {
        d.departure_reasons = Some(
            "审查论证组综合全案证据，认为本案情形与系统建议结论所依据的情形不完全相同".to_string(),
        );
    }
    d
}

/// Seeds the demo data (see the module documentation) and returns the accounts to print.
pub async fn seed(app: &App) -> Result<Vec<DemoAccount>, AppError> {
    let store = app.store();
    if store.person(ADMIN).await?.is_some() {
        return Ok(accounts());
    }
    for (id, parent, name, kind) in ORGS {
        store
            .put_org(
                SEEDER,
                &OrgRecord {
                    id: id.to_string(),
                    parent_id: parent.map(str::to_string),
                    name: name.to_string(),
                    kind: kind.to_string(),
                },
            )
            .await?;
    }
    // Only packs in force are bound (a data directory may have replaced or dropped one).
    let packs = app.packs();
    for (org, procedure, rules) in BINDINGS {
        store
            .set_org_packs(
                SEEDER,
                &OrgPacks {
                    org_id: org.to_string(),
                    procedure: procedure
                        .filter(|p| packs.pack(p).is_ok())
                        .map(str::to_string),
                    rules: rules
                        .iter()
                        .filter(|r| packs.pack(r).is_ok())
                        .map(|r| r.to_string())
                        .collect(),
                },
            )
            .await?;
    }
    for p in PEOPLE {
        put_person(app, p).await?;
    }
    for (id, name, category, affiliation, person, retained_by) in EXPERTS {
        let category = serde_json::to_value(category)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        store
            .put_expert(
                SEEDER,
                &ExpertRecord {
                    id: id.to_string(),
                    name: name.to_string(),
                    category,
                    affiliation: affiliation.to_string(),
                    eligibility: serde_json::to_value(eligible()).unwrap_or(Value::Null),
                    person_id: person.map(str::to_string),
                    note:
                        "已审核第十九条所列七项条件，均符合；参与具体案件前另行书面声明无利害关系"
                            .to_string(),
                    active: true,
                    retained_by: retained_by.map(str::to_string),
                },
            )
            .await?;
    }
    app.reload_directory().await?;
    let mut s = Seeder {
        service: app.service(),
        calendar: app.calendar(),
        packs: app.packs(),
        today: app.clock().today(),
        now: app.clock().now(),
        numbers: BTreeMap::new(),
    };
    cases(&mut s).await?;
    // 视为受理 (000 §13) of the application nobody decided in time, fired the way the server's
    // scheduler fires it.
    s.service
        .tick(s.today, s.now, SEEDER)
        .await
        .map_err(|e| failed("到期处理", e))?;
    put_person(app, &ADMIN_DEF).await?;
    app.reload_directory().await?;
    Ok(accounts())
}

async fn put_person(app: &App, p: &PersonDef) -> Result<(), AppError> {
    let store = app.store();
    store
        .put_person(
            SEEDER,
            &PersonRecord {
                id: p.id.to_string(),
                name: p.name.to_string(),
                org_id: p.org.to_string(),
                title: p.title.to_string(),
                login: p.login.map(str::to_string),
                // Printed passwords: outside demo mode they must be changed at first sign-in.
                must_change_password: p.login.is_some(),
                disabled: false,
            },
        )
        .await?;
    if let Some(login) = p.login {
        let hash = crate::auth::hash_password(&password(login))?;
        store.set_password(SEEDER, p.id, &hash, true).await?;
    }
    for (role, org_id) in p.grants {
        store
            .grant(
                SEEDER,
                &GrantRecord {
                    person_id: p.id.to_string(),
                    role: role.to_string(),
                    org_id: org_id.to_string(),
                },
            )
            .await?;
    }
    Ok(())
}

fn days_before(d: NaiveDate, n: i64) -> NaiveDate {
    d - Duration::days(n)
}

/// The cases, in order of filing (oldest first). `n` is always "working days before today".
async fn cases(s: &mut Seeder) -> Result<(), AppError> {
    re_review_replied(s).await?;
    recommendation_adopted(s).await?;
    re_review_pending(s).await?;
    extended_twice(s).await?;
    reconsideration_replied(s).await?;
    overdue(s).await?;
    publicity_with_objection(s).await?;
    reconsideration_pending(s).await?;
    recommendation_pending(s).await?;
    opinion_issued(s).await?;
    opinion_approved(s).await?;
    opinion_drafted(s).await?;
    rejected(s).await?;
    deemed_accepted(s).await?;
    under_review(s).await?;
    ex_officio(s).await?;
    registered(s).await?;
    filed(s).await?;
    processes::seed(s).await?;
    fault::seed(s).await?;
    rectification::seed(s).await?;
    determination::seed(s).await?;
    Ok(())
}

/// The steps the cases share, each as the person the procedure assigns it to.
impl Seeder {
    /// Filed online by `by` (the applicant or their unit) `n` working days ago (000 §12).
    async fn apply(
        &mut self,
        n: u32,
        by: &lvzhi_workflow::Actor,
        form: ApplicationForm,
    ) -> Result<Option<Case>, AppError> {
        let command = Command::File {
            form,
            received_on: None,
        };
        self.open(n, by, command).await
    }

    /// Filed by the office from a paper form received `n` working days ago.
    async fn apply_on_paper(
        &mut self,
        n: u32,
        form: ApplicationForm,
    ) -> Result<Option<Case>, AppError> {
        let command = Command::File {
            form,
            received_on: Some(self.wd(n)?),
        };
        self.open(n, &office(), command).await
    }

    /// Registered and accepted in writing within 7 working days (000 §13), the standard panel
    /// formed the next working day (000 §14).
    async fn accept(&self, c: &Case, register_n: u32, accept_n: u32) -> Result<(), AppError> {
        self.act(c, register_n, &office(), Command::Register)
            .await?;
        self.act(c, accept_n, &office(), Command::Accept).await?;
        self.act(c, accept_n.saturating_sub(1), &office(), panel(&[]))
            .await
    }

    /// The applicant heard in person (000 §15), as recorded by `by`.
    async fn hearing(
        &self,
        c: &Case,
        n: u32,
        by: &lvzhi_workflow::Actor,
        summary: &str,
    ) -> Result<(), AppError> {
        let command = Command::RecordHearing {
            summary: text(summary),
        };
        self.act(c, n, by, command).await
    }

    /// The draft opinion with the committee's determination (000 §14).
    async fn draft(
        &self,
        c: &Case,
        n: u32,
        by: &lvzhi_workflow::Actor,
        determination: Determination,
    ) -> Result<(), AppError> {
        self.act(c, n, by, Command::DraftOpinion { determination })
            .await
    }

    /// The opinion drafted, approved by the 主任 or 副主任 (000 §14) and issued by the office
    /// (000 §16), each on its (working day, actor).
    async fn opinion(
        &self,
        c: &Case,
        determination: Determination,
        drafted: (u32, &lvzhi_workflow::Actor),
        approved: (u32, &lvzhi_workflow::Actor),
        issued_n: u32,
    ) -> Result<(), AppError> {
        self.draft(c, drafted.0, drafted.1, determination).await?;
        self.act(
            c,
            approved.0,
            approved.1,
            Command::ApproveOpinion { comment: None },
        )
        .await?;
        self.act(c, issued_n, &office(), Command::IssueOpinion)
            .await
    }

    /// The applicant declares no objection on day `declared_n`; the office starts the
    /// publicity at `place` on day `started_n` (000 §23).
    async fn publicity(
        &self,
        c: &Case,
        applicant: &lvzhi_workflow::Actor,
        declared_n: u32,
        started_n: u32,
        place: &str,
    ) -> Result<(), AppError> {
        self.act(c, declared_n, applicant, Command::DeclareNoObjection)
            .await?;
        let command = Command::StartPublicity {
            place: text(place),
            days: None,
        };
        self.act(c, started_n, &office(), command).await
    }
}

/// 高志刚: the whole line to the parent committee's 复核 reply; 容错 with rectification (000 §31).
async fn re_review_replied(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(100)?;
    let form = s.form(
        &["p-gaozhigang"],
        WD,
        "执行专项整治部署时因整治范围界定不明确超范围查扣，被给予警告处分，申请容错",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 20), 7)),
        Facts::new(),
    );
    let Some(c) = s.apply_on_paper(100, form).await? else {
        return Ok(());
    };
    s.accept(&c, 100, 99).await?;
    let rec = s.establish(&c, 95, policy_unclear()).await?;
    s.hearing(&c, 90, &office(), "当面听取高志刚陈述、举证、申辩。高志刚称：本人在执行旗局统一部署的“清理整治非法加油站点”专项行动中，按照部署方案对辖区一处流动加油点实施查扣。因方案对“流动加油点”的界定与市场监管部门此后发布的认定标准不一致，所扣押的一台车载加油设备被认定不属于整治范围，已及时返还并赔礼道歉。阿拉善盟公安局督察支队以“超范围查扣”为由给予本人警告处分。本人认为系政策界限不明确所致，申请容错。高志刚补充称：专项行动方案未对“流动加油点”作出界定，本人系按方案附表执行，并提交了方案文本及现场执法记录。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Lighter),
        "高志刚执行上级统一部署，因政策界限不明确出现查扣偏差，未造成严重后果，并主动返还设备、赔礼道歉，符合第八条第（三）项规定的容错情形，依法从轻处理。",
        false,
    );
    s.opinion(&c, d, (75, &legal()), (74, &director()), 73)
        .await?;
    let me = applicant("p-gaozhigang", WD);
    s.act(&c, 68, &me, Command::ApplyReconsideration {
        grounds: text("认定意见仅予从轻处理，未考虑本人主动返还设备、取得当事人谅解等情节，请求免于追究责任。"),
        new_evidence: None,
    })
    .await?;
    s.act(&c, 55, &director(), Command::ReplyReconsideration {
        upheld: true,
        reasoning: text("经复议，主动返还、赔礼道歉等情节已在原意见中作为从轻处理的依据，原意见认定事实清楚、适用规定正确，予以维持。"),
        revised: None,
    })
    .await?;
    s.act(
        &c,
        48,
        &me,
        Command::ApplyReReview {
            grounds: text(
                "复议意见未回应专项行动方案本身存在界定缺陷的问题，申请上一级维权委复核。",
            ),
            new_evidence: None,
        },
    )
    .await?;
    s.act(&c, 25, &parent_director(), Command::ReplyReReview {
        upheld: true,
        reasoning: text("经复核，方案界定不明确的情形已作为适用第八条第（三）项的依据，复议意见正确，予以维持。"),
        revised: None,
    })
    .await?;
    s.act(
        &c,
        20,
        &office(),
        Command::SetRectification {
            officer_id: text("p-gaozhigang"),
            measures: text(
                "组织学习市场监管部门认定标准，修订专项行动执法指引，查扣前增加法制员审核环节。",
            ),
            follow_up: text("温都尔勒图派出所每季度回访一次，跟踪管理一年。"),
        },
    )
    .await
}

/// 李娜: 法律变化 (000 §7(五)); publicity, the recommendation to revoke adopted (the sanction
/// revoked with it), protections and counselling (000 §30–31).
async fn recommendation_adopted(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(85)?;
    let me = applicant("p-lina", BH);
    let form = s.form(
        &["p-lina"],
        BH,
        "依当时有效的法规作出的罚款决定因法规修订被撤销，被给予警告处分，申请依法履职免责",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 15), 11)),
        facts(&[("law_changed", json!(true))]),
    );
    let Some(c) = s.apply(85, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 85, 84).await?;
    let rec = s.establish(&c, 80, law_changed()).await?;
    s.hearing(&c, 75, &office(), "当面听取李娜陈述、举证、申辩。李娜称：本人于去年办理一起违反草原管理规定的治安案件，依据当时有效的地方性法规对当事人作出罚款决定。此后该法规修订，相关行为不再予以处罚，原处罚决定依法撤销。阿拉善盟公安局督察支队以“执法过错”为由给予本人警告处分。本人认为系法律变化导致，申请依法履职免责。审查论证组还查阅原案卷宗及法规修订前后文本。").await?;
    s.act(
        &c,
        74,
        &legal(),
        Command::RecordSiteVisit {
            place: text("巴彦浩特派出所执法办案中心"),
            summary: text("调取原案审批记录，确认处罚决定作出时所依据的条款合法有效。"),
        },
    )
    .await?;
    let d = determination(
        &rec,
        Outcome::Exemption,
        None,
        "原处罚决定作出时适用的法规合法有效，因法规修订而改变处理，属于《公安机关人民警察执法过错责任追究规定》第二十一条第（一）项情形，依照第七条第（五）项不予追究李娜的责任；原问责处理决定不当。",
        true,
    );
    s.opinion(&c, d, (62, &legal()), (61, &director()), 60)
        .await?;
    s.publicity(&c, &me, 58, 57, "巴彦浩特派出所").await?;
    s.act(&c, 50, &office(), Command::ClosePublicity).await?;
    s.act(&c, 48, &director(), Command::SendRecommendation {
        proposal: Proposal::Revoke,
        reasons: text("李娜依据当时有效的法规作出处罚，因法规修订而改变处理，依法不应追究其责任，建议撤销原警告处分。"),
    })
    .await?;
    s.act(
        &c,
        40,
        &department(),
        Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        },
    )
    .await?;
    // Adopting the recommendation revokes the sanction in the record itself (000 §27).
    s.act(
        &c,
        38,
        &unit(),
        Command::ApplyProtections {
            officer_id: text("p-lina"),
        },
    )
    .await?;
    s.act(
        &c,
        37,
        &unit(),
        Command::RecordCounselling {
            officer_id: text("p-lina"),
            summary: text("所长与李娜谈心谈话，通报免责结果，了解思想状况，鼓励其继续依法履职。"),
        },
    )
    .await
}

/// 其其格: 复议 upheld, 复核 pending at 阿拉善盟公安局维权委 (000 §21).
async fn re_review_pending(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(70)?;
    let form = s.form(
        &["p-qiqige"],
        WD,
        "处置醉酒滋扰警情时未经警告即使用约束带，被给予记过处分，申请容错",
        Some((Sanction::Demerit, MENG_DC, days_before(filed_on, 12), 19)),
        Facts::new(),
    );
    let Some(c) = s.apply_on_paper(70, form).await? else {
        return Ok(());
    };
    s.accept(&c, 70, 69).await?;
    let rec = s.establish(&c, 66, emergency()).await?;
    s.hearing(&c, 60, &office(), "当面听取其其格陈述、举证、申辩。其其格称：本人在处置一起醉酒人员滋扰商户警情时，该人员突然挥舞酒瓶冲向围观群众，本人判断其可能伤人，未经口头警告即使用约束带将其控制，后查明该人员所持为空瓶。阿拉善盟公安局督察支队以“使用警械前未予警告”为由给予本人记过处分。本人申请容错。审查论证组还观看现场执法记录仪视频。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Reduced),
        "现场情况紧急，其其格判断失误、反应过度，未造成严重后果，并及时解除约束、送医检查，符合第八条第（二）项规定，依法减轻处理。",
        false,
    );
    s.opinion(&c, d, (45, &office()), (44, &deputy()), 43)
        .await?;
    let me = applicant("p-qiqige", WD);
    s.act(
        &c,
        38,
        &me,
        Command::ApplyReconsideration {
            grounds: text(
                "现场围观群众较多，使用约束带是防止伤害发生的必要措施，请求认定为依法履职免责。",
            ),
            new_evidence: None,
        },
    )
    .await?;
    s.act(&c, 28, &director(), Command::ReplyReconsideration {
        upheld: true,
        reasoning: text("经复议，使用警械前未予警告且无不能警告的紧急情形证据，不符合第七条规定；原意见适用第八条第（二）项并无不当，予以维持。"),
        revised: None,
    })
    .await?;
    s.act(
        &c,
        22,
        &me,
        Command::ApplyReReview {
            grounds: text("复议意见未采纳两名目击群众的证言，申请上一级维权委复核。"),
            new_evidence: None,
        },
    )
    .await
}

/// 乌日娜、孟凡: a major case, extended by the 副主任 (000 §18) and again by the 主任 (000 §20),
/// with an invited expert, a recusal and an interim public line (000 §17).
async fn extended_twice(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(58)?;
    let form = s.form(
        &["p-wurina", "p-mengfan"],
        WD,
        "处置聚集堵路事件时强制带离致一人骨折并引发舆情，被给予记过处分，申请容错",
        Some((Sanction::Demerit, MENG_JJ, days_before(filed_on, 10), 5)),
        Facts::new(),
    );
    let Some(c) = s.apply_on_paper(58, form).await? else {
        return Ok(());
    };
    s.act(&c, 58, &office(), Command::Register).await?;
    s.act(&c, 57, &office(), Command::Accept).await?;
    s.act(
        &c,
        56,
        &office(),
        panel(&[("p-wanghai", "王海", MemberCategory::Discipline)]),
    )
    .await?;
    s.act(
        &c,
        55,
        &office(),
        Command::RecordRecusal {
            person_id: text("p-wanghai"),
            name: text("王海"),
            reason: text("王海与申请人孟凡系近亲属，依照第十九条第（六）项应当回避。"),
        },
    )
    .await?;
    s.establish(&c, 54, major_operation()).await?;
    s.hearing(&c, 45, &office(), "当面听取乌日娜、孟凡陈述、举证、申辩。乌日娜、孟凡称：我们在处置温都尔勒图镇某工地聚集讨薪事件时，现场数十人堵塞国道，为防止事态扩大、保障交通安全，现场指挥决定强制带离三名堵路人员，其中一人在带离过程中摔倒致腕部骨折。事件视频经网络传播引发较大舆情。阿拉善盟公安局纪检监察室对我们二人各作出记过处分。我们申请容错。审查论证组还听取现场指挥员和两名辅警的情况说明。").await?;
    s.act(
        &c,
        40,
        &discipline(),
        Command::RecordSiteVisit {
            place: text("温都尔勒图镇某工地及国道路段"),
            summary: text("实地查看现场，走访周边商户和工地负责人，调取道路监控视频。"),
        },
    )
    .await?;
    s.act(&c, 30, &deputy(), Command::ExtendReview {
        grounds: text("本案涉及两名民警和群体性事件处置，网络舆情影响较大，需邀请法学专家参与审查论证，属于案情重大、情况复杂、有较大影响的申请事项。"),
    })
    .await?;
    s.act(
        &c,
        29,
        &deputy(),
        Command::ApproveExternalParticipant {
            participant: ExternalParticipant {
                person_id: text(EXPERT),
                name: text("额尔敦"),
                category: ExternalCategory::LegalExpert,
                eligibility: eligible(),
                no_conflict_declaration: text(
                    "本人与申请人、申请单位及本审查论证事项均无利害关系，无应当回避的情形。额尔敦",
                ),
            },
            grounds: text("案情重大复杂，需法学专家就强制带离的必要限度发表意见。"),
        },
    )
    .await?;
    s.act(
        &c,
        20,
        &office(),
        Command::RecordInterimLine {
            public_line: text("公安机关正依法依规对事件处置情况进行审查论证，将及时公布结果。"),
            measures: text("每周召开一次审查论证推进会，专家意见于两周内提交。"),
        },
    )
    .await?;
    s.act(&c, 13, &director(), Command::ExtendReview {
        grounds: text("专家意见与纪检成员意见存在分歧，需补充调取医疗鉴定材料，未能在延长期限内审查论证完毕。"),
    })
    .await
}

/// 赵雪: 复议 answered with a revised determination; the 复核 window is open.
async fn reconsideration_replied(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(50)?;
    let me = applicant("p-zhaoxue", BH);
    let form = s.form(
        &["p-zhaoxue"],
        BH,
        "在户籍“一窗通办”改革试点中按试行流程办理迁移，被通报批评，申请容错",
        Some((
            Sanction::CirculatedCriticism,
            MENG_DC,
            days_before(filed_on, 9),
            23,
        )),
        Facts::new(),
    );
    let Some(c) = s.apply(50, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 50, 49).await?;
    let rec = s.establish(&c, 46, reform()).await?;
    s.hearing(&c, 40, &office(), "当面听取赵雪陈述、举证、申辩。赵雪称：本人在推行户籍业务“一窗通办”改革试点中，按照试行流程为群众先行办理户口迁移，后因试行流程与上级业务规范不一致，被阿拉善盟公安局督察支队通报批评。本人申请容错。审查论证组还查阅改革试点方案和群众满意度回访记录。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Lighter),
        "赵雪在改革试点中先行先试出现偏差，并主动补办手续、消除影响，符合第八条第（四）项规定，依法从轻处理。",
        false,
    );
    s.opinion(&c, d, (28, &office()), (27, &director()), 26)
        .await?;
    s.act(
        &c,
        20,
        &me,
        Command::ApplyReconsideration {
            grounds: text("试行流程经旗局批准实施，本人严格按流程办理，请求免于追究责任。"),
            new_evidence: Some(text("旗局关于“一窗通办”试行流程的批复文件")),
        },
    )
    .await?;
    let revised = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Waived),
        "新提交的批复文件证明试行流程经旗局批准，赵雪按批准的流程办理，过错轻微且已补救，依照第八条第（四）项免于追究责任。",
        true,
    );
    s.act(&c, 5, &director(), Command::ReplyReconsideration {
        upheld: false,
        reasoning: text("申请人提交的批复文件足以证明其按经批准的试行流程办理，原意见从轻处理不当，变更为免于追究责任。"),
        revised: Some(revised),
    })
    .await
}

/// 何军: custody death, 检察机关 involved (000 §29); the opinion is overdue, with an interim line.
async fn overdue(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(45)?;
    let form = s.form(
        &["p-hejun"],
        BH,
        "看管醉酒滋事人员期间其突发疾病经抢救无效死亡，被给予记大过处分，申请依法履职免责",
        Some((
            Sanction::MajorDemerit,
            MENG_DC,
            days_before(filed_on, 14),
            27,
        )),
        Facts::new(),
    );
    let Some(c) = s.apply(45, &unit(), form).await? else {
        return Ok(());
    };
    s.accept(&c, 45, 44).await?;
    s.act(
        &c,
        42,
        &office(),
        Command::RecordOversight {
            body: OversightBody::Procuratorate,
            body_name: text("阿拉善左旗人民检察院"),
            description: text("检察机关就在押人员死亡事件依法介入调查。"),
        },
    )
    .await?;
    s.establish(&c, 40, custody()).await?;
    s.act(
        &c,
        35,
        &office(),
        Command::ProvideOpinionToOversight {
            index: 0,
            summary: text("向检察机关提供办案区监控视频、看管记录、急救记录及尸检报告等依据证据。"),
        },
    )
    .await?;
    s.hearing(&c, 30, &office(), "当面听取何军陈述、举证、申辩。何军称：本人值班期间，在派出所办案区看管一名醉酒滋事人员，该人员突发心脏疾病，本人立即实施心肺复苏并呼叫急救，经送医抢救无效死亡。阿拉善盟公安局督察支队以“看管不力”为由给予本人记大过处分。本人申请依法履职免责。审查论证组还听取同班值班辅警和急救医生的情况说明。").await?;
    s.act(
        &c,
        10,
        &office(),
        Command::RecordInterimLine {
            public_line: text(
                "该事件已由检察机关依法介入调查，公安机关将根据调查结论依法依规作出认定。",
            ),
            measures: text("待检察机关调查结论作出后五个工作日内召开审查论证会。"),
        },
    )
    .await
}

/// 陈亮: exemption in publicity in his unit, with an objection to verify (000 §23).
async fn publicity_with_objection(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(40)?;
    let me = applicant("p-chenliang", BH);
    let form = s.form(
        &["p-chenliang"],
        BH,
        "盘查时被盘查人逃跑翻墙摔伤，被给予警告处分，申请依法履职免责",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 10), 31)),
        Facts::new(),
    );
    let Some(c) = s.apply(40, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 40, 39).await?;
    let rec = s.establish(&c, 36, subject_own_cause()).await?;
    s.hearing(&c, 30, &office(), "当面听取陈亮陈述、举证、申辩。陈亮称：本人在巴彦浩特镇盘查一名形迹可疑人员时，该人员突然逃跑并翻越围墙，摔落致腿部骨折，本人立即呼叫急救并护送就医。阿拉善盟公安局督察支队以“盘查处置不当”为由给予本人警告处分。本人申请依法履职免责。审查论证组还观看执法记录仪视频：盘查时已口头告知并要求其停步。").await?;
    let d = determination(
        &rec,
        Outcome::Exemption,
        None,
        "伤害系被盘查人逃跑翻越围墙的自身行为所致，陈亮已采取必要的制止措施并及时施救，符合第七条第（三）项规定，不予追究责任；原问责处理决定不当。",
        true,
    );
    s.opinion(&c, d, (15, &legal()), (14, &director()), 13)
        .await?;
    s.publicity(&c, &me, 12, 1, "巴彦浩特派出所").await?;
    s.act(
        &c,
        0,
        &office(),
        Command::RecordObjection {
            summary: text("有群众反映被盘查人摔伤系民警追赶时推搡所致，要求核实。"),
        },
    )
    .await
}

/// 王志强: 复议 pending before this committee (000 §21).
async fn reconsideration_pending(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(38)?;
    let me = applicant(OFFICER2, BH);
    let form = s.form(
        &[OFFICER2],
        BH,
        "制止醉驾当事人驾车冲撞时未经告知即使用催泪喷射器，被通报批评，申请容错",
        Some((
            Sanction::CirculatedCriticism,
            MENG_DC,
            days_before(filed_on, 8),
            35,
        )),
        Facts::new(),
    );
    let Some(c) = s.apply(38, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 38, 37).await?;
    let rec = s.establish(&c, 35, emergency()).await?;
    s.hearing(&c, 30, &office(), "当面听取王志强陈述、举证、申辩。王志强称：本人在查处一起醉酒驾驶警情时，当事人拒不配合检查并驾车冲撞警戒设施，本人因情况紧急未先行告知即使用催泪喷射器将其制服，事后及时送医冲洗。阿拉善盟公安局督察支队以“使用警械前未履行告知程序”为由给予本人通报批评。本人申请容错。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Lighter),
        "现场情况紧急，王志强未履行告知程序即使用警械属程序瑕疵，未造成严重后果并及时补救，符合第八条第（二）项规定，依法从轻处理。",
        false,
    );
    s.opinion(&c, d, (18, &discipline()), (17, &deputy()), 16)
        .await?;
    s.act(&c, 9, &me, Command::ApplyReconsideration {
        grounds: text("当事人驾车冲撞，随时可能危及现场人员生命安全，已不具备先行告知的条件，请求免于追究责任。"),
        new_evidence: None,
    })
    .await
}

/// 巴特尔: opinion issued; the 复议 window runs (000 §21).
async fn opinion_issued(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(32)?;
    let me = applicant(OFFICER, BH);
    let form = s.form(
        &[OFFICER],
        BH,
        "执行夜间清查部署时因清查范围界定不明确超范围检查，被给予警告处分，申请容错",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 11), 38)),
        Facts::new(),
    );
    let Some(c) = s.apply(32, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 32, 31).await?;
    let rec = s.establish(&c, 29, policy_unclear()).await?;
    s.hearing(&c, 22, &office(), "当面听取巴特尔陈述、举证、申辩。巴特尔称：本人在执行旗局部署的夜间治安清查行动中，按照行动方案对一家棋牌室进行检查，并暂扣了现场的赌资和器具。后经核查，该棋牌室经营活动是否属于清查范围，行动方案未作明确规定，暂扣物品已全部返还。阿拉善盟公安局督察支队以“超范围检查”为由给予本人警告处分。本人申请容错。审查论证组还查阅清查行动方案和现场检查记录。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Lighter),
        "巴特尔执行上级部署，因方案对清查范围界定不明确而出现偏差，未造成严重后果并已返还物品，符合第八条第（三）项规定，依法从轻处理。",
        false,
    );
    s.opinion(&c, d, (8, &legal()), (6, &deputy()), 4).await
}

/// 张宏: publicity closed, a recommendation to lighten the sanction awaits the department's
/// answer (000 §26–27).
async fn recommendation_pending(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(35)?;
    let me = applicant("p-zhanghong", BH);
    let form = s.form(
        &["p-zhanghong"],
        BH,
        "当事人抢夺执法记录仪时将其摔倒控制致轻微擦伤，被给予警告处分，申请容错",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 6), 40)),
        Facts::new(),
    );
    let Some(c) = s.apply(35, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 35, 34).await?;
    let rec = s.establish(&c, 32, emergency()).await?;
    s.hearing(&c, 28, &office(), "当面听取张宏陈述、举证、申辩。张宏称：本人在处置一起酒后滋事警情时，当事人突然抢夺辅警执法记录仪，本人情急之下将其摔倒控制，造成当事人面部轻微擦伤，事后立即送医并赔礼道歉。阿拉善盟公安局督察支队以“处置方式不当”为由给予本人警告处分。本人申请容错。审查论证组还观看执法记录仪视频，听取当事人意见。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Reduced),
        "现场情况紧急，张宏反应过度，未造成严重后果并及时补救，符合第八条第（二）项规定，依法减轻处理；原警告处分偏重。",
        true,
    );
    s.opinion(&c, d, (20, &office()), (19, &deputy()), 18)
        .await?;
    s.publicity(&c, &me, 17, 16, "巴彦浩特派出所").await?;
    s.act(
        &c,
        16,
        &department(),
        Command::RecordObjection {
            summary: text("督察支队反映：当事人家属曾投诉张宏态度粗暴，请核实。"),
        },
    )
    .await?;
    s.act(
        &c,
        14,
        &office(),
        Command::ResolveObjection {
            index: 0,
            substantiated: false,
            finding: text(
                "经调取执法记录仪全程视频并询问在场辅警，未发现态度粗暴情形，反映不属实。",
            ),
        },
    )
    .await?;
    s.act(&c, 8, &office(), Command::ClosePublicity).await?;
    s.act(&c, 3, &deputy(), Command::SendRecommendation {
        proposal: Proposal::Change {
            to: Sanction::Admonition,
        },
        reasons: text("张宏的行为符合第八条第（二）项规定的容错情形，应当减轻处理，建议将警告处分变更为诫勉。"),
    })
    .await
}

/// 吴刚: the opinion approved by the 主任, to be issued (000 §14, §16).
async fn opinion_approved(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(30)?;
    let form = s.form(
        &["p-wugang"],
        WD,
        "依法使用警棍制止持械斗殴致当事人挫伤，被诫勉，申请依法履职免责",
        Some((Sanction::Admonition, MENG_DC, days_before(filed_on, 5), 44)),
        Facts::new(),
    );
    let Some(c) = s.apply_on_paper(30, form).await? else {
        return Ok(());
    };
    s.accept(&c, 30, 29).await?;
    let rec = s.establish(&c, 26, coercive()).await?;
    s.hearing(&c, 20, &office(), "当面听取吴刚陈述、举证、申辩。吴刚称：本人在制止一起持械斗殴时，一方当事人持木棒击打对方头部，本人依法使用警棍将其制服，致其手臂软组织挫伤，事后立即送医。阿拉善盟公安局督察支队以“使用警械致人受伤”为由给予本人诫勉。本人申请依法履职免责。审查论证组还听取斗殴双方及目击者证言。").await?;
    let d = determination(
        &rec,
        Outcome::Exemption,
        None,
        "吴刚依法制止违法犯罪行为，未超出必要限度，事后及时施救，符合第七条第（一）项规定，不予追究责任；原问责处理决定不当。",
        true,
    );
    s.draft(&c, 4, &office(), d).await?;
    s.act(
        &c,
        1,
        &director(),
        Command::ApproveOpinion { comment: None },
    )
    .await
}

/// 刘洋: the panel's draft opinion awaits approval (000 §14).
async fn opinion_drafted(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(25)?;
    let me = applicant("p-liuyang", BH);
    let form = s.form(
        &["p-liuyang"],
        BH,
        "为疏通道路未先固定现场即指挥挪车，被诫勉，申请容错",
        Some((Sanction::Admonition, MENG_DC, days_before(filed_on, 7), 47)),
        Facts::new(),
    );
    let Some(c) = s.apply(25, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 25, 24).await?;
    let rec = s.establish(&c, 22, emergency()).await?;
    s.hearing(&c, 15, &office(), "当面听取刘洋陈述、举证、申辩。刘洋称：本人在现场处置一起交通事故纠纷时，为尽快疏通道路，未按规定先行拍照固定现场即指挥车辆挪移，导致事后责任认定出现争议。阿拉善盟公安局督察支队以“现场处置程序瑕疵”为由给予本人诫勉。本人申请容错。审查论证组还事故双方均认可挪车前的车辆位置。").await?;
    let d = determination(
        &rec,
        Outcome::Tolerance,
        Some(Leniency::Waived),
        "现场车流拥堵、情况紧急，刘洋的程序瑕疵未造成严重后果，事后已补充固定证据并化解争议，符合第八条第（二）项规定，建议免于追究责任。",
        true,
    );
    s.draft(&c, 2, &discipline(), d).await
}

/// 张磊: not accepted, with the reasons in writing (000 §13).
async fn rejected(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(24)?;
    let form = s.form(
        &["p-zhanglei"],
        WD,
        "因非工作时间酒后驾驶私家车发生交通事故被给予记过处分，申请免责",
        Some((Sanction::Demerit, MENG_JJ, days_before(filed_on, 20), 9)),
        facts(&[
            ("off_duty", json!(true)),
            ("off_duty_emergency_in_remit", json!(false)),
        ]),
    );
    let Some(c) = s.apply_on_paper(24, form).await? else {
        return Ok(());
    };
    s.act(&c, 24, &office(), Command::Register).await?;
    s.act(&c, 22, &office(), Command::Reject {
        reasons: text("经初步审查，申请事项系申请人在非工作时间酒后驾驶私家车发生交通事故，不属于履行职责、行使职权的行为，不在《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》第二条规定的范围内。"),
    })
    .await
}

/// 宝音: registered but not decided within 7 working days — deemed accepted (000 §13) by the
/// scheduler's pass at the end of the seed.
async fn deemed_accepted(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(15)?;
    let form = s.form(
        &["p-baoyin"],
        WD,
        "查处非法收购野生药材案件作出的没收决定因保护名录调整被撤销，被通报批评，申请依法履职免责",
        Some((
            Sanction::CirculatedCriticism,
            MENG_DC,
            days_before(filed_on, 9),
            50,
        )),
        facts(&[("law_changed", json!(true))]),
    );
    let Some(c) = s.apply_on_paper(15, form).await? else {
        return Ok(());
    };
    s.act(&c, 14, &office(), Command::Register).await
}

/// 巴特尔: 依法使用武器致伤 (000 §7(二)); under review with the panel, facts, recommendation,
/// hearing and site visit (000 §14–15), the officer's report and the scene (000 §11).
async fn under_review(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(14)?;
    let me = applicant(OFFICER, BH);
    let form = s.form(
        &[OFFICER],
        BH,
        "依法开枪制止持刀拒捕的犯罪嫌疑人致其腿部受伤，被给予警告处分，申请依法履职免责",
        Some((Sanction::Warning, MENG_DC, days_before(filed_on, 4), 3)),
        facts(&[
            ("weapon_use_lawful", json!(true)),
            ("reported_promptly", json!(true)),
        ]),
    );
    let Some(c) = s.apply(14, &me, form).await? else {
        return Ok(());
    };
    s.accept(&c, 13, 12).await?;
    s.establish(&c, 10, weapon()).await?;
    s.hearing(&c, 7, &legal(), "当面听取巴特尔陈述、举证、申辩。巴特尔称：本人在巴彦浩特镇抓捕一名持刀伤人犯罪嫌疑人时，嫌疑人持刀拒捕并刺伤一名辅警，本人鸣枪警告无效后依法开枪，击中嫌疑人腿部致其受伤，随即实施止血并呼叫急救，事后立即向指挥中心报告。阿拉善盟公安局督察支队以“开枪前未按规定请示”为由给予本人警告处分。本人申请依法履职免责。审查论证组还听取受伤辅警和现场群众证言。").await?;
    s.act(
        &c,
        6,
        &discipline(),
        Command::RecordSiteVisit {
            place: text("巴彦浩特镇某小区"),
            summary: text("实地查看开枪位置和现场距离，调取小区监控视频，确认鸣枪警告在先。"),
        },
    )
    .await?;
    // 000 §11: he reported at once and fixed the evidence; his unit came to the scene.
    s.act(
        &c,
        5,
        &office(),
        Command::RecordOnSceneReport {
            report: OnSceneReport {
                reported_on: s.wd(25)?,
                scene_protected: true,
                evidence: text("执法记录仪视频、现场弹壳和嫌疑人遗留的刀具"),
                dispatched: true,
                unit_actions: text(
                    "巴彦浩特派出所所长带队赶到现场，封控现场、协助固定证据，组织救治伤者",
                ),
            },
        },
    )
    .await
}

/// 阿斯楞: opened by the office on its own initiative (000 §12 ¶2) after a misleading video.
async fn ex_officio(s: &mut Seeder) -> Result<(), AppError> {
    let form = s.form(
        &["p-asileng"],
        BH,
        "网络流传“民警暴力执法”视频所涉巴彦浩特派出所民警阿斯楞处置交通纠纷的履职行为。",
        None,
        facts(&[("coercive_measure_lawful", json!(true))]),
    );
    let Some(c) = s
        .open(6, &office(), Command::OpenExOfficio {
            form,
            grounds: text("近日网络平台流传一段“民警暴力执法”视频，经初步核查，该视频系对阿斯楞依法处置交通纠纷现场的剪辑拼接，依照第十二条第二款主动启动免责容错工作。"),
        })
        .await?
    else {
        return Ok(());
    };
    s.act(&c, 5, &office(), panel(&[])).await?;
    // 000 §6: the 督察 investigates the same video; the review runs alongside it.
    s.act(
        &c,
        4,
        &office(),
        Command::LinkAccountabilityInquiry {
            inquiry: AccountabilityInquiry {
                body: text("阿拉善左旗公安局警务督察大队"),
                matter: text("网络流传视频所涉阿斯楞处置交通纠纷中是否存在违规使用警械问题"),
                started_on: s.wd(7)?,
            },
        },
    )
    .await?;
    s.hearing(
        &c,
        2,
        &office(),
        "当面听取阿斯楞陈述，调取执法记录仪完整视频。",
    )
    .await
}

/// 苏和: filed by his unit, registered, acceptance pending (000 §13).
async fn registered(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(3)?;
    let form = s.form(
        &["p-suhe"],
        BH,
        "追缉冲卡的可疑车辆时警车与其刮擦，被通报批评，单位为其申请容错",
        Some((
            Sanction::CirculatedCriticism,
            MENG_DC,
            days_before(filed_on, 6),
            6,
        )),
        facts(&[("emergency_misjudgment", json!(true))]),
    );
    let Some(c) = s.apply(3, &unit(), form).await? else {
        return Ok(());
    };
    s.act(&c, 2, &office(), Command::Register).await
}

/// 王志强: just filed online (000 §12).
async fn filed(s: &mut Seeder) -> Result<(), AppError> {
    let filed_on = s.wd(1)?;
    let form = s.form(
        &[OFFICER2],
        BH,
        "依法使用警械控制持刀威胁家人的当事人致其擦伤，因执法记录仪未全程开启被诫勉，申请依法履职免责",
        Some((Sanction::Admonition, MENG_DC, days_before(filed_on, 5), 8)),
        facts(&[
            ("coercive_measure_lawful", json!(true)),
            ("within_necessary_limit", json!(true)),
            ("timely_rescue", json!(true)),
        ]),
    );
    s.apply(1, &applicant(OFFICER2, BH), form).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_has_a_login_a_password_and_a_description() {
        let a = accounts();
        assert!(a.len() >= 15);
        for x in &a {
            assert!(x.password.starts_with("demo-") && x.password.ends_with("-2026"));
            assert!(!x.description.is_empty(), "{}", x.login);
        }
        let mut logins: Vec<&str> = a.iter().map(|x| x.login.as_str()).collect();
        logins.sort_unstable();
        logins.dedup();
        assert_eq!(logins.len(), a.len(), "logins are unique");
        assert!(a.iter().any(|x| x.password == "demo-office-2026"));
    }

    #[test]
    fn orgs_list_parents_first_and_people_belong_to_known_orgs() {
        for (i, (_, parent, ..)) in ORGS.iter().enumerate() {
            if let Some(p) = parent {
                assert!(ORGS[..i].iter().any(|(id, ..)| id == p), "{p}");
            }
        }
        for p in PEOPLE.iter().chain(std::iter::once(&ADMIN_DEF)) {
            assert!(!org_name(p.org).is_empty(), "{}", p.id);
            for (role, org) in p.grants {
                assert!(lvzhi_access::ROLES.iter().any(|(r, _)| r == role), "{role}");
                assert!(!org_name(org).is_empty(), "{org}");
            }
        }
    }

    #[test]
    fn the_expert_pool_covers_the_six_categories_of_000_18() {
        for c in [
            ExternalCategory::Deputy,
            ExternalCategory::PoliticalLegalStaff,
            ExternalCategory::LegalExpert,
            ExternalCategory::FrontlineOfficer,
            ExternalCategory::PublicRepresentative,
            ExternalCategory::Other,
        ] {
            assert!(EXPERTS.iter().any(|e| e.2 == c), "{c:?}");
        }
        assert!(eligible().unmet().is_empty());
    }
}
