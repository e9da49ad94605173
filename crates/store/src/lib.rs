//! The system of record: every change to a case is an appended event, and all events of a
//! database form one SM3 hash chain (DESIGN §5 "留痕"). A case's state is derived from its
//! events by the workflow crate; this crate only stores, orders, chains and verifies them.
//!
//! Two backends behind one API: SQLite (the default: one file, WAL, full synchronous) and
//! PostgreSQL. The SQL is shared (`$1` parameters work on both); only the schema differs.
//!
//! Concurrency: writers state the case version they read (`expected_version`); an append whose
//! version is stale fails with [`StoreError::Conflict`], so two people acting at once cannot both
//! succeed. Appends are serialised on the single chain-head row, which also makes `seq` gapless.
//!
//! The directory (organisations, people, grants, experts, API tokens; module `directory`) lives
//! in the same database, and each change to it is chained too, under the reserved case id
//! `_directory` ([`DIRECTORY_CASE`]), which no case may use.

#![warn(missing_docs)]

mod chain;
mod evidence;
mod migrate;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Row;

pub use chain::{link_hash, sm3_hex, Link, GENESIS};
pub use directory::{
    Answer, AttemptStatus, Claim, Draft, Failures, LoginFailures, Submission, UploadReceipt,
};
pub use directory::{
    ApiTokenRecord, CaseLink, CaseQuery, CaseScope, Credentials, ExpertRecord, GrantRecord,
    KindScope, OrgPacks, OrgRecord, PersonRecord, ScopedDeadline, SessionRecord, DIRECTORY_CASE,
    LAWYER_CATEGORY,
};
pub use evidence::{EvidenceStore, Inventory, StoredEvidence};

/// Why the record could not be opened, read or written, in formal Chinese.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A database URL that is neither SQLite nor PostgreSQL.
    #[error("数据库地址“{0}”无效：应为 sqlite://文件路径 或 postgres://用户@主机/数据库")]
    BadUrl(String),
    /// The database cannot be reached.
    #[error("无法连接数据库：{0}")]
    Connect(#[source] sqlx::Error),
    /// A database operation failed.
    #[error("数据库操作失败：{0}")]
    Db(#[from] sqlx::Error),
    /// A schema migration failed.
    #[error("数据库结构升级失败（第{version}步）：{source}")]
    Migrate {
        /// The migration step that failed.
        version: i64,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// The case changed since the command's version was read (another person acted first).
    #[error("案件 {case_id} 已被他人更新（当前版本 {actual}，提交所依据的版本 {expected}），请刷新后重新操作")]
    Conflict {
        /// The case's id.
        case_id: String,
        /// The version the command was decided on.
        expected: i64,
        /// The version recorded now.
        actual: i64,
    },
    /// An event's payload could not be serialised.
    #[error("事件内容无法序列化：{0}")]
    Payload(String),
    /// A stored row does not read.
    #[error("数据库中的记录无法识别：{0}")]
    BadRow(String),
    /// An append with no events.
    #[error("没有要写入的事件")]
    Empty,
    /// An evidence file could not be read or written.
    #[error("证据文件操作失败（{path}）：{source}")]
    EvidenceIo {
        /// The file or directory.
        path: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// No evidence file has this digest.
    #[error("证据文件 {digest} 不存在")]
    EvidenceMissing {
        /// The digest asked for.
        digest: String,
    },
    /// The stored file no longer has its digest.
    #[error("证据文件 {digest} 已损坏或被篡改：存储内容的 SM3 摘要为 {actual}")]
    EvidenceCorrupt {
        /// The digest it was stored under.
        digest: String,
        /// The digest of what is stored now.
        actual: String,
    },
    /// A string that is not an SM3 digest.
    #[error("证据摘要“{0}”无效：应为 64 位十六进制 SM3 摘要")]
    BadDigest(String),
    /// The evidence store's address or credentials are unusable; the message says why.
    #[error("{0}")]
    EvidenceConfig(String),
    /// The object store failed (unreachable, refused); `detail` is the client's own text.
    #[error("证据存储（{location}）操作失败：{detail}")]
    EvidenceBackend {
        /// The store, as messages name it.
        location: String,
        /// The client's error.
        detail: String,
    },
    /// An archived document (issue 6's sealed notices) is not where its seal says it is.
    #[error("存档文件 {key} 不存在")]
    ArchiveMissing {
        /// Where the seal says it is.
        key: String,
    },
    /// An archived document no longer has the digest its seal recorded.
    #[error(
        "存档文件 {key} 已损坏或被篡改：记录的 SM3 摘要为 {expected}，存储内容的摘要为 {actual}"
    )]
    ArchiveCorrupt {
        /// Where it is archived.
        key: String,
        /// The digest its seal recorded.
        expected: String,
        /// The digest of what is stored now.
        actual: String,
    },
    /// An archive key that could leave its key space (a case id with separators, number 0).
    #[error("存档位置无效：{0}")]
    ArchiveKey(String),
    /// A refused change to the directory (organisations, people, grants, experts, tokens); the
    /// message says what and why.
    #[error("{0}")]
    Directory(String),
}

/// An event to append. `payload` is any JSON value (the workflow's typed event, serialised).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// The event kind's id.
    pub kind: String,
    /// Who acted (person id, or `system`).
    pub actor: String,
    /// The role they acted in.
    pub role: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The reason given with it, if any.
    pub reason: Option<String>,
    /// The event's JSON.
    pub payload: serde_json::Value,
}

