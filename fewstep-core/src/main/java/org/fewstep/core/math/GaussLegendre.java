package org.fewstep.core.math;

import java.util.function.DoubleUnaryOperator;

/**
 * Gauss-Legendre quadrature: nodes and weights on [-1, 1] (Newton iteration on the Legendre
 * polynomial), and a composite rule that halves its panels until two estimates agree.
 */
public final class GaussLegendre {
  private final double[] nodes;
  private final double[] weights;

  /** The {@code points}-point rule (exact for polynomials of degree {@code 2*points - 1}). */
  public GaussLegendre(int points) {
    if (points < 1) {
      throw new IllegalArgumentException("points = " + points + ": expected >= 1");
    }
    nodes = new double[points];
    weights = new double[points];
    if (points == 1) {
      weights[0] = 2;
      return;
    }
    for (int i = 0; i < (points + 1) / 2; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (points + 0.5));
      double derivative = 1;
      for (int iteration = 0; iteration < 100; iteration++) {
        double p0 = 1; // P_{k-1}
        double p1 = x; // P_k
        for (int k = 2; k <= points; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        derivative = points * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / derivative;
        x -= dx;
        if (Math.abs(dx) < 1e-16) {
          break;
        }
      }
      double w = 2 / ((1 - x * x) * derivative * derivative);
      nodes[i] = -x;
      nodes[points - 1 - i] = x;
      weights[i] = w;
      weights[points - 1 - i] = w;
    }
  }

  /** Integral of {@code f} over [a, b] with this rule on one panel. */
  public double integrate(DoubleUnaryOperator f, double a, double b) {
    double half = 0.5 * (b - a);
    double mid = 0.5 * (a + b);
    double sum = 0;
    for (int i = 0; i < nodes.length; i++) {
      sum += weights[i] * f.applyAsDouble(mid + half * nodes[i]);
    }
    return sum * half;
  }

  /** Integral over [a, b] with {@code panels} equal panels. */
  public double integrate(DoubleUnaryOperator f, double a, double b, int panels) {
    double sum = 0;
    double width = (b - a) / panels;
    for (int p = 0; p < panels; p++) {
      double lo = a + p * width;
      double hi = p == panels - 1 ? b : lo + width;
      sum += integrate(f, lo, hi);
    }
    return sum;
  }

  /**
   * Integral over [a, b] to relative tolerance {@code tol}: doubles the panel count (from 1, at
   * most 2^16 panels) until two successive estimates agree.
   */
  public double integrateTo(DoubleUnaryOperator f, double a, double b, double tol) {
    double previous = integrate(f, a, b, 1);
    for (int panels = 2; panels <= 1 << 16; panels *= 2) {
      double current = integrate(f, a, b, panels);
      if (Math.abs(current - previous) <= tol * Math.max(Math.abs(current), Double.MIN_NORMAL)) {
        return current;
      }
      previous = current;
    }
    return previous;
  }
}
