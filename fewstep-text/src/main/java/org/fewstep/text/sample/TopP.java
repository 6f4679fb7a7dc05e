package org.fewstep.text.sample;

/** Nucleus sampling (Holtzman et al. 2020): the smallest most-likely set with probability at least p. */
record TopP(double p, int minKeep) implements TokenProcessor {
  @Override
  public String name() {
    return "top-p";
  }

  @Override
  public void apply(Candidates candidates) {
    candidates.keepTopP(p, minKeep);
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
