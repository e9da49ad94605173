//! The application layer between the pure workflow and the store. The CLI and the server call
//! this, never the two halves separately, so every path does the same things in the same order:
//!
//! 1. load the case's events and replay them into a [`State`];
//! 2. fire any system event already due (视为受理, 000 §13) — a command never acts on a case
//!    whose deadline has silently passed;
//! 3. `decide` the command (pure: a refused command writes nothing);
//! 4. append the events with the version read in step 1, together with the case's read model
//!    and its open deadlines, in one transaction (so lists and reminders never lag the record).
//!
//! The clock is an argument (`today`, `now`): tests and replays choose it; the binary passes the
//! real one.
//!
//! # Sealing issued notices (issue 6)
//!
//! With [`Service::with_sealing`], every notice the events of a command issue (受理, 不予受理,
//! 视为受理 by the scheduler, the opinion, replies, …) is typeset to PDF *before* the append, by
//! a renderer the server or binary supplies (it calls `lvzhi-documents`; this crate does not
//! depend on typst), archived under `documents/<case>/<n>-<sm3>.pdf` in the evidence store,
//! and its SM3 digest recorded as a [`EventKind::DocumentSealed`] event right after the event
//! that issued it, in the same append. The digest is of the bytes archived.
//!
//! A notice that cannot be sealed (no CJK font, the archive unreachable) never costs the
//! command: its events are recorded without the seal, the failure goes to the log, and the
//! outer layers show the notice as 未定稿 ([`unsealed_documents`] tells them which).
//! Bulk imports ([`Service::import_batch`]) seal nothing: their notices were issued on paper,
//! and the paper is what a later check compares.

#![warn(missing_docs)]

mod engine;
pub mod governance;
mod result_use;

use std::collections::BTreeMap;

pub mod audit;
pub mod limits;
pub mod packs;
pub use engine::{
    Directory, ImportedProcessCase, ProcessCase, ProcessDeadlineView, ProcessView, RECURRENCE,
};

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use lvzhi_calendar::{Calendar, Period};
pub use lvzhi_processes::Periods;
use lvzhi_store::{
    CaseLink, DueDeadline, EvidenceStore, NewEvent, Projection, Store, StoreError, StoredEvent,
};
use lvzhi_workflow::{
    open_deadlines, Actor, Command, Document, DocumentSeal, Event, EventKind, OpenDeadline,
    ProcedurePeriods, State, WorkflowError,
};

/// The periods of every pack in force, by pack id (`000`, `001`, …): what each process counts
/// by ([`lvzhi_processes::CaseType::pack`]).
pub type PackPeriods = BTreeMap<String, Periods>;
use serde::Serialize;

/// The case kind stored in the read model for 000 applications.
pub const APPLICATION: &str = "application";

