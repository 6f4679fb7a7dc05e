package org.fewstep.text.generate;

import java.util.List;

/**
 * One generated sample.
 *
 * @param index  which of the n samples (0-based; sample i draws from {@code Rng.stream(seed, i)})
 * @param text   the generated text (without the prompt, cut before a stop sequence)
 * @param tokens the generated tokens with their scores, in order (the end token included when drawn)
 * @param finish why generation stopped
 */
public record Completion(int index, String text, List<TokenChoice> tokens, Finish finish) {

  public Completion {
    tokens = List.copyOf(tokens);
  }

  /** Why a sample ended. */
  public enum Finish {
    /** The model drew its end-of-sequence token. */
    EOS,
    /** The text reached a stop sequence. */
    STOP,
    /** The token budget ran out. */
    LENGTH;

    /** Lower-case name for JSON output. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The token ids. */
  public int[] ids() {
    return tokens.stream().mapToInt(TokenChoice::token).toArray();
  }

  /** The model log-probabilities of the tokens (NaN when not requested). */
  public double[] logprobs() {
    return tokens.stream().mapToDouble(TokenChoice::logprob).toArray();
  }

  /** Sum of the model log-probabilities. */
  public double logprob() {
    return tokens.stream().mapToDouble(TokenChoice::logprob).sum();
  }
}
