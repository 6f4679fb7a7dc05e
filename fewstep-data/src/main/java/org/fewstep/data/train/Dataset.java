package org.fewstep.data.train;

import org.fewstep.core.BadInputException;

/**
 * Labelled examples for classification: {@code features} holds {@code size() * dim} values, example after
 * example; {@code labels[i]} in {@code [0, classes)} is the class of example i. The arrays are shared, not
 * copied.
 */
public record Dataset(double[] features, int[] labels, int dim, int classes) {

  public Dataset {
    BadInputException.requireAtLeast("dim", dim, 1);
    BadInputException.requireAtLeast("classes", classes, 2);
    if (labels.length == 0) {
      throw BadInputException.of("labels", 0, "at least one labelled example");
    }
    if ((long) labels.length * dim != features.length) {
      throw BadInputException.of("labels length", labels.length,
          features.length / (double) dim + " (one label per example of " + dim + " features)");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw BadInputException.of("labels[" + i + "]", labels[i], "a class in [0, " + classes + ")");
      }
    }
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** The examples at {@code indices}, in that order (a copy). */
  public Dataset subset(int[] indices) {
    double[] x = new double[indices.length * dim];
    int[] y = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= labels.length) {
        throw BadInputException.of("index", i, "an example in [0, " + labels.length + ")");
      }
      System.arraycopy(features, i * dim, x, k * dim, dim);
      y[k] = labels[i];
    }
    return new Dataset(x, y, dim, classes);
  }
}
