package org.fewstep.diffusion.search;

import org.fewstep.core.NdArray;

/**
 * The outcome of a noise search.
 *
 * @param best          the best final sample, {@code [1, item shape...]} in model coordinates
 * @param bestIndex     its row in {@code samples}
 * @param samples       all final candidates, {@code [m, item shape...]}
 * @param scores        the verifier score of each final candidate (the full table)
 * @param nfe           batched denoiser calls, one after another (the search's latency)
 * @param evaluations   denoiser evaluations of single samples (the search's compute: rows x calls)
 * @param verifierCalls verifier calls (single samples)
 */
public record SearchResult(NdArray best, int bestIndex, NdArray samples, double[] scores, int nfe, long evaluations,
    long verifierCalls) {

  public double bestScore() {
    return scores[bestIndex];
  }
}
