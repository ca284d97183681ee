/** Wiring of every activity implementation and the settings of the stores they share. */
package dev.lifecycle.activities;
