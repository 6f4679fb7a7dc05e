package org.fewstep.diffusion;

import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * What every solver integrates: the data estimate {@code D(x, sigma) -> x0} for a batch of points
 * in VE coordinates {@code x / alpha} at noise level {@code sigma / alpha} (DESIGN.md, "Denoiser in
 * sigma space"). Built from a {@link DiffusionModel} with {@link #of}, {@link #conditional} or
 * {@link #guided}. Implementations may reuse buffers between calls and need not be thread-safe.
 */
public interface Denoiser {
  NoiseSchedule schedule();

  int[] itemShape();

  /**
   * Writes the data estimate of {@code n} points.
   *
   * @param x   {@code n * itemSize} points in VE coordinates (not modified)
   * @param at  where on the schedule they are
   * @param out {@code n * itemSize} estimates of x0
   */
  void denoise(double[] x, int n, TimePoint at, double[] out);

  /** Elements per item. */
  default int itemSize() {
    int size = 1;
    for (int d : itemShape()) {
      size *= d;
    }
    return size;
  }

  /** The unconditional denoiser of {@code model}. */
  static Denoiser of(DiffusionModel model) {
    return new ModelDenoiser(model, null, Double.NaN);
  }

  /** The conditional denoiser of {@code model}, one condition per row. */
  static Denoiser conditional(DiffusionModel model, Conditioning conditioning) {
    return new ModelDenoiser(model, conditioning, 1.0);
  }

  /**
   * Classifier-free guidance (Ho and Salimans, 2022; diffusion.md 0.6):
   * {@code x0 = x0_u + scale (x0_c - x0_u)}, both from one batched call of 2n rows
   * ([unconditional; conditional]). Scale 1 is the plain conditional model (one call of n rows).
   */
  static CombinedDenoiser guided(DiffusionModel model, Conditioning conditioning, double scale) {
    return new ModelDenoiser(model, conditioning, scale);
  }

  /**
   * The denoiser of the score {@code sum_k c_k s_k} of separate experts (a product of experts is
   * {@code [1, 1]}, a tempered model {@code [beta]}): {@code D = (1 - sum c) x + sum c_k D_k}. The
   * experts share a schedule and item shape; each is called once per evaluation.
   */
  static CombinedDenoiser combination(double[] coefficients, Denoiser... experts) {
    return new ExpertCombination(coefficients, experts);
  }
}
