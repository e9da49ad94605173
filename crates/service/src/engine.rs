//! The one engine (issue 14): every registered process — the 000 application as much as 维权
//! incidents, 正名, 执法过错, appeals against heavy sanctions and rectifications — goes the same
//! steps in the same order, by its `kind`:
//!
//! 1. load the case's events and replay them through its process;
//! 2. fire any system event already due (视为受理, 000 §13; a passed last day) — a command never
//!    acts on a case whose deadline has silently passed;
//! 3. check the command: its texts against the limits, its facts against the pack, then let the
//!    process decide it (pure: a refused command writes nothing), and for evidence, that its
//!    uploader uploaded the file to this case;
//! 4. decide the process's follow-ups as the system until it has none;
//! 5. typeset, archive and seal the notices issued, each seal right after the event that issued
//!    it;
//! 6. append the events with the version read, with the case's read model, in one transaction.
//!
//! What the service adds around a process's pure `decide` is the world outside the case, as the
//! process's [`Ctx`]: the periods of its pack, the organisation chain from the directory (001
//! §17's report to every level), the earlier cases that share a recurrence key (read model links
//! of relation [`RECURRENCE`]; 000 §31, 002 §17) and the directory's names of the ids a command
//! mentions.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lvzhi_processes::registry::{
    by_kind, AnyCase, CaseType, CommandInfo, DecidedEvent, CASE_GOVERNED,
};
use lvzhi_processes::{Actor, Ctx, Org, Periods, ProcessError, Regulation, Rules};
use lvzhi_store::{
    CaseLink, CaseRow, DeadlineRow, NewEvent, OrgPacks, Projection, StoreError, StoredEvent,
};

use crate::governance::{self, Bound};
use serde::Serialize;
use serde_json::Value;

use crate::{valid_case_id, RenderedPdf, Service, ServiceError, TimelineEntry};

/// The read model relation under which a case's recurrence keys are kept (target: the key).
pub const RECURRENCE: &str = "recurrence";

/// How many follow-up commands one command may cause before the service gives up: a process
/// whose follow-up never settles is a bug, reported rather than looped on.
const MAX_FOLLOW_UPS: usize = 16;

/// How many earlier cases of one recurrence key are looked up.
const MAX_RECURRENCE: i64 = 200;

/// The directory as a command's context reads it: organisations with their parents, and the
/// names of record of people and organisations. A service given one
/// ([`Service::with_directory`]) reads these from it instead of the store; it must be the
/// directory as the store has it (the server rebuilds its service whenever it reloads its
/// directory).
pub trait Directory: Send + Sync {
    /// An organisation's name of record and its parent's id.
    fn org(&self, id: &str) -> Option<(&str, Option<&str>)>;
    /// A person's name of record.
    fn person_name(&self, id: &str) -> Option<&str>;
    /// An organisation's own bindings to policy packs (issue 20), `None` when it sets none.
    fn org_packs(&self, id: &str) -> Option<&OrgPacks>;
}

/// A case loaded from the store, of any process.
#[derive(Clone)]
pub struct ProcessCase {
    /// The case's id.
    pub case_id: String,
    /// The process it follows.
    pub process: &'static dyn CaseType,
    /// Its replayed state, behind the process's type.
    pub case: Box<dyn AnyCase>,
    /// Its events as stored, in order.
    pub stored: Vec<StoredEvent>,
}

impl ProcessCase {
    /// Events recorded: what a command sends back as `expected_version`.
    pub fn version(&self) -> i64 {
        self.stored.len() as i64
    }
}

