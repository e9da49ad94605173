//! 正名: clearing the name of an officer against whom a complaint (检举控告) was found false.
//!
//! - 001 §29(五): a complaint the receiving department found, on investigation, to be 诬告、陷害
//!   or 诽谤 is handed to the 维权办 with its materials; the office reviews it and issues a
//!   《正名通知书》, published within a stated scope to clear the facts and undo the harm, and at
//!   the same time refers the person who made it to the competent department for liability.
//! - 002 §18: malicious smears and hype are cleared the same way; a complaint found untrue or
//!   unfounded gets feedback of the result to a real-name reporter, and an explanation within a
//!   stated scope when it was anonymous.
//! - 003 (澄清保护): the means — 谈心谈话、召开会议、通报 — are recorded with the scope.
//!
//! The regulation says "及时" without a period; the office's step carries the pack's locally
//! set period [`REVIEW_PERIOD`] from receipt (pack 001 sets 15 工作日).

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::ProcedureStep;
use crate::{
    notices, ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    OpenDeadline, Org, Process, ProcessError, Regulation, Role, Rules, Summary,
};

/// The pack's period from receipt for the review and its outcome (a local setting: 001 §29(五)
/// and 002 §18 say "及时").
pub const REVIEW_PERIOD: &str = "complaint_review";

/// The procedures of 002 §18's answers to an untrue or unfounded complaint: feedback to a
/// real-name complainant, an explanation of an anonymous one.
const COMPLAINT_FEEDBACK_NAMED: &str = "complaint_feedback_named";
const COMPLAINT_FEEDBACK_ANONYMOUS: &str = "complaint_feedback_anonymous";

/// The procedure that answers an untrue or unfounded complaint of `complainant`, and what it
/// does (for the refusal of a body whose regulation lacks it).
fn feedback_step(complainant: Complainant) -> (&'static str, &'static str) {
    match complainant {
        Complainant::RealName => (COMPLAINT_FEEDBACK_NAMED, "向实名举报人反馈结果"),
        Complainant::Anonymous => (
            COMPLAINT_FEEDBACK_ANONYMOUS,
            "对匿名举报在一定范围内说明情况",
        ),
    }
}

pub struct NameClearing;

/// What the receiving department found the complaint to be.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Finding {
    /// 诬告 (001 §29(五)).
    FalseAccusation,
    /// 陷害 (001 §29(五)).
    FrameUp,
    /// 诽谤 (001 §29(五)).
    Defamation,
    /// 恶意中伤、恶意炒作 (002 §18).
    MaliciousSmear,
    /// 经查不属实 (002 §18).
    Untrue,
    /// 查无实据 (002 §18).
    Unfounded,
}

impl Finding {
    pub const ALL: &'static [Finding] = <Finding as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Finding::FalseAccusation => "诬告",
            Finding::FrameUp => "陷害",
            Finding::Defamation => "诽谤",
            Finding::MaliciousSmear => "恶意中伤、恶意炒作",
            Finding::Untrue => "经查不属实",
            Finding::Unfounded => "查无实据",
        }
    }

    /// A false complaint: cleared by a 正名通知书 and its maker referred (001 §29(五), 002 §18);
    /// otherwise the reporter gets feedback or an explanation (002 §18).
    pub fn clears(self) -> bool {
        !matches!(self, Finding::Untrue | Finding::Unfounded)
    }

    pub fn article(self) -> &'static str {
        match self {
            Finding::FalseAccusation | Finding::FrameUp | Finding::Defamation => "001 §29(五)",
            _ => "002 §18",
        }
    }
}

/// Who made the complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complainant {
    /// 实名.
    RealName,
    /// 匿名.
    Anonymous,
}

/// How the clearing is made public (003: 谈心谈话、召开会议、通报).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Means {
    /// 通报.
    Circular,
    /// 召开会议.
    Meeting,
    /// 谈心谈话.
    Talk,
    /// 公开发布 (news release, for a smear spread in public).
    PublicRelease,
}

