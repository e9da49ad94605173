//! The process abstraction: one recorded step ([`Event`]), the context a command is decided in
//! ([`Ctx`]), what the pages and the API show of a case (open deadlines, action forms, summary,
//! facts), and the [`Process`] trait every case type implements — the 000 application as much
//! as 维权 incidents, 正名, 执法过错, appeals against heavy sanctions and rectifications.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use lvzhi_calendar::{Calendar, Period};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::words::{Actor, By, Document, DocumentSeal, Org, Role};

/// One recorded step of a case of any process: when, by whom (in which role), and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event<K> {
    /// The statutory day it happened.
    pub on: NaiveDate,
    /// Who is recorded as having done it.
    pub by: By,
    /// What happened: the process's event kind.
    pub kind: K,
}

/// A refused command: the reason, in one formal Chinese sentence, and the article it rests on
/// where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProcessError {
    /// The reason, in one formal Chinese sentence.
    pub message: String,
    /// The article the refusal rests on, if any.
    pub article: Option<String>,
    /// How the front ends answer it.
    pub refusal: Refusal,
}

/// What kind of refusal: the front ends answer each differently (422, 403, 400), and a person
/// acting in several roles is tried in the next one only when refused for the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Refusal {
    /// The procedure does not allow it now: stage, time, content (422).
    #[default]
    Refused,
    /// The step belongs to another role or organisation (403).
    Forbidden,
    /// Malformed input, no article involved (400).
    Invalid,
}

impl ProcessError {
    /// A refusal by the procedure (422) citing no article.
    pub fn new(message: impl Into<String>) -> Self {
        ProcessError {
            message: message.into(),
            article: None,
            refusal: Refusal::Refused,
        }
    }

    /// A refusal by the procedure (422) resting on `article`.
    pub fn citing(message: impl Into<String>, article: &str) -> Self {
        ProcessError {
            message: message.into(),
            article: Some(article.to_string()),
            refusal: Refusal::Refused,
        }
    }

    /// The step is another role's.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ProcessError {
            refusal: Refusal::Forbidden,
            ..ProcessError::new(message)
        }
    }

    /// Malformed input.
    pub fn invalid(message: impl Into<String>) -> Self {
        ProcessError {
            refusal: Refusal::Invalid,
            ..ProcessError::new(message)
        }
    }
}

/// The periods a case counts by, from the pack that governs it: period id → period
/// (`opinion` → 30 工作日). Periods are data (DESIGN §4): a unit's own pack changes them without
/// a rebuild, and no process carries a number of days in Rust.
///
/// A process looks its periods up with [`Periods::get`] or [`Periods::need`] only, by the ids
/// it declares in [`Process::PERIODS`]; a set made by [`Periods::recording`] remembers every id
/// looked up, which is how the tests prove the declaration (what `lvzhi policy coverage` counts
/// as a period in use) matches what the process reads. The map is public for the service, which
/// loads it from the pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Periods(pub BTreeMap<String, Period>, #[serde(skip)] Reads);

/// The ids looked up in a recording [`Periods`] (none is kept otherwise). Clones share it.
#[derive(Debug, Clone, Default)]
struct Reads(Option<Arc<Mutex<BTreeSet<String>>>>);

/// What was read is not part of the periods' value.
impl PartialEq for Reads {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Reads {}

impl Periods {
    /// The periods by `[[period]]` id.
    pub fn new(map: BTreeMap<String, Period>) -> Self {
        Periods(map, Reads::default())
    }

    /// The same periods, remembering every id looked up from now on ([`Periods::reads`]); for
    /// tests that check a process's [`Process::PERIODS`].
    pub fn recording(map: BTreeMap<String, Period>) -> Self {
        Periods(map, Reads(Some(Arc::default())))
    }

    /// The ids looked up so far in a recording set (empty for any other).
    pub fn reads(&self) -> BTreeSet<String> {
        match &self.1 .0 {
            Some(log) => log.lock().map(|l| l.clone()).unwrap_or_default(),
            None => BTreeSet::new(),
        }
    }

    /// The period `id`, if the pack sets it.
    pub fn get(&self, id: &str) -> Option<Period> {
        if let Some(log) = &self.1 .0 {
            if let Ok(mut l) = log.lock() {
                l.insert(id.to_string());
            }
        }
        self.0.get(id).copied()
    }

