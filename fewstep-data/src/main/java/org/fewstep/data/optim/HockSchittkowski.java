package org.fewstep.data.optim;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Equality-constrained Hock-Schittkowski test problems with analytic derivatives (Hock and Schittkowski,
 * "Test Examples for Nonlinear Programming Codes", 1981; the CUTEst set of Hong et al. ICML 2023,
 * {@code Parameter/problems.txt}). Standard starting points and known optima.
 */
public final class HockSchittkowski {
  private HockSchittkowski() {}

  /** A problem with its standard start, known minimizer and optimal value. */
  public record Instance(String name, EqualityProblem problem, double[] start, double[] optimum, double optimalValue) {}

  /** HS6: {@code min (1 - x1)^2 s.t. 10 (x2 - x1^2) = 0}; start (-1.2, 1); optimum (1, 1), f* = 0. */
  public static Instance hs6() {
    EqualityProblem p = new Analytic(2, 1,
        x -> sq(1 - x[0]),
        x -> new double[] {-2 * (1 - x[0]), 0},
        x -> new double[][] {{2, 0}, {0, 0}},
        x -> new double[] {10 * (x[1] - x[0] * x[0])},
        x -> new double[][] {{-20 * x[0], 10}},
        (i, x) -> new double[][] {{-20, 0}, {0, 0}});
    return new Instance("HS6", p, new double[] {-1.2, 1}, new double[] {1, 1}, 0);
  }

  /** HS7: {@code min log(1 + x1^2) - x2 s.t. (1 + x1^2)^2 + x2^2 = 4}; start (2, 2); optimum (0, sqrt 3). */
  public static Instance hs7() {
    EqualityProblem p = new Analytic(2, 1,
        x -> Math.log1p(x[0] * x[0]) - x[1],
        x -> new double[] {2 * x[0] / (1 + x[0] * x[0]), -1},
        x -> new double[][] {{2 * (1 - x[0] * x[0]) / sq(1 + x[0] * x[0]), 0}, {0, 0}},
        x -> new double[] {sq(1 + x[0] * x[0]) + x[1] * x[1] - 4},
        x -> new double[][] {{4 * x[0] * (1 + x[0] * x[0]), 2 * x[1]}},
        (i, x) -> new double[][] {{4 + 12 * x[0] * x[0], 0}, {0, 2}});
    return new Instance("HS7", p, new double[] {2, 2}, new double[] {0, Math.sqrt(3)}, -Math.sqrt(3));
  }

  /** HS28: {@code min (x1 + x2)^2 + (x2 + x3)^2 s.t. x1 + 2 x2 + 3 x3 = 1}; start (-4, 1, 1); optimum (1/2, -1/2, 1/2). */
  public static Instance hs28() {
    EqualityProblem p = new Analytic(3, 1,
        x -> sq(x[0] + x[1]) + sq(x[1] + x[2]),
        x -> new double[] {2 * (x[0] + x[1]), 2 * (x[0] + x[1]) + 2 * (x[1] + x[2]), 2 * (x[1] + x[2])},
        x -> new double[][] {{2, 2, 0}, {2, 4, 2}, {0, 2, 2}},
        x -> new double[] {x[0] + 2 * x[1] + 3 * x[2] - 1},
        x -> new double[][] {{1, 2, 3}},
        (i, x) -> new double[3][3]);
    return new Instance("HS28", p, new double[] {-4, 1, 1}, new double[] {0.5, -0.5, 0.5}, 0);
  }