/// A case as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessView {
    /// The case's id.
    pub case_id: String,
    /// Its process's kind (`application`, `incident`, …).
    pub kind: String,
    /// The process's Chinese name.
    pub kind_zh: String,
    /// Events recorded.
    pub version: i64,
    /// The current stage's id.
    pub stage: String,
    /// The current stage in Chinese.
    pub stage_zh: String,
    /// The case's title.
    pub title: String,
    /// The handling organisation.
    pub org_id: String,
    /// Its facts for the page, in order.
    pub facts: Vec<lvzhi_processes::Fact>,
    /// Its open deadlines.
    pub deadlines: Vec<ProcessDeadlineView>,
    /// Its events, in order, as the timeline shows them.
    pub timeline: Vec<TimelineEntry>,
    /// The notices issued, in order of issue.
    pub documents: Vec<lvzhi_processes::Document>,
    /// The seals of the notices (`seal.document` from 1): the SM3 of each archived PDF and the
    /// day it was sealed.
    pub seals: Vec<lvzhi_processes::SealEntry>,
    /// Who and which organisations the case involves, as (relation, id).
    pub links: Vec<(String, String)>,
    /// The replayed state as JSON.
    pub state: serde_json::Value,
}

/// An open deadline as a case page shows it: the step, and how it stands today.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessDeadlineView {
    /// The open step and its due day.
    #[serde(flatten)]
    pub deadline: lvzhi_processes::OpenDeadline,
    /// Whether the due day has passed.
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
}

/// One case of a bulk import: its process, its id and its commands (JSON, as the API takes
/// them), each with who gave it and on which day.
pub type ImportedProcessCase = (String, String, Vec<(Actor, Value, NaiveDate)>);

fn refused(e: ProcessError) -> ServiceError {
    ServiceError::Process(e)
}

fn to_new(e: &DecidedEvent, now: DateTime<Utc>) -> NewEvent {
    NewEvent {
        kind: e.kind_id.to_string(),
        actor: e.by.person_id.clone(),
        role: e.by.role.id().to_string(),
        at: now,
        reason: e.reason.clone(),
        payload: e.payload.clone(),
    }
}

/// Every string value of a JSON document (a command's ids are among them).
fn collect_strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
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

fn parse(process: &dyn CaseType, command: &Value) -> Result<CommandInfo, ServiceError> {
    process
        .parse_command(command)
        .map_err(|e| ServiceError::Command {
            path: e.path,
            message: e.message,
        })
}

impl Service {
    /// The periods a case of `process` counts by: those of its pack (empty when the pack is
    /// not loaded; its steps then say which period is missing).
    pub fn periods_of(&self, process: &dyn CaseType) -> &Periods {
        self.periods
            .get(process.pack())
            .unwrap_or_else(|| Periods::none())
    }

    /// The periods `case` counts by: its recorded procedure pack's when its process follows
    /// the organisation's procedure (issue 20), else its process's pack, with the periods its
    /// governing pack sets for the same ids in their place (a unit's own pack that sets the
    /// 正名 review period or a 执法过错 reply period is counted by).
    pub fn periods_of_case(&self, case: &dyn AnyCase) -> &Periods {
        let process = case.case_type();
        match case.governance() {
            Some(g) if process.procedure_bound() => self
                .periods
                .get(&g.procedure.pack)
                .unwrap_or_else(|| Periods::none()),
            Some(g) => self
                .overlaid
                .get(&(process.kind(), g.procedure.pack.clone()))
                .unwrap_or_else(|| self.periods_of(process)),
            None => self.periods_of(process),
        }
    }

    /// The regulation whose procedure `case` follows (issue 20): as it recorded the governing
    /// procedure pack (title, bodies), with that pack's procedure articles as loaded; for a case
    /// that recorded none, its process's own pack. `None` when that pack is not loaded.
    pub fn regulation_of_case(&self, case: &dyn AnyCase) -> Option<Regulation> {
        match case.governance() {
            Some(g) => Some(self.regulation_governing(g)),
            None => self.regulations.get(case.case_type().pack()).cloned(),
        }
    }

