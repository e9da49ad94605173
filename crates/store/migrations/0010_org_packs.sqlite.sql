-- Issue 20: which regulations govern whom. An organisation's bindings to policy packs, each in a
-- role: 'procedure' (the one pack whose procedure its body follows: 000 for 阿拉善 police, 002
-- for 兴安盟国动办, 003 for Fujian's prisons) or 'rules' (the packs its people are judged by, in
-- order). An organisation with no row in a role inherits that role from the nearest
-- organisation above it that has one. Every change is also a `_directory` event in the chain.
CREATE TABLE org_packs (
    org_id   TEXT NOT NULL REFERENCES orgs (id),
    role     TEXT NOT NULL,
    pack_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (org_id, role, pack_id)
);
