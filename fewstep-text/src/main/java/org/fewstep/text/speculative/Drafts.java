package org.fewstep.text.speculative;

import org.fewstep.core.Rng;

/** Shared machinery of the verifiers: drawing candidates by a scheme and executing a plan. */
final class Drafts {
  private Drafts() {}

  static int[] draw(DraftScheme scheme, double[] q, int k, Rng rng) {
    throw new UnsupportedOperationException("written by the verifier work");
  }

  static Verdict execute(Plan plan, int[] candidates, Rng rng) {
    throw new UnsupportedOperationException("written by the verifier work");
  }
}
