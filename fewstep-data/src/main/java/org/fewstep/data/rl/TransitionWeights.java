package org.fewstep.data.rl;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * Sampling probabilities over the transitions of a {@link TrajectoryDataset}, equal within each trajectory
 * (as {@link TrajectoryWeighting} produces them), and the reference's pre-drawn index pool.
 */
public final class TransitionWeights {
  private final TrajectoryDataset data;
  private final double[] perTransition;

  TransitionWeights(TrajectoryDataset data, double[] perTransition) {
    this.data = data;
    this.perTransition = perTransition;
  }

  /** The data set. */
  public TrajectoryDataset data() {
    return data;
  }

  /** The probability of global transition {@code index}. */
  public double transitionProbability(int index) {
    return perTransition[data.trajectoryOf(index)];
  }

  /** The probability of each transition of trajectory i. */
  public double perTransition(int i) {
    return perTransition[i];
  }

  /** The probability that a drawn transition belongs to trajectory i: {@code T_i} times its per-transition probability. */
  public double trajectoryProbability(int i) {
    return perTransition[i] * data.trajectory(i).length();
  }

  /** The probabilities of all transitions, by global index. */
  public double[] transitionProbabilities() {
    double[] p = new double[data.transitionCount()];
    for (int i = 0; i < data.trajectoryCount(); i++) {
      int start = data.start(i);
      for (int t = 0; t < data.trajectory(i).length(); t++) {
        p[start + t] = perTransition[i];
      }
    }
    return p;
  }

  /** The trajectory probabilities of the induced data set. */
  public double[] trajectoryProbabilities() {
    double[] p = new double[data.trajectoryCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = trajectoryProbability(i);
    }
    return p;
  }

  /**
   * The mean return of the trajectory a drawn transition belongs to, {@code sum_i P(i) G_i}: the return of
   * the induced data set's trajectory distribution.
   */
  public double meanReturn() {
    double[] g = data.returns();
    double mean = 0;
    for (int i = 0; i < g.length; i++) {
      mean += trajectoryProbability(i) * g[i];
    }
    return mean;
  }

  /**
   * The reference's speed trick ({@code PreSampleWeightedDataset}): draws {@code batches * batchSize}
   * transition indices with these probabilities once; {@link Pool#nextBatch} then draws {@code batchSize}
   * indices uniformly with replacement from that pool.
   */
  public Pool pool(int batches, int batchSize, Rng rng) {
    BadInputException.requireAtLeast("batches", batches, 1);
    BadInputException.requireAtLeast("batch size", batchSize, 1);
    long size = (long) batches * batchSize;
    if (size > Integer.MAX_VALUE - 8) {
      throw BadInputException.of("batches * batch size", size, "at most " + (Integer.MAX_VALUE - 8));
    }
    Categorical categorical = new Categorical().setWeights("transition probabilities", transitionProbabilities(),
        data.transitionCount());
    int[] indices = new int[(int) size];
    for (int j = 0; j < indices.length; j++) {
      indices[j] = categorical.sample(rng);
    }
    return new Pool(indices, batchSize);
  }

  /** A pre-drawn pool of transition indices. */
  public static final class Pool {
    private final int[] indices;
    private final int batchSize;

    Pool(int[] indices, int batchSize) {
      this.indices = indices;
      this.batchSize = batchSize;
    }

    /** The pooled indices (a copy). */
    public int[] indices() {
      return indices.clone();
    }

    /** {@code batchSize} indices drawn uniformly with replacement from the pool. */
    public int[] nextBatch(Rng rng) {
      int[] batch = new int[batchSize];
      for (int j = 0; j < batchSize; j++) {
        batch[j] = indices[rng.nextInt(indices.length)];
      }
      return batch;
    }
  }
}
