package dev.lifecycle.activities.monitoring;

import java.math.BigDecimal;

/**
 * Tail probabilities of the one-sample Kolmogorov–Smirnov statistics, as SciPy 1.10 computes them:
 * {@code scipy.stats.kstwo.sf} (two-sided, Simard and L'Ecuyer's choice of method per region) and
 * {@code scipy.special.smirnov} (one-sided, the Birnbaum–Tingey sum). {@code ks_2samp} uses the
 * former for its asymptotic p-value, so the same method must be picked in each region: the
 * Pelz–Good approximation differs from the exact value by far more than 1e-9.
 *
 * <p>References: Simard, L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov
 * Distribution", J. Stat. Software 39(11); Marsaglia, Tsang, Wang (2003) for Durbin's matrix;
 * Pomeranz (1974), CACM 17(12); Pelz, Good (1976), JRSS B 38(2); Birnbaum, Tingey (1951).
 */
final class KolmogorovDistribution {
  private static final double TWO_128 = Math.scalb(1.0, 128);
  private static final double TWO_MINUS_128 = Math.scalb(1.0, -128);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private static final double PI2 = Math.PI * Math.PI;
  private static final double PI4 = PI2 * PI2;
  private static final double PI6 = PI4 * PI2;
  private static final double SQRT3 = Math.sqrt(3);
  private static final int MIN_LOG = -708;

  /** Cephes' MINLOG, log(2^-1022): below it the one-sided tail underflows. */
  private static final double CEPHES_MINLOG = -7.08396418532264106224E2;

  /** Beyond this n, SciPy's {@code smirnov} switches to an approximation. */
  private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;

  /** Stirling series coefficients B_2j/(2j)/(2j-1), j = 8..1 (highest power first). */
  private static final double[] STIRLING = {
    -2.955065359477124183e-2, 6.4102564102564102564e-3,
    -1.9175269175269175269e-3, 8.4175084175084175084e-4,
    -5.952380952380952381e-4, 7.9365079365079365079e-4,
    -2.7777777777777777778e-3, 8.3333333333333333333e-2
  };

  private KolmogorovDistribution() {}

