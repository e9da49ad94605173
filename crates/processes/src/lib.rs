//! The seeds' processes other than the 000 application, each a first-class case type on the
//! same machinery as `lvzhi-workflow`: commands decided by pure guards into events, a state
//! replayed from the events, open deadlines counted on the official calendar, written notices
//! carried inside the events that issue them, and the actions a person could take now.
//!
//! Every process implements [`Process`]. The service stores its events in the one event log
//! (with `cases.kind = P::KIND`), the server renders its pages and API from [`ActionSpec`]s
//! and [`Process::facts`], and the access policies scope it by [`Process::links`]. So a new
//! process is a new module here plus one line in [`registry::PROCESSES`] and its actions in the
//! access schema (ARCHITECTURE.md, "Adding a process").
//!
//! Notes for the authors of processes (changes to this trait since it was first committed):
//! - Action ids start with the process's `KIND` and `_` (`incident_acknowledge`): they are also
//!   the Cedar action ids, unique across the schema, and the server finds the process of an
//!   action by that prefix ([`registry::by_action`]).
//! - [`Ctx`] gained `names` (the directory's names of the ids a command mentions); build one in
//!   tests with [`Ctx::new`] and set the fields you need.
//! - [`Process::fires_event`] (default: no) marks the open steps whose passing fires one of
//!   [`Process::due_events`], so the scheduler claims them.
//! - An open step whose id ends in `@<organisation id>` is for the holders of its role at that
//!   organisation only (the inbox shows it to them): `escalation_ack@als-gaj`.
//! - [`Process::stages`] (default: none) lists the stage ids and Chinese names for the lists.
//! - An opening action is authorised (Cedar, on an `Org`) for the organisation its command
//!   names in the field `unit`, or else `org`: name one of them so.
//! - The service decides [`Process::follow_up`] commands with an actor whose only role is
//!   `Role::System` at the case's organisation; `decide` should accept them from it.
//!
//! Conventions shared by every process (as in the workflow):
//! - Commands and events are serde data tagged by `action` / `type`, snake_case ids.
//! - `decide` is pure and total: a refused command returns a [`ProcessError`] with one formal
//!   Chinese sentence and produces no event.
//! - A period's last day belongs to the period (`due`); an act on or before `due` is in time.
//! - Dates come from `Ctx::today`; nothing here reads a clock.

pub mod enforcement_fault;
pub mod incident;
pub mod name_clearing;
pub mod rectification;
pub mod registry;
pub mod result_use;
pub mod sanction_appeal;
#[cfg(test)]
mod testing;

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
pub use lvzhi_workflow::{Actor, By, Document, DocumentKind, DocumentSeal, Org, Role};
pub use registry::{
    by_action, by_kind, AnyCase, CaseType, DecidedEvent, Registered, SealEntry, PROCESSES,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One recorded step of a case of any process: when, by whom (in which role), and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event<K> {
    pub on: NaiveDate,
    pub by: By,
    pub kind: K,
}

/// A refused command: the reason, in one formal Chinese sentence, and the article it rests on
/// where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProcessError {
    pub message: String,
    pub article: Option<String>,
}

impl ProcessError {
    pub fn new(message: impl Into<String>) -> Self {
        ProcessError {
            message: message.into(),
            article: None,
        }
    }

    pub fn citing(message: impl Into<String>, article: &str) -> Self {
        ProcessError {
            message: message.into(),
            article: Some(article.to_string()),
        }
    }
}

/// What the service looks up for a command before it is decided: the world outside the case.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub today: NaiveDate,
    pub calendar: &'a Calendar,
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
}

impl<'a> Ctx<'a> {
    /// A context with no organisation chain, recurrence or names (tests; the service fills
    /// them from the record).
    pub fn new(today: NaiveDate, calendar: &'a Calendar) -> Self {
        Ctx {
            today,
            calendar,
            org_chain: Vec::new(),
            recurrence: BTreeMap::new(),
            names: BTreeMap::new(),
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
    pub due: NaiveDate,
    pub provisional: bool,
    /// The article that sets the period (`001 §17`), or `本地设置` for a locally set one.
    pub article: String,
    /// Who must act (role id).
    pub role: Role,
}

/// How a form field is entered and how its value appears in the command's JSON.
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
    /// One of fixed options (id, Chinese label) → JSON string of the id.
    Choice { options: Vec<(String, String)> },
    /// Several of fixed options → JSON array of ids.
    MultiChoice { options: Vec<(String, String)> },
    /// One item per line → JSON array of strings (empty lines dropped).
    Lines,
    /// A person of the directory, by id → JSON string.
    Person,
    /// An organisation of the directory, by id → JSON string.
    Org,
    /// Repeated rows of sub-fields → JSON array of objects (a table on the page).
    Rows { fields: Vec<Field>, max: usize },
}

/// One field of an action's form. `name` is the command's JSON key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// A hint under the field (the article, what counts), in Chinese; may be empty.
    pub help: String,
}

impl Field {
    pub fn new(name: &str, label: &str, kind: FieldKind, required: bool) -> Self {
        Field {
            name: name.to_string(),
            label: label.to_string(),
            kind,
            required,
            help: String::new(),
        }
    }

    pub fn help(mut self, help: &str) -> Self {
        self.help = help.to_string();
        self
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
    pub fields: Vec<Field>,
}

/// The case's line in lists and its read model row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Stage id (`reported`, `closed`, …) and its Chinese name.
    pub stage: String,
    pub stage_zh: String,
    /// The organisation whose 维权委/office handles the case (the access scope's anchor).
    pub org_id: String,
    pub title: String,
}

/// A labelled fact about the case for its page (当事民警, 事件类型, 责任划分 …), in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

impl Fact {
    pub fn new(label: &str, value: impl Into<String>) -> Self {
        Fact {
            label: label.to_string(),
            value: value.into(),
        }
    }
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

    type State: Default + Clone + Debug + Serialize + Send + Sync;
    type Command: Clone + Debug + Serialize + DeserializeOwned + Send + Sync;
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

    fn replay(events: &[Event<Self::Kind>]) -> Self::State {
        events
            .iter()
            .fold(Self::State::default(), |s, e| Self::apply(s, e))
    }

    /// The open steps with their due dates.
    fn deadlines(state: &Self::State, calendar: &Calendar) -> Vec<OpenDeadline>;

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
    fn actions(state: &Self::State, actor: &Actor) -> Vec<ActionSpec>;

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
}