    /// The period `id`, or a refusal naming it: a command whose period the governing pack does
    /// not set cannot be decided (nothing is recorded), and the message says what to add.
    pub fn need(&self, id: &str, what: &str) -> Result<Period, ProcessError> {
        self.get(id).ok_or_else(|| {
            ProcessError::new(format!(
                "政策包未规定{what}的期限（period {id}），无法计算截止日期；请系统管理员在政策包中补充后再办理"
            ))
        })
    }

    /// A static empty set (a context that counts nothing: lists, tests).
    pub fn none() -> &'static Periods {
        static NONE: std::sync::OnceLock<Periods> = std::sync::OnceLock::new();
        NONE.get_or_init(Periods::default)
    }
}

/// What open deadlines are counted by: the official calendar and the case's periods.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The periods of the pack that governs the case.
    pub periods: &'a Periods,
}

/// What the service looks up for a command before it is decided: the world outside the case.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    /// Today's statutory day: the day the command is decided on.
    pub today: NaiveDate,
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The periods of the pack that governs the case.
    pub periods: &'a Periods,
    /// The organisation handling the case first, then each organisation above it up to the
    /// root of the directory (阿拉善左旗公安局 → 阿拉善盟公安局 → 内蒙古自治区公安厅): the chain a
    /// mandatory escalation report climbs (001 §17).
    pub org_chain: Vec<Org>,
    /// For each of this case's [`Process::recurrence_keys`], the other cases (ids, oldest
    /// first) that carry the same key: what recurrence flags are decided on (000 §31, 002 §17).
    pub recurrence: BTreeMap<String, Vec<String>>,
    /// The names of record of the people and organisations of the directory whose ids appear
    /// as string values anywhere in the command (a `Person` or `Org` field's value), by id: a
    /// command names people and organisations by id, and the process records their names as
    /// the directory has them. An id missing here is not in the directory.
    pub names: BTreeMap<String, String>,
    /// The regulation whose procedure the case follows, as recorded when it was opened (its
    /// title and bodies) with the pack's procedure articles: every notice names its bodies and
    /// cites its articles through it (issue 20). The service always sets it for a command.
    pub regulation: Option<crate::Regulation>,
}

impl<'a> Ctx<'a> {
    /// A context with no organisation chain, recurrence or names (tests, and what the pages
    /// ask of a case; the service fills them from the record before a command is decided).
    pub fn new(today: NaiveDate, calendar: &'a Calendar, periods: &'a Periods) -> Self {
        Ctx {
            today,
            calendar,
            periods,
            org_chain: Vec::new(),
            recurrence: BTreeMap::new(),
            names: BTreeMap::new(),
            regulation: None,
        }
    }

    /// The same context under `regulation`.
    pub fn under(mut self, regulation: crate::Regulation) -> Self {
        self.regulation = Some(regulation);
        self
    }

    /// The regulation the case follows, or a refusal: a notice is never written without the
    /// governing pack that names its bodies and articles.
    pub fn regulation(&self) -> Result<&crate::Regulation, ProcessError> {
        self.regulation.as_ref().ok_or_else(|| {
            ProcessError::new("本案适用的规定尚未载入，不能出具文书；请稍后重试或者联系系统管理员")
        })
    }

    /// The calendar and periods deadlines are counted by.
    pub fn rules(&self) -> Rules<'a> {
        Rules {
            calendar: self.calendar,
            periods: self.periods,
        }
    }

    /// The name of record of a person or organisation named by id in the command.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str).or_else(|| {
            self.org_chain
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.name.as_str())
        })
    }
}

/// One open step with a statutory or set period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDeadline {
    /// Stable id of the step within the process (`escalation_ack:ORG`, `appeal_reply`, …).
    pub step: String,
    /// What must be done, in Chinese (`上级维权办确认收到报告`).
    pub label: String,
    /// The last day to act.
    pub due: NaiveDate,
    /// Whether the due day counts over a year with no holiday schedule loaded.
    pub provisional: bool,
    /// The article that sets the period (`001 §17`), or `本地设置` for a locally set one.
    pub article: String,
    /// Who must act (role id).
    pub role: Role,
}

