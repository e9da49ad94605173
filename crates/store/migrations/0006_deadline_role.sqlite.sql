-- Who must act on an open step, and its Chinese label, written by the projection: the inbox
-- shows a step to the holders of that role, for every kind of case (the 000 application and
-- the other processes alike). Empty for rows written before this step.
ALTER TABLE deadlines ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE deadlines ADD COLUMN label TEXT NOT NULL DEFAULT '';
