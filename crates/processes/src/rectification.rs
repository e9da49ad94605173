//! 纠错整改 (rectification): the correction every tolerated mistake still gets (000 §31 ¶2,
//! 002 §15–17, 003 "坚持容纠并举").
//!
//! # The procedure
//!
//! 1. **Opening** (000 §31 ¶2, 002 §15–16): the office (维权办) of the handling organisation
//!    opens the case, optionally naming the 000 application it comes from, and records the
//!    纠错事由 (cause), the 纠错事项 (items), the 纠错要求 (requirements) and the 整改期限
//!    (deadline), with the ways of correction of 003 (约谈提醒、诫勉谈话、整改通报、发函提醒督办).
//!    The 整改通知书 is issued with the opening, to the officer, copied to their unit.
//! 2. **Extension** (002 §16 "因特殊情况难以在规定时间内完成的，可以申请适当延长整改期限"): the
//!    officer (or their unit) asks, with reasons and the date asked for; the office, 主任 or
//!    副主任 grants (with the new last day) or refuses, with reasons. Either is recorded.
//! 3. **Follow-up** (000 §31 ¶2 "加强回访教育、跟踪管理", 002 §17 "跟踪了解纠错对象的整改情况"):
//!    visits recorded by the office or the unit, during and after the rectification.
//! 4. **Completion** (002 §16 "在规定期限内完成纠错整改", 003 "责成限期整改反馈"): reported by the
//!    officer (or their unit); verified by the office, or sent back with reasons and a new last
//!    day. A last day passing without a report is recorded as overdue by the system.
//! 5. **Accountability** (000 §31 ¶2): "同一类型错误再次发生的" — the system flags the case when
//!    the same officer already has a rectification of the same category (key
//!    `officer:P|category:C`, any time); the office refers 整改效果不明显 (依规依纪依法问责处理)
//!    and 隐瞒问题、拒不整改、对抗组织 (从严处理).
//! 6. **Offices above** the handling organisation (recorded with the opening: its chain in the
//!    directory then) see the case and may do two things: record a follow-up (000 §31 ¶2 sets
//!    回访教育、跟踪管理 on 各级公安机关; 002 §17 "跟踪了解纠错对象的整改情况") and refer for
//!    accountability on what they find (000 §31 ¶2 "对隐瞒问题、拒不整改、对抗组织的，应当从严
//!    处理", again of 各级公安机关; 003 "从严审查处理"). Extensions, verification and sending back
//!    stay with the office that issued the 整改通知书 — it ordered the rectification, the officer
//!    reports to it ("将整改情况书面报告本办", 002 §16: 责成限期纠正 … 申请适当延长), and an office
//!    above that orders a rectification itself opens the case and so is that office.
//! 7. **Risk point** (002 §17 "同一类问题频繁出现或者同一领域集中出现的易错情形 … 找出易错风险点
//!    … 并警示提醒", 003 "易错风险点", 000 §32 共性问题): when the officer's unit already had
//!    [`UNIT_RISK_EARLIER_CASES`] rectifications of the same category in the same year (key
//!    `unit:O|category:C|year:Y`), the system raises a risk point and issues a warning to the
//!    unit (易错风险警示提醒函).
//!
//! # Interpretations (where the seeds leave a choice)
//!
//! - **The recurrence check is made once, right after opening** (a `check_recurrence` system
//!   command from [`Process::follow_up`]), so it compares the new case with the cases that came
//!   before it and is itself on the record ("no earlier case" is recorded too). A later case
//!   of the same officer is flagged on *that* case, not retroactively on this one.
//! - **"频繁出现""集中出现" has no number in the seeds.** The threshold is a local setting
//!   ([`UNIT_RISK_EARLIER_CASES`] = 2 earlier cases in the same calendar year of the mistake,
//!   so the third raises the risk point), counted per 年度 as units' work is assessed.
//! - **The category** is one of [`CATEGORIES`]; `other` needs a short name, and cases of
//!   `other` recur by that name (whitespace ignored).
//! - **Extensions** may be asked for while the rectification is open, also once overdue; one
//!   request at a time. The office decides by the current last day (its deadline on the inbox).
//! - **Verification** is due within the pack's [`VERIFY_PERIOD`] of the report (a local setting:
//!   the seeds set no period; pack 000 sets 10 工作日).

use chrono::{Datelike, NaiveDate};
use lvzhi_calendar::date_zh;
use lvzhi_case::Regulation;
use lvzhi_workflow::Officer;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::notices;
use crate::ProcedureStep;
use crate::{
    ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    OpenDeadline, Org, Process, ProcessError, Role, Rules, Summary,
};

/// Earlier rectifications of the same category in the same unit and year from which a risk
/// point is raised (本地设置: 002 §17 and 003 say "频繁出现""集中出现" without a number).
pub const UNIT_RISK_EARLIER_CASES: usize = 2;

/// The pack's period for the office to verify a reported completion (本地设置: no seed sets one).
pub const VERIFY_PERIOD: &str = "rectification_verify";

const INDENT: &str = "\u{3000}\u{3000}";

/// Categories of mistake, the unit of recurrence (000 §31 "同一类型错误"; 002 §17 "同一类问题"):
/// the kinds of work where 000 §7–8 and 003 place excusable mistakes.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("enforcement_procedure", "执法办案程序不规范"),
    ("evidence", "证据收集、固定不规范"),
    ("recording", "执法全流程记录不到位"),
    ("coercive_measures", "强制措施、现场控制处置失当"),
    ("weapons", "警械、武器使用失当"),
    ("custody", "看管、羁押安全管理疏漏"),
    ("emergency_judgement", "紧急情况下判断失误、反应过度"),
    ("policy_execution", "执行上级决策部署出现偏差"),
    ("reform_innovation", "改革创新、先行先试中的失误"),
    ("public_service", "公共服务管理中的失误"),
    ("legal_documents", "法律文书制作错误"),
    ("other", "其他"),
];

/// Ways of correction named by 003 (在纠错方面).
pub const METHODS: &[(&str, &str)] = &[
    ("reminder_talk", "约谈提醒"),
    ("admonishment", "诫勉谈话"),
    ("circular", "整改通报"),
    ("supervision_letter", "发函提醒督办"),
];

/// Ways of following up (000 §31 ¶2 回访教育; 002 §17 "采取适当方式").
pub const FOLLOW_UP_METHODS: &[(&str, &str)] = &[
    ("visit", "实地回访"),
    ("talk", "谈心谈话"),
    ("phone", "电话回访"),
    ("written", "书面了解"),
];

/// Grounds for accountability (000 §31 ¶2). `recurrence` is the system's flag; the office
/// refers on the others.
pub const REFERRAL_GROUNDS: &[(&str, &str)] = &[
    ("recurrence", "同一类型错误再次发生"),
    ("ineffective", "整改效果不明显"),
    ("concealment", "隐瞒问题"),
    ("refusal", "拒不整改"),
    ("defiance", "对抗组织"),
];

fn label_of<'a>(table: &'a [(&'a str, &'a str)], id: &'a str) -> &'a str {
    table
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, z)| *z)
        .unwrap_or(id)
}

fn options(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(i, z)| (i.to_string(), z.to_string()))
        .collect()
}

/// The process (a unit struct; see [`Process`]).
pub struct Rectification;

/// Where a rectification stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    #[default]
    New,
    /// 整改中 (also when overdue or sent back).
    Open,
    /// 整改完成情况待核验.
    Reported,
    /// 整改完成，已核验.
    Verified,
}

impl Stage {
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::New => "尚未启动",
            Stage::Open => "整改中",
            Stage::Reported => "整改完成情况待核验",
            Stage::Verified => "整改完成，已核验",
        }
    }
}

/// The mistake's category: an id of [`CATEGORIES`], with the short name an `other` needs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    #[serde(default)]
    pub detail: Option<String>,
}

impl Category {
    pub fn zh(&self) -> String {
        match (&*self.id, &self.detail) {
            ("other", Some(d)) => format!("其他（{d}）"),
            (id, _) => label_of(CATEGORIES, id).to_string(),
        }
    }

    /// The category as recurrence keys write it: the id, or `other/NAME` (whitespace removed).
    pub fn key(&self) -> String {
        match (&*self.id, &self.detail) {
            ("other", Some(d)) => {
                let name: String = d.chars().filter(|c| !c.is_whitespace()).collect();
                format!("other/{name}")
            }
            (id, _) => id.to_string(),
        }
    }
}

/// An extension request and its decision (002 §16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub requested_on: NaiveDate,
    pub requested_by: By,
    pub requested_due: NaiveDate,
    pub reasons: String,
    /// The last day when asked.
    pub previous_due: NaiveDate,
    pub decision: Option<ExtensionDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionDecision {
    pub on: NaiveDate,
    pub by: By,
    pub granted: bool,
    /// The new last day when granted.
    pub new_due: Option<NaiveDate>,
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub on: NaiveDate,
    pub by: By,
    pub method: String,
    pub findings: String,
    /// The office above the handling organisation that followed up, if one did.
    #[serde(default)]
    pub superior: Option<Org>,
}

/// A completion report and what the office found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub on: NaiveDate,
    pub by: By,
    pub summary: String,
    pub verification: Option<Verification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub on: NaiveDate,
    pub by: By,
    /// Verified (true) or sent back (false).
    pub accepted: bool,
    pub findings: String,
    /// The new last day when sent back.
    pub new_due: Option<NaiveDate>,
}

/// The system's look for earlier cases, made once after opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurrenceCheck {
    pub on: NaiveDate,
    /// Earlier rectifications of the same officer and category (000 §31).
    pub officer_earlier: Vec<String>,
    /// Earlier rectifications of the same unit, category and year (002 §17).
    pub unit_earlier: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub on: NaiveDate,
    pub by: By,
    /// An id of [`REFERRAL_GROUNDS`].
    pub ground: String,
    pub description: String,
    /// The earlier cases of a recurrence.
    pub earlier: Vec<String>,
    /// The office above the handling organisation that referred, if one did.
    #[serde(default)]
    pub superior: Option<Org>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskPoint {
    pub on: NaiveDate,
    pub unit: Org,
    pub year: i32,
    pub earlier: Vec<String>,
}

/// Everything known about a rectification, derived from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct State {
    pub version: u64,
    pub stage: Stage,
    pub last_on: Option<NaiveDate>,
    pub opened_on: Option<NaiveDate>,
    pub opened_by: Option<By>,
    pub officer: Option<Officer>,
    /// The officer's unit (所在单位).
    pub unit: Option<Org>,
    /// The organisation whose office handles the case.
    pub office: Option<Org>,
    /// Its office's name as recorded at opening (see [`Opening::office_name`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub office_name: String,
    /// The organisations above it when the case was opened, nearest first: their offices see
    /// the case, follow up and refer (000 §31 ¶2, 002 §17).
    pub superiors: Vec<Org>,
    /// The 000 application the tolerated mistake was determined in.
    pub source_case: Option<String>,
    pub category: Category,
    pub occurred_on: Option<NaiveDate>,
    /// 纠错事由.
    pub cause: String,
    /// 纠错事项.
    pub items: Vec<String>,
    /// 纠错要求.
    pub requirements: String,
    /// Ways of correction ([`METHODS`] ids).
    pub methods: Vec<String>,
    pub original_due: Option<NaiveDate>,
    /// The last day in force (after extensions and returns).
    pub due: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
    pub follow_ups: Vec<FollowUp>,
    pub reports: Vec<Report>,
    /// The last day that passed without a report (cleared by a new last day).
    pub overdue: Option<NaiveDate>,
    pub recurrence: Option<RecurrenceCheck>,
    pub referrals: Vec<Referral>,
    pub risk_point: Option<RiskPoint>,
    pub documents: Vec<Document>,
}

impl State {
    /// The extension request awaiting a decision.
    pub fn pending_extension(&self) -> Option<&Extension> {
        self.extensions.last().filter(|e| e.decision.is_none())
    }

