-- The fitted feature transform a model version reads its inputs through (the features step's
-- transform.json): serving applies it to raw requests before the model. Null for models that read
-- their inputs as they come.
ALTER TABLE model_version ADD COLUMN transform_uri VARCHAR(2048);
ALTER TABLE model_version ADD COLUMN transform_sha256 VARCHAR(64);
ALTER TABLE model_version ADD COLUMN transform_size BIGINT;
