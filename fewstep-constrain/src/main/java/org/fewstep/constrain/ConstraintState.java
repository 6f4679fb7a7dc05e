package org.fewstep.constrain;

/**
 * Where a generated prefix stands in a {@link TokenConstraint}. States are immutable: advancing
 * returns a new state and leaves this one valid, so samplers keep them in tries (ASAp), particles
 * (SMC) and stacks (rollback after a speculative rejection, {@link ConstraintMatcher}) without
 * copying parsers.
 */
public interface ConstraintState {

  /**
   * Whether {@code token} may come next: for the end token, whether the text so far is a string of
   * the language ({@link #canEnd()}); for an ordinary token, whether the text with its bytes is
   * still a prefix of one; for other special tokens and unused ids, false.
   */
  boolean allows(int token);

  /**
   * The state after {@code token}. Throws {@link org.fewstep.core.BadInputException} naming the
   * token when it is not allowed; the end token gives a state that allows nothing.
   */
  ConstraintState advance(int token);

  /** Whether the text so far is a string of the language (the end token is allowed). */
  boolean canEnd();

  /** Whether the text so far is a string of the language that no byte can extend: only the end may follow. */
  boolean mustEnd();

  /**
   * Writes the allowed tokens into {@code words} as a bit set over the vocabulary (token t is bit
   * {@code t & 63} of {@code words[t >>> 6]}; {@code words} has at least {@code (size + 63) / 64}
   * words; every other bit is cleared).
   */
  void mask(long[] words);
}
