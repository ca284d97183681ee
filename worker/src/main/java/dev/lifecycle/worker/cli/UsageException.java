package dev.lifecycle.worker.cli;

/** The command line was wrong: an unknown option, a missing value or argument. Exit code 2. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
