/**
 * Data steps on DuckDB: ingest CSV, Parquet, IDX and image-folder sources into versioned Parquet
 * datasets, seeded splits, and feature transforms fitted on the training set and reusable row by
 * row at serving time.
 */
package dev.lifecycle.activities.data;
