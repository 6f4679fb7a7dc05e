package org.fewstep.scaling.select;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.scaling.Sample;

/**
 * The perplexity (PPL) baseline of RPC (Zhou et al., NeurIPS 2025; official {@code compute_perp.py}
 * {@code prep_evaluator}): the answer of the single most probable path. Scores are the highest path
 * probability per answer, so the confidence is that path's probability over the sum of the per-answer
 * best; exact ties go to the answer seen first. Samples without an answer are skipped.
 */
public final class MaxProbability {
  private MaxProbability() {}

  /** The answer of the most probable answered path under {@link PathProbability#MEAN_TOKEN}. */
  public static Selection select(List<Sample> samples) {
    return select(samples, PathProbability.MEAN_TOKEN);
  }

  /** The answer of the most probable answered path under {@code probability}. */
  public static Selection select(List<Sample> samples, PathProbability probability) {
    Selection.requireSamples(samples);
    double[] p = probability.of(samples);
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      String answer = samples.get(i).answer();
      if (answer != null) {
        scores.merge(answer, p[i], Math::max);
      }
    }
    return Selection.fromScores(scores);
  }
}
