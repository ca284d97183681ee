package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.internal.Suggestions;
import dev.lifecycle.dsl.plan.Approval;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.Input;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.ParamRef;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.StepOptions;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks one plan against every rule of {@link Rules}, collecting all problems. */
final class PlanChecker {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern ENDPOINT = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final List<String> FORMATS = List.of("auto", "csv", "parquet", "idx", "images");
  private static final double FRACTION_TOLERANCE = 1e-9;

  private final PipelinePlan plan;
  private final List<Step> all;
  private final Map<String, Step> byName = new LinkedHashMap<>();
  private final Map<String, Integer> position = new LinkedHashMap<>();
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final PlanGraph graph;
  private final List<Problem> problems = new ArrayList<>();

  private PlanChecker(PipelinePlan plan) {
    this.plan = plan;
    this.all = plan.allSteps();
    for (int i = 0; i < all.size(); i++) {
      byName.putIfAbsent(all.get(i).name(), all.get(i));
      position.putIfAbsent(all.get(i).name(), i);
    }
    plan.parameters().forEach(p -> parameters.putIfAbsent(p.name(), p));
    this.graph = PlanGraph.of(plan);
  }

  static List<Problem> check(PipelinePlan plan) {
    PlanChecker checker = new PlanChecker(plan);
    checker.checkPipeline();
    for (int i = 0; i < checker.all.size(); i++) {
      checker.checkStep(i);
    }
    checker.checkSuccessCriteria();
    checker.checkCycles();
    checker.checkEndpoints();
    checker.checkMonitoredEndpoints();
    return List.copyOf(checker.problems);
  }

  private void add(String step, String rule, String message) {
    problems.add(new Problem(step, rule, message));
  }

  // ---------------------------------------------------------------- pipeline-level rules

  private void checkPipeline() {
    if (!NAME.matcher(plan.name()).matches()) {
      add(
          null,
          Rules.INVALID_NAME,
          "Pipeline name '" + quote(plan.name()) + "' is not valid. " + nameRule());
    }
    if (plan.steps().isEmpty()) {
      add(
          null,
          Rules.EMPTY_PIPELINE,
          "Pipeline '"
              + plan.name()
              + "' has no steps. Declare at least one, e.g. p.ingest(\"ingest\").csv(\"data.csv\").");
    }
    Map<String, Integer> parameterCounts = new LinkedHashMap<>();
    for (Parameter parameter : plan.parameters()) {
      parameterCounts.merge(parameter.name(), 1, Integer::sum);
      if (!NAME.matcher(parameter.name()).matches()) {
        add(
            null,
            Rules.INVALID_NAME,
            "Parameter name '" + quote(parameter.name()) + "' is not valid. " + nameRule());
      }
      checkDefault(parameter);
    }
    parameterCounts.forEach(
        (name, count) -> {
          if (count > 1) {
            add(
                null,
                Rules.DUPLICATE_NAME,
                "Parameter '"
                    + name
                    + "' is declared "
                    + count
                    + " times. Declare each parameter once.");
          }
        });
    Map<String, List<String>> locations = new LinkedHashMap<>();
    collectLocations(plan.steps(), "at the top level", locations);
    locations.forEach(
        (name, where) -> {
          if (where.size() > 1) {
            add(
                name,
                Rules.DUPLICATE_NAME,
                "Step name '"
                    + name
                    + "' is used by "
                    + where.size()
                    + " steps ("
                    + String.join("; ", where)
                    + "). Step names must be unique in the whole pipeline, branches included:"
                    + " rename all but one.");
          }
        });
  }

  private static void collectLocations(
      List<Step> steps, String where, Map<String, List<String>> into) {
    for (Step step : steps) {
      into.computeIfAbsent(step.name(), n -> new ArrayList<>()).add(step.kind() + " " + where);
      if (step instanceof Condition c) {
        collectLocations(c.then(), "in the then branch of '" + c.name() + "'", into);
        collectLocations(c.otherwise(), "in the otherwise branch of '" + c.name() + "'", into);
      }
    }
  }

  private void checkDefault(Parameter parameter) {
    Object value = parameter.defaultValue();
    if (value == null) {
      return;
    }
    boolean fits =
        switch (parameter.type()) {
          case STRING -> value instanceof String;
          case INTEGER -> value instanceof Integer || value instanceof Long;
          case DOUBLE -> value instanceof Number;
          case BOOLEAN -> value instanceof Boolean;
          default -> false;
        };
    if (!fits) {
      add(
          null,
          Rules.TYPE_MISMATCH,
          "Parameter '"
              + parameter.name()
              + "' is declared "
              + parameter.type().label()
              + " but its default "
              + show(value)
              + " is "
              + javaTypeLabel(value)
              + ". Give it a "
              + parameter.type().label()
              + " default, or declare it with "
              + declaration(javaType(value))
              + ".");
    }
    if (value instanceof String s) {
      checkSize(null, "the default of parameter '" + parameter.name() + "'", s);
    }
  }

  // ---------------------------------------------------------------- step rules

  private void checkStep(int i) {
    Step step = all.get(i);
    if (!NAME.matcher(step.name()).matches()) {
      add(
          step.name(),
          Rules.INVALID_NAME,
          "Step name '" + quote(step.name()) + "' is not valid. " + nameRule());
    }
    checkMissingInputs(step);
    Map<String, ValueType> types = new LinkedHashMap<>();
    step.inputs()
        .forEach(
            (input, value) -> {
              ValueType type = checkReference(i, step, input, value.operand());
              if (type != null) {
                types.put(input, type);
              }
            });
    for (String after : step.after()) {
      if (!byName.containsKey(after)) {
        add(
            step.name(),
            Rules.UNKNOWN_STEP,
            "Step '"
                + step.name()
                + "' runs after '"
                + after
                + "' but there is no step '"
                + after
                + "'"
                + stepHint(after));
      }
    }
    checkTypes(step, types);
    checkValues(step);
    if (step instanceof Fail fail) {
      checkSize(step.name(), "the message of fail step '" + step.name() + "'", fail.message());
    }
    if (step instanceof Approval approval) {
      checkSize(step.name(), "the prompt of approval '" + step.name() + "'", approval.prompt());
    }
    if (step instanceof Label label) {
      checkSize(
          step.name(),
          "the instructions of label step '" + step.name() + "'",
          label.instructions());
    }
  }

  private void checkMissingInputs(Step step) {
    String n = step.name();
    if (step instanceof Split s) {
      missing(n, "dataset to split", s.dataset(), "p.split(\"" + n + "\", ingest.dataset())");
    } else if (step instanceof Features f) {
      String hint =
          "p.features(\"" + n + "\", split) or p.features(\"" + n + "\", train, val, test)";
      missing(n, "train dataset", f.train(), hint);
      missing(n, "validation dataset", f.validation(), hint);
      missing(n, "test dataset", f.test(), hint);
      missingLabel(n, f.label());
    } else if (step instanceof Train t) {
      missing(n, "training dataset", t.train(), "p.train(\"" + n + "\", features.train())");
      missingLabel(n, t.label());
    } else if (step instanceof Evaluate e) {
      String hint = "p.evaluate(\"" + n + "\", train.model(), features.test())";
      missing(n, "model to evaluate", e.model(), hint);
      missing(n, "dataset to evaluate on", e.dataset(), hint);
      missingLabel(n, e.label());
    } else if (step instanceof Register r) {
      String hint = "p.register(\"" + n + "\", \"model-name\", train.model())";
      missing(n, "model to register", r.model(), hint);
      if (r.modelName() == null || r.modelName().isBlank()) {
        add(
            n,
            Rules.MISSING_INPUT,
            "Step '" + n + "' has no model name for the registry. Set it: " + hint + ".");
      }
    } else if (step instanceof Label l) {
      missing(n, "dataset to label", l.dataset(), "p.label(\"" + n + "\", ingest.dataset())");
    } else if (step instanceof BatchTransform b) {
      String hint = "p.batchTransform(\"" + n + "\", train.model(), features.test())";
      missing(n, "model", b.model(), hint);
      missing(n, "dataset to transform", b.dataset(), hint);
    }
  }

