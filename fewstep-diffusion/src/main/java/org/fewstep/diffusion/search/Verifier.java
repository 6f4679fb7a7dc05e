package org.fewstep.diffusion.search;

/**
 * A verifier (reward model) for test-time search (Video-T1, Liu et al., arXiv 2503.18942): any
 * scoring function of one sample, higher is better. It must be deterministic and must not keep
 * the array it is given.
 */
@FunctionalInterface
public interface Verifier {
  /** The score of one sample ({@code itemSize} values, data coordinates); must be finite. */
  double score(double[] sample);
}