    /// The completion report awaiting verification.
    pub fn pending_report(&self) -> Option<&Report> {
        self.reports.last().filter(|r| r.verification.is_none())
    }

    /// Flagged for accountability (000 §31 ¶2), by the system or the office.
    pub fn flagged(&self) -> bool {
        !self.referrals.is_empty()
    }

    /// The year a unit's recurrence is counted in: that of the mistake.
    pub fn year(&self) -> Option<i32> {
        self.occurred_on.map(|d| d.year())
    }
}

/// What someone asks of a rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action")]
pub enum Command {
    /// By the office (000 §31 ¶2, 002 §15–16).
    #[serde(rename = "rectification_open")]
    OpenRectification {
        /// The officer (person id; the name of record comes from `Ctx::names`).
        officer: String,
        /// Their unit (organisation id).
        unit: String,
        /// The 000 application the mistake was tolerated in.
        #[serde(default)]
        source_case: Option<String>,
        category: String,
        #[serde(default)]
        category_detail: Option<String>,
        occurred_on: NaiveDate,
        cause: String,
        items: Vec<String>,
        requirements: String,
        #[serde(default)]
        methods: Vec<String>,
        due: NaiveDate,
    },
    /// By the officer or their unit (002 §16).
    #[serde(rename = "rectification_request_extension")]
    RequestExtension {
        requested_due: NaiveDate,
        reasons: String,
    },
    /// By the office, 主任 or 副主任 (002 §16).
    #[serde(rename = "rectification_decide_extension")]
    DecideExtension {
        granted: bool,
        /// The new last day when granted (default: the day asked for).
        #[serde(default)]
        new_due: Option<NaiveDate>,
        reasons: String,
    },
    /// By the office or the unit (000 §31 ¶2, 002 §17).
    #[serde(rename = "rectification_record_follow_up")]
    RecordFollowUp { method: String, findings: String },
    /// By the officer or their unit (002 §16).
    #[serde(rename = "rectification_report_completion")]
    ReportCompletion { summary: String },
    /// By the office (002 §17).
    #[serde(rename = "rectification_verify")]
    VerifyCompletion { findings: String },
    /// By the office: not done, rectify further by a new last day (002 §16–17).
    #[serde(rename = "rectification_return")]
    ReturnRectification { reasons: String, new_due: NaiveDate },
    /// By the office (000 §31 ¶2).
    #[serde(rename = "rectification_refer_accountability")]
    ReferAccountability { ground: String, description: String },
    /// By the system, once after opening: earlier cases of the same officer, or unit and year,
    /// from `Ctx::recurrence` (000 §31, 002 §17).
    #[serde(rename = "rectification_check_recurrence")]
    CheckRecurrence,
}

/// What the opening records (its fields sit beside `type` in the event's JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub officer: Officer,
    pub unit: Org,
    pub office: Org,
    /// The office's name as the governing pack names its body (维权办, the 国动办 itself, 履职保护
    /// 委员会办公室); empty in cases opened before packs named bodies, all handled by a 维权办.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub office_name: String,
    /// The organisations above the office, nearest first (none in cases opened before they
    /// were recorded: then only the office acts).
    #[serde(default)]
    pub superiors: Vec<Org>,
    #[serde(default)]
    pub source_case: Option<String>,
    pub category: Category,
    pub occurred_on: NaiveDate,
    pub cause: String,
    pub items: Vec<String>,
    pub requirements: String,
    #[serde(default)]
    pub methods: Vec<String>,
    pub due: NaiveDate,
    /// The 整改通知书.
    pub document: Document,
}

/// What is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Opened(Box<Opening>),
    ExtensionRequested {
        requested_due: NaiveDate,
        reasons: String,
        previous_due: NaiveDate,
    },
    ExtensionDecided {
        granted: bool,
        #[serde(default)]
        new_due: Option<NaiveDate>,
        reasons: String,
    },
    FollowUpRecorded {
        method: String,
        findings: String,
        /// An office above the handling organisation (000 §31 ¶2, 002 §17).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        superior: Option<Org>,
    },
    CompletionReported {
        summary: String,
    },
    CompletionVerified {
        findings: String,
    },
    Returned {
        reasons: String,
        new_due: NaiveDate,
    },
    /// The last day passed without a completion report (system).
    Overdue {
        due: NaiveDate,
    },
    RecurrenceChecked {
        officer_earlier: Vec<String>,
        unit_earlier: Vec<String>,
    },
    AccountabilityReferred {
        ground: String,
        description: String,
        #[serde(default)]
        earlier: Vec<String>,
        /// An office above the handling organisation (000 §31 ¶2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        superior: Option<Org>,
    },
    RiskPointRaised {
        unit: Org,
        year: i32,
        earlier: Vec<String>,
        document: Document,
    },
}

// ---- guards ----

fn refused(message: impl Into<String>, article: &str) -> ProcessError {
    ProcessError::citing(message, article)
}

fn text(value: &str, message: &str, article: &str) -> Result<String, ProcessError> {
    let t = value.trim();
    if t.is_empty() {
        Err(refused(message, article))
    } else {
        Ok(t.to_string())
    }
}

/// Who takes a step.
#[derive(Clone, Copy)]
enum Party {
    /// The officer the rectification is about.
    Subject,
    /// Their unit.
    Unit,
    /// The handling organisation's office.
    Office,
    /// The handling organisation's 主任 or 副主任.
    Leader,
    /// The office of an organisation above the handling one (recorded at opening).
    Superior,
}

impl Party {
    fn roles(self) -> &'static [Role] {
        match self {
            Party::Subject => &[Role::Officer],
            Party::Unit => &[Role::Unit],
            Party::Office | Party::Superior => &[Role::Office],
            Party::Leader => &[Role::Director, Role::DeputyDirector],
        }
    }

    /// The role in which `actor` acts as this party on `s`, if they do.
    fn role_of(self, s: &State, actor: &Actor) -> Option<Role> {
        let org = match self {
            Party::Subject => {
                let is_subject = s
                    .officer
                    .as_ref()
                    .is_some_and(|o| o.person_id == actor.person_id);
                return (is_subject && actor.has(Role::Officer)).then_some(Role::Officer);
            }
            Party::Unit => s.unit.as_ref(),
            Party::Office | Party::Leader => s.office.as_ref(),
            Party::Superior => s.superiors.iter().find(|o| o.id == actor.org_id),
        }?;
        if org.id != actor.org_id {
            return None;
        }
        self.roles().iter().copied().find(|r| actor.has(*r))
    }

    fn zh(self) -> &'static str {
        match self {
            Party::Subject => "当事民警本人",
            Party::Unit => "当事民警所在单位",
            Party::Office => "办理机关维权办",
            Party::Leader => "办理机关维权委主任或副主任",
            Party::Superior => "上级机关维权办",
        }
    }
}

/// The office above the handling organisation `actor` acts for, if they act as one (an office
/// grant at the handling organisation itself comes first).
fn superior_of(s: &State, actor: &Actor) -> Option<Org> {
    if Party::Office.role_of(s, actor).is_some() {
        return None;
    }
    Party::Superior.role_of(s, actor)?;
    s.superiors.iter().find(|o| o.id == actor.org_id).cloned()
}

/// The role `actor` takes the step in, trying the parties in order, or why not.
fn acting(
    s: &State,
    actor: &Actor,
    parties: &[Party],
    action: &str,
    article: &str,
) -> Result<By, ProcessError> {
    for p in parties {
        if let Some(role) = p.role_of(s, actor) {
            // Nobody takes a step on a rectification about themself but the officer (回避).
            if !matches!(p, Party::Subject)
                && s.officer
                    .as_ref()
                    .is_some_and(|o| o.person_id == actor.person_id)
            {
                return Err(refused(
                    format!("不能以{}身份对本人的纠错整改“{action}”", role.zh()),
                    article,
                ));
            }
            return Ok(By {
                person_id: actor.person_id.clone(),
                role,
            });
        }
    }
    let who: Vec<&str> = parties.iter().map(|p| p.zh()).collect();
    if Party::Superior.role_of(s, actor).is_some() {
        // An office above sees the case: say what it may do instead (000 §31 ¶2, 002 §16–17).
        return Err(refused(
            format!(
                "“{action}”应当由发出整改通知书的{}办理；上级机关维权办可以记录回访、提出问责处理",
                who.join("或者")
            ),
            article,
        ));
    }
    Err(refused(
        format!("“{action}”应当由{}办理", who.join("或者")),
        article,
    ))
}

fn stage_is(s: &State, stages: &[Stage], action: &str) -> Result<(), ProcessError> {
    if stages.contains(&s.stage) {
        Ok(())
    } else {
        Err(ProcessError::new(format!(
            "纠错整改当前处于“{}”阶段，不能{action}",
            s.stage.zh()
        )))
    }
}

fn choice(table: &[(&str, &str)], id: &str, what: &str) -> Result<String, ProcessError> {
    let id = id.trim();
    if table.iter().any(|(i, _)| *i == id) {
        Ok(id.to_string())
    } else {
        let names: Vec<&str> = table.iter().map(|(_, z)| *z).collect();
        Err(ProcessError::new(format!(
            "{what}“{id}”无效，应为以下之一：{}",
            names.join("、")
        )))
    }
}

fn ev(on: NaiveDate, by: By, kind: EventKind) -> Vec<Event<EventKind>> {
    vec![Event { on, by, kind }]
}

// ---- documents ----

/// 整改通知书 (000 §31 ¶2; 002 §16: 说明纠错事由，明确纠错事项，提出纠错要求，责成限期纠正),
/// worded by the governing pack (`[[notice]] rectification_notice`) and signed by the office of
/// the body it names (维权办, the 国动办 itself, 履职保护委员会办公室).
#[allow(clippy::too_many_arguments)]
fn rectification_notice(
    reg: &Regulation,
    officer: &Officer,
    unit: &Org,
    office: &Org,
    source_case: Option<&str>,
    category: &Category,
    occurred_on: NaiveDate,
    cause: &str,
    items: &[String],
    requirements: &str,
    methods: &[String],
    due: NaiveDate,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    const ITEM: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut item_lines = String::new();
    for (i, item) in items.iter().enumerate() {
        let n = ITEM
            .get(i)
            .map(|x| x.to_string())
            .unwrap_or_else(|| (i + 1).to_string());
        item_lines.push_str(&format!("\n{INDENT}（{n}）{}", item.trim()));
    }
    let ways: Vec<&str> = methods.iter().map(|m| label_of(METHODS, m)).collect();
    let (title, text) = notices::fill(
        reg,
        "rectification_notice",
        &reg.office_of(office),
        on,
        vec![
            ("officer", officer.name.clone()),
            ("occurred_on", date_zh(occurred_on)),
            ("category", category.zh().to_string()),
            ("source_case", source_case.unwrap_or_default().to_string()),
            ("cause", cause.trim().to_string()),
            ("items", item_lines),
            ("requirements", requirements.trim().to_string()),
            ("methods", ways.join("、")),
            ("due", date_zh(due)),
        ],
    )?;
    Ok(Document {
        kind: DocumentKind::RectificationNotice,
        title,
        addressee: format!("{}同志", officer.name),
        copy_to: vec![unit.name.clone()],
        text,
        issued_on: on,
    })
}

