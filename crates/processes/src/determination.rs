//! 容错免责认定 (determination): the procedure by which a body decides whether an officer's
//! mistake is tolerated, built once for every body whose regulation provides one — 002 §13 (兴安盟
//! 国防动员办公室: the 办党组 decides) and 003 §13 (福建 prisons: the 民警依法履职保护委员会 of the
//! prison decides, and files the determination with the 省局's committee).
//!
//! # Steps exist only where the governing pack provides them
//!
//! Each step is a `[[procedure]]` of the governing pack (`ctx.regulation`); an action is offered
//! and accepted only where the pack has its procedure. Every notice is the governing pack's text
//! (`[[notice]]` `determination_notice`, `determination_reply`, `determination_review_reply`,
//! `determination_filing`: issue 20 item 2), filled with the record's values and the bodies of
//! the pack's `[bodies]`; the pack's text cites its articles:
//!
//! | action | procedure | 002 §13 | 003 §13 |
//! | --- | --- | --- | --- |
//! | `determination_start` (the office, on the committee's decision) | `determination_start` | 党组启动 | — |
//! | `determination_early_involvement` (the office) | `determination_early_involvement` | — | 提前介入 |
//! | `determination_apply` / `_request` (the officer) | `determination_application` | 个人申请 | 当事人申请 |
//! | `determination_apply` / `_request` (the unit) | `determination_unit_application` | — | 单位申请 |
//! | `determination_investigate` (the office) | `determination_investigation` | 单位调查核实 | 调查核实 |
//! | `determination_conclude` (the committee's head or deputy) | `determination_conclusion` | 办党组认定结论 | 评审认定 |
//! | `determination_notify` (the office) | `determination_notification` | 7日内告知 | — |
//! | `determination_publish` (the office) | `determination_publication` | 一定范围内公开 | — |
//! | `determination_reply` (the office) | `determination_reply` | — | 回复反馈 |
//! | `determination_request_review` (the officer), `_answer_review` (the committee) | `determination_review` | — | 复议申述 |
//! | `determination_file` (the office), `_acknowledge_filing` (the office above) | `determination_filing` | — | 情况备案 |
//!
//! # Interpretations (where the seeds leave a choice)
//!
//! - **The conclusion rests on the pack's own rules.** The committee chooses the articles it
//!   relies on among the governing pack's decision rules that excuse or bar (002 §9–§12, 003 §6,
//!   §7, §11: [`Regulation::grounds`]). 容错 needs at least one excuse and no bar, and a
//!   treatment (免除、减轻、从轻) one of the chosen excuses allows; a bar (002 §12 不予容错, 003
//!   §11 从严) always wins, so 容错 is refused while one is chosen. 不予容错 may rest on bars, or
//!   on nothing chosen (no excuse applies), never on excuses alone.
//! - **002's 7 日** run from the day the conclusion is made (pack period `notification`); the
//!   written notice is addressed to the officer and copied to the units told with them. 002 §14
//!   (予以容错的，不作为执法错误认定) is said in the notice where the pack carries that procedure.
//! - **Publication** (002 §13 "一般应在一定范围内公开") follows the notification of a 容错; a
//!   decision not to publish is recorded with its reason.
//! - **003's early involvement** is the office's, before any application; the determination
//!   itself starts with the officer's or the unit's application (当事人或单位主动申请).
//! - **003 sets no period** for any step, and none is invented here: its steps have no deadlines.
//! - **情况备案** goes to the committee of the organisation directly above the handling one in the
//!   directory (the prison's 省局), recorded at opening; a case handled at the top level files
//!   nowhere. A 复议申述 may be brought after the reply and before the filing.

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::{
    notices, ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    Ground, OpenDeadline, Org, ProcedureStep, Process, ProcessError, Regulation, Role, Rules,
    Summary,
};

/// The pack's period from the conclusion to the written notice (002 §13: 7日).
pub const NOTIFICATION_PERIOD: &str = "notification";

/// The governing pack's `[[procedure]]`s this process carries out, one per step.
pub const START: &str = "determination_start";
pub const EARLY_INVOLVEMENT: &str = "determination_early_involvement";
pub const APPLICATION: &str = "determination_application";
pub const UNIT_APPLICATION: &str = "determination_unit_application";
pub const INVESTIGATION: &str = "determination_investigation";
pub const CONCLUSION: &str = "determination_conclusion";
pub const NOTIFICATION: &str = "determination_notification";
pub const PUBLICATION: &str = "determination_publication";
pub const REPLY: &str = "determination_reply";
pub const REVIEW: &str = "determination_review";
pub const FILING: &str = "determination_filing";
/// 002 §14: 予以容错的，不作为执法错误认定 (said in the notice where the pack has it).
pub const TOLERANCE_EFFECT: &str = "tolerance_effect";
/// The pack's procedure for weighing the nature of the responsibility (003 §5: 看动机、看程序、
/// 看政策、看后果): a conclusion under a pack that has it must say each of the four.
pub const ASSESSMENT: &str = "assessment";

/// Every action of the process, with its Chinese label.
pub const ACTIONS: [(&str, &str); 13] = [
    ("determination_start", "启动认定"),
    ("determination_early_involvement", "提前介入"),
    ("determination_apply", "提出容错认定申请"),
    ("determination_request", "提出容错认定申请"),
    ("determination_investigate", "调查核实"),
    ("determination_conclude", "作出认定结论"),
    ("determination_notify", "书面告知认定结论"),
    ("determination_publish", "记录公开情况"),
    ("determination_reply", "书面回复反馈"),
    ("determination_request_review", "提出复议申述"),
    ("determination_answer_review", "答复复议申述"),
    ("determination_file", "报上一级备案"),
    ("determination_acknowledge_filing", "确认收到备案"),
];

/// The process (a unit struct; see [`Process`]).
pub struct ToleranceDetermination;

/// 认定责任性质 by the four looks of 003 §5: 看动机 (客观条件 or 主观故意), 看程序 (科学民主决策、
/// 调研论证、风险评估), 看政策 (国家改革方向, 党纪国法明令禁止, 制度规定明确要求), 看后果 (有无
/// 不可挽回的损失). Empty under a pack without the `assessment` procedure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weighing {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub motive: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub process: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub policy: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consequence: String,
}

impl Weighing {
    /// The four looks with their names, in the article's order.
    pub fn looks(&self) -> [(&'static str, &str); 4] {
        [
            ("看动机", self.motive.as_str()),
            ("看程序", self.process.as_str()),
            ("看政策", self.policy.as_str()),
            ("看后果", self.consequence.as_str()),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.looks().iter().all(|(_, v)| v.trim().is_empty())
    }

    fn trimmed(&self) -> Weighing {
        Weighing {
            motive: self.motive.trim().to_string(),
            process: self.process.trim().to_string(),
            policy: self.policy.trim().to_string(),
            consequence: self.consequence.trim().to_string(),
        }
    }
}

/// The conclusion: 容错 or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 予以容错.
    Tolerated,
    /// 不予容错.
    NotTolerated,
}

impl Verdict {
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Tolerated => "予以容错",
            Verdict::NotTolerated => "不予容错",
        }
    }
}

/// How a tolerated mistake is treated (the packs' leniency: `waived`, `reduced`, `lighter`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Treatment {
    /// 免除责任.
    Waived,
    /// 减轻处理.
    Reduced,
    /// 从轻处理.
    Lighter,
}

impl Treatment {
    pub const ALL: &'static [Treatment] = <Treatment as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Treatment::Waived => "免除责任",
            Treatment::Reduced => "减轻处理",
            Treatment::Lighter => "从轻处理",
        }
    }
}

/// How a publication is made.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Means {
    /// 通报.
    Circular,
    /// 会议通报.
    Meeting,
    /// 内部网站或者公告栏公布.
    Posting,
}

