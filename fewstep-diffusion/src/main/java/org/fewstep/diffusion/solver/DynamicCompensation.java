package org.fewstep.diffusion.solver;

import java.util.function.IntFunction;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * DC-Solver's dynamic compensation (Zhao et al., ECCV 2024, Sec. 3; diffusion.md 5b): before step i the
 * newest model output {@code m_0} (at {@code t_0 = grid.point(i - 1)}) is replaced by the Lagrange
 * interpolation through the {@code order + 1} newest outputs {@code m_0 .. m_order} at
 * <pre>  t' = rho_i t_0 + (1 - rho_i) t_1,   m_0 &lt;- sum_a m_a prod_{b != a} (t' - t_b) / (t_a - t_b)</pre>
 * in the schedule's time t (continuous VP time, as the official LDM code; the diffusers port uses
 * the integer training index). Ratio 1 leaves the history untouched; ratios > 1 extrapolate toward
 * less noise. Steps with fewer than {@code order + 1} outputs (the warm-up) must have ratio 1.
 * Stateless, so one sampler may serve concurrent runs.
 */
final class DynamicCompensation implements HistoryTransform {
  private final int order;
  private final IntFunction<double[]> ratiosFor;
  private final String spec;

  /**
   * @param order     interpolation order ({@code dc-order}, default 2: three points)
   * @param ratiosFor the ratio of every step (index 0 = step 1) for a run of the given number of steps
   * @param spec      the sampler spec (for messages)
   */
  DynamicCompensation(int order, IntFunction<double[]> ratiosFor, String spec) {
    this.order = order;
    this.ratiosFor = ratiosFor;
    this.spec = spec;
  }

  @Override
  public int depth() {
    return order + 1;
  }

  @Override
  public void beforeStep(int step, TimeGrid grid, double[][] history, int available, Trial trial) {
    double[] ratios = ratiosFor.apply(grid.steps());
    if (step == 1) {
      for (int i = 0; i < Math.min(order, ratios.length); i++) {
        if (ratios[i] != 1) {
          throw BadInputException.of(spec + ": ratio of step " + (i + 1), ratios[i],
              "1 (dc-order " + order + " needs " + (order + 1) + " model outputs; step " + (i + 1) + " has " + (i + 1) + ")");
        }
      }
    }
    double rho = ratios[step - 1];
    if (rho != 1) {
      double[] scratch = new double[history[0].length];
      compensate(history, grid, step, order, rho, scratch);
      System.arraycopy(scratch, 0, history[0], 0, scratch.length);
    }
  }

  /**
   * Writes to {@code out} the Lagrange interpolation of {@code history[0..order]} (the outputs at
   * {@code grid.point(step - 1 - k)}) at {@code t' = rho t_0 + (1 - rho) t_1}.
   */
  static void compensate(double[][] history, TimeGrid grid, int step, int order, double rho, double[] out) {
    double t0 = grid.point(step - 1).t();
    double target = rho * t0 + (1 - rho) * grid.point(step - 2).t();
    double[] weights = new double[order + 1];
    for (int a = 0; a <= order; a++) {
      double ta = grid.point(step - 1 - a).t();
      double w = 1;
      for (int b = 0; b <= order; b++) {
        if (b != a) {
          double tb = grid.point(step - 1 - b).t();
          w *= (target - tb) / (ta - tb);
        }
      }
      weights[a] = w;
    }
    Vectors.combine(out, 0, history[0], weights, history, order + 1);
  }
}
