package dev.lifecycle.worker.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command writes and the environment it reads; the command line passes the process's, tests
 * their own.
 */
public record Console(PrintStream out, PrintStream err, Map<String, String> env) {
  public Console {
    env = Map.copyOf(env);
  }

  /** The process's streams and environment. */
  public static Console system() {
    return new Console(System.out, System.err, System.getenv());
  }

  /** The environment variable, or {@code fallback} when unset or blank. */
  public String env(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
