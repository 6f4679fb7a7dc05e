package org.fewstep.text.speculative;

import java.util.Arrays;

/**
 * Recursive rejection sampling (decoding.md 3), the multi-draft baseline: with r = p, try the drafts
 * in draw order, accepting x_i with min(1, r(x_i)/s(x_i)) where s is the law x_i was drawn from,
 * and after each rejection set r = norm((r - s)+); if all fail, emit a token of r. With replacement
 * s = q throughout; without replacement s is q restricted to the tokens not drawn yet, renormalized.
 * Tries after one that cannot fail ((r - s)+ = 0) are left out of the plan. Exact for its scheme,
 * but below the optimum; its acceptance has no closed form here (tests enumerate the draws).
 *
 * @param withoutReplacement true for rrs-wor (drafts drawn without replacement), false for rrs
 */
record RecursiveRejectionVerifier(boolean withoutReplacement) implements Verifier {
  @Override
  public String name() {
    return withoutReplacement ? "rrs-wor" : "rrs";
  }

  @Override
  public DraftScheme scheme() {
    return withoutReplacement ? DraftScheme.WITHOUT_REPLACEMENT : DraftScheme.IID;
  }

  @Override
  public Plan plan(double[] p, double[] q, int[] candidates) {
    Drafts.requireLaws(p, q);
    Drafts.requireCandidates(q, candidates);
    if (withoutReplacement) {
      Drafts.requireDistinct(candidates, scheme());
    }
    int k = candidates.length;
    int[] order = new int[k];
    double[] accept = new double[k];
    double[] r = p;
    double[] s = q;
    for (int i = 0; i < k; i++) {
      int x = candidates[i];
      order[i] = i;
      double[] next = Drafts.residual(r, s);
      if (next == null) {
        accept[i] = 1;
        return new Plan(Arrays.copyOf(order, i + 1), Arrays.copyOf(accept, i + 1), null);
      }
      accept[i] = Math.min(1, r[x] / s[x]);
      r = next;
      if (withoutReplacement && i + 1 < k) {
        s = undrawn(q, candidates, i + 1);
      }
    }
    return new Plan(order, accept, r);
  }

  /** q restricted to the tokens other than the first {@code drawn} candidates, renormalized. */
  private static double[] undrawn(double[] q, int[] candidates, int drawn) {
    double[] s = q.clone();
    for (int i = 0; i < drawn; i++) {
      s[candidates[i]] = 0;
    }
    return Drafts.normalizedOrNull(s); // not null: a later candidate is a distinct token with q > 0
  }
}