/// Why a case could not be loaded, opened or acted on, in formal Chinese.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The record could not be read or written.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Refused by the 000 application workflow (its Chinese reason).
    #[error("{0}")]
    Workflow(#[from] WorkflowError),
    /// No case with this id.
    #[error("案件 {0} 不存在")]
    NotFound(String),
    /// A case id that is not of the accepted form.
    #[error(
        "案件编号“{0}”无效：只能包含字母、数字、连字符和下划线，不能以下划线开头，长度 1 至 64"
    )]
    BadCaseId(String),
    /// A case with this id already exists.
    #[error("案件 {0} 已存在，不能重复立案")]
    Exists(String),
    /// An application opened by a command that does not open one.
    #[error("立案只能通过“提出申请”（file）或“主动启动”（open_ex_officio）操作")]
    NotACreation,
    /// Facts that the governing pack's vocabulary does not accept (the check's message).
    #[error("{0}")]
    Facts(String),
    /// Refused by a process of `lvzhi_processes` (its Chinese reason).
    #[error("{0}")]
    Process(#[from] lvzhi_processes::ProcessError),
    /// No process of this kind is registered.
    #[error("案件类型“{0}”不存在")]
    UnknownKind(String),
    /// A command that is not a command of the process: serde's words and the field's path (the
    /// server words them in Chinese).
    #[error("办理命令无法识别（{path}）：{message}")]
    Command {
        /// The path of the field at fault.
        path: String,
        /// serde's message.
        message: String,
    },
    /// A case of a process opened by a command that does not open one (the process named).
    #[error("{0}只能通过立案操作开始")]
    NotAProcessCreation(&'static str),
    /// A text, list or map past its limit (`limits`).
    #[error("{0}")]
    TooLong(#[from] limits::TooLong),
    /// Evidence named by its digest without proof that this person uploaded the file to this
    /// case (issue 19): a digest seen elsewhere must not make another case's file readable.
    #[error("证据文件须随登记一并上传：未找到您在 {hours} 小时内向本案件上传该文件（SM3 {sm3_short}…）的记录，仅凭摘要不能登记证据材料")]
    EvidenceNotUploaded {
        /// The digest's first hex digits, as the message shows them.
        sm3_short: String,
        /// How many hours back an upload counts.
        hours: i64,
    },
    /// The regulations bound to the organisation do not provide the process (issue 20).
    #[error("{0}")]
    NotGoverned(#[from] governance::NotGoverned),
    /// A recorded event that does not read as an event of the case's process.
    #[error("案件 {case_id} 的第 {version} 个事件无法读取（{detail}），请运行 lvzhi audit verify 检查记录")]
    CorruptEvent {
        /// The case's id.
        case_id: String,
        /// The event's number in the case, from 1.
        version: i64,
        /// Why it does not read.
        detail: String,
    },
}

/// A case loaded from the store.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The case's id.
    pub case_id: String,
    /// Its replayed state.
    pub state: State,
    /// Its events, read back from the record.
    pub events: Vec<Event>,
    /// The same events as stored.
    pub stored: Vec<StoredEvent>,
}

/// What `case show` prints: the state, every open deadline, and the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// The case's id.
    pub case_id: String,
    /// Events recorded.
    pub version: i64,
    /// The current stage's id.
    pub stage: String,
    /// The stage in Chinese, as pages and notices name it.
    pub stage_zh: String,
    /// The case's title.
    pub title: String,
    /// The handling organisation, once known.
    pub org_id: Option<String>,
    /// Its open deadlines.
    pub deadlines: Vec<DeadlineView>,
    /// Its events, in order.
    pub timeline: Vec<TimelineEntry>,
    /// The notices issued, in order of issue.
    pub documents: Vec<lvzhi_workflow::Document>,
    /// The seals of the documents sealed so far (issue 6), by document number.
    pub seals: Vec<DocumentSeal>,
}

/// An open deadline of an application, and how it stands today.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    /// The open step and its due day.
    #[serde(flatten)]
    pub deadline: OpenDeadline,
    /// Whether the due day has passed.
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
}

/// One event of a case as the timeline shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// The event's place in the whole record's chain.
    pub seq: i64,
    /// Its number in the case, from 1.
    pub version: i64,
    /// When it was stored.
    pub recorded_at: String,
    /// The statutory day it happened.
    pub on: NaiveDate,
    /// The event kind's id.
    pub kind: String,
    /// The id of the person who acted (`system` for the system).
    pub actor: String,
    /// The role they acted in.
    pub role: String,
    /// The event in one Chinese line.
    pub description: String,
    /// The reason given with it, if any.
    pub reason: Option<String>,
    /// Its SM3 chain hash.
    pub hash: String,
}

/// Checks a case's facts against the policy pack's vocabulary (ids and value types) before
/// anything is written. Supplied by the caller, so this crate does not depend on the engine.
pub type FactCheck =
    Box<dyn Fn(&BTreeMap<String, serde_json::Value>) -> Result<(), String> + Send + Sync>;

/// One case of a bulk import: its id and its commands, each with who gave it and on which day.
pub type ImportedCase = (String, Vec<(Actor, Command, NaiveDate)>);

/// A notice typeset for printing: the PDF that is archived and whose digest is sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPdf {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Its number of pages.
    pub pages: u32,
    /// The font families the PDF is set in.
    pub fonts: Vec<String>,
}

