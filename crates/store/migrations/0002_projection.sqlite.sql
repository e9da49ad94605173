-- Read models kept in the same transaction as the events they derive from.
CREATE TABLE cases (
    case_id    TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,            -- application, incident, enforcement_fault, …
    state      TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    title      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_org_state ON cases (org_id, state);
-- One row per open deadline; a step that is done or fired is removed by the next projection.
CREATE TABLE deadlines (
    case_id     TEXT NOT NULL,
    step        TEXT NOT NULL,
    due         TEXT NOT NULL,           -- YYYY-MM-DD: sorts as text
    provisional INTEGER NOT NULL,
    article     TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,                    -- RFC 3339 UTC
    PRIMARY KEY (case_id, step)
);
CREATE INDEX deadlines_due ON deadlines (due);
