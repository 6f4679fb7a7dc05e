package org.fewstep.scaling.coverage;

import org.fewstep.core.BadInputException;
import org.fewstep.core.math.LeastSquares;

/**
 * The exponentiated power law of Large Language Monkeys (Brown et al. 2024; brief decoding.md 12(b)):
 * {@code coverage(k) ~ exp(a * k^b)}, with {@code a < 0} and {@code b < 0} expected, so that coverage tends to 1
 * as {@code k} grows and {@code exp(a)} is about pass@1.
 *
 * <p>{@link #fit} minimises {@code sum_i (a k_i^b - log c_i)^2} (least squares on log coverage) by
 * Levenberg-Marquardt on {@code (a, b)}, started from {@link #linearised}, the straight-line fit
 * {@code log(-log c) = log(-a) + b log k}.
 *
 * <p>Points: {@code k} must be finite and {@code > 0}, coverage in {@code [0, 1]}. Coverage 0 has
 * {@code log c = -infinity} and is skipped by both fits. Coverage 1 ({@code log c = 0}) is kept by the
 * nonlinear fit but skipped by the linearised one, where {@code log(-log c)} is undefined.
 */
public final class PowerLawFit {
  private static final int MAX_ITERATIONS = 500;

  private PowerLawFit() {}

  /**
   * A fitted law {@code exp(a * k^b)}.
   *
   * @param a          the scale of log coverage ({@code log coverage at k = 1})
   * @param b          the power of {@code k}
   * @param rSquared   {@code 1 - SS_res / SS_tot} of log coverage over the points used (1 when both are 0)
   * @param points     points used by the fit
   * @param iterations Levenberg-Marquardt steps taken (0 for the linearised fit)
   */
  public record Fit(double a, double b, double rSquared, int points, int iterations) {
    /** The fitted coverage {@code exp(a * k^b)}. */
    public double coverage(double k) {
      return Math.exp(a * Math.pow(k, b));
    }
  }

  /** The least-squares fit on log coverage, started from {@link #linearised}. */
  public static Fit fit(double[] k, double[] coverage) {
    Fit start = linearised(k, coverage);
    return fit(k, coverage, start.a(), start.b());
  }

  /** The least-squares fit on log coverage, started from {@code (a0, b0)}. */
  public static Fit fit(double[] k, double[] coverage, double a0, double b0) {
    BadInputException.requireFinite("a0", a0);
    BadInputException.requireFinite("b0", b0);
    double[][] points = usable(k, coverage, false);
    double[] ks = points[0];
    double[] logC = points[1];
    int m = ks.length;
    double a = a0;
    double b = b0;
    double cost = cost(ks, logC, a, b);
    double lambda = 1e-3;
    int iterations = 0;
    while (iterations < MAX_ITERATIONS) {
      iterations++;
      // Jacobian of r_i = a k^b - log c_i: (k^b, a k^b log k); damped step from [J; sqrt(lambda) D] d = [-r; 0].
      double[][] j = new double[m + 2][2];
      double[] rhs = new double[m + 2];
      double da = 0;
      double db = 0;
      for (int i = 0; i < m; i++) {
        double kb = Math.pow(ks[i], b);
        j[i][0] = kb;
        j[i][1] = a * kb * Math.log(ks[i]);
        rhs[i] = logC[i] - a * kb;
        da += j[i][0] * j[i][0];
        db += j[i][1] * j[i][1];
      }
      boolean converged = true;
      while (lambda < 1e16) {
        j[m][0] = Math.sqrt(lambda * Math.max(da, 1e-300));
        j[m][1] = 0;
        j[m + 1][0] = 0;
        j[m + 1][1] = Math.sqrt(lambda * Math.max(db, 1e-300));
        double[] d;
        try {
          d = LeastSquares.solve(j, rhs);
        } catch (ArithmeticException e) {
          lambda *= 10;
          continue;
        }
        double newCost = cost(ks, logC, a + d[0], b + d[1]);
        if (newCost <= cost) {
          double step = Math.abs(d[0]) / Math.max(Math.abs(a), 1e-300) + Math.abs(d[1]) / Math.max(Math.abs(b), 1e-300);
          double gain = cost - newCost;
          a += d[0];
          b += d[1];
          cost = newCost;
          lambda = Math.max(lambda / 10, 1e-12);
          converged = step < 1e-13 || newCost == 0 || gain <= 1e-15 * (cost + gain);
          break;
        }
        lambda *= 10;
      }
      // converged stays true when no damping gives a descent step: (a, b) is then a local minimum.
      if (converged) {
        break;
      }
    }
    return new Fit(a, b, rSquared(ks, logC, a, b), m, iterations);
  }

