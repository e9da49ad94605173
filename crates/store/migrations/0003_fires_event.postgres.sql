-- Only some deadlines fire a system event when they pass (视为受理, 000 §13); the others are
-- reminders and overdue flags. The scheduler claims only the former.
ALTER TABLE deadlines ADD COLUMN fires_event BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX deadlines_firing ON deadlines (due) WHERE fires_event;