/// 易错风险警示提醒函 (002 §17, 003 §11, 000 §32), worded by the governing pack (`[[notice]]
/// risk_warning`).
#[allow(clippy::too_many_arguments)]
fn risk_warning(
    reg: &Regulation,
    unit: &Org,
    office: &Org,
    category: &Category,
    year: i32,
    earlier: &[String],
    this_case_count: usize,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let (title, text) = notices::fill(
        reg,
        "risk_warning",
        &reg.office_of(office),
        on,
        vec![
            ("unit", unit.name.clone()),
            ("year", year.to_string()),
            ("count", this_case_count.to_string()),
            ("category", category.zh().to_string()),
            ("earlier", earlier.join("、")),
        ],
    )?;
    Ok(Document {
        kind: DocumentKind::RiskWarning,
        title,
        addressee: unit.name.clone(),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

// ---- the process ----

/// The actions that carry out a body's `correction` procedure.
const CORRECTION_ACTIONS: &[&str] = &[
    "rectification_open",
    "rectification_request_extension",
    "rectification_decide_extension",
    "rectification_record_follow_up",
    "rectification_report_completion",
    "rectification_verify",
    "rectification_return",
    "rectification_check_recurrence",
];

/// The recurrence keys of a case (000 §31; 002 §17): `officer:P|category:C` and
/// `unit:O|category:C|year:Y`.
pub fn keys(s: &State) -> (Option<String>, Option<String>) {
    let c = s.category.key();
    let officer = s
        .officer
        .as_ref()
        .map(|o| format!("officer:{}|category:{c}", o.person_id));
    let unit = match (&s.unit, s.year()) {
        (Some(u), Some(y)) => Some(format!("unit:{}|category:{c}|year:{y}", u.id)),
        _ => None,
    };
    (officer, unit)
}

fn decide(
    s: &State,
    command: &Command,
    actor: &Actor,
    ctx: &Ctx<'_>,
) -> Result<Vec<Event<EventKind>>, ProcessError> {
    let today = ctx.today;
    if let Some(last) = s.last_on {
        if today < last {
            return Err(ProcessError::new(format!(
                "办理日期{}早于本案最近一次记录的日期{}",
                date_zh(today),
                date_zh(last)
            )));
        }
    }
    if s.stage == Stage::New && !matches!(command, Command::OpenRectification { .. }) {
        return Err(ProcessError::new("纠错整改尚未启动"));
    }
    match command {
        Command::OpenRectification {
            officer,
            unit,
            source_case,
            category,
            category_detail,
            occurred_on,
            cause,
            items,
            requirements,
            methods,
            due,
        } => {
            const A: &str = "启动纠错整改";
            const ART: &str = "000 §31¶2";
            if s.stage != Stage::New {
                return Err(ProcessError::new("纠错整改已经启动，不能重复启动"));
            }
            if !actor.has(Role::Office) {
                return Err(refused(format!("“{A}”应当由维权办办理"), ART));
            }
            let person_id = text(officer, "应当选择纠错整改的当事民警", ART)?;
            let officer = Officer {
                name: ctx
                    .name(&person_id)
                    .ok_or_else(|| {
                        ProcessError::new(format!("人员名录中没有编号为“{person_id}”的民警"))
                    })?
                    .to_string(),
                person_id,
            };
            if officer.person_id == actor.person_id {
                return Err(refused("不能对本人启动纠错整改", ART));
            }
            let unit_id = text(unit, "应当选择当事民警所在单位", ART)?;
            let unit = Org {
                name: ctx
                    .name(&unit_id)
                    .ok_or_else(|| {
                        ProcessError::new(format!("机构名录中没有编号为“{unit_id}”的单位"))
                    })?
                    .to_string(),
                id: unit_id,
            };
            let office = ctx
                .org_chain
                .first()
                .filter(|o| o.id == actor.org_id)
                .cloned()
                .ok_or_else(|| ProcessError::new("未能确定办理纠错整改的机关"))?;
            let superiors: Vec<Org> = ctx.org_chain.iter().skip(1).cloned().collect();
            let category = Category {
                id: choice(CATEGORIES, category, "错误类型")?,
                detail: category_detail
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(String::from),
            };
            if category.id == "other" && category.detail.is_none() {
                return Err(refused(
                    "错误类型为“其他”的，应当写明类型名称，以便识别同一类型错误",
                    "000 §31¶2",
                ));
            }
            if category.id != "other" && category.detail.is_some() {
                return Err(ProcessError::new("只有错误类型为“其他”时才需写明类型名称"));
            }
            if *occurred_on > today {
                return Err(ProcessError::new(format!(
                    "错误发生日期{}晚于今天",
                    date_zh(*occurred_on)
                )));
            }
            let cause = text(cause, "应当说明纠错事由", "002 §16")?;
            let items: Vec<String> = items
                .iter()
                .map(|i| i.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect();
            if items.is_empty() {
                return Err(refused("应当明确纠错事项", "002 §16"));
            }
            let requirements = text(requirements, "应当提出纠错要求", "002 §16")?;
            let mut ways = Vec::new();
            for m in methods {
                let m = choice(METHODS, m, "纠错方式")?;
                if !ways.contains(&m) {
                    ways.push(m);
                }
            }
            if *due <= today {
                return Err(refused(
                    format!("整改期限应当晚于今天（{}）", date_zh(today)),
                    "002 §16",
                ));
            }
            let source_case = source_case
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from);
            let document = rectification_notice(
                ctx.regulation()?,
                &officer,
                &unit,
                &office,
                source_case.as_deref(),
                &category,
                *occurred_on,
                &cause,
                &items,
                &requirements,
                &ways,
                *due,
                today,
            )?;
            Ok(ev(
                today,
                By {
                    person_id: actor.person_id.clone(),
                    role: Role::Office,
                },
                EventKind::Opened(Box::new(Opening {
                    officer,
                    unit,
                    office_name: ctx.regulation()?.office_of(&office),
                    office,
                    superiors,
                    source_case,
                    category,
                    occurred_on: *occurred_on,
                    cause,
                    items,
                    requirements,
                    methods: ways,
                    due: *due,
                    document,
                })),
            ))
        }
        Command::RequestExtension {
            requested_due,
            reasons,
        } => {
            const A: &str = "申请延长整改期限";
            let by = acting(s, actor, &[Party::Subject, Party::Unit], A, "002 §16")?;
            stage_is(s, &[Stage::Open], A)?;
            if s.pending_extension().is_some() {
                return Err(ProcessError::new(
                    "已有延长整改期限的申请尚待决定，不能再次申请",
                ));
            }
            let reasons = text(
                reasons,
                "申请延长整改期限应当说明难以在规定时间内完成的特殊情况",
                "002 §16",
            )?;
            let previous_due = s.due.unwrap_or(today);
            if *requested_due <= previous_due || *requested_due <= today {
                return Err(refused(
                    format!(
                        "申请延长至的日期应当晚于现行整改期限（{}）和今天",
                        date_zh(previous_due)
                    ),
                    "002 §16",
                ));
            }
            Ok(ev(
                today,
                by,
                EventKind::ExtensionRequested {
                    requested_due: *requested_due,
                    reasons,
                    previous_due,
                },
            ))
        }
        Command::DecideExtension {
            granted,
            new_due,
            reasons,
        } => {
            const A: &str = "决定是否延长整改期限";
            let by = acting(s, actor, &[Party::Office, Party::Leader], A, "002 §16")?;
            let Some(request) = s.pending_extension() else {
                return Err(ProcessError::new("没有待决定的延长整改期限申请"));
            };
            stage_is(s, &[Stage::Open], A)?;
            let reasons = text(
                reasons,
                if *granted {
                    "同意延长整改期限应当说明理由"
                } else {
                    "不同意延长整改期限应当说明理由"
                },
                "002 §16",
            )?;
            let new_due = if *granted {
                let d = new_due.unwrap_or(request.requested_due);
                let current = s.due.unwrap_or(today);
                if d <= current || d <= today {
                    return Err(refused(
                        format!(
                            "延长后的整改期限应当晚于现行整改期限（{}）和今天",
                            date_zh(current)
                        ),
                        "002 §16",
                    ));
                }
                Some(d)
            } else {
                if new_due.is_some() {
                    return Err(ProcessError::new(
                        "不同意延长整改期限的，不应载明新的整改期限",
                    ));
                }
                None
            };
            Ok(ev(
                today,
                by,
                EventKind::ExtensionDecided {
                    granted: *granted,
                    new_due,
                    reasons,
                },
            ))
        }
        Command::RecordFollowUp { method, findings } => {
            const A: &str = "记录回访";
            let by = acting(
                s,
                actor,
                &[Party::Office, Party::Unit, Party::Superior],
                A,
                "000 §31¶2",
            )?;
            let method = choice(FOLLOW_UP_METHODS, method, "回访方式")?;
            let findings = text(findings, "应当记录回访了解的整改情况", "002 §17")?;
            let superior = superior_of(s, actor).filter(|_| by.role == Role::Office);
            Ok(ev(
                today,
                by,
                EventKind::FollowUpRecorded {
                    method,
                    findings,
                    superior,
                },
            ))
        }
        Command::ReportCompletion { summary } => {
            const A: &str = "报告整改完成情况";
            let by = acting(s, actor, &[Party::Subject, Party::Unit], A, "002 §16")?;
            stage_is(s, &[Stage::Open], A)?;
            let summary = text(summary, "应当报告整改完成的情况", "002 §16")?;
            Ok(ev(today, by, EventKind::CompletionReported { summary }))
        }
        Command::VerifyCompletion { findings } => {
            const A: &str = "核验整改完成情况";
            let by = acting(s, actor, &[Party::Office], A, "002 §17")?;
            stage_is(s, &[Stage::Reported], A)?;
            let findings = text(findings, "应当写明核验的情况和结论", "002 §17")?;
            Ok(ev(today, by, EventKind::CompletionVerified { findings }))
        }
        Command::ReturnRectification { reasons, new_due } => {
            const A: &str = "退回继续整改";
            let by = acting(s, actor, &[Party::Office], A, "002 §16")?;
            stage_is(s, &[Stage::Reported], A)?;
            let reasons = text(reasons, "退回继续整改应当说明未完成的事项和理由", "002 §16")?;
            if *new_due <= today {
                return Err(refused(
                    format!("新的整改期限应当晚于今天（{}）", date_zh(today)),
                    "002 §16",
                ));
            }
            Ok(ev(
                today,
                by,
                EventKind::Returned {
                    reasons,
                    new_due: *new_due,
                },
            ))
        }
        Command::ReferAccountability {
            ground,
            description,
        } => {
            const A: &str = "提出问责处理";
            let by = acting(s, actor, &[Party::Office, Party::Superior], A, "000 §31¶2")?;
            let ground = choice(REFERRAL_GROUNDS, ground, "问责事由")?;
            if ground == "recurrence" {
                return Err(refused(
                    "同一类型错误再次发生由系统核查同类纠错记录后标记，无需另行提出",
                    "000 §31¶2",
                ));
            }
            let description = text(description, "应当写明问责的事实和理由", "000 §31¶2")?;
            let superior = superior_of(s, actor);
            Ok(ev(
                today,
                by,
                EventKind::AccountabilityReferred {
                    ground,
                    description,
                    earlier: Vec::new(),
                    superior,
                },
            ))
        }
        Command::CheckRecurrence => {
            if !actor.has(Role::System) {
                return Err(ProcessError::new("同类纠错记录由系统核查"));
            }
            if s.recurrence.is_some() {
                return Err(ProcessError::new("已经核查过同类纠错记录"));
            }
            let (officer_key, unit_key) = keys(s);
            let earlier = |k: Option<String>| -> Vec<String> {
                k.and_then(|k| ctx.recurrence.get(&k).cloned())
                    .unwrap_or_default()
            };
            let officer_earlier = earlier(officer_key);
            let unit_earlier = earlier(unit_key);
            let by = By::system();
            let mut out = ev(
                today,
                by.clone(),
                EventKind::RecurrenceChecked {
                    officer_earlier: officer_earlier.clone(),
                    unit_earlier: unit_earlier.clone(),
                },
            );
            let category = s.category.zh();
            if !officer_earlier.is_empty() {
                let name = s.officer.as_ref().map(|o| o.name.as_str()).unwrap_or("");
                out.push(Event {
                    on: today,
                    by: by.clone(),
                    kind: EventKind::AccountabilityReferred {
                        ground: "recurrence".to_string(),
                        description: format!(
                            "{name}此前已因“{category}”类错误纠错整改（{}），同一类型错误再次发生，应当依规依纪依法问责处理（{}）",
                            officer_earlier.join("、"),
                            ctx.regulation()?.cite_step("correction", "纠错整改")?
                        ),
                        earlier: officer_earlier,
                        superior: None,
                    },
                });
            }
            if unit_earlier.len() >= UNIT_RISK_EARLIER_CASES {
                if let (Some(unit), Some(office), Some(year)) = (&s.unit, &s.office, s.year()) {
                    let document = risk_warning(
                        ctx.regulation()?,
                        unit,
                        office,
                        &s.category,
                        year,
                        &unit_earlier,
                        unit_earlier.len() + 1,
                        today,
                    )?;
                    out.push(Event {
                        on: today,
                        by,
                        kind: EventKind::RiskPointRaised {
                            unit: unit.clone(),
                            year,
                            earlier: unit_earlier,
                            document,
                        },
                    });
                }
            }
            Ok(out)
        }
    }
}

fn apply(mut s: State, e: &Event<EventKind>) -> State {
    s.version += 1;
    s.last_on = Some(s.last_on.map_or(e.on, |l| l.max(e.on)));
    match &e.kind {
        EventKind::Opened(o) => {
            s.stage = Stage::Open;
            s.opened_on = Some(e.on);
            s.opened_by = Some(e.by.clone());
            s.officer = Some(o.officer.clone());
            s.unit = Some(o.unit.clone());
            s.office = Some(o.office.clone());
            s.office_name = o.office_name.clone();
            s.superiors = o.superiors.clone();
            s.source_case = o.source_case.clone();
            s.category = o.category.clone();
            s.occurred_on = Some(o.occurred_on);
            s.cause = o.cause.clone();
            s.items = o.items.clone();
            s.requirements = o.requirements.clone();
            s.methods = o.methods.clone();
            s.original_due = Some(o.due);
            s.due = Some(o.due);
            s.documents.push(o.document.clone());
        }
        EventKind::ExtensionRequested {
            requested_due,
            reasons,
            previous_due,
        } => s.extensions.push(Extension {
            requested_on: e.on,
            requested_by: e.by.clone(),
            requested_due: *requested_due,
            reasons: reasons.clone(),
            previous_due: *previous_due,
            decision: None,
        }),
        EventKind::ExtensionDecided {
            granted,
            new_due,
            reasons,
        } => {
            if let Some(x) = s.extensions.last_mut() {
                x.decision = Some(ExtensionDecision {
                    on: e.on,
                    by: e.by.clone(),
                    granted: *granted,
                    new_due: *new_due,
                    reasons: reasons.clone(),
                });
            }
            if let (true, Some(d)) = (*granted, new_due) {
                s.due = Some(*d);
                s.overdue = None;
            }
        }
        EventKind::FollowUpRecorded {
            method,
            findings,
            superior,
        } => s.follow_ups.push(FollowUp {
            on: e.on,
            by: e.by.clone(),
            method: method.clone(),
            findings: findings.clone(),
            superior: superior.clone(),
        }),
        EventKind::CompletionReported { summary } => {
            s.stage = Stage::Reported;
            s.reports.push(Report {
                on: e.on,
                by: e.by.clone(),
                summary: summary.clone(),
                verification: None,
            });
        }
        EventKind::CompletionVerified { findings } => {
            s.stage = Stage::Verified;
            if let Some(r) = s.reports.last_mut() {
                r.verification = Some(Verification {
                    on: e.on,
                    by: e.by.clone(),
                    accepted: true,
                    findings: findings.clone(),
                    new_due: None,
                });
            }
        }
        EventKind::Returned { reasons, new_due } => {
            s.stage = Stage::Open;
            s.due = Some(*new_due);
            s.overdue = None;
            if let Some(r) = s.reports.last_mut() {
                r.verification = Some(Verification {
                    on: e.on,
                    by: e.by.clone(),
                    accepted: false,
                    findings: reasons.clone(),
                    new_due: Some(*new_due),
                });
            }
        }
        EventKind::Overdue { due } => s.overdue = Some(*due),
        EventKind::RecurrenceChecked {
            officer_earlier,
            unit_earlier,
        } => {
            s.recurrence = Some(RecurrenceCheck {
                on: e.on,
                officer_earlier: officer_earlier.clone(),
                unit_earlier: unit_earlier.clone(),
            })
        }
        EventKind::AccountabilityReferred {
            ground,
            description,
            earlier,
            superior,
        } => s.referrals.push(Referral {
            on: e.on,
            by: e.by.clone(),
            ground: ground.clone(),
            description: description.clone(),
            earlier: earlier.clone(),
            superior: superior.clone(),
        }),
        EventKind::RiskPointRaised {
            unit,
            year,
            earlier,
            document,
        } => {
            s.risk_point = Some(RiskPoint {
                on: e.on,
                unit: unit.clone(),
                year: *year,
                earlier: earlier.clone(),
            });
            s.documents.push(document.clone());
        }
    }
    s
}

fn field(name: &str, label: &str, kind: FieldKind, required: bool, help: &str) -> Field {
    Field::new(name, label, kind, required).help(help)
}

fn spec(id: &str, label: &str, article: &str, role: Role, fields: Vec<Field>) -> ActionSpec {
    ActionSpec {
        id: id.to_string(),
        label: label.to_string(),
        article: article.to_string(),
        role,
        fields,
    }
}

/// The form of each action, in the role given.
fn action_spec(id: &str, role: Role) -> Option<ActionSpec> {
    Some(match id {
        "rectification_open" => spec(
            id,
            "启动纠错整改",
            "000 §31¶2",
            role,
            vec![
                field(
                    "officer",
                    "当事民警",
                    FieldKind::Person,
                    true,
                    "整改通知书送达本人",
                ),
                field(
                    "unit",
                    "所在单位",
                    FieldKind::Org,
                    true,
                    "整改通知书抄送该单位",
                ),
                field(
                    "source_case",
                    "来源免责容错案件编号",
                    FieldKind::Text,
                    false,
                    "认定予以容错的案件，如 A2026-000001",
                ),
                field(
                    "category",
                    "错误类型",
                    FieldKind::Choice {
                        options: options(CATEGORIES),
                    },
                    true,
                    "同一民警同一类型错误再次发生的，依规依纪依法问责",
                ),
                field(
                    "category_detail",
                    "其他类型名称",
                    FieldKind::Text,
                    false,
                    "错误类型为“其他”时填写",
                ),
                field("occurred_on", "错误发生日期", FieldKind::Date, true, ""),
                field(
                    "cause",
                    "纠错事由",
                    FieldKind::LongText,
                    true,
                    "说明纠错事由（002 §16）",
                ),
                field(
                    "items",
                    "纠错事项",
                    FieldKind::Lines,
                    true,
                    "每行一项（002 §16）",
                ),
                field(
                    "requirements",
                    "纠错要求",
                    FieldKind::LongText,
                    true,
                    "提出纠错要求或者建议（002 §16）",
                ),
                field(
                    "methods",
                    "纠错方式",
                    FieldKind::MultiChoice {
                        options: options(METHODS),
                    },
                    false,
                    "",
                ),
                field(
                    "due",
                    "整改期限",
                    FieldKind::Date,
                    true,
                    "责成限期纠正（002 §16）",
                ),
            ],
        ),
        "rectification_request_extension" => spec(
            id,
            "申请延长整改期限",
            "002 §16",
            role,
            vec![
                field("requested_due", "申请延长至", FieldKind::Date, true, ""),
                field(
                    "reasons",
                    "理由",
                    FieldKind::LongText,
                    true,
                    "因特殊情况难以在规定时间内完成的，可以申请适当延长整改期限（002 §16）",
                ),
            ],
        ),
        "rectification_decide_extension" => spec(
            id,
            "决定是否延长整改期限",
            "002 §16",
            role,
            vec![
                field("granted", "同意延长", FieldKind::Bool, false, ""),
                field(
                    "new_due",
                    "延长后的整改期限",
                    FieldKind::Date,
                    false,
                    "同意延长时填写；不填则为申请的日期",
                ),
                field("reasons", "理由", FieldKind::LongText, true, ""),
            ],
        ),
        "rectification_record_follow_up" => spec(
            id,
            "记录回访",
            "000 §31¶2",
            role,
            vec![
                field(
                    "method",
                    "回访方式",
                    FieldKind::Choice {
                        options: options(FOLLOW_UP_METHODS),
                    },
                    true,
                    "",
                ),
                field(
                    "findings",
                    "回访了解的整改情况",
                    FieldKind::LongText,
                    true,
                    "加强回访教育、跟踪管理",
                ),
            ],
        ),
        "rectification_report_completion" => spec(
            id,
            "报告整改完成情况",
            "002 §16",
            role,
            vec![field(
                "summary",
                "整改完成情况",
                FieldKind::LongText,
                true,
                "逐项说明纠错事项的整改情况",
            )],
        ),
        "rectification_verify" => spec(
            id,
            "核验通过",
            "002 §17",
            role,
            vec![field(
                "findings",
                "核验情况和结论",
                FieldKind::LongText,
                true,
                "",
            )],
        ),
        "rectification_return" => spec(
            id,
            "退回继续整改",
            "002 §16",
            role,
            vec![
                field(
                    "reasons",
                    "未完成的事项和理由",
                    FieldKind::LongText,
                    true,
                    "",
                ),
                field("new_due", "新的整改期限", FieldKind::Date, true, ""),
            ],
        ),
        "rectification_refer_accountability" => spec(
            id,
            "提出问责处理",
            "000 §31¶2",
            role,
            vec![
                field(
                    "ground",
                    "问责事由",
                    FieldKind::Choice {
                        options: options(&REFERRAL_GROUNDS[1..]),
                    },
                    true,
                    "整改效果不明显的依规依纪依法问责处理；隐瞒问题、拒不整改、对抗组织的从严处理",
                ),
                field("description", "事实和理由", FieldKind::LongText, true, ""),
            ],
        ),
        _ => return None,
    })
}

/// Every action id a person may take, with the parties that take it and the stages it is
/// open in (the opening and the system's check aside).
const STEPS: &[(&str, &[Party], &[Stage])] = &[
    (
        "rectification_request_extension",
        &[Party::Subject, Party::Unit],
        &[Stage::Open],
    ),
    (
        "rectification_decide_extension",
        &[Party::Office, Party::Leader],
        &[Stage::Open],
    ),
    (
        "rectification_record_follow_up",
        &[Party::Office, Party::Unit, Party::Superior],
        &[Stage::Open, Stage::Reported, Stage::Verified],
    ),
    (
        "rectification_report_completion",
        &[Party::Subject, Party::Unit],
        &[Stage::Open],
    ),
    ("rectification_verify", &[Party::Office], &[Stage::Reported]),
    ("rectification_return", &[Party::Office], &[Stage::Reported]),
    (
        "rectification_refer_accountability",
        &[Party::Office, Party::Superior],
        &[Stage::Open, Stage::Reported, Stage::Verified],
    ),
];

/// Action ids with their Chinese labels, in the order of the procedure.
pub const ACTIONS: &[(&str, &str)] = &[
    ("rectification_open", "启动纠错整改"),
    ("rectification_request_extension", "申请延长整改期限"),
    ("rectification_decide_extension", "决定是否延长整改期限"),
    ("rectification_record_follow_up", "记录回访"),
    ("rectification_report_completion", "报告整改完成情况"),
    ("rectification_verify", "核验通过"),
    ("rectification_return", "退回继续整改"),
    ("rectification_refer_accountability", "提出问责处理"),
    ("rectification_check_recurrence", "核查同类纠错记录"),
];

fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Opened(o) => format!(
            "启动纠错整改：{}，错误类型“{}”，整改期限{}，出具整改通知书",
            o.officer.name,
            o.category.zh(),
            date_zh(o.due)
        ),
        EventKind::ExtensionRequested {
            requested_due,
            reasons,
            ..
        } => format!(
            "申请延长整改期限至{}。理由：{reasons}",
            date_zh(*requested_due)
        ),
        EventKind::ExtensionDecided {
            granted: true,
            new_due,
            reasons,
        } => format!(
            "同意延长整改期限至{}。理由：{reasons}",
            new_due.map(date_zh).unwrap_or_default()
        ),
        EventKind::ExtensionDecided {
            granted: false,
            reasons,
            ..
        } => format!("不同意延长整改期限。理由：{reasons}"),
        EventKind::FollowUpRecorded {
            method,
            findings,
            superior,
        } => {
            format!(
                "回访（{}{}）：{findings}",
                label_of(FOLLOW_UP_METHODS, method),
                by_superior(superior.as_ref())
            )
        }
        EventKind::CompletionReported { summary } => format!("报告整改完成情况：{summary}"),
        EventKind::CompletionVerified { findings } => format!("核验通过：{findings}"),
        EventKind::Returned { reasons, new_due } => format!(
            "退回继续整改，新的整改期限{}。理由：{reasons}",
            date_zh(*new_due)
        ),
        EventKind::Overdue { due } => {
            format!("整改期限{}已届满，未报告整改完成情况", date_zh(*due))
        }
        EventKind::RecurrenceChecked {
            officer_earlier,
            unit_earlier,
        } => {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "无".to_string()
                } else {
                    v.join("、")
                }
            };
            format!(
                "核查同类纠错记录：该民警此前同类纠错整改{}；所在单位本年度此前同类纠错整改{}",
                list(officer_earlier),
                list(unit_earlier)
            )
        }
        EventKind::AccountabilityReferred {
            ground,
            description,
            superior,
            ..
        } => format!(
            "标记问责处理（{}{}）：{description}",
            label_of(REFERRAL_GROUNDS, ground),
            by_superior(superior.as_ref())
        ),
        EventKind::RiskPointRaised {
            unit,
            year,
            earlier,
            ..
        } => format!(
            "列为易错风险点：{}{year}年度同一类型错误已发生{}起，向该单位发出易错风险警示提醒函",
            unit.name,
            earlier.len() + 1
        ),
    }
}

