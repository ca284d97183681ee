/**
 * The Lifecycle worker application: its entry point and the Micronaut application that hosts it.
 */
package dev.lifecycle.worker;
