package org.fewstep.diffusion;

import java.util.function.UnaryOperator;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.registry.Registry;
import org.fewstep.diffusion.model.Models;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.search.NoiseSearch;
import org.fewstep.diffusion.search.SearchResult;
import org.fewstep.diffusion.search.Verifier;
import org.fewstep.diffusion.solver.Samplers;

/**
 * Entry point of the diffusion family: the registries of samplers, models, schedules and model
 * errors, and one-line sampling.
 *
 * <pre>{@code
 * SampleResult r = Diffusion.sample("digits", "dpmpp:order=2", 10, 16, 42);
 * }</pre>
 */
public final class Diffusion {
  private Diffusion() {}

  public static Registry<DiffusionSampler> samplers() {
    return Samplers.registry();
  }

  public static Registry<DiffusionModel> models() {
    return Models.registry();
  }

  public static Registry<NoiseSchedule> schedules() {
    return Schedules.registry();
  }

  /** Wrappers that add a controlled error to a denoiser ({@code smooth:size=0.02}). */
  public static Registry<UnaryOperator<Denoiser>> errors() {
    return Models.errors();
  }

  /** The sampler of a spec such as {@code unipc:order=3,variant=bh1}. */
  public static DiffusionSampler sampler(String spec) {
    return Samplers.registry().create(spec);
  }

  /** The model of a spec such as {@code digits} or {@code gmm:mixture.json}. */
  public static DiffusionModel model(String spec) {
    return Models.registry().create(spec);
  }

  /**
   * {@code n} prior draws {@code priorScale * z} for {@code model}; row i uses
   * {@code Rng.stream(seed, i)}, so the first rows do not depend on n.
   */
  public static NdArray prior(DiffusionModel model, int n, long seed) {
    BadInputException.requireAtLeast("number of samples", n, 1);
    int size = model.itemSize();
    double scale = model.schedule().priorScale();
    double[] data = new double[n * size];
    for (int r = 0; r < n; r++) {
      Rng rng = Rng.stream(seed, r);
      for (int j = 0; j < size; j++) {
        data[r * size + j] = scale * rng.nextGaussian();
      }
    }
    int[] itemShape = model.itemShape();
    int[] shape = new int[itemShape.length + 1];
    shape[0] = n;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    return NdArray.of(data, shape);
  }

  /** Samples {@code n} items of a registered model with a sampler spec, unconditionally. */
  public static SampleResult sample(String model, String sampler, int steps, int n, long seed) {
    DiffusionModel m = model(model);
    return sampler(sampler).sample(Denoiser.of(m), steps, prior(m, n, seed), new Rng(seed), StepListener.NONE);
  }

  /**
   * Best-of-N noise search (Video-T1): {@code n} initial noises of a registered model sampled with
   * a sampler spec and scored by {@code verifier}; see {@link NoiseSearch#bestOfN}.
   */
  public static SearchResult bestOfN(String model, String sampler, int steps, int n, long seed, Verifier verifier) {
    return NoiseSearch.bestOfN(sampler(sampler), Denoiser.of(model(model)), steps, n, seed, verifier);
  }

  /**
   * Beam search over the denoising trajectory (Video-T1) of a registered model with a sampler spec;
   * see {@link NoiseSearch#beam} (children get a full fresh draw of the noise, renoise = 1).
   */
  public static SearchResult beamSearch(String model, String sampler, int steps, int checkpoints, int beams,
      int children, long seed, Verifier verifier) {
    return NoiseSearch.beam(sampler(sampler), Denoiser.of(model(model)), steps, checkpoints, beams, children, 1.0, seed,
        verifier);
  }
}