  /** P(D_n ≥ x) for the two-sided one-sample statistic: {@code scipy.stats.kstwo.sf(x, n)}. */
  static double twoSidedSf(int n, double x) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, got " + n);
    }
    if (x >= 1.0) {
      return 0.0;
    }
    if (x <= 0.0) {
      return 1.0;
    }
    double t = n * x;
    if (t <= 1.0) {
      // Ruben–Gambino: for 1/(2n) <= x <= 1/n the CDF is n!/n^n (2t-1)^n.
      if (t <= 0.5) {
        return 1.0;
      }
      double cdf;
      if (n <= 140) {
        cdf = 1.0;
        double inv = 1.0 / n;
        for (int i = 1; i <= n; i++) {
          cdf *= i * inv * (2 * t - 1);
        }
      } else {
        cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
      }
      return clip(1.0 - cdf);
    }
    if (t >= n - 1) {
      return clip(2 * Math.pow(1.0 - x, n));
    }
    if (x >= 0.5) {
      return clip(2 * smirnovSf(n, x));
    }
    double nxSquared = t * x;
    if (n <= 140) {
      if (nxSquared <= 0.754693) {
        return clip(1.0 - durbinCdf(n, x));
      }
      if (nxSquared <= 4) {
        return clip(1.0 - pomeranzCdf(n, x));
      }
      return clip(2 * smirnovSf(n, x));
    }
    if (nxSquared >= 370.0) {
      return 0.0;
    }
    if (nxSquared >= 2.2) {
      return clip(2 * smirnovSf(n, x));
    }
    double cdf;
    if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
      cdf = durbinCdf(n, x);
    } else {
      cdf = pelzGoodCdf(n, x);
    }
    return clip(1.0 - cdf);
  }

  /** log(n!/n^n) by Stirling's series with the n log n terms cancelled up front. */
  private static double logFactorialOverPower(int n) {
    double rn = 1.0 / n;
    double poly = 0;
    for (double c : STIRLING) {
      poly = poly * (rn / n) + c;
    }
    return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
  }

  /** P(D_n ≤ d) by Durbin's matrix, powered by squaring with rescaling (Marsaglia, Tsang, Wang). */
  static double durbinCdf(int n, double d) {
    if (d >= 1.0) {
      return 1.0;
    }
    double nd = n * d;
    if (nd <= 0.5) {
      return 0.0;
    }
    int k = (int) Math.ceil(nd);
    double h = k - nd;
    int m = 2 * k - 1;
    double[] v = new double[m];
    double[] w = new double[m];
    double fac = 1.0;
    for (int j = 1; j <= m; j++) {
      v[j - 1] = 1.0 - Math.pow(h, j);
      w[j - 1] = fac;
      fac /= j;
      v[j - 1] *= fac;
    }
    double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
    v[m - 1] = (1.0 + tt) * fac;

    double[][] hm = new double[m][m];
    for (int i = 1; i < m; i++) {
      for (int r = 0; r <= m - i; r++) {
        hm[i - 1 + r][i] = w[r];
      }
    }
    for (int r = 0; r < m; r++) {
      hm[r][0] = v[r];
    }
    for (int c = 0; c < m; c++) {
      hm[m - 1][c] = v[m - 1 - c];
    }

    double[][] power = identity(m);
    int exponent = 0;
    int hExponent = 0;
    int nn = n;
    while (nn > 0) {
      if (nn % 2 == 1) {
        power = multiply(power, hm);
        exponent += hExponent;
      }
      hm = multiply(hm, hm);
      hExponent *= 2;
      if (Math.abs(hm[k - 1][k - 1]) > TWO_128) {
        scale(hm, TWO_MINUS_128);
        hExponent += 128;
      }
      nn /= 2;
    }
    double p = power[k - 1][k - 1];
    for (int i = 1; i <= n; i++) {
      p = i * p / n;
      if (Math.abs(p) < TWO_MINUS_128) {
        p *= TWO_128;
        exponent -= 128;
      }
    }
    if (exponent != 0) {
      p = Math.scalb(p, exponent);
    }
    return clip(p);
  }

  /** P(D_n ≤ x) by Pomeranz's recursion, keeping only the non-zero window of two rows. */
  static double pomeranzCdf(int n, double x) {
    double t = n * x;
    int ll = (int) Math.floor(t);
    double f = t - ll;
    double g = Math.min(f, 1.0 - f);
    int ceilf = f > 0 ? 1 : 0;
    int roundf = f > 0.5 ? 1 : 0;
    int npwrs = 2 * (ll + 1);
    double[] gpower = new double[npwrs];
    double[] twogpower = new double[npwrs];
    double[] onem2gpower = new double[npwrs];
    gpower[0] = 1.0;
    twogpower[0] = 1.0;
    onem2gpower[0] = 1.0;
    double gOverN = g / n;
    double twoGOverN = 2 * g / n;
    double oneMinusTwoGOverN = (1 - 2 * g) / n;
    for (int m = 1; m < npwrs; m++) {
      gpower[m] = gpower[m - 1] * gOverN / m;
      twogpower[m] = twogpower[m - 1] * twoGOverN / m;
      onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
    }
    double[] v0 = new double[npwrs];
    double[] v1 = new double[npwrs];
    v1[0] = 1;
    int v0s = 0;
    int v1s = 0;
    int exponent = 0;
    int[] bounds = pomeranzBounds(0, n, ll, ceilf, roundf);
    int j1 = bounds[0];
    for (int i = 1; i < 2 * n + 2; i++) {
      int k1 = j1;
      double[] swap = v0;
      v0 = v1;
      v1 = swap;
      int swapStart = v0s;
      v0s = v1s;
      v1s = swapStart;
      java.util.Arrays.fill(v1, 0.0);
      bounds = pomeranzBounds(i, n, ll, ceilf, roundf);
      j1 = bounds[0];
      int j2 = bounds[1];
      double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
      int len = j2 - k1 + 1;
      if (len > 0) {
        int from = k1 - v0s;
        if (from < 0) {
          throw new IllegalStateException(
              "Pomeranz recursion left its window (n=" + n + ", x=" + x + ")");
        }
        int aLen = Math.max(0, Math.min(len, npwrs - from));
        int bLen = Math.min(len, npwrs);
        int convStart = j1 - k1;
        int convLen = j2 - j1 + 1;
        double max = 0;
        for (int c = 0; c < convLen; c++) {
          int idx = convStart + c;
          double s = 0;
          for (int a = Math.max(0, idx - bLen + 1); a <= Math.min(idx, aLen - 1); a++) {
            s += v0[from + a] * pwrs[idx - a];
          }
          v1[c] = s;
          max = Math.max(max, s);
        }
        if (max > 0 && max < TWO_MINUS_128) {
          for (int c = 0; c < npwrs; c++) {
            v1[c] *= TWO_128;
          }
          exponent -= 128;
        }
        v1s = v0s + j1 - k1;
      }
    }
    double ans = v1[n - v1s];
    for (int m = 1; m <= n; m++) {
      if (Math.abs(ans) > TWO_128) {
        ans *= TWO_MINUS_128;
        exponent += 128;
      }
      ans *= m;
    }
    if (exponent != 0) {
      ans = Math.scalb(ans, exponent);
    }
    return clip(ans);
  }

  private static int[] pomeranzBounds(int i, int n, int ll, int ceilf, int roundf) {
    int j1;
    int j2;
    if (i == 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      int half = (i + 1) / 2;
      if ((i + 1) % 2 == 0) {
        if (half == n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = half - 1 - ll - roundf - 1;
          j2 = half + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = half - 1 - ll - 1;
        j2 = half + ll + roundf - 1;
      }
    }
    return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
  }

  /** The Pelz–Good approximation of P(D_n ≤ x), accurate for large n. */
  static double pelzGoodCdf(int n, double x) {
    if (x <= 0.0) {
      return 0.0;
    }
    if (x >= 1.0) {
      return 1.0;
    }
    double z = Math.sqrt(n) * x;
    double z2 = z * z;
    double z3 = z2 * z;
    double z4 = z2 * z2;
    double z6 = z4 * z2;
    double qlog = -PI2 / 8 / z2;
    if (qlog < MIN_LOG) {
      return 0.0;
    }
    double q = Math.exp(qlog);
    double k1a = -z2;
    double k1b = PI2 / 4;
    double k2a = 6 * z6 + 2 * z4;
    double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
    double k2c = PI4 * (1 - 2 * z2) / 16;
    double k3d = PI6 * (5 - 30 * z2) / 64;
    double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
    double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
    double k3a = -30 * z6 - 90 * Math.pow(z, 8);

    double[] terms = new double[4];
    int maxk = (int) Math.ceil(16 * z / Math.PI);
    // Horner's scheme over the odd squares (2k-1)^2, from the smallest term up.
    for (int k = maxk; k > 0; k--) {
      double m = 2.0 * k - 1;
      double m2 = m * m;
      double m4 = m2 * m2;
      double m6 = m4 * m2;
      double qpower = Math.pow(q, 8.0 * k);
      terms[0] = terms[0] * qpower + 1.0;
      terms[1] = terms[1] * qpower + (k1a + k1b * m2);
      terms[2] = terms[2] * qpower + (k2a + k2b * m2 + k2c * m4);
      terms[3] = terms[3] * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
    }
    double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
    for (int i = 0; i < 4; i++) {
      terms[i] = terms[i] * q * SQRT_2PI / divisors[i];
    }
    double q2 = Math.exp(-PI2 / 2 / z2);
    double sqrt3z = SQRT3 * z;
    double k2extra = 0;
    double k3extra = 0;
    for (int k = maxk; k > 0; k--) {
      double ksq = (double) k * k;
      double qk = Math.pow(q2, ksq);
      double kpi = Math.PI * k;
      k2extra += ksq * qk;
      k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * ksq * qk;
    }
    terms[2] += k2extra * (PI2 * SQRT_2PI / (-36 * z3));
    terms[3] += k3extra * (PI2 * SQRT_2PI / (216 * z6));
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += terms[i] / Math.pow(n, i / 2.0);
    }
    return sum;
  }

  /**
   * P(D+_n ≥ x), the one-sided statistic: {@code scipy.special.smirnov(n, x)}.
   *
   * <p>SciPy sums the Birnbaum–Tingey series in double-double arithmetic. Here each term is a
   * binomial probability evaluated by Loader's saddle-point expansion (no cancellation between the
   * huge log-binomial and log-power parts, which in plain doubles costs 1e-9 relative at n =
   * 500,000), from exactly split arguments ({@code n·x = floor + alpha} computed in {@link
   * BigDecimal}, so {@code 1 - x - v/n} keeps its precision near zero); the terms are summed with
   * compensation after factoring out the largest. SciPy's alternative upper sum gives the same
   * value where it applies.
   */
  static double smirnovSf(int n, double x) {
    if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
      return Double.NaN;
    }
    if (n == 1) {
      return 1 - x;
    }
    if (x == 0.0) {
      return 1.0;
    }
    if (x == 1.0) {
      return 0.0;
    }
    BigDecimal nx = new BigDecimal(x).multiply(BigDecimal.valueOf(n));
    BigDecimal floor = nx.setScale(0, java.math.RoundingMode.FLOOR);
    int nxfl = floor.intValueExact();
    double alpha = nx.subtract(floor).doubleValue();
    if (alpha == 1.0) {
      nxfl += 1;
      alpha = 0;
    }
    int lastLowerTerm = n - nxfl - (alpha == 0 ? 0 : 1);
    if (alpha == 0) {
      // The term at v = n(1-x) is zero (0^(n-v)); SciPy leaves it out.
      lastLowerTerm -= 1;
    }
    if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
      double cdf = x * Math.pow(1 + x, n - 1);
      return clip(1 - cdf);
    }
    if (-2 * n * x * x < CEPHES_MINLOG) {
      return 0.0;
    }
    if (nxfl >= n - 1) {
      return clip(Math.pow(1 - x, n));
    }
    if (n > SMIRNOV_MAX_COMPUTE_N) {
      double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
      return logp < -Math.log(2) ? Math.exp(logp) : 1 - (-Math.expm1(logp));
    }
    int terms = lastLowerTerm + 1;
    double[] logTerms = new double[terms];
    double maxLog = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < terms; v++) {
      // A_v = C(n, v) u^(v-1) w^(n-v) with u = x + v/n and w = 1 - u: a binomial probability of v
      // successes at rate u, divided by u. n·u and n·w are formed from the exact split of n·x.
      double nu = (nxfl + v) + alpha;
      double nw = (n - nxfl - v) - alpha;
      double log =
          v == 0
              ? n * Math.log1p(-x) - Math.log(x)
              : logBinomialProbability(v, n, nu, nw) - Math.log(nu / n);
      logTerms[v] = log;
      maxLog = Math.max(maxLog, log);
    }
    double sum = 0;
    double compensation = 0;
    for (double log : logTerms) {
      double y = Math.exp(log - maxLog) - compensation;
      double t = sum + y;
      compensation = (t - sum) - y;
      sum = t;
    }
    return clip(Math.exp(Math.log(x) + maxLog + Math.log(sum)));
  }

  /**
   * log of C(n, k) p^k q^(n-k) with {@code np = n·p} and {@code nq = n·q} given separately (so q
   * keeps its precision when p is near 1), for 0 < k < n: Loader (2000), "Fast and Accurate
   * Computation of Binomial Probabilities".
   */
  private static double logBinomialProbability(int k, int n, double np, double nq) {
    if (k == n) {
      return n * Math.log(np / n);
    }
    double lc =
        stirlingError(n)
            - stirlingError(k)
            - stirlingError(n - k)
            - deviance(k, np)
            - deviance(n - k, nq);
    double lf = LOG_2PI + Math.log(k) + Math.log(n - k) - Math.log(n);
    return lc - 0.5 * lf;
  }

  /** log(n!) - log(sqrt(2πn) (n/e)^n). */
  private static double stirlingError(int n) {
    if (n <= 15) {
      double factorial = 1;
      for (int i = 2; i <= n; i++) {
        factorial *= i;
      }
      return Math.log(factorial) - (n + 0.5) * Math.log(n) + n - LOG_2PI / 2;
    }
    double nn = (double) n * n;
    final double s0 = 1.0 / 12;
    final double s1 = 1.0 / 360;
    final double s2 = 1.0 / 1260;
    final double s3 = 1.0 / 1680;
    final double s4 = 1.0 / 1188;
    if (n > 500) {
      return (s0 - s1 / nn) / n;
    }
    if (n > 80) {
      return (s0 - (s1 - s2 / nn) / nn) / n;
    }
    if (n > 35) {
      return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    }
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
  }

  /** The deviance term x log(x/m) + m - x, by a series when x is near m. */
  private static double deviance(double x, double m) {
    if (Math.abs(x - m) < 0.1 * (x + m)) {
      double v = (x - m) / (x + m);
      double s = (x - m) * v;
      double ej = 2 * x * v;
      for (int j = 1; j < 1000; j++) {
        ej *= v * v;
        double s1 = s + ej / (2 * j + 1);
        if (s1 == s) {
          return s1;
        }
        s = s1;
      }
      return s;
    }
    return x * Math.log(x / m) + m - x;
  }

  private static double clip(double p) {
    if (Double.isNaN(p)) {
      return p;
    }
    return Math.min(1.0, Math.max(0.0, p));
  }

  private static double[][] identity(int m) {
    double[][] id = new double[m][m];
    for (int i = 0; i < m; i++) {
      id[i][i] = 1.0;
    }
    return id;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      double[] ci = c[i];
      for (int k = 0; k < m; k++) {
        double aik = a[i][k];
        if (aik == 0) {
          continue;
        }
        double[] bk = b[k];
        for (int j = 0; j < m; j++) {
          ci[j] += aik * bk[j];
        }
      }
    }
    return c;
  }

  private static void scale(double[][] a, double factor) {
    for (double[] row : a) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= factor;
      }
    }
  }
}
