/** The {@code lifecycle} command line: one class per subcommand, plus run progress printing. */
package dev.lifecycle.worker.cli;
