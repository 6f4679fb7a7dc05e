package org.fewstep.diffusion.solver;

import java.util.function.Function;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.LinearSystems;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.ems.Ems;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * DPM-Solver-v3 (Zheng, Lu, Chen and Zhu, NeurIPS 2023; diffusion.md 2b): a multistep
 * predictor-corrector over the re-parameterised ODE whose linear part, and the part of the model's
 * output it explains, are chosen per noise level and element by the empirical model statistics
 * ({@link Ems}) {@code l, s, b}. In VE coordinates, with {@code f = sigma~ eps - l x~ = (1 - l) x~ - D}
 * and cumulative integrals from the grid's start {@code L = int l}, {@code S = int s},
 * {@code I = int e^(L+S)}, {@code B = int e^(-S) b}, {@code C = int e^(L+S) B} (trapezoid on the EMS
 * grid), a step from s to t of order n + 1 is
 * <pre>
 *   g_i  = e^(S_s - S_i) f_i - e^(S_s) (B_i - B_s)
 *   x~_t = e^(L_s - L_t) x~_s - e^(-L_t - S_s) (I_t - I_s) g_s - e^(-L_t) (C_t - C_s - B_s (I_t - I_s))
 *          - sum_{k=1..n} e^(L_s - L_t) E_k g^(k),   E_k = int_s^t e^(L + S - L_s - S_s) (lambda - lambda_s)^k / k!
 * </pre>
 * with the derivatives {@code g^(k)} at s from the stored points: by the Vandermonde system through
 * all of them, or ("pseudo-order") by Newton divided differences. The corrector repeats the step with
 * the new point's output among the points and keeps that output's nonlinear part f fixed (no extra
 * evaluation). Time steps are snapped to the EMS grid. With {@code l = 1, s = b = 0} this is
 * DPM-Solver++ (taylor form).
 *
 * <p>Defaults follow the official unconditional launch scripts for 6-8 steps: order 3, corrector on,
 * lower order at the end, no pseudo-order. The scripts switch per step count (≤ 5 steps: pseudo-order
 * predictor and no lower order at the end; 9-10: no corrector); those are options here.
 * {@code half=true} is the official code's {@code half} flag: the corrector only where t > 0.5.
 */
final class DpmSolverV3 extends Solver {
  private final int order;
  private final boolean corrector;
  private final boolean predictorPseudo;
  private final boolean correctorPseudo;
  private final boolean half;
  private final FinalOrder finalOrder;
  /** The statistics for a denoiser (a file's, an analytic model's, or estimated from the denoiser). */
  private final Function<Denoiser, Ems> source;
  private Denoiser cachedFor;
  private Tables cached;

  DpmSolverV3(Settings settings, int order, boolean corrector, boolean predictorPseudo, boolean correctorPseudo, boolean half,
      FinalOrder finalOrder, Function<Denoiser, Ems> source) {
    super(settings);
    this.order = order;
    this.corrector = corrector;
    this.predictorPseudo = predictorPseudo;
    this.correctorPseudo = correctorPseudo;
    this.half = half;
    this.finalOrder = finalOrder.resolve(FinalOrder.ALWAYS);
    this.source = source;
  }

  @Override
  public int minSteps() {
    return 1;
  }

  private synchronized Tables tables(Denoiser model) {
    if (cachedFor != model) {
      cached = new Tables(source.apply(model));
      cachedFor = model;
    }
    return cached;
  }

  /** The grid of {@code skip} spacing, each point moved to the nearest EMS grid point. */
  @Override
  TimeGrid plan(NoiseSchedule schedule, int steps) {
    TimeGrid grid = skip.grid(schedule, steps, rho);
    if (!(source instanceof FixedEms fixed)) {
      return grid; // snapped when the statistics are known (integrate)
    }
    return snap(schedule, grid, fixed.ems);
  }

  private static TimeGrid snap(NoiseSchedule schedule, TimeGrid grid, Ems ems) {
    TimePoint[] points = new TimePoint[grid.steps() + 1];
    int last = -1;
    for (int i = 0; i <= grid.steps(); i++) {
      int k = index(ems, grid.point(i).lambda());
      if (k <= last) {
        throw BadInputException.of("steps", grid.steps(), "at most as many as the EMS grid allows: time points " + (i - 1)
            + " and " + i + " fall on the same EMS grid point " + k + " of " + ems.steps() + " (use fewer steps or more"
            + " statistics steps)");
      }
      last = k;
      points[i] = schedule.at(schedule.inverseLambda(ems.lambda(k)));
    }
    return TimeGrid.of(points);
  }

