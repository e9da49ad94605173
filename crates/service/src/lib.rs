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

mod process;
mod result_use;

use std::collections::BTreeMap;

pub mod audit;
pub mod limits;
pub use process::{ProcessCase, ProcessDeadlineView, ProcessView, RECURRENCE};

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_store::{
    CaseLink, CaseRow, DeadlineRow, DueDeadline, EvidenceStore, NewEvent, Projection, Store,
    StoreError, StoredEvent,
};
use lvzhi_workflow::{
    due_events, execute, open_deadlines, try_apply, Actor, Command, Document, DocumentSeal, Event,
    EventKind, OpenDeadline, ProcedurePeriods, State, WorkflowError,
};
use serde::Serialize;

/// The case kind stored in the read model for 000 applications.
pub const APPLICATION: &str = "application";

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Workflow(#[from] WorkflowError),
    #[error("案件 {0} 不存在")]
    NotFound(String),
    #[error(
        "案件编号“{0}”无效：只能包含字母、数字、连字符和下划线，不能以下划线开头，长度 1 至 64"
    )]
    BadCaseId(String),
    #[error("案件 {0} 已存在，不能重复立案")]
    Exists(String),
    #[error("立案只能通过“提出申请”（file）或“主动启动”（open_ex_officio）操作")]
    NotACreation,
    #[error("{0}")]
    Facts(String),
    /// Refused by a process of `lvzhi_processes` (its Chinese reason).
    #[error("{0}")]
    Process(#[from] lvzhi_processes::ProcessError),
    #[error("案件类型“{0}”不存在")]
    UnknownKind(String),
    /// A command that is not a command of the process: serde's words and the field's path (the
    /// server words them in Chinese).
    #[error("办理命令无法识别（{path}）：{message}")]
    Command { path: String, message: String },
    #[error("{0}只能通过立案操作开始")]
    NotAProcessCreation(&'static str),
    /// A text, list or map past its limit (`limits`).
    #[error("{0}")]
    TooLong(#[from] limits::TooLong),
    /// Evidence named by its digest without proof that this person uploaded the file to this
    /// case (issue 19): a digest seen elsewhere must not make another case's file readable.
    #[error("证据文件须随登记一并上传：未找到您在 {hours} 小时内向本案件上传该文件（SM3 {sm3_short}…）的记录，仅凭摘要不能登记证据材料")]
    EvidenceNotUploaded { sm3_short: String, hours: i64 },
    #[error("案件 {case_id} 的第 {version} 个事件无法读取（{detail}），请运行 lvzhi audit verify 检查记录")]
    CorruptEvent {
        case_id: String,
        version: i64,
        detail: String,
    },
}

/// A case loaded from the store.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub case_id: String,
    pub state: State,
    pub events: Vec<Event>,
    pub stored: Vec<StoredEvent>,
}

/// What `case show` prints: the state, every open deadline, and the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case_id: String,
    pub version: i64,
    pub stage: String,
    /// The stage in Chinese, as pages and notices name it.
    pub stage_zh: String,
    pub title: String,
    pub org_id: Option<String>,
    pub deadlines: Vec<DeadlineView>,
    pub timeline: Vec<TimelineEntry>,
    pub documents: Vec<lvzhi_workflow::Document>,
    /// The seals of the documents sealed so far (issue 6), by document number.
    pub seals: Vec<DocumentSeal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    #[serde(flatten)]
    pub deadline: OpenDeadline,
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub seq: i64,
    pub version: i64,
    pub recorded_at: String,
    pub on: NaiveDate,
    pub kind: String,
    pub actor: String,
    pub role: String,
    pub description: String,
    pub reason: Option<String>,
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
    pub pdf: Vec<u8>,
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
    periods: ProcedurePeriods,
    fact_check: Option<SharedFactCheck>,
    sealing: Option<Sealing>,
}

type SharedFactCheck = std::sync::Arc<
    dyn Fn(&BTreeMap<String, serde_json::Value>) -> Result<(), String> + Send + Sync,
>;

