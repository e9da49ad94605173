//! The other processes of the seeds (`lvzhi_processes`: 维权 incidents, 正名, …) on the same
//! record as the 000 application: the same steps in the same order — load and replay, fire what
//! is due, decide, append with the version read and the read model in one transaction — for any
//! registered process, by its `kind`.
//!
//! What the service adds around a process's pure `decide` is the world outside the case, as the
//! process's [`Ctx`]: the organisation chain from the directory (for 001 §17's report to every
//! level) and the earlier cases that share a recurrence key (read model links of relation
//! [`RECURRENCE`]; 000 §31, 002 §17). After each command the process's follow-up is decided as
//! the system until it has none, so e.g. an escalation report or a recurrence flag is recorded in
//! the same append as the command that caused it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lvzhi_processes::registry::{by_kind, AnyCase, CaseType, DecidedEvent};
use lvzhi_processes::{Actor, By, Ctx, Org, ProcessError};
use lvzhi_store::{CaseLink, CaseRow, DeadlineRow, NewEvent, Projection, StoreError, StoredEvent};
use serde::Serialize;

use crate::{valid_case_id, RenderedPdf, Service, ServiceError, TimelineEntry};

/// The read model relation under which a case's recurrence keys are kept (target: the key).
pub const RECURRENCE: &str = "recurrence";

/// How many follow-up commands one command may cause before the service gives up: a process
/// whose follow-up never settles is a bug, reported rather than looped on.
const MAX_FOLLOW_UPS: usize = 16;

/// How many earlier cases of one recurrence key are looked up.
const MAX_RECURRENCE: i64 = 200;

/// A process case loaded from the store.
#[derive(Clone)]
pub struct ProcessCase {
    pub case_id: String,
    pub process: &'static dyn CaseType,
    pub case: Box<dyn AnyCase>,
    pub stored: Vec<StoredEvent>,
}

impl ProcessCase {
    pub fn version(&self) -> i64 {
        self.stored.len() as i64
    }
}

/// A process case as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessView {
    pub case_id: String,
    pub kind: String,
    pub kind_zh: String,
    pub version: i64,
    pub stage: String,
    pub stage_zh: String,
    pub title: String,
    pub org_id: String,
    pub facts: Vec<lvzhi_processes::Fact>,
    pub deadlines: Vec<ProcessDeadlineView>,
    pub timeline: Vec<TimelineEntry>,
    pub documents: Vec<lvzhi_processes::Document>,
    /// The seals of the notices (`seal.document` from 1): the SM3 of each archived PDF and the
    /// day it was sealed.
    pub seals: Vec<lvzhi_processes::SealEntry>,
    pub links: Vec<(String, String)>,
    pub state: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessDeadlineView {
    #[serde(flatten)]
    pub deadline: lvzhi_processes::OpenDeadline,
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
}

fn refused(e: ProcessError) -> ServiceError {
    ServiceError::Process(e)
}

fn to_new(e: &DecidedEvent, now: DateTime<Utc>) -> NewEvent {
    NewEvent {
        kind: e.kind_id.to_string(),
        actor: e.by.person_id.clone(),
        role: e.by.role.id().to_string(),
        at: now,
        reason: None,
        payload: e.payload.clone(),
    }
}

