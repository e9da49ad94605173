//! Every process as one object the service and the server can hold without knowing its types:
//! [`CaseType`] (what the process is, how to open and replay a case of it) and [`AnyCase`] (one
//! replayed case: decide a command, fire what is due, the follow-up loop, and everything the read
//! model and the pages show). Both are implemented once, generically, for every [`Process`], so a
//! process registers by one line in [`PROCESSES`].
//!
//! Commands and events cross this boundary as JSON: a command as the API and the forms build it
//! (`{"action": "incident_acknowledge", …}`), an event as the exact payload the store hashes.

use std::fmt;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde_json::Value;

use serde::{Deserialize, Serialize};

use crate::{
    ActionSpec, Actor, By, Ctx, Document, DocumentSeal, Event, Fact, Field, Governance,
    OpenDeadline, Periods, ProcedureStep, Process, ProcessError, Role, Rules, Summary,
};

/// The `type` of the event that seals an issued notice, in every process as in the 000
/// application (`lvzhi_workflow::EventKind::DocumentSealed`): the same payload shape, so one
/// reader of the log understands both.
pub const DOCUMENT_SEALED: &str = "document_sealed";

/// The seal event's kind, stored exactly as the workflow stores its own
/// (`{"type": "document_sealed", "document": 1, "title": …, "sm3": …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum SealKind {
    DocumentSealed {
        #[serde(flatten)]
        seal: DocumentSeal,
    },
}

/// The `type` of the event that records the regulations governing a case (issue 20), in every
/// process as in the application (`lvzhi_workflow::EventKind::CaseGoverned`).
pub const CASE_GOVERNED: &str = "case_governed";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum GovernKind {
    CaseGoverned {
        #[serde(flatten)]
        governance: Governance,
    },
}

/// Where the record of what governs a case stands in its log, and what it records.
#[derive(Debug, Clone, PartialEq)]
struct GovernedEntry {
    at: usize,
    on: NaiveDate,
    governance: Governance,
}

/// One sealed notice of a process case: where the seal stands in the case's log and what it
/// records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SealEntry {
    /// The seal's index among all the case's recorded events (from 0).
    pub at: usize,
    pub on: NaiveDate,
    pub by: By,
    pub seal: DocumentSeal,
}

/// The timeline's line for a seal, as the application's (`文书定稿（标题）`). The digest is
/// not in it: users read the timeline, and the digest is shown where auditors look — the
/// collapsed 技术信息, the notice's page and the seal itself (issue 22 item 5).
pub fn describe_seal(seal: &DocumentSeal) -> String {
    format!("文书定稿（{}）", seal.title)
}

/// The timeline's line for the record of what governs a case, as the application's.
pub fn describe_governance(g: &Governance) -> String {
    format!("确定适用规定（{}）", g.describe())
}

/// The registered processes, each by its `KIND`. To add one: implement [`Process`] in a module
/// of this crate and add `&Registered::<YourProcess>(PhantomData)` here; the service stores it,
/// the server serves its pages and API, and the access schema needs its actions (see
/// ARCHITECTURE.md, "Adding a process").
pub static PROCESSES: &[&dyn CaseType] = &[
    &Registered::<lvzhi_workflow::Application>(PhantomData),
    &Registered::<crate::incident::Incident>(PhantomData),
    &Registered::<crate::name_clearing::NameClearing>(PhantomData),
    &Registered::<crate::rectification::Rectification>(PhantomData),
    &Registered::<crate::enforcement_fault::EnforcementFault>(PhantomData),
    &Registered::<crate::sanction_appeal::SanctionAppeal>(PhantomData),
    &Registered::<crate::determination::ToleranceDetermination>(PhantomData),
];

