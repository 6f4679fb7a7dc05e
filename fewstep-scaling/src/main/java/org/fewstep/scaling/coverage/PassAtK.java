package org.fewstep.scaling.coverage;

import org.fewstep.core.BadInputException;

/**
 * The unbiased pass@k estimator of Chen et al. (2021), used for coverage in Large Language Monkeys
 * (Brown et al. 2024; brief decoding.md 12(b)): from {@code n} samples of which {@code c} are correct,
 * {@code pass@k = 1 - C(n-c, k) / C(n, k) = 1 - prod_{i=0}^{k-1} (n-c-i)/(n-i)}, and 1 when {@code n - c < k}.
 * The product form is used throughout, so no binomial coefficient is ever formed (they overflow).
 */
public final class PassAtK {
  private PassAtK() {}

  /**
   * The unbiased estimate of the probability that at least one of {@code k} samples is correct.
   *
   * @param n samples drawn, {@code >= 1}
   * @param c correct samples among them, {@code 0 <= c <= n}
   * @param k attempts, {@code 1 <= k <= n}
   */
  public static double estimate(int n, int c, int k) {
    BadInputException.requireAtLeast("n", n, 1);
    if (c < 0 || c > n) {
      throw BadInputException.of("c", c, "an integer in [0, n = " + n + "]");
    }
    if (k < 1 || k > n) {
      throw BadInputException.of("k", k, "an integer in [1, n = " + n + "]");
    }
    if (n - c < k) {
      return 1;
    }
    if (c == 0) {
      return 0;
    }
    // C(n-c, k)/C(n, k) = prod_{i=0}^{k-1} (1 - c/(n-i)); every factor is in (0, 1).
    double allWrong = 1;
    for (int i = 0; i < k; i++) {
      allWrong *= 1 - (double) c / (n - i);
    }
    return 1 - allWrong;
  }

  /**
   * Coverage at {@code k}: the mean of {@link #estimate} over problems, with {@code n[p]} samples and
   * {@code c[p]} correct ones for problem {@code p}; every problem needs {@code n[p] >= k}.
   */
  public static double coverage(int[] n, int[] c, int k) {
    checkProblems(n, c);
    double sum = 0;
    for (int p = 0; p < n.length; p++) {
      if (k > n[p]) {
        throw BadInputException.of("k", k, "at most the " + n[p] + " samples of problem " + p);
      }
      sum += estimate(n[p], c[p], k);
    }
    return sum / n.length;
  }

  /** {@link #coverage} at each of {@code ks}, in the same order. */
  public static double[] coverageCurve(int[] n, int[] c, int[] ks) {
    if (ks == null || ks.length == 0) {
      throw BadInputException.of("ks", ks == null ? "null" : "[]", "at least one k");
    }
    double[] out = new double[ks.length];
    for (int j = 0; j < ks.length; j++) {
      out[j] = coverage(n, c, ks[j]);
    }
    return out;
  }

  private static void checkProblems(int[] n, int[] c) {
    if (n == null || c == null || n.length == 0) {
      throw BadInputException.of("problems", n == null ? "null" : n.length, "at least one problem");
    }
    if (c.length != n.length) {
      throw BadInputException.of("c length", c.length, n.length + " (one per problem, as n)");
    }
  }
}
