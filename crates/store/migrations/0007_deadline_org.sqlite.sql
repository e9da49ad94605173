-- Each open deadline carries its case's organisation, written by the projection, so an
-- organisation's inbox reads its first deadlines in due order straight off one index instead
-- of gathering every visible case first (issue 5: the inbox at 100k cases).
ALTER TABLE deadlines ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
UPDATE deadlines SET org_id = COALESCE((SELECT c.org_id FROM cases c WHERE c.case_id = deadlines.case_id), '');
CREATE INDEX deadlines_org_due ON deadlines (org_id, due, case_id, step);
