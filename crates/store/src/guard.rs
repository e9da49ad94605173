//! Operational security state (issue 19), kept beside the directory and, like sessions, not
//! chained: upload receipts of evidence, sign-in attempts with their client address, and
//! one-use submissions (page form tokens and API `Idempotency-Key`s).
//!
//! Each piece exists to make one check atomic or provable in the database, so that several
//! server processes on one PostgreSQL agree:
//! - a receipt proves that a person uploaded a file's bytes to a case before that case records
//!   the file as evidence;
//! - an attempt is *reserved* before its password is checked and counts as a failure until it is
//!   resolved, so concurrent guesses cannot all slip under the limit;
//! - a submission is *claimed* by its first request; a repeat finds the claim and the answer.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::parse_time;
use crate::{format_at, Pool, Store, StoreError};

/// Sign-in failures counted over one window, for one key (a login, a client, or the pair).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    /// Failed and still-pending attempts in the window, after the login's last success.
    pub count: i64,
    /// When the latest of them was made.
    pub last: Option<DateTime<Utc>>,
}

/// The failures that decide whether a sign-in attempt may check its password.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginFailures {
    /// This login from this client.
    pub pair: Failures,
    /// This login from any client (distributed guessing).
    pub login: Failures,
    /// This client on any login (password spraying).
    pub client: Failures,
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// Signed in.
    Ok,
    /// Wrong login or password.
    Failed,
    /// Refused by the limit without checking the password; not counted as a failure.
    Throttled,
}

impl AttemptStatus {
    fn id(self) -> &'static str {
        match self {
            AttemptStatus::Ok => "ok",
            AttemptStatus::Failed => "failed",
            AttemptStatus::Throttled => "throttled",
        }
    }
}

/// A kept answer to a one-use submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// A digest of the request that claimed the key: tells a repeat from another request.
    pub fingerprint: String,
    /// When it was claimed.
    pub created_at: DateTime<Utc>,
    /// False while the first request is still being answered.
    pub completed: bool,
    /// The kept answer's HTTP status.
    pub status: u16,
    /// Its `Content-Type`.
    pub content_type: String,
    /// The `Location` of a redirect, empty otherwise.
    pub location: String,
    /// Its body.
    pub body: Vec<u8>,
}

/// What claiming a submission key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request is the first: it goes ahead and completes (or releases) the claim.
    Claimed,
    /// An earlier request holds the key.
    Existing(Submission),
}

/// The answer to keep for a completed submission.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'a str,
    /// The `Location` of a redirect, empty otherwise.
    pub location: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// An evidence upload receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadReceipt {
    /// The case it was uploaded to.
    pub case_id: String,
    /// The person who uploaded it.
    pub person_id: String,
    /// The file's SM3 digest.
    pub sm3: String,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
}

impl Store {
    // ---- evidence upload receipts ----

    /// Records that `person_id` uploaded the file with digest `sm3` to `case_id` at `at` (a
    /// repeated upload renews the receipt).
    pub async fn record_evidence_upload(
        &self,
        case_id: &str,
        person_id: &str,
        sm3: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO evidence_uploads (case_id, person_id, sm3, uploaded_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (case_id, person_id, sm3) DO UPDATE SET uploaded_at = excluded.uploaded_at",
            [case_id, person_id, sm3, format_at(&at)]
        );
        Ok(())
    }

    /// When `person_id` last uploaded `sm3` to `case_id`, if ever.
    pub async fn evidence_uploaded_at(
        &self,
        case_id: &str,
        person_id: &str,
        sm3: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at = fetch_opt!(
            self,
            "SELECT uploaded_at FROM evidence_uploads WHERE case_id = $1 AND person_id = $2 AND sm3 = $3",
            [case_id, person_id, sm3],
            |r| Ok(r.try_get::<String, _>(0)?)
        )?;
        at.map(|s| parse_time(&s, "上传时间")).transpose()
    }

    /// Every upload receipt, oldest first (for `lvzhi audit verify`'s evidence check).
    pub async fn evidence_uploads(&self) -> Result<Vec<UploadReceipt>, StoreError> {
        let rows = fetch_rows!(
            self,
            "SELECT case_id, person_id, sm3, uploaded_at FROM evidence_uploads ORDER BY uploaded_at, case_id",
            [],
            |r| Ok((
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<String, _>(2)?,
                r.try_get::<String, _>(3)?
            ))
        )?;
        rows.into_iter()
            .map(|(case_id, person_id, sm3, at)| {
                Ok(UploadReceipt {
                    case_id,
                    person_id,
                    sm3,
                    uploaded_at: parse_time(&at, "上传时间")?,
                })
            })
            .collect()
    }

    // ---- sign-in attempts ----

