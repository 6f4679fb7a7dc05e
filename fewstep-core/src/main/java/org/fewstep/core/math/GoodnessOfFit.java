package org.fewstep.core.math;

import org.fewstep.core.BadInputException;

/**
 * Distances between an empirical and an exact distribution, for the statistical tests and the
 * benchmarks: Pearson's chi-square with its p-value, and total variation.
 */
public final class GoodnessOfFit {
  private GoodnessOfFit() {}

  /**
   * Pearson's statistic sum (O - E)^2 / E of {@code counts} against {@code probabilities} (which
   * must sum to 1 within 1e-9; categories of probability 0 must have count 0).
   */
  public static double chiSquare(long[] counts, double[] probabilities) {
    if (counts.length != probabilities.length) {
      throw BadInputException.of("probabilities length", probabilities.length, counts.length + " (one per count)");
    }
    long n = 0;
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      n += counts[i];
      sum += probabilities[i];
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw BadInputException.of("sum of probabilities", sum, "1 within 1e-9");
    }
    double statistic = 0;
    for (int i = 0; i < counts.length; i++) {
      double expected = n * probabilities[i];
      if (expected == 0) {
        if (counts[i] != 0) {
          return Double.POSITIVE_INFINITY;
        }
        continue;
      }
      double d = counts[i] - expected;
      statistic += d * d / expected;
    }
    return statistic;
  }

  /** P(X >= statistic) for X ~ chi-square with {@code degrees} degrees of freedom. */
  public static double pValue(double statistic, int degrees) {
    BadInputException.requireAtLeast("degrees of freedom", degrees, 1);
    if (statistic <= 0) {
      return 1;
    }
    return upperIncompleteGamma(degrees / 2.0, statistic / 2.0);
  }

  /** p-value of Pearson's test of {@code counts} against {@code probabilities} (df = positive categories - 1). */
  public static double chiSquarePValue(long[] counts, double[] probabilities) {
    int positive = 0;
    for (double p : probabilities) {
      positive += p > 0 ? 1 : 0;
    }
    return pValue(chiSquare(counts, probabilities), Math.max(1, positive - 1));
  }

  /** Total variation distance 1/2 sum |p - q|. */
  public static double totalVariation(double[] p, double[] q) {
    if (p.length != q.length) {
      throw BadInputException.of("q length", q.length, p.length + " (same as p)");
    }
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      sum += Math.abs(p[i] - q[i]);
    }
    return sum / 2;
  }

  /** Empirical frequencies of {@code counts}. */
  public static double[] frequencies(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = (double) counts[i] / n;
    }
    return out;
  }

  /** Regularized upper incomplete gamma Q(a, x): a series below a + 1, Lentz's continued fraction above. */
  static double upperIncompleteGamma(double a, double x) {
    double logPrefactor = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int k = 1; k < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; k++) {
        term *= x / (a + k);
        sum += term;
      }
      return Math.max(0, 1 - sum * Math.exp(logPrefactor));
    }
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int k = 1; k < 10_000; k++) {
      double an = -k * (k - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(logPrefactor) * h;
  }

  /** log Gamma(a) for a > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
  public static double logGamma(double a) {
    if (a < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * a))) - logGamma(1 - a);
    }
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    double x = a - 1;
    double sum = c[0];
    for (int i = 1; i < c.length; i++) {
      sum += c[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
