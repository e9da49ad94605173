-- 001 §26 "各级公安机关聘请律师不少于2人": the organisation that retains a member of the expert
-- pool as its lawyer (聘请律师), none for an expert who is not retained.
ALTER TABLE experts ADD COLUMN retained_by TEXT NULL;
