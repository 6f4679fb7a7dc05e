package org.fewstep.scaling.select;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.scaling.Sample;

/**
 * Self-consistency: a majority vote over the sampled answers (Wang et al., "Self-consistency improves
 * chain of thought reasoning in language models", ICLR 2023; official RPC {@code compute_sc.py}
 * {@code sc_evaluator}), optionally weighted per sample (reward-weighted voting). A sample with a null
 * answer casts no vote; exact ties go to the answer seen first (see {@link Selection#tied()}).
 */
public final class SelfConsistency {
  private SelfConsistency() {}

  /** The plain majority vote: each answered sample counts 1. */
  public static Selection select(List<Sample> samples) {
    Selection.requireSamples(samples);
    double[] ones = new double[samples.size()];
    Arrays.fill(ones, 1);
    return select(samples, ones);
  }

  /**
   * The weighted vote: score(answer) = sum of the weights of the samples with that answer.
   *
   * @throws BadInputException if there are no samples, the weights do not match the samples in number,
   *     or a weight is negative or not finite
   */
  public static Selection select(List<Sample> samples, double[] weights) {
    Selection.requireSamples(samples);
    if (weights == null || weights.length != samples.size()) {
      throw BadInputException.of("weights length", weights == null ? "null" : weights.length,
          samples.size() + " (one weight per sample)");
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw BadInputException.of("weights[" + i + "]", weights[i], "a finite number >= 0");
      }
      String answer = samples.get(i).answer();
      if (answer != null) {
        scores.merge(answer, weights[i], Double::sum);
      }
    }
    return Selection.fromScores(scores);
  }
}
