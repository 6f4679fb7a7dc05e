package org.fewstep.diffusion;

import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * A diffusion sampler (ODE or SDE solver): integrates a batch from the noisy start of a time grid
 * to its end, calling the denoiser as few times as it can. Built from a spec string by
 * {@link Diffusion#sampler(String)}; immutable and safe to share between threads (each call keeps
 * its own state).
 */
public interface DiffusionSampler {
  /** The canonical spec of this sampler (name and the options that were given). */
  String spec();

  /** The least number of steps this sampler accepts (e.g. the order of a multistep method). */
  int minSteps();

  /** The time grid that {@link #sample(Denoiser, int, NdArray, Rng, StepListener)} uses for {@code steps}. */
  TimeGrid grid(NoiseSchedule schedule, int steps);

  /**
   * Samples with this sampler's own grid of {@code steps} steps over the schedule's range.
   *
   * @param x        {@code [n, item shape...]}: the start points at the grid's first time, in model
   *                 coordinates (e.g. {@code priorScale * z})
   * @param rng      randomness for stochastic samplers (row i draws from the i-th split generator)
   * @param listener progress observer, or {@link StepListener#NONE}
   */
  SampleResult sample(Denoiser model, int steps, NdArray x, Rng rng, StepListener listener);

  /** Samples through an explicit grid: one solver step per interval. */
  SampleResult sample(Denoiser model, TimeGrid grid, NdArray x, Rng rng, StepListener listener);
}