/// Typesets an issued notice (GB/T 9704) — supplied by the server or the binary, which call
/// `lvzhi-documents`. CPU-bound: the service runs it on the blocking pool. `Err` is one Chinese
/// sentence saying why (e.g. no CJK font installed).
pub type RenderPdf = dyn Fn(&Document) -> Result<RenderedPdf, String> + Send + Sync;

/// How issued notices are sealed: the renderer and the archive their PDFs are kept in.
#[derive(Clone)]
struct Sealing {
    render: Arc<RenderPdf>,
    archive: EvidenceStore,
}

/// The documents a command's events issued without a seal following them (issue 6): notices
/// whose PDF could not be rendered or archived, to be shown as 未定稿. Numbers count from
/// `first` (the number of the case's first document among `events`).
pub fn unsealed_documents(events: &[Event], first: usize) -> Vec<(usize, &Document)> {
    let mut out = Vec::new();
    let mut n = first;
    for (i, e) in events.iter().enumerate() {
        if let Some(d) = e.kind.document() {
            let sealed = events[i + 1..].iter().any(
                |x| matches!(&x.kind, EventKind::DocumentSealed { seal } if seal.document == n),
            );
            if !sealed {
                out.push((n, d));
            }
            n += 1;
        }
    }
    out
}

/// The record service for 000 applications. A clone shares the store's pool and the fact check
/// and copies the calendar.
#[derive(Clone)]
pub struct Service {
    store: Store,
    calendar: Calendar,
    periods: PackPeriods,
    /// For a process that counts by its own pack (not the organisation's procedure pack), the
    /// periods of that pack overlaid by those another governing pack sets for the same ids, by
    /// (process kind, governing pack): a unit's own pack that sets a process's period is
    /// counted by (issue 20 item 2). Only pairs where the governing pack sets one are kept.
    overlaid: BTreeMap<(&'static str, String), Periods>,
    fact_check: Option<SharedFactCheck>,
    sealing: Option<Sealing>,
    /// The directory a command's context is read from instead of the store, when given.
    directory: Option<Arc<dyn Directory>>,
    /// Each pack in force as a procedure: what a new case records of the packs that govern it,
    /// and what its notices name and cite (issue 20).
    regulations: governance::Regulations,
}

type SharedFactCheck = std::sync::Arc<
    dyn Fn(&BTreeMap<String, serde_json::Value>) -> Result<(), String> + Send + Sync,
>;

/// Who and which organisations a case involves, as the read model's `case_links` rows: what
/// the server's access scope lists cases by (the policies re-check every row).
pub fn case_links(state: &State) -> Vec<CaseLink> {
    lvzhi_workflow::process::links(state)
        .into_iter()
        .map(|(relation, target)| CaseLink { relation, target })
        .collect()
}

/// For each registered process that counts by its own pack, and each other pack that sets one
/// of the periods it reads: its pack's periods with those overridden ([`Service::overlaid`]).
fn overlay_periods(periods: &PackPeriods) -> BTreeMap<(&'static str, String), Periods> {
    let mut out = BTreeMap::new();
    for process in lvzhi_processes::PROCESSES {
        if process.procedure_bound() {
            continue;
        }
        let Some(own) = periods.get(process.pack()) else {
            continue;
        };
        for (pack, set) in periods {
            if pack == process.pack() {
                continue;
            }
            let mut map = own.0.clone();
            let mut changed = false;
            for id in process.periods() {
                if let Some(p) = set.0.get(*id) {
                    map.insert(id.to_string(), *p);
                    changed = true;
                }
            }
            if changed {
                out.insert((process.kind(), pack.clone()), Periods::new(map));
            }
        }
    }
    out
}

/// The application process, as registered.
fn application() -> &'static dyn lvzhi_processes::CaseType {
    static APPLICATION_PROCESS: lvzhi_processes::Registered<lvzhi_workflow::Application> =
        lvzhi_processes::Registered(std::marker::PhantomData);
    &APPLICATION_PROCESS
}