  private void missing(String step, String what, Object value, String hint) {
    if (value == null) {
      add(
          step,
          Rules.MISSING_INPUT,
          "Step '" + step + "' has no " + what + ". Pass it in the DSL: " + hint + ".");
    }
  }

  private void missingLabel(String step, String label) {
    if (label == null || label.isBlank()) {
      add(
          step,
          Rules.MISSING_INPUT,
          "Step '" + step + "' has no label (the target column). Set it with .label(\"column\").");
    }
  }

  /** Checks that {@code operand} resolves and returns its type, or null when it does not. */
  private ValueType checkReference(int i, Step reader, String input, Operand operand) {
    String where = where(reader, input);
    if (operand instanceof Literal literal) {
      if (literal.value() instanceof String s) {
        checkSize(reader.name(), where + " of step '" + reader.name() + "'", s);
      }
      return literal.type();
    }
    if (operand instanceof ParamRef ref) {
      Parameter parameter = parameters.get(ref.name());
      if (parameter == null) {
        add(
            reader.name(),
            Rules.UNKNOWN_PARAMETER,
            "Step '"
                + reader.name()
                + "' reads "
                + ref.describe()
                + " in "
                + where
                + " but pipeline '"
                + plan.name()
                + "' declares no parameter '"
                + ref.name()
                + "'"
                + Suggestions.didYouMeanOrStop(ref.name(), parameters.keySet())
                + " Declared parameters: "
                + parameters.keySet()
                + ".");
        return null;
      }
      return parameter.type();
    }
    if (operand instanceof OutputRef ref) {
      Step producer = byName.get(ref.step());
      if (producer == null) {
        add(
            reader.name(),
            Rules.UNKNOWN_STEP,
            "Step '"
                + reader.name()
                + "' reads "
                + ref.describe()
                + " but there is no step '"
                + ref.step()
                + "'"
                + stepHint(ref.step()));
        return null;
      }
      ValueType type = producer.outputs().get(ref.output());
      if (type == null) {
        add(
            reader.name(),
            Rules.UNKNOWN_OUTPUT,
            "Step '"
                + reader.name()
                + "' reads "
                + ref.describe()
                + " but "
                + producer.kind()
                + " step '"
                + producer.name()
                + "' has no output '"
                + ref.output()
                + "'"
                + Suggestions.didYouMeanOrStop(ref.output(), producer.outputs().keySet())
                + " Its outputs: "
                + describeOutputs(producer)
                + ".");
        return null;
      }
      checkBranch(reader, ref.describe(), producer.name());
      return type;
    }
    MetricRef ref = (MetricRef) operand;
    String producer = checkMetric(i, reader, ref);
    if (producer != null) {
      checkBranch(reader, ref.describe(), producer);
    }
    return ValueType.DOUBLE;
  }

  /** The producing step of {@code ref}, or null when it does not resolve. */
  private String checkMetric(int i, Step reader, MetricRef ref) {
    String metric = ref.metric();
    if (ref.step() != null) {
      Step producer = byName.get(ref.step());
      if (producer == null) {
        add(
            reader.name(),
            Rules.UNKNOWN_STEP,
            "Step '"
                + reader.name()
                + "' reads "
                + ref.describe()
                + " but there is no step '"
                + ref.step()
                + "'"
                + stepHint(ref.step()));
        return null;
      }
      if (!producer.producedMetrics().contains(metric)) {
        add(
            reader.name(),
            Rules.UNKNOWN_METRIC,
            "Step '"
                + reader.name()
                + "' reads metric '"
                + metric
                + "' of step '"
                + producer.name()
                + "', which "
                + (producer.producedMetrics().isEmpty()
                    ? "produces no metrics (" + producer.kind() + " steps have none)."
                    : "produces only "
                        + producer.producedMetrics()
                        + Suggestions.didYouMeanOrStop(metric, producer.producedMetrics())));
        return null;
      }
      if (position.get(producer.name()) >= i) {
        add(
            reader.name(),
            Rules.UNKNOWN_METRIC,
            "Step '"
                + reader.name()
                + "' reads metric '"
                + metric
                + "' of step '"
                + producer.name()
                + "', which is declared after it. A step reads metrics only of earlier steps:"
                + " declare '"
                + producer.name()
                + "' before '"
                + reader.name()
                + "'.");
        return null;
      }
      return producer.name();
    }
    List<String> producers = MetricProducers.earlier(all, i, metric);
    if (producers.size() == 1) {
      return producers.get(0);
    }
    if (producers.isEmpty()) {
      Map<String, List<String>> earlier = new LinkedHashMap<>();
      for (int j = 0; j < i; j++) {
        Step s = all.get(j);
        if (!s.producedMetrics().isEmpty()) {
          earlier.putIfAbsent(s.name(), s.producedMetrics());
        }
      }
      List<String> known = earlier.values().stream().flatMap(List::stream).distinct().toList();
      add(
          reader.name(),
          Rules.UNKNOWN_METRIC,
          "Step '"
              + reader.name()
              + "' reads metric '"
              + metric
              + "' but no earlier step produces it"
              + Suggestions.didYouMeanOrStop(metric, known)
              + (earlier.isEmpty()
                  ? " No earlier step produces metrics: add an evaluate step before '"
                      + reader.name()
                      + "'."
                  : " Steps producing metrics: "
                      + earlier.entrySet().stream()
                          .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                          .collect(Collectors.joining(", ", "[", "]"))
                      + "."));
      return null;
    }
    add(
        reader.name(),
        Rules.AMBIGUOUS_METRIC,
        "Step '"
            + reader.name()
            + "' reads metric '"
            + metric
            + "' without naming its step, and several earlier steps produce it: "
            + producers
            + ". Name the step, e.g. metric(\""
            + producers.get(0)
            + "\", \""
            + metric
            + "\").");
    return null;
  }

  private void checkBranch(Step reader, String what, String producer) {
    List<String[]> producerPath = branchPath(producer);
    List<String[]> readerPath = branchPath(reader.name());
    for (int k = 0; k < producerPath.size(); k++) {
      String[] scope = producerPath.get(k);
      boolean shared =
          k < readerPath.size()
              && readerPath.get(k)[0].equals(scope[0])
              && readerPath.get(k)[1].equals(scope[1]);
      if (!shared) {
        add(
            reader.name(),
            Rules.BRANCH_OUTPUT,
            "Step '"
                + reader.name()
                + "' reads "
                + what
                + " but step '"
                + producer
                + "' runs only in the "
                + scope[1]
                + " branch of condition '"
                + scope[0]
                + "', so that value does not exist when the other branch is taken. Declare '"
                + reader.name()
                + "' in that branch too, or, if it only has to run once the condition has"
                + " finished, drop the reference and use .after(<condition '"
                + scope[0]
                + "'>).");
        return;
      }
    }
  }

  /** (condition, branch) pairs from the outermost to the innermost enclosing branch. */
  private List<String[]> branchPath(String step) {
    List<String[]> path = new ArrayList<>();
    String current = step;
    while (graph.parent(current).isPresent()) {
      String parent = graph.parent(current).get();
      path.add(0, new String[] {parent, graph.branch(current).orElseThrow()});
      current = parent;
    }
    return path;
  }

  // ---------------------------------------------------------------- types

