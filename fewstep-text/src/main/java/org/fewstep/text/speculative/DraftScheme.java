package org.fewstep.text.speculative;

import org.fewstep.core.Rng;

/**
 * How the K draft candidates of one position are drawn from the draft distribution q
 * (decoding.md 3): independently, without replacement, or greedily (the K - 1 most likely tokens
 * and one draw from q restricted to the rest).
 */
public enum DraftScheme {
  /** K independent draws from q (duplicates possible); K = 1 is standard speculative decoding. */
  IID,
  /** K distinct draws: each from q restricted to the tokens not drawn yet (Gumbel-top-K). */
  WITHOUT_REPLACEMENT,
  /** The K - 1 tokens of largest q (ties: lower id), then one draw from q restricted to the others. */
  GREEDY;

  /**
   * Draws {@code k} candidates from the probability vector {@code q} by this scheme. Throws a clear
   * error when q has fewer than k possible tokens for a scheme that needs distinct ones.
   */
  public int[] draw(double[] q, int k, Rng rng) {
    return Drafts.draw(this, q, k, rng);
  }
}
