package org.fewstep.text.sample;

/**
 * Min-p (Nguyen et al. 2024, "Turning up the heat"): keeps the tokens whose probability is at least
 * p times that of the most likely token, i.e. logit >= max logit + log p, and at least the
 * {@code minKeep} most likely (as llama.cpp does).
 */
record MinP(double p, int minKeep) implements TokenProcessor {
  @Override
  public String name() {
    return "min-p";
  }

  @Override
  public void apply(Candidates candidates) {
    double max = candidates.logit(candidates.argmax());
    candidates.keepLogitsAtLeast(max + Math.log(p), minKeep);
  }

  @Override
  public TokenProcessor copy() {
    return this;
  }
}
