package org.fewstep.text.model;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.text.StepwiseState;
import org.fewstep.text.Vocabulary;

/**
 * The state of an exact model that knows the normalized probability of every next token. Once the
 * end token is consumed nothing can follow: {@link #next} gives {@code -Infinity} everywhere and
 * any further token is an error. A token of probability zero may be consumed (speculative decoding
 * scores drafts the target rules out): the prefix is then impossible and every later row is
 * {@code -Infinity} too, until a truncation drops that token.
 */
abstract class ExactState extends StepwiseState {
  /** Position of the first consumed token of probability zero, or -1. */
  private int impossibleFrom = -1;
  private boolean nextImpossible;

  protected ExactState(Vocabulary vocabulary) {
    super(vocabulary);
  }

  protected ExactState(ExactState other) {
    super(other);
    this.impossibleFrom = other.impossibleFrom;
  }

  /** Updates the model's state after {@code token} (of positive probability) at position {@code length() - 1}. */
  protected abstract void consume(int token);

  /** Restores the model's state to the prefix of {@code length} tokens, all of positive probability. */
  protected abstract void restore(int length);

  @Override
  protected final void advance(int token) {
    if (nextImpossible) {
      if (impossibleFrom < 0) {
        impossibleFrom = length() - 1;
      }
      return;
    }
    consume(token);
  }

  @Override
  protected final void rewind(int length) {
    if (impossibleFrom >= 0 && length <= impossibleFrom) {
      impossibleFrom = -1;
    }
    if (impossibleFrom < 0) {
      restore(length);
    }
  }

  /** Whether a consumed token had probability zero. */
  protected final boolean impossible() {
    return impossibleFrom >= 0;
  }

  /** Writes {@code P(token | prefix)} of every token into {@code out}; not called after the end. */
  protected abstract void probabilities(double[] out);

  /** {@code P(token | prefix)}, as {@link #probabilities} would write it; not called after the end. */
  protected abstract double probability(int token);

  /** Whether the last consumed token is the end token. */
  protected final boolean ended() {
    return length() > 0 && token(length() - 1) == vocabulary().eos();
  }

  @Override
  public final void next(double[] out) {
    int size = vocabulary().size();
    if (out.length != size) {
      throw BadInputException.of("length of the logits array", out.length, size + " (the vocabulary size)");
    }
    if (ended() || impossible()) {
      Arrays.fill(out, Double.NEGATIVE_INFINITY);
      return;
    }
    probabilities(out);
    for (int v = 0; v < size; v++) {
      out[v] = Math.log(out[v]);
    }
  }

  @Override
  protected final void check(int token) {
    super.check(token);
    if (ended()) {
      throw BadInputException.of("token at position " + length(), token,
          "nothing: the sequence ended at position " + (length() - 1));
    }
    nextImpossible = impossible() || probability(token) == 0;
  }

  /**
   * From a fresh state, the log-probability that a sequence starts with {@code tokens} (no end
   * token) or, with {@code withEos}, that it is exactly {@code tokens}; {@code -Infinity} if
   * impossible. Consumes the tokens.
   */
  final double logProbability(int[] tokens, boolean withEos) {
    Vocabulary vocabulary = vocabulary();
    int eos = vocabulary.eos();
    if (withEos && eos < 0) {
      throw BadInputException.of("withEos", true, "false: this model's sequences never end");
    }
    double logp = 0;
    for (int i = 0; i < tokens.length; i++) {
      vocabulary.requireToken("tokens[" + i + "]", tokens[i]);
      if (tokens[i] == eos) {
        throw BadInputException.of("tokens[" + i + "]", tokens[i] + " (the end token)",
            "a symbol id; score the end with withEos = true");
      }
      double p = probability(tokens[i]);
      if (p == 0) {
        return Double.NEGATIVE_INFINITY;
      }
      logp += Math.log(p);
      append(tokens[i]);
    }
    return withEos ? logp + Math.log(probability(eos)) : logp;
  }
}
