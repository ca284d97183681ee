package dev.lifecycle.activities.monitoring;

import dev.lifecycle.activities.monitoring.CategoricalSummary.CategoryCount;
import dev.lifecycle.activities.monitoring.DriftReport.CheckResult;
import dev.lifecycle.activities.monitoring.DriftReport.FeatureReport;
import dev.lifecycle.activities.monitoring.DriftReport.ModelQualityResult;
import dev.lifecycle.activities.monitoring.DriftReport.RuleResult;
import dev.lifecycle.activities.monitoring.DriftReport.SchemaDifference;
import dev.lifecycle.activities.monitoring.DriftReport.Status;
import dev.lifecycle.activities.monitoring.DriftReport.Verdict;
import dev.lifecycle.activities.monitoring.DriftReport.Violation;
import dev.lifecycle.activities.monitoring.DriftReport.ViolationKind;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a window of captured data against a {@link Baseline} and reports, never throwing for bad
 * input: a window that is empty, unreadable or shares no column with the baseline gives a report
 * with status {@link Status#INVALID_INPUT} that says why; a feature missing from the window is a
 * {@link ViolationKind#MISSING_FEATURE} violation and the other features are still checked.
 *
 * <p>Per feature, in order: type (the window column holds the baseline's kind of value),
 * completeness, range (numeric), known categories (categorical), then each drift check of the
 * constraints. PSI and Jensen–Shannon use the baseline's stored histogram (numeric) or category
 * counts (categorical); Kolmogorov–Smirnov and Wasserstein read the baseline's values from its
 * dataset, once per call. For categorical features whose statistics list only the most frequent
 * categories, every other category is pooled as {@value #OTHER} on both sides.
 */
public final class DriftChecker {
  /** The pooled category for categories a truncated baseline listing does not name. */
  public static final String OTHER = "(other)";

  /** Unseen categories named in a violation. */
  private static final int LISTED = 10;

  /** Categories listed in a report's window statistics. */
  private static final int REPORTED_CATEGORIES = 100;

  private final Baseline baseline;
  private final Map<String, String> plots;
  private final Map<String, double[]> baselineValues = new HashMap<>();
  private ParquetColumns baselineData;
  private String baselineDataProblem;

  private DriftChecker(Baseline baseline, Map<String, String> plots) {
    this.baseline = Objects.requireNonNull(baseline, "baseline");
    this.plots = plots;
  }

  /** Checks a Parquet file of captured data. */
  public static DriftReport check(Baseline baseline, Path windowParquet) {
    return check(baseline, windowParquet, null);
  }

  /**
   * Checks a Parquet file of captured data and puts into {@code plots} (when not null) one SVG per
   * checked feature: the baseline's and the window's distributions over the baseline's bins
   * (numeric) or categories (categorical), keyed by feature name.
   */
  public static DriftReport check(
      Baseline baseline, Path windowParquet, Map<String, String> plots) {
    String name = windowParquet.toString();
    Window window;
    try {
      window = Window.of(new ParquetColumns(windowParquet, "window"), name);
    } catch (IllegalArgumentException e) {
      return invalid(baseline, name, 0, List.of(e.getMessage()), emptySchema());
    }
    try (window) {
      return new DriftChecker(baseline, plots).run(window);
    }
  }

  /**
   * Checks rows of captured data (see {@link Window#of(List, String)} for the value types), named
   * {@code windowName} in the report.
   */
  public static DriftReport check(
      Baseline baseline, List<? extends Map<String, ?>> rows, String windowName) {
    try (Window window = Window.of(rows, windowName)) {
      return new DriftChecker(baseline, null).run(window);
    }
  }

  private DriftReport run(Window window) {
    try {
      return checkWindow(window);
    } finally {
      if (baselineData != null) {
        baselineData.close();
      }
    }
  }

  private DriftReport checkWindow(Window window) {
    Map<String, String> columns = window.columnTypes();
    List<String> missing = new ArrayList<>();
    List<String> typeMismatches = new ArrayList<>();
    List<FeatureConstraints> present = new ArrayList<>();
    for (FeatureConstraints f : baseline.constraints().features()) {
      if (!columns.containsKey(f.name())) {
        missing.add(f.name());
        continue;
      }
      present.add(f);
      FeatureKind observed = window.kindOf(f.name());
      if (observed != f.kind() && (observed != null || window.hasValues(f.name()))) {
        typeMismatches.add(f.name() + ": " + baselineType(f) + " -> " + columns.get(f.name()));
      }
    }
    Set<String> constrained =
        Set.copyOf(
            baseline.constraints().features().stream().map(FeatureConstraints::name).toList());
    List<String> extra = columns.keySet().stream().filter(c -> !constrained.contains(c)).toList();
    SchemaDifference schema = new SchemaDifference(missing, extra, typeMismatches);

    List<String> problems = new ArrayList<>();
    if (window.rows() == 0) {
      problems.add("The window '" + window.name() + "' has no rows: there is nothing to check");
      return invalid(baseline, window.name(), 0, problems, schema);
    }
    if (present.isEmpty() && !baseline.constraints().features().isEmpty()) {
      problems.add(
          "The window '"
              + window.name()
              + "' shares no column with the baseline: it looks like a"
              + " baseline for a different schema. Baseline features missing from the window: "
              + missing
              + "; window columns not in the baseline: "
              + extra);
      return invalid(baseline, window.name(), window.rows(), problems, schema);
    }

    List<Violation> violations = new ArrayList<>();
    for (String name : missing) {
      violations.add(
          new Violation(
              name,
              ViolationKind.MISSING_FEATURE,
              "Feature '"
                  + name
                  + "' is in the baseline but not in the window. Window columns: "
                  + columns.keySet()));
    }
    if (!missing.isEmpty()) {
      problems.add("Features missing from the window, not checked: " + missing);
    }
    List<FeatureReport> reports = new ArrayList<>();
    for (FeatureConstraints f : present) {
      reports.add(checkFeature(window, f, violations));
    }
    ModelQualityResult quality = null;
    if (baseline.constraints().modelQuality() != null) {
      quality =
          QualityChecks.modelQuality(baseline.constraints().modelQuality(), window, violations);
      if (quality.verdict() == Verdict.NOT_RUN) {
        problems.add("Model quality not measured: " + quality.detail());
      }
    }
    List<RuleResult> rules =
        QualityChecks.rules(baseline.constraints().rules(), window, violations);
    for (RuleResult rule : rules) {
      if (rule.verdict() == Verdict.NOT_RUN) {
        problems.add("Rule '" + rule.name() + "' not evaluated: " + rule.detail());
      }
    }
    Status status = violations.isEmpty() ? Status.OK : Status.VIOLATIONS;
    return new DriftReport(
        status,
        window.name(),
        window.rows(),
        baseline.statistics().dataset(),
        problems,
        schema,
        reports,
        violations,
        quality,
        rules);
  }

  private String baselineType(FeatureConstraints f) {
    String type =
        baseline.statistics().feature(f.name()).map(FeatureStatistics::columnType).orElse(null);
    String kind = f.kind().name().toLowerCase(Locale.ROOT);
    return type == null ? kind : kind + " (" + type + ")";
  }

  private FeatureReport checkFeature(
      Window window, FeatureConstraints f, List<Violation> violations) {
    String name = f.name();
    List<CheckResult> checks = new ArrayList<>();
    FeatureKind observed = window.kindOf(name);
    if (observed == null && window.hasValues(name)) {
      String detail =
          "Feature '"
              + name
              + "' is "
              + baselineType(f)
              + " in the baseline but "
              + window.columnTypes().get(name)
              + " in the window, which cannot be monitored";
      checks.add(new CheckResult("type", null, null, Verdict.FAIL, detail));
      violations.add(new Violation(name, ViolationKind.TYPE_MISMATCH, detail));
      return new FeatureReport(name, f.kind(), null, null, checks);
    }
    ColumnValues column = window.read(name, f.kind());
    if (observed != null && observed != f.kind()) {
      String detail =
          "Feature '"
              + name
              + "' is "
              + baselineType(f)
              + " in the baseline but "
              + window.columnTypes().get(name)
              + " in the window";
      checks.add(new CheckResult("type", null, null, Verdict.FAIL, detail));
      violations.add(new Violation(name, ViolationKind.TYPE_MISMATCH, detail));
    }
    if (column.typeMismatches() > 0) {
      String detail =
          column.typeMismatches()
              + " of "
              + column.size()
              + " values of '"
              + name
              + "' are not "
              + (f.kind() == FeatureKind.NUMERIC ? "numbers" : "categories")
              + " (e.g. '"
              + column.mismatchExample()
              + "'); they count as missing";
      checks.add(
          new CheckResult("type", (double) column.typeMismatches(), 0.0, Verdict.FAIL, detail));
      violations.add(new Violation(name, ViolationKind.TYPE_MISMATCH, detail));
    }
    if (f.kind() == FeatureKind.NUMERIC) {
      NumericSummary summary =
          NumericSummary.of(
              name,
              column.numbers(),
              NumericSummary.DEFAULT_QUANTILES.stream().mapToDouble(Double::doubleValue).toArray());
      completeness(f, summary.completeness(), checks, violations);
      range(f, column.numbers(), summary, checks, violations);
      for (DriftCheck d : f.drift()) {
        checks.add(drift(f, d, () -> numericDrift(f, d, column.numbers()), violations));
      }
      plotNumeric(name, column.numbers(), checks);
      return new FeatureReport(name, f.kind(), summary, null, checks);
    }
    List<String> values = Arrays.asList(column.strings());
    CategoricalSummary summary = CategoricalSummary.of(values, Integer.MAX_VALUE);
    completeness(f, summary.completeness(), checks, violations);
    categories(f, summary, checks, violations);
    for (DriftCheck d : f.drift()) {
      checks.add(drift(f, d, () -> categoricalDrift(f, d, summary), violations));
    }
    plotCategorical(name, summary, checks);
    return new FeatureReport(
        name, f.kind(), null, CategoricalSummary.of(values, REPORTED_CATEGORIES), checks);
  }

  private static void completeness(
      FeatureConstraints f, double value, List<CheckResult> checks, List<Violation> violations) {
    boolean ok = value >= f.completeness();
    String detail =
        String.format(
            Locale.ROOT,
            "%.4f of the values are present; the constraint asks for at least %.4f",
            value,
            f.completeness());
    checks.add(
        new CheckResult(
            "completeness", value, f.completeness(), ok ? Verdict.PASS : Verdict.FAIL, detail));
    if (!ok) {
      violations.add(
          new Violation(
              f.name(), ViolationKind.COMPLETENESS, "Feature '" + f.name() + "': " + detail));
    }
  }

  private static void range(
      FeatureConstraints f,
      double[] values,
      NumericSummary summary,
      List<CheckResult> checks,
      List<Violation> violations) {
    if (f.range() == null) {
      return;
    }
    if (summary.count() == 0) {
      checks.add(new CheckResult("range", null, null, Verdict.NOT_RUN, "no values present"));
      return;
    }
    long outside = 0;
    for (double v : values) {
      if (!Double.isNaN(v) && (v < f.range().min() || v > f.range().max())) {
        outside++;
      }
    }
    String detail =
        outside
            + " of "
            + summary.count()
            + " values outside ["
            + f.range().min()
            + ", "
            + f.range().max()
            + "]; window min "
            + summary.min()
            + ", max "
            + summary.max();
    checks.add(
        new CheckResult(
            "range", (double) outside, null, outside == 0 ? Verdict.PASS : Verdict.FAIL, detail));
    if (outside > 0) {
      violations.add(
          new Violation(
              f.name(), ViolationKind.OUT_OF_RANGE, "Feature '" + f.name() + "': " + detail));
    }
  }

  private static void categories(
      FeatureConstraints f,
      CategoricalSummary summary,
      List<CheckResult> checks,
      List<Violation> violations) {
    if (f.knownCategories() == null) {
      return;
    }
    Set<String> known = Set.copyOf(f.knownCategories());
    long unseen = 0;
    List<String> examples = new ArrayList<>();
    for (CategoryCount c : summary.categories()) {
      if (!known.contains(c.value())) {
        unseen += c.count();
        if (examples.size() < LISTED) {
          examples.add(c.value() + " (" + c.count() + ")");
        }
      }
    }
    String detail =
        unseen == 0
            ? "every value is a known category"
            : unseen + " values in categories the baseline does not know: " + examples;
    checks.add(
        new CheckResult(
            "categories",
            (double) unseen,
            null,
            unseen == 0 ? Verdict.PASS : Verdict.FAIL,
            detail));
    if (unseen > 0) {
      violations.add(
          new Violation(
              f.name(), ViolationKind.UNSEEN_CATEGORIES, "Feature '" + f.name() + "': " + detail));
    }
  }

  /** A drift statistic's value and a sentence about it. */
  private record Measured(double value, String detail) {}

  private interface Measurement {
    Measured measure();
  }

  private CheckResult drift(
      FeatureConstraints f, DriftCheck d, Measurement measurement, List<Violation> violations) {
    String predictionColumn = baseline.constraints().predictionColumn();
    String check = "drift:" + d.method().jsonName();
    Measured m;
    try {
      m = measurement.measure();
    } catch (IllegalArgumentException | IllegalStateException e) {
      return new CheckResult(check, null, d.threshold(), Verdict.NOT_RUN, e.getMessage());
    }
    boolean drifted = d.method().drifted(m.value(), d.threshold());
    String detail =
        m.detail()
            + (d.method().isPValue()
                ? (drifted ? "; below " : "; not below ") + "the threshold " + d.threshold()
                : (drifted ? "; above " : "; not above ") + "the threshold " + d.threshold());
    if (drifted) {
      boolean prediction = f.name().equals(predictionColumn);
      violations.add(
          new Violation(
              f.name(),
              prediction ? ViolationKind.PREDICTION_DRIFT : ViolationKind.DRIFT,
              (prediction ? "Predictions ('" + f.name() + "')" : "Feature '" + f.name() + "'")
                  + " drifted by "
                  + d.method().jsonName()
                  + ": "
                  + detail));
    }
    return new CheckResult(
        check, m.value(), d.threshold(), drifted ? Verdict.FAIL : Verdict.PASS, detail);
  }

  private Measured numericDrift(FeatureConstraints f, DriftCheck d, double[] current) {
    String name = f.name();
    FeatureStatistics stats = statisticsOf(name);
    switch (d.method()) {
      case PSI, JENSEN_SHANNON -> {
        if (stats.histogram() == null) {
          throw new IllegalStateException("the baseline has no histogram of '" + name + "'");
        }
        double[] present = DriftStatistics.present(name, DriftStatistics.CURRENT, current);
        long[] base = stats.histogram().countArray();
        long[] now = DriftStatistics.histogram(stats.histogram().cutArray(), present);
        if (d.method() == DriftMethod.PSI) {
          double psi = DriftStatistics.psi(name, base, now);
          return new Measured(psi, "PSI " + fmt(psi));
        }
        double js = DriftStatistics.jensenShannon(name, base, now);
        return new Measured(js, "Jensen-Shannon distance " + fmt(js));
      }
      case KOLMOGOROV_SMIRNOV -> {
        KolmogorovSmirnov.Result r =
            DriftStatistics.kolmogorovSmirnov(name, baselineValues(name), current);
        return new Measured(
            r.pValue(),
            "KS statistic "
                + fmt(r.statistic())
                + ", p-value "
                + fmt(r.pValue())
                + " ("
                + r.method().name().toLowerCase(Locale.ROOT)
                + ")");
      }
      case WASSERSTEIN -> {
        double w = DriftStatistics.wasserstein(name, baselineValues(name), current);
        return new Measured(w, "Wasserstein distance " + fmt(w));
      }
      default ->
          throw new IllegalArgumentException(
              d.method().jsonName() + " does not apply to numeric feature '" + name + "'");
    }
  }

  private Measured categoricalDrift(
      FeatureConstraints f, DriftCheck d, CategoricalSummary current) {
    String name = f.name();
    CategoricalSummary base = statisticsOf(name).categorical();
    if (base == null) {
      throw new IllegalStateException("the baseline has no category counts of '" + name + "'");
    }
    Map<String, Long> baseCounts = new LinkedHashMap<>(base.countsByCategory());
    Map<String, Long> nowCounts = new LinkedHashMap<>();
    for (CategoryCount c : current.categories()) {
      String key = base.truncated() && !baseCounts.containsKey(c.value()) ? OTHER : c.value();
      nowCounts.merge(key, c.count(), Long::sum);
    }
    if (base.truncated()) {
      long listed = baseCounts.values().stream().mapToLong(Long::longValue).sum();
      baseCounts.merge(OTHER, base.count() - listed, Long::sum);
    }
    ChiSquareResult chi = DriftStatistics.chiSquare(name, baseCounts, nowCounts, true);
    String unseen =
        chi.unseenCategories().isEmpty() ? "" : "; unseen categories " + chi.unseenCategories();
    switch (d.method()) {
      case CHI_SQUARE -> {
        return new Measured(
            chi.pValue(),
            "chi-square "
                + fmt(chi.statistic())
                + " with "
                + chi.degreesOfFreedom()
                + " degrees of freedom"
                + (chi.yatesCorrected() ? " (Yates-corrected)" : "")
                + ", p-value "
                + fmt(chi.pValue())
                + unseen);
      }
      case PSI, JENSEN_SHANNON -> {
        List<String> categories = chi.categories();
        long[] b = new long[categories.size()];
        long[] c = new long[categories.size()];
        for (int i = 0; i < categories.size(); i++) {
          b[i] = baseCounts.getOrDefault(categories.get(i), 0L);
          c[i] = nowCounts.getOrDefault(categories.get(i), 0L);
        }
        double value =
            d.method() == DriftMethod.PSI
                ? DriftStatistics.psi(name, b, c)
                : DriftStatistics.jensenShannon(name, b, c);
        return new Measured(
            value,
            (d.method() == DriftMethod.PSI ? "PSI " : "Jensen-Shannon distance ")
                + fmt(value)
                + " over "
                + categories.size()
                + " categories"
                + unseen);
      }
      default ->
          throw new IllegalArgumentException(
              d.method().jsonName() + " does not apply to categorical feature '" + name + "'");
    }
  }

  /** The checks' verdicts in one line, for a plot's subtitle. */
  private static String subtitle(List<CheckResult> checks) {
    List<String> parts = new ArrayList<>();
    for (CheckResult c : checks) {
      if (c.check().startsWith("drift:") && c.value() != null) {
        parts.add(
            c.check().substring("drift:".length())
                + " "
                + fmt(c.value())
                + " ("
                + c.verdict().name().toLowerCase(Locale.ROOT)
                + ")");
      }
    }
    return parts.isEmpty() ? "baseline and window distributions" : String.join(", ", parts);
  }

  private void plotNumeric(String name, double[] values, List<CheckResult> checks) {
    if (plots == null) {
      return;
    }
    FeatureStatistics stats = baseline.statistics().feature(name).orElse(null);
    if (stats == null || stats.histogram() == null) {
      return;
    }
    double[] cuts = stats.histogram().cutArray();
    double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    long[] now = DriftStatistics.histogram(cuts, present);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i <= cuts.length; i++) {
      labels.add(
          i == 0
              ? "< " + short3(cuts[0])
              : i == cuts.length
                  ? ">= " + short3(cuts[i - 1])
                  : short3(cuts[i - 1]) + "–" + short3(cuts[i]));
    }
    plots.put(
        name,
        dev.lifecycle.activities.evaluation.plot.DistributionChart.render(
            name, subtitle(checks), labels, stats.histogram().countArray(), now));
  }

  private void plotCategorical(String name, CategoricalSummary current, List<CheckResult> checks) {
    if (plots == null) {
      return;
    }
    FeatureStatistics stats = baseline.statistics().feature(name).orElse(null);
    if (stats == null || stats.categorical() == null) {
      return;
    }
    Map<String, Long> base = stats.categorical().countsByCategory();
    Map<String, Long> now = current.countsByCategory();
    java.util.LinkedHashSet<String> categories = new java.util.LinkedHashSet<>(base.keySet());
    now.keySet().stream().sorted().forEach(categories::add);
    List<String> labels = categories.stream().limit(40).toList();
    long[] b = labels.stream().mapToLong(c -> base.getOrDefault(c, 0L)).toArray();
    long[] w = labels.stream().mapToLong(c -> now.getOrDefault(c, 0L)).toArray();
    plots.put(
        name,
        dev.lifecycle.activities.evaluation.plot.DistributionChart.render(
            name, subtitle(checks), labels, b, w));
  }

  private static String short3(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private FeatureStatistics statisticsOf(String name) {
    return baseline
        .statistics()
        .feature(name)
        .orElseThrow(
            () -> new IllegalStateException("the baseline has no statistics of '" + name + "'"));
  }

  /** The baseline's raw values of a numeric feature, read from its dataset once. */
  private double[] baselineValues(String name) {
    double[] cached = baselineValues.get(name);
    if (cached != null) {
      return cached;
    }
    if (baselineDataProblem != null) {
      throw new IllegalStateException(baselineDataProblem);
    }
    if (baselineData == null) {
      String dataset = baseline.statistics().dataset();
      try {
        baselineData = new ParquetColumns(Path.of(dataset), "baseline");
      } catch (IllegalArgumentException e) {
        baselineDataProblem =
            "the baseline's values are needed and cannot be read: " + e.getMessage();
        throw new IllegalStateException(baselineDataProblem, e);
      }
    }
    if (!baselineData.types().containsKey(name)) {
      throw new IllegalStateException(
          "the baseline dataset '"
              + baseline.statistics().dataset()
              + "' has no column '"
              + name
              + "'");
    }
    double[] values = baselineData.read(name, FeatureKind.NUMERIC).numbers();
    baselineValues.put(name, values);
    return values;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static SchemaDifference emptySchema() {
    return new SchemaDifference(List.of(), List.of(), List.of());
  }

  private static DriftReport invalid(
      Baseline baseline, String window, long rows, List<String> problems, SchemaDifference schema) {
    return new DriftReport(
        Status.INVALID_INPUT,
        window,
        rows,
        baseline.statistics().dataset(),
        problems,
        schema,
        List.of(),
        List.of(),
        null,
        List.of());
  }
}
