/**
 * The activity contracts the interpreter calls, and the values (tasks, results, artifact
 * references) they exchange.
 */
package dev.lifecycle.workflows.activities;
