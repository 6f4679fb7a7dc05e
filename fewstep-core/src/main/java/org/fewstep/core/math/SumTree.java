package org.fewstep.core.math;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Non-negative weights in a complete binary tree of partial sums: a draw proportional to the weights
 * and a change of one weight each cost O(log n), after an O(n) build. Sampling without replacement
 * by repeated draws and zeroing gives the Plackett-Luce order, the law of the Gumbel top-k order, at
 * O(log n) per item instead of a pass over all n. Sums are recomputed from the children on every
 * change (no running subtraction), so removals do not accumulate rounding error.
 */
public final class SumTree {
  private final int leaves;
  private final double[] tree;
  private final int n;

  /** A tree over {@code weights[0 .. n)} (finite, non-negative). */
  public SumTree(double[] weights, int n) {
    int size = 1;
    while (size < n) {
      size <<= 1;
    }
    this.leaves = size;
    this.n = n;
    this.tree = new double[2 * size];
    for (int i = 0; i < n; i++) {
      double w = weights[i];
      if (!(w >= 0) || w == Double.POSITIVE_INFINITY) {
        throw BadInputException.of("weight[" + i + "]", w, "a finite number >= 0");
      }
      tree[size + i] = w;
    }
    for (int k = size - 1; k >= 1; k--) {
      tree[k] = tree[2 * k] + tree[2 * k + 1];
    }
  }

  /** The sum of all weights. */
  public double total() {
    return tree[1];
  }

  /** Weight {@code i}. */
  public double weight(int i) {
    return tree[leaves + i];
  }

  /** Sets weight {@code i} to {@code w} (finite, non-negative). */
  public void set(int i, double w) {
    if (!(w >= 0) || w == Double.POSITIVE_INFINITY) {
      throw BadInputException.of("weight[" + i + "]", w, "a finite number >= 0");
    }
    int k = leaves + i;
    tree[k] = w;
    for (k >>= 1; k >= 1; k >>= 1) {
      tree[k] = tree[2 * k] + tree[2 * k + 1];
    }
  }

  /** An index drawn with probability proportional to its weight, or -1 when every weight is 0. */
  public int sample(Rng rng) {
    if (!(tree[1] > 0)) {
      return -1;
    }
    double u = rng.nextDouble() * tree[1];
    int k = 1;
    while (k < leaves) {
      double left = tree[2 * k];
      if (u < left || tree[2 * k + 1] == 0) {
        k = 2 * k;
      } else {
        u -= left;
        k = 2 * k + 1;
      }
    }
    int i = k - leaves;
    if (i >= n || tree[k] == 0) { // rounding at a boundary: take the nearest positive weight to the left
      while (i >= 0 && (i >= n || tree[leaves + i] == 0)) {
        i--;
      }
    }
    return i;
  }
}
