package org.fewstep.scaling.select;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.scaling.Sample;

/**
 * Perplexity Consistency (Zhou et al., "Bridging internal probability and self-consistency for
 * effective and efficient LLM reasoning", NeurIPS 2025, Sec. 4.1; official {@code compute_rpc.py}
 * {@code wpc_evaluator}): score(answer) = the sum of p(text) over the DISTINCT texts among the kept
 * samples with that answer. A text seen again under the same answer adds nothing (the first copy's
 * probability counts; the official code keys a set of probabilities by completion text). An answer
 * whose every path was pruned stays in the table with score 0, as in the official answer list.
 */
public final class PerplexityConsistency {
  private PerplexityConsistency() {}

  /** Perplexity consistency over all samples with {@link PathProbability#MEAN_TOKEN}. */
  public static Selection select(List<Sample> samples) {
    return select(samples, PathProbability.MEAN_TOKEN);
  }

  /** Perplexity consistency over all samples. */
  public static Selection select(List<Sample> samples, PathProbability probability) {
    Selection.requireSamples(samples);
    return select(samples, probability.of(samples), new boolean[samples.size()]);
  }

  /**
   * Perplexity consistency with given path probabilities {@code p} and a mask of pruned samples,
   * which contribute 0.
   *
   * @throws BadInputException if there are no samples or the arrays do not match them in length
   */
  public static Selection select(List<Sample> samples, double[] p, boolean[] pruned) {
    Selection.requireSamples(samples);
    if (p.length != samples.size() || pruned.length != samples.size()) {
      throw BadInputException.of("path probabilities / pruning mask length", p.length + " / " + pruned.length,
          samples.size() + " (one per sample)");
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < p.length; i++) {
      Sample s = samples.get(i);
      if (s.answer() == null) {
        continue;
      }
      scores.putIfAbsent(s.answer(), 0.0);
      if (!pruned[i] && seen.add(List.of(s.answer(), s.text()))) {
        scores.merge(s.answer(), p[i], Double::sum);
      }
    }
    return Selection.fromScores(scores);
  }
}
