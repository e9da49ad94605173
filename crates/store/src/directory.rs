//! The directory — organisations (a tree), people and their sign-in credentials, role grants per
//! organisation, the expert pool — with sessions, API tokens and sign-in attempts, and the
//! scoped case and deadline queries the web server lists with.
//!
//! Every change to organisations, people, grants, experts and API tokens is also an event in the
//! SM3 chain under the reserved case id [`DIRECTORY_CASE`] (`_directory`), appended in the same
//! transaction as the change, so who was given which powers is as tamper-evident as the cases.
//! Password hashes and session or token secrets never enter an event. Sessions and sign-in
//! attempts are operational state and are not chained. `_directory` has events but no `cases`
//! row, so case lists and numbering never see it; no ordinary case id may be `_directory`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{
    chain_append_pg, chain_append_sqlite, format_at, CaseRow, ListedCase, NewEvent, Pool, Prepared,
    Store, StoreError,
};

/// The reserved case id whose events record directory changes.
pub const DIRECTORY_CASE: &str = "_directory";

/// The role recorded on directory events: only administrators change the directory.
const DIRECTORY_ROLE: &str = "administrator";

/// Link relations through which a person sees a case (as applicant, panel member or outside
/// expert of an application, or the officer a process case is about); a constant list in the
/// SQL, never a user value.
const PERSON_RELATIONS_SQL: &str = "'applicant', 'panel', 'external', 'subject'";

/// Link relations naming an organisation, each opening the case to one list of a scope: the
/// application's names first, then those of the other processes (`lvzhi_processes::Process::links`).
const ESCALATION_RELATION_SQL: &str = "'parent_committee', 'escalated_to'";
const UNIT_RELATION_SQL: &str = "'applying_unit', 'unit'";
const DEPARTMENT_RELATION_SQL: &str = "'department'";

/// An organisation; `parent_id` places it in the tree (none for a root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRecord {
    /// The organisation's id.
    pub id: String,
    /// Its parent's id (none for a root).
    pub parent_id: Option<String>,
    /// Its full name.
    pub name: String,
    /// What kind of body it is (`police`, `prison`, …).
    pub kind: String,
}

/// An organisation's own bindings to policy packs (issue 20): the pack whose procedure its body
/// follows and the packs its people are judged by. `None` and an empty list inherit from the
/// organisation above (see `lvzhi_service::governance`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPacks {
    /// The organisation's id.
    pub org_id: String,
    /// The procedure pack it binds, if any.
    pub procedure: Option<String>,
    /// The rule packs it binds (empty: inherited).
    pub rules: Vec<String>,
}

/// A person as the directory shows them (never with a password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    /// The person's id.
    pub id: String,
    /// Their name of record.
    pub name: String,
    /// Their organisation.
    pub org_id: String,
    /// Their post (职务).
    pub title: String,
    /// Their login name, if they may sign in.
    pub login: Option<String>,
    /// Whether they must change their password before anything else.
    pub must_change_password: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// What signing in checks a password against. Holds the hash, so it is never deserialised from
/// outside nor written into an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credentials {
    /// The person's id.
    pub person_id: String,
    /// The argon2id hash (PHC string) of the password.
    pub password_hash: String,
    /// Whether the password must be changed at sign-in.
    pub must_change_password: bool,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// A role held by a person for an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRecord {
    /// The person's id.
    pub person_id: String,
    /// The role's id.
    pub role: String,
    /// The organisation at which it is held.
    pub org_id: String,
}

/// A member of the expert pool panels are drawn from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpertRecord {
    /// The expert's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their category (`legal_expert`, …).
    pub category: String,
    /// Where they work.
    pub affiliation: String,
    /// The eligibility conditions recorded as met (000 §18–19).
    pub eligibility: serde_json::Value,
    /// Their person id, if they have an account.
    pub person_id: Option<String>,
    /// A free note.
    pub note: String,
    /// Whether panels may draw them.
    pub active: bool,
    /// The organisation that retains this expert as its lawyer (聘请律师, 001 §26); a retained
    /// lawyer is an active `legal_expert` with this set.
    #[serde(default)]
    pub retained_by: Option<String>,
}

/// The expert category a retained lawyer belongs to (000 §18(三) 法学专家、知名律师).
pub const LAWYER_CATEGORY: &str = "legal_expert";

/// A live session, found by the hash of its cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    /// The person signed in.
    pub person_id: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// An API token as listed (its secret is stored only as a hash, and never shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRecord {
    /// The token's id.
    pub id: String,
    /// The person it acts for.
    pub person_id: String,
    /// Its label, as given when it was issued.
    pub label: String,
    /// When it was issued.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// One thing a case involves: `relation` is e.g. `applicant`, `panel`, `external` (target: a
/// person id) or `parent_committee` (target: an organisation id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLink {
    /// How the target is involved.
    pub relation: String,
    /// A person or organisation id.
    pub target: String,
}

/// Which cases a user may see, as the web server derives it from its access policies. A case
/// is in scope if any one part admits it; a scope with no part admits nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseScope {
    /// Cases whose `org_id` is one of these.
    pub orgs: Vec<String>,
    /// Or linked to this person by relation `applicant`, `panel`, `external` or `subject`.
    pub person: Option<String>,
    /// Or with a `parent_committee` or `escalated_to` link whose target is one of these.
    pub escalated_orgs: Vec<String>,
    /// Or with an `applying_unit` or `unit` link whose target is one of these (所在单位, 000 §12).
    pub unit_orgs: Vec<String>,
    /// Or with a `department` link whose target is one of these (原问责决定部门, 000 §26).
    pub department_orgs: Vec<String>,
    /// Or of certain kinds only, handled at or escalated to certain organisations (the 法制部门
    /// sees the enforcement-fault cases of its subtree, the 督察 those and the appeals against
    /// sanctions: 004 §26–27, 001 §28).
    pub by_kind: Vec<KindScope>,
    /// No restriction.
    pub all: bool,
}

/// A part of a [`CaseScope`] limited to some kinds of case: a case of one of `kinds` whose
/// `org_id` is one of `orgs`, or with a `parent_committee` or `escalated_to` link to one of
/// `escalated_orgs`. No kind admits nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KindScope {
    /// The case kinds this part admits.
    pub kinds: Vec<String>,
    /// Organisations whose cases it admits.
    pub orgs: Vec<String>,
    /// Organisations whose escalated cases it admits.
    pub escalated_orgs: Vec<String>,
}