impl Means {
    pub const ALL: &'static [Means] = <Means as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Means::Circular => "通报",
            Means::Meeting => "召开会议",
            Means::Talk => "谈心谈话",
            Means::PublicRelease => "公开发布",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// The receiving department's materials handed to the office (001 §29(五)).
    NameClearingReceive {
        /// The officer complained against (a person id of the directory).
        officer: String,
        /// Their unit (an organisation id).
        unit: String,
        /// The agency whose 维权办 handles the clearing.
        org: String,
        /// What the complaint alleged.
        complaint: String,
        complaint_received_on: NaiveDate,
        complainant: Complainant,
        /// A real-name reporter's name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        complainant_name: String,
        /// The department that received and investigated the complaint.
        handed_over_by: String,
        finding: Finding,
        /// Its investigation's conclusion, as handed over.
        investigation: String,
    },
    /// 审查 by the office: whether the materials bear the finding out.
    NameClearingReview { confirmed: bool, opinion: String },
    /// 发《正名通知书》 with the scope of publication (001 §29(五), 003).
    NameClearingIssueNotice {
        scope: String,
        means: Means,
        clarification: String,
    },
    /// 移交有关部门追究侵权违法行为人的相关责任 (001 §29(五)).
    NameClearingRefer {
        department: String,
        liability: String,
    },
    /// 向实名举报人反馈结果 (002 §18).
    NameClearingFeedback { content: String },
    /// 匿名举报：在一定范围内说明情况 (002 §18).
    NameClearingExplain { scope: String, content: String },
    NameClearingClose {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        summary: String,
    },
}

/// The officer as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub person_id: String,
    pub name: String,
}

/// The handed-over complaint as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub officer: Officer,
    pub unit: Org,
    pub org: Org,
    pub complaint: String,
    pub received_on: NaiveDate,
    pub complainant: Complainant,
    pub complainant_name: String,
    pub handed_over_by: String,
    pub finding: Finding,
    pub investigation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Received {
        complaint: Complaint,
        due: NaiveDate,
        provisional: bool,
    },
    Reviewed {
        confirmed: bool,
        opinion: String,
    },
    NoticeIssued {
        scope: String,
        means: Means,
        document: Document,
    },
    Referred {
        department: String,
        liability: String,
    },
    FeedbackGiven {
        document: Document,
    },
    Explained {
        scope: String,
        document: Document,
    },
    Closed {
        summary: String,
    },
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    #[default]
    New,
    /// 已移交维权办.
    Received,
    /// 已审查.
    Reviewed,
    /// 已审查，不予正名.
    NotConfirmed,
    /// 已办结.
    Closed,
}

impl Stage {
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::New => "尚未移交",
            Stage::Received => "待审查",
            Stage::Reviewed => "已审查",
            Stage::NotConfirmed => "审查未予认定",
            Stage::Closed => "已办结",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NameClearingState {
    pub stage: Stage,
    pub complaint: Option<Complaint>,
    pub due: Option<(NaiveDate, bool)>,
    pub review: Option<(NaiveDate, bool, String)>,
    /// (day, scope, means).
    pub notice: Option<(NaiveDate, String, Means)>,
    /// (day, department, liability).
    pub referral: Option<(NaiveDate, String, String)>,
    pub feedback: Option<NaiveDate>,
    /// (day, scope).
    pub explanation: Option<(NaiveDate, String)>,
    pub closed: Option<(NaiveDate, String)>,
}

impl NameClearingState {
    fn finding(&self) -> Option<Finding> {
        self.complaint.as_ref().map(|c| c.finding)
    }

    /// What remains before the case may close, in Chinese (empty when nothing).
    fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        match self.stage {
            Stage::Received => out.push("审查"),
            Stage::NotConfirmed => {}
            _ => {
                let Some(c) = &self.complaint else {
                    return out;
                };
                if c.finding.clears() {
                    if self.notice.is_none() {
                        out.push("发《正名通知书》");
                    }
                    if self.referral.is_none() {
                        out.push("移交有关部门追究相关人员责任");
                    }
                } else if c.complainant == Complainant::RealName {
                    if self.feedback.is_none() {
                        out.push("向实名举报人反馈结果");
                    }
                } else if self.explanation.is_none() {
                    out.push("在一定范围内说明情况");
                }
            }
        }
        out
    }
}

fn nonempty(what: &str, s: &str) -> Result<String, ProcessError> {
    let t = s.trim();
    if t.is_empty() {
        Err(ProcessError::new(format!("{what}不能为空")))
    } else {
        Ok(t.to_string())
    }
}

fn event(on: NaiveDate, by: By, kind: Kind) -> Event<Kind> {
    Event { on, by, kind }
}

fn office_by(actor: &Actor) -> By {
    By {
        person_id: actor.person_id.clone(),
        role: Role::Office,
    }
}

