package dev.lifecycle.worker.cli;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentComparison;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.MetricDirection;
import dev.lifecycle.activities.store.UnknownExperimentRunException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code lifecycle experiments [list|show ID|compare ID ID...|best --metric M]}: the recorded
 * training runs, read straight from the metadata database ({@code LIFECYCLE_HOME} or {@code
 * LIFECYCLE_JDBC_URL}), without any server.
 */
public final class ExperimentsCommand implements Command {
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_CELL = 40;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "experiments";
  }

  @Override
  public String summary() {
    return "List, compare and rank recorded training runs";
  }

  @Override
  public String help() {
    return """
    Usage: lifecycle experiments [list] [--pipeline P] [--status S] [--limit N]
           lifecycle experiments show ID
           lifecycle experiments compare ID ID [ID...]
           lifecycle experiments best --metric M [--direction min|max] [--pipeline P]

    Every training run is recorded with its hyperparameters, data version, base model,
    per-epoch losses, final metrics and model. Reads the metadata database directly: no
    server needed.

      list       runs, newest first (default); filter by --pipeline and --status
                 (running, succeeded, failed, cancelled); at most --limit (20)
      show       one run with its per-epoch train and validation loss
      compare    runs side by side; rows marked '*' differ
      best       the succeeded run with the best final metric; --direction defaults to min
                 for names with loss, error, rmse, mse, mae, mape, perplexity, latency or
                 time as a '_'-separated part, else max

    Environment: LIFECYCLE_HOME (~/.lifecycle), LIFECYCLE_JDBC_URL (+ _USER, _PASSWORD).
    Exit codes: 0 printed, 1 unknown run or nothing to rank, 2 bad arguments.
    """;
  }

  @Override
  public Set<String> options() {
    return Set.of("--pipeline", "--status", "--limit", "--metric", "--direction");
  }

  @Override
  public int run(Args args, Console console) {
    List<String> positionals = args.positionals();
    String action = positionals.isEmpty() ? "list" : positionals.get(0);
    List<String> operands =
        positionals.isEmpty() ? List.of() : positionals.subList(1, positionals.size());
    if (!List.of("list", "show", "compare", "best").contains(action)) {
      throw new UsageException(
          "Unknown experiments action '" + action + "'. Actions: list, show, compare, best");
    }
    LifecycleSettings settings = LifecycleSettings.fromEnvironment(console.env());
    try (MetadataStore store = MetadataStore.open(settings)) {
      ExperimentStore experiments = store.experiments();
      return switch (action) {
        case "list" -> list(experiments, operands, args, console.out());
        case "show" -> show(experiments, operands, console);
        case "compare" -> compare(experiments, operands, console);
        default -> best(experiments, operands, args, console);
      };
    } catch (UnknownExperimentRunException e) {
      console.err().println(e.getMessage());
      return 1;
    }
  }

  private static int list(
      ExperimentStore experiments, List<String> operands, Args args, PrintStream out) {
    noOperands("list", operands);
    int limit = args.value("--limit").map(ExperimentsCommand::parseLimit).orElse(DEFAULT_LIMIT);
    ExperimentStatus status =
        args.value("--status").map(ExperimentsCommand::parseStatus).orElse(null);
    List<ExperimentRun> runs =
        experiments.list(args.value("--pipeline").orElse(null), status, limit);
    if (runs.isEmpty()) {
      out.println(
          "No training runs recorded"
              + args.value("--pipeline").map(p -> " for pipeline '" + p + "'").orElse("")
              + ".");
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (ExperimentRun run : runs) {
      rows.add(
          List.of(
              String.valueOf(run.id()),
              run.pipeline(),
              run.step(),
              run.status().name().toLowerCase(Locale.ROOT),
              TIME.format(run.startedAt()),
              duration(run.durationMillis()),
              metrics(run.finalMetrics())));
    }
    out.print(
        table(
            List.of("ID", "PIPELINE", "STEP", "STATUS", "STARTED (UTC)", "DURATION", "METRICS"),
            rows));
    return 0;
  }

  private static int show(ExperimentStore experiments, List<String> operands, Console console) {
    if (operands.size() != 1) {
      throw new UsageException("show needs one run id, got " + operands);
    }
    long id = parseId(operands.get(0));
    ExperimentRun run =
        experiments.get(id).orElseThrow(() -> new UnknownExperimentRunException(List.of(id)));
    print(run, experiments.epochs(id), console.out());
    return 0;
  }

  private static int compare(ExperimentStore experiments, List<String> operands, Console console) {
    if (operands.size() < 2) {
      throw new UsageException("compare needs two or more run ids, got " + operands);
    }
    List<Long> ids = operands.stream().map(ExperimentsCommand::parseId).toList();
    ExperimentComparison comparison;
    try {
      comparison = experiments.compare(ids);
    } catch (IllegalArgumentException e) {
      // Fewer than two distinct runs.
      throw new UsageException(e.getMessage());
    }
    List<String> header = new ArrayList<>(List.of("", ""));
    comparison.runs().forEach(r -> header.add("RUN " + r.id()));
    List<List<String>> rows = new ArrayList<>();
    rows.add(row("", "pipeline", comparison.runs().stream().map(ExperimentRun::pipeline).toList()));
    rows.add(
        row(
            "",
            "status",
            comparison.runs().stream()
                .map(r -> r.status().name().toLowerCase(Locale.ROOT))
                .toList()));
    addRows(rows, "hyperparameters.", comparison.hyperparameters(), comparison);
    addRows(rows, "data.", comparison.data(), comparison);
    addRows(rows, "metrics.", comparison.metrics(), comparison);
    console.out().print(table(header, rows));
    console
        .out()
        .println(
            comparison.differences().isEmpty()
                ? "The runs do not differ in hyperparameters, data or metrics."
                : "* differs: " + String.join(", ", comparison.differences()));
    return 0;
  }

  private static int best(
      ExperimentStore experiments, List<String> operands, Args args, Console console) {
    noOperands("best", operands);
    String metric =
        args.value("--metric")
            .orElseThrow(
                () -> new UsageException("best needs --metric, e.g. --metric validation_loss"));
    MetricDirection direction;
    try {
      direction = args.value("--direction").map(MetricDirection::parse).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String pipeline = args.value("--pipeline").orElse(null);
    Optional<ExperimentRun> best;
    try {
      best = experiments.best(pipeline, metric, direction);
    } catch (IllegalArgumentException e) {
      console.err().println(e.getMessage());
      return 2;
    }
    if (best.isEmpty()) {
      console
          .err()
          .println(
              "No succeeded training run"
                  + (pipeline == null ? "" : " of pipeline '" + pipeline + "'")
                  + " to rank.");
      return 1;
    }
    MetricDirection way = direction == null ? MetricDirection.infer(metric) : direction;
    ExperimentRun run = best.get();
    console
        .out()
        .printf(
            "Best run by %s (%s): %d with %s%n%n",
            metric,
            way.name().toLowerCase(Locale.ROOT),
            run.id(),
            number(run.finalMetrics().get(metric)));
    print(run, experiments.epochs(run.id()), console.out());
    return 0;
  }

  private static void print(ExperimentRun run, List<EpochMetrics> epochs, PrintStream out) {
    List<List<String>> fields = new ArrayList<>();
    fields.add(List.of("run", String.valueOf(run.id())));
    fields.add(List.of("pipeline", run.pipeline() + " (step " + run.step() + ")"));
    fields.add(List.of("workflow", Objects.toString(run.workflowId(), "-") + " / " + run.runId()));
    fields.add(List.of("status", run.status().name().toLowerCase(Locale.ROOT)));
    fields.add(List.of("started", TIME.format(run.startedAt()) + " UTC"));
    fields.add(List.of("duration", duration(run.durationMillis())));
    fields.add(List.of("parameters", values(run.parameters())));
    fields.add(List.of("hyperparameters", values(run.hyperparameters())));
    fields.add(List.of("train data", run.trainUri() + " (sha256 " + run.trainSha256() + ")"));
    if (run.validationUri() != null) {
      fields.add(
          List.of(
              "validation data", run.validationUri() + " (sha256 " + run.validationSha256() + ")"));
    }
    fields.add(
        List.of("base model", Objects.toString(run.baseModel(), "- (trained from scratch)")));
    fields.add(List.of("final metrics", metrics(run.finalMetrics())));
    fields.add(List.of("model", Objects.toString(run.modelUri(), "-")));
    fields.add(List.of("last checkpoint", Objects.toString(run.checkpointUri(), "-")));
    if (run.error() != null) {
      fields.add(List.of("error", run.error()));
    }
    for (List<String> field : fields) {
      out.printf("%-16s %s%n", field.get(0) + ":", field.get(1));
    }
    out.println();
    if (epochs.isEmpty()) {
      out.println("No epoch finished yet.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (EpochMetrics e : epochs) {
      rows.add(
          List.of(
              String.valueOf(e.epoch()),
              number(e.trainLoss()),
              e.validationLoss() == null ? "-" : number(e.validationLoss()),
              duration(e.elapsedMillis())));
    }
    out.print(table(List.of("EPOCH", "TRAIN LOSS", "VALIDATION LOSS", "ELAPSED"), rows));
  }

  private static void addRows(
      List<List<String>> rows,
      String prefix,
      Map<String, Map<Long, Object>> values,
      ExperimentComparison comparison) {
    values.forEach(
        (key, byRun) ->
            rows.add(
                row(
                    comparison.differences().contains(prefix + key) ? "*" : "",
                    prefix + key,
                    comparison.runs().stream().map(r -> shortCell(byRun.get(r.id()))).toList())));
  }

  private static List<String> row(String mark, String name, List<String> cells) {
    List<String> row = new ArrayList<>(List.of(mark, name));
    row.addAll(cells);
    return row;
  }

  /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
  static String table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (List<String> row : concat(header, rows)) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : concat(header, rows)) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Double d) {
      return number(d);
    }
    return String.valueOf(value);
  }

  /** Four significant digits, without trailing zeros; scientific outside a readable range. */
  static String number(Double value) {
    if (value == null) {
      return "-";
    }
    double magnitude = Math.abs(value);
    if (value.isNaN()
        || value.isInfinite()
        || (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e7))) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A comparison cell kept narrow: hashes cut to their first 12 digits, long text shortened. */
  private static String shortCell(Object value) {
    String text = cell(value);
    if (SHA256.matcher(text).matches()) {
      return text.substring(0, 12);
    }
    return text.length() <= MAX_CELL ? text : text.substring(0, MAX_CELL - 3) + "...";
  }

  private static String metrics(Map<String, Double> metrics) {
    return metrics.isEmpty()
        ? "-"
        : new TreeMap<>(metrics)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + number(e.getValue()))
                .collect(Collectors.joining(" "));
  }

  private static String values(Map<String, Object> values) {
    return values.isEmpty()
        ? "-"
        : new TreeMap<>(values)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + cell(e.getValue()))
                .collect(Collectors.joining(" "));
  }

  private static String duration(Long millis) {
    if (millis == null) {
      return "-";
    }
    if (millis < 1000) {
      return millis + " ms";
    }
    long seconds = millis / 1000;
    return seconds < 60
        ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
        : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }

  private static void noOperands(String action, List<String> operands) {
    if (!operands.isEmpty()) {
      throw new UsageException(action + " takes no run ids, got " + operands);
    }
  }

  private static long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "Bad run id '" + id + "': run ids are numbers (see 'lifecycle experiments list')");
    }
  }

  private static int parseLimit(String limit) {
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageException("--limit must be a positive number, got '" + limit + "'");
  }

  private static ExperimentStatus parseStatus(String status) {
    try {
      return ExperimentStatus.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "Unknown status '"
              + status
              + "'. Statuses: "
              + Arrays.stream(ExperimentStatus.values())
                  .map(s -> s.name().toLowerCase(Locale.ROOT))
                  .toList());
    }
  }
}
