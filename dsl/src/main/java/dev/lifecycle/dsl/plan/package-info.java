/**
 * The plan IR: immutable records for pipelines, parameters, steps and references, and their JSON.
 */
package dev.lifecycle.dsl.plan;
