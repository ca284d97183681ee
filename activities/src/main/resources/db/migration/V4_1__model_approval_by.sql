-- Who approved or rejected a model version, and why (REST API, or an approval gate of a run).
ALTER TABLE model_version ADD COLUMN approved_by VARCHAR(255);
ALTER TABLE model_version ADD COLUMN approval_comment VARCHAR(4000);