/// `，阿拉善盟公安局维权办` after what an office above did, nothing otherwise.
fn by_superior(superior: Option<&Org>) -> String {
    superior
        .map(|o| format!("，{}维权办", o.name))
        .unwrap_or_default()
}

fn kind_id(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Opened(_) => "opened",
        EventKind::ExtensionRequested { .. } => "extension_requested",
        EventKind::ExtensionDecided { .. } => "extension_decided",
        EventKind::FollowUpRecorded { .. } => "follow_up_recorded",
        EventKind::CompletionReported { .. } => "completion_reported",
        EventKind::CompletionVerified { .. } => "completion_verified",
        EventKind::Returned { .. } => "returned",
        EventKind::Overdue { .. } => "overdue",
        EventKind::RecurrenceChecked { .. } => "recurrence_checked",
        EventKind::AccountabilityReferred { .. } => "accountability_referred",
        EventKind::RiskPointRaised { .. } => "risk_point_raised",
    }
}

/// The officer's step to rectify by `due`: `rectification` while its passing is still to be
/// recorded (the one step that fires, see [`Process::fires_event`]); once the passing is
/// recorded, or while an extension request awaits its decision (nothing fires then, 002 §16),
/// another id — else the scheduler would claim the passed step again and again, finding
/// nothing to fire.
fn rectification_step(s: &State, due: NaiveDate) -> &'static str {
    if s.overdue == Some(due) {
        "rectification_overdue"
    } else if s.pending_extension().is_some() {
        "rectification_awaiting_extension"
    } else {
        "rectification"
    }
}

