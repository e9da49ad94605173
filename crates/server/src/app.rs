//! The shared state of the server and its router.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use lvzhi_access::{Access, Grant, OrgTree, Subject};
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_service::Service;
use lvzhi_store::{EvidenceStore, GrantRecord, OrgPacks, OrgRecord, PersonRecord, Store};

use crate::clock::Clock;
use crate::error::AppError;
use crate::typeset::Typesetter;

/// Files kept under the data directory, owned by the binary (calendars, uploaded packs).
/// The server asks through this trait so that the CLI and the pages store them the same way.
pub trait DataFiles: Send + Sync {
    /// Validates a schedule file (`label` names it in errors) against the calendar in force,
    /// stores it, and returns the new calendar and a one-line Chinese summary. Nothing is
    /// stored on error.
    fn import_calendar(&self, label: &str, text: &str) -> Result<(Calendar, String), String>;
    /// Validates a policy pack together with every pack in force, stores it, and returns the
    /// new set. Nothing is stored on error.
    fn import_pack(&self, label: &str, text: &str) -> Result<PackSet, String>;
}

/// How to start the server.
pub struct ServeConfig {
    /// The address to listen on (`host:port`).
    pub addr: String,
    /// The database URL (`sqlite:…` or `postgres://…`).
    pub db_url: String,
    /// The data directory: created for a SQLite database; evidence files under `evidence/` when
    /// `evidence_url` is not set.
    pub data_dir: PathBuf,
    /// Seed the demo organisation, accounts and cases at start.
    pub demo: bool,
    /// The server's "now" (real, or a fixed day for demonstrations).
    pub clock: Clock,
    /// The working-day calendar in force at start.
    pub calendar: Calendar,
    /// The policy packs in force at start.
    pub packs: PackSet,
    /// Where imported calendars and uploaded packs are stored.
    pub files: Arc<dyn DataFiles>,
    /// Mark cookies `Secure` (the server runs behind TLS).
    pub secure_cookies: bool,
    /// Working days before a due date at which reminders start (000 §13 etc.).
    pub remind_within_wd: u32,
    /// Where evidence files are kept: a directory path, `file:///…` or `s3://bucket/prefix?…`
    /// (see `EvidenceStore::open`); `None` is `DATA_DIR/evidence`. Sealed notices' PDFs are
    /// archived there too, under `documents/`.
    pub evidence_url: Option<String>,
    /// The office's fonts (仿宋_GB2312 …), searched before the system's (issue 6).
    pub fonts_dir: Option<PathBuf>,
    /// Typeset, archive and seal every notice when it is issued (issue 6). Off, notices are
    /// typeset on demand and shown as 未定稿.
    pub seal_documents: bool,
}

/// The directory as the server reads it on every request: rebuilt after each change.
#[derive(Debug, Clone)]
pub struct Directory {
    pub orgs: BTreeMap<String, OrgRecord>,
    pub tree: OrgTree,
    pub people: BTreeMap<String, PersonRecord>,
    pub grants: BTreeMap<String, Vec<GrantRecord>>,
    /// Each organisation's own bindings to policy packs (issue 20), for those that set any.
    pub(crate) org_packs: BTreeMap<String, OrgPacks>,
}

