/**
 * Connecting to Temporal, registering search attributes, running workers and the embedded server.
 */
package dev.lifecycle.worker.temporal;
