package org.fewstep.diffusion.solver;

import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Pseudo numerical methods (Liu et al., ICLR 2022; diffusion.md 4): a classical method combines
 * noise estimates ("gradient part") and the DDIM step moves the sample with the combination
 * ("transfer part"), {@code x_t = x_s + (sigma_t - sigma_s) e} in VE coordinates.
 * <ul>
 *   <li>F-PNDM: three pseudo Runge-Kutta-4 steps (midpoint at (s + t)/2 in time), then the
 *       4-step pseudo linear multistep method PLMS; NFE = steps + 9;</li>
 *   <li>S-PNDM: one pseudo improved-Euler step, then 2-step PLMS; NFE = steps + 1.</li>
 * </ul>
 */
final class Pndm extends Solver {
  private final boolean fourth;

  /** @param fourth F-PNDM (true) or S-PNDM (false) */
  Pndm(Settings settings, boolean fourth) {
    super(settings);
    this.fourth = fourth;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    int points = fourth ? 4 : 2;
    double[][] history = new double[points][];
    for (int i = 0; i < points; i++) {
      history[i] = run.buffer();
    }
    double[] e2 = run.buffer();
    double[] e3 = run.buffer();
    double[] e4 = run.buffer();
    double[] tmp = run.buffer();
    int warmUp = fourth ? Math.min(3, grid.steps()) : 1;
    for (int i = 0; i < grid.steps(); i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      double dt = t.noise() - s.noise();
      double[] e1 = history[points - 1]; // the oldest slot becomes the newest
      System.arraycopy(history, 0, history, 1, points - 1);
      history[0] = e1;
      run.eps(x, s, e1);
      if (i < warmUp && fourth) {
        TimePoint m = run.model.schedule().at(0.5 * (s.t() + t.t()));
        double half = m.noise() - s.noise();
        Vectors.combine(tmp, 1, x, half, e1);
        run.eps(tmp, m, e2);
        Vectors.combine(tmp, 1, x, half, e2);
        run.eps(tmp, m, e3);
        Vectors.combine(tmp, 1, x, dt, e3);
        run.eps(tmp, t, e4);
        Vectors.combine(x, 1, x, dt / 6, e1, dt / 3, e2, dt / 3, e3, dt / 6, e4);
      } else if (i < warmUp) {
        Vectors.combine(tmp, 1, x, dt, e1);
        run.eps(tmp, t, e2);
        Vectors.combine(x, 1, x, dt / 2, e1, dt / 2, e2);
      } else {
        double[] w = AdamsBashforth.weights(points);
        if (points == 2) {
          Vectors.combine(x, 1, x, dt * w[0], history[0], dt * w[1], history[1]);
        } else {
          Vectors.combine(x, 1, x, dt * w[0], history[0], dt * w[1], history[1], dt * w[2], history[2], dt * w[3], history[3]);
        }
      }
      run.stepDone(t, x, null);
    }
  }
}
