package org.fewstep.text.masked;

/**
 * The masked positions of a block decoder's current block with their predicted tokens and scores,
 * and their order by falling confidence (ties: lower position first, as a stable sort of the
 * positions). A reusable scratch object of one run.
 */
final class BlockCandidates {
  /** How many candidates. */
  int n;
  /** How many positions of the block were masked when the block started. */
  int blockMasked;
  /** Absolute positions, ascending. */
  final int[] position;
  final int[] token;
  /** The score that orders candidates: the token's probability (or a uniform draw for random remasking). */
  final double[] confidence;
  /** The token's probability under the model. */
  final double[] probability;
  /** The entropy of the position's distribution, in nats. */
  final double[] entropy;
  /** Candidate indices by falling confidence. */
  final int[] order;
  private final int[] buffer;

  BlockCandidates(int capacity) {
    position = new int[capacity];
    token = new int[capacity];
    confidence = new double[capacity];
    probability = new double[capacity];
    entropy = new double[capacity];
    order = new int[capacity];
    buffer = new int[capacity];
  }

  /** Fills {@link #order}: a stable merge sort of the indices by falling confidence. */
  void sort() {
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] from = order;
    int[] to = buffer;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        for (int k = lo; k < hi; k++) {
          if (b >= hi || (a < mid && confidence[from[a]] >= confidence[from[b]])) {
            to[k] = from[a++];
          } else {
            to[k] = from[b++];
          }
        }
      }
      int[] swap = from;
      from = to;
      to = swap;
    }
    if (from != order) {
      System.arraycopy(from, 0, order, 0, n);
    }
  }
}
