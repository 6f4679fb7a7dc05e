package org.fewstep.scaling.select;

import org.fewstep.core.BadInputException;

/**
 * Reasoning Pruning (Zhou et al., NeurIPS 2025, Sec. 4.2; official {@code compute_rpc.py}
 * {@code wpc_evaluator}): fit a two-component {@link WeibullMixture} to the path probabilities and prune
 * path i iff {@code P(low | p_i) > P(high | p_i)} and {@code p_i < mean(p)}. The mean rule keeps the
 * most probable path, so something always survives.
 *
 * <p>Few samples: the official code has no minimum; it fits the mixture to any number of paths (even
 * one). This does the same for two or more distinct positive values, so with very few paths the
 * outcome is whatever the fit reaches from the official start. When all p are equal no path lies below
 * the mean, so nothing is pruned and no fit is made. Paths with p = 0 (underflow) cannot enter a
 * Weibull likelihood: they are left out of the fit (not of the mean) and are pruned whenever they lie
 * below the mean; they would add 0 to any score anyway. The mean is computed so that rounding never
 * places the largest p below it (see {@link #mean}); with {@code np.mean} equal values can round the
 * other way.
 *
 * @param mixture the fitted mixture, component 1 high; null when no fit was needed
 * @param pruned  pruned[i] is true iff path i is dropped
 */
public record ReasoningPruning(WeibullMixture mixture, boolean[] pruned) {

  /** Fits the mixture to {@code p} and applies the pruning rule. */
  public static ReasoningPruning of(double[] p) {
    if (p.length == 0) {
      throw BadInputException.of("path probabilities", "an empty array", "at least one value");
    }
    int positive = 0;
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
        throw BadInputException.of("path probabilities[" + i + "]", p[i], "a finite number >= 0");
      }
      positive += p[i] > 0 ? 1 : 0;
    }
    double mean = mean(p);
    boolean anyBelow = false;
    for (double v : p) {
      anyBelow |= v < mean;
    }
    if (!anyBelow) {
      return new ReasoningPruning(null, new boolean[p.length]);
    }
    double[] fitted = new double[positive];
    int j = 0;
    for (double v : p) {
      if (v > 0) {
        fitted[j++] = v;
      }
    }
    WeibullMixture mixture = WeibullMixture.fit(fitted);
    return new ReasoningPruning(mixture, prune(mixture, p));
  }

  /**
   * The pruning rule under a given mixture: {@code P(low | p_i) > P(high | p_i)} and
   * {@code p_i < mean(p)}; a path where both posteriors are undefined (both densities 0) is kept, as
   * in the official code, except p = 0 below the mean, which is pruned.
   */
  public static boolean[] prune(WeibullMixture mixture, double[] p) {
    double mean = mean(p);
    boolean[] pruned = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      double high = p[i] > 0 ? mixture.posteriorHigh(p[i]) : 0;
      pruned[i] = 1 - high > high && p[i] < mean;
    }
    return pruned;
  }

  /**
   * The mean as {@code min + sum(p - min) / n}, capped at the maximum: equal values give exactly their
   * value, so rounding never puts a path of the largest p below the mean (a plain sum of three 0.4 over
   * 3 gives 0.4000000000000001, which would let the official rule prune every path).
   */
  static double mean(double[] p) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : p) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double excess = 0;
    for (double v : p) {
      excess += v - min;
    }
    return Math.min(max, min + excess / p.length);
  }
}
