package org.fewstep.text.masked;

/**
 * LLaDA's rule (Nie et al. 2025, {@code generate.py}): with m positions masked at the start of a block
 * and s steps per block, step k commits the {@code floor(m/s) + (k < m mod s ? 1 : 0)} most confident
 * candidates (the "low_confidence" remasking; with "random" remasking the confidences are uniform
 * draws).
 */
final class QuotaRule implements CommitRule {
  private final int steps;

  QuotaRule(int steps) {
    this.steps = steps;
  }

  /** Tokens committed at step k of a block that started with m masked positions. */
  static int quota(int m, int steps, int k) {
    return m / steps + (k < m % steps ? 1 : 0);
  }

  @Override
  public int select(BlockCandidates c, int step, int[] chosen) {
    int count = Math.min(c.n, Math.max(1, quota(c.blockMasked, steps, step)));
    System.arraycopy(c.order, 0, chosen, 0, count);
    return count;
  }
}
