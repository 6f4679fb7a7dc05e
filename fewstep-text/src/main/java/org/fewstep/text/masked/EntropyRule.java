package org.fewstep.text.masked;

/**
 * dParallel's threshold rule (Chen et al. 2025, {@code get_transfer_index_entropy}): commit the
 * candidate of lowest entropy and every other whose entropy (nats) is at most tau_H.
 */
final class EntropyRule implements CommitRule {
  private final double threshold;

  EntropyRule(double threshold) {
    this.threshold = threshold;
  }

  @Override
  public int select(BlockCandidates c, int step, int[] chosen) {
    int lowest = 0;
    for (int j = 1; j < c.n; j++) {
      if (c.entropy[j] < c.entropy[lowest]) {
        lowest = j;
      }
    }
    int count = 0;
    for (int j = 0; j < c.n; j++) {
      if (j == lowest || c.entropy[j] <= threshold) {
        chosen[count++] = j;
      }
    }
    return count;
  }
}
