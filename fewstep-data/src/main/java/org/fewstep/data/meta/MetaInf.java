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
    return rankedMasked(MaskedFeatures.of(model, length), budget).get(0);
  }

  /**
   * The default selector's ranking for masked features, keeping only the decoders whose NFE at the
   * features' length is bounded by the budget ({@link #maskedNfeBound}): the records measure lengths
   * up to 32, and a decoder's NFE grows with the length.
   *
   * @throws org.fewstep.core.BadInputException if no recorded decoder fits the budget at that length
   */
  public static java.util.List<Choice> rankedMasked(MaskedFeatures features, int budget) {
    java.util.List<Choice> ranked = defaultMaskedSelector().ranked(features, budget).stream()
        .filter(c -> maskedNfeBound(c.sampler(), features.length()) <= budget).toList();
    if (ranked.isEmpty()) {
      throw org.fewstep.core.BadInputException.of("NFE budget", budget,
          "a budget that a recorded decoder keeps to at length " + features.length() + " (mdm:steps=2 needs 2)");
    }
    return ranked;
  }

  /**
   * An upper bound on the NFE of the masked decoder {@code spec} filling {@code length} tokens: the
   * steps of mdm and llada (at most the length), the length for fhs and the block decoders, whose
   * commit rules commit at least one token a call, and no bound ({@link Integer#MAX_VALUE}) for saber,
   * which re-masks tokens.
   */
  public static int maskedNfeBound(String spec, int length) {
    org.fewstep.core.registry.Options o = org.fewstep.text.masked.MaskedDecoders.registry().parse(spec);
    String name = o.component();
    if (name.equals("mdm") || name.equals("llada")) {
      return o.isSet("steps") ? Math.min(o.getInt("steps"), length) : length;
    }
    return name.equals("saber") || name.equals("lsd") ? Integer.MAX_VALUE : length;
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