  private void checkTypes(Step step, Map<String, ValueType> types) {
    if (step instanceof Condition condition) {
      checkExpr(condition.name(), "Condition '" + condition.name() + "'", condition.when());
      return;
    }
    if (step instanceof Fail fail) {
      for (int a = 0; a < fail.args().size(); a++) {
        ValueType type = types.get("arg" + a);
        if (type != null && type.isArtifact()) {
          add(
              step.name(),
              Rules.TYPE_MISMATCH,
              "Fail step '"
                  + step.name()
                  + "' argument "
                  + (a + 1)
                  + " is "
                  + fail.args().get(a).describe()
                  + ", a "
                  + type.label()
                  + "; a message shows numbers, strings and booleans, not artifacts.");
        }
      }
      return;
    }
    step.inputs()
        .forEach(
            (name, input) -> {
              ValueType actual = types.get(name);
              if (actual != null && !input.expected().accepts(actual)) {
                add(
                    step.name(),
                    Rules.TYPE_MISMATCH,
                    "Step '"
                        + step.name()
                        + "' expects "
                        + article(input.expected())
                        + " in "
                        + where(step, name)
                        + " but "
                        + input.operand().describe()
                        + " is "
                        + article(actual)
                        + ". "
                        + typeHint(input, actual));
              }
            });
  }

  private String typeHint(Input input, ValueType actual) {
    ValueType expected = input.expected();
    Operand operand = input.operand();
    if (operand instanceof ParamRef ref) {
      return "Declare parameter '" + ref.name() + "' with " + declaration(expected) + ".";
    }
    if (operand instanceof OutputRef ref) {
      return "Pass an output of type "
          + expected.label()
          + "; step '"
          + ref.step()
          + "' outputs "
          + describeOutputs(byName.get(ref.step()))
          + ".";
    }
    if (operand instanceof MetricRef) {
      return "Metrics are doubles; pass " + article(expected) + " literal or parameter instead.";
    }
    return "Pass " + article(expected) + " instead of " + article(actual) + ".";
  }

  private void checkExpr(String step, String subject, Expr expr) {
    if (expr instanceof Expr.And and) {
      and.parts().forEach(p -> checkExpr(step, subject, p));
    } else if (expr instanceof Expr.Or or) {
      or.parts().forEach(p -> checkExpr(step, subject, p));
    } else if (expr instanceof Expr.Not not) {
      checkExpr(step, subject, not.part());
    } else if (expr instanceof Expr.SuccessCriteria criteria) {
      checkCriteriaUse(step, subject, criteria);
    } else if (expr instanceof Expr.BeatsProduction beats) {
      checkBeats(step, subject, beats);
    } else {
      Expr.Compare compare = (Expr.Compare) expr;
      ValueType left = typeOf(compare.left());
      ValueType right = typeOf(compare.right());
      boolean ordering = compare.op() != Expr.Op.EQ && compare.op() != Expr.Op.NE;
      boolean ok = true;
      for (Operand side : List.of(compare.left(), compare.right())) {
        ValueType type = side == compare.left() ? left : right;
        if (type == null) {
          continue;
        }
        if (type.isArtifact()) {
          ok = false;
          add(
              step,
              Rules.TYPE_MISMATCH,
              subject
                  + " compares "
                  + side.describe()
                  + ", a "
                  + type.label()
                  + "; conditions compare numbers, strings and booleans, never artifacts. Compare"
                  + " a metric instead, e.g. evaluate.metric(\"rmse\").atMost(...).");
        } else if (ordering && !numeric(type)) {
          ok = false;
          add(
              step,
              Rules.TYPE_MISMATCH,
              subject
                  + " uses '"
                  + compare.op().symbol()
                  + "' on "
                  + side.describe()
                  + ", a "
                  + type.label()
                  + "; '"
                  + compare.op().symbol()
                  + "' compares numbers (integer or double).");
        }
      }
      if (ok
          && !ordering
          && left != null
          && right != null
          && left != right
          && !(numeric(left) && numeric(right))) {
        add(
            step,
            Rules.TYPE_MISMATCH,
            subject
                + " compares "
                + compare.left().describe()
                + " ("
                + left.label()
                + ") with "
                + compare.right().describe()
                + " ("
                + right.label()
                + ") using '"
                + compare.op().symbol()
                + "'; both sides must have the same type.");
      }
    }
  }

  private void checkCriteriaUse(String step, String subject, Expr.SuccessCriteria criteria) {
    if (step == null) {
      add(
          null,
          Rules.INVALID_CRITERIA,
          "The success criteria of pipeline '"
              + plan.name()
              + "' use successCriteria() themselves; state them with metrics and parameters, e.g."
              + " p.successCriteria(metric(\"f1\").atLeast(0.85)).");
    } else if (plan.successCriteria() == null) {
      add(
          step,
          Rules.INVALID_CRITERIA,
          subject
              + " branches on successCriteria() but pipeline '"
              + plan.name()
              + "' states none. State them: p.successCriteria(metric(\"f1\").atLeast(0.85)).");
    } else if (criteria.criteria() != null) {
      checkExpr(step, subject, criteria.criteria());
    }
  }

  private void checkBeats(String step, String subject, Expr.BeatsProduction beats) {
    String metric = beats.metric().metric();
    if (step == null) {
      add(
          null,
          Rules.INVALID_CRITERIA,
          "The success criteria of pipeline '"
              + plan.name()
              + "' compare metric '"
              + metric
              + "' with production; criteria are fixed bars. Compare with production in a"
              + " condition: p.condition(\"better\", evaluate.metric(\""
              + metric
              + "\").beats(production())).");
      return;
    }
    if (beats.modelName() == null) {
      List<String> models =
          all.stream()
              .filter(s -> s instanceof Register)
              .map(s -> String.valueOf(((Register) s).modelName()))
              .distinct()
              .toList();
      if (models.size() != 1) {
        add(
            step,
            Rules.INVALID_CRITERIA,
            subject
                + " compares metric '"
                + metric
                + "' with production but names no model, and the pipeline registers "
                + (models.isEmpty() ? "none" : "several " + models)
                + ". Name it: beats(production(\"model-name\")).");
      }
    } else if (beats.modelName().isBlank()) {
      add(
          step,
          Rules.INVALID_CRITERIA,
          subject + " compares with production of a blank model name.");
    }
    if (beats.goal() == null && Expr.Goal.of(metric).isEmpty()) {
      add(
          step,
          Rules.INVALID_CRITERIA,
          subject
              + " compares metric '"
              + quote(metric)
              + "' with production, but Lifecycle does not know whether lower or higher is better"
              + " for it (it knows "
              + Expr.Goal.known()
              + "). Say which: beats(production()).lowerIsBetter() or .higherIsBetter().");
    }
    if (beats.margin() != null && !(beats.margin() >= 0 && Double.isFinite(beats.margin()))) {
      add(
          step,
          Rules.INVALID_CRITERIA,
          subject
              + " asks metric '"
              + quote(metric)
              + "' to beat production by "
              + beats.margin()
              + "; the margin must be a finite number of at least 0, e.g. .by(0.01).");
    }
  }

  /**
   * The pipeline's success criteria: every metric they read is produced by some step (anywhere in
   * the plan, since they are judged over the whole run), every parameter is declared, and the
   * comparisons are typed like a condition's.
   */
  private void checkSuccessCriteria() {
    Expr criteria = plan.successCriteria();
    if (criteria == null) {
      return;
    }
    String subject = "The success criteria";
    criteria.forEachOperand(
        operand -> {
          if (operand instanceof ParamRef ref && !parameters.containsKey(ref.name())) {
            add(
                null,
                Rules.UNKNOWN_PARAMETER,
                subject
                    + " read "
                    + ref.describe()
                    + " but pipeline '"
                    + plan.name()
                    + "' declares no parameter '"
                    + ref.name()
                    + "'"
                    + Suggestions.didYouMeanOrStop(ref.name(), parameters.keySet())
                    + " Declared parameters: "
                    + parameters.keySet()
                    + ".");
          } else if (operand instanceof OutputRef ref) {
            add(
                null,
                Rules.TYPE_MISMATCH,
                subject
                    + " read "
                    + ref.describe()
                    + "; success criteria compare metrics with numbers and parameters only.");
          } else if (operand instanceof MetricRef ref) {
            checkCriteriaMetric(ref);
          }
        });
    checkExpr(null, subject, criteria);
  }

