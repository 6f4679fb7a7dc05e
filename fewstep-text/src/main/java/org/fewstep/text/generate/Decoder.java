package org.fewstep.text.generate;

import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import org.fewstep.text.LmState;

/**
 * A decoding strategy: how the next token or span is chosen from a model's logits. Built from a
 * spec ({@link Decoders}); each sequence gets its own {@link Sequence} with its own state.
 */
public interface Decoder {

  /** The spec this decoder was built from. */
  String spec();

  /** Per-sequence state for a sequence of {@code model} whose prompt is {@code prompt}. */
  Sequence start(LanguageModel model, int[] prompt);

  /** One sequence being decoded. */
  interface Sequence {
    /**
     * Chooses what follows the prefix of {@code state}, whose next-token logits are {@code logits},
     * appending at most {@code budget} tokens; the end-of-sequence token is chosen but not appended.
     */
    Step next(LmState state, double[] logits, int budget, Rng rng, Scoring scoring);
  }

  /** Whether and how much to score each chosen token (log-probabilities and alternatives). */
  record Scoring(boolean logprobs, int topN, double[] work) {
    /** The choice of {@code token}; its sampling log-probability is asked for only when scoring. */
    TokenChoice choice(int token, double[] logits, java.util.function.DoubleSupplier samplingLogprob) {
      return TokenChoice.of(token, logits, logprobs ? samplingLogprob.getAsDouble() : Double.NaN, logprobs, topN,
          work);
    }
  }
}