/// Who and which organisations a case involves, as the read model's `case_links` rows: what
/// the server's access scope lists cases by (the policies re-check every row).
pub fn case_links(state: &State) -> Vec<CaseLink> {
    let mut out = Vec::new();
    let mut push = |relation: &str, target: &str| {
        if !target.is_empty() {
            out.push(CaseLink {
                relation: relation.to_string(),
                target: target.to_string(),
            });
        }
    };
    if let Some(o) = state.applying_unit() {
        push("applying_unit", &o.id);
    }
    for p in state.applicant_ids() {
        push("applicant", p);
    }
    for p in state.panel_ids() {
        push("panel", p);
    }
    for p in state.external_ids() {
        push("external", p);
    }
    for p in state.recused_ids() {
        push("recused", p);
    }
    if let Some(o) = state.escalated_to() {
        push("parent_committee", &o.id);
    }
    if let Some(o) = state.department_org() {
        push("department", &o.id);
    }
    out.sort_by(|a, b| (&a.relation, &a.target).cmp(&(&b.relation, &b.target)));
    out.dedup();
    out
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

fn to_new_event(e: &Event, now: DateTime<Utc>) -> Result<NewEvent, ServiceError> {
    Ok(NewEvent {
        kind: e.kind.id().to_string(),
        actor: e.by.person_id.clone(),
        role: e.by.role.id().to_string(),
        at: now,
        reason: e.reason().map(str::to_string),
        payload: serde_json::to_value(e).map_err(|x| StoreError::Payload(x.to_string()))?,
    })
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
                    eprintln!("archive cleanup skipped: case {case_id}: {e}");
                    return;
                }
            };
        for (n, sm3) in written {
            if recorded.contains(&(n, sm3.clone())) {
                continue;
            }
            if let Err(e) = sealing.archive.remove_document(case_id, n, &sm3).await {
                eprintln!("archive cleanup failed: case {case_id} notice {n}: {e}");
            }
        }
    }
}

