package org.fewstep.text.sample;

import java.util.Map;

/** Adds a fixed bias to the logits of chosen tokens (OpenAI's and llama.cpp's logit_bias). */
record LogitBias(Map<Integer, Double> bias) implements TokenProcessor {
  LogitBias {
    bias = Map.copyOf(bias);
  }

  @Override
  public String name() {
    return "logit-bias";
  }

  @Override
  public void apply(Candidates candidates) {
    for (Map.Entry<Integer, Double> e : bias.entrySet()) {
      int i = candidates.indexOf(e.getKey());
      if (i >= 0) {
        candidates.setLogit(i, candidates.logit(i) + e.getValue());
      }
    }
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
