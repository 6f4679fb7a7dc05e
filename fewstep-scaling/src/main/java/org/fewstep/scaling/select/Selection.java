package org.fewstep.scaling.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.scaling.Sample;

/**
 * The answer a selector chose among sampled solutions. Answers are clustered by exact string equality
 * (the official RPC code merges answers that are mathematically equal; normalise answers before
 * selecting to get that). Samples without an answer (null) cast no vote and never win.
 *
 * @param answer     the chosen answer: the first-seen answer among those with the top score; null only
 *                   when no sample has an answer
 * @param confidence the chosen answer's score over the sum of all scores (0 when no sample has an
 *                   answer; split evenly when every score is 0)
 * @param scores     the score of every answer, in the order answers were first seen (unmodifiable)
 * @param tied       every answer sharing the top score, in first-seen order; the official evaluation
 *                   splits credit among them ({@code correct += 1 / count})
 */
public record Selection(String answer, double confidence, Map<String, Double> scores, List<String> tied) {
  public Selection {
    scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    tied = List.copyOf(tied);
  }

  /**
   * The selection from a score table (in first-seen order, scores {@code >= 0}): the top score wins,
   * exact ties go to the answer seen first.
   */
  public static Selection fromScores(Map<String, Double> scores) {
    double best = Double.NEGATIVE_INFINITY;
    double total = 0;
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      double v = e.getValue();
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw BadInputException.of("score of answer " + e.getKey(), v, "a finite number >= 0");
      }
      best = Math.max(best, v);
      total += v;
    }
    if (scores.isEmpty()) {
      return new Selection(null, 0, scores, List.of());
    }
    List<String> tied = new ArrayList<>();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      if (e.getValue() == best) {
        tied.add(e.getKey());
      }
    }
    double confidence = total > 0 ? best / total : 1.0 / scores.size();
    return new Selection(tied.get(0), confidence, scores, tied);
  }

  /** Rejects a null or empty list of samples. */
  static void requireSamples(List<Sample> samples) {
    if (samples == null || samples.isEmpty()) {
      throw BadInputException.of("samples", samples == null ? "null" : "an empty list", "at least one sample");
    }
  }
}
