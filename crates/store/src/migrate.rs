//! Embedded schema migrations, applied at start in order, each in its own transaction and
//! recorded in `lvzhi_migrations`. Kept in-house (a list of SQL files) so that the schema ships
//! inside the binary without the sqlx macro machinery.

use sqlx::Row;

use crate::{Store, StoreError};

/// (version, SQLite SQL, PostgreSQL SQL), in order. Never edit a shipped step: add a new one.
const STEPS: &[(i64, &str, &str)] = &[
    (
        1,
        include_str!("../migrations/0001_events.sqlite.sql"),
        include_str!("../migrations/0001_events.postgres.sql"),
    ),
    (
        2,
        include_str!("../migrations/0002_projection.sqlite.sql"),
        include_str!("../migrations/0002_projection.postgres.sql"),
    ),
    (
        3,
        include_str!("../migrations/0003_fires_event.sqlite.sql"),
        include_str!("../migrations/0003_fires_event.postgres.sql"),
    ),
    (
        4,
        include_str!("../migrations/0004_due_order.sqlite.sql"),
        include_str!("../migrations/0004_due_order.postgres.sql"),
    ),
    (
        5,
        include_str!("../migrations/0005_directory.sqlite.sql"),
        include_str!("../migrations/0005_directory.postgres.sql"),
    ),
    (
        6,
        include_str!("../migrations/0006_deadline_role.sqlite.sql"),
        include_str!("../migrations/0006_deadline_role.postgres.sql"),
    ),
    (
        7,
        include_str!("../migrations/0007_deadline_org.sqlite.sql"),
        include_str!("../migrations/0007_deadline_org.postgres.sql"),
    ),
    (
        8,
        include_str!("../migrations/0008_expert_retained_by.sqlite.sql"),
        include_str!("../migrations/0008_expert_retained_by.postgres.sql"),
    ),
    (
        9,
        include_str!("../migrations/0009_guards.sqlite.sql"),
        include_str!("../migrations/0009_guards.postgres.sql"),
    ),
    (
        10,
        include_str!("../migrations/0010_org_packs.sqlite.sql"),
        include_str!("../migrations/0010_org_packs.postgres.sql"),
    ),
    (
        11,
        include_str!("../migrations/0011_drafts.sqlite.sql"),
        include_str!("../migrations/0011_drafts.postgres.sql"),
    ),
];

const CREATE: &str = "CREATE TABLE IF NOT EXISTS lvzhi_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)";

pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).to_rfc3339();
    if let Some(pool) = store.pool_sqlite() {
        sqlx::query(CREATE).execute(pool).await?;
        for (version, sql, _) in STEPS {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            let done = sqlx::query("SELECT COUNT(*) FROM lvzhi_migrations WHERE version = $1")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>(0)?;
            if done == 0 {
                let fail = |source| StoreError::Migrate {
                    version: *version,
                    source,
                };
                sqlx::raw_sql(*sql).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query("INSERT INTO lvzhi_migrations (version, applied_at) VALUES ($1, $2)")
                    .bind(version)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    }
    if let Some(pool) = store.pool_pg() {
        // Several servers may start at once on one database: a transaction-scoped advisory
        // lock lets exactly one of them migrate.
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(7163001)")
            .execute(&mut *tx)
            .await?;
        sqlx::query(CREATE).execute(&mut *tx).await?;
        for (version, _, sql) in STEPS {
            let done = sqlx::query("SELECT COUNT(*) FROM lvzhi_migrations WHERE version = $1")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>(0)?;
            if done == 0 {
                let fail = |source| StoreError::Migrate {
                    version: *version,
                    source,
                };
                sqlx::raw_sql(*sql).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query("INSERT INTO lvzhi_migrations (version, applied_at) VALUES ($1, $2)")
                    .bind(version)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}
