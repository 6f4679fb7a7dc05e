package org.fewstep.diffusion;

import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * A diffusion network as it was trained: it sees {@code x_t = alpha x0 + sigma eps} in its own
 * coordinates at time t, with optional per-row conditioning, and returns its prediction
 * ({@link #prediction()}) for a whole batch in one call. Solvers never call it directly: they see
 * it through a {@link Denoiser}.
 */
public interface DiffusionModel {
  /** The schedule the model was trained with (and the default sampling range). */
  NoiseSchedule schedule();

  /** Shape of one item, e.g. {@code [1, 28, 28]} or {@code [2]}. */
  int[] itemShape();

  /** What the model predicts. */
  Prediction prediction();

  /** Number of class labels the model accepts as conditioning; 0 if unconditional only. */
  default int classes() {
    return 0;
  }

  /**
   * One batched evaluation.
   *
   * @param x            {@code n * itemSize} inputs in model coordinates
   * @param n            rows
   * @param at           the time (use {@code at.t()}, or {@link NoiseSchedule#networkTime})
   * @param conditioning one condition per row, or null for an unconditional call
   * @param out          {@code n * itemSize} predictions
   */
  void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out);

  /** Elements per item. */
  default int itemSize() {
    int size = 1;
    for (int d : itemShape()) {
      size *= d;
    }
    return size;
  }
}