/// What the registered processes use of the packs, for `lvzhi policy coverage`: each
/// process's periods (of its pack, [`Process::PERIODS`]) and the procedures it carries out
/// ([`Process::PROCEDURES`]).
pub fn in_use() -> lvzhi_rules::InUse {
    let mut used = lvzhi_rules::InUse::default();
    for p in PROCESSES {
        for id in p.periods() {
            used.period(p.pack(), id, p.name_zh());
        }
        for s in p.procedures() {
            used.procedure(s.pack, s.procedure, p.name_zh());
        }
    }
    // Result use is a read model over the processes, not a process of its own.
    for (pack, procedure) in crate::result_use::PROCEDURES {
        used.procedure(pack, procedure, "结果运用");
    }
    used
}

/// The registered process of a read-model kind.
pub fn by_kind(kind: &str) -> Option<&'static dyn CaseType> {
    PROCESSES.iter().copied().find(|p| p.kind() == kind)
}

/// The registered process whose action ids start with `KIND_` (every process action id does:
/// they are also Cedar action ids, unique across the schema).
pub fn by_action(action: &str) -> Option<&'static dyn CaseType> {
    PROCESSES.iter().copied().find(|p| {
        action
            .strip_prefix(p.kind())
            .is_some_and(|rest| rest.starts_with('_'))
    })
}

/// An event decided by a process, ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct DecidedEvent {
    pub on: NaiveDate,
    pub by: By,
    /// The event kind's id (the store's `kind` column).
    pub kind_id: &'static str,
    /// The event in one Chinese line (the timeline).
    pub description: String,
    /// The stated "why" of the step, for the log's `reason` column.
    pub reason: Option<String>,
    /// The whole [`Event`] as JSON: the payload the store keeps and hashes.
    pub payload: Value,
}

/// A command that is not a command of the process: where in the JSON and serde's own words (the
/// server translates them into Chinese with the field's path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandShapeError {
    /// The path of the field at fault (`victims[1].relation`), empty for the whole command.
    pub path: String,
    pub message: String,
}

impl fmt::Display for CommandShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A command parsed by its process.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandInfo {
    /// The command's `action` id.
    pub action: &'static str,
    /// Whether it opens a case.
    pub opens: bool,
    /// The command as the process reads it, serialised back: fields it does not keep are absent
    /// (the server refuses a command that had any, so nothing is dropped silently).
    pub normalised: Value,
    /// The answered facts it carries, to check against the pack's vocabulary.
    pub facts: Option<std::collections::BTreeMap<String, Value>>,
    /// The digest of the evidence file it records, which its uploader must have uploaded.
    pub evidence: Option<String>,
}

/// A recorded event that no longer reads as an event of its process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayError {
    /// The index of the event in the case (0 for the first).
    pub index: usize,
    pub detail: String,
}

/// A process, without its types.
pub trait CaseType: Send + Sync {
    fn kind(&self) -> &'static str;
    fn name_zh(&self) -> &'static str;
    fn id_prefix(&self) -> &'static str;
    /// The pack whose periods its cases count by, unless bound otherwise ([`Process::PACK`]).
    fn pack(&self) -> &'static str;
    /// The regulations whose procedure it carries out ([`Process::REGULATIONS`]).
    fn regulations(&self) -> &'static [&'static str];
    /// Whether the organisation's procedure pack governs it ([`Process::PROCEDURE_BOUND`]).
    fn procedure_bound(&self) -> bool;
    /// Whether `periods` set every period it counts by ([`Process::check_periods`]).
    fn check_periods(&self, periods: &Periods) -> Result<(), ProcessError>;
    /// The period ids of its pack a case reads ([`Process::PERIODS`]).
    fn periods(&self) -> &'static [&'static str];
    /// The packs' procedures it carries out ([`Process::PROCEDURES`]).
    fn procedures(&self) -> &'static [ProcedureStep];
    /// Reads a command of this process.
    fn parse_command(&self, command: &Value) -> Result<CommandInfo, CommandShapeError>;
    /// The stages as (id, Chinese name), in order ([`Process::stages`]).
    fn stages(&self) -> &'static [(&'static str, &'static str)];
    /// A case with no events yet (what an opening command is decided against).
    fn new_case(&self) -> Box<dyn AnyCase>;
    /// A case replayed from its stored payloads, oldest first.
    fn replay(&self, payloads: &[&str]) -> Result<Box<dyn AnyCase>, ReplayError>;
    /// The actions that open a case of this process, for `actor` (the "新建" pages).
    fn opening_actions(&self, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        self.new_case().actions(actor, ctx)
    }
    /// Every action id of the process: the `action` tags its commands deserialise from, read
    /// from the command type itself (so nothing lists them by hand), in its declaration order.
    fn action_ids(&self) -> &'static [String];
    /// Whether `action` is one of the process's actions.
    fn has_action(&self, action: &str) -> bool {
        self.action_ids().iter().any(|a| a == action)
    }
    /// One sentence on what the step `action` records ([`Process::intro`]).
    fn intro(&self, action: &str) -> &'static str;
    /// The form of `action` on a new case ([`Process::form`]).
    fn form(&self, action: &str) -> Option<Vec<Field>>;
    /// The roles besides the responsible one that see an open step ([`Process::inbox_roles`]).
    fn inbox_roles(&self, step: &str) -> &'static [Role];
}