/// A page of cases within a scope, with optional filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// Which cases may be listed at all.
    pub scope: CaseScope,
    /// Only cases at this stage.
    pub state: Option<String>,
    /// Only cases of this kind.
    pub kind: Option<String>,
    /// Only cases handled by this organisation.
    pub org_id: Option<String>,
    /// Only cases with an open deadline due on or before this day.
    pub due_until: Option<NaiveDate>,
    /// The most cases to return.
    pub limit: i64,
    /// How many to skip (paging).
    pub offset: i64,
    /// Count the scope only this far (issue 21): a total above it is reported as `n + 1`, read
    /// off at most `n + 1` index entries per part of the scope instead of every case it allows.
    /// `None` counts exactly.
    pub count_up_to: Option<i64>,
}

/// An open deadline with enough of its case to list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopedDeadline {
    /// The case's id.
    pub case_id: String,
    /// Its title.
    pub title: String,
    /// Its current stage's id.
    pub state: String,
    /// Its handling organisation.
    pub org_id: String,
    /// The id of the step that is due.
    pub step: String,
    /// The due day.
    pub due: NaiveDate,
    /// Whether the due day counts over a year with no holiday schedule loaded.
    pub provisional: bool,
    /// The article that sets the period.
    pub article: String,
    /// The case's kind (`application`, `incident`, …).
    pub kind: String,
    /// Who must act, and the step in Chinese, as the projection wrote them (may be empty).
    pub role: String,
    /// The step in Chinese.
    pub label: String,
}

fn refused(message: String) -> StoreError {
    StoreError::Directory(message)
}

fn required(what: &str, value: &str) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(refused(format!("{what}不能为空")));
    }
    Ok(())
}

fn directory_event<T: Serialize + ?Sized>(
    actor: &str,
    kind: &str,
    payload: &T,
    at: DateTime<Utc>,
) -> Result<NewEvent, StoreError> {
    required("操作人", actor)?;
    Ok(NewEvent {
        kind: kind.to_string(),
        actor: actor.to_string(),
        role: DIRECTORY_ROLE.to_string(),
        at,
        reason: None,
        payload: serde_json::to_value(payload).map_err(|x| StoreError::Payload(x.to_string()))?,
    })
}

fn parse_time(s: &str, what: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::BadRow(format!("{what}“{s}”")))
}

fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    // Written by this crate as YYYY-MM-DD; anything else is a corrupted row.
    s.parse()
        .map_err(|_| StoreError::BadRow(format!("截止日期“{s}”")))
}

/// Runs `$body` in a write transaction that holds the chain-head lock from its start (so checks
/// such as "no cycle" or "login free" cannot race another directory change), then appends
/// `$event` under `_directory` in the same transaction if the body reports a change. `$body`
/// sees the connection as `$tx` and evaluates to `(output, changed)`; an early error (`?` or
/// `return Err`) drops the transaction, so a refused change writes nothing.
macro_rules! directory_tx {
    ($store:expr, $event:expr, |$tx:ident| $body:expr) => {{
        let events = [$event];
        let prepared = [Prepared::new(DIRECTORY_CASE, None, &events, None)?];
        match &$store.pool {
            Pool::Sqlite(p) => {
                // IMMEDIATE takes SQLite's write lock up front, which is the chain lock there.
                let mut conn = p.begin_with("BEGIN IMMEDIATE").await?;
                let (out, changed) = {
                    let $tx: &mut sqlx::SqliteConnection = &mut conn;
                    $body
                };
                if changed {
                    chain_append_sqlite(&mut conn, &prepared).await?;
                }
                conn.commit().await?;
                out
            }
            Pool::Postgres(p) => {
                let mut conn = p.begin().await?;
                sqlx::query("SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE")
                    .execute(&mut *conn)
                    .await?;
                let (out, changed) = {
                    let $tx: &mut sqlx::PgConnection = &mut conn;
                    $body
                };
                if changed {
                    chain_append_pg(&mut conn, &prepared).await?;
                }
                conn.commit().await?;
                out
            }
        }
    }};
}

/// Runs a read on the store's backend and maps every row (`$r`) with `$map`, which returns a
/// `Result`.
macro_rules! fetch_rows {
    ($store:expr, $sql:expr, [$($arg:expr),* $(,)?], |$r:ident| $map:expr) => {
        match &$store.pool {
            Pool::Sqlite(p) => sqlx::query($sql)
                $(.bind($arg))*
                .fetch_all(p)
                .await?
                .iter()
                .map(|$r| -> Result<_, StoreError> { $map })
                .collect::<Result<Vec<_>, StoreError>>(),
            Pool::Postgres(p) => sqlx::query($sql)
                $(.bind($arg))*
                .fetch_all(p)
                .await?
                .iter()
                .map(|$r| -> Result<_, StoreError> { $map })
                .collect::<Result<Vec<_>, StoreError>>(),
        }
    };
}

/// As [`fetch_rows`], for at most one row.
macro_rules! fetch_opt {
    ($store:expr, $sql:expr, [$($arg:expr),* $(,)?], |$r:ident| $map:expr) => {
        match &$store.pool {
            Pool::Sqlite(p) => sqlx::query($sql)
                $(.bind($arg))*
                .fetch_optional(p)
                .await?
                .as_ref()
                .map(|$r| -> Result<_, StoreError> { $map })
                .transpose(),
            Pool::Postgres(p) => sqlx::query($sql)
                $(.bind($arg))*
                .fetch_optional(p)
                .await?
                .as_ref()
                .map(|$r| -> Result<_, StoreError> { $map })
                .transpose(),
        }
    };
}

/// Runs a statement outside any directory transaction; evaluates to the rows affected.
macro_rules! execute {
    ($store:expr, $sql:expr, [$($arg:expr),* $(,)?]) => {
        match &$store.pool {
            Pool::Sqlite(p) => sqlx::query($sql).$(bind($arg).)*execute(p).await?.rows_affected(),
            Pool::Postgres(p) => sqlx::query($sql).$(bind($arg).)*execute(p).await?.rows_affected(),
        }
    };
}

/// How many rows `$sql` (a `SELECT COUNT(*)`) counts, inside a directory transaction.
macro_rules! count_in {
    ($tx:expr, $sql:expr, [$($arg:expr),* $(,)?]) => {
        sqlx::query($sql)
            $(.bind($arg))*
            .fetch_one(&mut *$tx)
            .await?
            .try_get::<i64, _>(0)?
    };
}

/// A bound parameter of a query built at run time.
enum Arg {
    Text(String),
    Int(i64),
}

/// SQL assembled at run time: only placeholders (`$n`) and constant text are ever written into
/// it; every value is bound.
#[derive(Default)]
struct Args(Vec<Arg>);

