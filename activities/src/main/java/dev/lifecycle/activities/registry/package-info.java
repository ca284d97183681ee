/** The register activity: records model versions in the model registry with their lineage. */
package dev.lifecycle.activities.registry;
