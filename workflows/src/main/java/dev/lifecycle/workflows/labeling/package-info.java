/** The durable labeling job: one child workflow per label step that waits for people. */
package dev.lifecycle.workflows.labeling;
