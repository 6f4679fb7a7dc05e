package org.fewstep.text.generate;

import org.fewstep.core.Rng;
import org.fewstep.text.LanguageModel;
import java.util.List;
import org.fewstep.text.LmState;

/**
 * A decoding strategy: how the next token or span is chosen from a model's logits. Built from a
 * spec ({@link Decoders}); each sequence gets its own {@link Sequence} with its own state.
 */
public interface Decoder {

  /** The spec this decoder was built from. */
  String spec();

  /**
   * Starts decoding one sequence of {@code model}: {@code state} has consumed the prompt
   * ({@code prompt}, which penalties count) and {@code logits} are its next-token logits. The
   * sequence owns the state from now on.
   */
  Sequence start(LanguageModel model, LmState state, double[] logits, int[] prompt);

  /** One sequence being decoded. */
  interface Sequence extends AutoCloseable {
    /**
     * Chooses the next token or span (one token for a sampling chain, a span for CNTP, the
     * accepted drafts and one more for speculative decoding), at least one and at most
     * {@code budget} tokens; after the end-of-sequence token nothing more is asked.
     */
    List<TokenChoice> next(int budget, Rng rng, Scoring scoring);

    /**
     * Frees the states the sequence made itself (a draft model's state, the forks of trials) when the
     * completion ends; the state it was given is its caller's to close. The default holds none.
     */
    @Override
    default void close() {}
  }

  /** Whether and how much to score each chosen token (log-probabilities and alternatives). */
  record Scoring(boolean logprobs, int topN, double[] work) {
    /** The choice of {@code token}; its sampling log-probability is asked for only when scoring. */
    public TokenChoice choice(int token, double[] logits, java.util.function.DoubleSupplier samplingLogprob) {
      return TokenChoice.of(token, logits, logprobs ? samplingLogprob.getAsDouble() : Double.NaN, logprobs, topN,
          work);
    }
  }
}
