/**
 * The endpoint runtime: named endpoints serving registered model versions with schema validation,
 * dynamic batching, hot swap, canary and blue/green rollouts with automatic rollback, serverless
 * loading, durable asynchronous requests and data capture; plain Java, so the HTTP layer is thin.
 */
package dev.lifecycle.activities.deployment.serving;
