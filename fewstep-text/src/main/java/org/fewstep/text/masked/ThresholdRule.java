package org.fewstep.text.masked;

/**
 * Fast-dLLM's threshold rule (Wu et al. 2025, Algorithm 1; {@code get_transfer_index} with a
 * threshold): commit every candidate whose confidence is at least tau, and the most confident one
 * if none is.
 */
final class ThresholdRule implements CommitRule {
  private final double threshold;

  ThresholdRule(double threshold) {
    this.threshold = threshold;
  }

  @Override
  public int select(BlockCandidates c, int step, int[] chosen) {
    int count = 1;
    chosen[0] = c.order[0];
    while (count < c.n && c.confidence[c.order[count]] >= threshold) {
      chosen[count] = c.order[count];
      count++;
    }
    return count;
  }
}
