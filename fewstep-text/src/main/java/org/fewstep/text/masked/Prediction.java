package org.fewstep.text.masked;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * The shared building block of every masked decoder (discrete-and-data.md 0.2): from one position's
 * logits, the chosen token (the argmax at temperature 0, otherwise a draw from {@code softmax(l / T)}
 * by inverse CDF in double precision, the same law as LLaDA's float64 Gumbel-max) and its certainty
 * under the untempered {@code softmax(l)}: the token's probability ({@link #confidence}, LLaDA's
 * "low_confidence" score) and the distribution's entropy in nats ({@link #entropy}, dParallel's).
 * A mutable scratch object, reused across positions; not thread-safe.
 */
final class Prediction {
  private final int vocab;
  private final double[] row;
  private final Categorical categorical = new Categorical();

  /** The chosen token. */
  int token;
  /** {@code softmax(l)[token]}. */
  double confidence;
  /** {@code -sum_v p_v log p_v} of {@code softmax(l)}. */
  double entropy;

  Prediction(int vocab) {
    this.vocab = vocab;
    this.row = new double[vocab];
  }

  /**
   * Scores the position whose logits start at {@code logits[base]}. {@code position} names it in
   * errors; the rng is used only when {@code temperature > 0}.
   */
  Prediction score(double[] logits, int base, int position, double temperature, Rng rng) {
    double max = Double.NEGATIVE_INFINITY;
    int argmax = -1;
    for (int v = 0; v < vocab; v++) {
      double l = logits[base + v];
      if (Double.isNaN(l) || l == Double.POSITIVE_INFINITY) {
        throw BadInputException.of("logits[position " + position + "][" + v + "]", l,
            "a finite logit or -Infinity (the model returned it)");
      }
      if (l > max) {
        max = l;
        argmax = v;
      }
    }
    if (argmax < 0) {
      throw BadInputException.of("logits[position " + position + "]", "all -Infinity",
          "at least one possible token (the model returned it)");
    }
    double sum = 0;
    double weighted = 0;
    for (int v = 0; v < vocab; v++) {
      double l = logits[base + v];
      if (l != Double.NEGATIVE_INFINITY) {
        double e = Math.exp(l - max);
        sum += e;
        weighted += e * (l - max);
      }
    }
    double logSum = Math.log(sum);
    if (temperature == 0) {
      token = argmax;
    } else {
      System.arraycopy(logits, base, row, 0, vocab);
      token = categorical.setLogits("logits[position " + position + "]", row, vocab, temperature).sample(rng);
    }
    confidence = Math.exp(logits[base + token] - max - logSum);
    entropy = logSum - weighted / sum;
    return this;
  }
}
