/**
 * Where Lifecycle keeps what it makes: content-addressed artifacts, and the JDBC metadata store
 * (data catalog, model registry, lineage) migrated by Flyway on H2 or PostgreSQL.
 */
package dev.lifecycle.activities.store;