fn command_json(command: &Command) -> Result<serde_json::Value, ServiceError> {
    serde_json::to_value(command).map_err(|x| StoreError::Payload(x.to_string()).into())
}

/// Case ids: letters, digits, `-` and `_`, not starting with `_` (reserved for the store's own
/// records such as `_directory`).
fn valid_case_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('_')
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// How long an evidence upload receipt lets its uploader record the file on the case.
pub const UPLOAD_RECEIPT_HOURS: i64 = 24;

/// The (notice number, SM3) a `document_sealed` event's payload names: the same shape in every
/// process (`{"on", "by", "kind": {"type": "document_sealed", "document", "sm3", …}}`).
fn sealed_in(kind: &str, payload: &serde_json::Value) -> Option<(usize, String)> {
    let k = payload.get("kind")?;
    if kind != "document_sealed" || k.get("type")?.as_str()? != "document_sealed" {
        return None;
    }
    let n = usize::try_from(k.get("document")?.as_u64()?).ok()?;
    Some((n, k.get("sm3")?.as_str()?.to_string()))
}

impl Service {
    /// Appends a case's events and read model. When the append does not go through (a lost
    /// race, a number taken, a failed write), the PDFs archived for its seals are removed
    /// unless the case's record names them after all (issue 19: the archive holds only what
    /// was committed, never a 受理通知书 beside the recorded 不予受理通知书).
    pub(crate) async fn append_archived(
        &self,
        case_id: &str,
        expected_version: i64,
        events: &[NewEvent],
        projection: &Projection,
    ) -> Result<i64, StoreError> {
        let result = self
            .store
            .append_projected(case_id, expected_version, events, Some(projection))
            .await;
        if result.is_err() {
            self.discard_unrecorded(case_id, events).await;
        }
        result
    }

    async fn discard_unrecorded(&self, case_id: &str, attempted: &[NewEvent]) {
        let Some(sealing) = &self.sealing else {
            return;
        };
        let written: Vec<(usize, String)> = attempted
            .iter()
            .filter_map(|e| sealed_in(&e.kind, &e.payload))
            .collect();
        if written.is_empty() {
            return;
        }
        // Read after the failure: a winner's append is committed, and a name both typeset
        // (the same notice, byte for byte) stays with the winner.
        let recorded: std::collections::BTreeSet<(usize, String)> =
            match self.store.events(case_id).await {
                Ok(stored) => stored
                    .iter()
                    .filter_map(|s| {
                        let payload = serde_json::from_str(&s.payload).ok()?;
                        sealed_in(&s.kind, &payload)
                    })
                    .collect(),
                Err(e) => {
                    tracing::warn!("archive cleanup skipped: case {case_id}: {e}");
                    return;
                }
            };
        for (n, sm3) in written {
            if recorded.contains(&(n, sm3.clone())) {
                continue;
            }
            if let Err(e) = sealing.archive.remove_document(case_id, n, &sm3).await {
                tracing::warn!("archive cleanup failed: case {case_id} notice {n}: {e}");
            }
        }
    }
}

impl Service {
    /// An engine over `store`, counting by `calendar` and each pack's `periods`; no fact check
    /// and no sealing until they are set.
    pub fn new(store: Store, calendar: Calendar, periods: PackPeriods) -> Self {
        Service {
            store,
            calendar,
            overlaid: overlay_periods(&periods),
            periods,
            fact_check: None,
            sealing: None,
            directory: None,
            regulations: governance::Regulations::new(),
        }
    }

    /// Every pack in force as a procedure ([`packs::regulations`]): what a new case records of
    /// the packs that govern it, and the bodies and articles its notices name and cite. Without
    /// them a case records the packs' ids only, and a step that issues a notice is refused.
    pub fn with_regulations(mut self, regulations: governance::Regulations) -> Self {
        self.regulations = regulations;
        self
    }