  private void checkCriteriaMetric(MetricRef ref) {
    String metric = ref.metric();
    Map<String, List<String>> producing = new LinkedHashMap<>();
    for (Step s : all) {
      if (!s.producedMetrics().isEmpty()) {
        producing.putIfAbsent(s.name(), s.producedMetrics());
      }
    }
    String known =
        producing.isEmpty()
            ? " No step produces metrics: add an evaluate step."
            : " Steps producing metrics: "
                + producing.entrySet().stream()
                    .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                    .collect(Collectors.joining(", ", "[", "]"))
                + ".";
    if (ref.step() != null) {
      Step producer = byName.get(ref.step());
      if (producer == null || !producer.producedMetrics().contains(metric)) {
        add(
            null,
            producer == null ? Rules.UNKNOWN_STEP : Rules.UNKNOWN_METRIC,
            "The success criteria read metric '"
                + metric
                + "' of step '"
                + ref.step()
                + "', "
                + (producer == null ? "but there is no such step." : "which does not produce it.")
                + known);
      }
      return;
    }
    List<String> producers = MetricProducers.earlier(all, all.size(), metric);
    if (producers.size() == 1) {
      return;
    }
    if (producers.isEmpty()) {
      List<String> names = producing.values().stream().flatMap(List::stream).distinct().toList();
      add(
          null,
          Rules.UNKNOWN_METRIC,
          "The success criteria read metric '"
              + metric
              + "' but no step produces it"
              + Suggestions.didYouMeanOrStop(metric, names)
              + known);
    } else {
      add(
          null,
          Rules.AMBIGUOUS_METRIC,
          "The success criteria read metric '"
              + metric
              + "' without naming its step, and several steps produce it: "
              + producers
              + ". Name the step, e.g. metric(\""
              + producers.get(0)
              + "\", \""
              + metric
              + "\").");
    }
  }

  /** The type of an operand that resolves, else null (its problem is reported elsewhere). */
  private ValueType typeOf(Operand operand) {
    if (operand instanceof Literal literal) {
      return literal.type();
    }
    if (operand instanceof ParamRef ref) {
      Parameter parameter = parameters.get(ref.name());
      return parameter == null ? null : parameter.type();
    }
    if (operand instanceof OutputRef ref) {
      Step producer = byName.get(ref.step());
      return producer == null ? null : producer.outputs().get(ref.output());
    }
    return ValueType.DOUBLE;
  }

  private static boolean numeric(ValueType type) {
    return type == ValueType.INTEGER || type == ValueType.DOUBLE;
  }

  // ---------------------------------------------------------------- values

  private void checkValues(Step step) {
    String n = step.name();
    checkOptions(n, step.options());
    if (step instanceof Split s) {
      checkFraction(n, "train", s.train());
      checkFraction(n, "validation", s.validation());
      checkFraction(n, "test", s.test());
      double sum = s.train() + s.validation() + s.test();
      if (!(Math.abs(sum - 1.0) <= FRACTION_TOLERANCE)) {
        add(
            n,
            Rules.INVALID_VALUE,
            "Step '"
                + n
                + "' splits "
                + s.train()
                + " + "
                + s.validation()
                + " + "
                + s.test()
                + " = "
                + sum
                + " of the rows; the fractions must add up to 1, e.g. .ratios(0.8, 0.1, 0.1).");
      }
    } else if (step instanceof Train t) {
      for (int k = 0; k < t.hiddenLayers().size(); k++) {
        if (t.hiddenLayers().get(k) < 1) {
          add(
              n,
              Rules.INVALID_VALUE,
              "Step '"
                  + n
                  + "' has hidden layer "
                  + (k + 1)
                  + " of width "
                  + t.hiddenLayers().get(k)
                  + " in "
                  + t.hiddenLayers()
                  + "; every width must be at least 1.");
        }
      }
      checkAtLeastOne(n, "epochs", t.epochs());
      checkAtLeastOne(n, "batchSize", t.batchSize());
      if (t.learningRate() instanceof Literal literal
          && literal.value() instanceof Number rate
          && !(rate.doubleValue() > 0 && Double.isFinite(rate.doubleValue()))) {
        add(
            n,
            Rules.INVALID_VALUE,
            "Step '"
                + n
                + "' has learningRate "
                + rate
                + "; it must be a positive finite number, e.g. .learningRate(0.001).");
      }
      checkArchitecture(t);
      checkFineTune(t);
      checkEarlyStopping(t);
    } else if (step instanceof Ingest ingest) {
      if (!FORMATS.contains(ingest.format())) {
        add(
            n,
            Rules.INVALID_VALUE,
            "Step '"
                + n
                + "' has format '"
                + quote(ingest.format())
                + "'"
                + Suggestions.didYouMeanOrStop(ingest.format(), FORMATS)
                + " Formats: "
                + FORMATS
                + ".");
      }
    } else if (step instanceof Approval approval) {
      checkApprovedVersion(approval);
      if (approval.timeout() != null && !positive(approval.timeout())) {
        add(
            n,
            Rules.INVALID_VALUE,
            "Approval '"
                + n
                + "' expires after "
                + approval.timeout()
                + "; the timeout must be positive (or not set, to wait for ever).");
      }
    } else if (step instanceof Label l) {
      checkLabel(l);
    } else if (step instanceof Deploy d) {
      checkDeploy(d);
    } else if (step instanceof Monitor m) {
      checkMonitor(m);
    } else if (step instanceof Features f && f.label() != null) {
      checkLabelNotListed(f, "oneHot", f.oneHot());
      checkLabelNotListed(f, "standardize", f.standardize());
      checkLabelNotListed(f, "drop", f.drop());
    }
  }