    /// Reserves a sign-in attempt before its password is checked; it counts as a failure until
    /// [`Store::resolve_login_attempt`] says otherwise. `id` is the caller's random id for it.
    pub async fn reserve_login_attempt(
        &self,
        id: &str,
        login: &str,
        client: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO login_attempts (id, login, client, at, ok, status) VALUES ($1, $2, $3, $4, FALSE, 'pending')",
            [id, login, client, format_at(&at)]
        );
        Ok(())
    }

    /// Ends a reserved attempt.
    pub async fn resolve_login_attempt(
        &self,
        id: &str,
        status: AttemptStatus,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE login_attempts SET status = $2, ok = $3 WHERE id = $1",
            [id, status.id(), status == AttemptStatus::Ok]
        );
        Ok(())
    }

    /// Failures (failed or pending attempts) at or after `since`, for the pair, the login and
    /// the client, leaving out the attempt `exclude` (the one asking). A login's success clears
    /// the login's count, a success from the pair the pair's; a client's count is not cleared
    /// by one success, or a sprayer with one good account would reset it.
    pub async fn login_failures(
        &self,
        login: &str,
        client: &str,
        since: DateTime<Utc>,
        exclude: &str,
    ) -> Result<LoginFailures, StoreError> {
        let since = format_at(&since);
        // The last success in the window of the login, and of the login from this client: the
        // failures before it no longer count (for the pair, only its own success clears it,
        // so the officer's sign-in elsewhere does not give a guesser a fresh allowance).
        let cleared_login = fetch_opt!(
            self,
            "SELECT MAX(at) FROM login_attempts WHERE login = $1 AND at >= $2 AND status = 'ok'",
            [login, &since],
            |r| Ok(r.try_get::<Option<String>, _>(0)?)
        )?
        .flatten()
        .unwrap_or_default();
        let cleared_pair = fetch_opt!(
            self,
            "SELECT MAX(at) FROM login_attempts WHERE login = $1 AND client = $2 AND at >= $3 AND status = 'ok'",
            [login, client, &since],
            |r| Ok(r.try_get::<Option<String>, _>(0)?)
        )?
        .flatten()
        .unwrap_or_default();
        let from_login = cleared_login.max(since.clone());
        let from_pair = cleared_pair.max(since.clone());
        let pair = fetch_opt!(
            self,
            "SELECT COUNT(*), MAX(at) FROM login_attempts \
             WHERE login = $1 AND client = $2 AND at > $3 AND status IN ('pending', 'failed') AND id <> $4",
            [login, client, &from_pair, exclude],
            |r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<Option<String>, _>(1)?))
        )?;
        let by_login = fetch_opt!(
            self,
            "SELECT COUNT(*), MAX(at) FROM login_attempts \
             WHERE login = $1 AND at > $2 AND status IN ('pending', 'failed') AND id <> $3",
            [login, &from_login, exclude],
            |r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<Option<String>, _>(1)?))
        )?;
        let by_client = fetch_opt!(
            self,
            "SELECT COUNT(*), MAX(at) FROM login_attempts \
             WHERE client = $1 AND at >= $2 AND status IN ('pending', 'failed') AND id <> $3",
            [client, &since, exclude],
            |r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<Option<String>, _>(1)?))
        )?;
        let failures = |row: Option<(i64, Option<String>)>| -> Result<Failures, StoreError> {
            let (count, last) = row.unwrap_or_default();
            Ok(Failures {
                count,
                last: last.map(|s| parse_time(&s, "登录时间")).transpose()?,
            })
        };
        Ok(LoginFailures {
            pair: failures(pair)?,
            login: failures(by_login)?,
            client: failures(by_client)?,
        })
    }

    // ---- one-use submissions ----

    /// Claims `key` in `scope` for the request with `fingerprint`, or finds the earlier claim.
    pub async fn claim_submission(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        at: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let inserted = execute!(
            self,
            "INSERT INTO submissions (scope, key, fingerprint, created_at, completed, status, content_type, location, body) \
             VALUES ($1, $2, $3, $4, FALSE, 0, '', '', $5) ON CONFLICT (scope, key) DO NOTHING",
            [scope, key, fingerprint, format_at(&at), Vec::<u8>::new()]
        );
        if inserted == 1 {
            return Ok(Claim::Claimed);
        }
        match self.submission(scope, key).await? {
            Some(s) => Ok(Claim::Existing(s)),
            // Released between our insert and our read: claim it again.
            None => Box::pin(self.claim_submission(scope, key, fingerprint, at)).await,
        }
    }

    /// The submission under `key` in `scope`, if any.
    pub async fn submission(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<Submission>, StoreError> {
        let row = fetch_opt!(
            self,
            "SELECT fingerprint, created_at, completed, status, content_type, location, body \
             FROM submissions WHERE scope = $1 AND key = $2",
            [scope, key],
            |r| Ok((
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<bool, _>(2)?,
                r.try_get::<i64, _>(3)?,
                r.try_get::<String, _>(4)?,
                r.try_get::<String, _>(5)?,
                r.try_get::<Vec<u8>, _>(6)?
            ))
        )?;
        row.map(
            |(fingerprint, created_at, completed, status, content_type, location, body)| {
                Ok(Submission {
                    fingerprint,
                    created_at: parse_time(&created_at, "提交时间")?,
                    completed,
                    status: u16::try_from(status).unwrap_or(500),
                    content_type,
                    location,
                    body,
                })
            },
        )
        .transpose()
    }

    /// Keeps the answer of a claimed submission.
    pub async fn complete_submission(
        &self,
        scope: &str,
        key: &str,
        answer: Answer<'_>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE submissions SET completed = TRUE, status = $3, content_type = $4, location = $5, body = $6 \
             WHERE scope = $1 AND key = $2",
            [
                scope,
                key,
                i64::from(answer.status),
                answer.content_type,
                answer.location,
                answer.body
            ]
        );
        Ok(())
    }

    /// Gives up a claim whose request wrote nothing (refused, or failed), so that the same
    /// key may be used again once the mistake is corrected.
    pub async fn release_submission(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        execute!(
            self,
            "DELETE FROM submissions WHERE scope = $1 AND key = $2 AND NOT completed",
            [scope, key]
        );
        Ok(())
    }

    /// Forgets submissions and sign-in attempts older than `before` (housekeeping).
    pub async fn prune_guards(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let before = format_at(&before);
        let a = execute!(
            self,
            "DELETE FROM submissions WHERE created_at < $1",
            [&before]
        );
        let b = execute!(self, "DELETE FROM login_attempts WHERE at < $1", [&before]);
        Ok(a + b)
    }
}