impl Means {
    pub const ALL: &'static [Means] = <Means as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Means::Circular => "书面通报",
            Means::Meeting => "会议通报",
            Means::Posting => "内部网站或者公告栏公布",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// 办党组启动认定 (002 §13), recorded by the office.
    DeterminationStart {
        officer: String,
        unit: String,
        org: String,
        matter: String,
        occurred_on: NaiveDate,
        reasons: String,
    },
    /// 提前介入 (003 §13), by the office.
    DeterminationEarlyInvolvement {
        officer: String,
        unit: String,
        org: String,
        matter: String,
        occurred_on: NaiveDate,
        measures: String,
    },
    /// An application that opens the case: by the officer for themself, or by their unit.
    DeterminationApply {
        officer: String,
        unit: String,
        org: String,
        matter: String,
        occurred_on: NaiveDate,
        reasons: String,
    },
    /// The application after an early involvement (003 §13).
    DeterminationRequest {
        reasons: String,
    },
    DeterminationInvestigate {
        findings: String,
    },
    DeterminationConclude {
        verdict: Verdict,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        treatment: Option<Treatment>,
        #[serde(default)]
        grounds: Vec<String>,
        analysis: String,
        /// 003 §5's four looks, required under a pack with the `assessment` procedure.
        #[serde(flatten)]
        weighing: Weighing,
    },
    DeterminationNotify {
        #[serde(default)]
        units: Vec<String>,
    },
    DeterminationPublish {
        published: bool,
        #[serde(default)]
        scope: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        means: Option<Means>,
        #[serde(default)]
        reason: String,
    },
    DeterminationReply {
        #[serde(default)]
        explanation: String,
    },
    DeterminationRequestReview {
        reasons: String,
    },
    DeterminationAnswerReview {
        maintained: bool,
        reasons: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        verdict: Option<Verdict>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        treatment: Option<Treatment>,
        #[serde(default)]
        grounds: Vec<String>,
    },
    DeterminationFile {
        #[serde(default)]
        note: String,
    },
    DeterminationAcknowledgeFiling {
        #[serde(default)]
        note: String,
    },
}

/// How the case was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Opened {
    /// 党组启动 (002 §13).
    Started,
    /// 提前介入 (003 §13).
    EarlyInvolvement,
    /// 当事人申请.
    Application,
    /// 单位申请 (003 §13).
    UnitApplication,
}

/// The officer as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub person_id: String,
    pub name: String,
}

/// What the opening recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub how: Opened,
    pub officer: Officer,
    pub unit: Org,
    /// The organisation whose committee decides.
    pub org: Org,
    pub matter: String,
    pub occurred_on: NaiveDate,
    /// The reasons for starting or applying, or the measures of an early involvement.
    pub text: String,
}

/// An application made after an early involvement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub on: NaiveDate,
    pub by_unit: bool,
    pub reasons: String,
}

/// A conclusion as recorded: the verdict, the treatment, the pack's rules relied on (as they
/// read then), the analysis and the committee that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusion {
    pub on: NaiveDate,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<Treatment>,
    #[serde(default)]
    pub grounds: Vec<Ground>,
    pub analysis: String,
    /// 003 §5's four looks (empty under a pack without them).
    #[serde(default, skip_serializing_if = "Weighing::is_empty")]
    pub weighing: Weighing,
    /// The pack whose rules the grounds are (`002`), for citations in the facts.
    pub pack: String,
    /// The committee, as the pack named it (中共兴安盟国防动员办公室党组).
    pub committee: String,
}

impl Conclusion {
    /// "予以容错，免除责任" / "不予容错".
    pub fn zh(&self) -> String {
        match (self.verdict, self.treatment) {
            (Verdict::Tolerated, Some(t)) => format!("予以容错，{}", t.zh()),
            (v, _) => v.zh().to_string(),
        }
    }

    /// "002 §10(五)、002 §12" (empty when none was chosen).
    pub fn grounds_cited(&self) -> String {
        self.grounds
            .iter()
            .map(|g| format!("{} {}", self.pack, g.article))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A deadline as recorded when it started running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub due: NaiveDate,
    pub provisional: bool,
    /// The article that sets the period (`002 §13`).
    pub article: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub on: NaiveDate,
    pub published: bool,
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub means: Option<Means>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub requested_on: NaiveDate,
    pub reasons: String,
    /// (day, maintained, reasons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<(NaiveDate, bool, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Opened {
        opening: Opening,
        /// The organisation directly above the handling one (where 003 files).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        above: Option<Org>,
    },
    Applied {
        application: Application,
    },
    Investigated {
        findings: String,
    },
    Concluded {
        conclusion: Conclusion,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notify_due: Option<Due>,
    },
    Notified {
        units: Vec<String>,
        document: Document,
    },
    Published {
        publication: Publication,
    },
    Replied {
        document: Document,
    },
    ReviewRequested {
        reasons: String,
    },
    ReviewAnswered {
        maintained: bool,
        reasons: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revised: Option<Conclusion>,
        document: Document,
    },
    Filed {
        with: Org,
        document: Document,
    },
    FilingAcknowledged {
        note: String,
    },
}

/// Where a case stands (derived from what is recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    New,
    EarlyInvolvement,
    Investigating,
    Investigated,
    Decided,
    Notified,
    Replied,
    ReviewRequested,
    ReviewAnswered,
    Filed,
    Closed,
}

const STAGES: &[(&str, &str)] = &[
    ("early_involvement", "已提前介入，待申请"),
    ("investigating", "待调查核实"),
    ("investigated", "已调查核实，待认定"),
    ("decided", "已作出认定结论"),
    ("notified", "已告知，待公开"),
    ("replied", "已回复反馈"),
    ("review_requested", "复议申述待答复"),
    ("review_answered", "复议申述已答复"),
    ("filed", "已报备案，待确认"),
    ("closed", "已办结"),
];

impl Stage {
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        STAGES
            .iter()
            .find(|(id, _)| *id == self.id())
            .map(|(_, zh)| *zh)
            .unwrap_or("尚未启动")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub opening: Option<Opening>,
    pub opened_on: Option<NaiveDate>,
    pub above: Option<Org>,
    pub application: Option<Application>,
    pub investigation: Option<(NaiveDate, String)>,
    /// The conclusion in force (a 复议 that changes it replaces it).
    pub conclusion: Option<Conclusion>,
    pub notify_due: Option<Due>,
    pub notified: Option<(NaiveDate, Vec<String>)>,
    pub publication: Option<Publication>,
    pub replied: Option<NaiveDate>,
    pub review: Option<Review>,
    /// (day, the organisation filed with).
    pub filed: Option<(NaiveDate, Org)>,
    pub acknowledged: Option<(NaiveDate, String)>,
    pub version: u64,
}

impl State {
    pub fn stage(&self) -> Stage {
        let Some(o) = &self.opening else {
            return Stage::New;
        };
        if self.acknowledged.is_some() {
            return Stage::Closed;
        }
        if self.filed.is_some() {
            return Stage::Filed;
        }
        if let Some(r) = &self.review {
            return if r.answer.is_some() {
                Stage::ReviewAnswered
            } else {
                Stage::ReviewRequested
            };
        }
        if self.replied.is_some() {
            return Stage::Replied;
        }
        if let Some(c) = &self.conclusion {
            if self.notified.is_some() {
                return if c.verdict == Verdict::Tolerated && self.publication.is_none() {
                    Stage::Notified
                } else {
                    Stage::Closed
                };
            }
            return Stage::Decided;
        }
        if self.investigation.is_some() {
            return Stage::Investigated;
        }
        if o.how == Opened::EarlyInvolvement && self.application.is_none() {
            return Stage::EarlyInvolvement;
        }
        Stage::Investigating
    }

    /// Whether the determination has begun (started, or applied for).
    fn begun(&self) -> bool {
        self.opening
            .as_ref()
            .is_some_and(|o| o.how != Opened::EarlyInvolvement || self.application.is_some())
    }

    fn review_pending(&self) -> bool {
        self.review.as_ref().is_some_and(|r| r.answer.is_none())
    }
}

// ---- helpers ----

fn nonempty(what: &str, s: &str) -> Result<String, ProcessError> {
    let t = s.trim();
    if t.is_empty() {
        Err(ProcessError::new(format!("{what}不能为空")))
    } else {
        Ok(t.to_string())
    }
}

/// The text as a sentence: ends with 。 unless it ends with a closing mark already.
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['。', '！', '？', '”', '）']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// The step `step` of the governing pack, or why it cannot be done (cited by the pack's id).
fn need<'r>(ctx: &'r Ctx<'_>, step: &str, what: &str) -> Result<&'r Regulation, ProcessError> {
    let reg = ctx.regulation()?;
    reg.step(step, what)?;
    Ok(reg)
}

fn by(actor: &Actor, role: Role) -> By {
    By {
        person_id: actor.person_id.clone(),
        role,
    }
}

fn event(on: NaiveDate, by: By, kind: Kind) -> Event<Kind> {
    Event { on, by, kind }
}

