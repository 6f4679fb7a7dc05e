package org.fewstep.core.math;

import java.util.Arrays;
import java.util.PriorityQueue;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Exact categorical sampling in double precision (decoding.md 0.1 and 14): the one primitive every
 * fewstep sampler draws tokens with. A reusable workspace: {@link #setLogits} (or
 * {@link #setWeights}) prepares a distribution, {@link #sample} draws from it by the inverse CDF
 * with one 53-bit uniform, walking {@link Softmax#BLOCK}-sized block sums and then one block.
 *
 * <p>Float32 noise caps a Gumbel variable at 16.64 and makes tokens 19.45 nats below the leader
 * impossible; here the only limit is double rounding (relative 2^-53). Zero weights are never
 * drawn. Not thread-safe: use one instance per thread.
 */
public final class Categorical {
  private double[] weights = new double[0];
  private double[] blockSums = new double[0];
  private int size;
  private double total;
  private double shift;

  /**
   * Prepares softmax({@code logits[0..n)}); {@code -Infinity} entries get probability zero. NaN,
   * {@code +Infinity} or no finite entry is an error naming {@code what}.
   */
  public Categorical setLogits(String what, double[] logits, int n) {
    return setLogits(what, logits, n, 1.0);
  }

  /** Prepares softmax({@code logits[0..n)} / temperature), a positive finite temperature. */
  public Categorical setLogits(String what, double[] logits, int n, double temperature) {
    ensure(n);
    shift = Softmax.max(what, logits, n);
    total = Softmax.expShifted(logits, n, shift, 1.0 / temperature, weights, blockSums);
    size = n;
    return this;
  }

  /**
   * The probability of the categories that rank before {@code i} (probability descending, index
   * ascending): i belongs to the top-p nucleus exactly when this is below p.
   */
  public double massBefore(int i) {
    return Softmax.massBefore(weights, size, i) / total;
  }

  /** How many categories rank before {@code i} (probability descending, index ascending). */
  public int rank(int i) {
    double wi = weights[i];
    int count = 0;
    for (int j = 0; j < size; j++) {
      count += weights[j] > wi || (weights[j] == wi && j < i) ? 1 : 0;
    }
    return count;
  }

  /**
   * Prepares the distribution proportional to the non-negative finite {@code weights[0..n)}
   * (copied); a negative, non-finite or all-zero vector is an error naming {@code what}.
   */
  public Categorical setWeights(String what, double[] w, int n) {
    ensure(n);
    double[] lanes = new double[8];
    for (int start = 0, b = 0; start < n; start += Softmax.BLOCK, b++) {
      Arrays.fill(lanes, 0.0);
      for (int i = start, end = Math.min(n, start + Softmax.BLOCK); i < end; i++) {
        double v = w[i];
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
          throw BadInputException.of(what + "[" + i + "]", v, "a finite non-negative weight");
        }
        weights[i] = v;
        lanes[(i - start) & 7] += v;
      }
      blockSums[b] = Softmax.reduce(lanes);
    }
    total = 0;
    for (int b = 0, nb = Softmax.blocks(n); b < nb; b++) {
      total += blockSums[b];
    }
    if (!(total > 0)) {
      throw BadInputException.of(what, "all zero", "at least one positive weight");
    }
    shift = 0;
    size = n;
    return this;
  }

  /** Number of categories of the prepared distribution. */
  public int size() {
    return size;
  }

  /** One exact draw: index i with probability {@link #probability}(i). */
  public int sample(Rng rng) {
    double target = rng.nextDouble() * total;
    double cumulative = 0;
    int blocks = Softmax.blocks(size);
    for (int b = 0; b < blocks; b++) {
      double next = cumulative + blockSums[b];
      if (next > target) {
        int start = b * Softmax.BLOCK;
        int end = Math.min(size, start + Softmax.BLOCK);
        for (int i = start; i < end; i++) {
          cumulative += weights[i];
          if (cumulative > target) {
            return i;
          }
        }
        return lastPositive(end); // the block's own rounding fell short of its sum
      }
      cumulative = next;
    }
    return lastPositive(size);
  }

  /** The unnormalized weight of category {@code i} (exp of its shifted logit, or the given weight). */
  public double weight(int i) {
    return weights[i];
  }

  /** Probability of category {@code i}. */
  public double probability(int i) {
    return weights[i] / total;
  }

  /** Natural log of the probability of category {@code i} ({@code -Infinity} for a zero weight). */
  public double logProbability(int i) {
    return Math.log(weights[i]) - Math.log(total);
  }

  /** log of the normalizer: logsumexp of the logits, or log of the weights' total. */
  public double logNormalizer() {
    return shift + Math.log(total);
  }

  /** Writes the probabilities of the prepared distribution into {@code out[0..size)}. */
  public void probabilities(double[] out) {
    double inverse = 1.0 / total;
    for (int i = 0; i < size; i++) {
      out[i] = weights[i] * inverse;
    }
  }

  /** One exact draw from softmax({@code logits}) (allocates a workspace; loops should reuse one). */
  public static int sample(double[] logits, Rng rng) {
    return new Categorical().setLogits("logits", logits, logits.length).sample(rng);
  }

  /**
   * {@code k} distinct indices drawn without replacement from softmax({@code logits[0..n)}), in
   * draw order: the Gumbel-top-k trick in double (keys {@code logits[i] + G_i}, largest first), an
   * exact sampler of ordered draws without replacement (Vieira 2014; Kool et al. 2019).
   */
  public static int[] withoutReplacement(double[] logits, int n, int k, Rng rng) {
    Softmax.max("logits", logits, n);
    int possible = 0;
    for (int i = 0; i < n; i++) {
      possible += logits[i] > Double.NEGATIVE_INFINITY ? 1 : 0;
    }
    if (k < 1 || k > possible) {
      throw BadInputException.of("k", k, "between 1 and the number of possible categories, " + possible);
    }
    PriorityQueue<double[]> smallestFirst = new PriorityQueue<>(k, (a, b) -> Double.compare(a[0], b[0]));
    for (int i = 0; i < n; i++) {
      if (logits[i] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double u;
      do {
        u = rng.nextDouble();
      } while (u == 0.0);
      double key = logits[i] - Math.log(-Math.log(u));
      if (smallestFirst.size() < k) {
        smallestFirst.add(new double[] {key, i});
      } else if (key > smallestFirst.peek()[0]) {
        smallestFirst.poll();
        smallestFirst.add(new double[] {key, i});
      }
    }
    int[] order = new int[k];
    for (int j = k - 1; j >= 0; j--) {
      order[j] = (int) smallestFirst.poll()[1];
    }
    return order;
  }

  private int lastPositive(int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (weights[i] > 0) {
        return i;
      }
    }
    throw new IllegalStateException("no positive weight"); // unreachable: total > 0
  }

  private void ensure(int n) {
    if (n < 1) {
      throw BadInputException.of("number of categories", n, "at least 1");
    }
    if (weights.length < n) {
      weights = new double[n];
      blockSums = new double[Softmax.blocks(n)];
    }
  }
}
