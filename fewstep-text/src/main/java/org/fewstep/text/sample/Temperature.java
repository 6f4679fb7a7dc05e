package org.fewstep.text.sample;

/** Divides the logits by a temperature; temperature 0 keeps only the most likely token (greedy). */
record Temperature(double value) implements TokenProcessor {
  @Override
  public String name() {
    return "temperature";
  }

  @Override
  public void apply(Candidates candidates) {
    apply(candidates, value);
  }

  static void apply(Candidates candidates, double temperature) {
    if (temperature == 0) {
      candidates.keepOnly(candidates.argmax());
    } else if (temperature != 1) {
      candidates.scale(1 / temperature);
    }
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
