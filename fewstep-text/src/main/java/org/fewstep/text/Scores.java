package org.fewstep.text;

import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Softmax;

/**
 * The log-probability of a text under a model, token by token, from one {@link LmState#append}:
 * the scoring half of the position-scorer contract. Works for any model (each row is normalized
 * with a log-softmax in double).
 *
 * @param tokens   the scored tokens (the end token last when the end was scored)
 * @param logprobs natural-log probability of each token given those before it
 */
public record Scores(int[] tokens, double[] logprobs) {

  /** Scores {@code text} from the start of a sequence; with {@code withEos} the sequence also ends there. */
  public static Scores of(LanguageModel model, String text, boolean withEos) {
    int[] encoded = model.tokenizer().encode(text);
    int eos = model.vocabulary().eos();
    if (withEos && eos < 0) {
      throw BadInputException.of("end of sequence", "requested", "a model whose vocabulary has an end token ("
          + model.name() + " has none)");
    }
    int[] tokens = withEos ? java.util.Arrays.copyOf(encoded, encoded.length + 1) : encoded;
    if (withEos) {
      tokens[encoded.length] = eos;
    }
    double[][] rows = model.start().append(tokens);
    double[] logprobs = new double[tokens.length];
    double[] work = new double[model.vocabulary().size()];
    for (int i = 0; i < tokens.length; i++) {
      logprobs[i] = rows[i][tokens[i]] - Softmax.logSumExp("logits at position " + i, rows[i], rows[i].length, work);
    }
    return new Scores(tokens, logprobs);
  }

  /** The log-probability of the whole text. */
  public double total() {
    double sum = 0;
    for (double lp : logprobs) {
      sum += lp;
    }
    return sum;
  }

  /** Perplexity per token, exp(-total / tokens). */
  public double perplexity() {
    return Math.exp(-total() / Math.max(1, tokens.length));
  }
}
