package org.fewstep.diffusion.solver;

import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * DDIM (Song, Meng and Ermon, ICLR 2021, eq. 12): {@code x_t = x0 + sigma_down eps + sigma_up z}
 * in VE coordinates, with {@code sigma_up = eta sigma_t sqrt(1 - sigma_t^2/sigma_s^2)} and
 * {@code sigma_down = sqrt(sigma_t^2 - sigma_up^2)} (sigma = sigma/alpha, eps from the data estimate).
 * This is the paper's {@code sigma_t(eta)} after dividing by alpha_t: eta = 0 is the deterministic
 * DDIM, which equals DPM-Solver-1, DPM-Solver++-1, UniP-1 and DEIS order 0; eta = 1 is DDPM's
 * ancestral step.
 */
final class Ddim extends Solver {
  private final double eta;

  Ddim(Settings settings, double eta) {
    super(settings);
    this.eta = eta;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    double[] x0 = run.buffer();
    double[] noise = eta > 0 ? run.buffer() : null;
    for (int i = 0; i < grid.steps(); i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      run.x0(x, s, x0);
      double ratio = t.noise() / s.noise();
      double up = eta * t.noise() * Math.sqrt(1 - ratio * ratio);
      double down = Math.sqrt(t.noise() * t.noise() - up * up);
      double a = eta == 0 ? ratio : down / s.noise();
      Vectors.combine(x, a, x, 1 - a, x0);
      if (noise != null) {
        run.gaussian(noise);
        Vectors.addScaled(x, up, noise);
      }
      run.stepDone(t, x, x0);
    }
  }
}
