package org.fewstep.diffusion;

import org.fewstep.diffusion.schedule.TimePoint;

/**
 * A denoiser whose score is a linear combination of the scores of K experts,
 * {@code s = sum_k c_k s_k}: in data-estimate form {@code D = (1 - sum_k c_k) x + sum_k c_k D_k}
 * (VE coordinates, {@code s_k = (D_k - x) / sigma~^2}). Classifier-free guidance with scale w is
 * the combination {@code [1 - w, w]} of the unconditional and the conditional model, a product of
 * experts {@code [1, 1]}, a tempered model {@code [beta]}. Samplers that correct for the
 * combination (Feynman-Kac correctors, diffusion.md 10) need the experts one by one.
 */
public interface CombinedDenoiser extends Denoiser {
  /** The coefficients {@code c_k}, one per expert (a copy). */
  double[] coefficients();

  /**
   * Writes each expert's data estimate for the same points: {@code outs[k]} receives
   * {@code D_k(x, at)} ({@code n * itemSize} values each). One evaluation of this denoiser.
   */
  void denoiseExperts(double[] x, int n, TimePoint at, double[][] outs);

  /** Combines the experts' estimates into the combined data estimate (the default {@link #denoise}). */
  default void combine(double[] x, double[][] experts, double[] out) {
    double[] c = coefficients();
    double rest = 1;
    for (double v : c) {
      rest -= v;
    }
    for (int i = 0; i < out.length; i++) {
      double d = rest * x[i];
      for (int k = 0; k < c.length; k++) {
        d += c[k] * experts[k][i];
      }
      out[i] = d;
    }
  }
}
