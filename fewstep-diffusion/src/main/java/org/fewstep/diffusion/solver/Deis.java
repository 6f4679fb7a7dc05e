package org.fewstep.diffusion.solver;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.GaussLegendre;
import org.fewstep.core.math.Vectors;
import org.fewstep.core.registry.Keyed;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * DEIS, the diffusion exponential integrator sampler (Zhang and Chen, ICLR 2023; diffusion.md 3).
 * In VE coordinates the probability-flow ODE is {@code dx/drho = eps(x, t(rho))} with
 * {@code rho = sigma/alpha}, and
 * <ul>
 *   <li>{@code method=ab} (tAB/rhoAB-DEIS): the noise is extrapolated by the Lagrange polynomial
 *       through the last {@code order + 1} evaluations, in the variable {@code basis}: t (the paper's
 *       tAB), rho (rhoAB), or log rho (the variant diffusers implements); the weights
 *       {@code C_ij = integral over [rho_i, rho_{i+1}] of l_j(basis) drho} are integrated once per grid
 *       (Gauss-Legendre, relative error 1e-13; the official code uses a 10 000-point Riemann sum);</li>
 *   <li>{@code method=rk} (rhoRK-DEIS): an explicit Runge-Kutta method in rho;</li>
 *   <li>{@code method=ipndm}: DDIM transfer with fixed Adams-Bashforth weights (the DEIS repository's iPNDM).</li>
 * </ul>
 * AB and iPNDM use lower orders until enough evaluations exist; order 0 is DDIM.
 */
final class Deis extends Solver {
  enum Method implements Keyed {
    AB, RK, IPNDM;

    @Override
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The variable of the extrapolating polynomial. */
  enum Basis implements Keyed {
    T, RHO, LOGRHO;

    @Override
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The value of this variable at a point: t, rho = sigma/alpha, or log rho = -lambda. */
    double at(TimePoint p) {
      switch (this) {
        case T:
          return p.t();
        case RHO:
          return p.noise();
        default:
          return -p.lambda();
      }
    }
  }

  /** An explicit Runge-Kutta method: nodes c, matrix a (lower triangle), weights b. */
  record Tableau(double[] c, double[][] a, double[] b) {
    static final String[] KEYS = {"euler", "heun", "kutta3", "ralston3", "heun3", "vdh3", "ssprk3", "rk4"};

    static Tableau of(String name) {
      switch (name) {
        case "euler":
          return new Tableau(new double[] {0}, new double[][] {{}}, new double[] {1});
        case "heun":
          return new Tableau(new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5});
        case "kutta3":
          return new Tableau(new double[] {0, 0.5, 1}, new double[][] {{}, {0.5}, {-1, 2}}, new double[] {1.0 / 6, 4.0 / 6, 1.0 / 6});
        case "ralston3":
          return new Tableau(new double[] {0, 0.5, 0.75}, new double[][] {{}, {0.5}, {0, 0.75}}, new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9});
        case "heun3":
          return new Tableau(new double[] {0, 1.0 / 3, 2.0 / 3}, new double[][] {{}, {1.0 / 3}, {0, 2.0 / 3}}, new double[] {0.25, 0, 0.75});
        case "vdh3":
          return new Tableau(new double[] {0, 8.0 / 15, 2.0 / 3}, new double[][] {{}, {8.0 / 15}, {0.25, 5.0 / 12}}, new double[] {0.25, 0, 0.75});
        case "ssprk3":
          return new Tableau(new double[] {0, 1, 0.5}, new double[][] {{}, {1}, {0.25, 0.25}}, new double[] {1.0 / 6, 1.0 / 6, 2.0 / 3});
        case "rk4":
          return new Tableau(new double[] {0, 0.5, 0.5, 1}, new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
              new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6});
        default:
          throw BadInputException.of("rk", name, String.join(", ", KEYS));
      }
    }

    int stages() {
      return b.length;
    }
  }

  private static final GaussLegendre QUADRATURE = new GaussLegendre(16);

  private final Method method;
  private final Basis basis;
  private final int order;
  private final Tableau tableau;

  Deis(Settings settings, Method method, Basis basis, int order, Tableau tableau) {
    super(settings);
    this.method = method;
    this.basis = basis;
    this.order = order;
    this.tableau = tableau;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    if (method == Method.RK) {
      rungeKutta(run, x, grid);
      return;
    }
    int steps = grid.steps();
    double[][] weights = method == Method.AB ? abWeights(run.model.schedule(), grid) : ipndmWeights(grid);
    double[][] history = new double[order + 1][];
    for (int i = 0; i <= order; i++) {
      history[i] = run.buffer();
    }
    for (int i = 0; i < steps; i++) {
      double[] newest = history[order];
      System.arraycopy(history, 0, history, 1, order);
      history[0] = newest;
      run.eps(x, grid.point(i), newest);
      Vectors.combine(x, 1, x, weights[i], history, weights[i].length);
      run.stepDone(grid.point(i + 1), x, null);
    }
  }

  /** iPNDM: {@code (rho_{i+1} - rho_i)} times the Adams-Bashforth weights of the available order. */
  private double[][] ipndmWeights(TimeGrid grid) {
    double[][] weights = new double[grid.steps()][];
    for (int i = 0; i < grid.steps(); i++) {
      double[] ab = AdamsBashforth.weights(Math.min(i, order) + 1);
      double d = grid.point(i + 1).noise() - grid.point(i).noise();
      weights[i] = new double[ab.length];
      for (int j = 0; j < ab.length; j++) {
        weights[i][j] = d * ab[j];
      }
    }
    return weights;
  }

  /** tAB/rhoAB/logrho weights {@code C_ij}, newest evaluation first. */
  double[][] abWeights(NoiseSchedule schedule, TimeGrid grid) {
    double[][] weights = new double[grid.steps()][];
    for (int i = 0; i < grid.steps(); i++) {
      int r = Math.min(i, order);
      double[] nodes = new double[r + 1];
      for (int j = 0; j <= r; j++) {
        nodes[j] = basis.at(grid.point(i - j));
      }
      // integrate over u = log rho = -lambda: drho = e^u du
      double from = -grid.point(i).lambda();
      double to = -grid.point(i + 1).lambda();
      weights[i] = new double[r + 1];
      // t(u) of a discrete schedule is piecewise smooth: integrate piece by piece between its knots
      double[] cuts = basis == Basis.T ? cuts(schedule.lambdaKnots(), from, to) : new double[] {from, to};
      for (int j = 0; j <= r; j++) {
        int jj = j;
        DoubleUnaryOperator integrand = u -> lagrange(nodes, jj, basisAt(schedule, u)) * Math.exp(u);
        double sum = 0;
        for (int c = 0; c + 1 < cuts.length; c++) {
          sum += QUADRATURE.integrateTo(integrand, cuts[c], cuts[c + 1], 1e-13);
        }
        weights[i][j] = sum;
      }
    }
    return weights;
  }

  /** {@code from}, the knots {@code u = -lambda} strictly between from and to (in the order from to to), {@code to}. */
  static double[] cuts(double[] lambdaKnots, double from, double to) {
    double lo = Math.min(from, to);
    double hi = Math.max(from, to);
    double[] inside = java.util.Arrays.stream(lambdaKnots).map(l -> -l).filter(u -> u > lo && u < hi).sorted().toArray();
    double[] out = new double[inside.length + 2];
    out[0] = from;
    out[out.length - 1] = to;
    for (int k = 0; k < inside.length; k++) {
      out[k + 1] = from < to ? inside[k] : inside[inside.length - 1 - k];
    }
    return out;
  }

  private double basisAt(NoiseSchedule schedule, double u) {
    switch (basis) {
      case T:
        return schedule.inverseLambda(-u);
      case RHO:
        return Math.exp(u);
      default:
        return u;
    }
  }

  /** The j-th Lagrange basis polynomial through {@code nodes}, at y. */
  static double lagrange(double[] nodes, int j, double y) {
    double value = 1;
    for (int k = 0; k < nodes.length; k++) {
      if (k != j) {
        value *= (y - nodes[k]) / (nodes[j] - nodes[k]);
      }
    }
    return value;
  }

  /** rhoRK: {@code v' = v + d rho sum_j b_j k_j}, {@code k_j = eps(v + d rho sum_l a_jl k_l, rho + c_j d rho)}. */
  private void rungeKutta(Run run, double[] x, TimeGrid grid) {
    int stages = tableau.stages();
    double[][] k = new double[stages][];
    for (int j = 0; j < stages; j++) {
      k[j] = run.buffer();
    }
    double[] stage = run.buffer();
    double[] coefficients = new double[stages];
    NoiseSchedule schedule = run.model.schedule();
    for (int i = 0; i < grid.steps(); i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      double d = t.noise() - s.noise();
      for (int j = 0; j < stages; j++) {
        TimePoint at = j == 0 || tableau.c()[j] == 0 ? s
            : tableau.c()[j] == 1 ? t : schedule.atLambda(-Math.log(s.noise() + tableau.c()[j] * d));
        double[] row = tableau.a()[j];
        for (int l = 0; l < row.length; l++) {
          coefficients[l] = d * row[l];
        }
        Vectors.combine(stage, 1, x, coefficients, k, row.length);
        run.eps(stage, at, k[j]);
      }
      for (int j = 0; j < stages; j++) {
        coefficients[j] = d * tableau.b()[j];
      }
      Vectors.combine(x, 1, x, coefficients, k, stages);
      run.stepDone(t, x, null);
    }
  }
}
