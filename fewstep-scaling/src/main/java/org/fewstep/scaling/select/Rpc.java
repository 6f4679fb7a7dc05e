package org.fewstep.scaling.select;

import java.util.List;
import org.fewstep.scaling.Sample;

/**
 * RPC: Reasoning Pruning followed by Perplexity Consistency (Zhou et al., "Bridging internal
 * probability and self-consistency for effective and efficient LLM reasoning", NeurIPS 2025;
 * official {@code compute_rpc.py} {@code wpc_evaluator}). Path probabilities enter the mixture fit and
 * the mean over all samples, answered or not; only answered samples vote.
 */
public final class Rpc {
  private Rpc() {}

  /** RPC with {@link PathProbability#MEAN_TOKEN}, the official code's setting. */
  public static Selection select(List<Sample> samples) {
    return select(samples, PathProbability.MEAN_TOKEN);
  }

  /** RPC with the given path probability. */
  public static Selection select(List<Sample> samples, PathProbability probability) {
    Selection.requireSamples(samples);
    double[] p = probability.of(samples);
    return PerplexityConsistency.select(samples, p, ReasoningPruning.of(p).pruned());
  }
}
