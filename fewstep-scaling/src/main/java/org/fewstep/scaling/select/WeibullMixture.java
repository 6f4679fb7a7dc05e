package org.fewstep.scaling.select;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.BoundedMinimizer;
import org.fewstep.core.math.GoodnessOfFit;

/**
 * A two-component Weibull mixture {@code w1 f(x; k1, lambda1) + (1 - w1) f(x; k2, lambda2)} with
 * {@code f(x; k, lambda) = (k / lambda) (x / lambda)^(k-1) exp(-(x / lambda)^k)} on {@code x > 0}: the
 * model of path probabilities in Reasoning Pruning (Zhou et al., "Bridging internal probability and
 * self-consistency for effective and efficient LLM reasoning", NeurIPS 2025, Sec. 4.2; official
 * {@code compute_rpc.py}: {@code weibull_pdf}, {@code mixture_pdf}, {@code neg_log_likelihood}). The
 * "high" component is the one with the larger mean {@code lambda Gamma(1 + 1/k)}; {@link #fit} returns
 * it as component 1, as the official code does after fitting.
 *
 * @param w1      weight of component 1, in (0, 1)
 * @param k1      shape of component 1, {@code > 0}
 * @param lambda1 scale of component 1, {@code > 0}
 * @param k2      shape of component 2, {@code > 0}
 * @param lambda2 scale of component 2, {@code > 0}
 */
public record WeibullMixture(double w1, double k1, double lambda1, double k2, double lambda2) {
  /** The official starting point of the fit: (w1, k1, lambda1, k2, lambda2) = (0.5, 1, 1, 1.5, 2). */
  public static final WeibullMixture OFFICIAL_START = new WeibullMixture(0.5, 1.0, 1.0, 1.5, 2.0);

  /** The official bounds: w1 in [0.2, 0.8], every shape and scale at least 0.01. */
  private static final double[] LOWER = {0.2, 0.01, 0.01, 0.01, 0.01};
  private static final double[] UPPER = {0.8, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};

  public WeibullMixture {
    if (!(w1 > 0 && w1 < 1)) {
      throw BadInputException.of("w1", w1, "a weight in (0, 1)");
    }
    BadInputException.requirePositive("k1", k1);
    BadInputException.requirePositive("lambda1", lambda1);
    BadInputException.requirePositive("k2", k2);
    BadInputException.requirePositive("lambda2", lambda2);
  }

  /**
   * The maximum-likelihood mixture for {@code x}, searched from {@link #OFFICIAL_START} within the
   * official bounds by {@link BoundedMinimizer#DEFAULT} (the official code calls scipy's L-BFGS-B with
   * finite-difference gradients; this uses the analytic gradient). The likelihood has local optima and
   * is unbounded for very few points, so, as in the official code, the result is the optimum the
   * search reaches from that start. Component 1 of the result is the high one.
   *
   * @throws BadInputException if {@code x} is empty or holds a value that is not finite and positive
   */
  public static WeibullMixture fit(double[] x) {
    if (x.length == 0) {
      throw BadInputException.of("values to fit", "an empty array", "at least one value");
    }
    for (int i = 0; i < x.length; i++) {
      BadInputException.requirePositive("values to fit[" + i + "]", x[i]);
    }
    double[] start = {OFFICIAL_START.w1, OFFICIAL_START.k1, OFFICIAL_START.lambda1, OFFICIAL_START.k2,
        OFFICIAL_START.lambda2};
    double[] p = BoundedMinimizer.DEFAULT.minimize((q, g) -> negLogLikelihood(q, x, g), start, LOWER, UPPER).x();
    WeibullMixture fitted = new WeibullMixture(p[0], p[1], p[2], p[3], p[4]);
    return fitted.highFirst();
  }

  /** This mixture with the high (larger-mean) component as component 1 (the official swap). */
  public WeibullMixture highFirst() {
    return logMean(k1, lambda1) < logMean(k2, lambda2) ? new WeibullMixture(1 - w1, k2, lambda2, k1, lambda1) : this;
  }

  /** Mean {@code lambda1 Gamma(1 + 1/k1)} of component 1. */
  public double mean1() {
    return Math.exp(logMean(k1, lambda1));
  }

