package org.fewstep.text.masked;

/**
 * Which masked positions of the current block a {@link BlockDecoder} commits in one step. Every rule
 * commits at least one position, so every step makes progress.
 */
interface CommitRule {

  /**
   * Writes the indices (into {@code c}) of the candidates to commit into {@code chosen} and returns
   * how many, at least 1 and at most {@code c.n}.
   *
   * @param step the step's index within the block (0 for the block's first step)
   */
  int select(BlockCandidates c, int step, int[] chosen);
}
