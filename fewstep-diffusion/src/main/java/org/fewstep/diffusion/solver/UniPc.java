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
 * step count ({@code final=official} = always), and no corrector on the last step.
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

  UniPc(Settings settings, Parameterization param, Variant variant, int order, boolean corrector, FinalOrder finalOrder) {
    super(settings);
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
    double[][] history = new double[order][];
    for (int i = 0; i < order; i++) {
      history[i] = run.buffer();
    }
    double[] spare = run.buffer(); // receives the model value at the new point
    double[] predicted = run.buffer();
    // per-step scratch, reused so that the step loop does not allocate
    double[] r = new double[order];
    double[][] matrix = new double[order][order];
    double[] b = new double[order];
    double[] rhoP = new double[order];
    double[] rhoC = new double[order];
    double[][] work = new double[order][order + 1];
    double[] coefficients = new double[order + 1];
    double[][] terms = new double[order + 1][];
    param.evaluate(run, x, grid.first(), history[0]);
    for (int i = 1; i <= steps; i++) {
      TimePoint s = grid.point(i - 1);
      TimePoint t = grid.point(i);
      int p = finalOrder.order(order, i, steps);
      boolean correct = corrector && i < steps;
      ExponentialStep e = param.step(s, t);
      double hh = e.hh();
      double bh = variant == Variant.BH1 ? hh : e.expm1();
      double scale = -e.beta() * bh;
      for (int k = 1; k < p; k++) {
        r[k - 1] = (grid.point(i - 1 - k).lambda() - s.lambda()) / e.h();
      }
      r[p - 1] = 1;
      double factorial = 1;
      for (int row = 0; row < p; row++) {
        for (int col = 0; col < p; col++) {
          matrix[row][col] = Math.pow(r[col], row);
        }
        factorial *= row + 1;
        b[row] = hh * ExponentialStep.phi(row + 2, hh) * factorial / bh;
      }
      // predictor weights: none (p = 1), 1/2 (p = 2, as upstream) or R[:p-1,:p-1]^-1 b[:p-1]
      if (p == 2) {
        rhoP[0] = 0.5;
      } else if (p > 2) {
        LinearSystems.solve(matrix, b, p - 1, rhoP, work);
      }
      // x_pred = a x + w1 m0 + scale * sum_k rhoP[k] (m_k - m0) / r_k
      int n = terms(rhoP, p - 1, r, scale, history, null, coefficients, terms);
      coefficients[0] += e.weight(1);
      Vectors.combine(correct ? predicted : x, e.a(), x, coefficients, terms, n);
      if (correct) {
        param.evaluate(run, predicted, t, spare);
        if (p == 1) {
          rhoC[0] = 0.5;
        } else {
          LinearSystems.solve(matrix, b, p, rhoC, work);
        }
        n = terms(rhoC, p, r, scale, history, spare, coefficients, terms);
        coefficients[0] += e.weight(1);
        Vectors.combine(x, e.a(), x, coefficients, terms, n);
      } else if (i < steps) {
        param.evaluate(run, x, t, spare);
      }
      double[] oldest = history[order - 1];
      System.arraycopy(history, 0, history, 1, order - 1);
      history[0] = spare;
      spare = oldest;
      run.stepDone(t, x, param == Parameterization.DATA && i < steps ? history[0] : null);
    }
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
