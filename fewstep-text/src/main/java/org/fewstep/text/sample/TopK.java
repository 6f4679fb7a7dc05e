package org.fewstep.text.sample;

/** Top-k (Fan et al. 2018): keeps the k most likely tokens (ties: lower id first). */
record TopK(int k) implements TokenProcessor {
  @Override
  public String name() {
    return "top-k";
  }

  @Override
  public void apply(Candidates candidates) {
    candidates.keepTop(k);
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
