package dev.lifecycle.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subcommand's arguments: positionals, boolean flags, and options with values ({@code --param
 * k=v} or {@code --param=k=v}, repeatable). Anything not declared is a {@link UsageException}.
 */
public final class Args {
  private final List<String> positionals;
  private final Set<String> flags;
  private final Map<String, List<String>> options;

  private Args(List<String> positionals, Set<String> flags, Map<String, List<String>> options) {
    this.positionals = positionals;
    this.flags = flags;
    this.options = options;
  }

  /**
   * Parses {@code tokens}.
   *
   * @param flagNames options without a value, e.g. {@code --detach}
   * @param optionNames options with a value, e.g. {@code --address}
   */
  public static Args parse(List<String> tokens, Set<String> flagNames, Set<String> optionNames) {
    List<String> positionals = new ArrayList<>();
    Set<String> flags = new java.util.LinkedHashSet<>();
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.equals("--")) {
        positionals.addAll(tokens.subList(i + 1, tokens.size()));
        break;
      }
      if (!token.startsWith("--") || token.length() == 2) {
        if (token.startsWith("-") && token.length() > 1 && !token.equals("-h")) {
          throw new UsageException("Unknown option '" + token + "'");
        }
        if (token.equals("-h")) {
          flags.add("--help");
        } else {
          positionals.add(token);
        }
        continue;
      }
      int eq = token.indexOf('=');
      String name = eq > 0 ? token.substring(0, eq) : token;
      if (name.equals("--help") || flagNames.contains(name)) {
        if (eq > 0) {
          throw new UsageException("Option '" + name + "' takes no value");
        }
        flags.add(name);
      } else if (optionNames.contains(name)) {
        String value;
        if (eq > 0) {
          value = token.substring(eq + 1);
        } else if (i + 1 < tokens.size()) {
          value = tokens.get(++i);
        } else {
          throw new UsageException("Option '" + name + "' needs a value");
        }
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        List<String> known = new ArrayList<>(flagNames);
        known.addAll(optionNames);
        known.add("--help");
        throw new UsageException(
            "Unknown option '" + name + "'. Options: " + known.stream().sorted().toList());
      }
    }
    return new Args(List.copyOf(positionals), Set.copyOf(flags), options);
  }

  /** The arguments that are not options, in order. */
  public List<String> positionals() {
    return positionals;
  }

  /** The only positional argument, named {@code what} in the error when it is missing or extra. */
  public String single(String what) {
    if (positionals.size() != 1) {
      throw new UsageException(
          positionals.isEmpty()
              ? "Missing " + what
              : "Expected one " + what + ", got " + positionals.size() + ": " + positionals);
    }
    return positionals.get(0);
  }

  /** Fails unless there are no positional arguments. */
  public void noPositionals() {
    if (!positionals.isEmpty()) {
      throw new UsageException("Unexpected argument(s): " + positionals);
    }
  }

  /** Whether the flag was given. */
  public boolean flag(String name) {
    return flags.contains(name);
  }

  /** The option's last value. */
  public Optional<String> value(String name) {
    List<String> values = options.getOrDefault(name, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  /** Every value of a repeatable option, in order. */
  public List<String> values(String name) {
    return List.copyOf(options.getOrDefault(name, List.of()));
  }
}
