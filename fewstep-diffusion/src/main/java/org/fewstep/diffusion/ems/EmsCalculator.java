package org.fewstep.diffusion.ems;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Computes DPM-Solver-v3's {@link Ems} from the paper's optimality conditions (Zheng et al., NeurIPS
 * 2023, section 3.2 and appendix; diffusion.md 2b), in VE coordinates where the model's noise
 * prediction times sigma is {@code x~ - D}:
 * <ul>
 *   <li>{@code l = E[1 - dD_j/dx~_j]}, the expected diagonal of the Jacobian of {@code sigma eps}, which
 *       minimises the Jacobian of the nonlinear part {@code f = (1 - l) x~ - D};</li>
 *   <li>{@code s = Cov(f', f) / Var(f)} and {@code b = E[f'] - s E[f]} per element, the least-squares
 *       fit of {@code f' = df/dlambda} along the probability-flow trajectories by {@code s f + b}
 *       ({@code s = 0, b = E[f']} where f does not vary);</li>
 * </ul>
 * with {@code f'} by the chain rule along the flow ({@code dx~/dlambda = D - x~}): {@code (1 - l) v
 * - l' x~ - dD/dlambda}, the last by a central difference along the flow and {@code l'} by
 * differences on the grid. Points at each grid level: for an analytic model, exact draws of the
 * noisy marginal {@code x0 + sigma~ z} (the ODE preserves marginals) with the exact Jacobian;
 * for a black-box denoiser, states of probability-flow trajectories from the prior (DPM-Solver++(2M)
 * on the EMS grid) with the Jacobian diagonal by Rademacher probes and central-difference JVPs. The
 * official repository ships statistics but no tool to compute them.
 */
public final class EmsCalculator {
  private static final double DELTA = 1e-4;

  private EmsCalculator() {}

  /** The grid's lambda range for a schedule: its whole sampling range. */
  private static double[] range(NoiseSchedule schedule) {
    return new double[] {schedule.at(schedule.tStart()).lambda(), schedule.at(schedule.tEnd()).lambda()};
  }

  /** Exact-Jacobian statistics of a Gaussian mixture from {@code samples} draws per level. */
  public static Ems exact(GaussianMixture mixture, String modelSpec, int steps, int samples, long seed) {
    BadInputException.requireAtLeast("EMS statistics steps", steps, 2);
    BadInputException.requireAtLeast("EMS samples", samples, 2);
    int d = mixture.dimension();
    Rng rng = new Rng(seed);
    double[] x0 = mixture.sample(rng, samples, org.fewstep.diffusion.Conditioning.NONE);
    double[] z = new double[x0.length];
    rng.fillGaussian(z);
    Level level = (lambda, out, jacobian) -> {
      double noise = Math.exp(-lambda);
      double[] xt = new double[d];
      double[] dOut = new double[d];
      double[] jOut = new double[d];
      for (int r = 0; r < samples; r++) {
        for (int j = 0; j < d; j++) {
          xt[j] = x0[r * d + j] + noise * z[r * d + j];
        }
        mixture.denoiseWithJacobianDiagonal(xt, noise, dOut, jOut);
        System.arraycopy(xt, 0, out, r * d, d);
        if (jacobian != null) {
          System.arraycopy(jOut, 0, jacobian, r * d, d);
        }
      }
    };
    Denoiser denoiser = Denoiser.of(mixture);
    return compute(denoiser, modelSpec, Double.NaN, steps, samples, level);
  }

  /**
   * Statistics of any denoiser estimated on {@code samples} probability-flow trajectories from the
   * prior, with {@code probes} Rademacher probes per point for the Jacobian diagonal.
   */
  public static Ems estimate(Denoiser model, String modelSpec, double guidance, int steps, int samples, int probes, long seed) {
    BadInputException.requireAtLeast("EMS statistics steps", steps, 2);
    BadInputException.requireAtLeast("EMS samples", samples, 2);
    BadInputException.requireAtLeast("EMS probes", probes, 1);
    int d = model.itemSize();
    NoiseSchedule schedule = model.schedule();
    double[] lambda = range(schedule);
    double h = (lambda[1] - lambda[0]) / steps;
    Rng rng = new Rng(seed);
    // trajectories: x~ at every grid level by DPM-Solver++(2M) on the grid
    double[][] states = new double[steps + 1][samples * d];
    double scale = schedule.priorScale() / schedule.at(schedule.tStart()).alpha();
    for (int i = 0; i < samples * d; i++) {
      states[0][i] = scale * rng.nextGaussian();
    }
    double[] previous = null;
    double[] current = new double[samples * d];
    for (int k = 0; k < steps; k++) {
      model.denoise(states[k], samples, point(schedule, lambda[0] + k * h), current);
      double r = Math.exp(-h);
      double[] drive = current.clone();
      if (previous != null) { // 2M: D + (D - D_prev) / 2 (equal steps)
        for (int i = 0; i < drive.length; i++) {
          drive[i] = 1.5 * current[i] - 0.5 * previous[i];
        }
      }
      for (int i = 0; i < drive.length; i++) {
        states[k + 1][i] = r * states[k][i] + (1 - r) * drive[i];
      }
      previous = current.clone();
    }
    double[] probe = new double[samples * d];
    double[] up = new double[samples * d];
    double[] down = new double[samples * d];
    double[] dUp = new double[samples * d];
    double[] dDown = new double[samples * d];
    Level level = (lam, out, jacobian) -> {
      int k = (int) Math.round((lam - lambda[0]) / h);
      System.arraycopy(states[k], 0, out, 0, out.length);
      if (jacobian == null) {
        return;
      }
      java.util.Arrays.fill(jacobian, 0);
      TimePoint at = point(schedule, lam);
      for (int p = 0; p < probes; p++) {
        for (int i = 0; i < probe.length; i++) {
          probe[i] = rng.nextDouble() < 0.5 ? -1 : 1;
          up[i] = out[i] + DELTA * probe[i];
          down[i] = out[i] - DELTA * probe[i];
        }
        model.denoise(up, samples, at, dUp);
        model.denoise(down, samples, at, dDown);
        for (int i = 0; i < probe.length; i++) {
          jacobian[i] += probe[i] * (dUp[i] - dDown[i]) / (2 * DELTA) / probes;
        }
      }
    };
    return compute(model, modelSpec, guidance, steps, samples, level);
  }

  /** The points of one grid level (into {@code out}) and, when asked, their Jacobian diagonals. */
  private interface Level {
    void fill(double lambda, double[] out, double[] jacobian);
  }

  private static TimePoint point(NoiseSchedule schedule, double lambda) {
    return schedule.at(schedule.inverseLambda(lambda));
  }

  private static Ems compute(Denoiser model, String spec, double guidance, int steps, int samples, Level level) {
    NoiseSchedule schedule = model.schedule();
    int d = model.itemSize();
    double[] range = range(schedule);
    double h = (range[1] - range[0]) / steps;
    double[][] l = new double[steps + 1][d];
    double[] x = new double[samples * d];
    double[] jacobian = new double[samples * d];
    for (int k = 0; k <= steps; k++) {
      level.fill(range[0] + k * h, x, jacobian);
      for (int i = 0; i < x.length; i++) {
        l[k][i % d] += (1 - jacobian[i]) / samples;
      }
    }
    double[][] s = new double[steps + 1][d];
    double[][] b = new double[steps + 1][d];
    double[] estimate = new double[samples * d];
    double[] ahead = new double[samples * d];
    double[] behind = new double[samples * d];
    double[] dAhead = new double[samples * d];
    double[] dBehind = new double[samples * d];
    for (int k = 0; k <= steps; k++) {
      double lambda = range[0] + k * h;
      level.fill(lambda, x, null);
      model.denoise(x, samples, point(schedule, lambda), estimate);
      for (int i = 0; i < x.length; i++) {
        double v = estimate[i] - x[i];
        ahead[i] = x[i] + DELTA * v;
        behind[i] = x[i] - DELTA * v;
      }
      model.denoise(ahead, samples, point(schedule, lambda + DELTA), dAhead);
      model.denoise(behind, samples, point(schedule, lambda - DELTA), dBehind);
      double[] sumF = new double[d];
      double[] sumP = new double[d];
      double[] sumFF = new double[d];
      double[] sumFP = new double[d];
      for (int i = 0; i < x.length; i++) {
        int j = i % d;
        double lj = l[k][j];
        double dl = k == 0 ? (l[1][j] - l[0][j]) / h : k == steps ? (l[k][j] - l[k - 1][j]) / h : (l[k + 1][j] - l[k - 1][j]) / (2 * h);
        double f = (1 - lj) * x[i] - estimate[i];
        double fp = (1 - lj) * (estimate[i] - x[i]) - dl * x[i] - (dAhead[i] - dBehind[i]) / (2 * DELTA);
        sumF[j] += f;
        sumP[j] += fp;
        sumFF[j] += f * f;
        sumFP[j] += f * fp;
      }
      for (int j = 0; j < d; j++) {
        double meanF = sumF[j] / samples;
        double meanP = sumP[j] / samples;
        double var = sumFF[j] / samples - meanF * meanF;
        double cov = sumFP[j] / samples - meanF * meanP;
        double slope = var > 1e-12 * (1 + meanF * meanF) ? cov / var : 0;
        s[k][j] = slope;
        b[k][j] = meanP - slope * meanF;
      }
    }
    return new Ems(spec, guidance, samples, range[0], range[1], l, s, b);
  }
}