    /// Reads the world outside a case — the organisation chain and the names of the ids a
    /// command mentions — from `directory` rather than the store (see [`Directory`]): the
    /// server gives the directory it keeps in memory, so a command costs no reads for them.
    pub fn with_directory(mut self, directory: Arc<dyn Directory>) -> Self {
        self.directory = Some(directory);
        self
    }

    /// Seals every notice issued from now on: rendered by `render`, archived in `archive`, its
    /// SM3 recorded in the same append as the event that issued it (see the crate docs).
    pub fn with_sealing(mut self, render: Arc<RenderPdf>, archive: EvidenceStore) -> Self {
        self.sealing = Some(Sealing { render, archive });
        self
    }

    /// Whether issued notices are sealed.
    pub fn seals_documents(&self) -> bool {
        self.sealing.is_some()
    }

    /// Typesets a notice with the sealing renderer (for a notice issued before sealing, shown
    /// as 未定稿). `None` when the service seals nothing.
    pub async fn render_document(
        &self,
        document: &Document,
    ) -> Option<Result<RenderedPdf, String>> {
        let sealing = self.sealing.as_ref()?;
        Some(Self::render_blocking(sealing, document).await)
    }

    /// The archive of sealed PDFs, when the service seals.
    pub fn archive(&self) -> Option<&EvidenceStore> {
        self.sealing.as_ref().map(|s| &s.archive)
    }

    async fn render_blocking(
        sealing: &Sealing,
        document: &Document,
    ) -> Result<RenderedPdf, String> {
        let render = sealing.render.clone();
        let document = document.clone();
        match tokio::task::spawn_blocking(move || render(&document)).await {
            Ok(r) => r,
            Err(e) => Err(format!("文书排版异常中止（{e}）")),
        }
    }

    /// Typesets numbered notices with the sealing renderer, before any case id is final (every
    /// process's notices, the application's and the others'). A notice that cannot be typeset
    /// is logged and left out: not sealed, still recorded — a missing seal is not a lost case.
    async fn render_numbered(
        &self,
        // A Vec, not an iterator: adapters' closures held across the awaits would make the
        // future not `Send` for every lifetime (axum's handlers and the scheduler spawn it).
        documents: Vec<(usize, &Document)>,
    ) -> Vec<(usize, RenderedPdf)> {
        let Some(sealing) = &self.sealing else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (n, d) in documents {
            match Self::render_blocking(sealing, d).await {
                Ok(r) => out.push((n, r)),
                Err(why) => tracing::warn!(
                    "document seal skipped: notice {n} ({}) not rendered: {why}",
                    d.title
                ),
            }
        }
        out
    }

    /// Archives notice `n` of `case_id` as rendered and gives the seal that records it; `None`
    /// (logged) when the archive refuses it, and the notice stays unsealed.
    async fn archive_sealed(
        sealing: &Sealing,
        case_id: &str,
        n: usize,
        title: &str,
        r: &RenderedPdf,
    ) -> Option<DocumentSeal> {
        match sealing.archive.put_document(case_id, n, &r.pdf).await {
            Ok(stored) => Some(DocumentSeal {
                document: n,
                title: title.to_string(),
                sm3: stored.digest,
                bytes: stored.size,
                pages: r.pages,
                fonts: r.fonts.clone(),
            }),
            Err(err) => {
                tracing::warn!(
                    "document seal skipped: case {case_id} notice {n} not archived: {err}"
                );
                None
            }
        }
    }

    /// Refuses commands whose facts the pack does not know or whose values have the wrong type.
    pub fn with_fact_check(mut self, check: FactCheck) -> Self {
        self.fact_check = Some(std::sync::Arc::from(check));
        self
    }

    /// The record it reads and writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The working-day calendar it counts by.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Loads and replays a case.
    pub async fn load(&self, case_id: &str) -> Result<Loaded, ServiceError> {
        let stored = self.store.events(case_id).await?;
        if stored.is_empty() {
            return Err(ServiceError::NotFound(case_id.to_string()));
        }
        let mut events = Vec::with_capacity(stored.len());
        for s in &stored {
            let e: Event =
                serde_json::from_str(&s.payload).map_err(|x| ServiceError::CorruptEvent {
                    case_id: case_id.to_string(),
                    version: s.case_version,
                    detail: x.to_string(),
                })?;
            events.push(e);
        }
        let state = State::replay(&events);
        Ok(Loaded {
            case_id: case_id.to_string(),
            state,
            events,
            stored,
        })
    }