/// An event as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    /// Its place in the whole chain, from 1.
    pub seq: i64,
    /// The case it belongs to.
    pub case_id: String,
    /// Its number in the case, from 1.
    pub case_version: i64,
    /// When it was stored (UTC, fixed-width text).
    pub at: String,
    /// Who acted (person id, or `system`).
    pub actor: String,
    /// The role they acted in.
    pub role: String,
    /// The event kind's id.
    pub kind: String,
    /// The reason given with it, if any.
    pub reason: Option<String>,
    /// The event's JSON, as stored.
    pub payload: String,
    /// The hash of the event before it (`GENESIS` for the first).
    pub prev_hash: String,
    /// Its SM3 chain hash.
    pub hash: String,
}

impl StoredEvent {
    fn link(&self) -> Link<'_> {
        Link {
            seq: self.seq,
            case_id: &self.case_id,
            case_version: self.case_version,
            at: &self.at,
            actor: &self.actor,
            role: &self.role,
            kind: &self.kind,
            reason: self.reason.as_deref(),
            payload: &self.payload,
        }
    }
}

/// The read model of one case, written with its events so lists never lag the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRow {
    /// The case's process kind.
    pub kind: String,
    /// Its current stage's id.
    pub state: String,
    /// Its handling organisation.
    pub org_id: String,
    /// Its title.
    pub title: String,
}

/// One open deadline of a case (a step waiting to be done by its due date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineRow {
    /// The step's id.
    pub step: String,
    /// The due day.
    pub due: NaiveDate,
    /// Whether the due day counts over a year with no holiday schedule loaded.
    pub provisional: bool,
    /// The article that sets the period, e.g. "000 §13".
    pub article: String,
    /// Passing this deadline fires a system event (only 视为受理, 000 §13, today); the others
    /// are reminders and overdue flags, never claimed by the scheduler.
    pub fires_event: bool,
    /// The role id that must act (`office`, …): the inbox shows the step to its holders. Empty
    /// when the writer does not say (the inbox then falls back to its own table).
    pub role: String,
    /// The step in Chinese (`上级维权办确认收到报告`); empty when the writer does not say.
    pub label: String,
}

/// What the read models look like after an append: the case row and all its open deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// The case row.
    pub case: CaseRow,
    /// Every open deadline of the case.
    pub deadlines: Vec<DeadlineRow>,
    /// Who and which organisations the case involves (applicant, panel, parent_committee, …):
    /// scoped lists find a person's or a committee's cases through these.
    pub links: Vec<CaseLink>,
}

/// A case as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedCase {
    /// The case's id.
    pub case_id: String,
    /// Its read model row.
    #[serde(flatten)]
    pub case: CaseRow,
    /// Events recorded.
    pub version: i64,
    /// When the last event was stored.
    pub updated_at: String,
}

/// An open deadline as listed or claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueDeadline {
    /// The case's id.
    pub case_id: String,
    /// The step's id.
    pub step: String,
    /// The due day.
    pub due: NaiveDate,
    /// Whether the due day counts over a year with no holiday schedule loaded.
    pub provisional: bool,
    /// The article that sets the period.
    pub article: String,
}

/// The newest link of the chain: publish it elsewhere to anchor the whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    /// The newest event's place in the chain.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Events verified.
    pub events: i64,
    /// The chain head as stored.
    pub head: ChainHead,
    /// The first problem, if any; everything before it verified.
    pub problem: Option<ChainProblem>,
}

/// Where the chain fails to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The event's content no longer matches its hash: it was altered.
    Altered {
        /// The event's place in the chain.
        seq: i64,
        /// Its case.
        case_id: String,
        /// Its number in the case.
        case_version: i64,
    },
    /// The event does not link to the one before it: events before it were removed or reordered.
    Broken {
        /// The event's place in the chain.
        seq: i64,
        /// Its case.
        case_id: String,
        /// The place it should have had.
        expected_seq: i64,
    },
    /// The chain head does not match the last event: events at the end were removed.
    HeadMismatch {
        /// The place the chain head names.
        head_seq: i64,
        /// The place of the last event stored.
        last_seq: i64,
    },
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Altered { seq, case_id, case_version } => write!(
                f,
                "第 {seq} 号事件（案件 {case_id} 第 {case_version} 个事件）的内容与其哈希不符，已被篡改"
            ),
            ChainProblem::Broken { seq, case_id, expected_seq } => write!(
                f,
                "第 {seq} 号事件（案件 {case_id}）与前一事件的链接断开：应为第 {expected_seq} 号，其前的事件已被删除或调换顺序"
            ),
            ChainProblem::HeadMismatch { head_seq, last_seq } => write!(
                f,
                "链头记录为第 {head_seq} 号事件，而最后一个事件为第 {last_seq} 号：末尾的事件已被删除或链头被改动"
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(Counted<SqlitePool>),
    Postgres(Counted<PgPool>),
}

