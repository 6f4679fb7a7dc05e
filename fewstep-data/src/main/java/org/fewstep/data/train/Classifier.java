package org.fewstep.data.train;

/**
 * A differentiable classifier with its parameters in one flat array, trained on the mean cross-entropy
 * (PyTorch's {@code CrossEntropyLoss}, mean reduction) of a mini-batch. Instances hold scratch buffers: not
 * thread-safe.
 */
public interface Classifier {

  /** The live parameter vector (the optimiser updates it in place). */
  double[] parameters();

  /** Input dimension. */
  int dim();

  /** Number of classes. */
  int classes();

  /**
   * Mean cross-entropy of examples {@code batch[from .. from + count)} of {@code data}; writes its gradient
   * with respect to {@link #parameters()} into {@code gradient} (overwritten, same length).
   */
  double lossAndGradient(Dataset data, int[] batch, int from, int count, double[] gradient);

  /** Writes the class scores (logits) of example {@code i} of {@code data} into {@code logits}. */
  void logits(Dataset data, int i, double[] logits);

  /** The class with the largest score (the smallest such class on ties). */
  default int predict(Dataset data, int i) {
    double[] z = new double[classes()];
    logits(data, i, z);
    int best = 0;
    for (int c = 1; c < z.length; c++) {
      if (z[c] > z[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Fraction of {@code data} classified correctly. */
  default double accuracy(Dataset data) {
    double[] z = new double[classes()];
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      logits(data, i, z);
      int best = 0;
      for (int c = 1; c < z.length; c++) {
        if (z[c] > z[best]) {
          best = c;
        }
      }
      if (best == data.labels()[i]) {
        correct++;
      }
    }
    return correct / (double) data.size();
  }

  /** Mean cross-entropy over all of {@code data} (no gradient). */
  default double loss(Dataset data) {
    double[] z = new double[classes()];
    double total = 0;
    for (int i = 0; i < data.size(); i++) {
      logits(data, i, z);
      total += crossEntropy(z, data.labels()[i]);
    }
    return total / data.size();
  }

  /** {@code log sum exp(z) - z[label]}, computed stably. */
  static double crossEntropy(double[] z, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum) - z[label];
  }

  /**
   * Turns logits {@code z} into the loss gradient {@code (softmax(z) - onehot(label)) * scale} in place and
   * returns the cross-entropy.
   */
  static double softmaxGradient(double[] z, int label, double scale) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int c = 0; c < z.length; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    double loss = Math.log(sum) - Math.log(z[label]);
    for (int c = 0; c < z.length; c++) {
      z[c] = z[c] / sum * scale;
    }
    z[label] -= scale;
    return loss;
  }
}