impl Args {
    fn text(&mut self, s: &str) -> String {
        self.0.push(Arg::Text(s.to_string()));
        format!("${}", self.0.len())
    }

    fn int(&mut self, i: i64) -> String {
        self.0.push(Arg::Int(i));
        format!("${}", self.0.len())
    }

    /// `$3, $4, $5` for a list of values (never empty: callers check).
    fn list(&mut self, values: &[String]) -> String {
        values
            .iter()
            .map(|v| self.text(v))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Binds `$args` to `$query` in order.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                Arg::Text(s) => q.bind(s.as_str()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// What a scope allows, as SQL over the alias `c` of `cases`.
enum ScopeSql {
    Everything,
    Nothing,
    Where(String),
}

/// The scope as one condition. Several parts become `c.case_id IN (… UNION ALL …)` rather than
/// `org_id IN (…) OR EXISTS (…)`: both backends then read each part off its own index (cases by
/// organisation, links by target), where the OR form made the total count scan every case
/// (measured at 100k cases: PostgreSQL 15 0.6 s against under 1 ms; SQLite 0.1 s against 20 ms).
fn scope_sql(scope: &CaseScope, args: &mut Args) -> ScopeSql {
    if scope.all {
        return ScopeSql::Everything;
    }
    let orgs = (!scope.orgs.is_empty()).then(|| args.list(&scope.orgs));
    let mut parts = Vec::new();
    if let Some(person) = &scope.person {
        parts.push(format!(
            "SELECT l.case_id FROM case_links l WHERE l.target = {} AND l.relation IN ({PERSON_RELATIONS_SQL})",
            args.text(person)
        ));
    }
    for (relation, targets) in [
        (ESCALATION_RELATION_SQL, &scope.escalated_orgs),
        (UNIT_RELATION_SQL, &scope.unit_orgs),
        (DEPARTMENT_RELATION_SQL, &scope.department_orgs),
    ] {
        if !targets.is_empty() {
            parts.push(format!(
                "SELECT l.case_id FROM case_links l WHERE l.relation IN ({relation}) AND l.target IN ({})",
                args.list(targets)
            ));
        }
    }
    for k in scope.by_kind.iter().filter(|k| !k.kinds.is_empty()) {
        if !k.orgs.is_empty() {
            let kinds = args.list(&k.kinds);
            parts.push(format!(
                "SELECT o.case_id FROM cases o WHERE o.kind IN ({kinds}) AND o.org_id IN ({})",
                args.list(&k.orgs)
            ));
        }
        if !k.escalated_orgs.is_empty() {
            let targets = args.list(&k.escalated_orgs);
            parts.push(format!(
                "SELECT l.case_id FROM case_links l JOIN cases o ON o.case_id = l.case_id \
                 WHERE l.relation IN ({ESCALATION_RELATION_SQL}) AND l.target IN ({targets}) \
                 AND o.kind IN ({})",
                args.list(&k.kinds)
            ));
        }
    }
    match orgs {
        None if parts.is_empty() => ScopeSql::Nothing,
        Some(list) if parts.is_empty() => ScopeSql::Where(format!("c.org_id IN ({list})")),
        orgs => {
            if let Some(list) = orgs {
                parts.insert(
                    0,
                    format!("SELECT o.case_id FROM cases o WHERE o.org_id IN ({list})"),
                );
            }
            ScopeSql::Where(format!("c.case_id IN ({})", parts.join(" UNION ALL ")))
        }
    }
}

/// The scope as separate conditions over the alias `c` of `cases`, one per organisation and one
/// per kind of link, for the pages that take the first N rows in an order: each part is read
/// off its own ordered index and cut at N, and their union re-ordered — bounded work whatever
/// the number of visible cases (at 100k cases on SQLite the single set form took 160–380 ms to
/// gather every visible case before ordering; this takes a few ms). `None`: no restriction;
/// an empty list: nothing visible. `org_column` is the column an organisation part tests
/// (`c.org_id`, or `d.org_id` for deadlines, which carry their case's organisation).
fn scope_parts(scope: &CaseScope, args: &mut Args, org_column: &str) -> Option<Vec<String>> {
    if scope.all {
        return None;
    }
    let mut parts: Vec<String> = scope
        .orgs
        .iter()
        .map(|o| format!("{org_column} = {}", args.text(o)))
        .collect();
    if let Some(person) = &scope.person {
        parts.push(format!(
            "c.case_id IN (SELECT l.case_id FROM case_links l WHERE l.target = {} AND l.relation IN ({PERSON_RELATIONS_SQL}))",
            args.text(person)
        ));
    }
    for (relation, targets) in [
        (ESCALATION_RELATION_SQL, &scope.escalated_orgs),
        (UNIT_RELATION_SQL, &scope.unit_orgs),
        (DEPARTMENT_RELATION_SQL, &scope.department_orgs),
    ] {
        if !targets.is_empty() {
            parts.push(format!(
                "c.case_id IN (SELECT l.case_id FROM case_links l WHERE l.relation IN ({relation}) AND l.target IN ({}))",
                args.list(targets)
            ));
        }
    }
    // A kind-limited organisation is one part per organisation too (off the same index, the
    // kind tested on the rows it reads); these parts name `c.kind`, so deadlines join `cases`.
    for k in scope.by_kind.iter().filter(|k| !k.kinds.is_empty()) {
        for o in &k.orgs {
            let kinds = args.list(&k.kinds);
            parts.push(format!(
                "(c.kind IN ({kinds}) AND {org_column} = {})",
                args.text(o)
            ));
        }
        if !k.escalated_orgs.is_empty() {
            let targets = args.list(&k.escalated_orgs);
            parts.push(format!(
                "(c.kind IN ({}) AND c.case_id IN (SELECT l.case_id FROM case_links l \
                 WHERE l.relation IN ({ESCALATION_RELATION_SQL}) AND l.target IN ({targets})))",
                args.list(&k.kinds)
            ));
        }
    }
    Some(parts)
}

/// The union of the case ids of each part of a scope, each with the `rest` of the filter and
/// cut by `tail` (an order and a limit), so that each part is read off its own index.
fn union_of_parts(parts: &[String], rest: &str, tail: &str) -> String {
    parts
        .iter()
        .map(|part| {
            let mut conds = vec![part.clone()];
            if !rest.is_empty() {
                conds.push(rest.to_string());
            }
            format!(
                "SELECT * FROM (SELECT c.case_id FROM cases c {} {tail}) p",
                where_clause(&conds)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ")
}

fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    }
}

impl Store {
    // ---- organisations ----

    /// Adds or changes an organisation. The parent must exist and must not be the organisation
    /// itself or one of its descendants (a cycle would make "the organisations under X" endless).
    pub async fn put_org(&self, actor: &str, org: &OrgRecord) -> Result<(), StoreError> {
        required("机构编号", &org.id)?;
        required("机构名称", &org.name)?;
        required("机构类别", &org.kind)?;
        if org.parent_id.as_deref() == Some(org.id.as_str()) {
            return Err(refused(format!("机构 {} 不能以自身为上级机构", org.id)));
        }
        let event = directory_event(actor, "org_put", org, self.now())?;
        directory_tx!(self, event, |tx| {
            if let Some(parent) = &org.parent_id {
                if count_in!(tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", [parent]) == 0 {
                    return Err(refused(format!("上级机构 {parent} 不存在")));
                }
                // Walk up from the new parent; meeting this organisation means a cycle. UNION
                // (not ALL) stops even on a cycle already in the table.
                let cycle = count_in!(
                    tx,
                    "WITH RECURSIVE up (id, parent_id) AS ( \
                       SELECT id, parent_id FROM orgs WHERE id = $1 \
                       UNION SELECT o.id, o.parent_id FROM orgs o JOIN up ON o.id = up.parent_id) \
                     SELECT COUNT(*) FROM up WHERE id = $2",
                    [parent, &org.id]
                );
                if cycle > 0 {
                    return Err(refused(format!(
                        "不能将机构 {} 的上级机构设为 {parent}：{parent} 隶属于 {}，将形成循环",
                        org.id, org.id
                    )));
                }
            }
            sqlx::query(
                "INSERT INTO orgs (id, parent_id, name, kind) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, \
                 name = excluded.name, kind = excluded.kind",
            )
            .bind(&org.id)
            .bind(org.parent_id.as_deref())
            .bind(&org.name)
            .bind(&org.kind)
            .execute(&mut *tx)
            .await?;
            ((), true)
        });
        Ok(())
    }

    /// Every organisation, by id.
    pub async fn orgs(&self) -> Result<Vec<OrgRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT id, parent_id, name, kind FROM orgs ORDER BY id",
            [],
            |r| Ok(OrgRecord {
                id: r.try_get(0)?,
                parent_id: r.try_get(1)?,
                name: r.try_get(2)?,
                kind: r.try_get(3)?,
            })
        )
    }

    /// An organisation by id.
    pub async fn org(&self, id: &str) -> Result<Option<OrgRecord>, StoreError> {
        fetch_opt!(
            self,
            "SELECT id, parent_id, name, kind FROM orgs WHERE id = $1",
            [id],
            |r| Ok(OrgRecord {
                id: r.try_get(0)?,
                parent_id: r.try_get(1)?,
                name: r.try_get(2)?,
                kind: r.try_get(3)?,
            })
        )
    }

    // ---- bindings to policy packs (issue 20) ----

    /// Sets an organisation's own bindings, replacing what it had (the packs are checked against
    /// those in force by the caller: the store does not know them). Recorded in the chain as
    /// `org_packs_put`; setting what is already set records nothing.
    pub async fn set_org_packs(&self, actor: &str, b: &OrgPacks) -> Result<(), StoreError> {
        required("机构编号", &b.org_id)?;
        if let Some(p) = &b.procedure {
            required("程序政策包", p)?;
        }
        let mut rules: Vec<&str> = Vec::with_capacity(b.rules.len());
        for r in &b.rules {
            required("认定政策包", r)?;
            if rules.contains(&r.as_str()) {
                return Err(refused(format!("认定政策包 {r} 重复")));
            }
            rules.push(r);
        }
        let current = self.org_packs_of(&b.org_id).await?;
        if current.as_ref() == Some(b)
            || (current.is_none() && b.procedure.is_none() && b.rules.is_empty())
        {
            return Ok(());
        }
        let event = directory_event(actor, "org_packs_put", b, self.now())?;
        directory_tx!(self, event, |tx| {
            if count_in!(tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", [&b.org_id]) == 0 {
                return Err(refused(format!("机构 {} 不存在", b.org_id)));
            }
            sqlx::query("DELETE FROM org_packs WHERE org_id = $1")
                .bind(&b.org_id)
                .execute(&mut *tx)
                .await?;
            let rows = b
                .procedure
                .iter()
                .map(|p| ("procedure", p.as_str(), 0_i64))
                .chain(
                    rules
                        .iter()
                        .enumerate()
                        .map(|(i, r)| ("rules", *r, i as i64)),
                );
            for (role, pack, position) in rows {
                sqlx::query(
                    "INSERT INTO org_packs (org_id, role, pack_id, position) VALUES ($1, $2, $3, $4)",
                )
                .bind(&b.org_id)
                .bind(role)
                .bind(pack)
                .bind(position)
                .execute(&mut *tx)
                .await?;
            }
            ((), true)
        });
        Ok(())
    }

    /// Every organisation's own bindings (organisations that set none are absent), by id.
    pub async fn org_packs(&self) -> Result<Vec<OrgPacks>, StoreError> {
        let rows: Vec<(String, String, String)> = fetch_rows!(
            self,
            "SELECT org_id, role, pack_id FROM org_packs ORDER BY org_id, role, position",
            [],
            |r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
        )?;
        let mut out: Vec<OrgPacks> = Vec::new();
        for (org_id, role, pack) in rows {
            if out.last().is_none_or(|b| b.org_id != org_id) {
                out.push(OrgPacks {
                    org_id: org_id.clone(),
                    procedure: None,
                    rules: Vec::new(),
                });
            }
            if let Some(b) = out.last_mut() {
                match role.as_str() {
                    "procedure" => b.procedure = Some(pack),
                    "rules" => b.rules.push(pack),
                    other => return Err(StoreError::BadRow(format!("适用规定角色“{other}”"))),
                }
            }
        }
        Ok(out)
    }

    /// One organisation's own bindings, `None` when it sets none.
    pub async fn org_packs_of(&self, org_id: &str) -> Result<Option<OrgPacks>, StoreError> {
        let rows: Vec<(String, String)> = fetch_rows!(
            self,
            "SELECT role, pack_id FROM org_packs WHERE org_id = $1 ORDER BY role, position",
            [org_id],
            |r| Ok((r.try_get(0)?, r.try_get(1)?))
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut b = OrgPacks {
            org_id: org_id.to_string(),
            procedure: None,
            rules: Vec::new(),
        };
        for (role, pack) in rows {
            match role.as_str() {
                "procedure" => b.procedure = Some(pack),
                "rules" => b.rules.push(pack),
                other => return Err(StoreError::BadRow(format!("适用规定角色“{other}”"))),
            }
        }
        Ok(Some(b))
    }

    // ---- people ----

    /// Adds or changes a person (their password is set only by [`Store::set_password`]). The
    /// organisation must exist and the login, if any, must be no one else's.
    pub async fn put_person(&self, actor: &str, p: &PersonRecord) -> Result<(), StoreError> {
        required("人员编号", &p.id)?;
        required("姓名", &p.name)?;
        required("所属机构", &p.org_id)?;
        if let Some(login) = &p.login {
            required("登录名", login)?;
        }
        let event = directory_event(actor, "person_put", p, self.now())?;
        directory_tx!(self, event, |tx| {
            if count_in!(tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", [&p.org_id]) == 0 {
                return Err(refused(format!("机构 {} 不存在", p.org_id)));
            }
            if let Some(login) = &p.login {
                let holder = sqlx::query("SELECT id FROM people WHERE login = $1 AND id <> $2")
                    .bind(login)
                    .bind(&p.id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = holder {
                    let other: String = row.try_get(0)?;
                    return Err(refused(format!(
                        "登录名“{login}”已由人员 {other} 使用，不能重复"
                    )));
                }
            }
            sqlx::query(
                "INSERT INTO people (id, name, org_id, title, login, password_hash, must_change_password, disabled) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6, $7) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, org_id = excluded.org_id, \
                 title = excluded.title, login = excluded.login, \
                 must_change_password = excluded.must_change_password, disabled = excluded.disabled",
            )
            .bind(&p.id)
            .bind(&p.name)
            .bind(&p.org_id)
            .bind(&p.title)
            .bind(p.login.as_deref())
            .bind(p.must_change_password)
            .bind(p.disabled)
            .execute(&mut *tx)
            .await?;
            ((), true)
        });
        Ok(())
    }

    /// A person by id.
    pub async fn person(&self, id: &str) -> Result<Option<PersonRecord>, StoreError> {
        fetch_opt!(
            self,
            "SELECT id, name, org_id, title, login, must_change_password, disabled FROM people WHERE id = $1",
            [id],
            |r| Ok(PersonRecord {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                org_id: r.try_get(2)?,
                title: r.try_get(3)?,
                login: r.try_get(4)?,
                must_change_password: r.try_get(5)?,
                disabled: r.try_get(6)?,
            })
        )
    }

    /// People by id; of one organisation (not its sub-organisations) when `org_id` is given.
    pub async fn people(&self, org_id: Option<&str>) -> Result<Vec<PersonRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT id, name, org_id, title, login, must_change_password, disabled FROM people \
             WHERE ($1 IS NULL OR org_id = $1) ORDER BY id",
            [org_id],
            |r| Ok(PersonRecord {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                org_id: r.try_get(2)?,
                title: r.try_get(3)?,
                login: r.try_get(4)?,
                must_change_password: r.try_get(5)?,
                disabled: r.try_get(6)?,
            })
        )
    }

    /// Stores a person's password hash (made by the caller; this crate never sees a password).
    /// The chained event records that it changed and whether a change is required, not the hash.
    pub async fn set_password(
        &self,
        actor: &str,
        person_id: &str,
        hash: &str,
        must_change: bool,
    ) -> Result<(), StoreError> {
        required("密码摘要", hash)?;
        let payload = serde_json::json!({
            "person_id": person_id,
            "must_change_password": must_change,
        });
        let event = directory_event(actor, "password_set", &payload, self.now())?;
        directory_tx!(self, event, |tx| {
            let n = sqlx::query(
                "UPDATE people SET password_hash = $2, must_change_password = $3 WHERE id = $1",
            )
            .bind(person_id)
            .bind(hash)
            .bind(must_change)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(refused(format!("人员 {person_id} 不存在")));
            }
            ((), true)
        });
        Ok(())
    }

    /// The credentials behind a login; only people with both a login and a password.
    pub async fn credentials_by_login(
        &self,
        login: &str,
    ) -> Result<Option<Credentials>, StoreError> {
        fetch_opt!(
            self,
            "SELECT id, password_hash, must_change_password, disabled FROM people \
             WHERE login = $1 AND password_hash IS NOT NULL",
            [login],
            |r| Ok(Credentials {
                person_id: r.try_get(0)?,
                password_hash: r.try_get(1)?,
                must_change_password: r.try_get(2)?,
                disabled: r.try_get(3)?,
            })
        )
    }

    // ---- grants ----

    /// Gives a person a role for an organisation. Granting what is already held changes nothing
    /// and records nothing.
    pub async fn grant(&self, actor: &str, g: &GrantRecord) -> Result<(), StoreError> {
        required("角色", &g.role)?;
        let event = directory_event(actor, "grant_added", g, self.now())?;
        directory_tx!(self, event, |tx| {
            if count_in!(
                tx,
                "SELECT COUNT(*) FROM people WHERE id = $1",
                [&g.person_id]
            ) == 0
            {
                return Err(refused(format!("人员 {} 不存在", g.person_id)));
            }
            if count_in!(tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", [&g.org_id]) == 0 {
                return Err(refused(format!("机构 {} 不存在", g.org_id)));
            }
            let n = sqlx::query(
                "INSERT INTO grants (person_id, role, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(&g.person_id)
            .bind(&g.role)
            .bind(&g.org_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            ((), n > 0)
        });
        Ok(())
    }

    /// Takes a role away; revoking what is not held changes nothing and records nothing.
    pub async fn revoke_grant(&self, actor: &str, g: &GrantRecord) -> Result<(), StoreError> {
        let event = directory_event(actor, "grant_revoked", g, self.now())?;
        directory_tx!(self, event, |tx| {
            let n = sqlx::query(
                "DELETE FROM grants WHERE person_id = $1 AND role = $2 AND org_id = $3",
            )
            .bind(&g.person_id)
            .bind(&g.role)
            .bind(&g.org_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            ((), n > 0)
        });
        Ok(())
    }

    /// The roles a person holds.
    pub async fn grants_of(&self, person_id: &str) -> Result<Vec<GrantRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT person_id, role, org_id FROM grants WHERE person_id = $1 ORDER BY role, org_id",
            [person_id],
            |r| Ok(GrantRecord {
                person_id: r.try_get(0)?,
                role: r.try_get(1)?,
                org_id: r.try_get(2)?,
            })
        )
    }

    /// Every grant of the directory.
    pub async fn all_grants(&self) -> Result<Vec<GrantRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT person_id, role, org_id FROM grants ORDER BY person_id, role, org_id",
            [],
            |r| Ok(GrantRecord {
                person_id: r.try_get(0)?,
                role: r.try_get(1)?,
                org_id: r.try_get(2)?,
            })
        )
    }

