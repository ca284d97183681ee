/** The durable monitor of a deployment: scheduled drift checks, alerts and automatic retraining. */
package dev.lifecycle.workflows.monitoring;
