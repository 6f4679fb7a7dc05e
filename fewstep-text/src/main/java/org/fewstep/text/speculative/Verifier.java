package org.fewstep.text.speculative;

import org.fewstep.core.Rng;

/**
 * A token-level verifier of speculative decoding: given the target's processed next-token law p,
 * the draft's q and K candidates drawn from q by {@link #scheme()}, it emits one token whose law,
 * averaged over the candidates' draws, is exactly p. Implementations: standard speculative sampling
 * (Leviathan et al. 2023; Chen et al. 2023), SpecTr's K-SEQ (Sun et al. 2023), recursive rejection
 * sampling with and without replacement, and the greedy multi-draft verifier (Hu et al. 2025).
 */
public interface Verifier {

  /** The spec name: standard, spectr, rrs, rrs-wor or greedy-md. */
  String name();

  /** How the candidates this verifier expects are drawn from q. */
  DraftScheme scheme();

  /** The decision for these candidates (probability vectors p and q over the same vocabulary). */
  Plan plan(double[] p, double[] q, int[] candidates);

  /** Verifies by drawing uniforms from {@code rng} for the tries of {@link #plan} and, if needed, the residual. */
  default Verdict verify(double[] p, double[] q, int[] candidates, Rng rng) {
    return Drafts.execute(plan(p, q, candidates), candidates, rng);
  }
}