fn spec(reg: &Regulation, step: &str, id: &str, label: String, role: Role) -> ActionSpec {
    ActionSpec {
        id: id.to_string(),
        label,
        article: reg.article_of(step),
        role,
        fields: fields(id, Some(reg)),
    }
}

/// The committee's head or deputy of the handling organisation.
fn leads(actor: &Actor, org: &Org) -> Option<Role> {
    if actor.org_id != org.id {
        return None;
    }
    [Role::Director, Role::DeputyDirector]
        .into_iter()
        .find(|r| actor.has(*r))
}

fn office_at(actor: &Actor, org: &Org) -> bool {
    actor.has(Role::Office) && actor.org_id == org.id
}

/// As the officer the case is about (`Some(false)`) or as their unit (`Some(true)`).
fn subject(actor: &Actor, o: &Opening) -> Option<bool> {
    if actor.has(Role::Officer) && actor.person_id == o.officer.person_id {
        Some(false)
    } else if actor.has(Role::Unit) && actor.org_id == o.unit.id {
        Some(true)
    } else {
        None
    }
}

fn treatment_kind() -> FieldKind {
    let mut options = vec![(String::new(), "（不予容错的，不选）".to_string())];
    options.extend(
        Treatment::ALL
            .iter()
            .map(|t| (t.id().to_string(), t.zh().to_string())),
    );
    FieldKind::Choice { options }
}

fn verdict_options() -> Vec<(String, String)> {
    vec![
        ("tolerated".to_string(), "予以容错".to_string()),
        ("not_tolerated".to_string(), "不予容错".to_string()),
    ]
}