/// A step of the handling office only: `STEP@<office id>` (the inbox shows it to that office's
/// holders of the role, not to the offices above that see the case).
fn office_step(step: &str, s: &State) -> String {
    match &s.office {
        Some(o) => format!("{step}@{}", o.id),
        None => step.to_string(),
    }
}

impl Process for Rectification {
    const KIND: &'static str = "rectification";
    const NAME_ZH: &'static str = "纠错整改";
    const ID_PREFIX: &'static str = "J";
    const PACK: &'static str = "000";
    /// 000 §31¶2, 002 §15–17 and 003's 纠错.
    const REGULATIONS: &'static [&'static str] = &["000", "002", "003"];
    const PERIODS: &'static [&'static str] = &[VERIFY_PERIOD];
    /// 002 §15–17's 纠错. 003 §10 describes a like step but this process does not carry it out
    /// under 003 (it cites 000 and 002): not listed.
    /// 纠错 as each body's regulation provides it, and the 易错风险点 warning its recurrence
    /// check raises (the notices cite these procedures' articles of the governing pack).
    const PROCEDURES: &'static [ProcedureStep] = &[
        ProcedureStep {
            pack: "000",
            procedure: "correction",
            actions: CORRECTION_ACTIONS,
        },
        ProcedureStep {
            pack: "002",
            procedure: "correction",
            actions: CORRECTION_ACTIONS,
        },
        ProcedureStep {
            pack: "003",
            procedure: "correction",
            actions: CORRECTION_ACTIONS,
        },
        ProcedureStep {
            pack: "000",
            procedure: "risk_warning",
            actions: &["rectification_check_recurrence"],
        },
        ProcedureStep {
            pack: "002",
            procedure: "risk_warning",
            actions: &["rectification_check_recurrence"],
        },
        ProcedureStep {
            pack: "003",
            procedure: "risk_warning",
            actions: &["rectification_check_recurrence"],
        },
    ];

    type State = State;
    type Command = Command;
    type Kind = EventKind;

    fn opens(command: &Command) -> bool {
        matches!(command, Command::OpenRectification { .. })
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::OpenRectification { .. } => "rectification_open",
            Command::RequestExtension { .. } => "rectification_request_extension",
            Command::DecideExtension { .. } => "rectification_decide_extension",
            Command::RecordFollowUp { .. } => "rectification_record_follow_up",
            Command::ReportCompletion { .. } => "rectification_report_completion",
            Command::VerifyCompletion { .. } => "rectification_verify",
            Command::ReturnRectification { .. } => "rectification_return",
            Command::ReferAccountability { .. } => "rectification_refer_accountability",
            Command::CheckRecurrence => "rectification_check_recurrence",
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<EventKind>>, ProcessError> {
        decide(state, command, actor, ctx)
    }

    fn apply(state: State, event: &Event<EventKind>) -> State {
        apply(state, event)
    }

    fn deadlines(s: &State, rules: &Rules<'_>) -> Vec<OpenDeadline> {
        let mut out = Vec::new();
        match s.stage {
            Stage::Open => {
                if let Some(due) = s.due {
                    out.push(OpenDeadline {
                        step: rectification_step(s, due).to_string(),
                        label: "完成整改并报告整改情况".to_string(),
                        due,
                        provisional: false,
                        article: "002 §16".to_string(),
                        role: Role::Officer,
                    });
                    if s.pending_extension().is_some() {
                        // The issuing office's step, not its superiors' (they see the case).
                        out.push(OpenDeadline {
                            step: office_step("extension_decision", s),
                            label: "对延长整改期限的申请作出决定".to_string(),
                            due,
                            provisional: false,
                            article: "002 §16".to_string(),
                            role: Role::Office,
                        });
                    }
                }
            }
            Stage::Reported => {
                if let Some(r) = s.pending_report() {
                    let verify = rules.periods.get(VERIFY_PERIOD);
                    if let Some(Ok(d)) = verify.map(|p| rules.calendar.add(r.on, p)) {
                        out.push(OpenDeadline {
                            step: office_step("verification", s),
                            label: "核验整改完成情况".to_string(),
                            due: d.due,
                            provisional: d.provisional,
                            article: "本地设置".to_string(),
                            role: Role::Office,
                        });
                    }
                }
            }
            Stage::New | Stage::Verified => {}
        }
        out
    }

    /// A last day passing without a report is recorded once (002 §16 "在规定期限内完成"),
    /// unless an extension request awaits its decision.
    fn due_events(s: &State, ctx: &Ctx<'_>) -> Vec<Event<EventKind>> {
        match s.due {
            Some(due)
                if s.stage == Stage::Open
                    && s.pending_extension().is_none()
                    && ctx.today > due
                    && s.overdue != Some(due) =>
            {
                vec![Event {
                    on: ctx.today,
                    by: By::system(),
                    kind: EventKind::Overdue { due },
                }]
            }
            _ => Vec::new(),
        }
    }

    fn stages() -> &'static [(&'static str, &'static str)] {
        &[
            ("open", "整改中"),
            ("reported", "整改完成情况待核验"),
            ("verified", "整改完成，已核验"),
        ]
    }

    /// Passing the rectification's last day fires [`EventKind::Overdue`] (once: the step is then
    /// `rectification_overdue`).
    fn fires_event(deadline: &OpenDeadline) -> bool {
        deadline.step == "rectification"
    }

    fn intro(action: &str) -> &'static str {
        match action {
            "rectification_check_recurrence" => {
                "启动纠错整改后，系统即核查同一民警、同一单位此前的同类纠错记录并记入本案，用户和客户端不能提交。"
            }
            _ => "",
        }
    }

    fn form(action: &str) -> Option<Vec<crate::Field>> {
        // The system's step has no form (see `intro`).
        (action == "rectification_check_recurrence").then(Vec::new)
    }

    fn follow_up(s: &State, _ctx: &Ctx<'_>) -> Option<Command> {
        (s.stage != Stage::New && s.recurrence.is_none()).then_some(Command::CheckRecurrence)
    }

    fn recurrence_keys(s: &State) -> Vec<String> {
        let (a, b) = keys(s);
        a.into_iter().chain(b).collect()
    }

    fn actions(s: &State, actor: &Actor, _ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        if s.stage == Stage::New {
            return if actor.has(Role::Office) {
                action_spec("rectification_open", Role::Office)
                    .into_iter()
                    .collect()
            } else {
                Vec::new()
            };
        }
        let mut out = Vec::new();
        for (id, parties, stages) in STEPS {
            if !stages.contains(&s.stage) {
                continue;
            }
            match *id {
                "rectification_decide_extension" if s.pending_extension().is_none() => continue,
                "rectification_request_extension" if s.pending_extension().is_some() => continue,
                _ => {}
            }
            let Some(role) = parties.iter().find_map(|p| p.role_of(s, actor)) else {
                continue;
            };
            let own_case = s
                .officer
                .as_ref()
                .is_some_and(|o| o.person_id == actor.person_id);
            if own_case && role != Role::Officer {
                continue;
            }
            out.extend(action_spec(id, role));
        }
        out
    }

    fn summary(s: &State) -> Summary {
        let mut stage_zh = s.stage.zh().to_string();
        if s.stage == Stage::Open && s.overdue.is_some() {
            stage_zh.push_str("（已逾期）");
        }
        Summary {
            stage: s.stage.id().to_string(),
            stage_zh,
            org_id: s.office.as_ref().map(|o| o.id.clone()).unwrap_or_default(),
            title: match &s.officer {
                Some(o) => format!("{}：{}纠错整改", o.name, s.category.zh()),
                None => String::new(),
            },
        }
    }

    fn facts(s: &State) -> Vec<Fact> {
        let mut f = Vec::new();
        if let Some(o) = &s.officer {
            f.push(Fact::new("当事民警", o.name.clone()));
        }
        if let Some(u) = &s.unit {
            f.push(Fact::new("所在单位", u.name.clone()));
        }
        if let Some(o) = &s.office {
            f.push(Fact::new(
                "办理机关",
                if s.office_name.is_empty() {
                    lvzhi_case::Bodies::default().office_of(o)
                } else {
                    s.office_name.clone()
                },
            ));
        }
        if let Some(c) = &s.source_case {
            f.push(Fact::new("来源免责容错案件", c.clone()));
        }
        f.push(Fact::new("错误类型", s.category.zh()));
        if let Some(d) = s.occurred_on {
            f.push(Fact::new("错误发生日期", date_zh(d)));
        }
        f.push(Fact::new("纠错事由", s.cause.clone()));
        let items: Vec<String> = s
            .items
            .iter()
            .enumerate()
            .map(|(i, x)| format!("{}. {x}", i + 1))
            .collect();
        f.push(Fact::new("纠错事项", items.join("\n")));
        f.push(Fact::new("纠错要求", s.requirements.clone()));
        if !s.methods.is_empty() {
            let m: Vec<&str> = s.methods.iter().map(|m| label_of(METHODS, m)).collect();
            f.push(Fact::new("纠错方式", m.join("、")));
        }
        if let Some(due) = s.due {
            let mut v = date_zh(due);
            if s.original_due != Some(due) {
                if let Some(o) = s.original_due {
                    v.push_str(&format!("（原定{}）", date_zh(o)));
                }
            }
            if s.overdue == Some(due) && s.stage == Stage::Open {
                v.push_str("，已逾期");
            }
            f.push(Fact::new("整改期限", v));
        }
        for x in &s.extensions {
            let decision = match &x.decision {
                None => "待决定".to_string(),
                Some(d) if d.granted => format!(
                    "{}同意延长至{}（{}）",
                    date_zh(d.on),
                    d.new_due.map(date_zh).unwrap_or_default(),
                    d.reasons
                ),
                Some(d) => format!("{}不同意（{}）", date_zh(d.on), d.reasons),
            };
            f.push(Fact::new(
                "延长整改期限申请",
                format!(
                    "{}申请延长至{}，理由：{}；{decision}",
                    date_zh(x.requested_on),
                    date_zh(x.requested_due),
                    x.reasons
                ),
            ));
        }
        for v in &s.follow_ups {
            f.push(Fact::new(
                "回访",
                format!(
                    "{}（{}{}）：{}",
                    date_zh(v.on),
                    label_of(FOLLOW_UP_METHODS, &v.method),
                    by_superior(v.superior.as_ref()),
                    v.findings
                ),
            ));
        }
        for r in &s.reports {
            let result = match &r.verification {
                None => "待核验".to_string(),
                Some(v) if v.accepted => format!("{}核验通过：{}", date_zh(v.on), v.findings),
                Some(v) => format!(
                    "{}退回继续整改：{}{}",
                    date_zh(v.on),
                    v.findings,
                    v.new_due
                        .map(|d| format!("（新的整改期限{}）", date_zh(d)))
                        .unwrap_or_default()
                ),
            };
            f.push(Fact::new(
                "整改完成情况",
                format!("{}报告：{}；{result}", date_zh(r.on), r.summary),
            ));
        }
        if let Some(c) = &s.recurrence {
            f.push(Fact::new(
                "同类纠错记录核查",
                describe(&EventKind::RecurrenceChecked {
                    officer_earlier: c.officer_earlier.clone(),
                    unit_earlier: c.unit_earlier.clone(),
                }),
            ));
        }
        for r in &s.referrals {
            f.push(Fact::new(
                "问责处理",
                format!(
                    "{}（{}{}）：{}",
                    date_zh(r.on),
                    label_of(REFERRAL_GROUNDS, &r.ground),
                    by_superior(r.superior.as_ref()),
                    r.description
                ),
            ));
        }
        if let Some(r) = &s.risk_point {
            f.push(Fact::new(
                "易错风险点",
                format!(
                    "{}{}年度同一类型错误已发生{}起，已于{}发出警示提醒",
                    r.unit.name,
                    r.year,
                    r.earlier.len() + 1,
                    date_zh(r.on)
                ),
            ));
        }
        f
    }

    fn links(s: &State) -> Vec<(String, String)> {
        let mut l = Vec::new();
        if let Some(o) = &s.officer {
            l.push(("subject".to_string(), o.person_id.clone()));
        }
        if let Some(u) = &s.unit {
            l.push(("unit".to_string(), u.id.clone()));
        }
        l
    }

    fn describe(kind: &EventKind) -> String {
        describe(kind)
    }

    fn kind_id(kind: &EventKind) -> &'static str {
        kind_id(kind)
    }

    fn documents(events: &[Event<EventKind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Opened(o) => Some(o.document.clone()),
                EventKind::RiskPointRaised { document, .. } => Some(document.clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::any_ctx;
    use lvzhi_calendar::Calendar;
    use std::collections::BTreeMap;
    use std::sync::LazyLock;

    static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ctx(today: NaiveDate) -> Ctx<'static> {
        let mut c = Ctx::new(today, &CAL, crate::testing::periods(Rectification::PACK))
            .under(crate::testing::regulation(Rectification::PACK));
        c.names = BTreeMap::from([
            ("p-zhang".to_string(), "张伟".to_string()),
            ("bayan".to_string(), "巴彦浩特派出所".to_string()),
        ]);
        c.org_chain = vec![
            Org {
                id: "zuoqi".into(),
                name: "阿拉善左旗公安局".into(),
            },
            Org {
                id: "meng".into(),
                name: "阿拉善盟公安局".into(),
            },
        ];
        c
    }

    fn office() -> Actor {
        Actor::new("p-office", &[Role::Office], "zuoqi")
    }
    fn director() -> Actor {
        Actor::new("p-director", &[Role::Director], "zuoqi")
    }
    fn officer() -> Actor {
        Actor::new("p-zhang", &[Role::Officer], "bayan")
    }
    fn unit() -> Actor {
        Actor::new("p-unit", &[Role::Unit], "bayan")
    }
    fn system() -> Actor {
        Actor::new("system", &[Role::System], "zuoqi")
    }

    fn open_cmd(category: &str, occurred_on: NaiveDate, due: NaiveDate) -> Command {
        Command::OpenRectification {
            officer: "p-zhang".into(),
            unit: "bayan".into(),
            source_case: Some("A2026-000003".into()),
            category: category.into(),
            category_detail: None,
            occurred_on,
            cause: "现场处置中未全程开启执法记录仪，经认定予以容错".into(),
            items: vec!["补齐执法记录".into(), "参加执法规范化培训".into()],
            requirements: "严格落实执法全流程记录制度".into(),
            methods: vec!["reminder_talk".into()],
            due,
        }
    }

    /// Decides and applies; panics with the refusal (tests only).
    fn run(s: State, c: &Command, a: &Actor, cx: &Ctx<'_>) -> (State, Vec<Event<EventKind>>) {
        let events = decide(&s, c, a, cx).unwrap_or_else(|e| panic!("{c:?}: {e}"));
        let s = events.iter().fold(s, apply);
        (s, events)
    }

    /// An opened case, with the system's recurrence check made against `recurrence`.
    fn opened(recurrence: BTreeMap<String, Vec<String>>) -> State {
        let cx = ctx(d(2026, 3, 2));
        let (s, _) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &cx,
        );
        let cx = Ctx { recurrence, ..cx };
        let c = Rectification::follow_up(&s, &cx).expect("a check after opening");
        let (s, _) = run(s, &c, &system(), &cx);
        assert!(Rectification::follow_up(&s, &cx).is_none());
        s
    }

    #[test]
    fn s31_000_s16_002_opening_issues_the_rectification_notice() {
        let cx = ctx(d(2026, 3, 2));
        let (s, events) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &cx,
        );
        assert_eq!(s.stage, Stage::Open);
        assert_eq!(s.due, Some(d(2026, 3, 31)));
        assert_eq!(s.office.as_ref().unwrap().name, "阿拉善左旗公安局");
        let docs = Rectification::documents(&events);
        assert_eq!(docs.len(), 1);
        let n = &docs[0];
        assert_eq!(n.kind, DocumentKind::RectificationNotice);
        assert_eq!(n.title, "整改通知书");
        assert_eq!(n.addressee, "张伟同志");
        assert_eq!(n.copy_to, vec!["巴彦浩特派出所".to_string()]);
        for part in [
            "纠错事由：现场处置中未全程开启执法记录仪",
            "（一）补齐执法记录",
            "（二）参加执法规范化培训",
            "纠错要求：严格落实执法全流程记录制度",
            "请于2026年3月31日前完成整改",
            "申请适当延长整改期限",
            "同一类型错误再次发生的，将依规依纪依法问责处理",
            "约谈提醒",
            "A2026-000003",
            "阿拉善左旗公安局维护民警执法权威工作委员会办公室\n2026年3月2日",
        ] {
            assert!(n.text.contains(part), "{part} missing in {}", n.text);
        }
        assert_eq!(
            Rectification::links(&s),
            vec![
                ("subject".to_string(), "p-zhang".to_string()),
                ("unit".to_string(), "bayan".to_string())
            ]
        );
        assert_eq!(Rectification::summary(&s).org_id, "zuoqi");
    }

    /// The whole 整改通知书 of 000 §31¶2 as the shipped pack words it: the regulation in full
    /// with its short name at the first citation (it is cited again), the items numbered, the
    /// office's signature.
    #[test]
    fn issue20_s31_000_rectification_notice_in_full() {
        let (_, events) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &ctx(d(2026, 3, 2)),
        );
        let n = &Rectification::documents(&events)[0];
        assert_eq!(
            n.text,
            "张伟同志：\n\
             \u{3000}\u{3000}你于2026年2月20日在工作中出现的“执法全流程记录不到位”问题（免责容错案件A2026-000003，已认定予以容错），根据《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》（以下简称《实施细则》）第三十一条第二款关于纠错整改的规定，现通知你进行纠错整改。\n\
             \u{3000}\u{3000}一、纠错事由：现场处置中未全程开启执法记录仪，经认定予以容错\n\
             \u{3000}\u{3000}二、纠错事项：\n\u{3000}\u{3000}（一）补齐执法记录\n\u{3000}\u{3000}（二）参加执法规范化培训\n\
             \u{3000}\u{3000}三、纠错要求：严格落实执法全流程记录制度\n\
             \u{3000}\u{3000}四、整改期限：请于2026年3月31日前完成整改，并将整改情况书面报告本办。因特殊情况难以在规定期限内完成的，可以说明理由，申请适当延长整改期限。\n\
             \u{3000}\u{3000}五、本办将采取约谈提醒的方式督促整改。本办将采取回访等方式跟踪了解整改情况。对整改效果不明显，或者同一类型错误再次发生的，将依规依纪依法问责处理；对隐瞒问题、拒不整改、对抗组织的，将从严处理（《实施细则》第三十一条第二款）。\n\
             \u{3000}\u{3000}请认真分析原因、深刻汲取教训，防止类似错误再次发生。\n\
             \u{3000}\u{3000}特此通知。\n\n\
             阿拉善左旗公安局维护民警执法权威工作委员会办公室\n2026年3月2日"
        );
    }

    /// Issue 20 item 2: the notice is the governing pack's text, not the program's — a unit
    /// whose pack words the 整改通知书 otherwise issues its wording, citing its articles.
    #[test]
    fn issue20_s31_000_rectification_notice_is_the_packs_text() {
        let mut reg = crate::testing::regulation(Rectification::PACK);
        let text = lvzhi_case::notice::parse_template(
            "{officer}同志：\n\u{3000}\u{3000}依照{cite:§31¶2}，请于{due}前就“{category}”问题完成整改{?（{methods}）}。\n\n{signer}\n{date}",
        )
        .unwrap();
        reg.notices.insert(
            "rectification_notice".into(),
            lvzhi_case::notice::NoticeTemplate {
                kind: "rectification_notice".into(),
                title: lvzhi_case::notice::parse_template("纠错通知").unwrap(),
                text,
            },
        );
        let cx = ctx(d(2026, 3, 2)).under(reg);
        let (_, events) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &cx,
        );
        let n = &Rectification::documents(&events)[0];
        assert_eq!(n.title, "纠错通知");
        assert_eq!(
            n.text,
            "张伟同志：\n\u{3000}\u{3000}依照《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》第三十一条第二款，请于2026年3月31日前就“执法全流程记录不到位”问题完成整改（约谈提醒）。\n\n阿拉善左旗公安局维护民警执法权威工作委员会办公室\n2026年3月2日"
        );
    }

    #[test]
    fn s16_002_opening_needs_cause_items_requirements_and_a_future_deadline() {
        let cx = ctx(d(2026, 3, 2));
        let bad = |c: Command| decide(&State::default(), &c, &office(), &cx).unwrap_err();
        let mut c = open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31));
        if let Command::OpenRectification { items, .. } = &mut c {
            *items = vec!["  ".into()];
        }
        assert_eq!(bad(c).message, "应当明确纠错事项");
        let mut c = open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31));
        if let Command::OpenRectification { cause, .. } = &mut c {
            *cause = " ".into();
        }
        assert_eq!(bad(c).article.as_deref(), Some("002 §16"));
        let e = bad(open_cmd("recording", d(2026, 2, 20), d(2026, 3, 2)));
        assert!(e.message.starts_with("整改期限应当晚于今天"), "{e}");
        let e = bad(open_cmd("nonsense", d(2026, 2, 20), d(2026, 3, 31)));
        assert!(e.message.starts_with("错误类型“nonsense”无效"), "{e}");
        let e = bad(open_cmd("other", d(2026, 2, 20), d(2026, 3, 31)));
        assert!(e.message.contains("应当写明类型名称"), "{e}");
        let e = bad(open_cmd("recording", d(2026, 3, 3), d(2026, 3, 31)));
        assert!(e.message.contains("晚于今天"), "{e}");
    }

    #[test]
    fn s31_000_only_the_office_opens_and_never_on_itself() {
        let cx = ctx(d(2026, 3, 2));
        let c = open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31));
        for a in [officer(), unit(), director()] {
            assert!(decide(&State::default(), &c, &a, &cx).is_err());
        }
        let me = Actor::new("p-zhang", &[Role::Office], "zuoqi");
        let e = decide(&State::default(), &c, &me, &cx).unwrap_err();
        assert_eq!(e.message, "不能对本人启动纠错整改");
        // An office of an organisation the service did not resolve as the handling one.
        let elsewhere = Actor::new("p-x", &[Role::Office], "other-org");
        assert!(decide(&State::default(), &c, &elsewhere, &cx).is_err());
        assert!(Rectification::actions(&State::default(), &officer(), &any_ctx()).is_empty());
        assert_eq!(
            Rectification::actions(&State::default(), &office(), &any_ctx())[0].id,
            "rectification_open"
        );
    }

    #[test]
    fn s16_002_extension_asked_with_reasons_granted_moves_the_deadline() {
        let s = opened(BTreeMap::new());
        let cx = ctx(d(2026, 3, 20));
        let no_reasons = Command::RequestExtension {
            requested_due: d(2026, 4, 30),
            reasons: " ".into(),
        };
        let e = decide(&s, &no_reasons, &officer(), &cx).unwrap_err();
        assert_eq!(e.article.as_deref(), Some("002 §16"));
        let ask = Command::RequestExtension {
            requested_due: d(2026, 4, 30),
            reasons: "培训班4月中旬才开班".into(),
        };
        // Only the officer or their unit asks.
        assert!(decide(&s, &ask, &office(), &cx).is_err());
        let (s, _) = run(s, &ask, &officer(), &cx);
        assert!(s.pending_extension().is_some());
        // The office must decide by the current last day; no second request meanwhile.
        let dl = Rectification::deadlines(&s, &any_ctx().rules());
        assert!(dl
            .iter()
            .any(|x| x.step == "extension_decision@zuoqi" && x.due == d(2026, 3, 31)));
        assert!(decide(&s, &ask, &unit(), &cx).is_err());
        // The officer cannot decide their own request.
        let grant = Command::DecideExtension {
            granted: true,
            new_due: None,
            reasons: "理由属实".into(),
        };
        assert!(decide(&s, &grant, &officer(), &cx).is_err());
        let (s, _) = run(s, &grant, &director(), &cx);
        assert_eq!(s.due, Some(d(2026, 4, 30)));
        assert_eq!(s.original_due, Some(d(2026, 3, 31)));
        let x = &s.extensions[0];
        assert!(x.decision.as_ref().unwrap().granted);
        assert_eq!(x.decision.as_ref().unwrap().by.role, Role::Director);
        let facts = Rectification::facts(&s);
        assert!(facts
            .iter()
            .any(|f| f.label == "整改期限" && f.value.contains("原定2026年3月31日")));
    }

    #[test]
    fn s16_002_a_refused_extension_is_recorded_and_the_deadline_stands() {
        let s = opened(BTreeMap::new());
        let cx = ctx(d(2026, 3, 20));
        let ask = Command::RequestExtension {
            requested_due: d(2026, 4, 30),
            reasons: "工作繁忙".into(),
        };
        let (s, _) = run(s, &ask, &unit(), &cx);
        let refuse = Command::DecideExtension {
            granted: false,
            new_due: None,
            reasons: "不属于特殊情况".into(),
        };
        let (s, events) = run(s, &refuse, &office(), &cx);
        assert_eq!(s.due, Some(d(2026, 3, 31)));
        assert_eq!(
            Rectification::describe(&events[0].kind),
            "不同意延长整改期限。理由：不属于特殊情况"
        );
        // A later request may follow.
        assert!(decide(&s, &ask, &officer(), &cx).is_ok());
    }

    #[test]
    fn s16_002_a_passed_deadline_is_recorded_once_unless_a_request_awaits() {
        let s = opened(BTreeMap::new());
        assert!(Rectification::due_events(&s, &ctx(d(2026, 3, 31))).is_empty());
        let late = ctx(d(2026, 4, 1));
        let due = Rectification::due_events(&s, &late);
        assert_eq!(
            due[0].kind,
            EventKind::Overdue {
                due: d(2026, 3, 31)
            }
        );
        let s2 = due.iter().fold(s.clone(), apply);
        assert!(Rectification::due_events(&s2, &late).is_empty());
        assert_eq!(Rectification::summary(&s2).stage_zh, "整改中（已逾期）");
        // The scheduler claims the step that fires, and only until its passing is recorded.
        let firing = |s: &State| -> Vec<(String, bool)> {
            Rectification::deadlines(s, &any_ctx().rules())
                .into_iter()
                .map(|x| {
                    let f = Rectification::fires_event(&x);
                    (x.step, f)
                })
                .collect()
        };
        assert_eq!(firing(&s), [("rectification".to_string(), true)]);
        assert_eq!(firing(&s2), [("rectification_overdue".to_string(), false)]);
        // Asked before the last day: not overdue while the office decides.
        let ask = Command::RequestExtension {
            requested_due: d(2026, 4, 30),
            reasons: "需等待上级批复".into(),
        };
        let (s3, _) = run(s, &ask, &officer(), &ctx(d(2026, 3, 30)));
        assert!(Rectification::due_events(&s3, &late).is_empty());
        assert!(firing(&s3).contains(&("rectification_awaiting_extension".to_string(), false)));
        assert!(!firing(&s3).iter().any(|(_, f)| *f));
        // An overdue officer may still ask; a grant clears the overdue mark.
        let (s4, _) = run(s2, &ask, &officer(), &late);
        let grant = Command::DecideExtension {
            granted: true,
            new_due: Some(d(2026, 4, 20)),
            reasons: "情况属实".into(),
        };
        let (s4, _) = run(s4, &grant, &office(), &late);
        assert_eq!(s4.overdue, None);
        assert_eq!(s4.due, Some(d(2026, 4, 20)));
    }

    #[test]
    fn s31_000_s17_002_follow_ups_then_completion_verified_or_sent_back() {
        let s = opened(BTreeMap::new());
        let cx = ctx(d(2026, 3, 10));
        let visit = Command::RecordFollowUp {
            method: "visit".into(),
            findings: "已补齐执法记录，培训尚未开始".into(),
        };
        assert!(decide(&s, &visit, &officer(), &cx).is_err());
        let (s, _) = run(s, &visit, &unit(), &cx);
        let report = Command::ReportCompletion {
            summary: "两项均已完成".into(),
        };
        let (s, _) = run(s, &report, &officer(), &ctx(d(2026, 3, 25)));
        assert_eq!(s.stage, Stage::Reported);
        // Verification due within the locally set period: 10 working days after 2026-03-25.
        let dl = Rectification::deadlines(&s, &any_ctx().rules());
        assert_eq!(dl[0].step, "verification@zuoqi");
        assert_eq!(dl[0].due, d(2026, 4, 9));
        assert_eq!(dl[0].article, "本地设置");
        let back = Command::ReturnRectification {
            reasons: "培训结业证明未附".into(),
            new_due: d(2026, 4, 15),
        };
        let (s, _) = run(s, &back, &office(), &ctx(d(2026, 3, 27)));
        assert_eq!(s.stage, Stage::Open);
        assert_eq!(s.due, Some(d(2026, 4, 15)));
        let (s, _) = run(s, &report, &officer(), &ctx(d(2026, 4, 10)));
        let verify = Command::VerifyCompletion {
            findings: "经核验，整改到位".into(),
        };
        assert!(decide(&s, &verify, &unit(), &ctx(d(2026, 4, 13))).is_err());
        let (s, _) = run(s, &verify, &office(), &ctx(d(2026, 4, 13)));
        assert_eq!(s.stage, Stage::Verified);
        assert!(Rectification::deadlines(&s, &any_ctx().rules()).is_empty());
        // Follow-up continues after completion (跟踪管理).
        let (s, _) = run(s, &visit, &office(), &ctx(d(2026, 6, 1)));
        assert_eq!(s.follow_ups.len(), 2);
        assert_eq!(s.reports.len(), 2);
        assert!(!s.reports[0].verification.as_ref().unwrap().accepted);
        assert!(s.reports[1].verification.as_ref().unwrap().accepted);
    }

    #[test]
    fn s31_000_no_earlier_case_is_recorded_as_checked_and_not_flagged() {
        let s = opened(BTreeMap::new());
        let c = s.recurrence.as_ref().unwrap();
        assert!(c.officer_earlier.is_empty() && c.unit_earlier.is_empty());
        assert!(!s.flagged());
        assert!(s.risk_point.is_none());
        assert_eq!(
            Rectification::recurrence_keys(&s),
            vec![
                "officer:p-zhang|category:recording".to_string(),
                "unit:bayan|category:recording|year:2026".to_string()
            ]
        );
    }

    #[test]
    fn s31_000_the_same_officer_repeating_the_same_category_is_flagged_for_accountability() {
        let mut r = BTreeMap::new();
        r.insert(
            "officer:p-zhang|category:recording".to_string(),
            vec!["J2025-000004".to_string()],
        );
        let s = opened(r);
        assert!(s.flagged());
        let f = &s.referrals[0];
        assert_eq!(f.ground, "recurrence");
        assert_eq!(f.by, By::system());
        assert_eq!(f.earlier, vec!["J2025-000004".to_string()]);
        assert!(f.description.contains("同一类型错误再次发生"));
        assert!(f.description.contains("第三十一条第二款"));
        // The office cannot invent a recurrence; it refers on the other grounds.
        let cx = ctx(d(2026, 3, 10));
        let fake = Command::ReferAccountability {
            ground: "recurrence".into(),
            description: "x".into(),
        };
        assert!(decide(&s, &fake, &office(), &cx).is_err());
        let ineffective = Command::ReferAccountability {
            ground: "ineffective".into(),
            description: "回访发现仍未全程记录".into(),
        };
        let (s, _) = run(s, &ineffective, &office(), &cx);
        assert_eq!(s.referrals.len(), 2);
    }

    #[test]
    fn s17_002_two_earlier_cases_of_a_unit_in_the_year_raise_a_risk_point_with_a_warning() {
        let key = "unit:bayan|category:recording|year:2026".to_string();
        // One earlier case: below the local threshold.
        let s = opened(BTreeMap::from([(key.clone(), vec!["J2026-000001".into()])]));
        assert!(s.risk_point.is_none());
        assert_eq!(s.documents.len(), 1);
        // Two earlier cases: the third raises the risk point.
        let earlier = vec!["J2026-000001".to_string(), "J2026-000002".to_string()];
        let s = opened(BTreeMap::from([(key, earlier.clone())]));
        let r = s.risk_point.as_ref().unwrap();
        assert_eq!(r.unit.id, "bayan");
        assert_eq!(r.year, 2026);
        assert_eq!(r.earlier, earlier);
        let w = &s.documents[1];
        assert_eq!(w.kind, DocumentKind::RiskWarning);
        assert_eq!(w.addressee, "巴彦浩特派出所");
        for part in [
            "2026年度，你单位已有3起“执法全流程记录不到位”类工作失误",
            "J2026-000001、J2026-000002",
            "已列为易错风险点",
            "第三十二条",
            "教育提醒和实战培训",
        ] {
            assert!(w.text.contains(part), "{part} missing in {}", w.text);
        }
        // Not about the officer: no accountability flag from the unit's count alone.
        assert!(!s.flagged());
    }

    #[test]
    fn s17_002_a_unit_counts_the_year_of_the_mistake() {
        let cx = ctx(d(2027, 1, 5));
        let (s, _) = run(
            State::default(),
            &open_cmd("recording", d(2026, 12, 28), d(2027, 2, 26)),
            &office(),
            &cx,
        );
        assert!(Rectification::recurrence_keys(&s)
            .contains(&"unit:bayan|category:recording|year:2026".to_string()));
    }

    #[test]
    fn s31_000_other_categories_recur_by_their_name() {
        let cx = ctx(d(2026, 3, 2));
        let mut c = open_cmd("other", d(2026, 2, 20), d(2026, 3, 31));
        if let Command::OpenRectification {
            category_detail, ..
        } = &mut c
        {
            *category_detail = Some(" 涉案财物 登记遗漏 ".into());
        }
        let (s, _) = run(State::default(), &c, &office(), &cx);
        assert_eq!(s.category.zh(), "其他（涉案财物 登记遗漏）");
        assert_eq!(
            Rectification::recurrence_keys(&s)[0],
            "officer:p-zhang|category:other/涉案财物登记遗漏"
        );
    }

    fn meng_office() -> Actor {
        Actor::new("p-meng-office", &[Role::Office], "meng")
    }

    fn ids(specs: Vec<ActionSpec>) -> Vec<String> {
        specs.into_iter().map(|a| a.id).collect()
    }

    #[test]
    fn s31_000_s17_002_the_office_above_follows_up_and_refers_but_does_not_decide() {
        let s = opened(BTreeMap::new());
        assert_eq!(s.superiors.len(), 1);
        assert_eq!(s.superiors[0].id, "meng");
        let above = meng_office();
        // What the pages offer it: the two steps of 各级公安机关 (000 §31 ¶2), nothing else.
        assert_eq!(
            ids(Rectification::actions(&s, &above, &any_ctx())),
            [
                "rectification_record_follow_up",
                "rectification_refer_accountability"
            ]
        );
        // Another banner's office is no superior: nothing.
        let far = Actor::new("p-far", &[Role::Office], "ejina");
        assert!(Rectification::actions(&s, &far, &any_ctx()).is_empty());
        let cx = ctx(d(2026, 3, 10));
        let visit = Command::RecordFollowUp {
            method: "visit".into(),
            findings: "盟局维权办实地回访，执法记录已补齐".into(),
        };
        assert!(decide(&s, &visit, &far, &cx).is_err());
        let (s, events) = run(s, &visit, &above, &cx);
        assert_eq!(events[0].by.role, Role::Office);
        assert_eq!(events[0].by.person_id, "p-meng-office");
        let f = &s.follow_ups[0];
        assert_eq!(f.superior.as_ref().map(|o| o.id.as_str()), Some("meng"));
        assert_eq!(
            describe(&events[0].kind),
            "回访（实地回访，阿拉善盟公安局维权办）：盟局维权办实地回访，执法记录已补齐"
        );
        // The handling office's own visit names no superior.
        let (s, events) = run(s, &visit, &office(), &cx);
        assert!(matches!(
            &events[0].kind,
            EventKind::FollowUpRecorded { superior: None, .. }
        ));
        // The extension is the issuing office's to decide (002 §16), and its inbox step only.
        let ask = Command::RequestExtension {
            requested_due: d(2026, 4, 30),
            reasons: "培训班四月开班".into(),
        };
        let (s, _) = run(s, &ask, &officer(), &cx);
        assert!(Rectification::deadlines(&s, &any_ctx().rules())
            .iter()
            .any(|x| x.step == "extension_decision@zuoqi"));
        let grant = Command::DecideExtension {
            granted: true,
            new_due: None,
            reasons: "确有特殊情况".into(),
        };
        let err = decide(&s, &grant, &above, &cx).unwrap_err();
        assert_eq!(err.article.as_deref(), Some("002 §16"));
        assert!(err.message.contains("发出整改通知书的"), "{}", err.message);
        assert!(
            err.message.contains("上级机关维权办可以记录回访"),
            "{}",
            err.message
        );
        let (s, _) = run(s, &grant, &office(), &cx);
        // Verification and sending back too (002 §16–17: reported to the office that ordered it).
        let report = Command::ReportCompletion {
            summary: "两项均已完成".into(),
        };
        let (s, _) = run(s, &report, &officer(), &ctx(d(2026, 4, 20)));
        assert_eq!(
            ids(Rectification::actions(&s, &above, &any_ctx())),
            [
                "rectification_record_follow_up",
                "rectification_refer_accountability"
            ]
        );
        let verify = Command::VerifyCompletion {
            findings: "整改到位".into(),
        };
        let back = Command::ReturnRectification {
            reasons: "未附培训证明".into(),
            new_due: d(2026, 5, 15),
        };
        let cx = ctx(d(2026, 4, 22));
        assert_eq!(
            decide(&s, &verify, &above, &cx)
                .unwrap_err()
                .article
                .as_deref(),
            Some("002 §17")
        );
        assert!(decide(&s, &back, &above, &cx).is_err());
        // It refers what its follow-up found (000 §31 ¶2 "隐瞒问题 … 从严处理").
        let refer = Command::ReferAccountability {
            ground: "concealment".into(),
            description: "回访发现培训记录系事后补签".into(),
        };
        let (s, events) = run(s, &refer, &above, &cx);
        assert!(s.flagged());
        assert_eq!(
            s.referrals[0].superior.as_ref().map(|o| o.name.as_str()),
            Some("阿拉善盟公安局")
        );
        assert!(describe(&events[0].kind).contains("隐瞒问题，阿拉善盟公安局维权办"));
        let (s, _) = run(s, &verify, &office(), &cx);
        assert_eq!(s.stage, Stage::Verified);
        // After completion it still follows up (跟踪管理).
        let (s, _) = run(s, &visit, &above, &ctx(d(2026, 6, 1)));
        assert_eq!(s.follow_ups.len(), 3);
    }

    #[test]
    fn s16_002_an_office_above_that_orders_a_rectification_is_its_office_and_verifies_it() {
        // 阿拉善盟 orders the rectification of an officer of a 旗's 派出所: it opens the case, so
        // the officer reports to it and it verifies; the 旗's office below is not in its chain.
        let mut cx = ctx(d(2026, 3, 2));
        cx.org_chain = vec![
            Org {
                id: "meng".into(),
                name: "阿拉善盟公安局".into(),
            },
            Org {
                id: "nmg".into(),
                name: "内蒙古自治区公安厅".into(),
            },
        ];
        let (s, _) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &meng_office(),
            &cx,
        );
        assert_eq!(s.office.as_ref().map(|o| o.id.as_str()), Some("meng"));
        assert_eq!(s.superiors.len(), 1);
        assert_eq!(s.superiors[0].id, "nmg");
        let (s, _) = run(
            s,
            &Command::ReportCompletion {
                summary: "已完成".into(),
            },
            &officer(),
            &ctx(d(2026, 3, 20)),
        );
        let verify = Command::VerifyCompletion {
            findings: "整改到位".into(),
        };
        let cx = ctx(d(2026, 3, 23));
        assert!(decide(&s, &verify, &office(), &cx).is_err(), "the 旗 below");
        assert!(Rectification::actions(&s, &office(), &any_ctx()).is_empty());
        let (s, events) = run(s, &verify, &meng_office(), &cx);
        assert_eq!(s.stage, Stage::Verified);
        assert_eq!(events[0].by.person_id, "p-meng-office");
    }

    #[test]
    fn an_opening_recorded_without_its_superiors_replays_and_only_its_office_acts() {
        // Cases opened before the chain was recorded: the opening's JSON has no `superiors`.
        let cx = ctx(d(2026, 3, 2));
        let events = decide(
            &State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &cx,
        )
        .unwrap();
        let mut json = serde_json::to_value(&events[0].kind).unwrap();
        assert!(json.get("superiors").is_some());
        json.as_object_mut().unwrap().remove("superiors");
        let kind: EventKind = serde_json::from_value(json).unwrap();
        let s = apply(
            State::default(),
            &Event {
                on: events[0].on,
                by: events[0].by.clone(),
                kind,
            },
        );
        assert!(s.superiors.is_empty());
        assert!(Rectification::actions(&s, &meng_office(), &any_ctx()).is_empty());
        let visit = Command::RecordFollowUp {
            method: "phone".into(),
            findings: "电话回访".into(),
        };
        assert!(decide(&s, &visit, &meng_office(), &cx).is_err());
        assert!(decide(&s, &visit, &office(), &cx).is_ok());
        // A follow-up recorded before `superior` existed reads as the office's own.
        let old: EventKind = serde_json::from_value(serde_json::json!({
            "type": "follow_up_recorded", "method": "visit", "findings": "已回访"
        }))
        .unwrap();
        assert_eq!(describe(&old), "回访（实地回访）：已回访");
    }

    #[test]
    fn s31_000_the_recurrence_check_is_the_systems_and_made_once() {
        let cx = ctx(d(2026, 3, 2));
        let (s, _) = run(
            State::default(),
            &open_cmd("recording", d(2026, 2, 20), d(2026, 3, 31)),
            &office(),
            &cx,
        );
        assert!(decide(&s, &Command::CheckRecurrence, &office(), &cx).is_err());
        let (s, _) = run(s, &Command::CheckRecurrence, &system(), &cx);
        assert!(decide(&s, &Command::CheckRecurrence, &system(), &cx).is_err());
    }

    #[test]
    fn commands_read_and_write_their_action_ids() {
        for (id, _) in ACTIONS {
            assert!(id.starts_with("rectification_"), "{id}");
        }
        let c: Command = serde_json::from_value(serde_json::json!({
            "action": "rectification_report_completion", "summary": "完成"
        }))
        .unwrap();
        assert_eq!(
            Rectification::action_id(&c),
            "rectification_report_completion"
        );
        let v = serde_json::to_value(Command::CheckRecurrence).unwrap();
        assert_eq!(v["action"], "rectification_check_recurrence");
        // Every offered form names a command field the command reads.
        let s = opened(BTreeMap::new());
        for a in [office(), officer(), unit(), director()] {
            for spec in Rectification::actions(&s, &a, &any_ctx()) {
                assert!(ACTIONS.iter().any(|(id, _)| *id == spec.id));
            }
        }
    }

    /// Verification (a local setting) is the one period a rectification reads, and the one it
    /// declares (`Process::PERIODS`, what `lvzhi policy coverage` counts as a period in use).
    #[test]
    fn reads_exactly_the_periods_it_declares() {
        let periods = crate::testing::recording(Rectification::PACK);
        let s = opened(BTreeMap::new());
        let cx = Ctx {
            periods: &periods,
            ..ctx(d(2026, 3, 25))
        };
        let report = Command::ReportCompletion {
            summary: "两项均已完成".into(),
        };
        let (s, _) = run(s, &report, &officer(), &cx);
        let dl = Rectification::deadlines(&s, &cx.rules());
        assert_eq!(dl[0].step, "verification@zuoqi");
        let _ = Rectification::due_events(&s, &cx);
        crate::testing::assert_reads_declared::<Rectification>(&periods);
    }
}