/// Every string value of a JSON document (a command's ids are among them).
fn collect_strings<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// Whether a string could be a directory id (short, no spaces): free text is not looked up.
fn lookup_worthy(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

impl Service {
    /// The kind of a stored case (`application`, `incident`, …), from the read model.
    pub async fn case_kind(&self, case_id: &str) -> Result<Option<String>, ServiceError> {
        Ok(self.store.case_row(case_id).await?.map(|(row, _)| row.kind))
    }

    /// Loads and replays a case of a registered process.
    pub async fn load_process(&self, case_id: &str) -> Result<ProcessCase, ServiceError> {
        let Some((row, _)) = self.store.case_row(case_id).await? else {
            return Err(ServiceError::NotFound(case_id.to_string()));
        };
        let process = by_kind(&row.kind).ok_or_else(|| ServiceError::UnknownKind(row.kind))?;
        let stored = self.store.events(case_id).await?;
        if stored.is_empty() {
            return Err(ServiceError::NotFound(case_id.to_string()));
        }
        let payloads: Vec<&str> = stored.iter().map(|s| s.payload.as_str()).collect();
        let case = process
            .replay(&payloads)
            .map_err(|e| ServiceError::CorruptEvent {
                case_id: case_id.to_string(),
                version: e.index as i64 + 1,
                detail: e.detail,
            })?;
        Ok(ProcessCase {
            case_id: case_id.to_string(),
            process,
            case,
            stored,
        })
    }

    /// The organisation and each one above it, from the directory (a missing organisation ends
    /// the chain; a cycle cannot occur, the directory refuses one).
    pub async fn org_chain(&self, org_id: &str) -> Result<Vec<Org>, ServiceError> {
        let mut chain = Vec::new();
        let mut at = Some(org_id.to_string());
        while let Some(id) = at {
            if id.is_empty() || chain.iter().any(|o: &Org| o.id == id) || chain.len() > 64 {
                break;
            }
            match self.store.org(&id).await? {
                Some(o) => {
                    at = o.parent_id.clone();
                    chain.push(Org {
                        id: o.id,
                        name: o.name,
                    });
                }
                None => break,
            }
        }
        Ok(chain)
    }

    /// The context a process decides in: today, the calendar, the chain above `org_id` and the
    /// other cases sharing each of `case`'s recurrence keys.
    async fn process_ctx(
        &self,
        today: NaiveDate,
        org_id: &str,
        case: &dyn AnyCase,
        case_id: Option<&str>,
        command: Option<&serde_json::Value>,
    ) -> Result<Ctx<'_>, ServiceError> {
        let org_chain = self.org_chain(org_id).await?;
        let mut names = BTreeMap::new();
        if let Some(command) = command {
            let mut strings = Vec::new();
            collect_strings(command, &mut strings);
            strings.sort();
            strings.dedup();
            for s in strings {
                if !lookup_worthy(s) {
                    continue;
                }
                if let Some(p) = self.store.person(s).await? {
                    names.insert(s.to_string(), p.name);
                } else if let Some(o) = self.store.org(s).await? {
                    names.insert(s.to_string(), o.name);
                }
            }
        }
        let mut recurrence = BTreeMap::new();
        for key in case.recurrence_keys() {
            let mut ids = self
                .store
                .cases_linked(RECURRENCE, &key, MAX_RECURRENCE)
                .await?;
            ids.retain(|id| Some(id.as_str()) != case_id);
            recurrence.insert(key, ids);
        }
        Ok(Ctx {
            today,
            calendar: &self.calendar,
            org_chain,
            recurrence,
            names,
        })
    }

    /// The organisation a case is handled at, or for a case not yet opened the actor's.
    fn anchor(case: &dyn AnyCase, actor: &Actor) -> String {
        let org = case.summary().org_id;
        if org.is_empty() {
            actor.org_id.clone()
        } else {
            org
        }
    }

    /// Decides `command` on `case` (a clone is changed only when everything is accepted), then
    /// the process's follow-ups as the system: the events to append, in order.
    async fn decide_process(
        &self,
        case: &mut Box<dyn AnyCase>,
        case_id: Option<&str>,
        command: &serde_json::Value,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<DecidedEvent>, ServiceError> {
        let mut work = case.clone();
        let ctx = self
            .process_ctx(
                today,
                &Self::anchor(&*work, actor),
                &*work,
                case_id,
                Some(command),
            )
            .await?;
        let mut events = work.execute(command, actor, &ctx).map_err(refused)?;
        // A command that opens a case (or moves it) names its organisation: decide again in the
        // context of that organisation's chain, so escalations climb from the right level.
        let org = work.summary().org_id;
        if ctx.org_chain.first().map(|o| o.id.as_str()) != Some(org.as_str()) && !org.is_empty() {
            work = case.clone();
            let ctx = self
                .process_ctx(today, &org, &*work, case_id, Some(command))
                .await?;
            events = work.execute(command, actor, &ctx).map_err(refused)?;
        }
        for _ in 0..MAX_FOLLOW_UPS {
            let org = work.summary().org_id;
            let ctx = self.process_ctx(today, &org, &*work, case_id, None).await?;
            match work.follow_up(&ctx).map_err(refused)? {
                Some(mut more) => events.append(&mut more),
                None => {
                    *case = work;
                    return Ok(events);
                }
            }
        }
        Err(ServiceError::Process(ProcessError::new(
            "本案的后续处理未能完成，请联系系统管理员",
        )))
    }

    /// The read model of a process case: its row, open deadlines, and links (with one
    /// `recurrence` link per recurrence key).
    fn process_projection(&self, process: &dyn CaseType, case: &dyn AnyCase) -> Projection {
        let summary = case.summary();
        let deadlines = case
            .deadlines(&self.calendar)
            .into_iter()
            .map(|d| DeadlineRow {
                fires_event: case.fires_event(&d),
                step: d.step,
                due: d.due,
                provisional: d.provisional,
                article: d.article,
                role: d.role.id().to_string(),
                label: d.label,
            })
            .collect();
        let mut links: Vec<CaseLink> = case
            .links()
            .into_iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(relation, target)| CaseLink { relation, target })
            .chain(case.recurrence_keys().into_iter().map(|k| CaseLink {
                relation: RECURRENCE.to_string(),
                target: k,
            }))
            .collect();
        links.sort_by(|a, b| (&a.relation, &a.target).cmp(&(&b.relation, &b.target)));
        links.dedup();
        Projection {
            case: CaseRow {
                kind: process.kind().to_string(),
                state: summary.stage,
                org_id: summary.org_id,
                title: summary.title,
            },
            deadlines,
            links,
        }
    }

    /// Typesets the notices of `case` numbered `first` and after (those the events about to be
    /// appended issue), before the append, as for applications (issue 6). Nothing when the
    /// service does not seal; a notice that cannot be typeset is left unsealed (logged).
    async fn render_process_documents(
        &self,
        case: &dyn AnyCase,
        first: usize,
    ) -> Vec<(usize, RenderedPdf)> {
        if self.sealing.is_none() {
            return Vec::new();
        }
        let documents = case.documents();
        let numbered = documents.iter().enumerate().map(|(i, d)| (i + 1, d));
        let numbered = numbered.skip(first - 1).collect();
        self.render_numbered(numbered).await
    }

    /// Archives the rendered notices under `case_id` and records their seals on `case`: the
    /// seal events to append after the events that issued the notices, in the same append. The
    /// seals are by the person whose act issued the notices (`by`), on `on`. A notice that
    /// cannot be archived stays unsealed (a missing seal never costs the command).
    async fn seal_process_documents(
        &self,
        case_id: &str,
        case: &mut Box<dyn AnyCase>,
        rendered: &[(usize, RenderedPdf)],
        on: NaiveDate,
        by: &By,
    ) -> Vec<DecidedEvent> {
        let Some(sealing) = &self.sealing else {
            return Vec::new();
        };
        let documents = case.documents();
        let mut out = Vec::new();
        for (n, r) in rendered {
            let Some(d) = n.checked_sub(1).and_then(|i| documents.get(i)) else {
                continue;
            };
            let Some(seal) = Self::archive_sealed(sealing, case_id, *n, &d.title, r).await else {
                continue;
            };
            match case.seal(on, by.clone(), seal) {
                Ok(e) => out.push(e),
                Err(err) => eprintln!("document seal skipped: case {case_id} notice {n}: {err}"),
            }
        }
        out
    }

    /// Opens a case of the process `kind` with one of its opening commands (JSON, as the API
    /// takes it). Without an id, the next free `<ID_PREFIX><year>-<n>` is used. Returns the id,
    /// the version and the events recorded (the command's and its follow-ups').
    pub async fn create_process(
        &self,
        kind: &str,
        case_id: Option<&str>,
        actor: &Actor,
        command: &serde_json::Value,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(String, i64, Vec<DecidedEvent>), ServiceError> {
        self.create_process_checked(kind, case_id, actor, command, today, now, |_| Ok(()))
            .await
    }

    /// As [`Self::create_process`], with `authorize` asked about the decided case before
    /// anything is written (the server checks the access policies on the organisations the new
    /// case names: who may open a case is a question about the case it would be).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_process_checked<E, F>(
        &self,
        kind: &str,
        case_id: Option<&str>,
        actor: &Actor,
        command: &serde_json::Value,
        today: NaiveDate,
        now: DateTime<Utc>,
        authorize: F,
    ) -> Result<(String, i64, Vec<DecidedEvent>), E>
    where
        E: From<ServiceError>,
        F: FnOnce(&dyn AnyCase) -> Result<(), E> + Send,
    {
        let process = by_kind(kind).ok_or_else(|| ServiceError::UnknownKind(kind.to_string()))?;
        crate::limits::check(command).map_err(ServiceError::from)?;
        let info = process
            .parse_command(command)
            .map_err(|e| ServiceError::Command {
                path: e.path,
                message: e.message,
            })?;
        if !info.opens {
            return Err(ServiceError::NotAProcessCreation(process.name_zh()).into());
        }
        let mut case = process.new_case();
        let events = self
            .decide_process(&mut case, None, command, actor, today)
            .await?;
        authorize(&*case)?;
        let projection = self.process_projection(process, &*case);
        if let Some(id) = case_id {
            if !valid_case_id(id) {
                return Err(ServiceError::BadCaseId(id.to_string()).into());
            }
        }
        // Typeset once; archived and sealed under whichever id the case gets.
        let rendered = self.render_process_documents(&*case, 1).await;
        let by = events
            .first()
            .map(|e| e.by.clone())
            .unwrap_or_else(By::system);
        let sealed = |id: String| {
            let (events, rendered, by, case) = (&events, &rendered, &by, &case);
            async move {
                let mut case = case.clone();
                let mut all = events.clone();
                all.extend(
                    self.seal_process_documents(&id, &mut case, rendered, today, by)
                        .await,
                );
                let new_events: Vec<NewEvent> = all.iter().map(|e| to_new(e, now)).collect();
                (all, new_events)
            }
        };
        if let Some(id) = case_id {
            let (events, new_events) = sealed(id.to_string()).await;
            return match self.append_archived(id, 0, &new_events, &projection).await {
                Ok(v) => Ok((id.to_string(), v, events)),
                Err(StoreError::Conflict { .. }) => {
                    Err(ServiceError::Exists(id.to_string()).into())
                }
                Err(e) => Err(ServiceError::from(e).into()),
            };
        }
        // Sequential numbers; a number taken by a concurrent writer is skipped.
        let mut n = self
            .store
            .count_cases(kind)
            .await
            .map_err(ServiceError::from)?
            + 1;
        loop {
            let id = format!("{}{}-{:06}", process.id_prefix(), today.year(), n);
            let (events, new_events) = sealed(id.clone()).await;
            match self.append_archived(&id, 0, &new_events, &projection).await {
                Ok(v) => return Ok((id, v, events)),
                Err(StoreError::Conflict { .. }) => n += 1,
                Err(e) => return Err(ServiceError::from(e).into()),
            }
        }
    }

    /// Runs a command on a process case, as `act` does for applications: due system events
    /// first, then the command, then its follow-ups, appended with the version read (or the
    /// version the user saw, when given).
    pub async fn act_process(
        &self,
        case_id: &str,
        expected_version: Option<i64>,
        actor: &Actor,
        command: &serde_json::Value,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(i64, Vec<DecidedEvent>), ServiceError> {
        crate::limits::check(command)?;
        let loaded = self.load_process(case_id).await?;
        let version = loaded.version();
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
        let info = loaded
            .process
            .parse_command(command)
            .map_err(|e| ServiceError::Command {
                path: e.path,
                message: e.message,
            })?;
        if info.opens {
            return Err(ServiceError::Exists(case_id.to_string()));
        }
        let mut case = loaded.case;
        let issued_before = case.documents().len();
        let org = case.summary().org_id;
        let ctx = self
            .process_ctx(today, &org, &*case, Some(case_id), None)
            .await?;
        let mut events = case.fire_due(&ctx);
        let decided = self
            .decide_process(&mut case, Some(case_id), command, actor, today)
            .await?;
        let by = decided
            .first()
            .or(events.first())
            .map(|e| e.by.clone())
            .unwrap_or_else(By::system);
        events.extend(decided);
        let rendered = self
            .render_process_documents(&*case, issued_before + 1)
            .await;
        let mut seals = self
            .seal_process_documents(case_id, &mut case, &rendered, today, &by)
            .await;
        events.append(&mut seals);
        let projection = self.process_projection(loaded.process, &*case);
        let new_events: Vec<NewEvent> = events.iter().map(|e| to_new(e, now)).collect();
        let v = self
            .append_archived(case_id, version, &new_events, &projection)
            .await?;
        Ok((v, events))
    }

    /// Fires the due system events of a process case (the scheduler's pass for a case with an
    /// open deadline that has passed). Returns whether anything was recorded.
    pub async fn tick_process(
        &self,
        case_id: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool, ServiceError> {
        let loaded = self.load_process(case_id).await?;
        let version = loaded.version();
        let mut case = loaded.case;
        let issued_before = case.documents().len();
        let org = case.summary().org_id;
        let ctx = self
            .process_ctx(today, &org, &*case, Some(case_id), None)
            .await?;
        let mut events = case.fire_due(&ctx);
        let projection = self.process_projection(loaded.process, &*case);
        if !events.is_empty() {
            let rendered = self
                .render_process_documents(&*case, issued_before + 1)
                .await;
            let mut seals = self
                .seal_process_documents(case_id, &mut case, &rendered, today, &By::system())
                .await;
            events.append(&mut seals);
        }
        if events.is_empty() {
            // Nothing due after all: refresh the read model so the row is not claimed again.
            self.store
                .replace_deadlines(case_id, &projection.deadlines)
                .await?;
            return Ok(false);
        }
        let new_events: Vec<NewEvent> = events.iter().map(|e| to_new(e, now)).collect();
        match self
            .append_archived(case_id, version, &new_events, &projection)
            .await
        {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// A process case as its page shows it.
    pub fn view_process(&self, loaded: &ProcessCase, today: NaiveDate) -> ProcessView {
        let case = &*loaded.case;
        let summary = case.summary();
        let deadlines = case
            .deadlines(&self.calendar)
            .into_iter()
            .map(|d| {
                let left = self
                    .calendar
                    .working_days_between(today, d.due)
                    .map(|e| e.working_days)
                    .unwrap_or_default();
                ProcessDeadlineView {
                    overdue: today > d.due,
                    working_days_left: left,
                    deadline: d,
                }
            })
            .collect();
        let timeline = loaded
            .stored
            .iter()
            .zip(case.timeline())
            .map(|(s, (on, description))| TimelineEntry {
                seq: s.seq,
                version: s.case_version,
                recorded_at: s.at.clone(),
                on,
                kind: s.kind.clone(),
                actor: s.actor.clone(),
                role: s.role.clone(),
                description,
                reason: s.reason.clone(),
                hash: s.hash.clone(),
            })
            .collect();
        ProcessView {
            case_id: loaded.case_id.clone(),
            kind: loaded.process.kind().to_string(),
            kind_zh: loaded.process.name_zh().to_string(),
            version: loaded.version(),
            stage: summary.stage,
            stage_zh: summary.stage_zh,
            title: summary.title,
            org_id: summary.org_id,
            facts: case.facts(),
            deadlines,
            timeline,
            documents: case.documents(),
            seals: case.seals(),
            links: case.links(),
            state: case.state_json(),
        }
    }
}
