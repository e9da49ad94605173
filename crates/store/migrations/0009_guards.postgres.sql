-- Issue 19: operational security state (not chained; none of it is part of a case's record).

-- Who uploaded which file to which case, and when (the upload receipt). Recording evidence on a
-- case needs a receipt of the same person for the same case and digest: a digest alone proves
-- nothing (a digest seen on another case must not make that case's file readable here).
CREATE TABLE evidence_uploads (
    case_id     TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    sm3         TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,              -- RFC 3339 UTC, fixed width
    PRIMARY KEY (case_id, person_id, sm3)
);

-- Sign-in attempts gain the client address and a status. An attempt is reserved as 'pending'
-- before the password is checked and counted as a failure until it is resolved, so concurrent
-- guesses cannot all pass the limit before any is recorded; 'throttled' attempts (refused by
-- the limit without a password check) do not count, so hammering does not lengthen the wait.
ALTER TABLE login_attempts ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE login_attempts ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE login_attempts ADD COLUMN id TEXT NOT NULL DEFAULT '';
UPDATE login_attempts SET status = CASE WHEN ok THEN 'ok' ELSE 'failed' END;
CREATE INDEX login_attempts_client_at ON login_attempts (client, at);

-- One-use submissions: a page form's token or an API client's Idempotency-Key, within the
-- scope of the credential that sent it (the SM3 of the session or bearer token). The first
-- request claims the key; its answer is kept so that a repeat gets the same answer and writes
-- nothing. 'fingerprint' is the SM3 of method, path and body: a key reused for another request
-- is refused.
CREATE TABLE submissions (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    completed    BOOLEAN NOT NULL,
    status       BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    location     TEXT NOT NULL,
    body         BYTEA NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX submissions_created_at ON submissions (created_at);