/// One replayed case of some process.
pub trait AnyCase: Send + Sync {
    fn case_type(&self) -> &'static dyn CaseType;
    /// Events recorded (the case's version in the store).
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Decides `command` for `actor` and, when accepted, applies the events to this case.
    /// A refused or unreadable command changes nothing.
    fn execute(
        &mut self,
        command: &Value,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<DecidedEvent>, ProcessError>;
    /// The system events due on `ctx.today`, applied.
    fn fire_due(&mut self, ctx: &Ctx<'_>) -> Vec<DecidedEvent>;
    /// The follow-up system command for `ctx`, decided as the system and applied; `None` when
    /// there is none. A refused follow-up is an error of the process (reported, not recorded).
    fn follow_up(&mut self, ctx: &Ctx<'_>) -> Result<Option<Vec<DecidedEvent>>, ProcessError>;
    fn summary(&self) -> Summary;
    fn facts(&self) -> Vec<Fact>;
    fn links(&self) -> Vec<(String, String)>;
    fn deadlines(&self, rules: &Rules<'_>) -> Vec<OpenDeadline>;
    /// Whether passing `deadline` fires a system event ([`Process::fires_event`]).
    fn fires_event(&self, deadline: &OpenDeadline) -> bool;
    fn actions(&self, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec>;
    fn recurrence_keys(&self) -> Vec<String>;
    fn documents(&self) -> Vec<Document>;
    /// The process's own events recorded (seals not counted).
    fn event_count(&self) -> usize;
    /// For each notice issued (in order, the first is notice 1), the index among the process's
    /// own events of the event that issued it: a seal is recorded right after it, by the same
    /// person on the same day.
    fn document_issuers(&self) -> Vec<usize>;
    /// The seals of the case's notices, in the order recorded (issue 6: the PDF of a notice
    /// archived and its SM3 recorded, as for the application's notices).
    fn seals(&self) -> Vec<SealEntry>;
    /// The regulations recorded as governing the case when it was opened (issue 20); `None` for
    /// a case recorded before bindings, which its process's own pack governs.
    fn governance(&self) -> Option<&Governance>;
    /// Records what governs the case, decided by the service right after the opening. Refused
    /// when the case already records it: what governed a case when it was opened stands.
    fn govern(
        &mut self,
        on: NaiveDate,
        governance: Governance,
    ) -> Result<DecidedEvent, ProcessError>;
    /// Records the seal of notice `seal.document` (from 1, in order of issue), decided by the
    /// service after it archived the PDF. Refused unless the case issued that notice with that
    /// title, it is not sealed yet and the digest is well formed: a seal never names a notice the
    /// record does not hold, and the first seal of a notice stands.
    fn seal(
        &mut self,
        on: NaiveDate,
        by: By,
        seal: DocumentSeal,
    ) -> Result<DecidedEvent, ProcessError>;
    /// Each recorded event's day and Chinese line, oldest first (the timeline).
    fn timeline(&self) -> Vec<(NaiveDate, String)>;
    /// The replayed state as JSON (the API's `state`).
    fn state_json(&self) -> Value;
    /// The replayed state itself, for a page that shows what only its process's state holds:
    /// downcast it to that process's `State` (`lvzhi_workflow::State` for the application).
    fn state_any(&self) -> &dyn std::any::Any;
    fn clone_box(&self) -> Box<dyn AnyCase>;
}

impl Clone for Box<dyn AnyCase> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The registration of a process `P`: a zero-sized handle implementing [`CaseType`].
pub struct Registered<P>(pub PhantomData<fn() -> P>);

struct Typed<P: Process> {
    state: P::State,
    /// The process's own events, in order (what `P::replay` and `P::documents` read).
    events: Vec<Event<P::Kind>>,
    /// The seals recorded among them (not events of the process: they change nothing in it).
    seals: Vec<SealEntry>,
    /// The record of what governs the case (issue 20), kept beside the events as seals are.
    governed: Option<GovernedEntry>,
}

impl<P: Process> Clone for Typed<P> {
    fn clone(&self) -> Self {
        Typed {
            state: self.state.clone(),
            events: self.events.clone(),
            seals: self.seals.clone(),
            governed: self.governed.clone(),
        }
    }
}

fn decided<P: Process>(e: &Event<P::Kind>) -> Result<DecidedEvent, ProcessError> {
    let payload =
        serde_json::to_value(e).map_err(|x| ProcessError::new(format!("事件无法序列化：{x}")))?;
    Ok(DecidedEvent {
        on: e.on,
        by: e.by.clone(),
        kind_id: P::kind_id(&e.kind),
        description: P::describe(&e.kind),
        reason: P::reason(&e.kind),
        payload,
    })
}

/// The `action` tags of `P`'s commands. A command type is an enum tagged by `action`, and serde
/// names every tag it knows when it meets one it does not: that list is the process's actions,
/// exactly as its type declares them.
fn command_tags<P: Process>() -> Vec<String> {
    let probe = serde_json::json!({ "action": "\u{1}" });
    let Err(e) = serde_json::from_value::<P::Command>(probe) else {
        return Vec::new();
    };
    let message = e.to_string();
    let Some((_, expected)) = message.split_once("expected") else {
        return Vec::new();
    };
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn parse<P: Process>(command: &Value) -> Result<P::Command, CommandShapeError> {
    serde_path_to_error::deserialize::<_, P::Command>(command).map_err(|e| CommandShapeError {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

impl<P: Process> Typed<P> {
    fn record(&mut self, events: Vec<Event<P::Kind>>) -> Result<Vec<DecidedEvent>, ProcessError> {
        let out = events
            .iter()
            .map(decided::<P>)
            .collect::<Result<Vec<_>, _>>()?;
        for e in events {
            self.state = P::apply(std::mem::take(&mut self.state), &e);
            self.events.push(e);
        }
        Ok(out)
    }

    /// The system as an actor at the case's organisation (follow-ups and due events).
    fn system(&self, ctx: &Ctx<'_>) -> Actor {
        let org = ctx
            .org_chain
            .first()
            .map(|o| o.id.clone())
            .unwrap_or_else(|| P::summary(&self.state).org_id);
        Actor {
            person_id: By::system().person_id,
            roles: vec![Role::System],
            org_id: org,
        }
    }
}

impl<P: Process> AnyCase for Typed<P> {
    fn case_type(&self) -> &'static dyn CaseType {
        &Registered::<P>(PhantomData)
    }

    fn len(&self) -> usize {
        self.events.len() + self.seals.len() + usize::from(self.governed.is_some())
    }

    fn execute(
        &mut self,
        command: &Value,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<DecidedEvent>, ProcessError> {
        let command = parse::<P>(command).map_err(|e| {
            ProcessError::new(format!("办理命令不符合“{}”的格式（{e}）", P::NAME_ZH))
        })?;
        if P::opens(&command) != self.events.is_empty() {
            return Err(ProcessError::new(if self.events.is_empty() {
                format!("新的{}只能通过立案操作开始", P::NAME_ZH)
            } else {
                format!("该{}已经立案，不能重复立案", P::NAME_ZH)
            }));
        }
        let events = P::decide(&self.state, &command, actor, ctx)?;
        self.record(events)
    }

    fn fire_due(&mut self, ctx: &Ctx<'_>) -> Vec<DecidedEvent> {
        let due = P::due_events(&self.state, ctx);
        self.record(due).unwrap_or_default()
    }

    fn follow_up(&mut self, ctx: &Ctx<'_>) -> Result<Option<Vec<DecidedEvent>>, ProcessError> {
        let Some(command) = P::follow_up(&self.state, ctx) else {
            return Ok(None);
        };
        let actor = self.system(ctx);
        let events = P::decide(&self.state, &command, &actor, ctx)?;
        if events.is_empty() {
            return Ok(None);
        }
        self.record(events).map(Some)
    }

    fn summary(&self) -> Summary {
        P::summary(&self.state)
    }

    fn facts(&self) -> Vec<Fact> {
        P::facts(&self.state)
    }

    fn links(&self) -> Vec<(String, String)> {
        P::links(&self.state)
    }

    fn deadlines(&self, rules: &Rules<'_>) -> Vec<OpenDeadline> {
        P::deadlines(&self.state, rules)
    }

    fn fires_event(&self, deadline: &OpenDeadline) -> bool {
        P::fires_event(deadline)
    }

    fn actions(&self, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        P::actions(&self.state, actor, ctx)
    }

    fn recurrence_keys(&self) -> Vec<String> {
        P::recurrence_keys(&self.state)
    }

    fn documents(&self) -> Vec<Document> {
        P::documents(&self.events)
    }

    fn event_count(&self) -> usize {
        self.events.len()
    }

    fn document_issuers(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for i in 0..self.events.len() {
            let issued = P::documents(&self.events[..=i]).len();
            while out.len() < issued {
                out.push(i);
            }
        }
        out
    }

    fn seals(&self) -> Vec<SealEntry> {
        self.seals.clone()
    }

    fn governance(&self) -> Option<&Governance> {
        self.governed.as_ref().map(|g| &g.governance)
    }

    fn govern(
        &mut self,
        on: NaiveDate,
        governance: Governance,
    ) -> Result<DecidedEvent, ProcessError> {
        if self.governed.is_some() {
            return Err(ProcessError::new(
                "本案立案时已记录适用的规定，不能更改".to_string(),
            ));
        }
        let by = By::system();
        let event = Event {
            on,
            by: by.clone(),
            kind: GovernKind::CaseGoverned {
                governance: governance.clone(),
            },
        };
        let payload = serde_json::to_value(&event)
            .map_err(|x| ProcessError::new(format!("事件无法序列化：{x}")))?;
        if let Some(kind) = P::govern_kind(&governance) {
            self.state = P::apply(
                std::mem::take(&mut self.state),
                &Event {
                    on,
                    by: by.clone(),
                    kind,
                },
            );
        }
        let decided = DecidedEvent {
            on,
            by,
            kind_id: CASE_GOVERNED,
            description: describe_governance(&governance),
            reason: None,
            payload,
        };
        self.governed = Some(GovernedEntry {
            at: self.len(),
            on,
            governance,
        });
        Ok(decided)
    }

    fn seal(
        &mut self,
        on: NaiveDate,
        by: By,
        seal: DocumentSeal,
    ) -> Result<DecidedEvent, ProcessError> {
        let documents = P::documents(&self.events);
        let issued = seal
            .document
            .checked_sub(1)
            .and_then(|i| documents.get(i))
            .is_some_and(|d| d.title == seal.title);
        if !issued
            || !seal.well_formed()
            || self.seals.iter().any(|s| s.seal.document == seal.document)
        {
            return Err(ProcessError::new(format!(
                "第 {} 份文书（{}）不能定稿：本案没有出具该文书、已经定稿或摘要无效",
                seal.document, seal.title
            )));
        }
        let event = Event {
            on,
            by: by.clone(),
            kind: SealKind::DocumentSealed { seal: seal.clone() },
        };
        let payload = serde_json::to_value(&event)
            .map_err(|x| ProcessError::new(format!("事件无法序列化：{x}")))?;
        let decided = DecidedEvent {
            on,
            by: by.clone(),
            kind_id: DOCUMENT_SEALED,
            description: describe_seal(&seal),
            reason: None,
            payload,
        };
        if let Some(kind) = P::seal_kind(&seal) {
            self.state = P::apply(
                std::mem::take(&mut self.state),
                &Event {
                    on,
                    by: by.clone(),
                    kind,
                },
            );
        }
        self.seals.push(SealEntry {
            at: self.len(),
            on,
            by,
            seal,
        });
        Ok(decided)
    }

    fn timeline(&self) -> Vec<(NaiveDate, String)> {
        let mut out = Vec::with_capacity(self.len());
        let mut events = self.events.iter();
        let mut seals = self.seals.iter().peekable();
        for at in 0..self.len() {
            if let Some(g) = self.governed.as_ref().filter(|g| g.at == at) {
                out.push((g.on, describe_governance(&g.governance)));
                continue;
            }
            match seals.next_if(|s| s.at == at) {
                Some(s) => out.push((s.on, describe_seal(&s.seal))),
                None => {
                    if let Some(e) = events.next() {
                        out.push((e.on, P::describe(&e.kind)));
                    }
                }
            }
        }
        out
    }

    fn state_json(&self) -> Value {
        serde_json::to_value(&self.state).unwrap_or(Value::Null)
    }

    fn state_any(&self) -> &dyn std::any::Any {
        &self.state
    }

    fn clone_box(&self) -> Box<dyn AnyCase> {
        Box::new(self.clone())
    }
}

impl<P: Process> CaseType for Registered<P> {
    fn kind(&self) -> &'static str {
        P::KIND
    }

    fn name_zh(&self) -> &'static str {
        P::NAME_ZH
    }

    fn id_prefix(&self) -> &'static str {
        P::ID_PREFIX
    }

    fn pack(&self) -> &'static str {
        P::PACK
    }

    fn regulations(&self) -> &'static [&'static str] {
        P::REGULATIONS
    }

    fn procedure_bound(&self) -> bool {
        P::PROCEDURE_BOUND
    }

    fn check_periods(&self, periods: &Periods) -> Result<(), ProcessError> {
        P::check_periods(periods)
    }

    fn periods(&self) -> &'static [&'static str] {
        P::PERIODS
    }

    fn procedures(&self) -> &'static [ProcedureStep] {
        P::PROCEDURES
    }

    fn stages(&self) -> &'static [(&'static str, &'static str)] {
        P::stages()
    }

    fn action_ids(&self) -> &'static [String] {
        // One list per process, read once: the statics of a generic function are shared by
        // every instance, so the lists are kept by kind.
        static IDS: std::sync::OnceLock<
            std::sync::Mutex<std::collections::BTreeMap<&'static str, &'static [String]>>,
        > = std::sync::OnceLock::new();
        let map = IDS.get_or_init(Default::default);
        let mut map = match map.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        map.entry(P::KIND)
            .or_insert_with(|| Box::leak(command_tags::<P>().into_boxed_slice()))
    }

