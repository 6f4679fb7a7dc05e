package org.fewstep.data.meta;

import java.util.List;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;

/**
 * The candidates and NFE budgets of the diffusion sampler records ({@link PerformanceTable#bundled()}),
 * and the step count each candidate runs within a budget. The records themselves are measured by
 * {@code org.fewstep.bench.MetaInfRecords} (module fewstep-bench), which uses these constants.
 */
public final class DiffusionCandidates {
  /** The candidate sampler specs: each deterministic sampler's recommended configurations. */
  public static final List<String> CANDIDATES = List.of("ddim", "heun", "pndm", "deis", "dpm-solver", "dpmpp",
      "dpmpp:order=3", "dpmpp:method=singlestep,order=2", "unipc", "unipc:variant=bh1", "unipc:order=3,variant=bh1");

  /** The NFE budgets. */
  public static final List<Integer> BUDGETS = List.of(5, 6, 8, 10, 15, 20);

  private DiffusionCandidates() {}

  /** The largest step count of {@code spec} whose NFE is at most {@code budget}, or 0 if none (measured on a 1-row run). */
  public static int stepsWithin(String spec, int budget) {
    DiffusionSampler sampler = Diffusion.sampler(spec);
    DiffusionModel probe = Diffusion.model("gmm-2d");
    for (int s = budget; s >= sampler.minSteps(); s--) {
      int nfe = sampler.sample(Denoiser.of(probe), s, Diffusion.prior(probe, 1, 0), new Rng(0), StepListener.NONE).nfe();
      if (nfe <= budget) {
        return s;
      }
    }
    return 0;
  }
}