/// The grounds the governing pack offers, labelled by article and explanation.
fn grounds_kind(reg: Option<&Regulation>) -> FieldKind {
    FieldKind::MultiChoice {
        options: reg
            .map(|r| {
                r.grounds
                    .iter()
                    .map(|g| (g.id.clone(), format!("{}：{}", g.article_zh(), g.explain)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The form of `action` (under the governing regulation, whose rules the conclusion offers).
fn fields(action: &str, reg: Option<&Regulation>) -> Vec<Field> {
    let opening = |text: (&str, &str)| {
        vec![
            Field::new("officer", "当事人", FieldKind::Person, true),
            Field::new("unit", "当事人所在单位", FieldKind::Org, true),
            Field::new("org", "办理认定的单位", FieldKind::Org, true)
                .help("由该单位的认定机构作出认定结论"),
            Field::new("matter", "认定事项", FieldKind::LongText, true)
                .help("出现失误或者错误的经过"),
            Field::new("occurred_on", "发生日期", FieldKind::Date, true),
            Field::new(text.0, text.1, FieldKind::LongText, true),
        ]
    };
    match action {
        "determination_start" => opening(("reasons", "启动理由")),
        "determination_early_involvement" => {
            opening(("measures", "提前介入采取的措施（了解情况、收集固定证据等）"))
        }
        "determination_apply" => opening(("reasons", "申请理由")),
        "determination_request" => {
            vec![Field::new("reasons", "申请理由", FieldKind::LongText, true)]
        }
        "determination_investigate" => vec![Field::new(
            "findings",
            "调查核实情况",
            FieldKind::LongText,
            true,
        )],
        "determination_conclude" => vec![
            Field::new(
                "verdict",
                "认定结论",
                FieldKind::Choice {
                    options: verdict_options(),
                },
                true,
            ),
            Field::new("treatment", "处理方式", treatment_kind(), false)
                .help("予以容错的，在所依据条款允许的范围内选择"),
            Field::new("grounds", "认定依据", grounds_kind(reg), false)
                .help("具有不予容错情形的，不得予以容错"),
            Field::new("analysis", "综合分析研判意见", FieldKind::LongText, true),
        ]
        .into_iter()
        .chain(
            reg.filter(|r| r.has_step(ASSESSMENT))
                .into_iter()
                .flat_map(|_| {
                    [
                        ("motive", "看动机", "是客观条件造成还是主观故意"),
                        (
                            "process",
                            "看程序",
                            "是否经过科学民主决策、调研论证和风险评估",
                        ),
                        (
                            "policy",
                            "看政策",
                            "是否符合国家改革方向，是否有党纪国法明令禁止、制度规定明确要求",
                        ),
                        ("consequence", "看后果", "有无造成不可挽回的损失"),
                    ]
                })
                .map(|(name, label, help)| {
                    Field::new(name, label, FieldKind::LongText, true).help(help)
                }),
        )
        .collect(),
        "determination_notify" => vec![Field::new(
            "units",
            "同时告知的相关单位（每行一个）",
            FieldKind::Lines,
            false,
        )],
        "determination_publish" => vec![
            Field::new(
                "published",
                "是否公开",
                FieldKind::YesNo {
                    yes: "在一定范围内公开".to_string(),
                    no: "不公开".to_string(),
                },
                true,
            ),
            Field::new("scope", "公开范围", FieldKind::Text, false),
            Field::new(
                "means",
                "公开方式",
                FieldKind::Choice {
                    options: std::iter::once((String::new(), "（不公开的，不选）".to_string()))
                        .chain(
                            Means::ALL
                                .iter()
                                .map(|m| (m.id().to_string(), m.zh().to_string())),
                        )
                        .collect(),
                },
                false,
            ),
            Field::new("reason", "不公开的理由", FieldKind::LongText, false),
        ],
        "determination_reply" => {
            vec![Field::new("explanation", "回复说明", FieldKind::LongText, false).always_sent()]
        }
        "determination_request_review" => vec![Field::new(
            "reasons",
            "复议申述理由",
            FieldKind::LongText,
            true,
        )],
        "determination_answer_review" => vec![
            Field::new(
                "maintained",
                "复议结论",
                FieldKind::YesNo {
                    yes: "维持原认定结论".to_string(),
                    no: "变更原认定结论".to_string(),
                },
                true,
            ),
            Field::new("reasons", "复议理由", FieldKind::LongText, true),
            Field::new(
                "verdict",
                "变更后的认定结论",
                FieldKind::Choice {
                    options: std::iter::once((String::new(), "（维持的，不选）".to_string()))
                        .chain(verdict_options())
                        .collect(),
                },
                false,
            ),
            Field::new("treatment", "变更后的处理方式", treatment_kind(), false),
            Field::new("grounds", "变更后的认定依据", grounds_kind(reg), false),
        ],
        "determination_file" | "determination_acknowledge_filing" => {
            vec![Field::new("note", "备注", FieldKind::LongText, false).always_sent()]
        }
        _ => Vec::new(),
    }
}

/// A conclusion from the command's verdict, treatment and grounds, checked against the
/// governing pack's rules: 容错 needs an excuse that allows the treatment and no bar; a bar wins.
#[allow(clippy::too_many_arguments)]
fn conclusion(
    reg: &Regulation,
    verdict: Verdict,
    treatment: Option<Treatment>,
    grounds: &[String],
    analysis: &str,
    weighing: &Weighing,
    org: &Org,
    on: NaiveDate,
) -> Result<Conclusion, ProcessError> {
    if reg.has_step(ASSESSMENT) {
        for (look, v) in weighing.looks() {
            if v.trim().is_empty() {
                return Err(ProcessError::citing(
                    format!(
                        "认定责任性质应当综合考虑动机、程序、政策和后果（{}）：请填写“{look}”",
                        reg.cite_step(ASSESSMENT, "认定责任性质")?
                    ),
                    &format!(
                        "{} {}",
                        reg.pack.pack,
                        reg.step(ASSESSMENT, "认定责任性质")?.join("、")
                    ),
                ));
            }
        }
    } else if !weighing.is_empty() {
        return Err(ProcessError::new(format!(
            "{}未规定按动机、程序、政策和后果认定责任性质，请在综合分析研判意见中说明",
            reg.short()
        )));
    }
    let mut chosen: Vec<Ground> = Vec::new();
    for id in grounds {
        let Some(g) = reg.grounds.iter().find(|g| g.id == *id) else {
            return Err(ProcessError::invalid(format!(
                "认定依据“{id}”不是{}规定的情形",
                reg.short()
            )));
        };
        if !chosen.contains(g) {
            chosen.push(g.clone());
        }
    }
    let analysis = nonempty("综合分析研判意见", analysis)?;
    let bar = chosen.iter().find(|g| g.bars());
    match verdict {
        Verdict::Tolerated => {
            if let Some(b) = bar {
                return Err(ProcessError::citing(
                    format!("具有{}规定情形的，不得予以容错", reg.cite(&b.article)),
                    &format!("{} {}", reg.pack.pack, b.article),
                ));
            }
            if chosen.is_empty() {
                return Err(ProcessError::new(format!(
                    "予以容错的，应当选择所依据的{}条款",
                    reg.short()
                )));
            }
            let Some(t) = treatment else {
                return Err(ProcessError::new("予以容错的，应当选择处理方式"));
            };
            if !chosen.iter().any(|g| g.allows(t.id())) {
                return Err(ProcessError::new(format!(
                    "所选认定依据不允许“{}”，请按所依据条款确定处理方式",
                    t.zh()
                )));
            }
        }
        Verdict::NotTolerated => {
            if treatment.is_some() {
                return Err(ProcessError::new("不予容错的，不选择处理方式"));
            }
            if bar.is_none() && !chosen.is_empty() {
                return Err(ProcessError::new(
                    "所选认定依据均为容错情形；不予容错的，应当选择不予容错的依据，或者不选依据并在综合分析研判意见中说明理由",
                ));
            }
        }
    }
    Ok(Conclusion {
        on,
        verdict,
        treatment,
        grounds: chosen,
        analysis,
        weighing: weighing.trimmed(),
        pack: reg.pack.pack.clone(),
        committee: reg.committee_of(org),
    })
}

// ---- notices ----

/// A yes/no value of a notice's conditions (`{if:…}`): not empty for yes.
fn flag(yes: bool) -> String {
    (if yes { "是" } else { "" }).to_string()
}

/// How the case was opened, as the notices tell it: the date, the bodies and the matter, and
/// the conditions `started`, `early` and `by_unit` (the unit applied, at the opening or after
/// an early involvement, on `applied_on`).
fn opening_values(s: &State, o: &Opening, reg: &Regulation) -> Vec<(&'static str, String)> {
    let later = match o.how {
        Opened::EarlyInvolvement => s.application.as_ref(),
        _ => None,
    };
    let by_unit = match o.how {
        Opened::UnitApplication => true,
        Opened::EarlyInvolvement => later.is_some_and(|a| a.by_unit),
        _ => false,
    };
    vec![
        ("officer", o.officer.name.clone()),
        ("opened_on", date_zh(s.opened_on.unwrap_or(o.occurred_on))),
        ("committee", reg.committee_of(&o.org)),
        ("office", reg.office_of(&o.org)),
        ("unit", o.unit.name.clone()),
        ("matter", sentence(&o.matter)),
        (
            "applied_on",
            later.map(|a| date_zh(a.on)).unwrap_or_default(),
        ),
        ("started", flag(o.how == Opened::Started)),
        ("early", flag(o.how == Opened::EarlyInvolvement)),
        ("by_unit", flag(by_unit)),
    ]
}

/// The grounds of a conclusion cited together by the regulation's short name (empty for none).
fn grounds_cited(reg: &Regulation, c: &Conclusion) -> String {
    if c.grounds.is_empty() {
        return String::new();
    }
    let articles: Vec<String> = c.grounds.iter().map(|g| g.article.clone()).collect();
    reg.cite_all(&articles)
}

/// What states a conclusion: the verdict, the four looks (where the pack weighs them), the
/// grounds, the analysis and whether it is a 容错.
fn conclusion_values(reg: &Regulation, c: &Conclusion) -> Vec<(&'static str, String)> {
    let weighing = if c.weighing.is_empty() || !reg.has_step(ASSESSMENT) {
        String::new()
    } else {
        let looks: Vec<String> = c
            .weighing
            .looks()
            .iter()
            .map(|(look, v)| format!("{look}，{}", v.trim_end_matches(['。', '；'])))
            .collect();
        looks.join("；")
    };
    vec![
        ("conclusion", c.zh()),
        ("weighing", weighing),
        ("grounds", grounds_cited(reg, c)),
        ("analysis", sentence(&c.analysis)),
        ("tolerated", flag(c.verdict == Verdict::Tolerated)),
    ]
}

/// 容错认定结论告知书 (002 §13) or 回复反馈 (003 §13), signed by the office of the body: the
/// governing pack's `determination_notice` or `determination_reply`.
#[allow(clippy::too_many_arguments)]
fn conclusion_notice(
    reg: &Regulation,
    s: &State,
    o: &Opening,
    c: &Conclusion,
    step: &str,
    units: &[String],
    explanation: &str,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let mut values = opening_values(s, o, reg);
    values.push(("concluded_on", date_zh(c.on)));
    values.extend(conclusion_values(reg, c));
    let kind = if step == REPLY {
        let review_body = if reg.has_step(REVIEW) {
            reg.committee_of(&o.org)
        } else {
            String::new()
        };
        let explanation = if explanation.trim().is_empty() {
            String::new()
        } else {
            sentence(explanation)
        };
        values.push(("review_body", review_body));
        values.push(("explanation", explanation));
        "determination_reply"
    } else {
        values.push(("units", units.join("、")));
        "determination_notice"
    };
    let (title, text) = notices::fill(reg, kind, &reg.office_of(&o.org), on, values)?;
    Ok(Document {
        kind: DocumentKind::DeterminationNotice,
        title,
        addressee: format!("{}同志", o.officer.name),
        copy_to: units.to_vec(),
        text,
        issued_on: on,
    })
}

/// 复议申述答复书 (003 §13), signed by the committee: the pack's `determination_review_reply`.
#[allow(clippy::too_many_arguments)]
fn review_reply(
    reg: &Regulation,
    o: &Opening,
    before: &Conclusion,
    review: &Review,
    maintained: bool,
    reasons: &str,
    revised: Option<&Conclusion>,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let changed = revised.filter(|_| !maintained);
    let mut values = vec![
        ("officer", o.officer.name.clone()),
        ("requested_on", date_zh(review.requested_on)),
        ("reasons", sentence(&review.reasons)),
        ("concluded_on", date_zh(before.on)),
        ("previous", before.zh()),
        ("answer", sentence(reasons)),
        ("changed", flag(changed.is_some())),
    ];
    match changed {
        Some(c) => values.extend(conclusion_values(reg, c)),
        None => values.extend(
            ["conclusion", "weighing", "grounds", "analysis", "tolerated"]
                .into_iter()
                .map(|k| (k, String::new())),
        ),
    }
    let (title, text) = notices::fill(
        reg,
        "determination_review_reply",
        &reg.committee_of(&o.org),
        on,
        values,
    )?;
    Ok(Document {
        kind: DocumentKind::DeterminationReviewReply,
        title,
        addressee: format!("{}同志", o.officer.name),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

/// 情况备案报告 to the committee above (003 §13), signed by the handling committee: the pack's
/// `determination_filing`.
fn filing_report(
    reg: &Regulation,
    s: &State,
    o: &Opening,
    c: &Conclusion,
    above: &Org,
    note: &str,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let to = reg.committee_of(above);
    let answered = s.review.as_ref().and_then(|r| {
        r.answer
            .as_ref()
            .map(|(d, maintained, _)| (r, *d, *maintained))
    });
    let mut values: Vec<(&'static str, String)> = opening_values(s, o, reg)
        .into_iter()
        .filter(|(k, _)| ["officer", "unit", "started", "early", "by_unit"].contains(k))
        .collect();
    values.extend([
        ("addressee", to.clone()),
        ("committee_short", reg.bodies().committee_short_of(&o.org)),
        ("concluded_on", date_zh(c.on)),
        ("conclusion", c.zh()),
        ("grounds", grounds_cited(reg, c)),
        ("replied_on", s.replied.map(date_zh).unwrap_or_default()),
        (
            "review_requested_on",
            answered
                .map(|(r, _, _)| date_zh(r.requested_on))
                .unwrap_or_default(),
        ),
        (
            "review_answered_on",
            answered.map(|(_, d, _)| date_zh(d)).unwrap_or_default(),
        ),
        ("maintained", flag(answered.is_some_and(|(_, _, m)| m))),
        (
            "note",
            if note.trim().is_empty() {
                String::new()
            } else {
                sentence(note)
            },
        ),
    ]);
    let (title, text) = notices::fill(
        reg,
        "determination_filing",
        &reg.committee_of(&o.org),
        on,
        values,
    )?;
    Ok(Document {
        kind: DocumentKind::DeterminationFiling,
        title,
        addressee: to,
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

// ---- deciding ----

fn open(command: &Command, actor: &Actor, ctx: &Ctx<'_>) -> Result<Vec<Event<Kind>>, ProcessError> {
    let (how, officer, unit, org, matter, occurred_on, text, role) = match command {
        Command::DeterminationStart {
            officer,
            unit,
            org,
            matter,
            occurred_on,
            reasons,
        } => (
            Opened::Started,
            officer,
            unit,
            org,
            matter,
            occurred_on,
            nonempty("启动理由", reasons)?,
            Role::Office,
        ),
        Command::DeterminationEarlyInvolvement {
            officer,
            unit,
            org,
            matter,
            occurred_on,
            measures,
        } => (
            Opened::EarlyInvolvement,
            officer,
            unit,
            org,
            matter,
            occurred_on,
            nonempty("提前介入采取的措施", measures)?,
            Role::Office,
        ),
        Command::DeterminationApply {
            officer,
            unit,
            org,
            matter,
            occurred_on,
            reasons,
        } => {
            let own = actor.has(Role::Officer) && actor.person_id == *officer;
            let (how, role) = if own {
                (Opened::Application, Role::Officer)
            } else {
                (Opened::UnitApplication, Role::Unit)
            };
            (
                how,
                officer,
                unit,
                org,
                matter,
                occurred_on,
                nonempty("申请理由", reasons)?,
                role,
            )
        }
        _ => return Err(ProcessError::new("该容错免责认定案件尚未启动")),
    };
    let step = match how {
        Opened::Started => START,
        Opened::EarlyInvolvement => EARLY_INVOLVEMENT,
        Opened::Application => APPLICATION,
        Opened::UnitApplication => UNIT_APPLICATION,
    };
    let what = match how {
        Opened::Started => "主动启动容错免责认定",
        Opened::EarlyInvolvement => "提前介入",
        Opened::Application => "当事人申请容错认定",
        Opened::UnitApplication => "单位申请容错认定",
    };
    let reg = need(ctx, step, what)?;
    match role {
        // Refused, not forbidden: whoever the policies let open a case for the organisation is
        // told why this one cannot be opened so.
        Role::Office if !(actor.has(Role::Office) && actor.org_id == *org) => {
            return Err(ProcessError::new(format!(
                "{what}由办理认定单位的{}办理",
                if reg.bodies().office_short.is_empty() {
                    "工作机构".to_string()
                } else {
                    reg.bodies().office_short.clone()
                }
            )));
        }
        Role::Unit if !(actor.has(Role::Unit) && actor.org_id == *unit) => {
            return Err(ProcessError::new(
                "容错认定申请由当事人本人或者其所在单位提出",
            ));
        }
        Role::Officer if actor.org_id != *unit => {
            return Err(ProcessError::new(
                "当事人本人提出申请的，所在单位应为本人所在单位",
            ));
        }
        _ => {}
    }
    if *occurred_on > ctx.today {
        return Err(ProcessError::new("发生日期不能晚于今日"));
    }
    let name_of = |id: &str, what: &str| -> Result<String, ProcessError> {
        ctx.name(id)
            .map(str::to_string)
            .ok_or_else(|| ProcessError::new(format!("{what}“{id}”不在名录中")))
    };
    let opening = Opening {
        how,
        officer: Officer {
            person_id: officer.clone(),
            name: name_of(officer, "当事人")?,
        },
        unit: Org {
            id: unit.clone(),
            name: name_of(unit, "当事人所在单位")?,
        },
        org: Org {
            id: org.clone(),
            name: name_of(org, "办理认定的单位")?,
        },
        matter: nonempty("认定事项", matter)?,
        occurred_on: *occurred_on,
        text,
    };
    // The level above the handling organisation, as the directory has it now (003 files there).
    let above = ctx
        .org_chain
        .iter()
        .skip_while(|o| o.id != *org)
        .nth(1)
        .cloned();
    Ok(vec![event(
        ctx.today,
        by(actor, role),
        Kind::Opened { opening, above },
    )])
}

fn decide(
    s: &State,
    command: &Command,
    actor: &Actor,
    ctx: &Ctx<'_>,
) -> Result<Vec<Event<Kind>>, ProcessError> {
    let today = ctx.today;
    let Some(o) = &s.opening else {
        return open(command, actor, ctx);
    };
    if ToleranceDetermination::opens(command) {
        return Err(ProcessError::new("该容错免责认定案件已经启动"));
    }
    if s.stage() == Stage::Closed {
        return Err(ProcessError::new("该容错免责认定案件已经办结"));
    }
    let one = |role: Role, kind: Kind| Ok(vec![event(today, by(actor, role), kind)]);
    let office = || -> Result<(), ProcessError> {
        if office_at(actor, &o.org) {
            Ok(())
        } else {
            Err(ProcessError::forbidden(format!(
                "该事项由{}办理",
                ctx.regulation
                    .as_ref()
                    .map(|r| r.office_of(&o.org))
                    .unwrap_or_else(|| o.org.name.clone())
            )))
        }
    };
    let lead = || -> Result<Role, ProcessError> {
        leads(actor, &o.org).ok_or_else(|| {
            ProcessError::forbidden(format!(
                "认定结论由{}作出",
                ctx.regulation
                    .as_ref()
                    .map(|r| r.committee_of(&o.org))
                    .unwrap_or_else(|| o.org.name.clone())
            ))
        })
    };
    match command {
        Command::DeterminationStart { .. }
        | Command::DeterminationEarlyInvolvement { .. }
        | Command::DeterminationApply { .. } => {
            Err(ProcessError::new("该容错免责认定案件已经启动"))
        }
        Command::DeterminationRequest { reasons } => {
            let Some(by_unit) = subject(actor, o) else {
                return Err(ProcessError::forbidden(
                    "容错认定申请由当事人本人或者其所在单位提出",
                ));
            };
            let step = if by_unit {
                UNIT_APPLICATION
            } else {
                APPLICATION
            };
            need(ctx, step, "容错认定申请")?;
            if s.begun() {
                return Err(ProcessError::new("该案件已经提出申请或者已经启动认定"));
            }
            one(
                if by_unit { Role::Unit } else { Role::Officer },
                Kind::Applied {
                    application: Application {
                        on: today,
                        by_unit,
                        reasons: nonempty("申请理由", reasons)?,
                    },
                },
            )
        }
        Command::DeterminationInvestigate { findings } => {
            need(ctx, INVESTIGATION, "调查核实")?;
            office()?;
            if !s.begun() {
                return Err(ProcessError::new(
                    "提前介入后，当事人或者单位提出申请的，方可调查核实",
                ));
            }
            if s.investigation.is_some() {
                return Err(ProcessError::new("已经调查核实"));
            }
            one(
                Role::Office,
                Kind::Investigated {
                    findings: nonempty("调查核实情况", findings)?,
                },
            )
        }
        Command::DeterminationConclude {
            verdict,
            treatment,
            grounds,
            analysis,
            weighing,
        } => {
            let reg = need(ctx, CONCLUSION, "认定结论")?;
            let role = lead()?;
            if s.investigation.is_none() {
                return Err(ProcessError::new("调查核实后，方可作出认定结论"));
            }
            if s.conclusion.is_some() {
                return Err(ProcessError::new("已经作出认定结论"));
            }
            let c = conclusion(
                reg, *verdict, *treatment, grounds, analysis, weighing, &o.org, today,
            )?;
            let notify_due = if reg.has_step(NOTIFICATION) {
                let period = ctx.periods.need(NOTIFICATION_PERIOD, "告知认定结论")?;
                let d = ctx
                    .calendar
                    .add(today, period)
                    .map_err(|e| ProcessError::new(format!("无法计算告知期限：{e}")))?;
                Some(Due {
                    due: d.due,
                    provisional: d.provisional,
                    article: reg.article_of(NOTIFICATION),
                })
            } else {
                None
            };
            one(
                role,
                Kind::Concluded {
                    conclusion: c,
                    notify_due,
                },
            )
        }
        Command::DeterminationNotify { units } => {
            let reg = need(ctx, NOTIFICATION, "告知认定结论")?;
            office()?;
            let Some(c) = &s.conclusion else {
                return Err(ProcessError::new("作出认定结论后，方可告知"));
            };
            if s.notified.is_some() {
                return Err(ProcessError::new("已经告知认定结论"));
            }
            let units: Vec<String> = units
                .iter()
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty())
                .collect();
            let document = conclusion_notice(reg, s, o, c, NOTIFICATION, &units, "", today)?;
            one(Role::Office, Kind::Notified { units, document })
        }
        Command::DeterminationPublish {
            published,
            scope,
            means,
            reason,
        } => {
            need(ctx, PUBLICATION, "公开")?;
            office()?;
            if s.notified.is_none() {
                return Err(ProcessError::new("告知认定结论后，方可记录公开情况"));
            }
            if s.conclusion.as_ref().map(|c| c.verdict) != Some(Verdict::Tolerated) {
                return Err(ProcessError::new("公开适用于予以容错的认定结论"));
            }
            if s.publication.is_some() {
                return Err(ProcessError::new("已经记录公开情况"));
            }
            let publication = if *published {
                let Some(means) = means else {
                    return Err(ProcessError::new("在一定范围内公开的，应当选择公开方式"));
                };
                Publication {
                    on: today,
                    published: true,
                    scope: nonempty("公开范围", scope)?,
                    means: Some(*means),
                    reason: String::new(),
                }
            } else {
                Publication {
                    on: today,
                    published: false,
                    scope: String::new(),
                    means: None,
                    reason: nonempty("不公开的理由", reason)?,
                }
            };
            one(Role::Office, Kind::Published { publication })
        }
        Command::DeterminationReply { explanation } => {
            let reg = need(ctx, REPLY, "回复反馈")?;
            office()?;
            let Some(c) = &s.conclusion else {
                return Err(ProcessError::new("作出认定结论后，方可回复反馈"));
            };
            if s.replied.is_some() {
                return Err(ProcessError::new("已经书面回复反馈"));
            }
            let document = conclusion_notice(reg, s, o, c, REPLY, &[], explanation, today)?;
            one(Role::Office, Kind::Replied { document })
        }
        Command::DeterminationRequestReview { reasons } => {
            need(ctx, REVIEW, "复议申述")?;
            if !(actor.has(Role::Officer) && actor.person_id == o.officer.person_id) {
                return Err(ProcessError::forbidden("复议申述由当事人本人提出"));
            }
            if s.replied.is_none() {
                return Err(ProcessError::new("收到回复反馈后，方可提出复议申述"));
            }
            if s.review.is_some() {
                return Err(ProcessError::new("已经提出复议申述"));
            }
            if s.filed.is_some() {
                return Err(ProcessError::new("认定情况已经备案，不能再提出复议申述"));
            }
            one(
                Role::Officer,
                Kind::ReviewRequested {
                    reasons: nonempty("复议申述理由", reasons)?,
                },
            )
        }
        Command::DeterminationAnswerReview {
            maintained,
            reasons,
            verdict,
            treatment,
            grounds,
        } => {
            let reg = need(ctx, REVIEW, "复议申述")?;
            let role = lead()?;
            let (Some(review), Some(before)) = (&s.review, &s.conclusion) else {
                return Err(ProcessError::new("没有待答复的复议申述"));
            };
            if review.answer.is_some() {
                return Err(ProcessError::new("复议申述已经答复"));
            }
            let reasons = nonempty("复议理由", reasons)?;
            let revised = if *maintained {
                if verdict.is_some() || treatment.is_some() || !grounds.is_empty() {
                    return Err(ProcessError::new(
                        "维持原认定结论的，不填写变更后的认定结论",
                    ));
                }
                None
            } else {
                let Some(v) = verdict else {
                    return Err(ProcessError::new(
                        "变更原认定结论的，应当选择变更后的认定结论",
                    ));
                };
                // The review revisits the verdict on the facts as weighed (003 §5).
                let c = conclusion(
                    reg,
                    *v,
                    *treatment,
                    grounds,
                    &reasons,
                    &before.weighing,
                    &o.org,
                    today,
                )?;
                if c.verdict == before.verdict && c.treatment == before.treatment {
                    return Err(ProcessError::new(
                        "变更后的认定结论与原认定结论相同；维持的，请选择维持原认定结论",
                    ));
                }
                Some(c)
            };
            let document = review_reply(
                reg,
                o,
                before,
                review,
                *maintained,
                &reasons,
                revised.as_ref(),
                today,
            )?;
            one(
                role,
                Kind::ReviewAnswered {
                    maintained: *maintained,
                    reasons,
                    revised,
                    document,
                },
            )
        }
        Command::DeterminationFile { note } => {
            let reg = need(ctx, FILING, "情况备案")?;
            office()?;
            let Some(above) = &s.above else {
                return Err(ProcessError::new(
                    "本单位没有上一级机构，认定情况无需报上一级备案",
                ));
            };
            let Some(c) = &s.conclusion else {
                return Err(ProcessError::new("作出认定结论后，方可报请备案"));
            };
            if reg.has_step(REPLY) && s.replied.is_none() {
                return Err(ProcessError::new("书面回复反馈后，方可报请备案"));
            }
            if s.review_pending() {
                return Err(ProcessError::new("复议申述答复后，方可报请备案"));
            }
            if s.filed.is_some() {
                return Err(ProcessError::new("已经报请备案"));
            }
            let document = filing_report(reg, s, o, c, above, note, today)?;
            one(
                Role::Office,
                Kind::Filed {
                    with: above.clone(),
                    document,
                },
            )
        }
        Command::DeterminationAcknowledgeFiling { note } => {
            need(ctx, FILING, "情况备案")?;
            let Some((_, with)) = &s.filed else {
                return Err(ProcessError::new("认定情况尚未报请备案"));
            };
            if !office_at(actor, with) {
                return Err(ProcessError::forbidden(format!(
                    "备案由{}确认收到",
                    ctx.regulation
                        .as_ref()
                        .map(|r| r.office_of(with))
                        .unwrap_or_else(|| with.name.clone())
                )));
            }
            one(
                Role::Office,
                Kind::FilingAcknowledged {
                    note: note.trim().to_string(),
                },
            )
        }
    }
}

fn apply(mut s: State, e: &Event<Kind>) -> State {
    s.version += 1;
    match &e.kind {
        Kind::Opened { opening, above } => {
            s.opening = Some(opening.clone());
            s.opened_on = Some(e.on);
            s.above = above.clone();
        }
        Kind::Applied { application } => s.application = Some(application.clone()),
        Kind::Investigated { findings } => s.investigation = Some((e.on, findings.clone())),
        Kind::Concluded {
            conclusion,
            notify_due,
        } => {
            s.conclusion = Some(conclusion.clone());
            s.notify_due = notify_due.clone();
        }
        Kind::Notified { units, .. } => s.notified = Some((e.on, units.clone())),
        Kind::Published { publication } => s.publication = Some(publication.clone()),
        Kind::Replied { .. } => s.replied = Some(e.on),
        Kind::ReviewRequested { reasons } => {
            s.review = Some(Review {
                requested_on: e.on,
                reasons: reasons.clone(),
                answer: None,
            })
        }
        Kind::ReviewAnswered {
            maintained,
            reasons,
            revised,
            ..
        } => {
            if let Some(r) = &mut s.review {
                r.answer = Some((e.on, *maintained, reasons.clone()));
            }
            if let Some(c) = revised {
                s.conclusion = Some(c.clone());
            }
        }
        Kind::Filed { with, .. } => s.filed = Some((e.on, with.clone())),
        Kind::FilingAcknowledged { note } => s.acknowledged = Some((e.on, note.clone())),
    }
    s
}

fn actions(s: &State, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
    let Some(reg) = ctx.regulation.as_ref() else {
        return Vec::new();
    };
    let committee = reg.bodies().committee_short_of(&Org {
        id: String::new(),
        name: String::new(),
    });
    let mut out = Vec::new();
    let Some(o) = &s.opening else {
        if actor.has(Role::Office) {
            if reg.has_step(START) {
                out.push(spec(
                    reg,
                    START,
                    "determination_start",
                    format!("启动容错免责认定（{committee}决定）"),
                    Role::Office,
                ));
            }
            if reg.has_step(EARLY_INVOLVEMENT) {
                out.push(spec(
                    reg,
                    EARLY_INVOLVEMENT,
                    "determination_early_involvement",
                    "提前介入".to_string(),
                    Role::Office,
                ));
            }
        }
        if actor.has(Role::Officer) && reg.has_step(APPLICATION) {
            out.push(spec(
                reg,
                APPLICATION,
                "determination_apply",
                "提出容错认定申请".to_string(),
                Role::Officer,
            ));
        } else if actor.has(Role::Unit) && reg.has_step(UNIT_APPLICATION) {
            out.push(spec(
                reg,
                UNIT_APPLICATION,
                "determination_apply",
                "为本单位人员提出容错认定申请".to_string(),
                Role::Unit,
            ));
        }
        return out;
    };
    if s.stage() == Stage::Closed {
        return out;
    }
    // The applicant after an early involvement.
    if !s.begun() {
        match subject(actor, o) {
            Some(false) if reg.has_step(APPLICATION) => out.push(spec(
                reg,
                APPLICATION,
                "determination_request",
                "提出容错认定申请".to_string(),
                Role::Officer,
            )),
            Some(true) if reg.has_step(UNIT_APPLICATION) => out.push(spec(
                reg,
                UNIT_APPLICATION,
                "determination_request",
                "为本单位人员提出容错认定申请".to_string(),
                Role::Unit,
            )),
            _ => {}
        }
    }
    if office_at(actor, &o.org) {
        if s.begun() && s.investigation.is_none() && reg.has_step(INVESTIGATION) {
            out.push(spec(
                reg,
                INVESTIGATION,
                "determination_investigate",
                "调查核实".to_string(),
                Role::Office,
            ));
        }
        if let Some(c) = &s.conclusion {
            if s.notified.is_none() && reg.has_step(NOTIFICATION) {
                out.push(spec(
                    reg,
                    NOTIFICATION,
                    "determination_notify",
                    "书面告知认定结论".to_string(),
                    Role::Office,
                ));
            }
            if s.notified.is_some()
                && c.verdict == Verdict::Tolerated
                && s.publication.is_none()
                && reg.has_step(PUBLICATION)
            {
                out.push(spec(
                    reg,
                    PUBLICATION,
                    "determination_publish",
                    "记录公开情况".to_string(),
                    Role::Office,
                ));
            }
            if s.replied.is_none() && reg.has_step(REPLY) {
                out.push(spec(
                    reg,
                    REPLY,
                    "determination_reply",
                    "书面回复反馈".to_string(),
                    Role::Office,
                ));
            }
            let replied = !reg.has_step(REPLY) || s.replied.is_some();
            if let Some(above) = &s.above {
                if replied && !s.review_pending() && s.filed.is_none() && reg.has_step(FILING) {
                    out.push(spec(
                        reg,
                        FILING,
                        "determination_file",
                        format!("报{}备案", reg.committee_of(above)),
                        Role::Office,
                    ));
                }
            }
        }
    }
    if let Some(role) = leads(actor, &o.org) {
        if s.investigation.is_some() && s.conclusion.is_none() && reg.has_step(CONCLUSION) {
            out.push(spec(
                reg,
                CONCLUSION,
                "determination_conclude",
                format!("作出认定结论（{committee}）"),
                role,
            ));
        }
        if s.review_pending() && reg.has_step(REVIEW) {
            out.push(spec(
                reg,
                REVIEW,
                "determination_answer_review",
                "答复复议申述".to_string(),
                role,
            ));
        }
    }
    if actor.has(Role::Officer)
        && actor.person_id == o.officer.person_id
        && s.replied.is_some()
        && s.review.is_none()
        && s.filed.is_none()
        && reg.has_step(REVIEW)
    {
        out.push(spec(
            reg,
            REVIEW,
            "determination_request_review",
            format!("向{}提出复议申述", reg.committee_of(&o.org)),
            Role::Officer,
        ));
    }
    if let Some((_, with)) = &s.filed {
        if s.acknowledged.is_none() && office_at(actor, with) && reg.has_step(FILING) {
            out.push(spec(
                reg,
                FILING,
                "determination_acknowledge_filing",
                "确认收到备案".to_string(),
                Role::Office,
            ));
        }
    }
    out
}

impl Process for ToleranceDetermination {
    const KIND: &'static str = "determination";
    const NAME_ZH: &'static str = "容错免责认定";
    const ID_PREFIX: &'static str = "R";
    /// The pack whose periods a case counts by where nothing is bound (002's 7日 notification).
    const PACK: &'static str = "002";
    /// 002 §13 (兴安盟国防动员办公室) and 003 §13 (福建 prisons).
    const REGULATIONS: &'static [&'static str] = &["002", "003"];
    const PERIODS: &'static [&'static str] = &[NOTIFICATION_PERIOD];
    const PROCEDURES: &'static [ProcedureStep] = &[
        ProcedureStep {
            pack: "002",
            procedure: START,
            actions: &["determination_start"],
        },
        ProcedureStep {
            pack: "002",
            procedure: APPLICATION,
            actions: &["determination_apply"],
        },
        ProcedureStep {
            pack: "002",
            procedure: INVESTIGATION,
            actions: &["determination_investigate"],
        },
        ProcedureStep {
            pack: "002",
            procedure: CONCLUSION,
            actions: &["determination_conclude"],
        },
        ProcedureStep {
            pack: "002",
            procedure: NOTIFICATION,
            actions: &["determination_notify"],
        },
        ProcedureStep {
            pack: "002",
            procedure: PUBLICATION,
            actions: &["determination_publish"],
        },
        // 002 §14: the notice of a 容错 says it is not an enforcement error.
        ProcedureStep {
            pack: "002",
            procedure: TOLERANCE_EFFECT,
            actions: &["determination_notify"],
        },
        ProcedureStep {
            pack: "003",
            procedure: EARLY_INVOLVEMENT,
            actions: &["determination_early_involvement"],
        },
        ProcedureStep {
            pack: "003",
            procedure: APPLICATION,
            actions: &["determination_apply", "determination_request"],
        },
        ProcedureStep {
            pack: "003",
            procedure: UNIT_APPLICATION,
            actions: &["determination_apply", "determination_request"],
        },
        ProcedureStep {
            pack: "003",
            procedure: INVESTIGATION,
            actions: &["determination_investigate"],
        },
        ProcedureStep {
            pack: "003",
            procedure: CONCLUSION,
            actions: &["determination_conclude"],
        },
        ProcedureStep {
            pack: "003",
            procedure: ASSESSMENT,
            actions: &["determination_conclude"],
        },
        ProcedureStep {
            pack: "003",
            procedure: REPLY,
            actions: &["determination_reply"],
        },
        ProcedureStep {
            pack: "003",
            procedure: REVIEW,
            actions: &[
                "determination_request_review",
                "determination_answer_review",
            ],
        },
        ProcedureStep {
            pack: "003",
            procedure: FILING,
            actions: &["determination_file", "determination_acknowledge_filing"],
        },
    ];

    type State = State;
    type Command = Command;
    type Kind = Kind;

    fn opens(command: &Command) -> bool {
        matches!(
            command,
            Command::DeterminationStart { .. }
                | Command::DeterminationEarlyInvolvement { .. }
                | Command::DeterminationApply { .. }
        )
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::DeterminationStart { .. } => "determination_start",
            Command::DeterminationEarlyInvolvement { .. } => "determination_early_involvement",
            Command::DeterminationApply { .. } => "determination_apply",
            Command::DeterminationRequest { .. } => "determination_request",
            Command::DeterminationInvestigate { .. } => "determination_investigate",
            Command::DeterminationConclude { .. } => "determination_conclude",
            Command::DeterminationNotify { .. } => "determination_notify",
            Command::DeterminationPublish { .. } => "determination_publish",
            Command::DeterminationReply { .. } => "determination_reply",
            Command::DeterminationRequestReview { .. } => "determination_request_review",
            Command::DeterminationAnswerReview { .. } => "determination_answer_review",
            Command::DeterminationFile { .. } => "determination_file",
            Command::DeterminationAcknowledgeFiling { .. } => "determination_acknowledge_filing",
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        decide(state, command, actor, ctx)
    }

    fn apply(state: State, event: &Event<Kind>) -> State {
        apply(state, event)
    }

    fn deadlines(s: &State, _rules: &Rules<'_>) -> Vec<OpenDeadline> {
        match (&s.notify_due, &s.notified, s.stage()) {
            (Some(d), None, stage) if stage != Stage::Closed => vec![OpenDeadline {
                step: "determination_notification".to_string(),
                label: "书面告知认定结论".to_string(),
                due: d.due,
                provisional: d.provisional,
                article: d.article.clone(),
                role: Role::Office,
            }],
            _ => Vec::new(),
        }
    }

    fn stages() -> &'static [(&'static str, &'static str)] {
        STAGES
    }

    fn actions(state: &State, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        actions(state, actor, ctx)
    }

    fn intro(action: &str) -> &'static str {
        match action {
            "determination_conclude" => {
                "综合分析研判后作出容错与否的认定结论；具有不予容错情形的，不得予以容错。"
            }
            "determination_publish" => {
                "予以容错的认定结论一般应在一定范围内公开；不公开的，记明理由。"
            }
            "determination_file" => "将认定情况报上一级认定机构备案。",
            _ => "",
        }
    }

    fn form(action: &str) -> Option<Vec<Field>> {
        let f = fields(action, None);
        (!f.is_empty()).then_some(f)
    }

    fn summary(s: &State) -> Summary {
        let (org_id, title) = match &s.opening {
            Some(o) => (
                o.org.id.clone(),
                format!("{}{}的容错免责认定", o.unit.name, o.officer.name),
            ),
            None => (String::new(), String::new()),
        };
        Summary {
            stage: s.stage().id().to_string(),
            stage_zh: s.stage().zh().to_string(),
            org_id,
            title,
        }
    }

    fn facts(s: &State) -> Vec<Fact> {
        let Some(o) = &s.opening else {
            return Vec::new();
        };
        let opened = s.opened_on.map(date_zh).unwrap_or_default();
        let mut out = vec![
            Fact::new("当事人", format!("{}（{}）", o.officer.name, o.unit.name)),
            Fact::new("办理认定的单位", o.org.name.clone()),
            Fact::new(
                "认定事项",
                format!("{}（发生于{}）", o.matter, date_zh(o.occurred_on)),
            ),
            Fact::new(
                match o.how {
                    Opened::Started => "启动认定",
                    Opened::EarlyInvolvement => "提前介入",
                    Opened::Application => "当事人申请",
                    Opened::UnitApplication => "单位申请",
                },
                format!("{opened}：{}", o.text),
            ),
        ];
        if let Some(a) = &s.application {
            out.push(Fact::new(
                if a.by_unit {
                    "单位申请"
                } else {
                    "当事人申请"
                },
                format!("{}：{}", date_zh(a.on), a.reasons),
            ));
        }
        if let Some((d, f)) = &s.investigation {
            out.push(Fact::new("调查核实", format!("{}：{f}", date_zh(*d))));
        }
        if let Some(c) = &s.conclusion {
            let grounds = c.grounds_cited();
            out.push(Fact::new(
                "认定结论",
                format!(
                    "{}，{}：{}{}",
                    date_zh(c.on),
                    c.committee,
                    c.zh(),
                    if grounds.is_empty() {
                        String::new()
                    } else {
                        format!("（{grounds}）")
                    }
                ),
            ));
            if !c.weighing.is_empty() {
                let looks: Vec<String> = c
                    .weighing
                    .looks()
                    .iter()
                    .map(|(look, v)| format!("{look}：{v}"))
                    .collect();
                out.push(Fact::new("认定责任性质", looks.join("；")));
            }
            out.push(Fact::new("综合分析研判意见", c.analysis.clone()));
        }
        if let Some((d, units)) = &s.notified {
            out.push(Fact::new(
                "告知",
                if units.is_empty() {
                    format!("{}书面告知当事人", date_zh(*d))
                } else {
                    format!("{}书面告知当事人及{}", date_zh(*d), units.join("、"))
                },
            ));
        }
        if let Some(p) = &s.publication {
            out.push(Fact::new(
                "公开",
                match (p.published, p.means) {
                    (true, Some(m)) => {
                        format!("{}在{}范围内以{}方式公开", date_zh(p.on), p.scope, m.zh())
                    }
                    _ => format!("{}决定不公开：{}", date_zh(p.on), p.reason),
                },
            ));
        }
        if let Some(d) = s.replied {
            out.push(Fact::new("回复反馈", format!("{}书面回复反馈", date_zh(d))));
        }
        if let Some(r) = &s.review {
            out.push(Fact::new(
                "复议申述",
                match &r.answer {
                    Some((d, maintained, reasons)) => format!(
                        "{}提出；{}答复：{}。{reasons}",
                        date_zh(r.requested_on),
                        date_zh(*d),
                        if *maintained {
                            "维持原认定结论"
                        } else {
                            "变更认定结论"
                        }
                    ),
                    None => format!("{}提出，待答复：{}", date_zh(r.requested_on), r.reasons),
                },
            ));
        }
        if let Some((d, with)) = &s.filed {
            out.push(Fact::new(
                "情况备案",
                match &s.acknowledged {
                    Some((a, _)) => format!(
                        "{}报{}备案，{}确认收到",
                        date_zh(*d),
                        with.name,
                        date_zh(*a)
                    ),
                    None => format!("{}报{}备案，待确认", date_zh(*d), with.name),
                },
            ));
        }
        out
    }

    fn links(s: &State) -> Vec<(String, String)> {
        match &s.opening {
            Some(o) => vec![
                ("subject".to_string(), o.officer.person_id.clone()),
                ("unit".to_string(), o.unit.id.clone()),
            ],
            None => Vec::new(),
        }
    }

    fn describe(kind: &Kind) -> String {
        match kind {
            Kind::Opened { opening, .. } => match opening.how {
                Opened::Started => format!("启动对{}的容错免责认定", opening.officer.name),
                Opened::EarlyInvolvement => format!("对{}的问题提前介入", opening.officer.name),
                Opened::Application => format!("{}提出容错认定申请", opening.officer.name),
                Opened::UnitApplication => {
                    format!(
                        "{}为{}提出容错认定申请",
                        opening.unit.name, opening.officer.name
                    )
                }
            },
            Kind::Applied { application } => {
                if application.by_unit {
                    "所在单位提出容错认定申请".to_string()
                } else {
                    "当事人提出容错认定申请".to_string()
                }
            }
            Kind::Investigated { .. } => "调查核实".to_string(),
            Kind::Concluded { conclusion, .. } => {
                let grounds = conclusion.grounds_cited();
                if grounds.is_empty() {
                    format!("{}作出认定结论：{}", conclusion.committee, conclusion.zh())
                } else {
                    format!(
                        "{}作出认定结论：{}（{grounds}）",
                        conclusion.committee,
                        conclusion.zh()
                    )
                }
            }
            Kind::Notified { .. } => "书面告知认定结论".to_string(),
            Kind::Published { publication } => {
                if publication.published {
                    format!("在{}范围内公开认定结论", publication.scope)
                } else {
                    "决定不公开认定结论".to_string()
                }
            }
            Kind::Replied { .. } => "书面回复反馈认定结果".to_string(),
            Kind::ReviewRequested { .. } => "当事人提出复议申述".to_string(),
            Kind::ReviewAnswered { maintained, .. } => {
                if *maintained {
                    "答复复议申述：维持原认定结论".to_string()
                } else {
                    "答复复议申述：变更认定结论".to_string()
                }
            }
            Kind::Filed { with, .. } => format!("报{}备案", with.name),
            Kind::FilingAcknowledged { .. } => "上一级确认收到备案".to_string(),
        }
    }

    fn kind_id(kind: &Kind) -> &'static str {
        match kind {
            Kind::Opened { .. } => "opened",
            Kind::Applied { .. } => "applied",
            Kind::Investigated { .. } => "investigated",
            Kind::Concluded { .. } => "concluded",
            Kind::Notified { .. } => "notified",
            Kind::Published { .. } => "published",
            Kind::Replied { .. } => "replied",
            Kind::ReviewRequested { .. } => "review_requested",
            Kind::ReviewAnswered { .. } => "review_answered",
            Kind::Filed { .. } => "filed",
            Kind::FilingAcknowledged { .. } => "filing_acknowledged",
        }
    }

    fn documents(events: &[Event<Kind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Notified { document, .. }
                | Kind::Replied { document }
                | Kind::ReviewAnswered { document, .. }
                | Kind::Filed { document, .. } => Some(document.clone()),
                _ => None,
            })
            .collect()
    }

    fn reason(kind: &Kind) -> Option<String> {
        match kind {
            Kind::Concluded { conclusion, .. } => Some(conclusion.analysis.clone()),
            Kind::ReviewRequested { reasons } => Some(reasons.clone()),
            Kind::ReviewAnswered { reasons, .. } => Some(reasons.clone()),
            Kind::Published { publication } if !publication.published => {
                Some(publication.reason.clone())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