impl Service {
    pub fn new(store: Store, calendar: Calendar, periods: ProcedurePeriods) -> Self {
        Service {
            store,
            calendar,
            periods,
            fact_check: None,
            sealing: None,
        }
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
                Err(why) => eprintln!(
                    "document seal skipped: notice {n} ({}) not rendered: {why}",
                    d.title
                ),
            }
        }
        out
    }

    /// Renders the notices `events` issue (numbered from `first`).
    async fn render_issued(&self, events: &[Event], first: usize) -> Vec<(usize, RenderedPdf)> {
        let issued = events.iter().filter_map(|e| e.kind.document());
        let numbered = issued.enumerate().map(|(i, d)| (first + i, d)).collect();
        self.render_numbered(numbered).await
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
                eprintln!("document seal skipped: case {case_id} notice {n} not archived: {err}");
                None
            }
        }
    }

    /// Archives the rendered notices under `case_id` and returns `events` with a seal after
    /// each notice archived, each checked against `state` (the state the events lead to).
    async fn seal_into(
        &self,
        case_id: &str,
        events: &[Event],
        first: usize,
        rendered: &[(usize, RenderedPdf)],
        state: &State,
    ) -> Vec<Event> {
        let Some(sealing) = &self.sealing else {
            return events.to_vec();
        };
        let mut out = Vec::with_capacity(events.len() + rendered.len());
        let mut checked = state.clone();
        let mut n = first;
        for e in events {
            out.push(e.clone());
            let Some(d) = e.kind.document() else { continue };
            let this = n;
            n += 1;
            let Some((_, r)) = rendered.iter().find(|(k, _)| *k == this) else {
                continue;
            };
            let Some(seal) = Self::archive_sealed(sealing, case_id, this, &d.title, r).await else {
                continue;
            };
            let seal = Event {
                on: e.on,
                by: e.by.clone(),
                kind: EventKind::DocumentSealed { seal },
            };
            match try_apply(checked.clone(), &seal) {
                Ok(next) => {
                    checked = next;
                    out.push(seal);
                }
                Err(err) => {
                    eprintln!("document seal skipped: case {case_id} notice {this}: {err}")
                }
            }
        }
        out
    }

    /// Refuses commands whose facts the pack does not know or whose values have the wrong type.
    pub fn with_fact_check(mut self, check: FactCheck) -> Self {
        self.fact_check = Some(std::sync::Arc::from(check));
        self
    }

    fn check_facts(&self, command: &Command) -> Result<(), ServiceError> {
        // Every command's texts and lists first (issue 19: one limit for every front end).
        let value =
            serde_json::to_value(command).map_err(|x| StoreError::Payload(x.to_string()))?;
        limits::check(&value)?;
        let facts = match command {
            Command::File { form, .. } | Command::OpenExOfficio { form, .. } => &form.facts,
            Command::UpdateFacts { facts } => facts,
            _ => return Ok(()),
        };
        match &self.fact_check {
            Some(check) => check(facts).map_err(ServiceError::Facts),
            None => Ok(()),
        }
    }

    /// `add_evidence` records a file only with the uploader's receipt for this case, made
    /// within [`UPLOAD_RECEIPT_HOURS`] (the upload and the record are one request on the pages
    /// and the API; the window covers a client that uploads, then records).
    async fn check_possession(
        &self,
        case_id: &str,
        actor: &Actor,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let Command::AddEvidence { evidence } = command else {
            return Ok(());
        };
        let uploaded = self
            .store
            .evidence_uploaded_at(case_id, &actor.person_id, &evidence.sm3)
            .await?;
        match uploaded {
            Some(at)
                if now - at <= chrono::Duration::hours(UPLOAD_RECEIPT_HOURS)
                    && at <= now + chrono::Duration::minutes(5) =>
            {
                Ok(())
            }
            _ => Err(ServiceError::EvidenceNotUploaded {
                sm3_short: evidence.sm3.chars().take(12).collect(),
                hours: UPLOAD_RECEIPT_HOURS,
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

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

    fn projection(&self, state: &State) -> Result<Projection, ServiceError> {
        let deadlines = open_deadlines(state, &self.calendar, &self.periods)?
            .into_iter()
            .map(|d| DeadlineRow {
                step: d.step.id().to_string(),
                due: d.due,
                provisional: d.provisional,
                article: d.article.clone(),
                fires_event: d.step.fires_event(),
                role: d.responsible.id().to_string(),
                label: d.label.clone(),
            })
            .collect();
        Ok(Projection {
            case: CaseRow {
                kind: APPLICATION.to_string(),
                state: state.stage.id().to_string(),
                org_id: state.org_id().unwrap_or_default().to_string(),
                title: state.title(),
            },
            deadlines,
            // Filled from the case's parties once the workflow exposes them.
            links: case_links(state),
        })
    }

    /// Records many cases at once, all or nothing, in one transaction: the bulk import of a
    /// unit's paper-era cases (and the load benchmark's 100k cases). Each case is a sequence of
    /// commands decided by the workflow exactly as `create` and `act` would, on its own day;
    /// nothing is written unless every command of every case is accepted.
    pub async fn import_batch(
        &self,
        cases: &[ImportedCase],
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let mut prepared = Vec::with_capacity(cases.len());
        for (case_id, commands) in cases {
            if !valid_case_id(case_id) {
                return Err(ServiceError::BadCaseId(case_id.clone()));
            }
            let mut state = State::default();
            let mut events = Vec::new();
            for (i, (actor, command, today)) in commands.iter().enumerate() {
                let opens = matches!(
                    command,
                    Command::File { .. } | Command::OpenExOfficio { .. }
                );
                if opens != (i == 0) {
                    return Err(ServiceError::NotACreation);
                }
                self.check_facts(command)?;
                let (next, mut decided) = execute(
                    &state,
                    command,
                    actor,
                    *today,
                    &self.calendar,
                    &self.periods,
                )?;
                state = next;
                events.append(&mut decided);
            }
            let projection = self.projection(&state)?;
            let new_events = events
                .iter()
                .map(|e| to_new_event(e, now))
                .collect::<Result<Vec<_>, _>>()?;
            prepared.push((case_id.as_str(), new_events, projection));
        }
        let items: Vec<lvzhi_store::BatchItem<'_>> = prepared
            .iter()
            .map(|(id, events, projection)| lvzhi_store::BatchItem {
                case_id: id,
                expected_version: 0,
                events,
                projection: Some(projection),
            })
            .collect();
        match self.store.append_batch(&items).await {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict { case_id, .. }) => Err(ServiceError::Exists(case_id)),
            Err(e) => Err(e.into()),
        }
    }

    /// Opens a new case with a `file` or `open_ex_officio` command. Without an id, the next
    /// free `A<year>-<n>` is used.
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
        self.check_facts(command)?;
        let (state, events) = execute(
            &State::default(),
            command,
            actor,
            today,
            &self.calendar,
            &self.periods,
        )?;
        let projection = self.projection(&state)?;
        if let Some(id) = case_id {
            if !valid_case_id(id) {
                return Err(ServiceError::BadCaseId(id.to_string()));
            }
        }
        // Typeset once; archived under whichever id the case gets.
        let rendered = self.render_issued(&events, 1).await;
        let sealed = |id: String| {
            let (events, rendered, state) = (&events, &rendered, &state);
            async move {
                let events = self.seal_into(&id, events, 1, rendered, state).await;
                events
                    .iter()
                    .map(|e| to_new_event(e, now))
                    .collect::<Result<Vec<_>, _>>()
            }
        };
        if let Some(id) = case_id {
            let new_events = sealed(id.to_string()).await?;
            return match self.append_archived(id, 0, &new_events, &projection).await {
                Ok(v) => Ok((id.to_string(), v)),
                Err(StoreError::Conflict { .. }) => Err(ServiceError::Exists(id.to_string())),
                Err(e) => Err(e.into()),
            };
        }
        // Sequential numbers per year; a number taken by a concurrent writer is skipped.
        let mut n = self.store.count_cases(APPLICATION).await? + 1;
        loop {
            let id = format!("A{}-{:06}", today.year(), n);
            let new_events = sealed(id.clone()).await?;
            match self.append_archived(&id, 0, &new_events, &projection).await {
                Ok(v) => return Ok((id, v)),
                Err(StoreError::Conflict { .. }) => n += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Runs `command` on a case. `expected_version`, when given, is the version the user saw:
    /// if the case changed since, the command is refused rather than applied to a state the
    /// user did not see. Returns the new version and the events recorded.
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
        self.check_facts(command)?;
        let loaded = self.load(case_id).await?;
        let version = loaded.stored.len() as i64;
        if let Some(expected) = expected_version {
            if expected != version {
                return Err(StoreError::Conflict {
                    case_id: case_id.to_string(),
                    expected,
                    actual: version,
                }
                .into());
            }
        }
        // A passed deadline's system event comes first (000 §13: 逾期未告知的视为受理).
        let loaded_documents = loaded.state.documents.len();
        let mut state = loaded.state;
        let mut events = Vec::new();
        for e in due_events(&state, today, &self.calendar, &self.periods)? {
            state = try_apply(state, &e)?;
            events.push(e);
        }
        let (state, mut decided) =
            execute(&state, command, actor, today, &self.calendar, &self.periods)?;
        // After the workflow accepted the step, so a refusal gives its own reason first.
        self.check_possession(case_id, actor, command, now).await?;
        events.append(&mut decided);
        let projection = self.projection(&state)?;
        let first = loaded_documents + 1;
        let rendered = self.render_issued(&events, first).await;
        let events = self
            .seal_into(case_id, &events, first, &rendered, &state)
            .await;
        let new_events = events
            .iter()
            .map(|e| to_new_event(e, now))
            .collect::<Result<Vec<_>, _>>()?;
        let v = self
            .append_archived(case_id, version, &new_events, &projection)
            .await?;
        Ok((v, events))
    }

    /// One scheduler pass: leases due deadlines, fires their system events, and returns the
    /// cases it fired for. Safe to run from several processes at once (see `Store::claim_due`).
    pub async fn tick(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
        owner: &str,
    ) -> Result<Vec<String>, ServiceError> {
        let mut fired = Vec::new();
        loop {
            let claimed = self
                .store
                .claim_due(today, owner, now, std::time::Duration::from_secs(120), 100)
                .await?;
            if claimed.is_empty() {
                break;
            }
            for c in claimed {
                if let Some(kind) = self.case_kind(&c.case_id).await? {
                    if kind != APPLICATION {
                        if self.tick_process(&c.case_id, today, now).await? {
                            fired.push(c.case_id);
                        }
                        continue;
                    }
                }
                let loaded = self.load(&c.case_id).await?;
                let version = loaded.stored.len() as i64;
                let first = loaded.state.documents.len() + 1;
                let mut state = loaded.state;
                let mut events = Vec::new();
                for e in due_events(&state, today, &self.calendar, &self.periods)? {
                    state = try_apply(state, &e)?;
                    events.push(e);
                }
                let projection = self.projection(&state)?;
                if events.is_empty() {
                    // Nothing due after all (e.g. the deadline moved): refresh the read model
                    // so the stale row is not claimed again.
                    self.store
                        .replace_deadlines(&c.case_id, &projection.deadlines)
                        .await?;
                    continue;
                }
                // 视为受理's notice is sealed like any other (000 §13).
                let rendered = self.render_issued(&events, first).await;
                let events = self
                    .seal_into(&c.case_id, &events, first, &rendered, &state)
                    .await;
                let new_events = events
                    .iter()
                    .map(|e| to_new_event(e, now))
                    .collect::<Result<Vec<_>, _>>()?;
                match self
                    .append_archived(&c.case_id, version, &new_events, &projection)
                    .await
                {
                    Ok(_) => fired.push(c.case_id),
                    // Someone acted on the case meanwhile; their append already handled it.
                    Err(StoreError::Conflict { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(fired)
    }

    /// The case as `case show` presents it.
    pub async fn view(&self, case_id: &str, today: NaiveDate) -> Result<CaseView, ServiceError> {
        let loaded = self.load(case_id).await?;
        let state = &loaded.state;
        let mut deadlines = Vec::new();
        for d in open_deadlines(state, &self.calendar, &self.periods)? {
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

    /// Periods by id, as the workflow reads them from the policy pack.
    pub fn periods_from(map: &BTreeMap<String, Period>) -> Result<ProcedurePeriods, ServiceError> {
        Ok(ProcedurePeriods::from_map(map)?)
    }
}
