package org.fewstep.core.math;

import org.fewstep.core.BadInputException;

/**
 * Minimises a smooth function over a box {@code lower <= x <= upper} by a projected BFGS method
 * (Bertsekas, "Projected Newton methods for optimization problems with simple constraints", SIAM J.
 * Control Optim. 20, 1982; BFGS update as in Nocedal and Wright, Numerical Optimization, eq. 6.17): a
 * variable sitting on a bound with its gradient pointing outwards is held fixed, the others move along
 * {@code -H g} with {@code H} the inverse-Hessian estimate restricted to them, and an Armijo
 * backtracking search runs along the projected path {@code P(x + t d)}. The stopping rules are
 * those of L-BFGS-B as scipy sets them by default: the projected gradient {@code max |P(x - g) - x|}
 * at most {@code gradientTolerance} (1e-5), or a relative decrease
 * {@code (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1)} at most {@code functionTolerance} (2.22e-9), or
 * {@code maxIterations} (15,000). Meant for small dense problems (the matrix {@code H} is n by n).
 *
 * @param maxIterations      the most iterations, {@code >= 1}
 * @param gradientTolerance  stop once the projected gradient's largest entry is at most this
 * @param functionTolerance  stop once a step lowers f by at most this much, relative
 */
public record BoundedMinimizer(int maxIterations, double gradientTolerance, double functionTolerance) {
  /** scipy's L-BFGS-B defaults: 15,000 iterations, pgtol 1e-5, ftol 2.220446049250313e-9. */
  public static final BoundedMinimizer DEFAULT = new BoundedMinimizer(15_000, 1e-5, 2.220446049250313e-9);

  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 60;

  public BoundedMinimizer {
    BadInputException.requireAtLeast("maxIterations", maxIterations, 1);
    if (!(gradientTolerance >= 0)) {
      throw BadInputException.of("gradientTolerance", gradientTolerance, "a number >= 0");
    }
    if (!(functionTolerance >= 0)) {
      throw BadInputException.of("functionTolerance", functionTolerance, "a number >= 0");
    }
  }

  /** A function with its gradient. */
  @FunctionalInterface
  public interface Objective {
    /**
     * Returns {@code f(x)} and writes its gradient into {@code gradient}. May return +Infinity or
     * NaN where f is undefined; such points are rejected by the line search.
     */
    double valueAndGradient(double[] x, double[] gradient);
  }

  /**
   * The point reached.
   *
   * @param x          the last accepted point, inside the box
   * @param value      f(x)
   * @param iterations iterations taken
   * @param converged  true when a tolerance was met, false when the iteration limit was hit or the line
   *                   search could not lower f any further
   */
  public record Result(double[] x, double value, int iterations, boolean converged) {}

