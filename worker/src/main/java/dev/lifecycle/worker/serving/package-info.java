/**
 * Model serving over HTTP: real-time and asynchronous invocations of the worker's endpoints, their
 * status, and ground truth for captured requests.
 */
package dev.lifecycle.worker.serving;