    fn intro(&self, action: &str) -> &'static str {
        P::intro(action)
    }

    fn form(&self, action: &str) -> Option<Vec<Field>> {
        P::form(action)
    }

    fn inbox_roles(&self, step: &str) -> &'static [Role] {
        P::inbox_roles(step)
    }

    fn parse_command(&self, command: &Value) -> Result<CommandInfo, CommandShapeError> {
        let parsed = parse::<P>(command)?;
        let normalised = serde_json::to_value(&parsed).map_err(|e| CommandShapeError {
            path: String::new(),
            message: e.to_string(),
        })?;
        Ok(CommandInfo {
            action: P::action_id(&parsed),
            opens: P::opens(&parsed),
            normalised,
            facts: P::command_facts(&parsed).cloned(),
            evidence: P::command_evidence(&parsed).map(str::to_string),
        })
    }

    fn new_case(&self) -> Box<dyn AnyCase> {
        Box::new(Typed::<P> {
            state: P::State::default(),
            events: Vec::new(),
            seals: Vec::new(),
            governed: None,
        })
    }

    fn replay(&self, payloads: &[&str]) -> Result<Box<dyn AnyCase>, ReplayError> {
        let mut events = Vec::with_capacity(payloads.len());
        let mut seals = Vec::new();
        let mut governed = None;
        let mut state = P::State::default();
        for (index, p) in payloads.iter().enumerate() {
            // What governs the case, likewise kept beside the process's events (once: `govern`
            // refuses a second).
            if let Ok(Event {
                on,
                by,
                kind: GovernKind::CaseGoverned { governance },
            }) = serde_json::from_str::<Event<GovernKind>>(p)
            {
                if governed.is_some() {
                    return Err(ReplayError {
                        index,
                        detail: "本案重复记录了适用的规定".to_string(),
                    });
                }
                if let Some(kind) = P::govern_kind(&governance) {
                    state = P::apply(state, &Event { on, by, kind });
                }
                governed = Some(GovernedEntry {
                    at: index,
                    on,
                    governance,
                });
                continue;
            }
            // A seal first, whatever the process: it is kept beside the process's events (and
            // folded into its state when the process keeps seals, as the application does).
            if let Ok(Event {
                on,
                by,
                kind: SealKind::DocumentSealed { seal },
            }) = serde_json::from_str::<Event<SealKind>>(p)
            {
                if let Some(kind) = P::seal_kind(&seal) {
                    state = P::apply(
                        state,
                        &Event {
                            on,
                            by: by.clone(),
                            kind,
                        },
                    );
                }
                seals.push(SealEntry {
                    at: index,
                    on,
                    by,
                    seal,
                });
                continue;
            }
            match serde_json::from_str::<Event<P::Kind>>(p) {
                Ok(e) => {
                    state = P::apply(state, &e);
                    events.push(e);
                }
                Err(x) => {
                    return Err(ReplayError {
                        index,
                        detail: x.to_string(),
                    })
                }
            }
        }
        Ok(Box::new(Typed::<P> {
            state,
            events,
            seals,
            governed,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_process_names_its_actions_from_its_command_type() {
        for p in PROCESSES {
            let ids = p.action_ids();
            assert!(ids.len() >= 2, "{}: {ids:?}", p.kind());
            for id in ids {
                // Each is a tag of the command type: a command of it is at worst incomplete.
                let e = p
                    .parse_command(&serde_json::json!({ "action": id }))
                    .err()
                    .map(|e| e.message)
                    .unwrap_or_default();
                assert!(!e.contains("unknown variant"), "{}: {id}: {e}", p.kind());
                assert!(p.has_action(id));
                if p.kind() != "application" {
                    assert!(id.starts_with(&format!("{}_", p.kind())), "{id}");
                    assert_eq!(by_action(id).map(|q| q.kind()), Some(p.kind()));
                }
            }
            assert!(!p.has_action("no_such_action"));
        }
        let app = by_kind("application").expect("the application is registered");
        let ids = app.action_ids();
        assert_eq!(ids.len(), lvzhi_workflow::ACTIONS.len());
        for (id, _) in lvzhi_workflow::ACTIONS {
            assert!(app.has_action(id), "{id}");
        }
    }

    /// What each process declares it uses of the packs is there, and the actions it names for a
    /// step are its own. A declared period missing from its pack is allowed only where the
    /// process has a local default (004 §27's `appeal_filing`).
    #[test]
    fn declared_periods_and_procedures_exist_and_name_the_process_actions() {
        let set = crate::testing::shipped();
        for p in PROCESSES {
            let pack = set.pack(p.pack()).expect("the process's pack is shipped");
            for id in p.periods() {
                let local_default = p.kind() == "enforcement_fault"
                    && *id == crate::enforcement_fault::APPEAL_FILING;
                assert!(
                    pack.periods.iter().any(|x| x.id == *id) || local_default,
                    "{}: period {id} is not in pack {}",
                    p.kind(),
                    p.pack()
                );
            }
            for s in p.procedures() {
                let pack = set.pack(s.pack).expect("the procedure's pack is shipped");
                assert!(
                    pack.procedures.iter().any(|x| x.id == s.procedure),
                    "{}: no procedure {} in pack {}",
                    p.kind(),
                    s.procedure,
                    s.pack
                );
                assert!(!s.actions.is_empty(), "{}: {}", p.kind(), s.procedure);
                for a in s.actions {
                    assert!(p.has_action(a), "{}: {} names {a}", p.kind(), s.procedure);
                }
            }
        }
    }

    /// Coverage with the registry's declarations (issue 20 item 5): a procedure or period of a
    /// pack that no process uses is a gap, never coverage.
    #[test]
    fn coverage_by_the_registry_tells_what_no_process_uses() {
        let set = crate::testing::shipped();
        let used = in_use();
        let row = |pack: &str, article: &str| {
            set.coverage(pack, &used)
                .expect("a shipped pack")
                .into_iter()
                .find(|r| r.article == article)
                .expect("the article")
        };
        // 002 §13: the 党组's determination, step by step, and the 7-日 notification are the
        // determination's; so is 003 §13's procedure, 情况备案 included.
        let r = row("002", "§13");
        assert_eq!(r.status, "covered", "{}", r.missing);
        assert!(r.implemented.contains(&"step") && r.implemented.contains(&"period"));
        assert_eq!(r.period_uses[0].processes, ["容错免责认定"]);
        let r = row("003", "§13");
        assert_eq!(r.status, "covered", "{}", r.missing);
        assert!(r
            .procedure_uses
            .iter()
            .any(|u| u.id == "determination_filing" && u.processes == ["容错免责认定"]));
        // 000 §28: the application's public statement carries it out.
        let r = row("000", "§28");
        assert_eq!(r.status, "covered", "{}", r.missing);
        assert!(r.implemented.contains(&"step"), "{r:?}");
        // 004 §18 (移交) and §19 (追偿): steps of the 执法过错 case.
        for article in ["§18", "§19"] {
            let r = row("004", article);
            assert_eq!(r.status, "covered", "004 {article}: {}", r.missing);
            assert!(r.implemented.contains(&"step"), "{r:?}");
            assert_eq!(r.unused_procedures().count(), 0, "004 {article}");
        }
        // 001 §30 (相关领导和责任人), §10, §14 and §26: measures of the 维权 incident.
        for article in ["§10", "§14", "§26", "§26¶2", "§30", "§30(六)"] {
            let r = row("001", article);
            assert_eq!(r.status, "covered", "001 {article}: {}", r.missing);
        }
        // 000 §13: the application reads `acceptance`.
        let r = row("000", "§13");
        assert!(r.implemented.contains(&"period"), "{r:?}");
        assert_eq!(r.period_uses[0].processes, ["免责容错申请"]);
        // 000 §14: the panel's review is a step of the application.
        assert!(row("000", "§14").implemented.contains(&"step"));
        // 001 §17: escalation is a step of the incident, its acknowledgement a period it reads.
        let r = row("001", "§17");
        assert!(
            r.implemented.contains(&"step") && r.implemented.contains(&"period"),
            "{r:?}"
        );
        // 002 §15: the rectification carries out 002's correction.
        assert!(row("002", "§15").implemented.contains(&"step"));
    }
}
