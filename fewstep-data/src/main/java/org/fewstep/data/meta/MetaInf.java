package org.fewstep.data.meta;

import org.fewstep.diffusion.DiffusionModel;

/**
 * The default sampler recommender behind {@code fewstep sample --sampler auto}: the
 * {@link Learner#KNN} selector trained on the bundled performance records
 * ({@link PerformanceTable#bundled()}), built once per JVM (section 15(d)).
 */
public final class MetaInf {
  /** The learner of the default selector (the best of the held-out evaluation, see MetaInfExperiment). */
  public static final Learner DEFAULT_LEARNER = Learner.KNN;

  private MetaInf() {}

  private static final class Holder {
    static final SamplerSelector SELECTOR = SamplerSelector.fit(PerformanceTable.bundled(), DEFAULT_LEARNER, Learner.Settings.DEFAULT);
  }

  /** The default selector (trained on first use). */
  public static SamplerSelector defaultSelector() {
    return Holder.SELECTOR;
  }

  /** The default choice for sampling {@code model} with guidance {@code guidance} (null: none) in {@code budget} NFE. */
  public static Choice choose(DiffusionModel model, Double guidance, int budget) {
    return defaultSelector().choose(SituationFeatures.of(model, guidance), budget);
  }
}
