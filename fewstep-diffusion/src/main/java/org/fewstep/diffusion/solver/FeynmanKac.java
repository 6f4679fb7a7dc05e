package org.fewstep.diffusion.solver;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Resampling;
import org.fewstep.diffusion.CombinedDenoiser;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Feynman-Kac correctors (Skreta et al., "Feynman-Kac Correctors in Diffusion: Annealing, Guidance,
 * and Product of Experts", ICML 2025; diffusion.md 10): the reverse SDE of a combined score
 * {@code s = sum_k c_k s_k} with importance weights, so that the weighted particles follow the
 * target {@code prod_k q_k^(c_k)} at every noise level rather than the law the SDE alone produces.
 *
 * <p>In VE coordinates ({@code x~ = x / alpha}, noise {@code sigma~}) every schedule's forward
 * process is {@code x~ = x0 + sigma~ z}, so the reverse SDE from {@code sigma~_s} to
 * {@code sigma~_t} with {@code Delta = sigma~_s^2 - sigma~_t^2} is, by Euler-Maruyama,
 * {@code x~ += Delta s(x~) + sqrt(Delta) z}, and each particle's log weight gains
 * <pre>  Delta / 2 * ( |sum_k c_k s_k|^2 - sum_k c_k |s_k|^2 )</pre>
 * (the x-dependent part of the Feynman-Kac rate; the Laplacians cancel because the target's log
 * density is linear in the experts'). This is the paper's rate for each of its targets:
 * classifier-free guidance {@code [1 - beta, beta]} gives {@code beta (beta - 1) / 2 g^2 |s_c - s_u|^2},
 * a product {@code [1, 1]} gives {@code g^2 <s_1, s_2>}, tempering {@code [beta]} gives
 * {@code beta (beta - 1) / 2 g^2 |s|^2}, with {@code g^2 dt = Delta}. The combination comes from the
 * denoiser ({@link CombinedDenoiser}: guidance, {@code Denoiser.combination}; any other denoiser is one
 * expert) and is raised to the power {@code beta} of this sampler (temperature annealing).
 *
 * <p>Particles (the batch rows) are resampled when the effective sample size falls below
 * {@code ess * N}, or every {@code every} steps; after resampling all weights are equal. At the end
 * the particles are resampled once more so that the returned samples are equally weighted
 * ({@code final-resample=true}); with {@code final-resample=false} the result carries the
 * particles' weights ({@link org.fewstep.diffusion.SampleResult#logWeights}). The
 * official image code's heuristics are options: {@code center} subtracts the batch mean of each step's
 * increments and {@code clamp} clips them to {@code [-clamp, clamp]} (1 with Euler in the official
 * EDM2 script), which changes the target and is meant for image-scale weights only.
 * {@code weights=false} runs the same SDE without weights (the plain combined-score SDE the paper
 * corrects).
 */
final class FeynmanKac extends Solver {
  private final double beta;
  private final Resampling resampling;
  private final double ess;
  private final int every;
  private final boolean center;
  private final double clamp;
  private final boolean finalResample;
  private final boolean weights;

  FeynmanKac(Settings settings, double beta, Resampling resampling, double ess, int every, boolean center, double clamp,
      boolean finalResample, boolean weights) {
    super(settings);
    BadInputException.requireFinite("beta", beta);
    if (!(ess >= 0 && ess <= 1)) {
      throw BadInputException.of("ess", ess, "a fraction in [0, 1]");
    }
    if (every < 0) {
      throw BadInputException.of("every", every, "0 (resample by ESS) or a positive step count");
    }
    if (!(clamp >= 0)) {
      throw BadInputException.of("clamp", clamp, "0 (no clamping) or a positive bound");
    }
    this.beta = beta;
    this.resampling = resampling;
    this.ess = ess;
    this.every = every;
    this.center = center;
    this.clamp = clamp;
    this.finalResample = finalResample;
    this.weights = weights;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    CombinedDenoiser combined = run.model instanceof CombinedDenoiser c ? c : Denoiser.combination(new double[] {1}, run.model);
    double[] c = combined.coefficients();
    for (int k = 0; k < c.length; k++) {
      c[k] *= beta;
    }
    int experts = c.length;
    int n = run.n;
    int size = run.itemSize;
    double[][] estimates = new double[experts][];
    for (int k = 0; k < experts; k++) {
      estimates[k] = run.buffer();
    }
    double[] noise = run.buffer();
    double[] drift = run.buffer();
    double[] lw = new double[n];
    double[] increment = new double[n];
    for (int i = 1; i <= grid.steps(); i++) {
      TimePoint s = grid.point(i - 1);
      TimePoint t = grid.point(i);
      run.experts(combined, x, s, estimates);
      double var = s.noise() * s.noise();
      double delta = var - t.noise() * t.noise();
      for (int r = 0; r < n; r++) {
        double combinedNorm = 0;
        double expertNorms = 0;
        for (int j = r * size; j < (r + 1) * size; j++) {
          double sum = 0;
          for (int k = 0; k < experts; k++) {
            double score = (estimates[k][j] - x[j]) / var;
            sum += c[k] * score;
            expertNorms += c[k] * score * score;
          }
          drift[j] = sum;
          combinedNorm += sum * sum;
        }
        increment[r] = weights ? 0.5 * delta * (combinedNorm - expertNorms) : 0;
      }
      adjust(increment);
      for (int r = 0; r < n; r++) {
        lw[r] += increment[r];
      }
      run.gaussian(noise);
      double root = Math.sqrt(delta);
      for (int j = 0; j < x.length; j++) {
        x[j] += delta * drift[j] + root * noise[j];
      }
      boolean due = every > 0 ? i % every == 0 : Resampling.ess(lw) < ess * n;
      if (i < grid.steps() && due) {
        resample(x, lw, size, run.shared);
      }
      run.stepDone(t, x, null);
    }
    normalise(lw);
    if (finalResample) {
      resample(x, lw, size, run.shared);
    }
    run.logWeights = finalResample ? null : lw;
  }

  /** The official code's heuristics on one step's log-weight increments. */
  private void adjust(double[] increment) {
    if (center) {
      double mean = 0;
      for (double v : increment) {
        mean += v;
      }
      mean /= increment.length;
      for (int r = 0; r < increment.length; r++) {
        increment[r] -= mean;
      }
    }
    if (clamp > 0) {
      for (int r = 0; r < increment.length; r++) {
        increment[r] = Math.max(-clamp, Math.min(clamp, increment[r]));
      }
    }
  }

  /** Replaces the particles by draws from their weights, then sets every weight equal. */
  private void resample(double[] x, double[] lw, int size, Rng rng) {
    int[] ancestors = resampling.ancestors(lw, rng);
    double[] copy = x.clone();
    for (int r = 0; r < ancestors.length; r++) {
      System.arraycopy(copy, ancestors[r] * size, x, r * size, size);
    }
    Arrays.fill(lw, -Math.log(lw.length));
  }

  private static void normalise(double[] lw) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : lw) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : lw) {
      sum += Math.exp(v - max);
    }
    double log = max + Math.log(sum);
    for (int r = 0; r < lw.length; r++) {
      lw[r] -= log;
    }
  }
}