  /**
   * HS48: {@code min (x1 - 1)^2 + (x2 - x3)^2 + (x4 - x5)^2 s.t. sum x = 5, x3 - 2 (x4 + x5) = -3}; start
   * (3, 5, -3, 2, -2); optimum all ones.
   */
  public static Instance hs48() {
    EqualityProblem p = new Analytic(5, 2,
        x -> sq(x[0] - 1) + sq(x[1] - x[2]) + sq(x[3] - x[4]),
        x -> new double[] {2 * (x[0] - 1), 2 * (x[1] - x[2]), -2 * (x[1] - x[2]), 2 * (x[3] - x[4]), -2 * (x[3] - x[4])},
        x -> new double[][] {
            {2, 0, 0, 0, 0}, {0, 2, -2, 0, 0}, {0, -2, 2, 0, 0}, {0, 0, 0, 2, -2}, {0, 0, 0, -2, 2}},
        x -> new double[] {x[0] + x[1] + x[2] + x[3] + x[4] - 5, x[2] - 2 * (x[3] + x[4]) + 3},
        x -> new double[][] {{1, 1, 1, 1, 1}, {0, 0, 1, -2, -2}},
        (i, x) -> new double[5][5]);
    return new Instance("HS48", p, new double[] {3, 5, -3, 2, -2}, new double[] {1, 1, 1, 1, 1}, 0);
  }

  /**
   * HS51: {@code min (x1 - x2)^2 + (x2 + x3 - 2)^2 + (x4 - 1)^2 + (x5 - 1)^2 s.t. x1 + 3 x2 = 4,
   * x3 + x4 - 2 x5 = 0, x2 - x5 = 0}; start (2.5, 0.5, 2, -1, 0.5); optimum all ones.
   */
  public static Instance hs51() {
    EqualityProblem p = new Analytic(5, 3,
        x -> sq(x[0] - x[1]) + sq(x[1] + x[2] - 2) + sq(x[3] - 1) + sq(x[4] - 1),
        x -> new double[] {
            2 * (x[0] - x[1]), -2 * (x[0] - x[1]) + 2 * (x[1] + x[2] - 2), 2 * (x[1] + x[2] - 2),
            2 * (x[3] - 1), 2 * (x[4] - 1)},
        x -> new double[][] {
            {2, -2, 0, 0, 0}, {-2, 4, 2, 0, 0}, {0, 2, 2, 0, 0}, {0, 0, 0, 2, 0}, {0, 0, 0, 0, 2}},
        x -> new double[] {x[0] + 3 * x[1] - 4, x[2] + x[3] - 2 * x[4], x[1] - x[4]},
        x -> new double[][] {{1, 3, 0, 0, 0}, {0, 0, 1, 1, -2}, {0, 1, 0, 0, -1}},
        (i, x) -> new double[5][5]);
    return new Instance("HS51", p, new double[] {2.5, 0.5, 2, -1, 0.5}, new double[] {1, 1, 1, 1, 1}, 0);
  }

  private static double sq(double v) {
    return v * v;
  }

  /** A problem given by its derivative formulas. */
  static final class Analytic implements EqualityProblem {
    private final int d;
    private final int m;
    private final ToDoubleFunction<double[]> f;
    private final Function<double[], double[]> grad;
    private final Function<double[], double[][]> hess;
    private final Function<double[], double[]> c;
    private final Function<double[], double[][]> jac;
    private final BiFunction<Integer, double[], double[][]> chess;

    Analytic(int d, int m, ToDoubleFunction<double[]> f, Function<double[], double[]> grad,
        Function<double[], double[][]> hess, Function<double[], double[]> c, Function<double[], double[][]> jac,
        BiFunction<Integer, double[], double[][]> chess) {
      this.d = d;
      this.m = m;
      this.f = f;
      this.grad = grad;
      this.hess = hess;
      this.c = c;
      this.jac = jac;
      this.chess = chess;
    }

    @Override
    public int dimension() {
      return d;
    }

    @Override
    public int constraintCount() {
      return m;
    }

    @Override
    public double objective(double[] x) {
      return f.applyAsDouble(x);
    }

    @Override
    public double[] gradient(double[] x) {
      return grad.apply(x);
    }

    @Override
    public double[][] hessian(double[] x) {
      return hess.apply(x);
    }

    @Override
    public double[] constraints(double[] x) {
      return c.apply(x);
    }

    @Override
    public double[][] jacobian(double[] x) {
      return jac.apply(x);
    }

    @Override
    public double[][] constraintHessian(int i, double[] x) {
      return chess.apply(i, x);
    }
  }
}