    // ---- experts ----

    /// Adds or changes a member of the expert pool.
    pub async fn put_expert(&self, actor: &str, e: &ExpertRecord) -> Result<(), StoreError> {
        required("专家编号", &e.id)?;
        required("专家姓名", &e.name)?;
        let eligibility = serde_json::to_string(&e.eligibility)
            .map_err(|x| StoreError::Payload(x.to_string()))?;
        let event = directory_event(actor, "expert_put", e, self.now())?;
        directory_tx!(self, event, |tx| {
            if let Some(org) = &e.retained_by {
                if count_in!(tx, "SELECT COUNT(*) FROM orgs WHERE id = $1", [org]) == 0 {
                    return Err(refused(format!("聘请单位 {org} 不存在")));
                }
            }
            sqlx::query(
                "INSERT INTO experts (id, name, category, affiliation, eligibility, person_id, note, active, retained_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, \
                 affiliation = excluded.affiliation, eligibility = excluded.eligibility, \
                 person_id = excluded.person_id, note = excluded.note, active = excluded.active, \
                 retained_by = excluded.retained_by",
            )
            .bind(&e.id)
            .bind(&e.name)
            .bind(&e.category)
            .bind(&e.affiliation)
            .bind(&eligibility)
            .bind(e.person_id.as_deref())
            .bind(&e.note)
            .bind(e.active)
            .bind(e.retained_by.as_deref())
            .execute(&mut *tx)
            .await?;
            ((), true)
        });
        Ok(())
    }