    /// The regulation `g` records as the procedure: its title and bodies as recorded, with that
    /// pack's procedure articles, rules and notice texts as loaded (a notice already issued
    /// keeps its text in its event; issue 20 item 2).
    fn regulation_governing(&self, g: &lvzhi_processes::Governance) -> Regulation {
        let loaded = self.regulations.get(&g.procedure.pack);
        Regulation {
            pack: g.procedure.clone(),
            steps: loaded.map(|r| r.steps.clone()).unwrap_or_default(),
            grounds: loaded.map(|r| r.grounds.clone()).unwrap_or_default(),
            notices: loaded.map(|r| r.notices.clone()).unwrap_or_default(),
        }
    }

    /// As [`Self::view_ctx`], under the loaded pack `pack` as the governing regulation (the
    /// opening forms of a process under each regulation it carries out).
    pub fn view_ctx_under(&self, process: &dyn CaseType, pack: &str, today: NaiveDate) -> Ctx<'_> {
        let mut ctx = self.view_ctx(process, today);
        ctx.regulation = self.regulations.get(pack).cloned();
        ctx
    }

    /// A context for asking what a new case of `process` may open with, for a person whose
    /// organisation's bindings are `bound`: as [`Self::view_ctx`], under the regulation that
    /// would govern the case there (issue 20: a 国动办 is offered the 办党组's start, a prison its
    /// 提前介入), else the process's own pack.
    pub fn opening_ctx(&self, process: &dyn CaseType, bound: &Bound, today: NaiveDate) -> Ctx<'_> {
        let mut ctx = self.view_ctx(process, today);
        if let Ok(Some(g)) =
            governance::governance(process, bound, &self.regulations, &self.periods, "")
        {
            ctx.regulation = Some(self.regulation_governing(&g));
        }
        ctx
    }

    /// The calendar and periods `case` is counted by.
    pub fn rules_of(&self, case: &dyn AnyCase) -> Rules<'_> {
        Rules {
            calendar: &self.calendar,
            periods: self.periods_of_case(case),
        }
    }

    /// The bindings to policy packs that apply along an organisation chain (issue 20).
    pub async fn bound(&self, chain: &[Org]) -> Result<Bound, ServiceError> {
        if let Some(dir) = &self.directory {
            return Ok(Bound::along(
                chain.iter().map(|o| (o.id.as_str(), dir.org_packs(&o.id))),
            ));
        }
        let mut own: Vec<(&str, Option<OrgPacks>)> = Vec::with_capacity(chain.len());
        for o in chain {
            own.push((&o.id, self.store.org_packs_of(&o.id).await?));
        }
        Ok(Bound::along(own.iter().map(|(o, p)| (*o, p.as_ref()))))
    }

    /// Whether a case of `process` may be opened where `bound` applies (the 新建 menu offers
    /// only those): the bindings resolved by the caller, as [`Self::governance_at`] resolves them.
    pub fn may_open(&self, process: &dyn CaseType, bound: &Bound) -> bool {
        governance::governance(process, bound, &self.regulations, &self.periods, "").is_ok()
    }

    /// What would govern a new case of `process` at `org_id` (`None` where nothing is bound),
    /// or why it cannot be opened there.
    pub async fn governance_at(
        &self,
        process: &dyn CaseType,
        org_id: &str,
    ) -> Result<Option<lvzhi_processes::Governance>, ServiceError> {
        let chain = self.org_chain(org_id).await?;
        let bound = self.bound(&chain).await?;
        let name = chain
            .first()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| org_id.to_string());
        Ok(governance::governance(
            process,
            &bound,
            &self.regulations,
            &self.periods,
            &name,
        )?)
    }

    /// A context for asking a new case of `process` what may be done today (the opening
    /// forms): its pack's periods and the calendar, without the directory's lookups.
    pub fn view_ctx(&self, process: &dyn CaseType, today: NaiveDate) -> Ctx<'_> {
        let mut ctx = Ctx::new(today, &self.calendar, self.periods_of(process));
        ctx.regulation = self.regulations.get(process.pack()).cloned();
        ctx
    }

    /// A context for asking `case` what may be done today (the pages' and the API's offered
    /// actions): the periods it counts by and the calendar, without the directory's lookups.
    pub fn case_ctx(&self, case: &dyn AnyCase, today: NaiveDate) -> Ctx<'_> {
        let mut ctx = Ctx::new(today, &self.calendar, self.periods_of_case(case));
        ctx.regulation = self.regulation_of_case(case);
        ctx
    }

    /// The kind of a stored case (`application`, `incident`, …), from the read model.
    pub async fn case_kind(&self, case_id: &str) -> Result<Option<String>, ServiceError> {
        Ok(self.store.case_row(case_id).await?.map(|(row, _)| row.kind))
    }

    /// Loads and replays a case of any registered process.
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
            if let Some(dir) = &self.directory {
                let Some((name, parent)) = dir.org(&id) else {
                    break;
                };
                at = parent.map(str::to_string);
                chain.push(Org {
                    name: name.to_string(),
                    id,
                });
                continue;
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

    /// The context a process decides in: today, the calendar and its pack's periods, the chain
    /// above `org_id`, the other cases sharing each of `case`'s recurrence keys, and the
    /// directory's names of the ids `command` mentions.
    async fn process_ctx(
        &self,
        today: NaiveDate,
        org_id: &str,
        case: &dyn AnyCase,
        case_id: Option<&str>,
        command: Option<&Value>,
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
                if let Some(dir) = &self.directory {
                    let name = dir
                        .person_name(s)
                        .or_else(|| dir.org(s).map(|(name, _)| name));
                    if let Some(name) = name {
                        names.insert(s.to_string(), name.to_string());
                    }
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
        let mut ctx = Ctx::new(today, &self.calendar, self.periods_of_case(case));
        ctx.regulation = self.regulation_of_case(case);
        ctx.org_chain = org_chain;
        ctx.recurrence = recurrence;
        ctx.names = names;
        Ok(ctx)
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

    /// The checks every command passes before it is decided: its texts and lists against the
    /// limits (issue 19), and the facts it answers against the pack's vocabulary.
    fn check_command(&self, command: &Value, info: &CommandInfo) -> Result<(), ServiceError> {
        crate::limits::check(command)?;
        if let (Some(facts), Some(check)) = (&info.facts, &self.fact_check) {
            check(facts).map_err(ServiceError::Facts)?;
        }
        Ok(())
    }

    /// Decides `command` on `case` (a clone is changed only when everything is accepted), then
    /// the process's follow-ups as the system: the events to append, in order.
    async fn decide_process(
        &self,
        case: &mut Box<dyn AnyCase>,
        case_id: Option<&str>,
        command: &Value,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<DecidedEvent>, ServiceError> {
        let mut work = case.clone();
        let anchor = Self::anchor(&*work, actor);
        let mut ctx = self
            .process_ctx(today, &anchor, &*work, case_id, Some(command))
            .await?;
        // A new case is first decided under what would govern it at the actor's organisation
        // (a prison's office opens with 003's 提前介入, which 002 does not have); then again
        // below under what governs the organisation the command names.
        if case.is_empty() {
            if let Ok(Some(g)) = self.governance_at(case.case_type(), &anchor).await {
                ctx.regulation = Some(self.regulation_governing(&g));
            }
        }
        let mut events = work.execute(command, actor, &ctx).map_err(refused)?;
        // A command that opens a case (or moves it) names its organisation: decide again in the
        // context of that organisation's chain, so escalations climb from the right level.
        let mut org = work.summary().org_id;
        let moved =
            ctx.org_chain.first().map(|o| o.id.as_str()) != Some(org.as_str()) && !org.is_empty();
        if org.is_empty() {
            org = anchor;
        }
        // A new case is governed by the regulations bound to its organisation (issue 20),
        // recorded first, so its opening is decided under them (their periods) as every later
        // step is; where they do not provide the process, nothing is recorded.
        let governed = match case.is_empty() {
            true => self.governance_at(case.case_type(), &org).await?,
            false => None,
        };
        if moved || governed.is_some() {
            work = case.clone();
            let mut first = Vec::new();
            if let Some(g) = governed {
                first.push(work.govern(today, g).map_err(refused)?);
            }
            let ctx = self
                .process_ctx(today, &org, &*work, case_id, Some(command))
                .await?;
            first.extend(work.execute(command, actor, &ctx).map_err(refused)?);
            events = first;
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

    /// `add_evidence` (of any process) records a file only with its uploader's receipt for
    /// this case, made within [`crate::UPLOAD_RECEIPT_HOURS`] (issue 19).
    async fn check_possession(
        &self,
        case_id: &str,
        actor: &Actor,
        info: &CommandInfo,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let Some(sm3) = &info.evidence else {
            return Ok(());
        };
        let uploaded = self
            .store
            .evidence_uploaded_at(case_id, &actor.person_id, sm3)
            .await?;
        match uploaded {
            Some(at)
                if now - at <= chrono::Duration::hours(crate::UPLOAD_RECEIPT_HOURS)
                    && at <= now + chrono::Duration::minutes(5) =>
            {
                Ok(())
            }
            _ => Err(ServiceError::EvidenceNotUploaded {
                sm3_short: sm3.chars().take(12).collect(),
                hours: crate::UPLOAD_RECEIPT_HOURS,
            }),
        }
    }

    /// The read model of a case: its row, open deadlines, and links (with one `recurrence`
    /// link per recurrence key).
    pub(crate) fn process_projection(
        &self,
        process: &dyn CaseType,
        case: &dyn AnyCase,
    ) -> Projection {
        let summary = case.summary();
        let deadlines = case
            .deadlines(&self.rules_of(case))
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
    /// appended issue), before the append (issue 6). Nothing when the service does not seal; a
    /// notice that cannot be typeset is left unsealed (logged).
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

    /// Archives the rendered notices under `case_id` and records their seals on `case`, each
    /// right after the event (among `events`, the case's last process events) that issued it,
    /// by the same person on the same day. A notice that cannot be archived stays unsealed (a
    /// missing seal never costs the command).
    async fn sealed(
        &self,
        case_id: &str,
        case: &mut Box<dyn AnyCase>,
        events: Vec<DecidedEvent>,
        rendered: &[(usize, RenderedPdf)],
    ) -> Vec<DecidedEvent> {
        let Some(sealing) = &self.sealing else {
            return events;
        };
        if rendered.is_empty() {
            return events;
        }
        let issuers = case.document_issuers();
        let documents = case.documents();
        // The record of what governs a new case is not one of the process's events.
        let own = |e: &DecidedEvent| e.kind_id != CASE_GOVERNED;
        let base = case
            .event_count()
            .saturating_sub(events.iter().filter(|e| own(e)).count());
        let mut after: BTreeMap<usize, Vec<lvzhi_processes::DocumentSeal>> = BTreeMap::new();
        for (n, r) in rendered {
            let (Some(&issuer), Some(d)) = (
                n.checked_sub(1).and_then(|i| issuers.get(i)),
                n.checked_sub(1).and_then(|i| documents.get(i)),
            ) else {
                continue;
            };
            let Some(at) = issuer.checked_sub(base) else {
                continue;
            };
            if let Some(seal) = Self::archive_sealed(sealing, case_id, *n, &d.title, r).await {
                after.entry(at).or_default().push(seal);
            }
        }
        let mut out = Vec::with_capacity(events.len() + rendered.len());
        let mut i = 0;
        for e in events {
            let (on, by, own) = (e.on, e.by.clone(), own(&e));
            out.push(e);
            if !own {
                continue;
            }
            for seal in after.remove(&i).unwrap_or_default() {
                let n = seal.document;
                match case.seal(on, by.clone(), seal) {
                    Ok(s) => out.push(s),
                    Err(err) => {
                        tracing::warn!("document seal skipped: case {case_id} notice {n}: {err}")
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Opens a case of the process `kind` with one of its opening commands (JSON, as the API
    /// takes it). Without an id, the next free `<ID_PREFIX><year>-<n>` is used. Returns the id,
    /// the version and the events recorded (the command's, its follow-ups' and the seals).
    pub async fn create_process(
        &self,
        kind: &str,
        case_id: Option<&str>,
        actor: &Actor,
        command: &Value,
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
        command: &Value,
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
        let info = parse(process, command)?;
        if !info.opens {
            return Err(ServiceError::NotAProcessCreation(process.name_zh()).into());
        }
        self.check_command(command, &info)?;
        if let Some(id) = case_id {
            if !valid_case_id(id) {
                return Err(ServiceError::BadCaseId(id.to_string()).into());
            }
        }
        let mut case = process.new_case();
        let events = self
            .decide_process(&mut case, None, command, actor, today)
            .await?;
        authorize(&*case)?;
        let projection = self.process_projection(process, &*case);
        // Typeset once; archived and sealed under whichever id the case gets.
        let rendered = self.render_process_documents(&*case, 1).await;
        let sealed = |id: String| {
            let (events, rendered, case) = (&events, &rendered, &case);
            async move {
                let mut case = case.clone();
                let all = self.sealed(&id, &mut case, events.clone(), rendered).await;
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

    /// Runs a command on a case of any process: due system events first, then the command,
    /// then its follow-ups, appended with the version read (or the version the user saw, when
    /// given: if the case changed since, the command is refused rather than applied to a state
    /// the user did not see).
    pub async fn act_process(
        &self,
        case_id: &str,
        expected_version: Option<i64>,
        actor: &Actor,
        command: &Value,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(i64, Vec<DecidedEvent>), ServiceError> {
        crate::limits::check(command)?;
        let loaded = self.load_process(case_id).await?;
        self.act_loaded(&loaded, expected_version, actor, command, today, now)
            .await
    }

    /// As [`Self::act_process`] on a case already loaded (the server loads a case once per
    /// request, to check who may act on it, and acts on that): nothing is read again, and the
    /// append states the version loaded, so a case changed since is refused, never overwritten.
    pub async fn act_loaded(
        &self,
        loaded: &ProcessCase,
        expected_version: Option<i64>,
        actor: &Actor,
        command: &Value,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(i64, Vec<DecidedEvent>), ServiceError> {
        crate::limits::check(command)?;
        let case_id = loaded.case_id.as_str();
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
        let info = parse(loaded.process, command)?;
        if info.opens {
            return Err(ServiceError::Exists(case_id.to_string()));
        }
        self.check_command(command, &info)?;
        let mut case = loaded.case.clone();
        let issued_before = case.documents().len();
        let org = case.summary().org_id;
        let ctx = self
            .process_ctx(today, &org, &*case, Some(case_id), None)
            .await?;
        let mut events = case.fire_due(&ctx);
        let decided = self
            .decide_process(&mut case, Some(case_id), command, actor, today)
            .await?;
        // After the process accepted the step, so a refusal gives its own reason first.
        self.check_possession(case_id, actor, &info, now).await?;
        events.extend(decided);
        let rendered = self
            .render_process_documents(&*case, issued_before + 1)
            .await;
        let events = self.sealed(case_id, &mut case, events, &rendered).await;
        let projection = self.process_projection(loaded.process, &*case);
        let new_events: Vec<NewEvent> = events.iter().map(|e| to_new(e, now)).collect();
        let v = self
            .append_archived(case_id, version, &new_events, &projection)
            .await?;
        Ok((v, events))
    }

    /// Fires the due system events of a case of any process (the scheduler's pass for a case
    /// with an open deadline that has passed). Returns whether anything was recorded.
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
        let events = case.fire_due(&ctx);
        let projection = self.process_projection(loaded.process, &*case);
        if events.is_empty() {
            // Nothing due after all (e.g. the deadline moved): refresh the read model so the
            // stale row is not claimed again.
            self.store
                .replace_deadlines(case_id, &projection.deadlines)
                .await?;
            return Ok(false);
        }
        // 视为受理's notice (000 §13) and every other notice a passing day issues is sealed.
        let rendered = self
            .render_process_documents(&*case, issued_before + 1)
            .await;
        let events = self.sealed(case_id, &mut case, events, &rendered).await;
        let new_events: Vec<NewEvent> = events.iter().map(|e| to_new(e, now)).collect();
        match self
            .append_archived(case_id, version, &new_events, &projection)
            .await
        {
            Ok(_) => Ok(true),
            // Someone acted on the case meanwhile; their append already handled it.
            Err(StoreError::Conflict { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
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
                if self.tick_process(&c.case_id, today, now).await? {
                    fired.push(c.case_id);
                }
            }
        }
        Ok(fired)
    }

    /// Records many cases at once, all or nothing, in one transaction: the bulk import of a
    /// unit's paper-era cases (and the load benchmark's 100k cases). Each case is a sequence of
    /// commands decided by its process exactly as `create_process` and `act_process` would
    /// decide them, each on its own day (without the directory's lookups: an import names what
    /// it needs); nothing is written unless every command of every case is accepted. A case is
    /// governed, and refused where it may not be opened, as one opened by hand (issue 20).
    /// Imports seal nothing: their originals are on paper.
    pub async fn import_cases(
        &self,
        cases: &[ImportedProcessCase],
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let mut prepared = Vec::with_capacity(cases.len());
        // What governs a new case, by process and organisation: looked up once per import.
        let mut governed: BTreeMap<(&str, String), Option<lvzhi_processes::Governance>> =
            BTreeMap::new();
        for (kind, case_id, commands) in cases {
            if !valid_case_id(case_id) {
                return Err(ServiceError::BadCaseId(case_id.clone()));
            }
            let process =
                by_kind(kind).ok_or_else(|| ServiceError::UnknownKind(kind.to_string()))?;
            let mut case = process.new_case();
            let mut events = Vec::new();
            for (i, (actor, command, today)) in commands.iter().enumerate() {
                crate::limits::check(command)?;
                let info = parse(process, command)?;
                if info.opens != (i == 0) {
                    return Err(ServiceError::NotACreation);
                }
                self.check_command(command, &info)?;
                if i == 0 {
                    // Governed as a case opened by hand is (issue 20): by what is bound to the
                    // organisation its opening names, recorded first.
                    let mut probe = process.new_case();
                    let ctx = self.view_ctx(process, *today);
                    probe.execute(command, actor, &ctx).map_err(refused)?;
                    let org = Self::anchor(&*probe, actor);
                    let key = (process.kind(), org);
                    let governance = match governed.get(&key) {
                        Some(g) => g.clone(),
                        None => {
                            let g = self.governance_at(process, &key.1).await?;
                            governed.insert(key, g.clone());
                            g
                        }
                    };
                    if let Some(g) = governance {
                        events.push(case.govern(*today, g).map_err(refused)?);
                    }
                }
                let ctx = self.case_ctx(&*case, *today);
                events.extend(case.execute(command, actor, &ctx).map_err(refused)?);
            }
            let projection = self.process_projection(process, &*case);
            let new_events: Vec<NewEvent> = events.iter().map(|e| to_new(e, now)).collect();
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

    /// A case as its page shows it.
    pub fn view_process(&self, loaded: &ProcessCase, today: NaiveDate) -> ProcessView {
        let case = &*loaded.case;
        let summary = case.summary();
        let deadlines = case
            .deadlines(&self.rules_of(case))
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
