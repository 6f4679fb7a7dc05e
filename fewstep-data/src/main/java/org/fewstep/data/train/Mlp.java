package org.fewstep.data.train;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * A one-hidden-layer perceptron, {@code logits = W2 relu(W1 x + b1) + b2}, with He initialisation (He et al.
 * 2015: weights {@code N(0, 2 / fan_in)}, biases zero) from a seeded {@link Rng}. Parameters, flat:
 * {@code W1} as {@code dim x hidden} row-major (row j holds input j's weights into every hidden unit), {@code b1},
 * {@code W2} as {@code hidden x classes}, {@code b2}. Zero inputs are skipped in both passes, so sparse images
 * such as MNIST digits are cheap. (PyTorch's {@code nn.Linear} default would instead draw uniform weights of
 * variance {@code 1 / (3 fan_in)} and nonzero biases; He's rule is the usual choice for ReLU layers.)
 */
public final class Mlp implements Classifier {
  /** Hidden units of the RS2 experiment's network. */
  public static final int DEFAULT_HIDDEN = 128;

  private final int dim;
  private final int hidden;
  private final int classes;
  private final double[] params;
  private final int b1;
  private final int w2;
  private final int b2;
  private final double[] h;
  private final double[] dh;
  private final double[] z;

  public Mlp(int dim, int hidden, int classes, Rng rng) {
    this.dim = BadInputException.requireAtLeast("dim", dim, 1);
    this.hidden = BadInputException.requireAtLeast("hidden", hidden, 1);
    this.classes = BadInputException.requireAtLeast("classes", classes, 2);
    this.b1 = dim * hidden;
    this.w2 = b1 + hidden;
    this.b2 = w2 + hidden * classes;
    this.params = new double[b2 + classes];
    double s1 = Math.sqrt(2.0 / dim);
    for (int p = 0; p < b1; p++) {
      params[p] = s1 * rng.nextGaussian();
    }
    double s2 = Math.sqrt(2.0 / hidden);
    for (int p = w2; p < b2; p++) {
      params[p] = s2 * rng.nextGaussian();
    }
    this.h = new double[hidden];
    this.dh = new double[hidden];
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

  /** Hidden units. */
  public int hidden() {
    return hidden;
  }

  /** Hidden activations of example i into {@link #h}, then logits into {@code out}. */
  private void forward(double[] x, int i, double[] out) {
    System.arraycopy(params, b1, h, 0, hidden);
    int base = i * dim;
    for (int j = 0; j < dim; j++) {
      double v = x[base + j];
      if (v != 0) {
        int row = j * hidden;
        for (int u = 0; u < hidden; u++) {
          h[u] += v * params[row + u];
        }
      }
    }
    System.arraycopy(params, b2, out, 0, classes);
    for (int u = 0; u < hidden; u++) {
      double a = h[u];
      if (a > 0) {
        int row = w2 + u * classes;
        for (int c = 0; c < classes; c++) {
          out[c] += a * params[row + c];
        }
      } else {
        h[u] = 0;
      }
    }
  }

  @Override
  public void logits(Dataset data, int i, double[] out) {
    check(data);
    forward(data.features(), i, out);
  }

  @Override
  public double lossAndGradient(Dataset data, int[] batch, int from, int count, double[] gradient) {
    check(data);
    BadInputException.requireAtLeast("batch count", count, 1);
    Arrays.fill(gradient, 0);
    double[] x = data.features();
    double scale = 1.0 / count;
    double loss = 0;
    for (int k = from; k < from + count; k++) {
      int i = batch[k];
      forward(x, i, z);
      loss += Classifier.softmaxGradient(z, data.labels()[i], scale); // z is now dL/dlogits
      for (int c = 0; c < classes; c++) {
        gradient[b2 + c] += z[c];
      }
      for (int u = 0; u < hidden; u++) {
        double a = h[u];
        int row = w2 + u * classes;
        double back = 0;
        for (int c = 0; c < classes; c++) {
          back += params[row + c] * z[c];
        }
        if (a > 0) {
          for (int c = 0; c < classes; c++) {
            gradient[row + c] += a * z[c];
          }
          dh[u] = back;
        } else {
          dh[u] = 0; // relu'(0) = 0, as PyTorch
        }
      }
      for (int u = 0; u < hidden; u++) {
        gradient[b1 + u] += dh[u];
      }
      int base = i * dim;
      for (int j = 0; j < dim; j++) {
        double v = x[base + j];
        if (v != 0) {
          int row = j * hidden;
          for (int u = 0; u < hidden; u++) {
            gradient[row + u] += v * dh[u];
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
