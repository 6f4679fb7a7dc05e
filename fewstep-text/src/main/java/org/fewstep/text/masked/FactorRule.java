package org.fewstep.text.masked;

/**
 * Fast-dLLM's factor rule ({@code get_transfer_index_dynamic}): with the candidates' confidences
 * sorted, {@code c(1) >= c(2) >= ...}, commit the longest prefix whose every member passes
 * {@code c(k) >= 1 - f / (k + 1)}; the first always passes. The motivation is Theorem 1 of the paper:
 * n tokens each more certain than {@code 1 - eps} with {@code (n + 1) eps <= 1} decode greedily the
 * same in parallel as jointly.
 *
 * <p>The reference code also commits everything when only the last candidate fails; this rule does
 * not (it is the stated rule).
 */
final class FactorRule implements CommitRule {
  private final double factor;

  FactorRule(double factor) {
    this.factor = factor;
  }

  @Override
  public int select(BlockCandidates c, int step, int[] chosen) {
    int count = 1;
    chosen[0] = c.order[0];
    while (count < c.n && c.confidence[c.order[count]] >= 1 - factor / (count + 2)) {
      chosen[count] = c.order[count];
      count++;
    }
    return count;
  }
}
