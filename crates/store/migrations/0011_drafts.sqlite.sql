-- Issue 22 item 2: a person's answers to a case's form not yet recorded (the 事实问询), kept
-- between visits so that nothing typed is lost. A draft is not a record: it is outside the
-- chain, changes no case and no deadline, is seen only by its author, and is deleted when the
-- answers are recorded.
CREATE TABLE drafts (
    case_id    TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    form       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id, form)
);
