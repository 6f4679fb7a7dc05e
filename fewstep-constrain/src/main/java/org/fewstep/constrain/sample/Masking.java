package org.fewstep.constrain.sample;

import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.Vocabulary;

/** What the constrained samplers share: the vocabulary check and the masking of a logit row. */
final class Masking {
  private Masking() {}

  /** A clear error unless {@code constraint} is over {@code model}'s vocabulary. */
  /** Number of 64-bit words of a token mask over {@code size} ids. */
  static int words(int size) {
    return (size + 63) >>> 6;
  }

  /** Whether bit {@code t} of {@code words} is set. */
  static boolean allowed(long[] words, int t) {
    return (words[t >>> 6] >>> t & 1) != 0;
  }

  /**
   * Writes {@code logits} into {@code out} with every token that {@code state} does not allow set to
   * {@code -Infinity} ({@code words} is the mask workspace) and returns how many entries stay above
   * {@code -Infinity}: the tokens both allowed and possible under the model.
   */
  static int mask(ConstraintState state, double[] logits, double[] out, long[] words) {
    state.mask(words);
    int possible = 0;
    for (int t = 0; t < logits.length; t++) {
      double v = allowed(words, t) ? logits[t] : Double.NEGATIVE_INFINITY;
      if (Double.isNaN(v)) {
        throw BadInputException.of("logits[" + t + "]", "NaN", "a number (the model produced NaN)");
      }
      out[t] = v;
      possible += v > Double.NEGATIVE_INFINITY ? 1 : 0;
    }
    return possible;
  }

  /**
   * The log-probability of {@code token} under the model's next-token law restricted to the tokens
   * {@code state} allows (one full mask: asked for only when a caller scores the choice).
   */
  static double constrainedLogProbability(ConstraintState state, double[] logits, int token) {
    double[] masked = new double[logits.length];
    mask(state, logits, masked, new long[words(logits.length)]);
    return masked[token] - org.fewstep.core.math.Softmax.logSumExp("constrained logits", masked, masked.length,
        new double[masked.length]);
  }

  /** The error of a prefix after which the model gives zero probability to every allowed token. */
  static BadInputException deadEnd(TokenConstraint constraint, int length) {
    return BadInputException.of("constrained next-token distribution after " + length + " generated tokens",
        "all zero", "at least one token that " + constraint.describe()
            + " allows and the model gives positive probability (a dead end of the constraint under this model)");
  }
}