/// What every notice of a complaint says of it: when and by whom it was received, whom it
/// concerned, what it alleged and what the investigation found; `addressee` is the notice's.
fn complaint_values(c: &Complaint, addressee: &str) -> Vec<(&'static str, String)> {
    vec![
        ("addressee", addressee.to_string()),
        ("received_on", date_zh(c.received_on)),
        ("handed_over_by", c.handed_over_by.clone()),
        ("unit", c.unit.name.clone()),
        ("officer", c.officer.name.clone()),
        ("complaint", c.complaint.clone()),
        ("finding", c.finding.zh().to_string()),
    ]
}

/// Notice `kind` of the governing pack, filled from `values` and signed by the office of the
/// body the pack names.
fn doc(
    reg: &Regulation,
    kind: DocumentKind,
    notice: &str,
    addressee: String,
    values: Vec<(&'static str, String)>,
    org: &Org,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let (title, text) = notices::fill(reg, notice, &reg.office_of(org), on, values)?;
    Ok(Document {
        kind,
        title,
        addressee,
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

fn spec(id: &str, label: &str, article: &str, fields: Vec<Field>) -> ActionSpec {
    ActionSpec {
        id: id.to_string(),
        label: label.to_string(),
        article: article.to_string(),
        role: Role::Office,
        fields,
    }
}

fn choice<T: Copy>(
    all: &[T],
    id: impl Fn(T) -> &'static str,
    zh: impl Fn(T) -> &'static str,
) -> FieldKind {
    FieldKind::Choice {
        options: all
            .iter()
            .map(|t| (id(*t).to_string(), zh(*t).to_string()))
            .collect(),
    }
}

impl Process for NameClearing {
    const KIND: &'static str = "name_clearing";
    const NAME_ZH: &'static str = "正名";
    const ID_PREFIX: &'static str = "Z";
    const PACK: &'static str = "001";
    /// 001 §29(五) for police, 002 §18 for the 国动办's own staff, 003 §14 for the prisons'
    /// police (issue 20: coverage counted 003 §14 while a prison could not open a case).
    const REGULATIONS: &'static [&'static str] = &["001", "002", "003"];
    const PERIODS: &'static [&'static str] = &[REVIEW_PERIOD];
    const PROCEDURES: &'static [ProcedureStep] = &[
        ProcedureStep {
            pack: "001",
            procedure: "name_clearing",
            actions: &[
                "name_clearing_receive",
                "name_clearing_review",
                "name_clearing_issue_notice",
                "name_clearing_refer",
            ],
        },
        ProcedureStep {
            pack: "002",
            procedure: "name_clearing",
            actions: &["name_clearing_review", "name_clearing_issue_notice"],
        },
        ProcedureStep {
            pack: "002",
            procedure: COMPLAINT_FEEDBACK_NAMED,
            actions: &["name_clearing_feedback"],
        },
        ProcedureStep {
            pack: "002",
            procedure: COMPLAINT_FEEDBACK_ANONYMOUS,
            actions: &["name_clearing_explain"],
        },
        // 003 §14's 澄清 by 谈心谈话、召开会议、通报 (the notice's means); its restoring of
        // posts, compensation and reassignment are not recorded here.
        ProcedureStep {
            pack: "003",
            procedure: "name_clearing",
            actions: &["name_clearing_issue_notice"],
        },
    ];

    type State = NameClearingState;
    type Command = Command;
    type Kind = Kind;

    fn stages() -> &'static [(&'static str, &'static str)] {
        &[
            ("received", "待审查"),
            ("reviewed", "已审查"),
            ("not_confirmed", "审查未予认定"),
            ("closed", "已办结"),
        ]
    }

    fn opens(command: &Command) -> bool {
        matches!(command, Command::NameClearingReceive { .. })
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::NameClearingReceive { .. } => "name_clearing_receive",
            Command::NameClearingReview { .. } => "name_clearing_review",
            Command::NameClearingIssueNotice { .. } => "name_clearing_issue_notice",
            Command::NameClearingRefer { .. } => "name_clearing_refer",
            Command::NameClearingFeedback { .. } => "name_clearing_feedback",
            Command::NameClearingExplain { .. } => "name_clearing_explain",
            Command::NameClearingClose { .. } => "name_clearing_close",
        }
    }

    fn decide(
        s: &NameClearingState,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        let today = ctx.today;
        if let Command::NameClearingReceive {
            officer,
            unit,
            org,
            complaint,
            complaint_received_on,
            complainant,
            complainant_name,
            handed_over_by,
            finding,
            investigation,
        } = command
        {
            if s.stage != Stage::New {
                return Err(ProcessError::new("该检举控告材料已经移交登记"));
            }
            if !(actor.has(Role::Office) && actor.org_id == *org) {
                return Err(ProcessError::citing(
                    format!(
                        "检举控告的调查材料应移交受理机关的{}，由其登记",
                        office_of(
                            ctx,
                            &Org {
                                id: org.clone(),
                                name: ctx.name(org).unwrap_or_default().to_string(),
                            }
                        )
                    ),
                    "001 §29(五)",
                ));
            }
            let name_of = |id: &str, what: &str| -> Result<String, ProcessError> {
                ctx.name(id)
                    .map(str::to_string)
                    .ok_or_else(|| ProcessError::new(format!("{what}“{id}”不在名录中")))
            };
            if *complaint_received_on > today {
                return Err(ProcessError::new("收到检举控告的日期不能晚于今日"));
            }
            let complainant_name = complainant_name.trim().to_string();
            if *complainant == Complainant::RealName && complainant_name.is_empty() {
                return Err(ProcessError::citing(
                    "实名举报的，请填写举报人姓名",
                    "002 §18",
                ));
            }
            // Feedback on an untrue or unfounded complaint is 002 §18's, for the 国动办's own
            // staff: a body whose regulation has no such step (001 for police, 003 for the
            // prisons) registers only complaints found false, to clear the name (issue 20).
            if !finding.clears() {
                let (step, what) = feedback_step(*complainant);
                ctx.regulation()?.step(step, what)?;
            }
            let review = ctx.periods.need(REVIEW_PERIOD, "审查核实举报")?;
            let d = ctx
                .calendar
                .add(today, review)
                .map_err(|e| ProcessError::new(format!("无法计算审查期限：{e}")))?;
            let complaint = Complaint {
                officer: Officer {
                    person_id: officer.clone(),
                    name: name_of(officer, "被检举控告的人员")?,
                },
                unit: Org {
                    id: unit.clone(),
                    name: name_of(unit, "所在单位")?,
                },
                org: Org {
                    id: org.clone(),
                    name: name_of(org, "受理机关")?,
                },
                complaint: nonempty("检举控告的内容", complaint)?,
                received_on: *complaint_received_on,
                complainant: *complainant,
                complainant_name: if *complainant == Complainant::RealName {
                    complainant_name
                } else {
                    String::new()
                },
                handed_over_by: nonempty("移交材料的受理部门", handed_over_by)?,
                finding: *finding,
                investigation: nonempty("核查结论", investigation)?,
            };
            return Ok(vec![event(
                today,
                office_by(actor),
                Kind::Received {
                    complaint,
                    due: d.due,
                    provisional: d.provisional,
                },
            )]);
        }
        let Some(c) = &s.complaint else {
            return Err(ProcessError::new("该检举控告材料尚未移交登记"));
        };
        if s.stage == Stage::Closed {
            return Err(ProcessError::new("该正名案件已经办结"));
        }
        if !(actor.has(Role::Office) && actor.org_id == c.org.id) {
            return Err(ProcessError::new(format!(
                "正名工作由{}办理",
                office_of(ctx, &c.org)
            )));
        }
        let by = office_by(actor);
        let one = |kind: Kind| -> Result<Vec<Event<Kind>>, ProcessError> {
            Ok(vec![event(today, by.clone(), kind)])
        };
        let reviewed = || -> Result<(), ProcessError> {
            if s.stage == Stage::Reviewed {
                Ok(())
            } else {
                Err(ProcessError::citing(
                    "审查认定后方可办理",
                    c.finding.article(),
                ))
            }
        };
        match command {
            Command::NameClearingReceive { .. } => unreachable_receive(),
            Command::NameClearingReview { confirmed, opinion } => {
                if s.stage != Stage::Received {
                    return Err(ProcessError::new("该正名案件已经审查"));
                }
                one(Kind::Reviewed {
                    confirmed: *confirmed,
                    opinion: nonempty("审查意见", opinion)?,
                })
            }
            Command::NameClearingIssueNotice {
                scope,
                means,
                clarification,
            } => {
                reviewed()?;
                if !c.finding.clears() {
                    return Err(ProcessError::citing(
                        format!(
                            "检举控告{}的，应向实名举报人反馈结果或者对匿名举报在一定范围内说明情况",
                            c.finding.zh()
                        ),
                        "002 §18",
                    ));
                }
                if s.notice.is_some() {
                    return Err(ProcessError::new("《正名通知书》已经发出"));
                }
                let scope = nonempty("公开范围", scope)?;
                let clarification = nonempty("澄清的事实", clarification)?;
                let reg = ctx.regulation()?;
                reg.step("name_clearing", "正名")?;
                let mut values = complaint_values(c, &scope);
                values.extend([
                    ("office_short", reg.bodies().office_short.clone()),
                    ("clarification", clarification),
                    ("scope", scope.clone()),
                    ("means", means.zh().to_string()),
                    // 001 §13 refers the slanderer "同时": the notice says so once recorded.
                    (
                        "referred_to",
                        s.referral
                            .as_ref()
                            .map(|(_, department, _)| department.clone())
                            .unwrap_or_default(),
                    ),
                ]);
                let document = doc(
                    reg,
                    DocumentKind::NameClearingNotice,
                    "name_clearing_notice",
                    scope.clone(),
                    values,
                    &c.org,
                    today,
                )?;
                one(Kind::NoticeIssued {
                    scope,
                    means: *means,
                    document,
                })
            }
            Command::NameClearingRefer {
                department,
                liability,
            } => {
                reviewed()?;
                if !c.finding.clears() {
                    return Err(ProcessError::citing(
                        format!(
                            "检举控告{}，不属于诬告、陷害、诽谤，无需移交追责",
                            c.finding.zh()
                        ),
                        "001 §29(五)",
                    ));
                }
                if s.referral.is_some() {
                    return Err(ProcessError::new("已经移交有关部门追究责任"));
                }
                one(Kind::Referred {
                    department: nonempty("移交的部门", department)?,
                    liability: nonempty("追究的责任", liability)?,
                })
            }
            Command::NameClearingFeedback { content } => {
                reviewed()?;
                if c.finding.clears() || c.complainant != Complainant::RealName {
                    return Err(ProcessError::citing(
                        "向举报人反馈结果适用于经查不属实或者查无实据的实名举报",
                        "002 §18",
                    ));
                }
                if s.feedback.is_some() {
                    return Err(ProcessError::new("已经向举报人反馈结果"));
                }
                let content = nonempty("反馈内容", content)?;
                let reg = ctx.regulation()?;
                reg.step(COMPLAINT_FEEDBACK_NAMED, "向实名举报人反馈结果")?;
                let mut values = complaint_values(c, &c.complainant_name);
                values.push(("content", content));
                let document = doc(
                    reg,
                    DocumentKind::ComplaintOutcome,
                    "complaint_feedback_named",
                    c.complainant_name.clone(),
                    values,
                    &c.org,
                    today,
                )?;
                one(Kind::FeedbackGiven { document })
            }
            Command::NameClearingExplain { scope, content } => {
                reviewed()?;
                if c.finding.clears() || c.complainant != Complainant::Anonymous {
                    return Err(ProcessError::citing(
                        "在一定范围内说明情况适用于经查不属实或者查无实据的匿名举报",
                        "002 §18",
                    ));
                }
                if s.explanation.is_some() {
                    return Err(ProcessError::new("已经说明情况"));
                }
                let scope = nonempty("说明的范围", scope)?;
                let content = nonempty("说明内容", content)?;
                let reg = ctx.regulation()?;
                reg.step(
                    COMPLAINT_FEEDBACK_ANONYMOUS,
                    "对匿名举报在一定范围内说明情况",
                )?;
                let mut values = complaint_values(c, &scope);
                values.extend([("content", content), ("scope", scope.clone())]);
                let document = doc(
                    reg,
                    DocumentKind::ComplaintOutcome,
                    "complaint_feedback_anonymous",
                    scope.clone(),
                    values,
                    &c.org,
                    today,
                )?;
                one(Kind::Explained { scope, document })
            }
            Command::NameClearingClose { summary } => {
                let missing = s.missing();
                if !missing.is_empty() {
                    return Err(ProcessError::citing(
                        format!("尚未{}，不能办结", missing.join("、")),
                        c.finding.article(),
                    ));
                }
                one(Kind::Closed {
                    summary: summary.trim().to_string(),
                })
            }
        }
    }

    fn apply(mut s: NameClearingState, e: &Event<Kind>) -> NameClearingState {
        match &e.kind {
            Kind::Received {
                complaint,
                due,
                provisional,
            } => {
                s.stage = Stage::Received;
                s.complaint = Some(complaint.clone());
                s.due = Some((*due, *provisional));
            }
            Kind::Reviewed { confirmed, opinion } => {
                s.stage = if *confirmed {
                    Stage::Reviewed
                } else {
                    Stage::NotConfirmed
                };
                s.review = Some((e.on, *confirmed, opinion.clone()));
            }
            Kind::NoticeIssued { scope, means, .. } => {
                s.notice = Some((e.on, scope.clone(), *means))
            }
            Kind::Referred {
                department,
                liability,
            } => s.referral = Some((e.on, department.clone(), liability.clone())),
            Kind::FeedbackGiven { .. } => s.feedback = Some(e.on),
            Kind::Explained { scope, .. } => s.explanation = Some((e.on, scope.clone())),
            Kind::Closed { summary } => {
                s.stage = Stage::Closed;
                s.closed = Some((e.on, summary.clone()));
            }
        }
        s
    }

    fn deadlines(s: &NameClearingState, _rules: &Rules<'_>) -> Vec<OpenDeadline> {
        let Some((due, provisional)) = s.due else {
            return Vec::new();
        };
        // Open until the review and its outcome (notice, feedback or explanation) are done.
        let outcome_done = match (s.stage, s.finding()) {
            (Stage::Closed | Stage::NotConfirmed, _) => true,
            (Stage::Reviewed, Some(f)) if f.clears() => s.notice.is_some(),
            (Stage::Reviewed, Some(_)) => s.feedback.is_some() || s.explanation.is_some(),
            _ => false,
        };
        if outcome_done {
            return Vec::new();
        }
        let article = s.finding().map(Finding::article).unwrap_or("001 §29(五)");
        vec![OpenDeadline {
            step: "name_clearing".to_string(),
            label: if s.finding().is_some_and(Finding::clears) {
                "审查并发《正名通知书》".to_string()
            } else {
                "审查并反馈或者说明核查情况".to_string()
            },
            due,
            provisional,
            article: article.to_string(),
            role: Role::Office,
        }]
    }

    fn form(action: &str) -> Option<Vec<Field>> {
        // Open only after a finding of 不属实 or 查无实据 (002 §18), which a generated case
        // seldom reaches: the documentation takes the forms from here.
        matches!(action, "name_clearing_feedback" | "name_clearing_explain")
            .then(|| outcome_fields(action))
    }

    fn actions(s: &NameClearingState, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        if !actor.has(Role::Office) {
            return Vec::new();
        }
        let Some(c) = &s.complaint else {
            // The findings the governing regulation provides for: 不属实 and 查无实据 only where
            // it answers them (002 §18); everywhere a false complaint clears the name.
            let answers = ctx.regulation.as_ref().is_none_or(|r| {
                r.has_step(COMPLAINT_FEEDBACK_NAMED) || r.has_step(COMPLAINT_FEEDBACK_ANONYMOUS)
            });
            let findings: Vec<Finding> = Finding::ALL
                .iter()
                .copied()
                .filter(|f| answers || f.clears())
                .collect();
            let finding_help = if answers {
                "诬告、陷害、诽谤、恶意中伤、恶意炒作的予以正名；不属实或者查无实据的，向实名举报人反馈结果或者对匿名举报在一定范围内说明情况"
            } else {
                "经核查属诬告、陷害、诽谤的予以正名"
            };
            return vec![spec(
                "name_clearing_receive",
                "登记移交的检举控告材料",
                "001 §29(五)",
                vec![
                    Field::new("officer", "被检举控告的人员", FieldKind::Person, true),
                    Field::new("unit", "所在单位", FieldKind::Org, true),
                    Field::new("org", "受理机关", FieldKind::Org, true),
                    Field::new("complaint", "检举控告的内容", FieldKind::LongText, true),
                    Field::new(
                        "complaint_received_on",
                        "收到检举控告的日期",
                        FieldKind::Date,
                        true,
                    ),
                    Field::new(
                        "complainant",
                        "举报方式",
                        FieldKind::Choice {
                            options: vec![
                                ("real_name".to_string(), "实名".to_string()),
                                ("anonymous".to_string(), "匿名".to_string()),
                            ],
                        },
                        true,
                    ),
                    Field::new("complainant_name", "实名举报人姓名", FieldKind::Text, false)
                        .help("实名举报的，请填写举报人姓名"),
                    Field::new(
                        "handed_over_by",
                        "移交材料的受理部门",
                        FieldKind::Text,
                        true,
                    ),
                    Field::new(
                        "finding",
                        "核查结论",
                        choice(&findings, Finding::id, Finding::zh),
                        true,
                    )
                    .help(finding_help),
                    Field::new("investigation", "核查情况", FieldKind::LongText, true),
                ],
            )];
        };
        if s.stage == Stage::Closed || actor.org_id != c.org.id {
            return Vec::new();
        }
        let mut out = Vec::new();
        if s.stage == Stage::Received {
            out.push(spec(
                "name_clearing_review",
                "审查",
                "001 §29(五)",
                vec![
                    Field::new("confirmed", "审查认定核查结论属实", FieldKind::Bool, false),
                    Field::new("opinion", "审查意见", FieldKind::LongText, true),
                ],
            ));
        }
        if s.stage == Stage::Reviewed {
            if c.finding.clears() {
                if s.notice.is_none() {
                    out.push(spec(
                        "name_clearing_issue_notice",
                        "发《正名通知书》",
                        "001 §29(五)",
                        vec![
                            Field::new("scope", "公开范围", FieldKind::Text, true)
                                .help("在一定范围内澄清事实、消除影响"),
                            Field::new(
                                "means",
                                "方式",
                                choice(Means::ALL, Means::id, Means::zh),
                                true,
                            )
                            .help("谈心谈话、召开会议、通报等适当方式（003）"),
                            Field::new("clarification", "澄清的事实", FieldKind::LongText, true),
                        ],
                    ));
                }
                if s.referral.is_none() {
                    out.push(spec(
                        "name_clearing_refer",
                        "移交追究责任",
                        "001 §29(五)",
                        vec![
                            Field::new("department", "移交的部门", FieldKind::Text, true),
                            Field::new("liability", "追究的责任", FieldKind::LongText, true),
                        ],
                    ));
                }
            } else if c.complainant == Complainant::RealName {
                if s.feedback.is_none() {
                    out.push(spec(
                        "name_clearing_feedback",
                        "向实名举报人反馈结果",
                        "002 §18",
                        outcome_fields("name_clearing_feedback"),
                    ));
                }
            } else if s.explanation.is_none() {
                out.push(spec(
                    "name_clearing_explain",
                    "在一定范围内说明情况",
                    "002 §18",
                    outcome_fields("name_clearing_explain"),
                ));
            }
        }
        if s.stage != Stage::Received && s.missing().is_empty() {
            out.push(spec(
                "name_clearing_close",
                "办结",
                c.finding.article(),
                vec![Field::new(
                    "summary",
                    "办结情况",
                    FieldKind::LongText,
                    false,
                )],
            ));
        }
        out
    }

    fn summary(s: &NameClearingState) -> Summary {
        let (org_id, title) = match &s.complaint {
            Some(c) => (
                c.org.id.clone(),
                format!(
                    "为{}民警{}正名（{}）",
                    c.unit.name,
                    c.officer.name,
                    c.finding.zh()
                ),
            ),
            None => (String::new(), String::new()),
        };
        Summary {
            stage: s.stage.id().to_string(),
            stage_zh: s.stage.zh().to_string(),
            org_id,
            title,
        }
    }

    fn facts(s: &NameClearingState) -> Vec<Fact> {
        let Some(c) = &s.complaint else {
            return Vec::new();
        };
        let mut out = vec![
            Fact::new(
                "被检举控告的民警",
                format!("{}（{}）", c.officer.name, c.unit.name),
            ),
            Fact::new(
                "检举控告",
                format!("{}（{}收到）", c.complaint, date_zh(c.received_on)),
            ),
            Fact::new(
                "举报人",
                match c.complainant {
                    Complainant::RealName => format!("实名：{}", c.complainant_name),
                    Complainant::Anonymous => "匿名".to_string(),
                },
            ),
            Fact::new(
                "核查结论",
                format!(
                    "{}（{}移交；{}）",
                    c.finding.zh(),
                    c.handed_over_by,
                    c.finding.article()
                ),
            ),
            Fact::new("核查情况", c.investigation.clone()),
        ];
        if let Some((d, confirmed, opinion)) = &s.review {
            out.push(Fact::new(
                "审查意见",
                format!(
                    "{}：{}。{opinion}",
                    date_zh(*d),
                    if *confirmed {
                        "认定属实"
                    } else {
                        "未予认定"
                    }
                ),
            ));
        }
        if let Some((d, scope, means)) = &s.notice {
            out.push(Fact::new(
                "正名",
                format!(
                    "{}发《正名通知书》，在{scope}范围内以{}方式公开",
                    date_zh(*d),
                    means.zh()
                ),
            ));
        }
        if let Some((d, department, liability)) = &s.referral {
            out.push(Fact::new(
                "移交追责",
                format!("{}移交{department}：{liability}", date_zh(*d)),
            ));
        }
        if let Some(d) = s.feedback {
            out.push(Fact::new(
                "反馈",
                format!("{}向实名举报人反馈结果", date_zh(d)),
            ));
        }
        if let Some((d, scope)) = &s.explanation {
            out.push(Fact::new(
                "说明",
                format!("{}在{scope}范围内说明情况", date_zh(*d)),
            ));
        }
        if let Some((d, summary)) = &s.closed {
            out.push(Fact::new(
                "办结",
                if summary.is_empty() {
                    date_zh(*d)
                } else {
                    format!("{}：{summary}", date_zh(*d))
                },
            ));
        }
        out
    }

    fn links(s: &NameClearingState) -> Vec<(String, String)> {
        match &s.complaint {
            Some(c) => vec![
                ("subject".to_string(), c.officer.person_id.clone()),
                ("unit".to_string(), c.unit.id.clone()),
            ],
            None => Vec::new(),
        }
    }

    fn describe(kind: &Kind) -> String {
        match kind {
            Kind::Received { complaint, .. } => format!(
                "{}移交检举控告材料：核查结论为{}",
                complaint.handed_over_by,
                complaint.finding.zh(),
            ),
            Kind::Reviewed { confirmed, .. } => {
                if *confirmed {
                    "审查认定".to_string()
                } else {
                    "审查未予认定".to_string()
                }
            }
            Kind::NoticeIssued { scope, means, .. } => {
                format!("发《正名通知书》，在{scope}范围内以{}方式公开", means.zh())
            }
            Kind::Referred { department, .. } => {
                format!("移交{department}追究侵权违法行为人的责任")
            }
            Kind::FeedbackGiven { .. } => "向实名举报人反馈结果".to_string(),
            Kind::Explained { scope, .. } => format!("在{scope}范围内说明情况"),
            Kind::Closed { .. } => "办结".to_string(),
        }
    }

    fn kind_id(kind: &Kind) -> &'static str {
        match kind {
            Kind::Received { .. } => "received",
            Kind::Reviewed { .. } => "reviewed",
            Kind::NoticeIssued { .. } => "notice_issued",
            Kind::Referred { .. } => "referred",
            Kind::FeedbackGiven { .. } => "feedback_given",
            Kind::Explained { .. } => "explained",
            Kind::Closed { .. } => "closed",
        }
    }

    fn documents(events: &[Event<Kind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::NoticeIssued { document, .. }
                | Kind::FeedbackGiven { document }
                | Kind::Explained { document, .. } => Some(document.clone()),
                _ => None,
            })
            .collect()
    }
}

/// The office that handles a 正名 at `org`, as the governing regulation names it (维权办, the
/// 国动办 itself, 履职保护办公室).
fn office_of(ctx: &Ctx<'_>, org: &Org) -> String {
    match &ctx.regulation {
        Some(r) => r.office_of(org),
        None => format!("{}维权办", org.name),
    }
}

/// `Receive` is decided before the match; kept out of the way of the others.
fn unreachable_receive() -> Result<Vec<Event<Kind>>, ProcessError> {
    Err(ProcessError::new("该检举控告材料已经移交登记"))
}

#[cfg(test)]
mod tests;

/// The forms of 002 §18's answers to an untrue complaint: feedback to a real-name complainant,
/// or an explanation within a scope after an anonymous one.
fn outcome_fields(action: &str) -> Vec<Field> {
    match action {
        "name_clearing_explain" => vec![
            Field::new("scope", "说明的范围", FieldKind::Text, true),
            Field::new("content", "说明内容", FieldKind::LongText, true),
        ],
        _ => vec![Field::new("content", "反馈内容", FieldKind::LongText, true)],
    }
}
