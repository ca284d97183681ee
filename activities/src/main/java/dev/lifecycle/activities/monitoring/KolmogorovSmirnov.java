package dev.lifecycle.activities.monitoring;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, exactly as {@code scipy.stats.ks_2samp(a, b)}
 * with its default {@code method='auto'} (SciPy 1.10):
 *
 * <ul>
 *   <li>the statistic is the largest gap between the two empirical CDFs, evaluated at every
 *       observed value (ties included);
 *   <li>if both samples have at most {@value #MAX_EXACT_N} values the p-value is exact: the
 *       statistic is first snapped to the lattice {@code h / lcm(n1, n2)} (SciPy returns the
 *       snapped value as the statistic), then the proportion of lattice paths leaving the band is
 *       computed (Hodges' method; for n1 = n2 the closed alternating sum, otherwise the 1-p
 *       recursion of Viehmann, arXiv:2102.08037); should that fail numerically, SciPy falls back to
 *       the asymptotic p-value and so does this;
 *   <li>otherwise the p-value is {@code kstwo.sf(d, round(n1·n2/(n1+n2)))}, the one-sample
 *       two-sided distribution at the effective sample size.
 * </ul>
 */
public final class KolmogorovSmirnov {
  /** SciPy's {@code MAX_AUTO_N}: above this sample size 'auto' uses the asymptotic p-value. */
  public static final int MAX_EXACT_N = 10_000;

  /** How the p-value was computed. */
  public enum Method {
    EXACT,
    ASYMPTOTIC
  }

  /**
   * The test's outcome.
   *
   * @param statistic the KS statistic D (for {@link Method#EXACT}, snapped to the lattice as SciPy
   *     does)
   * @param pValue the two-sided p-value
   * @param method how the p-value was computed
   */
  public record Result(double statistic, double pValue, Method method) {}

  private KolmogorovSmirnov() {}

  /**
   * Runs the test on two samples free of NaN (callers drop missing values first).
   *
   * @throws IllegalArgumentException if either sample is empty
   */
  static Result test(double[] first, double[] second) {
    if (first.length == 0 || second.length == 0) {
      throw new IllegalArgumentException("Data passed to the KS test must not be empty");
    }
    double[] a = first.clone();
    double[] b = second.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    int n1 = a.length;
    int n2 = b.length;
    double maxDiff = Double.NEGATIVE_INFINITY;
    double minDiff = Double.POSITIVE_INFINITY;
    // Walk the merged order; at each distinct value both ECDFs count every value <= it.
    int i = 0;
    int j = 0;
    while (i < n1 || j < n2) {
      double value = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
      while (i < n1 && a[i] <= value) {
        i++;
      }
      while (j < n2 && b[j] <= value) {
        j++;
      }
      double diff = (double) i / n1 - (double) j / n2;
      maxDiff = Math.max(maxDiff, diff);
      minDiff = Math.min(minDiff, diff);
    }
    double minS = Math.min(1.0, Math.max(0.0, -minDiff));
    double d = minS > maxDiff ? minS : maxDiff;

    if (Math.max(n1, n2) <= MAX_EXACT_N) {
      long g = gcd(n1, n2);
      long lcm = (n1 / g) * n2;
      long h = (long) Math.rint(d * lcm);
      double snapped = h * 1.0 / lcm;
      if (h == 0) {
        return new Result(snapped, 1.0, Method.EXACT);
      }
      double p = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
      if (p >= 0 && p <= 1) {
        return new Result(snapped, p, Method.EXACT);
      }
      d = snapped;
    }
    double m = Math.max(n1, n2);
    double n = Math.min(n1, n2);
    double en = m * n / (m + n);
    double p = KolmogorovDistribution.twoSidedSf((int) Math.rint(en), d);
    return new Result(d, Math.min(1.0, Math.max(0.0, p)), Method.ASYMPTOTIC);
  }

  /**
   * P(D_{n,n} ≥ h/n): 2 Σ_k (-1)^(k+1) C(2n, n-kh) / C(2n, n), evaluated Horner-style on ratios of
   * binomials to avoid the subtractive cancellation of the plain sum.
   */
  private static double probOutsideSquare(int n, long h) {
    double p = 0.0;
    long k = n / h;
    while (k >= 0) {
      double p1 = 1.0;
      for (long j = 0; j < h; j++) {
        p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
      }
      p = p1 * (1.0 - p);
      k--;
    }
    return 2 * p;
  }

  /**
   * The proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
   * carried as 1-p column by column so that small p-values keep their precision.
   */
  private static double outerProbInside(int first, int second, long g, long h) {
    long m = Math.max(first, second);
    long n = Math.min(first, second);
    long mg = m / g;
    long ng = n / g;
    long minj = 0;
    long maxj = Math.min(ceilDiv(h, mg), n + 1);
    long curlen = maxj - minj;
    int lenA = (int) Math.min(2 * maxj + 2, n + 1);
    double[] values = new double[lenA];
    Arrays.fill(values, 1.0);
    for (int idx = (int) minj; idx < Math.min(maxj, lenA); idx++) {
      values[idx] = 0.0;
    }
    for (long i = 1; i <= m; i++) {
      long lastminj = minj;
      long lastlen = curlen;
      minj = Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0);
      minj = Math.min(minj, n);
      maxj = Math.min(ceilDiv(ng * i + h, mg), n + 1);
      if (maxj <= minj) {
        return 1.0;
      }
      double val = minj == 0 ? 0.0 : 1.0;
      for (long jj = 0; jj < maxj - minj; jj++) {
        long j = jj + minj;
        val = (values[(int) (jj + minj - lastminj)] * i + val * j) / (i + j);
        values[(int) jj] = val;
      }
      curlen = maxj - minj;
      if (lastlen > curlen) {
        int from = (int) (maxj - minj);
        int to = (int) Math.min(lenA, maxj - minj + (lastlen - curlen));
        for (int idx = from; idx < to; idx++) {
          values[idx] = 1.0;
        }
      }
    }
    return values[(int) (maxj - minj - 1)];
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
