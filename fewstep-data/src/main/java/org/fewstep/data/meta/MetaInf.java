package org.fewstep.data.meta;

import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.text.masked.MaskedLm;

/**
 * The default sampler recommender behind {@code fewstep sample --sampler auto}: the
 * {@link Learner#KNN} selector trained on the bundled performance records
 * ({@link PerformanceTable#bundled()}), built once per JVM (section 15(d)); and the masked-decoder
 * recommender behind {@code fewstep generate --masked --decoder auto}, the same learner on the bundled
 * masked-decoder records ({@link PerformanceTable#MASKED}).
 */
public final class MetaInf {
  /** The learner of the default selector (the best of the held-out evaluation, see MetaInfExperiment). */
  public static final Learner DEFAULT_LEARNER = Learner.KNN;

  private MetaInf() {}

  private static final class Holder {
    static final SamplerSelector SELECTOR = SamplerSelector.fit(PerformanceTable.bundled(), DEFAULT_LEARNER, Learner.Settings.DEFAULT);
  }

  private static final class MaskedHolder {
    static final SamplerSelector SELECTOR =
        SamplerSelector.fit(PerformanceTable.bundled(PerformanceTable.MASKED), DEFAULT_LEARNER, Learner.Settings.DEFAULT);
  }

  /** The default masked-decoder selector (trained on first use). */
  public static SamplerSelector defaultMaskedSelector() {
    return MaskedHolder.SELECTOR;
  }

  /**
   * The default decoder configuration for generating {@code length} tokens with {@code model} in
   * {@code budget} NFE ({@link Choice#sampler()}: a masked decoder spec; {@link Choice#predictedRmse()}: the
   * predicted adjacent-pair TV).
   *
   * @throws org.fewstep.core.BadInputException for a model without features (not an HMM's exact masked model)
   *     or a budget below the smallest recorded one
   */
  public static Choice chooseMasked(MaskedLm model, int length, int budget) {
    return defaultMaskedSelector().choose(MaskedFeatures.of(model, length), budget);
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
