package dev.lifecycle.activities.labeling.consensus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Fleiss' kappa (Fleiss 1971): chance-corrected agreement among any number of annotators assigning
 * items to nominal classes, for a whole labeling job.
 *
 * <p>With {@code n_ic} the number of annotators who put item {@code i} in class {@code c} and
 * {@code n_i} the item's answers:
 *
 * <pre>
 *   P_i  = Σ_c n_ic (n_ic − 1) / (n_i (n_i − 1))     agreement on item i
 *   P̄   = mean of P_i over the items
 *   p_c  = Σ_i n_ic / Σ_i n_i                       share of all answers in class c
 *   P̄e  = Σ_c p_c²                                 agreement expected by chance
 *   κ    = (P̄ − P̄e) / (1 − P̄e)
 * </pre>
 *
 * <p>With the same number of answers per item this is exactly Fleiss' statistic; escalation gives
 * some items more annotators, and the per-item {@code P_i} above then uses each item's own {@code
 * n_i}. Items with fewer than two answers say nothing about agreement and are left out. κ is 1 for
 * perfect agreement, about 0 for chance, negative below chance; it is {@code NaN} when every answer
 * is the same class ({@code P̄e = 1}), where chance-corrected agreement is undefined.
 *
 * @param observedAgreement P̄
 * @param expectedAgreement P̄e
 * @param kappa κ
 * @param items the number of items counted (those with at least two answers)
 */
public record FleissKappa(
    double observedAgreement, double expectedAgreement, double kappa, int items) {

  /**
   * From counts: {@code counts[i][c]} annotators put item {@code i} in class {@code c}.
   *
   * @throws IllegalArgumentException when the rows differ in length, a count is negative, or no row
   *     has two or more answers
   */
  public static FleissKappa fromCounts(long[][] counts) {
    if (counts.length == 0) {
      throw new IllegalArgumentException("Fleiss' kappa needs at least one item, got none");
    }
    int k = counts[0].length;
    double[] classTotals = new double[k];
    double answers = 0;
    double agreementSum = 0;
    int items = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i].length != k) {
        throw new IllegalArgumentException(
            "Row " + i + " has " + counts[i].length + " classes, row 0 has " + k);
      }
      long n = 0;
      double pairs = 0;
      for (int c = 0; c < k; c++) {
        long x = counts[i][c];
        if (x < 0) {
          throw new IllegalArgumentException("Row " + i + ", class " + c + ": negative count " + x);
        }
        n += x;
        pairs += (double) x * (x - 1);
      }
      if (n < 2) {
        continue;
      }
      items++;
      agreementSum += pairs / ((double) n * (n - 1));
      for (int c = 0; c < k; c++) {
        classTotals[c] += counts[i][c];
      }
      answers += n;
    }
    if (items == 0) {
      throw new IllegalArgumentException(
          "Fleiss' kappa needs an item with at least two answers, got none");
    }
    double observed = agreementSum / items;
    double expected = 0;
    for (double total : classTotals) {
      double p = total / answers;
      expected += p * p;
    }
    double kappa = expected >= 1 ? Double.NaN : (observed - expected) / (1 - expected);
    return new FleissKappa(observed, expected, kappa, items);
  }

  /**
   * Over a job's answers.
   *
   * @throws ConsensusInputException naming the item, annotator and label when an answer is not a
   *     class of the schema, or when no item has two or more answers
   */
  public static FleissKappa of(LabelClasses schema, Collection<ItemAnswers> items) {
    List<long[]> rows = new ArrayList<>(items.size());
    for (ItemAnswers item : items) {
      long[] row = new long[schema.size()];
      for (Answer a : item.answers()) {
        row[schema.requireClass(item.itemId(), a.annotatorId(), a.label())]++;
      }
      if (item.answers().size() >= 2) {
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      throw new ConsensusInputException(
          null,
          "Fleiss' kappa needs an item with at least two answers; none of the "
              + items.size()
              + " items has");
    }
    return fromCounts(rows.toArray(long[][]::new));
  }
}