  /** Mean {@code lambda2 Gamma(1 + 1/k2)} of component 2. */
  public double mean2() {
    return Math.exp(logMean(k2, lambda2));
  }

  /** The mixture density at {@code x} (0 for {@code x <= 0}). */
  public double density(double x) {
    return Math.exp(logDensity(x));
  }

  /** The log of the mixture density at {@code x} (-Infinity for {@code x <= 0}). */
  public double logDensity(double x) {
    if (!(x > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    return logSumExp(Math.log(w1) + logWeibull(x, k1, lambda1), Math.log1p(-w1) + logWeibull(x, k2, lambda2));
  }

  /**
   * P(high | x): the posterior probability that {@code x} came from the component with the larger
   * mean (official {@code calculate_membership_probabilities}, computed in logs so that it does not
   * underflow). NaN if both densities are zero at x.
   */
  public double posteriorHigh(double x) {
    double a1 = Math.log(w1) + logWeibull(x, k1, lambda1);
    double a2 = Math.log1p(-w1) + logWeibull(x, k2, lambda2);
    double first = 1 / (1 + Math.exp(a2 - a1));
    return logMean(k1, lambda1) >= logMean(k2, lambda2) ? first : 1 - first;
  }

  /** {@code sum_i log density(x_i)}. */
  public double logLikelihood(double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += logDensity(v);
    }
    return sum;
  }

  /** One draw by inversion: component 1 with probability w1, then {@code lambda (-log(1 - U))^(1/k)}. */
  public double sample(Rng rng) {
    boolean first = rng.nextDouble() < w1;
    double e = -Math.log1p(-rng.nextDouble());
    return first ? lambda1 * Math.pow(e, 1 / k1) : lambda2 * Math.pow(e, 1 / k2);
  }

  /**
   * Minus the log-likelihood of {@code x} at {@code q = (w1, k1, lambda1, k2, lambda2)}, with its
   * analytic gradient written into {@code g}; +Infinity where the likelihood vanishes.
   */
  static double negLogLikelihood(double[] q, double[] x, double[] g) {
    double w = q[0];
    double logW = Math.log(w);
    double logW2 = Math.log1p(-w);
    double sum = 0;
    double gw = 0;
    double gk1 = 0;
    double gl1 = 0;
    double gk2 = 0;
    double gl2 = 0;
    for (double v : x) {
      double z1 = Math.log(v) - Math.log(q[2]);
      double z2 = Math.log(v) - Math.log(q[4]);
      double u1 = Math.exp(q[1] * z1);
      double u2 = Math.exp(q[3] * z2);
      double a1 = logW + Math.log(q[1]) - Math.log(q[2]) + (q[1] - 1) * z1 - u1;
      double a2 = logW2 + Math.log(q[3]) - Math.log(q[4]) + (q[3] - 1) * z2 - u2;
      double total = logSumExp(a1, a2);
      if (!(total > Double.NEGATIVE_INFINITY) || Double.isNaN(total)) {
        return Double.POSITIVE_INFINITY;
      }
      sum += total;
      double r1 = Math.exp(a1 - total);
      double r2 = Math.exp(a2 - total);
      gw += r1 / w - r2 / (1 - w);
      if (r1 > 0) {
        gk1 += r1 * (1 / q[1] + z1 * (1 - u1));
        gl1 += r1 * (q[1] / q[2]) * (u1 - 1);
      }
      if (r2 > 0) {
        gk2 += r2 * (1 / q[3] + z2 * (1 - u2));
        gl2 += r2 * (q[3] / q[4]) * (u2 - 1);
      }
    }
    g[0] = -gw;
    g[1] = -gk1;
    g[2] = -gl1;
    g[3] = -gk2;
    g[4] = -gl2;
    return -sum;
  }

  private static double logWeibull(double x, double k, double lambda) {
    if (!(x > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    double z = Math.log(x) - Math.log(lambda);
    return Math.log(k) - Math.log(lambda) + (k - 1) * z - Math.exp(k * z);
  }

  private static double logMean(double k, double lambda) {
    return Math.log(lambda) + GoodnessOfFit.logGamma(1 + 1 / k);
  }

  private static double logSumExp(double a, double b) {
    double m = Math.max(a, b);
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }
}
