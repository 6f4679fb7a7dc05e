package org.fewstep.text.sample;

/**
 * Locally typical sampling (Meister, Pimentel, Wiher and Cotterell 2023, eq. 5): keeps the
 * smallest set of tokens closest to the conditional entropy in surprisal, |-log p - H|, whose
 * probability reaches p.
 */
record TypicalP(double p, int minKeep) implements TokenProcessor {
  @Override
  public String name() {
    return "typical-p";
  }

  @Override
  public void apply(Candidates candidates) {
    candidates.keepTypical(p, minKeep);
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
