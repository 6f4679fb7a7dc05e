package org.fewstep.text.sample;

import java.util.HashMap;
import java.util.Map;

/**
 * Repetition, frequency and presence penalties over the last {@code lastN} tokens of the sequence
 * (prompt included; -1 = the whole sequence), as llama.cpp applies them: a token seen c > 0 times
 * has its logit divided by {@code repeat} when positive and multiplied by it when negative (Keskar
 * et al. 2019, CTRL), then lowered by {@code c * frequency + presence} (OpenAI's definition).
 */
final class Penalties implements TokenProcessor {
  private final int lastN;
  private final double repeat;
  private final double frequency;
  private final double presence;
  private int[] window;
  private int length;
  private final Map<Integer, Integer> counts;

  Penalties(int lastN, double repeat, double frequency, double presence) {
    this.lastN = lastN;
    this.repeat = repeat;
    this.frequency = frequency;
    this.presence = presence;
    this.window = new int[16]; // grows with the sequence, up to lastN
    this.counts = new HashMap<>();
  }

  private Penalties(Penalties other) {
    this.lastN = other.lastN;
    this.repeat = other.repeat;
    this.frequency = other.frequency;
    this.presence = other.presence;
    this.window = other.window.clone();
    this.length = other.length;
    this.counts = new HashMap<>(other.counts);
  }

  @Override
  public String name() {
    return "penalties";
  }

  @Override
  public void apply(Candidates candidates) {
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      int i = candidates.indexOf(e.getKey());
      if (i < 0) {
        continue;
      }
      double logit = candidates.logit(i);
      logit = logit > 0 ? logit / repeat : logit * repeat;
      candidates.setLogit(i, logit - e.getValue() * frequency - presence);
    }
  }

  @Override
  public void accept(int token) {
    if (lastN == 0) {
      return;
    }
    if (lastN > 0 && length == lastN) { // window full: the oldest token leaves
      int oldest = window[0];
      System.arraycopy(window, 1, window, 0, length - 1);
      length--;
      counts.computeIfPresent(oldest, (k, c) -> c == 1 ? null : c - 1);
    }
    if (length == window.length) {
      window = java.util.Arrays.copyOf(window, 2 * length);
    }
    window[length++] = token;
    counts.merge(token, 1, Integer::sum);
  }

  @Override
  public TokenProcessor copy() {
    return new Penalties(this);
  }
}