  /**
   * The linearised fit: ordinary least squares of {@code log(-log c)} on {@code log k}, giving
   * {@code a = -exp(intercept)} and {@code b = slope}; uses only points with {@code 0 < c < 1}. Its
   * {@code rSquared} is that of log coverage, like {@link #fit}'s, over the points it used.
   */
  public static Fit linearised(double[] k, double[] coverage) {
    double[][] points = usable(k, coverage, true);
    double[] ks = points[0];
    double[] logC = points[1];
    int m = ks.length;
    double[][] design = new double[m][];
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      design[i] = new double[] {1, Math.log(ks[i])};
      y[i] = Math.log(-logC[i]);
    }
    double[] line;
    try {
      line = LeastSquares.solve(design, y);
    } catch (ArithmeticException e) {
      throw BadInputException.of("distinct k among points with 0 < coverage < 1", 1, "at least 2");
    }
    double a = -Math.exp(line[0]);
    double b = line[1];
    return new Fit(a, b, rSquared(ks, logC, a, b), m, 0);
  }

  /** Validates the points and returns {k, log c} of the usable ones (0 < c <= 1, or 0 < c < 1 if strict). */
  private static double[][] usable(double[] k, double[] coverage, boolean strict) {
    if (k == null || coverage == null) {
      throw new BadInputException("power-law fit: expected k and coverage arrays, got null");
    }
    if (coverage.length != k.length) {
      throw BadInputException.of("coverage length", coverage.length, k.length + " (one per k)");
    }
    int m = 0;
    for (int i = 0; i < k.length; i++) {
      if (!(k[i] > 0) || Double.isInfinite(k[i])) {
        throw BadInputException.of("k[" + i + "]", k[i], "a finite number > 0");
      }
      if (!(coverage[i] >= 0 && coverage[i] <= 1)) {
        throw BadInputException.of("coverage[" + i + "]", coverage[i], "a number in [0, 1]");
      }
      if (coverage[i] > 0 && (!strict || coverage[i] < 1)) {
        m++;
      }
    }
    if (m < 2) {
      String which = strict ? "points with 0 < coverage < 1" : "points with coverage > 0";
      throw BadInputException.of(which, m, "at least 2");
    }
    double[][] out = new double[2][m];
    int j = 0;
    for (int i = 0; i < k.length; i++) {
      if (coverage[i] > 0 && (!strict || coverage[i] < 1)) {
        out[0][j] = k[i];
        out[1][j] = Math.log(coverage[i]);
        j++;
      }
    }
    return out;
  }

  private static double cost(double[] ks, double[] logC, double a, double b) {
    double sum = 0;
    for (int i = 0; i < ks.length; i++) {
      double r = a * Math.pow(ks[i], b) - logC[i];
      sum += r * r;
    }
    return Double.isFinite(sum) ? sum : Double.POSITIVE_INFINITY;
  }

  private static double rSquared(double[] ks, double[] logC, double a, double b) {
    double mean = 0;
    for (double v : logC) {
      mean += v;
    }
    mean /= logC.length;
    double total = 0;
    for (double v : logC) {
      total += (v - mean) * (v - mean);
    }
    double residual = cost(ks, logC, a, b);
    if (total == 0) {
      return residual == 0 ? 1 : 0;
    }
    return 1 - residual / total;
  }
}
