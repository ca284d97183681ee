package dev.lifecycle.worker;

import dev.lifecycle.dsl.UnknownPipelineException;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.worker.cli.ApproveCommand;
import dev.lifecycle.worker.cli.Args;
import dev.lifecycle.worker.cli.Command;
import dev.lifecycle.worker.cli.Console;
import dev.lifecycle.worker.cli.DataCommand;
import dev.lifecycle.worker.cli.DemoCommand;
import dev.lifecycle.worker.cli.ExperimentsCommand;
import dev.lifecycle.worker.cli.PipelinesCommand;
import dev.lifecycle.worker.cli.PlanCommand;
import dev.lifecycle.worker.cli.RunCommand;
import dev.lifecycle.worker.cli.ServeCommand;
import dev.lifecycle.worker.cli.StatusCommand;
import dev.lifecycle.worker.cli.UsageException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lifecycle} command line. The first argument names the subcommand; {@code lifecycle
 * COMMAND --help} explains each. Only {@code worker} and {@code dev} start the Micronaut
 * application; the others are plain clients.
 */
public final class Main {
  private static final Map<String, Command> COMMANDS = commands();

  private Main() {}

  private static Map<String, Command> commands() {
    Map<String, Command> commands = new LinkedHashMap<>();
    for (Command c :
        List.of(
            ServeCommand.dev(),
            ServeCommand.worker(),
            new DemoCommand(),
            new PipelinesCommand(),
            new PlanCommand(),
            new RunCommand(),
            new StatusCommand(),
            new ApproveCommand(),
            new DataCommand(),
            new ExperimentsCommand())) {
      commands.put(c.name(), c);
    }
    return commands;
  }

  public static void main(String[] args) {
    int code = run(args, Console.system());
    System.out.flush();
    System.exit(code);
  }

  /** Runs the command line {@code args}; returns the exit code. */
  public static int run(String[] args, Console console) {
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      console.out().print(usage());
      return args.length == 0 ? 2 : 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      console.err().println("Unknown command '" + args[0] + "'.");
      console.err().print(usage());
      return 2;
    }
    try {
      Args parsed =
          Args.parse(
              Arrays.asList(args).subList(1, args.length), command.flags(), command.options());
      if (parsed.flag("--help")) {
        console.out().print(command.help());
        return 0;
      }
      return command.run(parsed, console);
    } catch (UsageException e) {
      console.err().println(e.getMessage());
      console.err().println("See: lifecycle " + command.name() + " --help");
      return 2;
    } catch (UnknownPipelineException | PlanValidationException e) {
      console.err().println(e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      console.err().println("Interrupted");
      return 130;
    } catch (Exception e) {
      console.err().println("lifecycle " + command.name() + ": " + message(e));
      return 1;
    }
  }

  private static String message(Throwable e) {
    // Bean creation wraps the cause (e.g. an unreachable Temporal) in layers of context.
    Throwable t = e;
    while (t.getCause() != null
        && t.getCause() != t
        && t.getClass().getName().startsWith("io.micronaut")) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }

  static String usage() {
    StringBuilder text =
        new StringBuilder("Usage: lifecycle COMMAND [options]   (lifecycle COMMAND --help)\n\n");
    COMMANDS
        .values()
        .forEach(c -> text.append(String.format("  %-12s %s%n", c.name(), c.summary())));
    text.append(
        """

        Environment: TEMPORAL_ADDRESS (localhost:7233), TEMPORAL_NAMESPACE (default),
        LIFECYCLE_TASK_QUEUE (lifecycle), LIFECYCLE_HOME (~/.lifecycle), LIFECYCLE_JDBC_URL.
        """);
    return text.toString();
  }
}
