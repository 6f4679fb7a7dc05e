package org.fewstep.diffusion.guidance;

import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * The {@code minority} sampler: fits {@link MinorityGuidance} to a data set with the denoiser it is
 * given (once per denoiser: the last fit is kept), then runs the base sampler on the guided denoiser.
 * The fit is seeded, so the same data, settings and seed give the same classifier.
 */
public final class MinoritySampler implements DiffusionSampler {
  private final String spec;
  private final DiffusionSampler base;
  private final NdArray data;
  private final MinorityGuidance.Settings settings;
  private final double scale;
  private final long seed;
  private Denoiser fittedFor;
  private MinorityGuidance.Fitted fitted;

  public MinoritySampler(String spec, DiffusionSampler base, NdArray data, MinorityGuidance.Settings settings, double scale,
      long seed) {
    this.spec = spec;
    this.base = base;
    this.data = data;
    this.settings = settings;
    this.scale = scale;
    this.seed = seed;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public int minSteps() {
    return base.minSteps();
  }

  @Override
  public TimeGrid grid(NoiseSchedule schedule, int steps) {
    return base.grid(schedule, steps);
  }

  /** The fit for {@code model} (computed on first use). */
  public synchronized MinorityGuidance.Fitted fit(Denoiser model) {
    if (fittedFor != model) {
      fitted = MinorityGuidance.fit(model, data, settings, new Rng(seed));
      fittedFor = model;
    }
    return fitted;
  }

  private Denoiser guided(Denoiser model) {
    return MinorityGuidance.guide(model, fit(model).classifier(), scale);
  }

  @Override
  public SampleResult sample(Denoiser model, int steps, NdArray x, Rng rng, StepListener listener) {
    return base.sample(guided(model), steps, x, rng, listener);
  }

  @Override
  public SampleResult sample(Denoiser model, TimeGrid grid, NdArray x, Rng rng, StepListener listener) {
    return base.sample(guided(model), grid, x, rng, listener);
  }
}
