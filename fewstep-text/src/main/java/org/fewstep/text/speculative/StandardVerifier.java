package org.fewstep.text.speculative;

import org.fewstep.core.BadInputException;

/**
 * Standard speculative sampling (Leviathan et al. 2023; Chen et al. 2023; decoding.md 1): accept the
 * one draft d with probability min(1, p(d)/q(d)), else emit a token of norm((p - q)+). It verifies
 * exactly one candidate; several are an error (use spectr, rrs or greedy-md for them).
 *
 * <p>Special cases fall out of the formula: one-hot p and q (temperature 0) accept iff d = argmax p
 * and otherwise emit argmax p; a deterministic draft (q = delta_d) accepts with p(d) and otherwise
 * emits p without d, renormalized.
 */
record StandardVerifier() implements Verifier {
  @Override
  public String name() {
    return "standard";
  }

  @Override
  public DraftScheme scheme() {
    return DraftScheme.IID;
  }

  @Override
  public Plan plan(double[] p, double[] q, int[] candidates) {
    Drafts.requireLaws(p, q);
    Drafts.requireCandidates(q, candidates);
    if (candidates.length != 1) {
      throw BadInputException.of("number of candidates", candidates.length,
          "1: standard verifies one draft (spectr, rrs, rrs-wor and greedy-md verify several)");
    }
    int d = candidates[0];
    double[] residual = Drafts.residual(p, q);
    double accept = residual == null ? 1 : Math.min(1, p[d] / q[d]);
    return new Plan(new int[] {0}, new double[] {accept}, residual);
  }

  /** Its acceptance probability averaged over d ~ q: sum_x min(p(x), q(x)) = 1 - TV(p, q). */
  static double acceptance(double[] p, double[] q) {
    double sum = 0;
    for (int x = 0; x < p.length; x++) {
      sum += Math.min(p[x], q[x]);
    }
    return sum;
  }
}
