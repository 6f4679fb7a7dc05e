package org.fewstep.text.speculative;

import java.util.Locale;

/**
 * What speculative decoding did, summed over the sequences of a decoder: target calls, rounds,
 * verified positions, accepted draft tokens, emitted tokens, draft-model evaluations and,
 * when tracked, the optimal acceptance of each verified position (decoding.md 3), so the measured
 * acceptance can be read as a fraction of the best any verifier could do with those drafts.
 */
public final class SpeculationStats {
  private long rounds;
  private long calls;
  private double expectedVariance;
  private long positions;
  private long accepted;
  private long emitted;
  private long draftCalls;
  private double optimalSum;
  private long optimalPositions;
  private double expectedSum;
  private long expectedPositions;

  void round(long emittedTokens) {
    rounds++;
    emitted += emittedTokens;
  }

  void call() {
    calls++;
  }

  void position(boolean wasAccepted) {
    positions++;
    accepted += wasAccepted ? 1 : 0;
  }

  void optimal(double alpha) {
    optimalSum += alpha;
    optimalPositions++;
  }

  void expected(double alpha) {
    expectedSum += alpha;
    expectedVariance += alpha * (1 - alpha);
    expectedPositions++;
  }

  void draftCalls(long calls) {
    draftCalls += calls;
  }

  /**
   * Target calls: one per round that scored anything (the unconsumed tokens of the last round and
   * the new drafts go in one call); the prompt's call is not counted.
   */
  public long targetCalls() {
    return calls;
  }

  /** Rounds (each emits at least one token). */
  public long rounds() {
    return rounds;
  }

  /** Sum of the verifier's exact acceptance probabilities at the tracked positions. */
  public double expectedAccepted() {
    return expectedSum;
  }

  /** Variance of the number of accepted positions given those probabilities: sum a (1 - a). */
  public double expectedAcceptedVariance() {
    return expectedVariance;
  }

  /** Positions where drafts were verified. */
  public long positions() {
    return positions;
  }

  /** Draft tokens accepted. */
  public long accepted() {
    return accepted;
  }

  /** Tokens emitted (accepted drafts, corrections and bonus tokens). */
  public long emitted() {
    return emitted;
  }

  /** Draft-model evaluations. */
  public long draftCalls() {
    return draftCalls;
  }

  /** Accepted draft tokens per verified position. */
  public double acceptanceRate() {
    return positions == 0 ? Double.NaN : (double) accepted / positions;
  }

  /** Tokens emitted per target call (the block efficiency). */
  public double tokensPerCall() {
    return calls == 0 ? Double.NaN : (double) emitted / calls;
  }

  /** Target calls per emitted token (1 without speculation). */
  public double callsPerToken() {
    return emitted == 0 ? Double.NaN : (double) calls / emitted;
  }

  /** Mean optimal acceptance over the tracked positions, or NaN when not tracked. */
  public double optimalAcceptance() {
    return optimalPositions == 0 ? Double.NaN : optimalSum / optimalPositions;
  }

  /** Mean of the verifier's exact acceptance probability at the verified positions (NaN when not tracked). */
  public double expectedAcceptance() {
    return expectedPositions == 0 ? Double.NaN : expectedSum / expectedPositions;
  }

  /** Measured acceptance as a fraction of the optimum. */
  public double fractionOfOptimal() {
    return acceptanceRate() / optimalAcceptance();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "speculation: %d target calls, %d tokens (%.3f per call, %.3f calls per token), acceptance %.4f "
            + "(%d of %d positions)%s%s, %d draft evaluations",
        calls, emitted, tokensPerCall(), callsPerToken(), acceptanceRate(), accepted, positions,
        Double.isNaN(expectedAcceptance()) ? "" : String.format(Locale.ROOT, ", expected %.4f", expectedAcceptance()),
        Double.isNaN(optimalAcceptance()) ? "" : String.format(Locale.ROOT, ", optimum %.4f (%.1f %%)",
            optimalAcceptance(), 100 * fractionOfOptimal()),
        draftCalls);
  }
}
