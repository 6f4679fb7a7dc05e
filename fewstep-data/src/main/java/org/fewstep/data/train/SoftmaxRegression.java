package org.fewstep.data.train;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * Multinomial logistic (softmax) regression, {@code logits = W^T x + b}, the linear learner of the RS2 CPU
 * experiment (discrete-and-data.md section 6 (d)). Parameters: {@code W} as {@code dim x classes} row-major
 * (row j holds input j's weight for every class), then the {@code classes} biases; all start at zero (the
 * loss is convex). Zero inputs are skipped, so sparse images such as MNIST digits are cheap.
 */
public final class SoftmaxRegression implements Classifier {
  private final int dim;
  private final int classes;
  private final double[] params;
  private final double[] z;

  public SoftmaxRegression(int dim, int classes) {
    this.dim = BadInputException.requireAtLeast("dim", dim, 1);
    this.classes = BadInputException.requireAtLeast("classes", classes, 2);
    this.params = new double[dim * classes + classes];
    this.z = new double[classes];
  }

  @Override
  public double[] parameters() {
    return params;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public void logits(Dataset data, int i, double[] out) {
    check(data);
    double[] x = data.features();
    int bias = dim * classes;
    System.arraycopy(params, bias, out, 0, classes);
    int base = i * dim;
    for (int j = 0; j < dim; j++) {
      double v = x[base + j];
      if (v != 0) {
        int row = j * classes;
        for (int c = 0; c < classes; c++) {
          out[c] += v * params[row + c];
        }
      }
    }
  }

  @Override
  public double lossAndGradient(Dataset data, int[] batch, int from, int count, double[] gradient) {
    check(data);
    BadInputException.requireAtLeast("batch count", count, 1);
    Arrays.fill(gradient, 0);
    double[] x = data.features();
    int bias = dim * classes;
    double scale = 1.0 / count;
    double loss = 0;
    for (int k = from; k < from + count; k++) {
      int i = batch[k];
      logits(data, i, z);
      loss += Classifier.softmaxGradient(z, data.labels()[i], scale);
      for (int c = 0; c < classes; c++) {
        gradient[bias + c] += z[c];
      }
      int base = i * dim;
      for (int j = 0; j < dim; j++) {
        double v = x[base + j];
        if (v != 0) {
          int row = j * classes;
          for (int c = 0; c < classes; c++) {
            gradient[row + c] += v * z[c];
          }
        }
      }
    }
    return loss / count;
  }

  private void check(Dataset data) {
    if (data.dim() != dim || data.classes() != classes) {
      throw BadInputException.of("data shape", data.dim() + " features, " + data.classes() + " classes",
          dim + " features and " + classes + " classes");
    }
  }
}
