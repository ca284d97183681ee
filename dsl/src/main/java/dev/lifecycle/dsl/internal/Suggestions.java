package dev.lifecycle.dsl.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints for misspelt names. */
public final class Suggestions {
  /** Largest edit distance still worth suggesting; beyond it the hint misleads more than helps. */
  private static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  /**
   * The candidate closest to {@code name}: within {@value #MAX_DISTANCE} edits (ignoring case, and
   * not every character), or one that starts with it or that it starts with.
   */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    String wanted = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate.equals(name)) {
        continue;
      }
      String lower = candidate.toLowerCase(Locale.ROOT);
      int distance = distance(wanted, lower);
      boolean prefix = !wanted.isEmpty() && (lower.startsWith(wanted) || wanted.startsWith(lower));
      // A "suggestion" that replaces every character of a short name is noise, not a typo fix.
      boolean typo =
          distance <= MAX_DISTANCE && distance < Math.max(wanted.length(), lower.length());
      if ((typo || prefix) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * {@code "; did you mean 'x'?"}, or {@code "."} when nothing is close: ends a sentence that names
   * {@code name}.
   */
  public static String didYouMeanOrStop(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "; did you mean '" + c + "'?").orElse(".");
  }

  /**
   * The edit distance between {@code a} and {@code b}: insertions, deletions, substitutions and
   * swaps of two neighbouring characters (the commonest typo, as in {@code rsme}) each count one.
   */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