impl Directory {
    pub fn org_name(&self, id: &str) -> String {
        self.orgs
            .get(id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn person_name(&self, id: &str) -> String {
        self.people
            .get(id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    pub fn subject(&self, person_id: &str) -> Subject {
        Subject {
            person_id: person_id.to_string(),
            grants: self
                .grants
                .get(person_id)
                .map(|gs| {
                    gs.iter()
                        .map(|g| Grant {
                            role: g.role.clone(),
                            org_id: g.org_id.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

struct Inner {
    store: Store,
    evidence: EvidenceStore,
    typesetter: Arc<Typesetter>,
    seal_documents: bool,
    access: Access,
    clock: Clock,
    files: Arc<dyn DataFiles>,
    demo: bool,
    secure_cookies: bool,
    remind_within_wd: u32,
    packs: RwLock<Arc<PackSet>>,
    calendar: RwLock<Arc<Calendar>>,
    service: RwLock<Arc<Service>>,
    directory: RwLock<Arc<Directory>>,
}

/// The application: cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct App(Arc<Inner>);

/// What the service seals issued notices with, when it does.
type Sealing = Option<(Arc<Typesetter>, EvidenceStore)>;

/// The directory as the service reads a command's context from it (no store reads).
impl lvzhi_service::Directory for Directory {
    fn org(&self, id: &str) -> Option<(&str, Option<&str>)> {
        self.orgs
            .get(id)
            .map(|o| (o.name.as_str(), o.parent_id.as_deref()))
    }

    fn person_name(&self, id: &str) -> Option<&str> {
        self.people.get(id).map(|p| p.name.as_str())
    }

    fn org_packs(&self, id: &str) -> Option<&OrgPacks> {
        self.org_packs.get(id)
    }
}

fn build_service(
    store: &Store,
    calendar: &Calendar,
    packs: &PackSet,
    sealing: &Sealing,
    directory: Arc<Directory>,
) -> Result<Service, AppError> {
    let periods = crate::packs::all_periods(packs).map_err(AppError::Startup)?;
    let service = Service::new(store.clone(), calendar.clone(), periods)
        .with_fact_check(crate::packs::fact_check(packs.clone()))
        .with_regulations(lvzhi_service::packs::regulations(packs))
        .with_directory(directory);
    Ok(match sealing {
        Some((typesetter, archive)) => service.with_sealing(typesetter.renderer(), archive.clone()),
        None => service,
    })
}

fn read<T: Clone>(lock: &RwLock<Arc<T>>) -> Arc<T> {
    // A poisoned lock only means a writer panicked after validation; the value is intact.
    match lock.read() {
        Ok(g) => g.clone(),
        Err(p) => p.into_inner().clone(),
    }
}

fn write<T>(lock: &RwLock<Arc<T>>, value: T) {
    replace(lock, Arc::new(value));
}

fn replace<T>(lock: &RwLock<Arc<T>>, value: Arc<T>) {
    match lock.write() {
        Ok(mut g) => *g = value,
        Err(p) => *p.into_inner() = value,
    }
}

impl App {
    /// Opens the database (migrating it) and loads the directory.
    pub async fn open(config: ServeConfig) -> Result<App, AppError> {
        if config.db_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                AppError::Startup(format!(
                    "无法创建数据目录 {}：{e}",
                    config.data_dir.display()
                ))
            })?;
        }
        let mut store = Store::open(&config.db_url)
            .await
            .map_err(|e| AppError::Startup(e.to_string()))?;
        if let Some(at) = config.clock.frozen_at() {
            store = store.with_fixed_now(at);
        }
        let evidence = match &config.evidence_url {
            Some(url) => EvidenceStore::open(url).map_err(|e| AppError::Startup(e.to_string()))?,
            None => EvidenceStore::new(config.data_dir.join("evidence")),
        };
        let access = Access::new().map_err(|e| AppError::Startup(e.to_string()))?;
        let typesetter = Arc::new(Typesetter::new(config.fonts_dir.clone()));
        let sealing = config
            .seal_documents
            .then(|| (typesetter.clone(), evidence.clone()));
        let directory = Arc::new(load_directory(&store, &access).await?);
        let service = build_service(
            &store,
            &config.calendar,
            &config.packs,
            &sealing,
            directory.clone(),
        )?;
        Ok(App(Arc::new(Inner {
            store,
            evidence,
            typesetter,
            seal_documents: config.seal_documents,
            access,
            clock: config.clock,
            files: config.files,
            demo: config.demo,
            secure_cookies: config.secure_cookies,
            remind_within_wd: config.remind_within_wd,
            packs: RwLock::new(Arc::new(config.packs)),
            calendar: RwLock::new(Arc::new(config.calendar)),
            service: RwLock::new(Arc::new(service)),
            directory: RwLock::new(directory),
        })))
    }

    /// The record: events, read models, directory, sessions.
    pub fn store(&self) -> &Store {
        &self.0.store
    }
    /// Evidence files, by SM3 digest (re-verified on every read).
    pub fn evidence(&self) -> &EvidenceStore {
        &self.0.evidence
    }
    /// The access policies (Cedar).
    pub fn access(&self) -> &Access {
        &self.0.access
    }
    /// Typesets notices (PDF, DOCX) with the configured fonts.
    pub fn typesetter(&self) -> &Arc<Typesetter> {
        &self.0.typesetter
    }
    fn sealing(&self) -> Sealing {
        self.0
            .seal_documents
            .then(|| (self.0.typesetter.clone(), self.0.evidence.clone()))
    }
    /// The server's "now".
    pub fn clock(&self) -> Clock {
        self.0.clock
    }
    /// Where imported calendars and uploaded packs are stored.
    pub fn files(&self) -> &Arc<dyn DataFiles> {
        &self.0.files
    }
    pub(crate) fn is_demo(&self) -> bool {
        self.0.demo
    }
    /// Whether cookies are marked `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.0.secure_cookies
    }
    /// Working days before a due date at which reminders start.
    pub fn remind_within_wd(&self) -> u32 {
        self.0.remind_within_wd
    }
    /// The policy packs in force now (replaced when a pack is uploaded).
    pub fn packs(&self) -> Arc<PackSet> {
        read(&self.0.packs)
    }
    /// The calendar in force now (replaced when a schedule is imported).
    pub fn calendar(&self) -> Arc<Calendar> {
        read(&self.0.calendar)
    }
    /// The engine over the record, built for the packs, calendar and directory in force.
    pub fn service(&self) -> Arc<Service> {
        read(&self.0.service)
    }
    /// The directory as last loaded (organisations, people, grants).
    pub fn directory(&self) -> Arc<Directory> {
        read(&self.0.directory)
    }

    /// Re-reads the directory after a change (organisations, people, grants), and gives the
    /// service the new one (it reads a command's context from it).
    pub async fn reload_directory(&self) -> Result<(), AppError> {
        let d = Arc::new(load_directory(&self.0.store, &self.0.access).await?);
        let service = build_service(
            &self.0.store,
            &self.calendar(),
            &self.packs(),
            &self.sealing(),
            d.clone(),
        )?;
        replace(&self.0.directory, d);
        write(&self.0.service, service);
        Ok(())
    }

    /// Replaces the calendar in force (after an import) and the service counting with it.
    pub(crate) fn set_calendar(&self, calendar: Calendar) -> Result<(), AppError> {
        let service = build_service(
            &self.0.store,
            &calendar,
            &self.packs(),
            &self.sealing(),
            self.directory(),
        )?;
        write(&self.0.calendar, calendar);
        write(&self.0.service, service);
        Ok(())
    }

    /// Replaces the policy packs in force (after a pack is loaded).
    pub(crate) fn set_packs(&self, packs: PackSet) -> Result<(), AppError> {
        let service = build_service(
            &self.0.store,
            &self.calendar(),
            &packs,
            &self.sealing(),
            self.directory(),
        )?;
        write(&self.0.packs, packs);
        write(&self.0.service, service);
        Ok(())
    }
}

async fn load_directory(store: &Store, access: &Access) -> Result<Directory, AppError> {
    let orgs = store.orgs().await?;
    let pairs: Vec<(String, Option<String>)> = orgs
        .iter()
        .map(|o| (o.id.clone(), o.parent_id.clone()))
        .collect();
    let tree = access
        .org_tree(&pairs)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let people = store
        .people(None)
        .await?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let mut grants: BTreeMap<String, Vec<GrantRecord>> = BTreeMap::new();
    for g in store.all_grants().await? {
        grants.entry(g.person_id.clone()).or_default().push(g);
    }
    let org_packs = store
        .org_packs()
        .await?
        .into_iter()
        .map(|b| (b.org_id.clone(), b))
        .collect();
    Ok(Directory {
        orgs: orgs.into_iter().map(|o| (o.id.clone(), o)).collect(),
        tree,
        people,
        grants,
        org_packs,
    })
}
