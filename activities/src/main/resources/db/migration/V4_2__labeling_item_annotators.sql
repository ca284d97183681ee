-- Items whose annotators disagree get more annotators: annotators_wanted is how many answers such
-- an item needs, instead of its job's annotators_per_item (NULL: the job's count). It only grows.
ALTER TABLE labeling_item ADD COLUMN annotators_wanted INTEGER;
ALTER TABLE labeling_item ADD CONSTRAINT ck_labeling_item_wanted
    CHECK (annotators_wanted IS NULL OR annotators_wanted BETWEEN 1 AND 9);
