package org.fewstep.scaling;

import org.fewstep.core.BadInputException;

/**
 * One generated solution, as the selection methods see it: its full text (the reasoning path), the
 * answer extracted from it, and its log-probability under the generator over {@code tokens} tokens.
 *
 * @param text           the whole completion; equal texts are the same reasoning path
 * @param answer         the extracted final answer (the key of votes), or null if none was found
 * @param logProbability natural log of the sequence probability, {@code <= 0}
 * @param tokens         tokens generated, {@code >= 1}
 */
public record Sample(String text, String answer, double logProbability, int tokens) {
  public Sample {
    if (text == null) {
      throw new BadInputException("sample text: expected a string, got null");
    }
    if (!(logProbability <= 0)) {
      throw BadInputException.of("sample log-probability", logProbability, "a number <= 0");
    }
    BadInputException.requireAtLeast("sample tokens", tokens, 1);
  }

  /** The mean token log-probability {@code logProbability / tokens} (minus the log-perplexity). */
  public double meanTokenLogProbability() {
    return logProbability / tokens;
  }
}
