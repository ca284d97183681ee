/** The Temporal workflows of Lifecycle: the plan interpreter and the names and values it shares. */
package dev.lifecycle.workflows;