/// How a form field is entered and how its value appears in the command's JSON. One generic
/// form renderer and one form → command builder (the server's) serve every kind, so a process
/// describes its forms here and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text → JSON string.
    Text,
    /// Several lines → JSON string.
    LongText,
    /// `YYYY-MM-DD` → JSON string.
    Date,
    /// A checkbox → JSON bool (absent = false).
    Bool,
    /// A whole number → JSON number.
    Integer,
    /// One of fixed options (id, Chinese label) → JSON string of the id. An option with an empty
    /// id names what leaving the choice empty means (the field is then left out of the command).
    Choice {
        /// The options, as (id, Chinese label).
        options: Vec<(String, String)>,
    },
    /// Several of fixed options → JSON array of ids.
    MultiChoice {
        /// The options, as (id, Chinese label).
        options: Vec<(String, String)>,
    },
    /// One item per line → JSON array of strings (empty lines dropped).
    Lines,
    /// A person of the directory, by id → JSON string.
    Person,
    /// An organisation of the directory, by id → JSON string.
    Org,
    /// Repeated rows of sub-fields → JSON array of objects (a table on the page).
    Rows {
        /// The fields of a row.
        fields: Vec<Field>,
        /// The most rows the form offers.
        max: usize,
    },
    /// An explicit choice between two answers, `yes` first → JSON bool; never defaulted.
    YesNo {
        /// The label of the answer sent as `true`.
        yes: String,
        /// The label of the answer sent as `false`.
        no: String,
    },
    /// A whole number of at least 0 → JSON number.
    Amount,
    /// Items separated by 、，,；; or line breaks → JSON array of strings, as citations are
    /// written (`000 §7(一)、000 §8`).
    List,
    /// One of the case's own items (an objection, an oversight record), as (its position, its
    /// label) → JSON number of the position.
    Index {
        /// The items, as (position, label).
        options: Vec<(u64, String)>,
    },
    /// A nested object of its own fields → JSON object under the field's name (its fields are
    /// named `name.field` on the page). When not required it is left out unless one of its
    /// fields is filled, and then its required fields are required.
    Object {
        /// The object's fields.
        fields: Vec<Field>,
    },
    /// The name of record of the person or organisation chosen in the sibling field `of` →
    /// JSON string, filled by the server from the directory (or the expert pool): a name is
    /// never taken from what a person typed.
    NameOf {
        /// The name of the sibling field that chooses the person or organisation.
        of: String,
    },
    /// An expert of the pool (000 §18–19), by person id → JSON string.
    Expert,
    /// Answers to the governing pack's fact questions → JSON object (fact id → value), answered
    /// in the case page's interview.
    Facts,
    /// An evidence file uploaded with the step → JSON object `{sm3, file_name, description}` of
    /// the file as stored; whoever records it must have uploaded it to the case (issue 19).
    Evidence,
}

/// One field of an action's form. `name` is the command's JSON key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The command's JSON key (and the form field's name).
    pub name: String,
    /// The field's Chinese label.
    pub label: String,
    /// How it is entered and sent.
    pub kind: FieldKind,
    /// Whether the action cannot be taken without it.
    pub required: bool,
    /// A hint under the field (the article, what counts), in Chinese; may be empty.
    pub help: String,
    /// An optional text the command always carries: left empty, it is sent as `""` rather than
    /// left out (the command's type requires the key).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub always_sent: bool,
}

impl Field {
    /// A field without help text.
    pub fn new(name: &str, label: &str, kind: FieldKind, required: bool) -> Self {
        Field {
            name: name.to_string(),
            label: label.to_string(),
            kind,
            required,
            help: String::new(),
            always_sent: false,
        }
    }

    /// The same field with a hint under it.
    pub fn help(mut self, help: &str) -> Self {
        self.help = help.to_string();
        self
    }

    /// Sent as `""` when left empty (see [`Field::always_sent`]).
    pub fn always_sent(mut self) -> Self {
        self.always_sent = true;
        self
    }

    /// Whether the value must be chosen rather than typed (the pages and messages say 请选择).
    pub fn is_choice(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Choice { .. }
                | FieldKind::MultiChoice { .. }
                | FieldKind::YesNo { .. }
                | FieldKind::Index { .. }
                | FieldKind::Person
                | FieldKind::Org
                | FieldKind::Expert
                | FieldKind::Rows { .. }
        )
    }
}

/// An action someone may take now on a case (or to open one): what the page shows as a
/// button and form, and what the API accepts as `{"action": id, …fields}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionSpec {
    /// The command's `action` tag, also the Cedar action id (`incident_report_up`).
    pub id: String,
    /// The button's Chinese label.
    pub label: String,
    /// The article the step implements.
    pub article: String,
    /// The role in which the actor takes it (recorded in the event's `by`).
    pub role: Role,
    /// The fields of its form, in order.
    pub fields: Vec<Field>,
}

