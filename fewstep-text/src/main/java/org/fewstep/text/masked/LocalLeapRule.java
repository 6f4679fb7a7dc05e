package org.fewstep.text.masked;

/**
 * LocalLeap's rule (Kong et al. 2025, "Accelerating Diffusion LLM Inference via Local Determinism
 * Propagation", arXiv 2510.07081): candidates at least tau confident are anchors; a candidate within
 * {@code radius} positions of an anchor is committed at the relaxed threshold, any other at tau; the
 * most confident candidate is always committed. With no anchor, or {@code radius = 0}, or
 * {@code relaxed = tau}, this is {@link ThresholdRule}.
 */
final class LocalLeapRule implements CommitRule {
  private final double threshold;
  private final double relaxed;
  private final int radius;

  LocalLeapRule(double threshold, double relaxed, int radius) {
    this.threshold = threshold;
    this.relaxed = relaxed;
    this.radius = radius;
  }

  @Override
  public int select(BlockCandidates c, int step, int[] chosen) {
    int count = 1;
    chosen[0] = c.order[0];
    for (int k = 1; k < c.n; k++) {
      int j = c.order[k];
      double needed = nearAnchor(c, c.position[j]) ? relaxed : threshold;
      if (c.confidence[j] >= needed) {
        chosen[count++] = j;
      }
    }
    return count;
  }

  /** Whether an anchor lies within {@code radius} positions of {@code position} (itself included). */
  private boolean nearAnchor(BlockCandidates c, int position) {
    for (int a = 0; a < c.n; a++) {
      if (c.confidence[a] >= threshold && Math.abs(c.position[a] - position) <= radius) {
        return true;
      }
    }
    return false;
  }
}
