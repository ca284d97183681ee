-- Each item keeps how many answers it has, maintained by the answer's own transaction, so the
-- queue, the progress reads and the completion check read one column instead of grouping all the
-- job's answers. The answer rows stay the commit point; the count is derived from them here once.
ALTER TABLE labeling_item ADD COLUMN answers INTEGER DEFAULT 0 NOT NULL;

UPDATE labeling_item i SET answers = (SELECT COUNT(*) FROM labeling_answer x
    WHERE x.job_id = i.job_id AND x.item_key = i.item_key)
WHERE EXISTS (SELECT 1 FROM labeling_answer x WHERE x.job_id = i.job_id AND x.item_key = i.item_key);

-- Leases end in the answer's transaction from now on; drop those whose holder has answered.
DELETE FROM labeling_assignment s WHERE s.status = 'LEASED' AND EXISTS (SELECT 1
    FROM labeling_answer x WHERE x.job_id = s.job_id AND x.item_key = s.item_key
    AND x.annotator_id = s.annotator_id);

-- Disputed items (those that asked for more annotators) are found without walking the queue.
CREATE INDEX ix_labeling_item_disputed ON labeling_item (job_id, annotators_wanted, priority);
