package org.fewstep.scaling;

/**
 * What a test-time scaling method spent.
 *
 * @param generations whole-solution equivalents: samples of best-of-N, particles times iterations
 *                    of particle filtering, the beams' width of a beam search (the papers' budget)
 * @param steps       steps generated, including those of discarded particles and beams
 * @param tokens      tokens generated, likewise
 * @param rewardCalls calls of the reward model or self-evaluator
 */
public record Cost(long generations, long steps, long tokens, long rewardCalls) {
  public static final Cost NONE = new Cost(0, 0, 0, 0);

  public Cost plus(Cost other) {
    return new Cost(generations + other.generations, steps + other.steps, tokens + other.tokens, rewardCalls + other.rewardCalls);
  }
}
