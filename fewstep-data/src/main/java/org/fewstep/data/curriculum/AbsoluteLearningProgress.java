package org.fewstep.data.curriculum;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * The empirical absolute learning progress of ALP-GMM (Portelas et al., CoRL 2019, section 4.1,
 * {@code EmpiricalALPComputer} in {@code teachDRL/teachers/algos/alp_gmm.py}): for a new pair
 * (task, reward), find the nearest earlier task τ' (Euclidean, over <b>all</b> earlier tasks: the
 * reference's default {@code alp_max_size = None}) and take {@code alp = |reward - reward(τ')|}; while
 * the history holds at most {@link #WARM_UP} = 5 pairs the ALP is 0. The pair is then appended.
 *
 * <p>The nearest neighbour is found by brute force (O(n) per pair, about 0.2 s for 20 000 pairs in
 * 2-D); the reference uses a buffered kd-tree, which gives the same neighbour except between equally
 * near tasks, where this class takes the earliest.
 */
public final class AbsoluteLearningProgress {
  /** The ALP is 0 while the history holds this many pairs or fewer ({@code len > 5} in the reference). */
  public static final int WARM_UP = 5;

  private final int dimension;
  private double[] tasks;
  private double[] rewards = new double[16];
  private int size;

  /** An empty history of tasks with {@code dimension} parameters. */
  public AbsoluteLearningProgress(int dimension) {
    this.dimension = BadInputException.requireAtLeast("dimension", dimension, 1);
    this.tasks = new double[rewards.length * dimension];
  }

  /** The number of (task, reward) pairs seen. */
  public int size() {
    return size;
  }

  /**
   * The ALP of (task, reward) against the history, then appends the pair. The task must have
   * {@code dimension} finite coordinates, the reward must be finite.
   */
  public double add(double[] task, double reward) {
    if (task == null || task.length != dimension) {
      throw BadInputException.of("task length", task == null ? "null" : task.length, dimension + " (the task dimension)");
    }
    for (int j = 0; j < dimension; j++) {
      BadInputException.requireFinite("task[" + j + "]", task[j]);
    }
    BadInputException.requireFinite("reward", reward);
    double alp = 0;
    if (size > WARM_UP) {
      alp = Math.abs(reward - rewards[nearest(task)]);
    }
    if (size == rewards.length) {
      rewards = Arrays.copyOf(rewards, 2 * size);
      tasks = Arrays.copyOf(tasks, 2 * size * dimension);
    }
    System.arraycopy(task, 0, tasks, size * dimension, dimension);
    rewards[size++] = reward;
    return alp;
  }

  /** The index of the earliest stored task nearest to {@code task}; -1 when the history is empty. */
  int nearest(double[] task) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0, offset = 0; i < size; i++, offset += dimension) {
      double dist = 0;
      for (int j = 0; j < dimension; j++) {
        double t = tasks[offset + j] - task[j];
        dist += t * t;
      }
      if (dist < bestDistance) {
        bestDistance = dist;
        best = i;
      }
    }
    return best;
  }
}
