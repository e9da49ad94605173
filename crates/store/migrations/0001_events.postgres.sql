-- The append-only event log: one row per event, one hash chain per database.
CREATE TABLE events (
    seq          BIGINT  PRIMARY KEY,          -- gapless, assigned under the chain head lock
    case_id      TEXT    NOT NULL,
    case_version BIGINT  NOT NULL,             -- 1-based per case: the optimistic-concurrency version
    at           TEXT    NOT NULL,             -- RFC 3339, UTC
    actor        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    reason       TEXT,
    payload      TEXT    NOT NULL,             -- JSON text (not jsonb): stored exactly as hashed
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    UNIQUE (case_id, case_version)
);
CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