  /** A gate about a version reads it from a register step of its model. */
  private void checkApprovedVersion(Approval a) {
    if (a.version() == null && a.modelName() == null) {
      return;
    }
    String n = a.name();
    String hint = "Name the register step: p.approval(\"" + n + "\").ofVersion(register).";
    if (a.version() == null || a.modelName() == null) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Approval '"
              + n
              + "' is about a model version but has no "
              + (a.version() == null ? "version" : "model name")
              + ". "
              + hint);
      return;
    }
    Step producer = byName.get(a.version().step());
    if (producer != null && !(producer instanceof Register)) {
      add(
          n,
          Rules.INVALID_VALUE,
          "Approval '"
              + n
              + "' approves "
              + a.version().describe()
              + " of "
              + producer.kind()
              + " step '"
              + producer.name()
              + "'; a gate approves a registered version. "
              + hint);
    } else if (producer instanceof Register r && !a.modelName().equals(r.modelName())) {
      add(
          n,
          Rules.INVALID_VALUE,
          "Approval '"
              + n
              + "' names model '"
              + quote(a.modelName())
              + "' but register step '"
              + r.name()
              + "' registers '"
              + quote(String.valueOf(r.modelName()))
              + "'. "
              + hint);
    }
  }

  private void monitoring(String step, String message) {
    add(step, Rules.INVALID_MONITORING, "Monitor step '" + step + "' " + message);
  }

  private void checkMonitor(Monitor m) {
    String n = m.name();
    if (m.endpoint() == null) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Step '"
              + n
              + "' watches no endpoint. Name the deploy step: p.monitor(\""
              + n
              + "\", serve).");
    } else if (byName.get(m.endpoint().step()) != null
        && !(byName.get(m.endpoint().step()) instanceof Deploy)) {
      Step producer = byName.get(m.endpoint().step());
      monitoring(
          n,
          "watches "
              + m.endpoint().describe()
              + " of "
              + producer.kind()
              + " step '"
              + producer.name()
              + "'; a monitor watches what a deploy step serves: p.monitor(\""
              + n
              + "\", serve).");
    }
    if (m.baseline() == null) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Step '"
              + n
              + "' has no baseline dataset. Compute it from the training data:"
              + " .baseline(split.train()).");
    }
    if (m.every() == null || m.every().compareTo(Duration.ofMinutes(1)) < 0) {
      monitoring(
          n,
          "checks every "
              + m.every()
              + "; the schedule must be at least one minute, e.g."
              + " .every(Duration.ofHours(1)).");
    }
    checkDriftRules(n, "numeric", m.numericDrift(), Monitor.NUMERIC_METHODS);
    checkDriftRules(n, "categorical", m.categoricalDrift(), Monitor.CATEGORICAL_METHODS);
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String f : m.features()) {
      if (f == null || f.isBlank()) {
        monitoring(n, "lists a blank feature in " + m.features() + "; name each column.");
      } else {
        seen.merge(f, 1, Integer::sum);
        if (m.exclude().contains(f)) {
          monitoring(n, "both watches and excludes feature '" + quote(f) + "'; choose one.");
        }
      }
    }
    seen.forEach(
        (f, count) -> {
          if (count > 1) {
            monitoring(n, "lists feature '" + quote(f) + "' " + count + " times; list it once.");
          }
        });
    for (String url : m.webhooks()) {
      if (!webhook(url)) {
        monitoring(
            n,
            "alerts webhook '"
                + (url == null ? "null" : quote(url))
                + "', which is not an http:// or https:// URL with a host.");
      }
    }
    if (m.onViolation() == Monitor.OnViolation.RETRAIN) {
      if (m.cooldown() == null || !positive(m.cooldown())) {
        monitoring(
            n,
            "retrains with cooldown "
                + m.cooldown()
                + "; it must be positive, e.g."
                + " .retrain(Duration.ofDays(1), 3).");
      }
      if (m.retrainLimit() == null || m.retrainLimit() < 1) {
        monitoring(
            n,
            "retrains at most "
                + m.retrainLimit()
                + " times; the limit must be at least 1, e.g. .retrain(Duration.ofDays(1), 3).");
      }
    } else if (m.cooldown() != null || m.retrainLimit() != null) {
      monitoring(
          n, "sets a retraining cooldown or limit but only alerts. Use .retrain(cooldown, limit).");
    }
    String captured = m.capturedDataParameter();
    if (captured != null) {
      Parameter parameter = parameters.get(captured);
      if (m.onViolation() != Monitor.OnViolation.RETRAIN) {
        monitoring(
            n,
            "hands captured data to parameter '"
                + quote(captured)
                + "' but only alerts; use .retrain(cooldown, limit) with it.");
      }
      if (parameter == null) {
        monitoring(
            n,
            "hands captured data to parameter '"
                + quote(captured)
                + "', which the pipeline does not declare"
                + Suggestions.didYouMeanOrStop(captured, parameters.keySet()));
      } else if (parameter.type() != ValueType.STRING) {
        monitoring(
            n,
            "hands captured data (a file: URI) to parameter '"
                + quote(captured)
                + "' of type "
                + parameter.type().label()
                + "; declare it as a string.");
      }
    }
    if (m.rangeMargin() != null && !(m.rangeMargin() >= 0 && !Double.isInfinite(m.rangeMargin()))) {
      monitoring(
          n,
          "allows a range margin of "
              + m.rangeMargin()
              + "; it must be a finite fraction of 0 or more, e.g. .rangeMargin(0.5).");
    }
    if (m.retrainParameters() != null) {
      if (m.onViolation() != Monitor.OnViolation.RETRAIN) {
        monitoring(
            n,
            "sets parameters of retraining runs "
                + m.retrainParameters().keySet()
                + " but only alerts; use .retrain(cooldown, limit) with them.");
      }
      for (Map.Entry<String, String> e : m.retrainParameters().entrySet()) {
        Parameter parameter = parameters.get(e.getKey());
        if (parameter == null) {
          monitoring(
              n,
              "sets parameter '"
                  + quote(e.getKey())
                  + "' of retraining runs, which the pipeline does not declare"
                  + Suggestions.didYouMeanOrStop(e.getKey(), parameters.keySet()));
        } else if (parameter.type() != ValueType.STRING) {
          monitoring(
              n,
              "sets parameter '"
                  + quote(e.getKey())
                  + "' of retraining runs to a string, but it is of type "
                  + parameter.type().label()
                  + ".");
        } else if (e.getKey().equals(captured)) {
          monitoring(
              n,
              "sets parameter '"
                  + quote(e.getKey())
                  + "' of retraining runs, which already gets the captured data.");
        }
      }
    }
  }

  private void checkDriftRules(
      String n, String kind, List<Monitor.DriftRule> rules, java.util.Set<String> applicable) {
    for (Monitor.DriftRule rule : rules) {
      String method = rule.method();
      if (!Monitor.METHODS.contains(method)) {
        monitoring(
            n,
            "checks "
                + kind
                + " drift with method '"
                + quote(method)
                + "'"
                + Suggestions.didYouMeanOrStop(method, Monitor.METHODS)
                + " Methods: "
                + Monitor.METHODS
                + ".");
        continue;
      }
      if (!applicable.contains(method)) {
        monitoring(
            n,
            "checks "
                + kind
                + " drift with method '"
                + method
                + "', which does not apply to "
                + kind
                + " features. "
                + kind.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + kind.substring(1)
                + " methods: "
                + applicable.stream().sorted().toList()
                + ".");
        continue;
      }
      double t = rule.threshold();
      boolean pValue = Monitor.P_VALUE_METHODS.contains(method);
      boolean ok =
          pValue
              ? t > 0 && t < 1
              : method.equals("jensen_shannon") ? t > 0 && t <= 1 : t > 0 && Double.isFinite(t);
      if (!ok) {
        monitoring(
            n,
            "sets threshold "
                + t
                + " for method '"
                + method
                + "'; "
                + (pValue
                    ? "a p-value threshold must be above 0 and below 1, e.g. 0.05."
                    : method.equals("jensen_shannon")
                        ? "a Jensen-Shannon distance threshold must be above 0 and at most 1."
                        : "it must be a positive finite number, e.g. 0.2."));
      }
    }
  }

  private static boolean webhook(String url) {
    if (url == null) {
      return false;
    }
    try {
      java.net.URI uri = new java.net.URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** One monitor per deploy step: two would both own {@code monitor/<endpoint>}. */
  private void checkMonitoredEndpoints() {
    Map<String, String> byDeploy = new LinkedHashMap<>();
    for (Step step : all) {
      if (step instanceof Monitor m && m.endpoint() != null) {
        String first = byDeploy.putIfAbsent(m.endpoint().step(), m.name());
        if (first != null) {
          monitoring(
              m.name(),
              "watches the endpoint of '"
                  + m.endpoint().step()
                  + "', as does '"
                  + first
                  + "'. One monitor watches an endpoint: merge their checks.");
        }
      }
    }
  }

  private void deployment(String step, String message) {
    add(step, Rules.INVALID_DEPLOYMENT, "Deploy step '" + step + "' " + message);
  }

  private void checkDeploy(Deploy d) {
    String n = d.name();
    if (d.endpoint() == null || d.endpoint().isBlank()) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Step '" + n + "' has no endpoint name. Set it: .endpoint(\"abalone-age\").");
    } else if (!ENDPOINT.matcher(d.endpoint()).matches()) {
      deployment(
          n,
          "has endpoint name '"
              + quote(d.endpoint())
              + "'. Endpoint names start with a lower-case letter and hold at most 63 lower-case"
              + " letters, digits or '-', e.g. .endpoint(\"abalone-age\").");
    }
    if (d.modelName() == null || d.modelName().isBlank()) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Step '"
              + n
              + "' has no model name. Deploy what a register step registered: p.deploy(\""
              + n
              + "\", register).");
    }
    checkDeployedModel(d);
    Serving s = d.serving();
    boolean staged =
        s.rollout() == Serving.Rollout.CANARY || s.rollout() == Serving.Rollout.BLUE_GREEN;
    if (s.maxBatchSize() != null && (s.maxBatchSize() < 1 || s.maxBatchSize() > 1024)) {
      deployment(
          n,
          "batches up to "
              + s.maxBatchSize()
              + " requests; the batch size must be 1 to 1024,"
              + " e.g. .batching(32, Duration.ofMillis(5)).");
    }
    deployDuration(n, "batch delay", s.maxBatchDelay());
    deployDuration(n, "bake time", s.bake());
    deployDuration(n, "p99 latency alarm", s.maxP99Latency());
    deployDuration(n, "idle time", s.idle());
    if (s.rollout() == Serving.Rollout.CANARY) {
      if (s.canaryPercent() == null) {
        deployment(n, "rolls out as a canary without a share. Use .canary(10, bake).");
      } else if (s.canaryPercent() < 1 || s.canaryPercent() > 99) {
        deployment(
            n,
            "sends "
                + s.canaryPercent()
                + "% of the requests to the canary; the share must be 1 to 99,"
                + " e.g. .canary(10, Duration.ofMinutes(5)).");
      }
    } else if (s.canaryPercent() != null) {
      deployment(
          n,
          "sets a canary share of "
              + s.canaryPercent()
              + "% but rolls out "
              + rolloutName(s)
              + ". Use .canary("
              + s.canaryPercent()
              + ", bake) to roll out as a canary.");
    }
    if (!staged) {
      List<String> set = new ArrayList<>();
      if (s.bake() != null) {
        set.add("a bake time");
      }
      if (s.maxErrorRate() != null || s.maxP99Latency() != null) {
        set.add("alarms");
      }
      if (!set.isEmpty()) {
        deployment(
            n,
            "sets "
                + String.join(" and ", set)
                + " but rolls out "
                + rolloutName(s)
                + "; only a canary or blue/green rollout is watched and rolled back. Add"
                + " .canary(10, bake) or .blueGreen(bake), or remove them.");
      }
    }
    if (s.maxErrorRate() != null && !(s.maxErrorRate() > 0 && s.maxErrorRate() <= 1)) {
      deployment(
          n,
          "has error-rate alarm "
              + s.maxErrorRate()
              + "; it must be above 0 and at most 1,"
              + " e.g. .alarms(0.05, Duration.ofMillis(200)).");
    }
    if (s.idle() != null && s.mode() != Serving.Mode.SERVERLESS) {
      deployment(
          n,
          "sets an idle time but serves "
              + s.mode().name().toLowerCase(java.util.Locale.ROOT)
              + "; only a serverless endpoint unloads when idle. Use .serverless("
              + s.idle()
              + ").");
    }
    if (s.captureFraction() != null && !(s.captureFraction() >= 0 && s.captureFraction() <= 1)) {
      deployment(
          n,
          "captures "
              + s.captureFraction()
              + " of the requests; the share must be 0 to 1, e.g. .capture(0.2).");
    }
  }

  private static String rolloutName(Serving s) {
    return s.rolloutOrDefault().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  private void deployDuration(String step, String what, Duration value) {
    if (value != null && !positive(value)) {
      deployment(step, "has " + what + " " + value + "; it must be positive.");
    }
  }

  /** The model and version must be the outputs of one register step of the deploy's model. */
  private void checkDeployedModel(Deploy d) {
    String n = d.name();
    String hint = "Deploy what a register step registered: p.deploy(\"" + n + "\", register).";
    if (d.model() == null || d.version() == null) {
      add(
          n,
          Rules.MISSING_INPUT,
          "Step '" + n + "' has no " + (d.model() == null ? "model" : "version") + ". " + hint);
      return;
    }
    for (OutputRef ref : List.of(d.model(), d.version())) {
      Step producer = byName.get(ref.step());
      if (producer != null && !(producer instanceof Register)) {
        deployment(
            n,
            "deploys "
                + ref.describe()
                + " of "
                + producer.kind()
                + " step '"
                + producer.name()
                + "'; a deploy serves a registered version. "
                + hint);
        return;
      }
    }
    if (!d.model().step().equals(d.version().step())) {
      deployment(
          n,
          "takes its model from '"
              + d.model().step()
              + "' but its version from '"
              + d.version().step()
              + "'; both come from one register step. "
              + hint);
      return;
    }
    if (byName.get(d.model().step()) instanceof Register r
        && d.modelName() != null
        && !d.modelName().equals(r.modelName())) {
      deployment(
          n,
          "names model '"
              + quote(d.modelName())
              + "' but register step '"
              + r.name()
              + "' registers '"
              + quote(String.valueOf(r.modelName()))
              + "'. Use the register step's model name.");
    }
  }

  /** Two deploy steps of one plan may not serve at one endpoint. */
  private void checkEndpoints() {
    Map<String, List<String>> byEndpoint = new LinkedHashMap<>();
    for (Step step : all) {
      if (step instanceof Deploy d && d.endpoint() != null) {
        byEndpoint.computeIfAbsent(d.endpoint(), e -> new ArrayList<>()).add(d.name());
      }
    }
    byEndpoint.forEach(
        (endpoint, steps) -> {
          if (steps.size() > 1) {
            for (String step : steps.subList(1, steps.size())) {
              deployment(
                  step,
                  "serves at endpoint '"
                      + quote(endpoint)
                      + "', as does '"
                      + steps.get(0)
                      + "'. One plan deploys to an endpoint once: give each deploy its own"
                      + " endpoint.");
            }
          }
        });
  }

  private void labeling(String step, String message) {
    add(step, Rules.INVALID_LABELING, "Label step '" + step + "' " + message);
  }

  private void checkLabel(Label l) {
    String n = l.name();
    List<String> classes = l.schema().classes();
    if (classes.isEmpty() && !l.schema().freeText()) {
      labeling(
          n,
          "has no classes. Name the answers, e.g. .classes(\"cat\", \"dog\"), or accept"
              + " any text with .freeText().");
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String c : classes) {
      if (c == null || c.isBlank()) {
        labeling(n, "has a blank class in " + classes + "; every class needs a name.");
      } else {
        counts.merge(c, 1, Integer::sum);
      }
    }
    counts.forEach(
        (c, count) -> {
          if (count > 1) {
            labeling(
                n, "lists class '" + quote(c) + "' " + count + " times; list each class once.");
          }
        });
    if (l.annotatorsPerItem() < 1 || l.annotatorsPerItem() > 9) {
      labeling(
          n,
          "asks for "
              + l.annotatorsPerItem()
              + " annotators per item; it must be 1 to 9,"
              + " e.g. .annotatorsPerItem(3).");
    }
    Double threshold = l.confidenceThreshold();
    if (threshold != null && !(threshold > 0 && threshold <= 1)) {
      labeling(
          n,
          "has confidence threshold "
              + threshold
              + "; it must be above 0 and at most 1,"
              + " e.g. .autoLabel(model, 0.95).");
    }
    if (l.model() == null && threshold != null) {
      labeling(
          n,
          "has a confidence threshold but no model to auto-label with. Name one with"
              + " .autoLabel(train.model(), "
              + threshold
              + ").");
    }
    if (l.model() == null && l.uncertainty() != null) {
      labeling(
          n,
          "orders items by "
              + l.uncertainty().name().toLowerCase(java.util.Locale.ROOT)
              + " but has no model to score them. Name one with .orderBy(train.model(), ...).");
    }
    if (l.model() != null && classes.isEmpty()) {
      labeling(
          n,
          "auto-labels with "
              + l.model().describe()
              + " but has no classes; a model"
              + " labels with one of the step's classes. List them with .classes(...).");
    }
    if (l.model() instanceof Literal literal
        && literal.value() instanceof String s
        && !s.startsWith("registry:")) {
      labeling(
          n,
          "names model '"
              + quote(s)
              + "'; a model is an earlier step's output or a"
              + " registry reference such as \"registry:fashion/production\".");
    }
    if (l.consolidation() == LabelPolicy.Consolidation.WEIGHTED
        && (l.goldColumn() == null || l.goldColumn().isBlank())) {
      labeling(
          n,
          "weighs answers by annotator accuracy but has no gold items to measure it."
              + " Name the column with known answers: .weightedByGold(\"known_label\").");
    }
    if (l.budget() != null && l.budget() < 1) {
      labeling(n, "has budget " + l.budget() + "; it must be at least 1 item.");
    }
    if (l.completion() == LabelPolicy.Completion.QUOTA) {
      if (l.quota() == null || l.quota() < 1) {
        labeling(
            n,
            "completes at a quota of "
                + l.quota()
                + " items; it must be at least 1,"
                + " e.g. .completeAtQuota(100).");
      } else if (l.budget() != null && l.quota() > l.budget()) {
        labeling(
            n,
            "completes at a quota of "
                + l.quota()
                + " items but its budget sends at"
                + " most "
                + l.budget()
                + " to people. Lower the quota or raise the budget.");
      }
    } else if (l.quota() != null) {
      labeling(
          n,
          "sets quota "
              + l.quota()
              + " but completes by rule '"
              + l.completion().name().toLowerCase(java.util.Locale.ROOT)
              + "'. Use .completeAtQuota("
              + l.quota()
              + ").");
    }
    if (l.deadline() != null && !positive(l.deadline())) {
      labeling(n, "has deadline " + l.deadline() + "; it must be positive.");
    }
    if (l.completion() == LabelPolicy.Completion.DEADLINE && l.deadline() == null) {
      labeling(
          n,
          "completes at its deadline but has none. Set it, e.g."
              + " .deadline(Duration.ofDays(7)).");
    }
    if (l.reminderInterval() != null) {
      if (!positive(l.reminderInterval())) {
        labeling(n, "has reminder interval " + l.reminderInterval() + "; it must be positive.");
      } else if (l.deadline() != null
          && positive(l.deadline())
          && l.reminderInterval().compareTo(l.deadline()) >= 0) {
        labeling(
            n,
            "reminds every "
                + l.reminderInterval()
                + " but its deadline is "
                + l.deadline()
                + ", so no reminder would come before it. Remind more often.");
      }
    }
    Map<String, Integer> names = new LinkedHashMap<>();
    for (String a : l.annotators()) {
      if (a == null || !NAME.matcher(a).matches()) {
        labeling(
            n,
            "assigns annotator '"
                + (a == null ? "null" : quote(a))
                + "', which is not a"
                + " valid name. "
                + nameRule());
      } else {
        names.merge(a, 1, Integer::sum);
      }
    }
    names.forEach(
        (a, count) -> {
          if (count > 1) {
            labeling(n, "assigns annotator '" + a + "' " + count + " times; assign each once.");
          }
        });
    if (names.size() < l.annotatorsPerItem()) {
      labeling(
          n,
          "asks for "
              + l.annotatorsPerItem()
              + " annotators per item but assigns "
              + names.size()
              + " "
              + names.keySet()
              + ". Assign at least "
              + l.annotatorsPerItem()
              + " with .annotators(...).");
    }
    checkMoreAnnotators(l, names.size());
    if (l.retrainEvery() != null) {
      if (l.retrainEvery() < 1) {
        labeling(
            n,
            "retrains every "
                + l.retrainEvery()
                + " human labels; it must be at least 1, e.g. .retrainEvery(50).");
      }
      if (l.model() == null) {
        labeling(
            n,
            "retrains its model every "
                + l.retrainEvery()
                + " human labels but has no model. Name one with .autoLabel(train.model(), 0.95).");
      }
    }
    if (l.retrainEpochs() != null && l.retrainEpochs() < 1) {
      labeling(n, "retrains for " + l.retrainEpochs() + " epochs; it must be at least 1.");
    }
    Double rate = l.retrainLearningRate();
    if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
      labeling(n, "retrains with learning rate " + rate + "; it must be a positive number.");
    }
    if ((l.retrainEpochs() != null || rate != null) && l.retrainEvery() == null) {
      labeling(
          n,
          "sets how to retrain but never retrains. Use .retrainEvery(50, epochs, learningRate).");
    }
  }

  /** The low-agreement policy: a threshold and a cap above the per-item count, within 9. */
  private void checkMoreAnnotators(Label l, int assigned) {
    String n = l.name();
    Double threshold = l.agreementThreshold();
    Integer max = l.maxAnnotatorsPerItem();
    if (threshold == null && max == null) {
      return;
    }
    if (threshold == null || max == null) {
      labeling(
          n,
          "sets "
              + (threshold == null
                  ? "maxAnnotatorsPerItem " + max + " but no agreementThreshold"
                  : "agreementThreshold " + threshold + " but no maxAnnotatorsPerItem")
              + "; set both, e.g. .moreAnnotatorsBelow(0.7, 5).");
      return;
    }
    if (!(threshold > 0 && threshold <= 1)) {
      labeling(
          n,
          "asks for more annotators below agreement "
              + threshold
              + "; it must be above 0 and at most 1, e.g. .moreAnnotatorsBelow(0.7, 5).");
    }
    if (l.annotatorsPerItem() == 1) {
      labeling(
          n,
          "asks for more annotators below agreement "
              + threshold
              + " but has one annotator per item, whose answer always agrees with itself. Ask"
              + " for at least 2 with .annotatorsPerItem(2).");
    }
    if (max <= l.annotatorsPerItem() || max > 9) {
      labeling(
          n,
          "allows at most "
              + max
              + " annotators per item with extra annotators; it must be more than its "
              + l.annotatorsPerItem()
              + " annotators per item and at most 9.");
    } else if (max > assigned) {
      labeling(
          n,
          "allows up to "
              + max
              + " annotators per item but assigns "
              + assigned
              + "; an item can only get answers from different assigned annotators. Assign at"
              + " least "
              + max
              + " with .annotators(...) or lower the maximum.");
    }
  }

  private void checkArchitecture(Train t) {
    String n = t.name();
    if (t.architecture() == Architecture.CNN && t.task() == Task.REGRESSION) {
      add(
          n,
          Rules.INVALID_VALUE,
          "Step '"
              + n
              + "' trains the CNN for a regression; the CNN classifies images. Use"
              + " .classification(), or the MLP for a regression.");
    }
    if (!t.hiddenLayers().isEmpty()
        && (t.architecture() == Architecture.CNN || t.pretrained() != null)) {
      add(
          n,
          Rules.INVALID_VALUE,
          "Step '"
              + n
              + "' sets hiddenLayers "
              + t.hiddenLayers()
              + " but its network "
              + (t.pretrained() != null
                  ? "comes from the pretrained model " + t.pretrained().describe()
                  : "is the CNN, whose layers are fixed")
              + "; hidden layers shape the MLP only. Remove .hiddenLayers(...).");
    }
  }

  private void checkFineTune(Train t) {
    FineTune fineTune = t.fineTune();
    if (fineTune == null) {
      return;
    }
    String n = t.name();
    for (String name : fineTune.freeze()) {
      if (name == null || name.isBlank() || name.equals(".*")) {
        add(
            n,
            Rules.INVALID_VALUE,
            "Step '"
                + n
                + "' freezes a blank name; name parameters or blocks, e.g. .freeze(\"features\").");
      }
    }
    fineTune
        .learningRates()
        .forEach(
            (prefix, rate) -> {
              if (prefix.isBlank()) {
                add(
                    n,
                    Rules.INVALID_VALUE,
                    "Step '"
                        + n
                        + "' sets a learning rate for a blank prefix; name a parameter or block,"
                        + " e.g. .learningRate(\"head\", 0.01), or set the step's rate with"
                        + " .learningRate(0.01).");
              }
              if (rate == null || !(rate > 0 && Double.isFinite(rate))) {
                add(
                    n,
                    Rules.INVALID_VALUE,
                    "Step '"
                        + n
                        + "' sets learning rate "
                        + rate
                        + " for '"
                        + quote(prefix)
                        + "'; it must be a positive finite number, e.g. .learningRate(\""
                        + quote(prefix)
                        + "\", 0.0001).");
              }
            });
    if (t.pretrained() == null) {
      List<String> set = new ArrayList<>();
      if (!fineTune.freeze().isEmpty()) {
        set.add("freeze " + fineTune.freeze());
      }
      if (fineTune.newHead()) {
        set.add("newHead");
      }
      if (!fineTune.learningRates().isEmpty()) {
        set.add("learning rates by part " + fineTune.learningRates().keySet());
      }
      if (!set.isEmpty()) {
        add(
            n,
            Rules.INVALID_FINE_TUNING,
            "Step '"
                + n
                + "' sets "
                + String.join(", ", set)
                + " but has no pretrained model to fine-tune. Start from one with"
                + " .pretrained(earlierTrain.model()) or .pretrained(\"/path/to/model\"), or"
                + " remove the fine-tuning settings to train from scratch.");
      }
    }
    if (fineTune.newHead() && t.task() == Task.REGRESSION) {
      add(
          n,
          Rules.INVALID_FINE_TUNING,
          "Step '"
              + n
              + "' asks for a new head on a regression; a new head has one output per class of"
              + " the training labels. Use .classification(), or drop .newHead().");
    }
  }

  private void checkEarlyStopping(Train t) {
    EarlyStopping stopping = t.earlyStopping();
    if (stopping == null) {
      return;
    }
    String n = t.name();
    if (!EarlyStopping.METRICS.contains(stopping.metric())) {
      add(
          n,
          Rules.INVALID_EARLY_STOPPING,
          "Step '"
              + n
              + "' stops early on metric '"
              + quote(stopping.metric())
              + "'"
              + Suggestions.didYouMeanOrStop(stopping.metric(), EarlyStopping.METRICS)
              + " Early stopping watches one of "
              + EarlyStopping.METRICS
              + ".");
    } else if (stopping.metric().equals("validation_loss") && t.validation() == null) {
      add(
          n,
          Rules.INVALID_EARLY_STOPPING,
          "Step '"
              + n
              + "' stops early on 'validation_loss' but has no validation set. Pass one with"
              + " .validation(features.validation()).");
    }
    if (stopping.patience() < 1) {
      add(
          n,
          Rules.INVALID_EARLY_STOPPING,
          "Step '"
              + n
              + "' has early-stopping patience "
              + stopping.patience()
              + "; it must be at least 1 epoch, e.g. .earlyStopping(0.001, 3).");
    }
    if (!(stopping.minDelta() >= 0) || Double.isInfinite(stopping.minDelta())) {
      add(
          n,
          Rules.INVALID_EARLY_STOPPING,
          "Step '"
              + n
              + "' has early-stopping minDelta "
              + stopping.minDelta()
              + "; it must be a finite number of at least 0, e.g. .earlyStopping(0.001, 3).");
    }
  }

  private void checkLabelNotListed(Features f, String list, List<String> columns) {
    if (columns.contains(f.label())) {
      add(
          f.name(),
          Rules.INVALID_VALUE,
          "Step '"
              + f.name()
              + "' lists its label '"
              + f.label()
              + "' in "
              + list
              + "; the label passes through untouched. Remove '"
              + f.label()
              + "' from "
              + list
              + ".");
    }
  }

  private void checkFraction(String step, String which, double value) {
    if (!(value > 0 && value < 1)) {
      add(
          step,
          Rules.INVALID_VALUE,
          "Step '"
              + step
              + "' has "
              + which
              + " fraction "
              + value
              + "; each fraction must be above 0 and below 1, e.g. .ratios(0.8, 0.1, 0.1).");
    }
  }

  private void checkAtLeastOne(String step, String field, Operand operand) {
    if (operand instanceof Literal literal
        && literal.value() instanceof Number number
        && !(number.doubleValue() >= 1)) {
      add(
          step,
          Rules.INVALID_VALUE,
          "Step '" + step + "' has " + field + " " + number + "; it must be at least 1.");
    }
  }

  private void checkOptions(String step, StepOptions options) {
    checkPositive(step, "timeout", options.timeout());
    checkPositive(step, "heartbeatTimeout", options.heartbeatTimeout());
    RetrySpec retry = options.retry();
    if (retry != null) {
      checkPositive(step, "retry initialInterval", retry.initialInterval());
      checkPositive(step, "retry maximumInterval", retry.maximumInterval());
      if (positive(retry.initialInterval())
          && positive(retry.maximumInterval())
          && retry.maximumInterval().compareTo(retry.initialInterval()) < 0) {
        add(
            step,
            Rules.INVALID_VALUE,
            "Step '"
                + step
                + "' has retry maximumInterval "
                + retry.maximumInterval()
                + " shorter than its initialInterval "
                + retry.initialInterval()
                + "; make maximumInterval at least initialInterval.");
      }
    }
    if (options.taskQueue() != null && options.taskQueue().isBlank()) {
      add(
          step,
          Rules.INVALID_VALUE,
          "Step '"
              + step
              + "' has a blank task queue; name a queue or leave it unset for the run's own.");
    }
  }

  private void checkPositive(String step, String field, Duration value) {
    if (value != null && !positive(value)) {
      add(
          step,
          Rules.INVALID_VALUE,
          "Step '" + step + "' has " + field + " " + value + "; it must be positive.");
    }
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private void checkSize(String step, String where, String value) {
    if (value == null || value.length() * 3L <= PipelineCompiler.MAX_LITERAL_BYTES) {
      return;
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > PipelineCompiler.MAX_LITERAL_BYTES) {
      add(
          step,
          Rules.LITERAL_TOO_LARGE,
          "The string in "
              + where
              + " is "
              + bytes
              + " bytes; plan strings are limited to "
              + PipelineCompiler.MAX_LITERAL_BYTES / 1024
              + " KB ("
              + PipelineCompiler.MAX_LITERAL_BYTES
              + " bytes) because plans travel in workflow payloads. Put the data in a file and"
              + " ingest it, or pass its path.");
    }
  }

  // ---------------------------------------------------------------- cycles

  private void checkCycles() {
    for (List<String> cycle : graph.cycles()) {
      add(
          cycle.get(0),
          Rules.CYCLE,
          "Steps "
              + cycle.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" -> "))
              + " form a cycle: each waits for the one before it, so none can start. Remove one"
              + " of the references (output, metric or after) that close it.");
    }
  }

  // ---------------------------------------------------------------- wording

  private static String where(Step step, String input) {
    if (step instanceof Condition) {
      return "its expression";
    }
    if (step instanceof Fail && input.startsWith("arg")) {
      return "argument " + (Integer.parseInt(input.substring(3)) + 1);
    }
    if (step instanceof Register && input.startsWith("metric.")) {
      return "metric '" + input.substring("metric.".length()) + "'";
    }
    return "input '" + input + "'";
  }

  private String stepHint(String missing) {
    String suggestion = Suggestions.didYouMeanOrStop(missing, byName.keySet());
    return suggestion.equals(".") ? ". Steps: " + byName.keySet() + "." : suggestion;
  }

  private static String describeOutputs(Step step) {
    return new TreeMap<>(step.outputs())
        .entrySet().stream()
            .map(e -> e.getKey() + " (" + e.getValue().label() + ")")
            .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String nameRule() {
    return "Names start with a letter and hold at most 64 letters, digits, '_' or '-'.";
  }

  private static String article(ValueType type) {
    String label = type.label();
    return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
  }

  private static ValueType javaType(Object value) {
    if (value instanceof String) {
      return ValueType.STRING;
    }
    if (value instanceof Boolean) {
      return ValueType.BOOLEAN;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ValueType.INTEGER;
    }
    return value instanceof Number ? ValueType.DOUBLE : null;
  }

  private static String javaTypeLabel(Object value) {
    ValueType type = javaType(value);
    return type == null ? "a " + value.getClass().getSimpleName() : article(type);
  }

  static String declaration(ValueType type) {
    if (type == null) {
      return "a scalar type";
    }
    return switch (type) {
      case STRING -> "p.stringParam(...)";
      case INTEGER -> "p.intParam(...)";
      case DOUBLE -> "p.doubleParam(...)";
      case BOOLEAN -> "p.booleanParam(...)";
      default -> "a scalar type (" + type.label() + " cannot be a parameter)";
    };
  }

  /** A value for a message: strings quoted and cut short, so a huge value cannot flood it. */
  static String show(Object value) {
    if (value instanceof String s) {
      return "\"" + quote(s) + "\"";
    }
    return String.valueOf(value);
  }

  /** {@code s}, cut to 60 characters. */
  static String quote(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
