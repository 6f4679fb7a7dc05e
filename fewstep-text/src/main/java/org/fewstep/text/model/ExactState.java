package org.fewstep.text.model;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.text.StepwiseState;
import org.fewstep.text.Vocabulary;

/**
 * The state of an exact model that knows the normalized probability of every next token. Once the
 * end token is consumed nothing can follow: {@link #next} gives {@code -Infinity} everywhere and
 * any further token is an error, as is a token of probability zero (the sequence is impossible).
 */
abstract class ExactState extends StepwiseState {

  protected ExactState(Vocabulary vocabulary) {
    super(vocabulary);
  }

  protected ExactState(ExactState other) {
    super(other);
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
    if (ended()) {
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
    if (probability(token) == 0) {
      throw BadInputException.of("token at position " + length(), token + " (\"" + vocabulary().text(token) + "\")",
          "a token of positive probability after the prefix; the sequence is impossible under the model");
    }
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
