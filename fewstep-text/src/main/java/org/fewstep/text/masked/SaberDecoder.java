package org.fewstep.text.masked;

import java.util.Arrays;
import org.fewstep.core.Rng;

/**
 * Saber (Dong et al. 2025, "Saber: An Efficient Sampling with Adaptive Acceleration and
 * Backtracking Enhanced Remasking for Diffusion Language Model", arXiv 2510.18165; the official
 * {@code generate_with_saber}). Each step predicts a token and its confidence at every generated
 * position of the blocks so far, committed ones included.
 * <ul>
 *   <li>Adaptive acceleration: the threshold is the mean confidence that every position ever
 *       committed had when it was committed (1 before the first commit); every masked position above
 *       it is committed, or the {@code n} most confident when fewer pass.</li>
 *   <li>Backtracking: if masked positions remain, the {@code m = min(max(floor(n/2), ceil(s/8)), s-1)}
 *       committed positions whose confidence fell most since the previous step are masked again, where
 *       s is the number just committed (at least n).</li>
 * </ul>
 * Each step commits s and re-masks at most s - 1, so it makes progress and decoding ends within as
 * many steps as positions. Where fewer than n masked positions remain, all of them are committed (the
 * reference's top-n then picks positions outside the candidates).
 */
final class SaberDecoder implements MaskedDecoder {
  private final String spec;
  private final int n;
  private final int mu;
  private final int block;
  private final double temperature;
  private final boolean backtrack;

  SaberDecoder(String spec, int n, int mu, int block, double temperature, boolean backtrack) {
    this.spec = spec;
    this.n = n;
    this.mu = mu;
    this.block = block;
    this.temperature = temperature;
    this.backtrack = backtrack;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public MaskedRun start(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
    int length = block == 0 ? end - start : BlockDecoder.blockLength(spec, block, end - start);
    return new Run(model, x, start, end, rng, row, listener, length);
  }

  /** The number re-masked after committing {@code committed} positions (the official rule). */
  static int remaskCount(int n, int mu, int committed) {
    int fix = Math.max(n, committed);
    return Math.max(0, Math.min(Math.max(n / 2, (fix + mu - 1) / mu), fix - 1));
  }

  private final class Run extends MaskedRun {
    private final int length;
    private int blockEnd;
    private final int[] token;
    private final double[] confidence;
    private final double[] previous;
    private final double[] delta;
    /** Confidence at the last commit of each position, NaN if never committed. */
    private final double[] atCommit;
    private final Prediction prediction;
    private final BlockCandidates masked;
    private final BlockCandidates committed;

    Run(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener, int length) {
      super(model, x, start, end, rng, row, listener);
      this.length = length;
      this.blockEnd = start + length;
      int size = end - start;
      token = new int[size];
      confidence = new double[size];
      previous = new double[size];
      delta = new double[size];
      atCommit = new double[size];
      Arrays.fill(atCommit, Double.NaN);
      prediction = new Prediction(vocab);
      masked = new BlockCandidates(size);
      committed = new BlockCandidates(size);
    }

    @Override
    public int from() {
      return start;
    }

    @Override
    public int to() {
      return blockEnd;
    }

    @Override
    protected void step(double[] logits) {
      double sum = 0;
      int count = 0;
      for (int i = start; i < blockEnd; i++) {
        int j = i - start;
        prediction.score(logits, j * vocab, i, temperature, rng);
        token[j] = prediction.token;
        confidence[j] = prediction.confidence;
        delta[j] = Double.isFinite(previous[j]) ? confidence[j] - previous[j] : Double.POSITIVE_INFINITY;
        previous[j] = confidence[j];
        if (!Double.isNaN(atCommit[j])) {
          sum += atCommit[j];
          count++;
        }
      }
      for (int i = blockEnd; i < end; i++) {
        previous[i - start] = Double.NEGATIVE_INFINITY;
      }
      double threshold = count == 0 ? 1 : sum / count;
      masked.n = 0;
      for (int i = start; i < blockEnd; i++) {
        if (x[i] == mask) {
          masked.position[masked.n] = i;
          masked.confidence[masked.n++] = confidence[i - start];
        }
      }
      masked.sort();
      int passing = 0;
      while (passing < masked.n && masked.confidence[masked.order[passing]] > threshold) {
        passing++;
      }
      int commits = Math.max(passing, Math.min(n, masked.n));
      for (int k = 0; k < commits; k++) {
        int i = masked.position[masked.order[k]];
        commit(i, token[i - start], confidence[i - start]);
        atCommit[i - start] = confidence[i - start];
      }
      if (maskedLeft() > 0 && commits == masked.n) {
        blockEnd += length;
      } else if (maskedLeft() > 0 && backtrack) {
        remaskLargestDrops(remaskCount(n, mu, commits));
      }
      report(Double.NaN);
    }

    /** Masks again the {@code m} committed positions whose confidence fell most. */
    private void remaskLargestDrops(int m) {
      committed.n = 0;
      for (int i = start; i < blockEnd; i++) {
        if (x[i] != mask) {
          committed.position[committed.n] = i;
          committed.confidence[committed.n++] = -delta[i - start];
        }
      }
      committed.sort();
      for (int k = 0; k < Math.min(m, committed.n); k++) {
        remask(committed.position[committed.order[k]]);
      }
    }
  }
}