    /// The application's periods (pack `000`), as the workflow reads them.
    pub fn application_periods(&self) -> Result<ProcedurePeriods, ServiceError> {
        let periods = self.periods_of(application());
        Ok(ProcedurePeriods::from_map(&periods.0)?)
    }

    /// The periods an application counts by: those of the procedure pack recorded as governing
    /// it (issue 20), else pack `000`'s.
    pub fn application_periods_of(&self, state: &State) -> Result<ProcedurePeriods, ServiceError> {
        let Some(g) = &state.governance else {
            return self.application_periods();
        };
        let periods = self
            .periods
            .get(&g.procedure.pack)
            .unwrap_or_else(|| Periods::none());
        Ok(ProcedurePeriods::from_map(&periods.0)?)
    }

    /// Records many applications at once (see [`Service::import_cases`]): the bulk import of a
    /// unit's paper-era applications and the load benchmark's cases.
    pub async fn import_batch(
        &self,
        cases: &[ImportedCase],
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let mut items = Vec::with_capacity(cases.len());
        for (case_id, commands) in cases {
            let mut converted = Vec::with_capacity(commands.len());
            for (actor, command, today) in commands {
                converted.push((actor.clone(), command_json(command)?, *today));
            }
            items.push((APPLICATION.to_string(), case_id.clone(), converted));
        }
        self.import_cases(&items, now).await
    }

