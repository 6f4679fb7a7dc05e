package org.fewstep.core.math;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Resampling schemes of sequential Monte Carlo (Douc, Cappé and Moulines, "Comparison of resampling
 * schemes for particle filtering", ISPA 2005): N ancestor indices drawn from the normalised weights
 * {@code exp(lw_i) / sum_j exp(lw_j)}, so that particle i is copied {@code N w_i} times in
 * expectation. All three are unbiased; systematic and stratified have lower variance than
 * multinomial, and systematic keeps every count within one of {@code N w_i}. Weights are given as
 * natural logarithms ({@code -Infinity} for weight 0). Ancestors come back sorted.
 */
public enum Resampling {
  /** N independent draws from the normalised weights. */
  MULTINOMIAL,
  /** One uniform u; draws at the quantiles {@code (u + i) / N}. */
  SYSTEMATIC,
  /** One uniform {@code u_i} per stratum; draws at the quantiles {@code (u_i + i) / N}. */
  STRATIFIED;

  /** N ancestor indices for the N particles of log weights {@code lw}, sorted. */
  public int[] ancestors(double[] lw, Rng rng) {
    return ancestors(lw, lw.length, rng);
  }

  /**
   * {@code count} ancestor indices drawn from the particles of log weights {@code lw}, sorted (the
   * quantiles are {@code (u + i) / count}); e.g. the N - 1 free particles of conditional SMC.
   */
  public int[] ancestors(double[] lw, int count, Rng rng) {
    int n = lw.length;
    BadInputException.requireAtLeast("number of particles", n, 1);
    BadInputException.requireAtLeast("number of ancestors", count, 0);
    Categorical c = new Categorical().setLogits("particle log weights", lw, n);
    int[] out = new int[count];
    if (count == 0) {
      return out;
    }
    if (this == MULTINOMIAL) {
      for (int i = 0; i < count; i++) {
        out[i] = c.sample(rng);
      }
      Arrays.sort(out);
      return out;
    }
    double[] p = new double[n];
    c.probabilities(p);
    double u = rng.nextDouble();
    double cumulative = p[0];
    int j = 0;
    for (int i = 0; i < count; i++) {
      if (this == STRATIFIED && i > 0) {
        u = rng.nextDouble();
      }
      double target = (u + i) / count;
      while (cumulative <= target && j < n - 1) {
        j++;
        cumulative += p[j];
      }
      while (p[j] == 0 && j > 0) { // rounding at the top: take the last positive weight
        j--;
      }
      out[i] = j;
    }
    return out;
  }

  /**
   * Effective sample size {@code (sum w)^2 / sum w^2} of log weights: N for equal weights, 1 when one
   * particle holds all the weight.
   */
  public static double ess(double[] lw) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : lw) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
      throw BadInputException.of("particle log weights", max, "at least one finite log weight (not all zero weights, no NaN)");
    }
    double s1 = 0;
    double s2 = 0;
    for (double v : lw) {
      double w = Math.exp(v - max);
      s1 += w;
      s2 += w * w;
    }
    return s1 * s1 / s2;
  }
}