/// A connection pool whose reads are counted: every `SELECT` (or `WITH …`) statement run on the
/// pool itself, outside a transaction, adds one to [`Store::reads`]. Statements inside an
/// append's transaction are part of the write and not counted. The count is what a test of the
/// cost of a request looks at (issue 14: a POST that accepts an application reads at most three
/// times); it costs one atomic add per statement.
#[derive(Debug, Clone)]
struct Counted<P> {
    pool: P,
    reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<P> Counted<P> {
    fn new(pool: P) -> Self {
        Counted {
            pool,
            reads: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0)),
        }
    }
}

impl<P> std::ops::Deref for Counted<P> {
    type Target = P;

    fn deref(&self) -> &P {
        &self.pool
    }
}

/// A statement on its way to the driver: counted as a read when the driver takes its SQL and
/// the SQL reads.
struct Peek<E> {
    inner: E,
    reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

fn is_read(sql: &str) -> bool {
    let head: String = sql
        .trim_start()
        .chars()
        .take(6)
        .collect::<String>()
        .to_ascii_uppercase();
    head.starts_with("SELECT") || head.starts_with("WITH")
}

impl<'q, DB: sqlx::Database, E: sqlx::Execute<'q, DB>> sqlx::Execute<'q, DB> for Peek<E> {
    fn sql(self) -> sqlx::SqlStr {
        let sql = self.inner.sql();
        if is_read(sql.as_str()) {
            self.reads
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        sql
    }

    fn statement(&self) -> Option<&DB::Statement> {
        self.inner.statement()
    }

    fn take_arguments(
        &mut self,
    ) -> Result<Option<<DB as sqlx::Database>::Arguments>, sqlx::error::BoxDynError> {
        self.inner.take_arguments()
    }

    fn persistent(&self) -> bool {
        self.inner.persistent()
    }
}

impl<'p, DB: sqlx::Database> sqlx::Executor<'p> for &'_ Counted<sqlx::Pool<DB>>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
{
    type Database = DB;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<
        'e,
        Result<sqlx::Either<DB::QueryResult, DB::Row>, sqlx::Error>,
    >
    where
        E: 'q + sqlx::Execute<'q, DB>,
    {
        let query = Peek {
            inner: query,
            reads: self.reads.clone(),
        };
        (&self.pool).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<DB::Row>, sqlx::Error>>
    where
        E: 'q + sqlx::Execute<'q, DB>,
    {
        let query = Peek {
            inner: query,
            reads: self.reads.clone(),
        };
        (&self.pool).fetch_optional(query)
    }

    fn prepare_with<'e>(
        self,
        sql: sqlx::SqlStr,
        parameters: &'e [<DB as sqlx::Database>::TypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<<DB as sqlx::Database>::Statement, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }
}

/// One case's part of a batch append.
#[derive(Debug, Clone, Copy)]
pub struct BatchItem<'a> {
    /// The case's id.
    pub case_id: &'a str,
    /// The version the command was decided on (refused if the case moved on).
    pub expected_version: i64,
    /// The events to append.
    pub events: &'a [NewEvent],
    /// The read model to write with them, if any.
    pub projection: Option<&'a Projection>,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The event store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// The PostgreSQL schema chosen with `?schema=`, if any.
    schema: Option<String>,
    /// The time the store's own records (directory changes) are made at, when frozen
    /// ([`Store::with_fixed_now`]); the clock otherwise.
    fixed_now: Option<DateTime<Utc>>,
}

fn format_at(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Writes a case's read model and replaces its open deadlines and links, inside the append
/// transaction.
macro_rules! write_projection {
    ($tx:expr, $case_id:expr, $version:expr, $updated_at:expr, $p:expr) => {{
        let (tx, case_id, version, updated_at, p) = ($tx, $case_id, $version, $updated_at, $p);
                    sqlx::query(
                        "INSERT INTO cases (case_id, kind, state, org_id, title, version, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (case_id) DO UPDATE SET kind = excluded.kind, state = excluded.state, \
                         org_id = excluded.org_id, title = excluded.title, version = excluded.version, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(case_id)
                    .bind(&p.case.kind)
                    .bind(&p.case.state)
                    .bind(&p.case.org_id)
                    .bind(&p.case.title)
                    .bind(version)
                    .bind(updated_at)
                    .execute(&mut *tx)
                    .await?;
                    // Open deadlines are replaced wholesale: a step done or fired simply vanishes.
                    sqlx::query("DELETE FROM deadlines WHERE case_id = $1")
                        .bind(case_id)
                        .execute(&mut *tx)
                        .await?;
                    for d in &p.deadlines {
                        sqlx::query(
                            "INSERT INTO deadlines (case_id, step, due, provisional, article, fires_event, role, label, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT c.org_id FROM cases c WHERE c.case_id = $1))",
                        )
                        .bind(case_id)
                        .bind(&d.step)
                        .bind(d.due.to_string())
                        .bind(d.provisional)
                        .bind(&d.article)
                        .bind(d.fires_event)
                        .bind(&d.role)
                        .bind(&d.label)
                        .execute(&mut *tx)
                        .await?;
                    }
                    // So are its links: who and which organisations the case involves now.
                    sqlx::query("DELETE FROM case_links WHERE case_id = $1")
                        .bind(case_id)
                        .execute(&mut *tx)
                        .await?;
                    for l in &p.links {
                        sqlx::query(
                            "INSERT INTO case_links (case_id, relation, target) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        )
                        .bind(case_id)
                        .bind(&l.relation)
                        .bind(&l.target)
                        .execute(&mut *tx)
                        .await?;
                    }
    }};
}

/// One case's events, serialised before any lock is taken (the lock is held for SQL only).
struct Prepared<'a> {
    case_id: &'a str,
    /// `None` appends at whatever version the case has: the `_directory` stream, whose writers
    /// are already serialised by the chain-head lock and have no version of their own to state.
    expected_version: Option<i64>,
    events: &'a [NewEvent],
    projection: Option<&'a Projection>,
    payloads: Vec<String>,
    ats: Vec<String>,
}

impl<'a> Prepared<'a> {
    fn new(
        case_id: &'a str,
        expected_version: Option<i64>,
        events: &'a [NewEvent],
        projection: Option<&'a Projection>,
    ) -> Result<Self, StoreError> {
        if events.is_empty() {
            return Err(StoreError::Empty);
        }
        let payloads = events
            .iter()
            .map(|e| {
                serde_json::to_string(&e.payload).map_err(|x| StoreError::Payload(x.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ats = events.iter().map(|e| format_at(&e.at)).collect();
        Ok(Prepared {
            case_id,
            expected_version,
            events,
            projection,
            payloads,
            ats,
        })
    }
}

/// Defines the one body that links events into the chain, per backend connection type. It runs
/// inside the caller's transaction: takes the chain-head lock (`$head_sql`), checks each case's
/// version, inserts and links the events, writes the read models and moves the head. Case
/// appends and directory changes both go through it, so the chain has a single writer path.
macro_rules! chain_append_fn {
    ($name:ident, $conn:ty, $head_sql:expr) => {
        async fn $name(tx: &mut $conn, prepared: &[Prepared<'_>]) -> Result<Vec<i64>, StoreError> {
            // Serialise all appends on the head row: it orders the chain and hands out seq.
            let head = sqlx::query($head_sql).fetch_one(&mut *tx).await?;
            let (mut seq, mut prev): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
            let mut versions = Vec::with_capacity(prepared.len());
            for item in prepared {
                let case_id = item.case_id;
                let actual: i64 = sqlx::query(
                    "SELECT COALESCE(MAX(case_version), 0) FROM events WHERE case_id = $1",
                )
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                let expected_version = item.expected_version.unwrap_or(actual);
                if actual != expected_version {
                    return Err(StoreError::Conflict {
                        case_id: case_id.to_string(),
                        expected: expected_version,
                        actual,
                    });
                }
                let mut version = actual;
                for ((e, payload), at) in item.events.iter().zip(&item.payloads).zip(&item.ats) {
                    seq += 1;
                    version += 1;
                    let hash = link_hash(
                        &prev,
                        &Link {
                            seq,
                            case_id,
                            case_version: version,
                            at,
                            actor: &e.actor,
                            role: &e.role,
                            kind: &e.kind,
                            reason: e.reason.as_deref(),
                            payload,
                        },
                    );
                    sqlx::query(
                        "INSERT INTO events (seq, case_id, case_version, at, actor, role, kind, reason, payload, prev_hash, hash) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(seq)
                    .bind(case_id)
                    .bind(version)
                    .bind(at)
                    .bind(&e.actor)
                    .bind(&e.role)
                    .bind(&e.kind)
                    .bind(e.reason.as_deref())
                    .bind(payload)
                    .bind(&prev)
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(|err| conflict_or(err, case_id, expected_version))?;
                    prev = hash;
                }
                if let Some(p) = item.projection {
                    let updated_at = item.ats.last().map(String::as_str).unwrap_or_default();
                    write_projection!(&mut *tx, case_id, version, updated_at, p);
                }
                versions.push(version);
            }
            sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&prev)
                .execute(&mut *tx)
                .await?;
            Ok(versions)
        }
    };
}

chain_append_fn!(
    chain_append_sqlite,
    sqlx::SqliteConnection,
    // SQLite has no FOR UPDATE: callers hold the write lock through BEGIN IMMEDIATE.
    "SELECT seq, hash FROM chain_head WHERE id = 1"
);
chain_append_fn!(
    chain_append_pg,
    sqlx::PgConnection,
    "SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE"
);

// Declared after the macros above, which it uses.
mod directory;

impl Store {
    /// Makes every record the store stamps itself (directory changes) at `at`: a record that
    /// must come out byte for byte the same on every run, such as the golden record the refactor
    /// of issue 14 is checked against. Never for a production store.
    pub fn with_fixed_now(mut self, at: DateTime<Utc>) -> Self {
        self.fixed_now = Some(at);
        self
    }

    /// The time of the store's own records.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.fixed_now
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()))
    }

    /// Opens (creating if needed) the database at `url` and applies the embedded migrations.
    /// `sqlite://path/to/file.db` or `postgres://user@host/db` (a `?schema=NAME` query selects
    /// a schema, created if missing — used to give each test run a fresh one).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let (pool, schema) = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|_| StoreError::BadUrl(url.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: an acknowledged event survives power loss, not only a killed process.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                // A 64 MiB page cache per connection and reads through a 256 MiB map (issue 21):
                // with SQLite's 2 MiB default a list over 100k cases re-read its table from the
                // OS on every request. Memory is taken only as the database grows into it.
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "268435456");
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(opts)
                .await
                .map_err(StoreError::Connect)?;
            (Pool::Sqlite(Counted::new(pool)), None)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let (base, schema) = split_schema(url);
            let mut opts = PgConnectOptions::from_str(base)
                .map_err(|_| StoreError::BadUrl(url.to_string()))?;
            if let Some(schema) = &schema {
                if !schema
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    || schema.is_empty()
                {
                    return Err(StoreError::BadUrl(url.to_string()));
                }
                // Create the schema with a plain connection first, then pin every pooled
                // connection's search_path to it.
                let admin = PgPoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts.clone())
                    .await
                    .map_err(StoreError::Connect)?;
                // The name was checked above to be [A-Za-z0-9_]+, so it cannot inject SQL.
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE SCHEMA IF NOT EXISTS {schema}"
                )))
                .execute(&admin)
                .await?;
                admin.close().await;
                opts = opts.options([("search_path", schema.as_str())]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await
                .map_err(StoreError::Connect)?;
            (Pool::Postgres(Counted::new(pool)), schema)
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        let store = Store {
            pool,
            schema,
            fixed_now: None,
        };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// Drops the PostgreSQL schema this store was opened on (`?schema=`) and closes the store.
    /// For test runs that each create a fresh schema; does nothing on SQLite.
    pub async fn drop_schema(self) -> Result<(), StoreError> {
        if let (Pool::Postgres(p), Some(schema)) = (&self.pool, &self.schema) {
            // Checked at open to be [A-Za-z0-9_]+.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE"
            )))
            .execute(p)
            .await?;
        }
        self.close().await;
        Ok(())
    }

    /// How many reads this store (and every clone of it) has made: statements that read, run
    /// outside a transaction (see [`Counted`]). For tests of what a request costs.
    pub fn reads(&self) -> u64 {
        let reads = match &self.pool {
            Pool::Sqlite(p) => &p.reads,
            Pool::Postgres(p) => &p.reads,
        };
        reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Which database the store runs on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (the SQLite WAL is checkpointed).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// Appends `events` to case `case_id` if its current version is `expected_version` (0 for a
    /// new case). Returns the case's new version. All or nothing.
    pub async fn append(
        &self,
        case_id: &str,
        expected_version: i64,
        events: &[NewEvent],
    ) -> Result<i64, StoreError> {
        self.append_projected(case_id, expected_version, events, None)
            .await
    }

    /// As [`Self::append`], and in the same transaction replaces the case's read model and its
    /// open deadlines with `projection` (the workflow computes it from the new state).
    pub async fn append_projected(
        &self,
        case_id: &str,
        expected_version: i64,
        events: &[NewEvent],
        projection: Option<&Projection>,
    ) -> Result<i64, StoreError> {
        let item = BatchItem {
            case_id,
            expected_version,
            events,
            projection,
        };
        let versions = self.append_batch(std::slice::from_ref(&item)).await?;
        Ok(versions.first().copied().unwrap_or(expected_version))
    }

    /// Appends to several cases in one transaction (bulk import, and the scale benchmark): all
    /// items or none. Each item is checked against its own expected version.
    pub async fn append_batch(&self, items: &[BatchItem<'_>]) -> Result<Vec<i64>, StoreError> {
        // Serialise everything before taking the lock: the lock is held for SQL only.
        let prepared = items
            .iter()
            .map(|i| Prepared::new(i.case_id, Some(i.expected_version), i.events, i.projection))
            .collect::<Result<Vec<_>, _>>()?;
        match &self.pool {
            Pool::Sqlite(p) => {
                // SQLite has no FOR UPDATE: the IMMEDIATE transaction already holds the lock.
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                let v = chain_append_sqlite(&mut tx, &prepared).await?;
                tx.commit().await?;
                Ok(v)
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                let v = chain_append_pg(&mut tx, &prepared).await?;
                tx.commit().await?;
                Ok(v)
            }
        }
    }

    /// The current version (number of events) of a case; 0 if it has none.
    pub async fn case_version(&self, case_id: &str) -> Result<i64, StoreError> {
        let q = "SELECT COALESCE(MAX(case_version), 0) FROM events WHERE case_id = $1";
        let row = match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q)
                .bind(case_id)
                .fetch_one(p)
                .await?
                .try_get::<i64, _>(0)?,
            Pool::Postgres(p) => sqlx::query(q)
                .bind(case_id)
                .fetch_one(p)
                .await?
                .try_get::<i64, _>(0)?,
        };
        Ok(row)
    }

    /// A case's events in order.
    pub async fn events(&self, case_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let q = "SELECT seq, case_id, case_version, at, actor, role, kind, reason, payload, prev_hash, hash \
                 FROM events WHERE case_id = $1 ORDER BY case_version";
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q)
                .bind(case_id)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_event_sqlite)
                .collect(),
            Pool::Postgres(p) => sqlx::query(q)
                .bind(case_id)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_event_pg)
                .collect(),
        }
    }

    /// Every event of one kind, in chain order (for audits across cases: the evidence records,
    /// the seals). Uses no index: an audit reads the whole log anyway.
    pub async fn events_of_kind(&self, kind: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let q = "SELECT seq, case_id, case_version, at, actor, role, kind, reason, payload, prev_hash, hash \
                 FROM events WHERE kind = $1 ORDER BY seq";
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q)
                .bind(kind)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_event_sqlite)
                .collect(),
            Pool::Postgres(p) => sqlx::query(q)
                .bind(kind)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_event_pg)
                .collect(),
        }
    }

    /// The newest link of the chain.
    pub async fn head(&self) -> Result<ChainHead, StoreError> {
        let q = "SELECT seq, hash FROM chain_head WHERE id = 1";
        let (seq, hash) = match &self.pool {
            Pool::Sqlite(p) => {
                let r = sqlx::query(q).fetch_one(p).await?;
                (r.try_get(0)?, r.try_get(1)?)
            }
            Pool::Postgres(p) => {
                let r = sqlx::query(q).fetch_one(p).await?;
                (r.try_get(0)?, r.try_get(1)?)
            }
        };
        Ok(ChainHead { seq, hash })
    }

    /// Open deadlines due on or before `until`, soonest first (the "due within N working days"
    /// list: the caller turns N working days into a date with the calendar). Uses the due index.
    pub async fn due_until(
        &self,
        until: NaiveDate,
        limit: i64,
    ) -> Result<Vec<DueDeadline>, StoreError> {
        let q = "SELECT case_id, step, due, provisional, article FROM deadlines \
                 WHERE due <= $1 ORDER BY due, case_id, step LIMIT $2";
        let until = until.to_string();
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_due_sqlite)
                .collect(),
            Pool::Postgres(p) => sqlx::query(q)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_due_pg)
                .collect(),
        }
    }

    /// Open deadlines due in `from..=until`, soonest first, at most `limit` (a page): "cases due
    /// within N working days" is `from = today`, `until = today + N wd` from the calendar.
    pub async fn due_between(
        &self,
        from: NaiveDate,
        until: NaiveDate,
        limit: i64,
    ) -> Result<Vec<DueDeadline>, StoreError> {
        let q = "SELECT case_id, step, due, provisional, article FROM deadlines \
                 WHERE due >= $1 AND due <= $2 ORDER BY due, case_id, step LIMIT $3";
        let (from, until) = (from.to_string(), until.to_string());
        match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q)
                .bind(from)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_due_sqlite)
                .collect(),
            Pool::Postgres(p) => sqlx::query(q)
                .bind(from)
                .bind(until)
                .bind(limit)
                .fetch_all(p)
                .await?
                .iter()
                .map(row_due_pg)
                .collect(),
        }
    }

    /// How many cases of a kind exist (for numbering new cases).
    pub async fn count_cases(&self, kind: &str) -> Result<i64, StoreError> {
        let q = "SELECT COUNT(*) FROM cases WHERE kind = $1";
        Ok(match &self.pool {
            Pool::Sqlite(p) => sqlx::query(q).bind(kind).fetch_one(p).await?.try_get(0)?,
            Pool::Postgres(p) => sqlx::query(q).bind(kind).fetch_one(p).await?.try_get(0)?,
        })
    }

    /// Replaces a case's open deadlines without appending an event: the scheduler's repair when
    /// a claimed deadline turns out to have nothing due (the read model is derived data).
    pub async fn replace_deadlines(
        &self,
        case_id: &str,
        deadlines: &[DeadlineRow],
    ) -> Result<(), StoreError> {
        macro_rules! go {
            ($p:expr) => {{
                let mut tx = $p.begin().await?;
                sqlx::query("DELETE FROM deadlines WHERE case_id = $1")
                    .bind(case_id)
                    .execute(&mut *tx)
                    .await?;
                for d in deadlines {
                    sqlx::query(
                        "INSERT INTO deadlines (case_id, step, due, provisional, article, fires_event, role, label, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT c.org_id FROM cases c WHERE c.case_id = $1))",
                    )
                    .bind(case_id)
                    .bind(&d.step)
                    .bind(d.due.to_string())
                    .bind(d.provisional)
                    .bind(&d.article)
                    .bind(d.fires_event)
                    .bind(&d.role)
                    .bind(&d.label)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
            }};
        }
        match &self.pool {
            Pool::Sqlite(p) => go!(p),
            Pool::Postgres(p) => go!(p),
        }
        Ok(())
    }

    /// A page of cases, newest change first, optionally of one state and organisation.
    pub async fn list_cases(
        &self,
        state: Option<&str>,
        org_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ListedCase>, StoreError> {
        let q = "SELECT case_id, kind, state, org_id, title, version, updated_at FROM cases \
                 WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR org_id = $2) \
                 ORDER BY updated_at DESC, case_id LIMIT $3 OFFSET $4";
        macro_rules! go {
            ($p:expr) => {{
                let rows = sqlx::query(q)
                    .bind(state)
                    .bind(org_id)
                    .bind(limit)
                    .bind(offset)
                    .fetch_all($p)
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok(ListedCase {
                            case_id: r.try_get(0)?,
                            case: CaseRow {
                                kind: r.try_get(1)?,
                                state: r.try_get(2)?,
                                org_id: r.try_get(3)?,
                                title: r.try_get(4)?,
                            },
                            version: r.try_get(5)?,
                            updated_at: r.try_get(6)?,
                        })
                    })
                    .collect()
            }};
        }
        match &self.pool {
            Pool::Sqlite(p) => go!(p),
            Pool::Postgres(p) => go!(p),
        }
    }

    /// A case's read-model row, if the case exists.
    pub async fn case_row(&self, case_id: &str) -> Result<Option<(CaseRow, i64)>, StoreError> {
        let q = "SELECT kind, state, org_id, title, version FROM cases WHERE case_id = $1";
        macro_rules! get {
            ($p:expr) => {{
                match sqlx::query(q).bind(case_id).fetch_optional($p).await? {
                    None => None,
                    Some(r) => Some((
                        CaseRow {
                            kind: r.try_get(0)?,
                            state: r.try_get(1)?,
                            org_id: r.try_get(2)?,
                            title: r.try_get(3)?,
                        },
                        r.try_get::<i64, _>(4)?,
                    )),
                }
            }};
        }
        Ok(match &self.pool {
            Pool::Sqlite(p) => get!(p),
            Pool::Postgres(p) => get!(p),
        })
    }

    /// Leases up to `limit` event-firing deadlines whose due day has passed (`due < today`: the
    /// last day itself still counts, 000 §13) to `owner` for
    /// `lease`, skipping those another process holds. The scheduler then appends the due event
    /// (e.g. 视为受理, 000 §13) with the case's version, which removes the deadline in the same
    /// transaction; if two processes ever raced past an expired lease, the version check lets
    /// only one append. Together: each due event fires exactly once.
    pub async fn claim_due(
        &self,
        today: NaiveDate,
        owner: &str,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<DueDeadline>, StoreError> {
        let now_s = format_at(&now);
        let until = format_at(
            &(now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60))),
        );
        let today = today.to_string();
        match &self.pool {
            Pool::Sqlite(p) => {
                // The IMMEDIATE transaction holds SQLite's single write lock: the select and
                // update below are atomic with respect to every other process.
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                let rows = sqlx::query(
                    "UPDATE deadlines SET lease_owner = $1, lease_until = $2 \
                     WHERE rowid IN (SELECT rowid FROM deadlines WHERE fires_event = 1 AND due < $3 \
                       AND (lease_until IS NULL OR lease_until < $4) ORDER BY due LIMIT $5) \
                     RETURNING case_id, step, due, provisional, article",
                )
                .bind(owner)
                .bind(&until)
                .bind(&today)
                .bind(&now_s)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                rows.iter().map(row_due_sqlite).collect()
            }
            Pool::Postgres(p) => {
                let rows = sqlx::query(
                    "UPDATE deadlines d SET lease_owner = $1, lease_until = $2 \
                     FROM (SELECT case_id, step FROM deadlines WHERE fires_event AND due < $3 \
                       AND (lease_until IS NULL OR lease_until < $4) ORDER BY due LIMIT $5 \
                       FOR UPDATE SKIP LOCKED) c \
                     WHERE d.case_id = c.case_id AND d.step = c.step \
                     RETURNING d.case_id, d.step, d.due, d.provisional, d.article",
                )
                .bind(owner)
                .bind(&until)
                .bind(&today)
                .bind(&now_s)
                .bind(limit)
                .fetch_all(p)
                .await?;
                rows.iter().map(row_due_pg).collect()
            }
        }
    }

    /// Recomputes the whole chain in `seq` order, in pages, and reports the first problem.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        const PAGE: i64 = 5000;
        let q = "SELECT seq, case_id, case_version, at, actor, role, kind, reason, payload, prev_hash, hash \
                 FROM events WHERE seq > $1 ORDER BY seq LIMIT $2";
        let head = self.head().await?;
        let mut prev = GENESIS.to_string();
        let mut expected_seq = 1i64;
        let mut after = 0i64;
        let mut count = 0i64;
        loop {
            let page: Vec<StoredEvent> = match &self.pool {
                Pool::Sqlite(p) => sqlx::query(q)
                    .bind(after)
                    .bind(PAGE)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(row_event_sqlite)
                    .collect::<Result<_, _>>()?,
                Pool::Postgres(p) => sqlx::query(q)
                    .bind(after)
                    .bind(PAGE)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(row_event_pg)
                    .collect::<Result<_, _>>()?,
            };
            if page.is_empty() {
                break;
            }
            for e in &page {
                // A hash that does not cover the content: the row itself was edited.
                if link_hash(&e.prev_hash, &e.link()) != e.hash {
                    return Ok(report(
                        count,
                        head,
                        ChainProblem::Altered {
                            seq: e.seq,
                            case_id: e.case_id.clone(),
                            case_version: e.case_version,
                        },
                    ));
                }
                // A valid row that does not follow its predecessor: rows were removed or moved.
                if e.prev_hash != prev || e.seq != expected_seq {
                    return Ok(report(
                        count,
                        head,
                        ChainProblem::Broken {
                            seq: e.seq,
                            case_id: e.case_id.clone(),
                            expected_seq,
                        },
                    ));
                }
                prev = e.hash.clone();
                expected_seq += 1;
                count += 1;
                after = e.seq;
            }
        }
        if head.seq != count || head.hash != prev {
            return Ok(report(
                count,
                head.clone(),
                ChainProblem::HeadMismatch {
                    head_seq: head.seq,
                    last_seq: count,
                },
            ));
        }
        Ok(VerifyReport {
            events: count,
            head,
            problem: None,
        })
    }

    /// Runs raw SQL; for tests and tools that need to reach under the API (e.g. tamper tests).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await?
                .rows_affected(),
            Pool::Postgres(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await?
                .rows_affected(),
        })
    }

    pub(crate) fn pool_sqlite(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(p) => Some(&p.pool),
            Pool::Postgres(_) => None,
        }
    }

    pub(crate) fn pool_pg(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Postgres(p) => Some(&p.pool),
            Pool::Sqlite(_) => None,
        }
    }
}

