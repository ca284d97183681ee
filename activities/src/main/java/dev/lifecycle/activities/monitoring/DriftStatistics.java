package dev.lifecycle.activities.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.special.Gamma;

/**
 * Drift statistics between a baseline sample and a current sample of one feature, matching SciPy
 * 1.10 / NumPy 1.24 (the committed fixtures hold them to 1e-9).
 *
 * <p><b>Missing values.</b> {@code NaN} is a missing value: every method here drops it before
 * computing (the summary statistics count it in {@code missing}). A sample with no value left is a
 * {@link DriftInputException} naming the feature and the sample. Infinite values are rejected the
 * same way, since they make the distances infinite or undefined.
 *
 * <p><b>Bins.</b> PSI and Jensen–Shannon compare histograms over bins fixed from the baseline: the
 * cut points are the distinct baseline quantiles at {@code i / bins}, {@code i = 1..bins-1}
 * (NumPy's default linear quantile), and a value {@code x} falls in bin {@code #{cuts <= x}}, so
 * the bins are {@code (-inf, c1), [c1, c2), ..., [c_last, +inf)} and values outside the baseline's
 * range land in the outer bins. Ties in the baseline merge bins, so there may be fewer than {@code
 * bins}.
 */
public final class DriftStatistics {
  /** The name of the reference sample in error messages and reports. */
  public static final String BASELINE = "baseline";

  /** The name of the sample being checked in error messages and reports. */
  public static final String CURRENT = "current";

  /** Quantile bins for PSI and Jensen–Shannon unless a baseline says otherwise. */
  public static final int DEFAULT_BINS = 10;

  /**
   * The proportion substituted for an empty bin in PSI, on either side, so that the logarithm is
   * finite: an empty bin contributes as if it held 0.01% of its sample. (Jensen–Shannon needs no
   * such epsilon; it is finite with empty bins.)
   */
  public static final double PSI_EPSILON = 1e-4;

  /** PSI below this: no significant change (the usual credit-scoring rule of thumb). */
  public static final double PSI_MODERATE = 0.1;

  /** PSI at or above this: a significant change; between the two, a moderate one. */
  public static final double PSI_SIGNIFICANT = 0.25;

  private DriftStatistics() {}

  /**
   * The two-sample Kolmogorov–Smirnov test as {@code scipy.stats.ks_2samp(baseline, current)}.
   *
   * @see KolmogorovSmirnov
   */
  public static KolmogorovSmirnov.Result kolmogorovSmirnov(
      String feature, double[] baseline, double[] current) {
    return KolmogorovSmirnov.test(
        present(feature, BASELINE, baseline), present(feature, CURRENT, current));
  }

  /**
   * The first Wasserstein distance between the two empirical distributions, as {@code
   * scipy.stats.wasserstein_distance(baseline, current)}: the area between the two ECDFs.
   */
  public static double wasserstein(String feature, double[] baseline, double[] current) {
    double[] u = present(feature, BASELINE, baseline).clone();
    double[] v = present(feature, CURRENT, current).clone();
    Arrays.sort(u);
    Arrays.sort(v);
    double[] all = new double[u.length + v.length];
    System.arraycopy(u, 0, all, 0, u.length);
    System.arraycopy(v, 0, all, u.length, v.length);
    Arrays.sort(all);
    double sum = 0;
    int i = 0;
    int j = 0;
    for (int k = 0; k < all.length - 1; k++) {
      while (i < u.length && u[i] <= all[k]) {
        i++;
      }
      while (j < v.length && v[j] <= all[k]) {
        j++;
      }
      double delta = all[k + 1] - all[k];
      sum += Math.abs((double) i / u.length - (double) j / v.length) * delta;
    }
    return sum;
  }

