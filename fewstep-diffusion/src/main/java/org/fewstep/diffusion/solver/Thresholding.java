package org.fewstep.diffusion.solver;

import java.util.Arrays;
import java.util.Locale;
import org.fewstep.core.registry.Keyed;

/**
 * Correction of the data estimate for pixel-space models (Saharia et al., Imagen, 2022;
 * diffusion.md 0.6), the {@code thresholding} option of data-prediction solvers:
 * <ul>
 *   <li>{@code static}: clip x0 to [-1, 1];</li>
 *   <li>{@code dynamic}: per item {@code s = max(quantile(|x0|, ratio), max)}, then
 *       {@code x0 = clip(x0, -s, s) / s} (the official DPM-Solver/UniPC rule; the quantile
 *       interpolates linearly as torch.quantile does).</li>
 * </ul>
 * Unsuitable for latent-space models. Holds a scratch buffer: one instance per run.
 */
final class Thresholding {
  enum Kind implements Keyed {
    NONE, STATIC, DYNAMIC;

    @Override
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final double ratio;
  private final double max;
  private double[] scratch = new double[0];

  Thresholding(Kind kind, double ratio, double max) {
    this.kind = kind;
    this.ratio = ratio;
    this.max = max;
  }

  static Thresholding none() {
    return new Thresholding(Kind.NONE, 0, 0);
  }

  /** A fresh instance with the same settings (its own scratch buffer). */
  Thresholding copy() {
    return new Thresholding(kind, ratio, max);
  }

  boolean active() {
    return kind != Kind.NONE;
  }

  /** Corrects {@code n} items of {@code size} values in place. */
  void apply(double[] x0, int n, int size) {
    if (kind == Kind.NONE) {
      return;
    }
    if (kind == Kind.STATIC) {
      for (int i = 0; i < n * size; i++) {
        x0[i] = Math.max(-1, Math.min(1, x0[i]));
      }
      return;
    }
    if (scratch.length != size) {
      scratch = new double[size];
    }
    for (int r = 0; r < n; r++) {
      int base = r * size;
      for (int i = 0; i < size; i++) {
        scratch[i] = Math.abs(x0[base + i]);
      }
      Arrays.sort(scratch);
      double position = ratio * (size - 1);
      int lo = (int) Math.floor(position);
      int hi = Math.min(lo + 1, size - 1);
      double quantile = scratch[lo] + (position - lo) * (scratch[hi] - scratch[lo]);
      double s = Math.max(quantile, max);
      for (int i = 0; i < size; i++) {
        double v = x0[base + i];
        x0[base + i] = Math.max(-s, Math.min(s, v)) / s;
      }
    }
  }
}
