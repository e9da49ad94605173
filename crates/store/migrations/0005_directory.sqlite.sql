-- The directory (organisations, people, grants, experts), sign-in state and the case-links
-- read model. Directory changes are also events under the reserved case id `_directory`, so the
-- SM3 chain covers who was given which powers; these tables are their current state.
CREATE TABLE orgs (
    id        TEXT PRIMARY KEY,
    parent_id TEXT NULL REFERENCES orgs (id),
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE TABLE people (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    org_id               TEXT NOT NULL REFERENCES orgs (id),
    title                TEXT NOT NULL DEFAULT '',
    login                TEXT UNIQUE NULL,
    password_hash        TEXT NULL,
    must_change_password BOOLEAN NOT NULL,
    disabled             BOOLEAN NOT NULL
);
CREATE INDEX people_org ON people (org_id);
CREATE TABLE grants (
    person_id TEXT NOT NULL REFERENCES people (id),
    role      TEXT NOT NULL,
    org_id    TEXT NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (person_id, role, org_id)
);
CREATE TABLE experts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    eligibility TEXT NOT NULL,           -- JSON
    person_id   TEXT NULL,
    note        TEXT NOT NULL,
    active      BOOLEAN NOT NULL
);
-- Sessions and tokens are stored by the hash of their secret only.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,            -- RFC 3339 UTC
    expires_at TEXT NOT NULL             -- RFC 3339 UTC
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id  TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE TABLE login_attempts (
    login TEXT NOT NULL,
    at    TEXT NOT NULL,                 -- RFC 3339 UTC
    ok    BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_login_at ON login_attempts (login, at);
-- Who and which organisations a case involves (applicant, panel, parent_committee, …), replaced
-- with the case's read model on every projected append; scoped lists search it by target.
CREATE TABLE case_links (
    case_id  TEXT NOT NULL,
    relation TEXT NOT NULL,
    target   TEXT NOT NULL,
    PRIMARY KEY (case_id, relation, target)
);
CREATE INDEX case_links_target ON case_links (target, relation);
-- Scoped lists: an organisation's cases newest first, and counts by kind and state.
CREATE INDEX IF NOT EXISTS cases_org_updated ON cases (org_id, updated_at);
CREATE INDEX IF NOT EXISTS cases_kind_state ON cases (kind, state);
CREATE INDEX IF NOT EXISTS cases_updated ON cases (updated_at);
