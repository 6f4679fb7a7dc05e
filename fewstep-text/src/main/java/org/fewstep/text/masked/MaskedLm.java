package org.fewstep.text.masked;

import org.fewstep.text.Tokenizer;

/**
 * A masked-diffusion language model (a mask predictor, discrete-and-data.md 0.1): given a sequence in
 * which some positions hold {@link #maskId()}, it returns for every position {@code i} logits over the
 * vocabulary, meant as {@code log p(x_i = v | the other positions)} up to a constant. The model is
 * time-agnostic (Zheng et al. 2025): its output does not depend on the diffusion time.
 *
 * <p>At an unmasked position the logits are the model's prediction for that position from the rest
 * of the sequence; exact models give the leave-one-out conditional there. Only decoders that read
 * them on purpose (Saber's re-masking) use them.
 *
 * <p>One call is one forward pass per row: one NFE for each row. Implementations are immutable and
 * thread-safe.
 */
public interface MaskedLm {

  /** A short name for messages and reports, e.g. {@code hmm:weather.json}. */
  String name();

  /** The tokenizer of the tokens this model predicts (ids {@code 0 .. vocabSize()-1}). */
  Tokenizer tokenizer();

  /** Logits per position: the size of the tokenizer's vocabulary. */
  default int vocabSize() {
    return tokenizer().vocabulary().size();
  }

  /** The mask id: {@code vocabSize()}, one past the last token, so that it is never predicted. */
  default int maskId() {
    return vocabSize();
  }

  /** The longest sequence the model accepts. */
  default int maxLength() {
    return Integer.MAX_VALUE;
  }

  /**
   * One forward pass for each row of {@code x} (all rows of one length; entries are token ids or
   * {@link #maskId()}): writes the logits of positions {@code [from, to)} of row {@code r} into
   * {@code out[r]} as {@code to - from} consecutive blocks of {@link #vocabSize()} entries. A logit may
   * be {@code -Infinity} (a token that cannot occur there), never NaN.
   */
  void logits(int[][] x, int from, int to, double[][] out);
}