fn report(count: i64, head: ChainHead, problem: ChainProblem) -> VerifyReport {
    VerifyReport {
        events: count,
        head,
        problem: Some(problem),
    }
}

/// A unique-key violation on (case_id, case_version) means another writer won the race.
fn conflict_or(err: sqlx::Error, case_id: &str, expected: i64) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return StoreError::Conflict {
                case_id: case_id.to_string(),
                expected,
                actual: expected + 1,
            };
        }
    }
    StoreError::Db(err)
}

fn split_schema(url: &str) -> (&str, Option<String>) {
    match url.split_once("?schema=") {
        Some((base, schema)) => (base, Some(schema.to_string())),
        None => (url, None),
    }
}

macro_rules! row_event {
    ($name:ident, $row:ty) => {
        fn $name(r: &$row) -> Result<StoredEvent, StoreError> {
            Ok(StoredEvent {
                seq: r.try_get(0)?,
                case_id: r.try_get(1)?,
                case_version: r.try_get(2)?,
                at: r.try_get(3)?,
                actor: r.try_get(4)?,
                role: r.try_get(5)?,
                kind: r.try_get(6)?,
                reason: r.try_get(7)?,
                payload: r.try_get(8)?,
                prev_hash: r.try_get(9)?,
                hash: r.try_get(10)?,
            })
        }
    };
}
row_event!(row_event_sqlite, sqlx::sqlite::SqliteRow);
row_event!(row_event_pg, sqlx::postgres::PgRow);

macro_rules! row_due {
    ($name:ident, $row:ty) => {
        fn $name(r: &$row) -> Result<DueDeadline, StoreError> {
            let due: String = r.try_get(2)?;
            Ok(DueDeadline {
                case_id: r.try_get(0)?,
                step: r.try_get(1)?,
                // Written by this crate as YYYY-MM-DD; anything else is a corrupted row.
                due: due
                    .parse()
                    .map_err(|_| StoreError::BadRow(format!("截止日期“{due}”")))?,
                provisional: r.try_get(3)?,
                article: r.try_get(4)?,
            })
        }
    };
}
row_due!(row_due_sqlite, sqlx::sqlite::SqliteRow);
row_due!(row_due_pg, sqlx::postgres::PgRow);
