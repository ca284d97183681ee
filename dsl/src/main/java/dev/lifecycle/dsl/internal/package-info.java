/** Implementation details of the DSL and compiler (suggestions, rendering); not a public API. */
package dev.lifecycle.dsl.internal;
