package org.fewstep.scaling.select;

import java.util.List;
import org.fewstep.scaling.Sample;

/**
 * Which probability of a reasoning path the probability-based selectors use (Zhou et al., NeurIPS
 * 2025, RPC): the theory sums sequence probabilities, the released code sums
 * {@code exp(mean token log-probability)} (its {@code np.exp(perplexities[i])}, with
 * {@code mean_logprob} as input).
 */
public enum PathProbability {
  /** {@code exp(logProbability / tokens)}, one over the perplexity: the official code's choice. */
  MEAN_TOKEN,
  /**
   * {@code exp(logProbability)}, the theory's choice, here relative to the most probable path
   * ({@code exp(logProbability - max logProbability)}) so that long paths do not underflow; the
   * argmax and every confidence are unchanged by that common factor.
   */
  SEQUENCE;

  /** The probability of each sample, in order. */
  public double[] of(List<Sample> samples) {
    double[] p = new double[samples.size()];
    if (this == MEAN_TOKEN) {
      for (int i = 0; i < p.length; i++) {
        p[i] = Math.exp(samples.get(i).meanTokenLogProbability());
      }
      return p;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (Sample s : samples) {
      max = Math.max(max, s.logProbability());
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(samples.get(i).logProbability() - max);
    }
    return p;
  }
}
