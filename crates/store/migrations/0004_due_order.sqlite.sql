-- The due list orders by (due, case_id, step) and takes one page: an index in that order lets
-- the page be read straight off the index, whatever the number of rows in the date window.
DROP INDEX deadlines_due;
CREATE INDEX deadlines_due ON deadlines (due, case_id, step);