/// The case's line in lists and its read model row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Stage id (`reported`, `closed`, …) and its Chinese name.
    pub stage: String,
    /// The stage's Chinese name.
    pub stage_zh: String,
    /// The organisation whose 维权委/office handles the case (the access scope's anchor).
    pub org_id: String,
    /// The case's title in lists.
    pub title: String,
}

/// A labelled fact about the case for its page (当事民警, 事件类型, 责任划分 …), in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What the fact is, in Chinese.
    pub label: String,
    /// Its value as shown.
    pub value: String,
}

impl Fact {
    /// A fact with its label and value.
    pub fn new(label: &str, value: impl Into<String>) -> Self {
        Fact {
            label: label.to_string(),
            value: value.into(),
        }
    }
}

/// A `[[procedure]]` of a pack that a process carries out (000 `review`), and the ids of the
/// process's actions that do it (`form_panel`, `record_hearing`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProcedureStep {
    /// The pack's id (`000`).
    pub pack: &'static str,
    /// The `[[procedure]]` id in that pack (`review`).
    pub procedure: &'static str,
    /// The process's actions that carry it out.
    pub actions: &'static [&'static str],
}

/// A case type. Implemented by a unit struct per process (`Incident`, `NameClearing`, …).
pub trait Process: 'static + Send + Sync {
    /// The read model's `cases.kind` (glossary id: `incident`, `name_clearing`,
    /// `enforcement_fault`, `sanction_appeal`, `rectification`).
    const KIND: &'static str;
    /// The Chinese name of the case type (`维权事件`).
    const NAME_ZH: &'static str;
    /// The prefix of generated case ids (`W` → `W2026-000001`).
    const ID_PREFIX: &'static str;
    /// The pack whose periods a case of this process counts by, unless the organisation's
    /// bindings name another (`000`, `001`, `004`).
    const PACK: &'static str;
    /// The regulations whose procedure the process carries out (issue 20): a case of it may be
    /// opened at an organisation only when one of them governs it (`000` for the application,
    /// `001` for 维权 incidents, `001`/`002` for 正名, `000`/`002`/`003` for 纠错, `004`/`004-2016`
    /// for 执法过错).
    const REGULATIONS: &'static [&'static str];
    /// Whether its procedure is the organisation's *procedure* pack (the application: a unit's
    /// own copy of 000 governs it, and its periods are that pack's); otherwise the process
    /// counts by [`Process::PACK`].
    const PROCEDURE_BOUND: bool = false;
    /// The `[[period]]` ids of its pack that a case of this process reads — from
    /// `ctx.periods`/`rules.periods`, or an assessment's periods — by the same constants the
    /// code looks them up with. `lvzhi policy coverage` counts them as periods in use; a period
    /// of a pack that no process declares is a gap. The tests prove that the reads are exactly
    /// these ([`Periods::recording`]).
    const PERIODS: &'static [&'static str];
    /// The `[[procedure]]`s of packs that this process carries out, each with the actions that
    /// do it: what `lvzhi policy coverage` counts as a step. A procedure listed here must be
    /// really done by those actions, not merely related to the process.
    const PROCEDURES: &'static [ProcedureStep];

    /// A case's state, folded from its events.
    type State: Default + Clone + Debug + Serialize + Send + Sync + 'static;
    /// What a person asks the case to do (tagged by `action`).
    type Command: Clone + Debug + Serialize + DeserializeOwned + Send + Sync;
    /// What an event records (the recorded JSON: a renamed field is a broken record).
    type Kind: Clone + Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync;

    /// Whether the command opens a case (only such a command may be a case's first).
    fn opens(command: &Self::Command) -> bool;

    /// The command's action id (its `action` tag).
    fn action_id(command: &Self::Command) -> &'static str;

    /// Decides a command against the state: the events to record, or why not.
    fn decide(
        state: &Self::State,
        command: &Self::Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Self::Kind>>, ProcessError>;

    /// Applies one recorded event (total: replay never fails on a recorded event).
    fn apply(state: Self::State, event: &Event<Self::Kind>) -> Self::State;

    /// The state after all of `events`, from the empty state.
    fn replay(events: &[Event<Self::Kind>]) -> Self::State {
        events
            .iter()
            .fold(Self::State::default(), |s, e| Self::apply(s, e))
    }

    /// The open steps with their due dates.
    fn deadlines(state: &Self::State, rules: &Rules<'_>) -> Vec<OpenDeadline>;

    /// System events due on `ctx.today` (a period that fires something when it passes).
    fn due_events(_state: &Self::State, _ctx: &Ctx<'_>) -> Vec<Event<Self::Kind>> {
        Vec::new()
    }

    /// The stages a case of this process goes through, as (id, Chinese name), in order: the
    /// case list's filter and the Chinese name of a listed case's stage. Default: none listed
    /// (the list then shows the stage id).
    fn stages() -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Whether passing this open step fires one of `due_events`: the scheduler then claims the
    /// case the day after the step's due day. The others are reminders and overdue flags only.
    fn fires_event(_deadline: &OpenDeadline) -> bool {
        false
    }

    /// A system command to decide after each recorded command, given the looked-up context
    /// (e.g. a recurrence flag when `ctx.recurrence` shows an earlier case with the same key).
    /// The service decides it as `By::system()` until this returns `None`.
    fn follow_up(_state: &Self::State, _ctx: &Ctx<'_>) -> Option<Self::Command> {
        None
    }

    /// Keys under which cases of this kind recur (`officer:P|category:C`, `unit:O|category:C`).
    fn recurrence_keys(_state: &Self::State) -> Vec<String> {
        Vec::new()
    }

    /// The actions `actor` could take now by role and stage (access policies are checked
    /// separately by the server). On an empty state: the opening actions.
    fn actions(state: &Self::State, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec>;

    /// One sentence on what the step `action` records, shown above its form (default none).
    fn intro(_action: &str) -> &'static str {
        ""
    }

    /// The form of `action` as it stands on a new case, for the API's documentation of a step
    /// no generated case reaches (default none: the documentation walks cases to find forms).
    fn form(_action: &str) -> Option<Vec<crate::Field>> {
        None
    }

    /// The roles, besides the responsible one, whose holders see the open step `step` in their
    /// inbox (the application's opinion period concerns the panel and the committee's leaders
    /// as much as the office; default none).
    fn inbox_roles(_step: &str) -> &'static [Role] {
        &[]
    }

    /// The case's line in lists and its read model row.
    fn summary(state: &Self::State) -> Summary;

    /// The case's facts for its page, in order.
    fn facts(state: &Self::State) -> Vec<Fact>;

    /// Who and which organisations the case involves, as (relation, id): the read model's
    /// `case_links`, which the access policies scope lists by. Relations in use: `subject`
    /// (an officer the case is about — sees their own case), `unit` (their unit),
    /// `escalated_to` (an organisation that must receive a report), `department`, `recused`.
    fn links(state: &Self::State) -> Vec<(String, String)>;

    /// The event in one Chinese line for the timeline.
    fn describe(kind: &Self::Kind) -> String;

    /// The event kind's id (its `type` tag), stored in the log's `kind` column.
    fn kind_id(kind: &Self::Kind) -> &'static str;

    /// The written notices issued so far, in order.
    fn documents(events: &[Event<Self::Kind>]) -> Vec<Document>;

    /// The reason an event records, for the log's `reason` column (the application records
    /// the grounds of a refusal or an appeal there; default none).
    fn reason(_kind: &Self::Kind) -> Option<String> {
        None
    }

    /// The process's own event for a seal, when its state keeps seals (the application's
    /// `document_sealed`; default none: the registry keeps seals beside the process's events).
    fn seal_kind(_seal: &DocumentSeal) -> Option<Self::Kind> {
        None
    }

    /// The process's own event for the record of what governs the case, when its state keeps
    /// it (the application's `case_governed`; default none: the registry keeps it beside the
    /// process's events, as it keeps seals).
    fn govern_kind(_governance: &crate::Governance) -> Option<Self::Kind> {
        None
    }

    /// Whether `periods` set every period the process counts by: a procedure pack that does
    /// not cannot govern a case of it (issue 20; default: any).
    fn check_periods(_periods: &Periods) -> Result<(), ProcessError> {
        Ok(())
    }

    /// The answered facts a command carries, checked against the pack's vocabulary before it
    /// is decided (the application's form and fact updates; default none).
    fn command_facts(_command: &Self::Command) -> Option<&BTreeMap<String, serde_json::Value>> {
        None
    }

    /// The digest of an evidence file a command records, which its uploader must have uploaded
    /// to the case (issue 19; default none).
    fn command_evidence(_command: &Self::Command) -> Option<&str> {
        None
    }
}
