package org.fewstep.text;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * Base of an {@link LmState} for a model that advances one token at a time (the exact models): it
 * keeps the token list, checks ids, and builds {@link #append}'s k + 1 rows from {@link #next} and
 * {@link #advance}. Subclasses hold only the model's own per-position state.
 */
public abstract class StepwiseState implements LmState {

  private final Vocabulary vocabulary;
  private int[] tokens;
  private int length;

  protected StepwiseState(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.tokens = new int[16];
  }

  /** Copy constructor for {@link #fork}: copies the token list. */
  protected StepwiseState(StepwiseState other) {
    this.vocabulary = other.vocabulary;
    this.tokens = Arrays.copyOf(other.tokens, Math.max(16, other.length));
    this.length = other.length;
  }

  /** Updates the model's state after {@code token} is consumed at position {@code length() - 1}. */
  protected abstract void advance(int token);

  /** Restores the model's state to the prefix of {@code length} tokens ({@link #length()} is already {@code length}). */
  protected abstract void rewind(int length);

  /**
   * Checks {@code token} before it is consumed: it may be a used id that this model cannot follow
   * the current prefix with (probability zero), which is an error naming the position.
   */
  protected void check(int token) {
    vocabulary.requireToken("token at position " + length, token);
  }

  @Override
  public final int length() {
    return length;
  }

  @Override
  public final int token(int position) {
    if (position < 0 || position >= length) {
      throw BadInputException.of("position", position, "in [0, " + length + ")");
    }
    return tokens[position];
  }

  @Override
  public final double[][] append(int... newTokens) {
    int start = length;
    double[][] rows = new double[newTokens.length + 1][];
    try {
      for (int i = 0; i < newTokens.length; i++) {
        rows[i] = new double[vocabulary.size()];
        next(rows[i]);
        check(newTokens[i]);
        if (length == tokens.length) {
          tokens = Arrays.copyOf(tokens, 2 * length);
        }
        tokens[length++] = newTokens[i];
        advance(newTokens[i]);
      }
    } catch (RuntimeException e) {
      truncate(start);
      throw e;
    }
    rows[newTokens.length] = new double[vocabulary.size()];
    next(rows[newTokens.length]);
    return rows;
  }

  @Override
  public final void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw BadInputException.of("truncate length", newLength, "in [0, " + length + "]");
    }
    if (newLength < length) {
      length = newLength;
      rewind(newLength);
    }
  }

  /** The vocabulary this state scores. */
  protected final Vocabulary vocabulary() {
    return vocabulary;
  }
}
