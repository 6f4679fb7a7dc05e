package org.fewstep.diffusion.solver;

import java.util.Locale;
import org.fewstep.core.math.LinearSystems;
import org.fewstep.core.math.Vectors;
import org.fewstep.core.registry.Keyed;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * UniPC (Zhao et al., NeurIPS 2023; diffusion.md 1b): the multistep predictor UniP of any order
 * and the corrector UniC, which reuses the model evaluation at the new point to raise the order
 * by one at no extra cost. Per step of order p with history {@code m_0} (newest) .. {@code m_{p-1}}:
 * {@code r_k = (lambda_k - lambda_0)/h}, {@code D_k = (m_k - m_0)/r_k}, {@code R[i][j] = r_j^i},
 * {@code b_i = hh phi_{i+1}(hh) i! / B(h)} with {@code B(h) = hh} ("bh1") or {@code expm1(hh)} ("bh2"),
 * <pre>
 *   x_base = a x + w1 m_0                       (the first-order exponential step)
 *   x_pred = x_base - beta B(h) sum_k rho_p[k] D_k,  rho_p = R[:p-1,:p-1]^-1 b[:p-1]   (p=2: 1/2)
 *   x_t    = x_base - beta B(h) (sum_k rho_c[k] D_k + rho_c[p] (m_t - m_0)),  rho_c = R^-1 b (p=1: 1/2)
 * </pre>
 * where {@code m_t} is the model at {@code x_pred}; it, not a re-evaluation at {@code x_t}, enters
 * the history (NFE = steps). As upstream: warm-up orders 1..p-1, order-reduction at the end on every
 * step count ({@code final=official} = always), and no corrector on the last step. A
 * {@link HistoryTransform} may change the stored outputs before each step (DC-Solver).
 */
final class UniPc extends Solver {
  enum Variant implements Keyed {
    BH1, BH2;

    @Override
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Parameterization param;
  private final Variant variant;
  private final int order;
  private final boolean corrector;
  private final FinalOrder finalOrder;
  private final HistoryTransform transform;

  UniPc(Settings settings, Parameterization param, Variant variant, int order, boolean corrector, FinalOrder finalOrder) {
    this(settings, param, variant, order, corrector, finalOrder, HistoryTransform.NONE);
  }

  /** @param transform applied to the stored model outputs before each step (DC-Solver's compensation) */
  UniPc(Settings settings, Parameterization param, Variant variant, int order, boolean corrector, FinalOrder finalOrder,
      HistoryTransform transform) {
    super(settings);
    this.transform = transform;
    this.param = param;
    this.variant = variant;
    this.order = order;
    this.corrector = corrector;
    this.finalOrder = finalOrder.resolve(FinalOrder.ALWAYS);
  }

  @Override
  public int minSteps() {
    return order;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    int steps = grid.steps();
    int kept = Math.max(order, transform.depth());
    double[][] outputs = new double[kept][];
    for (int i = 0; i < kept; i++) {
      outputs[i] = run.buffer();
    }
    double[] spare = run.buffer(); // receives the model value at the new point
    Scratch scratch = new Scratch(order, run);
    double[] trialModel = transform == HistoryTransform.NONE ? null : run.buffer();
    param.evaluate(run, x, grid.first(), outputs[0]);
    for (int i = 1; i <= steps; i++) {
      if (trialModel != null) {
        int step = i;
        transform.beforeStep(i, grid, outputs, Math.min(i, kept),
            out -> step(run, grid, step, x, outputs, trialModel, out, scratch));
      }
      TimePoint t = grid.point(i);
      if (!step(run, grid, i, x, outputs, spare, x, scratch) && i < steps) {
        param.evaluate(run, x, t, spare);
      }
      double[] oldest = outputs[kept - 1];
      System.arraycopy(outputs, 0, outputs, 1, kept - 1);
      outputs[0] = spare;
      spare = oldest;
      run.stepDone(t, x, param == Parameterization.DATA && i < steps ? outputs[0] : null);
    }
  }

  /** Per-step scratch, reused so that the step loop does not allocate. */
  static final class Scratch {
    final double[] predicted;
    final double[] r;
    final double[][] matrix;
    final double[] b;
    final double[] rhoP;
    final double[] rhoC;
    final double[][] work;
    final double[] coefficients;
    final double[][] terms;

