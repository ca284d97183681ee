/** The REST API: pipelines, their plans, runs (start, status, approve) and experiments. */
package dev.lifecycle.worker.api;
