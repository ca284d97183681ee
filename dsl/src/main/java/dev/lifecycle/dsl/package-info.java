/** The fluent Java DSL in which pipelines are written, and the registry that finds them. */
package dev.lifecycle.dsl;