  /**
   * The interior cut points of {@code bins} quantile bins over the baseline (see the class
   * comment). A constant baseline has one cut point.
   */
  public static double[] quantileCuts(String feature, double[] baseline, int bins) {
    if (bins < 2) {
      throw new IllegalArgumentException(
          "Feature '" + feature + "': need at least 2 bins, got " + bins);
    }
    double[] sorted = present(feature, BASELINE, baseline).clone();
    Arrays.sort(sorted);
    TreeSet<Double> cuts = new TreeSet<>();
    for (int i = 1; i < bins; i++) {
      cuts.add(quantile(sorted, (double) i / bins));
    }
    return cuts.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Counts per bin of {@code values} (NaN skipped) over the bins that {@code cuts} delimit. */
  public static long[] histogram(double[] cuts, double[] values) {
    long[] counts = new long[cuts.length + 1];
    for (double x : values) {
      if (!Double.isNaN(x)) {
        counts[binOf(cuts, x)]++;
      }
    }
    return counts;
  }

  /** The bin of {@code x}: the number of cut points at or below it. */
  static int binOf(double[] cuts, double x) {
    int lo = 0;
    int hi = cuts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cuts[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The Population Stability Index over {@code bins} quantile bins of the baseline: Σ (c - b)·ln(c
   * / b) over the bins' proportions, an empty bin counting as {@link #PSI_EPSILON}.
   */
  public static double psi(String feature, double[] baseline, double[] current, int bins) {
    double[] cuts = quantileCuts(feature, baseline, bins);
    return psi(
        feature, histogram(cuts, baseline), histogram(cuts, present(feature, CURRENT, current)));
  }

  /** PSI from bin counts over the same bins (e.g. a baseline histogram stored in a baseline). */
  public static double psi(String feature, long[] baselineCounts, long[] currentCounts) {
    long nb = total(feature, BASELINE, baselineCounts, currentCounts.length);
    long nc = total(feature, CURRENT, currentCounts, baselineCounts.length);
    double psi = 0;
    for (int i = 0; i < baselineCounts.length; i++) {
      double b = baselineCounts[i] == 0 ? PSI_EPSILON : (double) baselineCounts[i] / nb;
      double c = currentCounts[i] == 0 ? PSI_EPSILON : (double) currentCounts[i] / nc;
      psi += (c - b) * Math.log(c / b);
    }
    return psi;
  }

  /**
   * The Jensen–Shannon distance, base 2 (so it lies in [0, 1]), between the baseline's and the
   * current sample's histograms over {@code bins} quantile bins of the baseline: {@code
   * scipy.spatial.distance.jensenshannon(b, c, base=2)}.
   */
  public static double jensenShannon(
      String feature, double[] baseline, double[] current, int bins) {
    double[] cuts = quantileCuts(feature, baseline, bins);
    return jensenShannon(
        feature, histogram(cuts, baseline), histogram(cuts, present(feature, CURRENT, current)));
  }

  /** The Jensen–Shannon distance (base 2) between two histograms over the same bins. */
  public static double jensenShannon(String feature, long[] baselineCounts, long[] currentCounts) {
    long nb = total(feature, BASELINE, baselineCounts, currentCounts.length);
    long nc = total(feature, CURRENT, currentCounts, baselineCounts.length);
    double left = 0;
    double right = 0;
    for (int i = 0; i < baselineCounts.length; i++) {
      double p = baselineCounts[i] / (double) nb;
      double q = currentCounts[i] / (double) nc;
      double m = (p + q) / 2.0;
      left += relativeEntropy(p, m);
      right += relativeEntropy(q, m);
    }
    double js = (left + right) / Math.log(2);
    return Math.sqrt(js / 2.0);
  }

  private static double relativeEntropy(double x, double y) {
    return x > 0 ? x * Math.log(x / y) : 0.0;
  }

  /**
   * Pearson's chi-square test of homogeneity on the 2×k table of category counts (baseline row,
   * current row), as {@code scipy.stats.chi2_contingency(table, correction=yates)}. Categories with
   * no count in either sample are left out (SciPy rejects a zero expected frequency); a category
   * only the current sample has is kept in the table and listed in {@link
   * ChiSquareResult#unseenCategories()}. With one category there is nothing to compare: SciPy's
   * degenerate case, statistic 0 and p-value 1. Yates' correction applies only when the table has
   * one degree of freedom (two categories), moving each observed count towards its expected count
   * by at most 0.5, as SciPy does since 1.7.
   */
  public static ChiSquareResult chiSquare(
      String feature, Map<String, Long> baseline, Map<String, Long> current, boolean yates) {
    Set<String> categories = new LinkedHashSet<>();
    List<String> unseen = new ArrayList<>();
    for (Map.Entry<String, Long> e : baseline.entrySet()) {
      checkCount(feature, BASELINE, e);
      if (e.getValue() > 0) {
        categories.add(e.getKey());
      }
    }
    for (Map.Entry<String, Long> e : current.entrySet()) {
      checkCount(feature, CURRENT, e);
      if (e.getValue() > 0 && categories.add(e.getKey())) {
        unseen.add(e.getKey());
      }
    }
    int k = categories.size();
    double[][] observed = new double[2][k];
    int c = 0;
    for (String category : categories) {
      observed[0][c] = baseline.getOrDefault(category, 0L);
      observed[1][c] = current.getOrDefault(category, 0L);
      c++;
    }
    double[] rows = new double[2];
    double[] cols = new double[k];
    double total = 0;
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < k; j++) {
        rows[r] += observed[r][j];
        cols[j] += observed[r][j];
        total += observed[r][j];
      }
    }
    if (rows[0] == 0) {
      throw new DriftInputException(feature, BASELINE, "has no category counts");
    }
    if (rows[1] == 0) {
      throw new DriftInputException(feature, CURRENT, "has no category counts");
    }
    List<String> names = List.copyOf(categories);
    int dof = k - 1;
    if (dof == 0) {
      return new ChiSquareResult(0.0, 1.0, 0, false, names, unseen);
    }
    boolean corrected = yates && dof == 1;
    double statistic = 0;
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < k; j++) {
        double expected = rows[r] * cols[j] / total;
        double o = observed[r][j];
        if (corrected) {
          double diff = expected - o;
          o += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
        }
        statistic += (o - expected) * (o - expected) / expected;
      }
    }
    double p = Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0);
    return new ChiSquareResult(statistic, p, dof, corrected, names, unseen);
  }

  private static void checkCount(String feature, String sample, Map.Entry<String, Long> e) {
    if (e.getKey() == null || e.getValue() == null || e.getValue() < 0) {
      throw new DriftInputException(
          feature, sample, "has an invalid category count: " + e.getKey() + " = " + e.getValue());
    }
  }

  /**
   * The {@code q}-quantile of sorted values by NumPy's default ({@code method='linear'}, type 7 of
   * Hyndman and Fan): position {@code (n-1)·q}, interpolated between its neighbours the way NumPy's
   * {@code _lerp} does, so results agree to the last bit.
   */
  public static double quantile(double[] sorted, double q) {
    int n = sorted.length;
    if (n == 0) {
      throw new IllegalArgumentException("No values to take a quantile of");
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("Quantile must be within [0, 1], got " + q);
    }
    double position = (n - 1) * q;
    if (position >= n - 1) {
      return sorted[n - 1];
    }
    double below = Math.floor(position);
    int i = (int) below;
    double gamma = position - below;
    double a = sorted[i];
    double b = sorted[i + 1];
    double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  /**
   * The values of a sample without its missing values (NaN).
   *
   * @throws DriftInputException if no value is left or a value is infinite
   */
  public static double[] present(String feature, String sample, double[] values) {
    int n = 0;
    for (double x : values) {
      if (Double.isInfinite(x)) {
        throw new DriftInputException(feature, sample, "holds an infinite value (" + x + ")");
      }
      if (!Double.isNaN(x)) {
        n++;
      }
    }
    if (n == 0) {
      throw new DriftInputException(
          feature,
          sample,
          values.length == 0 ? "is empty" : "has only missing values (" + values.length + " NaN)");
    }
    if (n == values.length) {
      return values;
    }
    double[] out = new double[n];
    int i = 0;
    for (double x : values) {
      if (!Double.isNaN(x)) {
        out[i++] = x;
      }
    }
    return out;
  }

  private static long total(String feature, String sample, long[] counts, int otherLength) {
    if (counts.length != otherLength) {
      throw new IllegalArgumentException(
          "Feature '"
              + feature
              + "': the histograms have different numbers of bins ("
              + counts.length
              + " and "
              + otherLength
              + ")");
    }
    long total = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new DriftInputException(feature, sample, "has a negative bin count (" + c + ")");
      }
      total += c;
    }
    if (total == 0) {
      throw new DriftInputException(feature, sample, "is empty");
    }
    return total;
  }
}