    Scratch(int order, Run run) {
      predicted = run.buffer();
      r = new double[order];
      matrix = new double[order][order];
      b = new double[order];
      rhoP = new double[order];
      rhoC = new double[order];
      work = new double[order][order + 1];
      coefficients = new double[order + 1];
      terms = new double[order + 1][];
    }
  }

  /** Step {@code i} with this solver's order rule and corrector setting (see the static form). */
  private boolean step(Run run, TimeGrid grid, int i, double[] x, double[][] history, double[] mt, double[] out,
      Scratch w) {
    int steps = grid.steps();
    return step(run, param, variant, finalOrder.order(order, i, steps), corrector && i < steps, grid, i, x, history, mt, out, w);
  }

  /**
   * Step {@code i} of order {@code p} from {@code x} with the model outputs {@code history} (in
   * {@code param}, newest first, at the grid points before i) into {@code out} (which may be x), with
   * the corrector when {@code correct}; returns whether the corrector ran, in which case {@code mt}
   * holds the model value at the predicted point {@code w.predicted}.
   */
  static boolean step(Run run, Parameterization param, Variant variant, int p, boolean correct, TimeGrid grid, int i,
      double[] x, double[][] history, double[] mt, double[] out, Scratch w) {
    TimePoint s = grid.point(i - 1);
    TimePoint t = grid.point(i);
    ExponentialStep e = param.step(s, t);
    double hh = e.hh();
    double bh = variant == Variant.BH1 ? hh : e.expm1();
    double scale = -e.beta() * bh;
    double[] r = w.r;
    for (int k = 1; k < p; k++) {
      r[k - 1] = (grid.point(i - 1 - k).lambda() - s.lambda()) / e.h();
    }
    r[p - 1] = 1;
    double factorial = 1;
    for (int row = 0; row < p; row++) {
      for (int col = 0; col < p; col++) {
        w.matrix[row][col] = Math.pow(r[col], row);
      }
      factorial *= row + 1;
      w.b[row] = hh * ExponentialStep.phi(row + 2, hh) * factorial / bh;
    }
    // predictor weights: none (p = 1), 1/2 (p = 2, as upstream) or R[:p-1,:p-1]^-1 b[:p-1]
    if (p == 2) {
      w.rhoP[0] = 0.5;
    } else if (p > 2) {
      LinearSystems.solve(w.matrix, w.b, p - 1, w.rhoP, w.work);
    }
    // x_pred = a x + w1 m0 + scale * sum_k rhoP[k] (m_k - m0) / r_k
    int n = terms(w.rhoP, p - 1, r, scale, history, null, w.coefficients, w.terms);
    w.coefficients[0] += e.weight(1);
    Vectors.combine(correct ? w.predicted : out, e.a(), x, w.coefficients, w.terms, n);
    if (!correct) {
      return false;
    }
    param.evaluate(run, w.predicted, t, mt);
    if (p == 1) {
      w.rhoC[0] = 0.5;
    } else {
      LinearSystems.solve(w.matrix, w.b, p, w.rhoC, w.work);
    }
    n = terms(w.rhoC, p, r, scale, history, mt, w.coefficients, w.terms);
    w.coefficients[0] += e.weight(1);
    Vectors.combine(out, e.a(), x, w.coefficients, w.terms, n);
    return true;
  }

  /**
   * Expresses {@code scale * (sum_k rho[k] D_k + rho[count-1] (mt - m0))} with
   * {@code D_k = (m_k - m0)/r_k} as coefficients on {@code m0, m_1, ..., (mt)}; returns the number
   * of terms. The last of the {@code count} weights multiplies {@code mt} when it is given (the
   * corrector); without it all weights go to differences (the predictor).
   */
  private static int terms(double[] rho, int count, double[] r, double scale, double[][] history, double[] mt,
      double[] coefficients, double[][] terms) {
    int differences = mt == null ? count : count - 1;
    coefficients[0] = 0;
    terms[0] = history[0];
    for (int k = 1; k <= differences; k++) {
      double c = scale * rho[k - 1] / r[k - 1];
      coefficients[k] = c;
      terms[k] = history[k];
      coefficients[0] -= c;
    }
    int n = differences + 1;
    if (mt != null) {
      double c = scale * rho[count - 1];
      coefficients[n] = c;
      terms[n] = mt;
      coefficients[0] -= c;
      n++;
    }
    return n;
  }
}
