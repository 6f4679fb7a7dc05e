package org.fewstep.text;

/**
 * One sequence in progress: the tokens consumed so far and whatever the model keeps about them (a
 * transformer's key/value cache, an n-gram context, an HMM's forward vector). This is the "scorer
 * of positions" of DESIGN.md: {@link #append} takes k new tokens and returns the logits of all
 * k + 1 next positions in one call, which is what speculative verification, tree drafts and
 * particles need; {@link #fork} and {@link #truncate} give cheap branching and rollback.
 *
 * <p>Logits are natural-log scores; {@code -Infinity} marks an impossible token (an unused id of
 * the vocabulary); NaN never appears in a valid model's output. Exact models return normalized
 * log-probabilities. A state is not thread-safe; fork it to share work.
 */
public interface LmState {

  /** Number of tokens consumed. */
  int length();

  /** The token consumed at {@code position} ({@code 0 <= position < length()}). */
  int token(int position);

  /**
   * Writes the logits of the next token after the current prefix into {@code out} (length
   * {@code vocabulary().size()}) without consuming anything.
   */
  void next(double[] out);

  /**
   * Consumes {@code tokens} and returns {@code tokens.length + 1} logit rows: row 0 is the next-token
   * distribution after the prefix as it was, row i the one after the prefix and
   * {@code tokens[0..i)}. A token the vocabulary does not use is a clear error and leaves the state
   * unchanged.
   */
  double[][] append(int... tokens);

  /** An independent copy: appending to or truncating either leaves the other as it is. */
  LmState fork();

  /** Drops the tokens at positions {@code length .. length()-1}; {@code 0 <= length <= length()}. */
  void truncate(int length);

  /** The consumed tokens, in order. */
  default int[] tokens() {
    int[] out = new int[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = token(i);
    }
    return out;
  }
}
