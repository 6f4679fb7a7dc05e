package org.fewstep.diffusion.solver;

import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The Euler and Heun samplers of EDM (Karras et al., NeurIPS 2022, Algorithms 1 and 2) in the
 * noise level sigma = sigma/alpha: {@code dx/dsigma = (x - D(x, sigma)) / sigma}. With
 * {@code churn > 0} each step first raises the noise level to {@code sigma_hat = (1 + gamma) sigma},
 * {@code gamma = min(churn/N, sqrt2 - 1)} for sigma in [tmin, tmax], adding fresh noise of scale
 * {@code noise * sqrt(sigma_hat^2 - sigma^2)} (Algorithm 2); churn = 0 is the deterministic ODE
 * solver. Heun corrects each Euler step with the slope at its end (2 evaluations per step).
 */
final class Edm extends Solver {
  private final boolean heun;
  private final double churn;
  private final double tmin;
  private final double tmax;
  private final double noiseScale;

  Edm(Settings settings, boolean heun, double churn, double tmin, double tmax, double noiseScale) {
    super(settings);
    this.heun = heun;
    this.churn = churn;
    this.tmin = tmin;
    this.tmax = tmax;
    this.noiseScale = noiseScale;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    int steps = grid.steps();
    double[] x0 = run.buffer();
    double[] next = heun ? run.buffer() : null;
    double[] x0Next = heun ? run.buffer() : null;
    double[] noise = churn > 0 ? run.buffer() : null;
    for (int i = 0; i < steps; i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      double sigma = s.noise();
      double gamma = churn > 0 && sigma >= tmin && sigma <= tmax ? Math.min(churn / steps, Math.sqrt(2) - 1) : 0;
      TimePoint hat = s;
      if (gamma > 0) {
        double sigmaHat = sigma * (1 + gamma);
        hat = run.model.schedule().atLambda(-Math.log(sigmaHat));
        run.gaussian(noise);
        Vectors.addScaled(x, noiseScale * Math.sqrt(sigmaHat * sigmaHat - sigma * sigma), noise);
      }
      double from = hat.noise();
      double to = t.noise();
      run.x0(x, hat, x0);
      if (!heun) {
        // x + (to - from) (x - x0) / from
        Vectors.combine(x, to / from, x, 1 - to / from, x0);
      } else {
        Vectors.combine(next, to / from, x, 1 - to / from, x0);
        run.x0(next, t, x0Next);
        // x + (to - from)/2 * ((x - x0)/from + (next - x0Next)/to)
        double half = 0.5 * (to - from);
        Vectors.combine(x, 1 + half / from, x, -half / from, x0, half / to, next, -half / to, x0Next);
      }
      run.stepDone(t, x, heun ? x0Next : x0);
    }
  }
}
