package org.fewstep.text.generate;

import java.util.Arrays;
import java.util.List;

/**
 * One generated token with its scores.
 *
 * @param token            the token id
 * @param logprob          natural-log probability under the model (softmax of the raw logits),
 *                         NaN when log-probabilities were not requested
 * @param samplingLogprob  natural-log probability under the distribution it was drawn from (after
 *                         penalties, truncation and temperature), NaN when not requested
 * @param top              the most likely tokens under the model, best first (empty unless requested)
 */
public record TokenChoice(int token, double logprob, double samplingLogprob, List<Alternative> top) {

  public TokenChoice {
    top = List.copyOf(top);
  }

  /** One of the most likely tokens at a position. */
  public record Alternative(int token, double logprob) {}

  /**
   * Scores {@code token} against the raw {@code logits} of its position: its log-probability and
   * the {@code topN} best alternatives (ties: lower id first), when {@code logprobs} is on.
   */
  static TokenChoice of(int token, double[] logits, double samplingLogprob, boolean logprobs, int topN,
      double[] work) {
    if (!logprobs) {
      return new TokenChoice(token, Double.NaN, samplingLogprob, List.of());
    }
    double logZ = org.fewstep.core.math.Softmax.logSumExp("logits", logits, logits.length, work);
    Alternative[] best = new Alternative[Math.min(topN, logits.length)];
    int filled = 0;
    for (int id = 0; id < logits.length && best.length > 0; id++) {
      double lp = logits[id] - logZ;
      if (lp == Double.NEGATIVE_INFINITY) {
        continue;
      }
      if (filled < best.length) {
        best[filled++] = new Alternative(id, lp);
        for (int j = filled - 1; j > 0 && best[j].logprob() > best[j - 1].logprob(); j--) {
          Alternative t = best[j];
          best[j] = best[j - 1];
          best[j - 1] = t;
        }
      } else if (lp > best[filled - 1].logprob()) {
        best[filled - 1] = new Alternative(id, lp);
        for (int j = filled - 1; j > 0 && best[j].logprob() > best[j - 1].logprob(); j--) {
          Alternative t = best[j];
          best[j] = best[j - 1];
          best[j - 1] = t;
        }
      }
    }
    return new TokenChoice(token, logits[token] - logZ, samplingLogprob, Arrays.asList(best).subList(0, filled));
  }
}
