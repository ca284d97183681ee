/** The compiler: checks plans against every rule at once, binds run parameters, orders steps. */
package dev.lifecycle.dsl.compile;