  private static int index(Ems ems, double lambda) {
    double h = (ems.lambdaEnd() - ems.lambdaStart()) / ems.steps();
    long k = Math.round((lambda - ems.lambdaStart()) / h);
    if (k < 0 || k > ems.steps()) {
      throw BadInputException.of("time point lambda", lambda, "within the EMS grid [" + ems.lambdaStart() + ", "
          + ems.lambdaEnd() + "] (compute the EMS over the sampling range)");
    }
    return (int) k;
  }

  /** Statistics given once (a file or an analytic model), so that grids can be snapped in advance. */
  record FixedEms(Ems ems) implements Function<Denoiser, Ems> {
    @Override
    public Ems apply(Denoiser denoiser) {
      return ems;
    }
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid given) {
    Tables tab = tables(run.model);
    if (tab.size != 1 && tab.size != run.itemSize) {
      throw BadInputException.of("EMS size", tab.size, "1 or the item size " + run.itemSize);
    }
    TimeGrid grid = snap(run.model.schedule(), given, tab.ems);
    int steps = grid.steps();
    int depth = order + 1;
    double[][] f = new double[depth][];
    int[] at = new int[depth];
    for (int i = 0; i < depth; i++) {
      f[i] = run.buffer();
    }
    double[] previous = run.buffer();
    double[] estimate = run.buffer();
    at[0] = index(tab.ems, grid.point(0).lambda());
    nonlinear(run, tab, x, grid.point(0), at[0], f[0], estimate);
    int stored = 1;
    int lastOrder = 0;
    for (int i = 1; i <= steps; i++) {
      TimePoint t = grid.point(i);
      int ti = index(tab.ems, t.lambda());
      if (i > 1 && corrector && (!half || grid.point(i - 1).t() > 0.5)) {
        int count = Math.min(lastOrder + (correctorPseudo ? 1 : 0), stored);
        if (count > 1) {
          // re-step from the state before the last step, with the new point (index at[0]) among the points
          int[] points = new int[count];
          double[][] values = new double[count][];
          points[0] = at[1];
          values[0] = f[1];
          points[1] = at[0];
          values[1] = f[0];
          for (int m = 2; m < count; m++) {
            points[m] = at[m];
            values[m] = f[m];
          }
          step(tab, previous, points, values, at[0], x, correctorPseudo);
        }
      }
      int p = finalOrder.order(order, i, steps);
      p = Math.min(p, stored);
      System.arraycopy(x, 0, previous, 0, x.length);
      int[] points = new int[p];
      double[][] values = new double[p][];
      for (int m = 0; m < p; m++) {
        points[m] = at[m];
        values[m] = f[m];
      }
      step(tab, previous, points, values, ti, x, predictorPseudo);
      lastOrder = p;
      if (i < steps) {
        double[] oldest = f[depth - 1];
        System.arraycopy(f, 0, f, 1, depth - 1);
        System.arraycopy(at, 0, at, 1, depth - 1);
        f[0] = oldest;
        at[0] = ti;
        nonlinear(run, tab, x, t, ti, f[0], estimate);
        stored = Math.min(stored + 1, depth);
      }
      run.stepDone(t, x, i < steps ? estimate : null);
    }
  }

  /** {@code f = (1 - l) x~ - D} at grid point k. */
  private static void nonlinear(Run run, Tables tab, double[] x, TimePoint at, int k, double[] f, double[] estimate) {
    run.x0(x, at, estimate);
    for (int i = 0; i < x.length; i++) {
      double l = tab.l[k][tab.size == 1 ? 0 : i % tab.size];
      f[i] = (1 - l) * x[i] - estimate[i];
    }
  }

  /**
   * One step from {@code from} (at grid index {@code points[0]}) to grid index {@code to}, with the
   * outputs {@code values[m]} at grid indices {@code points[m]} (the first is the expansion point),
   * into {@code out}.
   */
  private void step(Tables tab, double[] from, int[] points, double[][] values, int to, double[] out, boolean pseudo) {
    int n = points.length - 1;
    int s = points[0];
    int size = from.length;
    double[] g = new double[points.length];
    double[] derivatives = new double[n + 1];
    double[] e = new double[n + 1];
    double[] dl = new double[points.length];
    for (int m = 0; m < points.length; m++) {
      dl[m] = tab.ems.lambda(points[m]) - tab.ems.lambda(s);
    }
    for (int i = 0; i < size; i++) {
      int j = tab.size == 1 ? 0 : i % tab.size;
      double ls = tab.cl[s][j];
      double ss = tab.cs[s][j];
      double lt = tab.cl[to][j];
      for (int m = 0; m < points.length; m++) {
        int k = points[m];
        g[m] = Math.exp(ss - tab.cs[k][j]) * values[m][i] - Math.exp(ss) * (tab.cb[k][j] - tab.cb[s][j]);
      }
      double di = tab.ci[to][j] - tab.ci[s][j];
      double x = Math.exp(ls - lt) * from[i] - Math.exp(-lt - ss) * di * g[0]
          - Math.exp(-lt) * (tab.cc[to][j] - tab.cc[s][j] - tab.cb[s][j] * di);
      if (n > 0) {
        derivatives(g, dl, n, pseudo, derivatives);
        tab.integrals(s, to, j, n, e);
        for (int k = 1; k <= n; k++) {
          x -= Math.exp(ls - lt) * e[k] * derivatives[k];
        }
      }
      out[i] = x;
    }
  }