  /**
   * Minimises {@code f} from {@code start} (clamped into the box). A bound may be infinite.
   *
   * @throws BadInputException if the arrays differ in length, a bound is NaN, a lower bound exceeds its
   *     upper bound, or f is not finite at the clamped start
   */
  public Result minimize(Objective f, double[] start, double[] lower, double[] upper) {
    int n = start.length;
    if (lower.length != n || upper.length != n) {
      throw BadInputException.of("bounds length", lower.length + " and " + upper.length, n + " (the start's length)");
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(lower[i]) || Double.isNaN(upper[i]) || lower[i] > upper[i]) {
        throw BadInputException.of("bounds[" + i + "]", "[" + lower[i] + ", " + upper[i] + "]", "lower <= upper");
      }
      BadInputException.requireFinite("start[" + i + "]", start[i]);
      x[i] = clamp(start[i], lower[i], upper[i]);
    }
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    if (!Double.isFinite(fx)) {
      throw BadInputException.of("objective at the start", fx, "a finite value");
    }
    double[][] h = identity(n);
    boolean identity = true;
    boolean scaled = false;
    double[] d = new double[n];
    double[] xt = new double[n];
    double[] gt = new double[n];
    double[] s = new double[n];
    double[] y = new double[n];
    boolean[] free = new boolean[n];
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      if (projectedGradient(x, g, lower, upper) <= gradientTolerance) {
        return new Result(x, fx, iteration, true);
      }
      for (int i = 0; i < n; i++) {
        free[i] = !(x[i] <= lower[i] && g[i] > 0 || x[i] >= upper[i] && g[i] < 0);
      }
      double slope = direction(h, g, free, d);
      if (!(slope < 0)) {
        h = identity(n);
        identity = true;
        scaled = false;
        slope = direction(h, g, free, d);
      }
      // first step of a steepest descent: at most unit length, as L-BFGS-B does
      double t = identity && !scaled ? Math.min(1, 1 / norm(d)) : 1;
      double ft = Double.NaN;
      boolean accepted = false;
      for (int halving = 0; halving < MAX_HALVINGS && !accepted; halving++, t *= 0.5) {
        double decrease = 0;
        boolean moved = false;
        for (int i = 0; i < n; i++) {
          xt[i] = clamp(x[i] + t * d[i], lower[i], upper[i]);
          s[i] = xt[i] - x[i];
          decrease += g[i] * s[i];
          moved |= s[i] != 0;
        }
        if (!moved) {
          break;
        }
        ft = f.valueAndGradient(xt, gt);
        accepted = Double.isFinite(ft) && ft <= fx + ARMIJO * decrease;
      }
      if (!accepted) {
        if (identity) {
          return new Result(x, fx, iteration, false);
        }
        h = identity(n);
        identity = true;
        scaled = false;
        continue;
      }
      double sy = 0;
      double yy = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        y[i] = gt[i] - g[i];
        sy += s[i] * y[i];
        yy += y[i] * y[i];
        ss += s[i] * s[i];
      }
      if (sy > 1e-10 * Math.sqrt(ss * yy)) {
        if (!scaled) {
          h = identity(n);
          double gamma = sy / yy;
          for (int i = 0; i < n; i++) {
            h[i][i] = gamma;
          }
          scaled = true;
        }
        update(h, s, y, sy);
        identity = false;
      }
      double relative = (fx - ft) / Math.max(Math.max(Math.abs(fx), Math.abs(ft)), 1);
      System.arraycopy(xt, 0, x, 0, n);
      System.arraycopy(gt, 0, g, 0, n);
      fx = ft;
      if (relative <= functionTolerance) {
        return new Result(x, fx, iteration + 1, true);
      }
    }
    return new Result(x, fx, maxIterations, projectedGradient(x, g, lower, upper) <= gradientTolerance);
  }

  /** {@code d_F = -H_FF g_F}, {@code d = 0} off F; returns the slope {@code g . d}. */
  private static double direction(double[][] h, double[] g, boolean[] free, double[] d) {
    double slope = 0;
    for (int i = 0; i < g.length; i++) {
      double v = 0;
      if (free[i]) {
        for (int j = 0; j < g.length; j++) {
          if (free[j]) {
            v -= h[i][j] * g[j];
          }
        }
      }
      d[i] = v;
      slope += g[i] * v;
    }
    return slope;
  }

  /** Inverse BFGS update {@code H <- (I - r s y^T) H (I - r y s^T) + r s s^T}, {@code r = 1 / s.y}. */
  private static void update(double[][] h, double[] s, double[] y, double sy) {
    int n = s.length;
    double r = 1 / sy;
    double[] hy = new double[n];
    double yhy = 0;
    for (int i = 0; i < n; i++) {
      double v = 0;
      for (int j = 0; j < n; j++) {
        v += h[i][j] * y[j];
      }
      hy[i] = v;
      yhy += y[i] * v;
    }
    double c = (1 + r * yhy) * r;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i][j] += c * s[i] * s[j] - r * (hy[i] * s[j] + s[i] * hy[j]);
      }
    }
  }

  /** {@code max_i |P(x - g)_i - x_i|}, zero exactly at a first-order point of the box problem. */
  private static double projectedGradient(double[] x, double[] g, double[] lower, double[] upper) {
    double largest = 0;
    for (int i = 0; i < x.length; i++) {
      largest = Math.max(largest, Math.abs(clamp(x[i] - g[i], lower[i], upper[i]) - x[i]));
    }
    return largest;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double norm(double[] v) {
    double sum = 0;
    for (double e : v) {
      sum += e * e;
    }
    return Math.sqrt(sum);
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }
}
