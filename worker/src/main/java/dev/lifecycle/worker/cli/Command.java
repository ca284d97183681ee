package dev.lifecycle.worker.cli;

import java.util.Set;

/** One subcommand of {@code lifecycle}. */
public interface Command {

  /** What users type, e.g. {@code run}. */
  String name();

  /** One line for the list of commands. */
  String summary();

  /** The full {@code --help} text: synopsis, options, environment, examples. */
  String help();

  /** Options without a value this command accepts (besides {@code --help}). */
  default Set<String> flags() {
    return Set.of();
  }

  /** Options with a value this command accepts. */
  default Set<String> options() {
    return Set.of();
  }

  /**
   * Runs the command.
   *
   * @return the exit code: 0 success, 1 a failed run or operation, 2 a usage error
   */
  int run(Args args, Console console) throws Exception;
}
