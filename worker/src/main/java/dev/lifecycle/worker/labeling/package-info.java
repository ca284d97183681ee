/** The labelers' REST API and page, the admin API for annotators and jobs, and their auth. */
package dev.lifecycle.worker.labeling;