  /**
   * The derivatives {@code out[k]} (k = 1..n) of g at {@code dl = 0} from its values at the offsets
   * {@code dl[0] = 0, dl[1..n]}: the Taylor coefficients times k! of the interpolating polynomial
   * (Vandermonde), or, pseudo-order, k! times Newton's divided differences of the first k + 1 points.
   */
  static void derivatives(double[] g, double[] dl, int n, boolean pseudo, double[] out) {
    if (pseudo || n == 1) {
      double[] d = g.clone();
      double factorial = 1;
      for (int k = 1; k <= n; k++) {
        for (int j = 0; j + k <= n; j++) {
          d[j] = (d[j] - d[j + 1]) / (dl[j] - dl[j + k]);
        }
        factorial *= k;
        out[k] = factorial * d[0];
      }
      return;
    }
    double[][] matrix = new double[n][n];
    double[] rhs = new double[n];
    for (int r = 0; r < n; r++) {
      double p = 1;
      for (int c = 0; c < n; c++) {
        p *= dl[r + 1];
        matrix[r][c] = p;
      }
      rhs[r] = g[r + 1] - g[0];
    }
    double[] c = new double[n];
    LinearSystems.solve(matrix, rhs, n, c, new double[n][n + 1]);
    double factorial = 1;
    for (int k = 1; k <= n; k++) {
      factorial *= k;
      out[k] = factorial * c[k - 1];
    }
  }

  /** The cumulative integrals of one set of statistics. */
  static final class Tables {
    final Ems ems;
    final int size;
    final double[][] l;
    final double[][] cl;
    final double[][] cs;
    final double[][] ci;
    final double[][] cb;
    final double[][] cc;

    Tables(Ems ems) {
      this.ems = ems;
      this.size = ems.size();
      this.l = ems.l();
      int k0 = ems.steps() + 1;
      double h = (ems.lambdaEnd() - ems.lambdaStart()) / ems.steps();
      cl = new double[k0][size];
      cs = new double[k0][size];
      ci = new double[k0][size];
      cb = new double[k0][size];
      cc = new double[k0][size];
      double[][] s = ems.s();
      double[][] b = ems.b();
      for (int k = 1; k < k0; k++) {
        for (int j = 0; j < size; j++) {
          cl[k][j] = cl[k - 1][j] + h * (l[k - 1][j] + l[k][j]) / 2;
          cs[k][j] = cs[k - 1][j] + h * (s[k - 1][j] + s[k][j]) / 2;
          double a0 = Math.exp(cl[k - 1][j] + cs[k - 1][j]);
          double a1 = Math.exp(cl[k][j] + cs[k][j]);
          ci[k][j] = ci[k - 1][j] + h * (a0 + a1) / 2;
          cb[k][j] = cb[k - 1][j] + h * (Math.exp(-cs[k - 1][j]) * b[k - 1][j] + Math.exp(-cs[k][j]) * b[k][j]) / 2;
          cc[k][j] = cc[k - 1][j] + h * (a0 * cb[k - 1][j] + a1 * cb[k][j]) / 2;
          if (!Double.isFinite(cc[k][j]) || !Double.isFinite(ci[k][j])) {
            throw BadInputException.of("EMS integrals at grid point " + k + ", element " + j, cc[k][j],
                "finite values (the statistics s or l are too large for exp; recompute the EMS with more samples)");
          }
        }
      }
    }

    /** {@code e[k] = int_s^t e^(L + S - L_s - S_s) (lambda - lambda_s)^k / k!} for k = 1..n (trapezoid). */
    void integrals(int s, int t, int j, int n, double[] e) {
      double h = (ems.lambdaEnd() - ems.lambdaStart()) / ems.steps();
      java.util.Arrays.fill(e, 0);
      for (int k = s; k < t; k++) {
        for (int end = 0; end < 2; end++) {
          int q = k + end;
          double w = Math.exp(cl[q][j] + cs[q][j] - cl[s][j] - cs[s][j]) * h / 2;
          double u = (q - s) * h;
          double term = 1;
          for (int m = 1; m <= n; m++) {
            term *= u / m;
            e[m] += w * term;
          }
        }
      }
    }
  }
}