    /// The whole expert pool, by id.
    pub async fn experts(&self) -> Result<Vec<ExpertRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT id, name, category, affiliation, eligibility, person_id, note, active, retained_by \
             FROM experts ORDER BY id",
            [],
            |r| {
                let id: String = r.try_get(0)?;
                let eligibility: String = r.try_get(4)?;
                let eligibility = serde_json::from_str(&eligibility)
                    .map_err(|_| StoreError::BadRow(format!("专家 {id} 的资格条件")))?;
                Ok(ExpertRecord {
                    name: r.try_get(1)?,
                    category: r.try_get(2)?,
                    affiliation: r.try_get(3)?,
                    eligibility,
                    person_id: r.try_get(5)?,
                    note: r.try_get(6)?,
                    active: r.try_get(7)?,
                    retained_by: r.try_get(8)?,
                    id,
                })
            }
        )
    }

    /// How many retained lawyers each organisation has (001 §26: active experts of
    /// [`LAWYER_CATEGORY`] retained by it); organisations with none are absent.
    pub async fn retained_lawyers(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let rows = fetch_rows!(
            self,
            "SELECT retained_by, COUNT(*) FROM experts \
             WHERE active AND category = $1 AND retained_by IS NOT NULL \
             GROUP BY retained_by",
            [LAWYER_CATEGORY],
            |r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?))
        )?;
        Ok(rows.into_iter().collect())
    }

    // ---- sessions (operational state: not chained) ----

    /// Records a new session (its token stored only as a hash).
    pub async fn create_session(
        &self,
        token_hash: &str,
        person_id: &str,
        csrf: &str,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO sessions (token_hash, person_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
            [
                token_hash,
                person_id,
                csrf,
                format_at(&created_at),
                format_at(&expires_at)
            ]
        );
        Ok(())
    }

    /// The session behind a cookie's hash, unless it has expired by `now`.
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, StoreError> {
        // format_at writes a fixed-width UTC form, so text order is time order.
        fetch_opt!(
            self,
            "SELECT person_id, csrf, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
            [token_hash, format_at(&now)],
            |r| {
                let expires_at: String = r.try_get(2)?;
                Ok(SessionRecord {
                    person_id: r.try_get(0)?,
                    csrf: r.try_get(1)?,
                    expires_at: parse_time(&expires_at, "会话到期时间")?,
                })
            }
        )
    }

    /// Ends one session (signing out).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM sessions WHERE token_hash = $1",
            [token_hash]
        );
        Ok(())
    }

    /// Ends every session of a person (password changed, account disabled).
    pub async fn delete_sessions_of(&self, person_id: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM sessions WHERE person_id = $1",
            [person_id]
        );
        Ok(())
    }

    /// Removes sessions expired by `now` (housekeeping); returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(execute!(
            self,
            "DELETE FROM sessions WHERE expires_at <= $1",
            [format_at(&now)]
        ))
    }

    // ---- API tokens ----

    /// Records a new API token for a person; the caller keeps the secret, the store its hash.
    pub async fn create_api_token(
        &self,
        actor: &str,
        id: &str,
        token_hash: &str,
        person_id: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        required("令牌编号", id)?;
        required("令牌摘要", token_hash)?;
        let record = ApiTokenRecord {
            id: id.to_string(),
            person_id: person_id.to_string(),
            label: label.to_string(),
            created_at: format_at(&now),
            revoked_at: None,
        };
        let event = directory_event(actor, "api_token_created", &record, now)?;
        directory_tx!(self, event, |tx| {
            if count_in!(tx, "SELECT COUNT(*) FROM people WHERE id = $1", [person_id]) == 0 {
                return Err(refused(format!("人员 {person_id} 不存在")));
            }
            if count_in!(tx, "SELECT COUNT(*) FROM api_tokens WHERE id = $1", [id]) > 0 {
                return Err(refused(format!("令牌编号 {id} 已存在")));
            }
            sqlx::query(
                "INSERT INTO api_tokens (id, token_hash, person_id, label, created_at, revoked_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL)",
            )
            .bind(id)
            .bind(token_hash)
            .bind(person_id)
            .bind(label)
            .bind(&record.created_at)
            .execute(&mut *tx)
            .await?;
            ((), true)
        });
        Ok(())
    }

    /// Whose token this hash is, unless it is unknown or revoked.
    pub async fn api_token_person(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        fetch_opt!(
            self,
            "SELECT person_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            [token_hash],
            |r| Ok(r.try_get::<String, _>(0)?)
        )
    }

    /// Revokes a token; `false` if no token has this id. Revoking twice keeps the first time and
    /// records nothing the second.
    pub async fn revoke_api_token(
        &self,
        actor: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let revoked_at = format_at(&now);
        let payload = serde_json::json!({ "id": id, "revoked_at": revoked_at });
        let event = directory_event(actor, "api_token_revoked", &payload, now)?;
        let known = directory_tx!(self, event, |tx| {
            let row = sqlx::query("SELECT revoked_at FROM api_tokens WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                None => (false, false),
                Some(r) if r.try_get::<Option<String>, _>(0)?.is_some() => (true, false),
                Some(_) => {
                    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1")
                        .bind(id)
                        .bind(&revoked_at)
                        .execute(&mut *tx)
                        .await?;
                    (true, true)
                }
            }
        });
        Ok(known)
    }

    /// Every token, oldest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError> {
        fetch_rows!(
            self,
            "SELECT id, person_id, label, created_at, revoked_at FROM api_tokens ORDER BY created_at, id",
            [],
            |r| Ok(ApiTokenRecord {
                id: r.try_get(0)?,
                person_id: r.try_get(1)?,
                label: r.try_get(2)?,
                created_at: r.try_get(3)?,
                revoked_at: r.try_get(4)?,
            })
        )
    }

    // ---- sign-in attempts (operational state: not chained) ----

    /// Forgets attempts older than `before` (housekeeping); returns how many.
    pub async fn prune_login_attempts(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(execute!(
            self,
            "DELETE FROM login_attempts WHERE at < $1",
            [format_at(&before)]
        ))
    }

    // ---- case links and scoped queries ----

    /// What a case involves, as its last projection wrote it.
    pub async fn case_links(&self, case_id: &str) -> Result<Vec<CaseLink>, StoreError> {
        fetch_rows!(
            self,
            "SELECT relation, target FROM case_links WHERE case_id = $1 ORDER BY relation, target",
            [case_id],
            |r| Ok(CaseLink {
                relation: r.try_get(0)?,
                target: r.try_get(1)?,
            })
        )
    }

    /// The cases linked to `target` by `relation`, in case id order (ids are numbered in order
    /// of opening per year and kind): e.g. the earlier cases sharing a recurrence key (000 §31,
    /// 002 §17). At most `limit`.
    pub async fn cases_linked(
        &self,
        relation: &str,
        target: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        fetch_rows!(
            self,
            "SELECT case_id FROM case_links WHERE target = $1 AND relation = $2 \
             ORDER BY case_id LIMIT $3",
            [target, relation, limit],
            |r| Ok(r.try_get::<String, _>(0)?)
        )
    }

    /// The links of several cases in one query (a listed page checks every row's parties).
    pub async fn case_links_many(
        &self,
        case_ids: &[String],
    ) -> Result<BTreeMap<String, Vec<CaseLink>>, StoreError> {
        let mut out: BTreeMap<String, Vec<CaseLink>> = BTreeMap::new();
        // Bounded batches keep the parameter count well inside both backends' limits.
        for chunk in case_ids.chunks(500) {
            let mut args = Args::default();
            let list = args.list(chunk);
            let sql = format!(
                "SELECT case_id, relation, target FROM case_links WHERE case_id IN ({list}) \
                 ORDER BY case_id, relation, target"
            );
            macro_rules! go {
                ($p:expr) => {{
                    // Only placeholders were written into the SQL (see `Args`).
                    let rows = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)), &args.0)
                        .fetch_all($p)
                        .await?;
                    for r in &rows {
                        out.entry(r.try_get(0)?).or_default().push(CaseLink {
                            relation: r.try_get(1)?,
                            target: r.try_get(2)?,
                        });
                    }
                }};
            }
            match &self.pool {
                Pool::Sqlite(p) => go!(p),
                Pool::Postgres(p) => go!(p),
            }
        }
        Ok(out)
    }

    /// A page of the cases a scope allows, newest change first, with the number of all matching
    /// cases. An empty scope allows nothing.
    pub async fn query_cases(&self, q: &CaseQuery) -> Result<(Vec<ListedCase>, i64), StoreError> {
        // The rest of the filter, after the scope's own condition.
        let filters = |args: &mut Args, scope: ScopeSql| -> Option<String> {
            let mut conds = Vec::new();
            match scope {
                ScopeSql::Nothing => return None,
                ScopeSql::Everything => {}
                ScopeSql::Where(c) => conds.push(c),
            }
            if let Some(state) = &q.state {
                conds.push(format!("c.state = {}", args.text(state)));
            }
            if let Some(kind) = &q.kind {
                conds.push(format!("c.kind = {}", args.text(kind)));
            }
            if let Some(org) = &q.org_id {
                conds.push(format!("c.org_id = {}", args.text(org)));
            }
            if let Some(until) = q.due_until {
                let until = args.text(&until.to_string());
                conds.push(if q.scope.all {
                    // Unscoped: the due index finds the few cases, rather than probing every case.
                    format!(
                        "c.case_id IN (SELECT d.case_id FROM deadlines d WHERE d.due <= {until})"
                    )
                } else {
                    format!(
                        "EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.case_id AND d.due <= {until})"
                    )
                });
            }
            Some(where_clause(&conds))
        };
        // Count and page share the scope's set form: each part read off its own index.
        let mut count_args = Args::default();
        let scope = match (
            &self.pool,
            scope_parts(&q.scope, &mut count_args, "c.org_id"),
        ) {
            // SQLite counts fastest with one pass over the cases, each row tested against the
            // parts (`+` keeps the planner from an index-per-part OR plan): 15–25 ms against
            // 55–75 ms for the set form at 100k cases, with or without ANALYZE statistics.
            // PostgreSQL keeps the set form (its OR plan scanned every case, 0.6 s).
            (Pool::Sqlite(_), Some(parts)) if parts.len() > 1 => ScopeSql::Where(format!(
                "({})",
                parts
                    .iter()
                    .map(|p| format!("+{p}"))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            )),
            _ => {
                count_args = Args::default();
                scope_sql(&q.scope, &mut count_args)
            }
        };
        let Some(count_filter) = filters(&mut count_args, scope) else {
            return Ok((Vec::new(), 0));
        };
        let count_sql = match q.count_up_to {
            None => format!("SELECT COUNT(*) FROM cases c {count_filter}"),
            Some(n) => {
                // Each part of the scope stops at n + 1 rows off its own index, and so does
                // their union: if the scope holds more than n cases, some part or the union of
                // all their rows does, so the count says "more" exactly when there is more.
                count_args = Args::default();
                let cap = count_args.int(n.max(0).saturating_add(1));
                match scope_parts(&q.scope, &mut count_args, "c.org_id") {
                    Some(parts) if !parts.is_empty() => {
                        let rest =
                            filters(&mut count_args, ScopeSql::Everything).unwrap_or_default();
                        let rest = rest.strip_prefix("WHERE ").unwrap_or(&rest).to_string();
                        format!(
                            "SELECT COUNT(*) FROM (SELECT case_id FROM ({}) u LIMIT {cap}) k",
                            union_of_parts(&parts, &rest, &format!("LIMIT {cap}"))
                        )
                    }
                    _ => {
                        let scope = scope_sql(&q.scope, &mut count_args);
                        let Some(filter) = filters(&mut count_args, scope) else {
                            return Ok((Vec::new(), 0));
                        };
                        format!(
                            "SELECT COUNT(*) FROM (SELECT 1 FROM cases c {filter} LIMIT {cap}) k"
                        )
                    }
                }
            }
        };
        let mut args = Args::default();
        let page_sql = match scope_parts(&q.scope, &mut args, "c.org_id") {
            // Each part's first offset+limit rows off its own ordered index, then their union
            // ordered and cut (see `scope_parts`).
            Some(parts) if !parts.is_empty() => {
                let rest = filters(&mut args, ScopeSql::Everything).unwrap_or_default();
                let rest = rest.strip_prefix("WHERE ").unwrap_or(&rest).to_string();
                let first = args.int(q.offset.max(0).saturating_add(q.limit.max(0)));
                let union = union_of_parts(
                    &parts,
                    &rest,
                    &format!("ORDER BY c.updated_at DESC, c.case_id LIMIT {first}"),
                );
                let limit = args.int(q.limit.max(0));
                let offset = args.int(q.offset.max(0));
                format!(
                    "SELECT c.case_id, c.kind, c.state, c.org_id, c.title, c.version, c.updated_at \
                     FROM ({union}) k JOIN cases c ON c.case_id = k.case_id \
                     ORDER BY c.updated_at DESC, c.case_id LIMIT {limit} OFFSET {offset}"
                )
            }
            _ => {
                let scope = scope_sql(&q.scope, &mut args);
                let Some(filter) = filters(&mut args, scope) else {
                    return Ok((Vec::new(), 0));
                };
                let limit = args.int(q.limit.max(0));
                let offset = args.int(q.offset.max(0));
                format!(
                    "SELECT c.case_id, c.kind, c.state, c.org_id, c.title, c.version, c.updated_at \
                     FROM cases c {filter} ORDER BY c.updated_at DESC, c.case_id LIMIT {limit} OFFSET {offset}"
                )
            }
        };
        macro_rules! go {
            ($p:expr) => {{
                // Only placeholders and constant text were written into the SQL (see `Args`).
                let total: i64 =
                    bind_all!(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &count_args.0)
                        .fetch_one($p)
                        .await?
                        .try_get(0)?;
                // A capped count is no bound on the pages past it.
                let exact = q.count_up_to.is_none_or(|n| total <= n);
                if (exact && total <= q.offset.max(0)) || q.limit <= 0 {
                    return Ok((Vec::new(), total));
                }
                let rows = bind_all!(sqlx::query(sqlx::AssertSqlSafe(page_sql)), &args.0)
                    .fetch_all($p)
                    .await?;
                let page = rows
                    .iter()
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
                    .collect::<Result<Vec<_>, StoreError>>()?;
                Ok((page, total))
            }};
        }
        match &self.pool {
            Pool::Sqlite(p) => go!(p),
            Pool::Postgres(p) => go!(p),
        }
    }

    /// Open deadlines of the cases a scope allows, due on or before `until` if given, by due day
    /// then case (so overdue ones come first), at most `limit`.
    pub async fn query_deadlines(
        &self,
        scope: &CaseScope,
        until: Option<NaiveDate>,
        limit: i64,
    ) -> Result<Vec<ScopedDeadline>, StoreError> {
        let mut args = Args::default();
        let until = until.map(|u| args.text(&u.to_string()));
        let limit = args.int(limit.max(0));
        let columns = "d.case_id, c.title, c.state, c.org_id, d.step, d.due, d.provisional, \
                       d.article, c.kind, d.role, d.label";
        let sql = match scope_parts(scope, &mut args, "d.org_id") {
            Some(parts) if parts.is_empty() => return Ok(Vec::new()),
            // Each part's first `limit` deadlines by due day — an organisation's off the
            // (org_id, due) index — then their union ordered and cut (see `scope_parts`).
            Some(parts) => {
                let selects: Vec<String> = parts
                    .iter()
                    .map(|part| {
                        let mut conds = vec![part.clone()];
                        if let Some(u) = &until {
                            conds.push(format!("d.due <= {u}"));
                        }
                        // An organisation's part reads deadlines alone; the others test
                        // the case (its links or its kind).
                        let join = if part.contains("c.") {
                            " JOIN cases c ON c.case_id = d.case_id"
                        } else {
                            ""
                        };
                        format!(
                            "SELECT * FROM (SELECT d.case_id, d.step FROM deadlines d{join} {} \
                             ORDER BY d.due, d.case_id, d.step LIMIT {limit}) p",
                            where_clause(&conds)
                        )
                    })
                    .collect();
                format!(
                    "SELECT {columns} FROM ({}) k \
                     JOIN deadlines d ON d.case_id = k.case_id AND d.step = k.step \
                     JOIN cases c ON c.case_id = d.case_id \
                     ORDER BY d.due, d.case_id, d.step LIMIT {limit}",
                    selects.join(" UNION ")
                )
            }
            None => {
                let filter = until
                    .as_ref()
                    .map(|u| format!("WHERE d.due <= {u}"))
                    .unwrap_or_default();
                format!(
                    "SELECT {columns} FROM deadlines d JOIN cases c ON c.case_id = d.case_id {filter} \
                     ORDER BY d.due, d.case_id, d.step LIMIT {limit}"
                )
            }
        };
        macro_rules! go {
            ($p:expr) => {{
                // Only placeholders and constant text were written into the SQL (see `Args`).
                let rows = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)), &args.0)
                    .fetch_all($p)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let due: String = r.try_get(5)?;
                        Ok(ScopedDeadline {
                            case_id: r.try_get(0)?,
                            title: r.try_get(1)?,
                            state: r.try_get(2)?,
                            org_id: r.try_get(3)?,
                            step: r.try_get(4)?,
                            due: parse_date(&due)?,
                            provisional: r.try_get(6)?,
                            article: r.try_get(7)?,
                            kind: r.try_get(8)?,
                            role: r.try_get(9)?,
                            label: r.try_get(10)?,
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
}

// Declared after the query macros above, which it uses.
#[path = "guard.rs"]
mod guard;
pub use guard::{Answer, AttemptStatus, Claim, Failures, LoginFailures, Submission, UploadReceipt};
#[path = "draft.rs"]
mod draft;
pub use draft::Draft;
