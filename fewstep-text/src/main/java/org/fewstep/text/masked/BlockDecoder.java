package org.fewstep.text.masked;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Semi-autoregressive block decoding (LLaDA, Nie et al. 2025, {@code generate.py}): the generated
 * region is cut into blocks of {@code block} positions, decoded left to right; later blocks stay
 * masked but visible to the model. Each step scores the current block's masked positions with
 * {@link Prediction} and commits the ones its {@link CommitRule} picks: LLaDA's quota, Fast-dLLM's
 * threshold or factor rule, dParallel's entropy threshold or LocalLeap's anchors. A block ends when
 * it has no masked position left.
 */
final class BlockDecoder implements MaskedDecoder {
  private final String spec;
  /** The rule, or null for LLaDA's quota over {@link #steps} steps. */
  private final CommitRule rule;
  /** LLaDA's total steps (0: as many as positions); unused with a rule. */
  private final int steps;
  /** Block length, or 0 for the default: 32 where 32 divides the length, else the whole length. */
  private final int block;
  private final double temperature;
  private final boolean randomConfidence;
  private final CacheMode cache;
  private final int refreshEvery;
  private final double guidance;

  BlockDecoder(String spec, CommitRule rule, int steps, int block, double temperature, boolean randomConfidence,
      CacheMode cache, int refreshEvery, double guidance) {
    this.spec = spec;
    this.rule = rule;
    this.steps = steps;
    this.block = block;
    this.temperature = temperature;
    this.randomConfidence = randomConfidence;
    this.cache = cache;
    this.refreshEvery = refreshEvery;
    this.guidance = guidance;
  }

  /** The block length for a region of {@code length} positions (checked: it must divide the length). */
  static int blockLength(String spec, int block, int length) {
    if (block == 0) {
      return length % 32 == 0 ? 32 : length;
    }
    if (length % block != 0) {
      throw BadInputException.of(spec + ": block", block, "a divisor of the generated length " + length);
    }
    return block;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public CacheMode cache() {
    return cache;
  }

  @Override
  public int refreshEvery() {
    return refreshEvery;
  }

  @Override
  public double guidance() {
    return guidance;
  }

  @Override
  public MaskedRun start(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
    int length = end - start;
    int blockLength = blockLength(spec, block, length);
    CommitRule stepRule = rule;
    if (stepRule == null) {
      int total = steps == 0 ? length : steps;
      int blocks = length / blockLength;
      if (total > length) {
        throw BadInputException.of(spec + ": steps", total, "at most the generated length " + length + " (a step commits at least one token)");
      }
      if (total % blocks != 0) {
        throw BadInputException.of(spec + ": steps", total, "a multiple of the number of blocks " + blocks + " (length " + length + " / block " + blockLength + ")");
      }
      stepRule = new QuotaRule(total / blocks);
    }
    return new Run(model, x, start, end, rng, row, listener, blockLength, stepRule);
  }

  private final class Run extends MaskedRun {
    private final int length;
    private int blockStart;
    private int step;
    private final BlockCandidates candidates;
    private final int[] chosen;
    private final Prediction prediction;
    private final CommitRule rule;

    Run(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener, int length,
        CommitRule rule) {
      super(model, x, start, end, rng, row, listener);
      this.length = length;
      this.rule = rule;
      this.blockStart = start;
      candidates = new BlockCandidates(length);
      chosen = new int[length];
      prediction = new Prediction(vocab);
      candidates.blockMasked = length;
    }

    @Override
    public int from() {
      return blockStart;
    }

    @Override
    public int to() {
      return blockStart + length;
    }

    @Override
    protected void step(double[] logits) {
      BlockCandidates c = candidates;
      c.n = 0;
      for (int i = blockStart; i < blockStart + length; i++) {
        if (x[i] == mask) {
          prediction.score(logits, (i - blockStart) * vocab, i, temperature, rng);
          c.position[c.n] = i;
          c.token[c.n] = prediction.token;
          c.confidence[c.n] = prediction.confidence;
          c.probability[c.n] = prediction.confidence;
          c.entropy[c.n] = prediction.entropy;
          c.n++;
        }
      }
      if (randomConfidence) {
        for (int j = 0; j < c.n; j++) {
          c.confidence[j] = rng.nextDouble();
        }
      }
      c.sort();
      int count = rule.select(c, step, chosen);
      for (int k = 0; k < count; k++) {
        int j = chosen[k];
        commit(c.position[j], c.token[j], c.probability[j]);
      }
      report(Double.NaN);
      step++;
      if (count == c.n) {
        blockStart += length;
        step = 0;
      }
    }
  }
}