    /// Opens an application with a `file` or `open_ex_officio` command (the one engine's
    /// [`Service::create_process`] for kind `application`). Without an id, the next free
    /// `A<year>-<n>` is used.
    pub async fn create(
        &self,
        case_id: Option<&str>,
        actor: &Actor,
        command: &Command,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(String, i64), ServiceError> {
        if !matches!(
            command,
            Command::File { .. } | Command::OpenExOfficio { .. }
        ) {
            return Err(ServiceError::NotACreation);
        }
        let (id, v, _) = self
            .create_process(
                APPLICATION,
                case_id,
                actor,
                &command_json(command)?,
                today,
                now,
            )
            .await?;
        Ok((id, v))
    }

    /// Runs `command` on an application (the one engine's [`Service::act_process`]), and gives
    /// the events recorded as the workflow's.
    pub async fn act(
        &self,
        case_id: &str,
        expected_version: Option<i64>,
        actor: &Actor,
        command: &Command,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(i64, Vec<Event>), ServiceError> {
        if matches!(
            command,
            Command::File { .. } | Command::OpenExOfficio { .. }
        ) {
            return Err(ServiceError::Exists(case_id.to_string()));
        }
        let (v, decided) = self
            .act_process(
                case_id,
                expected_version,
                actor,
                &command_json(command)?,
                today,
                now,
            )
            .await?;
        let events = decided
            .into_iter()
            .map(|d| {
                serde_json::from_value(d.payload).map_err(|x| ServiceError::CorruptEvent {
                    case_id: case_id.to_string(),
                    version: v,
                    detail: x.to_string(),
                })
            })
            .collect::<Result<Vec<Event>, _>>()?;
        Ok((v, events))
    }

    /// The case as `case show` presents it.
    pub async fn view(&self, case_id: &str, today: NaiveDate) -> Result<CaseView, ServiceError> {
        let loaded = self.load(case_id).await?;
        let state = &loaded.state;
        let mut deadlines = Vec::new();
        for d in open_deadlines(state, &self.calendar, &self.application_periods_of(state)?)? {
            let left = self
                .calendar
                .working_days_between(today, d.due)
                .map(|e| e.working_days)
                .unwrap_or_default();
            deadlines.push(DeadlineView {
                overdue: d.passed(today),
                working_days_left: left,
                deadline: d,
            });
        }
        let timeline = loaded
            .stored
            .iter()
            .zip(&loaded.events)
            .map(|(s, e)| TimelineEntry {
                seq: s.seq,
                version: s.case_version,
                recorded_at: s.at.clone(),
                on: e.on,
                kind: s.kind.clone(),
                actor: s.actor.clone(),
                role: s.role.clone(),
                description: e.describe_zh(),
                reason: s.reason.clone(),
                hash: s.hash.clone(),
            })
            .collect();
        let documents = loaded
            .events
            .iter()
            .filter_map(|e| e.kind.document().cloned())
            .collect();
        let seals = state.seals.values().cloned().collect();
        Ok(CaseView {
            case_id: case_id.to_string(),
            version: loaded.stored.len() as i64,
            stage: state.stage.id().to_string(),
            stage_zh: state.stage.zh().to_string(),
            title: state.title(),
            org_id: state.org_id().map(str::to_string),
            deadlines,
            timeline,
            documents,
            seals,
        })
    }

    /// Open deadlines due from `today` to `today + within` (a working-day period), or overdue.
    pub async fn due(
        &self,
        today: NaiveDate,
        within: Option<Period>,
        overdue: bool,
    ) -> Result<Vec<DueDeadline>, ServiceError> {
        const PAGE: i64 = 500;
        let mut rows = Vec::new();
        if overdue {
            if let Some(yesterday) = today.pred_opt() {
                rows.extend(self.store.due_until(yesterday, PAGE).await?);
            }
        }
        if let Some(p) = within {
            let until = self
                .calendar
                .add(today, p)
                .map_err(WorkflowError::from)?
                .due;
            rows.extend(self.store.due_between(today, until, PAGE).await?);
        }
        Ok(rows)
    }

    /// The periods of pack `000` (id → period), checked as the application reads them, as the
    /// periods of every pack in force when no other pack is loaded (tests, the CLI's one pack).
    pub fn periods_from(map: &BTreeMap<String, Period>) -> Result<PackPeriods, ServiceError> {
        ProcedurePeriods::from_map(map)?;
        Ok(BTreeMap::from([(
            <lvzhi_workflow::Application as lvzhi_processes::Process>::PACK.to_string(),
            Periods::new(map.clone()),
        )]))
    }
}

#[cfg(test)]
mod overlay_tests {
    use super::*;
    use lvzhi_calendar::Period;

    fn set(periods: &[(&str, Period)]) -> Periods {
        Periods::new(periods.iter().map(|(id, p)| (id.to_string(), *p)).collect())
    }

    /// Issue 20 item 2: a process that counts by its own pack (纠错 by 000's verification
    /// period) counts, under a governing pack that sets the same period (a 国动办's own 002 with
    /// a 5-working-day verification), by that pack's; a governing pack that sets none of its
    /// periods leaves its own pack's.
    #[test]
    fn issue20_a_governing_pack_that_sets_a_process_period_is_counted_by() {
        let periods: PackPeriods = BTreeMap::from([
            (
                "000".to_string(),
                set(&[
                    ("acceptance", Period::WorkingDays(7)),
                    ("rectification_verify", Period::WorkingDays(10)),
                ]),
            ),
            (
                "002".to_string(),
                set(&[
                    ("notification", Period::Days(7)),
                    ("rectification_verify", Period::WorkingDays(5)),
                ]),
            ),
            ("003".to_string(), set(&[])),
        ]);
        let overlaid = overlay_periods(&periods);
        let own = &overlaid[&("rectification", "002".to_string())];
        assert_eq!(
            own.get("rectification_verify"),
            Some(Period::WorkingDays(5))
        );
        // The rest of its own pack stays; the other pack's other periods are not mixed in.
        assert_eq!(own.get("acceptance"), Some(Period::WorkingDays(7)));
        assert_eq!(own.get("notification"), None);
        assert!(!overlaid.contains_key(&("rectification", "003".to_string())));
        // The application follows the organisation's procedure pack whole: never overlaid.
        assert!(overlaid.keys().all(|(kind, _)| *kind != "application"));
    }
}
