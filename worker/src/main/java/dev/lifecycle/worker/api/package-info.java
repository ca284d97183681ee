/** The REST API: pipelines, their plans, and runs (start, status, approve). */
package dev.lifecycle.worker.api;
