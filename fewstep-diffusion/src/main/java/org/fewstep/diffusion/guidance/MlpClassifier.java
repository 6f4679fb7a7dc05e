package org.fewstep.diffusion.guidance;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * A small time-conditioned classifier of noisy points for classifier guidance (the role of the
 * minority classifier {@code p_psi(l | x_t, t)} of Um, Lee and Ye, ICLR 2024, section 3.2): one
 * hidden tanh layer over the features {@code [x~ / sqrt(v + sigma~^2), log(sigma~) / 4]}, where v is
 * the data's mean variance per element (so the inputs stay of unit scale at every noise level),
 * trained with cross-entropy on points noised at log-uniform levels over the schedule's range, by
 * Adam. The official classifier is a head on a pretrained ADM encoder, which does not exist here.
 */
public final class MlpClassifier implements NoisyClassifier {
  /**
   * Training settings.
   *
   * @param hidden       hidden units
   * @param steps        Adam steps
   * @param batch        examples per step
   * @param learningRate Adam's step size
   * @param weightDecay  decoupled weight decay per step (AdamW; official 0.05 with lr 3e-4)
   */
  public record Settings(int hidden, int steps, int batch, double learningRate, double weightDecay) {
    public static final Settings DEFAULT = new Settings(64, 3000, 128, 3e-3, 0.0);

    public Settings {
      BadInputException.requireAtLeast("hidden units", hidden, 1);
      BadInputException.requireAtLeast("training steps", steps, 1);
      BadInputException.requireAtLeast("batch size", batch, 1);
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw BadInputException.of("learning rate", learningRate, "a positive number");
      }
      if (!(weightDecay >= 0)) {
        throw BadInputException.of("weight decay", weightDecay, "a number >= 0");
      }
    }
  }

  private final int d;
  private final int hidden;
  private final int classes;
  private final double variance;
  /** Parameters in one array: W1 [hidden][d + 1], b1 [hidden], W2 [classes][hidden], b2 [classes]. */
  private final double[] p;
  private final int w1;
  private final int b1;
  private final int w2;
  private final int b2;

  private MlpClassifier(int d, int hidden, int classes, double variance) {
    this.d = d;
    this.hidden = hidden;
    this.classes = classes;
    this.variance = variance;
    this.w1 = 0;
    this.b1 = hidden * (d + 1);
    this.w2 = b1 + hidden;
    this.b2 = w2 + classes * hidden;
    this.p = new double[b2 + classes];
  }

  @Override
  public int classes() {
    return classes;
  }

  /**
   * Trains a classifier of {@code labels} (one per row of {@code data}, n rows of d elements, clean
   * points) for noise levels in {@code [minNoise, maxNoise]} (VE, {@code sigma/alpha}).
   */
  public static MlpClassifier train(double[] data, int n, int[] labels, int classes, double minNoise, double maxNoise,
      Settings settings, Rng rng) {
    BadInputException.requireAtLeast("number of data points", n, 1);
    if (labels.length != n || data.length % n != 0) {
      throw new BadInputException("classifier training: " + n + " points need " + n + " labels and a data length divisible by "
          + n + "; got " + labels.length + " labels and " + data.length + " values");
    }
    if (!(minNoise > 0 && maxNoise > minNoise)) {
      throw BadInputException.of("noise range", "[" + minNoise + ", " + maxNoise + "]", "0 < min < max");
    }
    int d = data.length / n;
    double mean = 0;
    for (double v : data) {
      mean += v;
    }
    mean /= data.length;
    double variance = 0;
    for (double v : data) {
      variance += (v - mean) * (v - mean);
    }
    variance = Math.max(variance / data.length, 1e-12);
    MlpClassifier c = new MlpClassifier(d, settings.hidden(), classes, variance);
    for (int l : labels) {
      if (l < 0 || l >= classes) {
        throw BadInputException.of("label", l, "a class in [0, " + (classes - 1) + "]");
      }
    }
    double scale1 = 1 / Math.sqrt(d + 1);
    for (int i = c.w1; i < c.b1; i++) {
      c.p[i] = scale1 * rng.nextGaussian();
    }
    double scale2 = 1 / Math.sqrt(settings.hidden());
    for (int i = c.w2; i < c.b2; i++) {
      c.p[i] = scale2 * rng.nextGaussian();
    }
    double[] m = new double[c.p.length];
    double[] v = new double[c.p.length];
    double[] grad = new double[c.p.length];
    double[] x = new double[d];
    double[] work = new double[d];
    double logMin = Math.log(minNoise);
    double logMax = Math.log(maxNoise);
    for (int step = 1; step <= settings.steps(); step++) {
      java.util.Arrays.fill(grad, 0);
      for (int e = 0; e < settings.batch(); e++) {
        int i = rng.nextInt(n);
        double noise = Math.exp(logMin + rng.nextDouble() * (logMax - logMin));
        for (int j = 0; j < d; j++) {
          x[j] = data[i * d + j] + noise * rng.nextGaussian();
        }
        c.backward(x, noise, labels[i], grad, null, work);
      }
      double lr = settings.learningRate();
      double c1 = 1 - Math.pow(0.9, step);
      double c2 = 1 - Math.pow(0.999, step);
      for (int k = 0; k < c.p.length; k++) {
        double g = -grad[k] / settings.batch(); // the loss is -log p
        m[k] = 0.9 * m[k] + 0.1 * g;
        v[k] = 0.999 * v[k] + 0.001 * g * g;
        c.p[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8) + lr * settings.weightDecay() * c.p[k];
      }
    }
    return c;
  }

  @Override
  public double logProbability(double[] xTilde, double noise, int label, double[] gradient) {
    if (xTilde.length != d) {
      throw BadInputException.of("item length", xTilde.length, d + " (the classifier's dimension)");
    }
    return backward(xTilde, noise, label, null, gradient, new double[d]);
  }

  /**
   * {@code log p(label | x~)}; adds its gradient in the parameters to {@code paramGrad} and writes
   * its gradient in x~ to {@code inputGrad} (either may be null).
   */
  private double backward(double[] x, double noise, int label, double[] paramGrad, double[] inputGrad, double[] features) {
    double inputScale = 1 / Math.sqrt(variance + noise * noise);
    double time = Math.log(noise) / 4;
    for (int j = 0; j < d; j++) {
      features[j] = x[j] * inputScale;
    }
    double[] h = new double[hidden];
    for (int u = 0; u < hidden; u++) {
      int row = w1 + u * (d + 1);
      double a = p[b1 + u] + p[row + d] * time;
      for (int j = 0; j < d; j++) {
        a += p[row + j] * features[j];
      }
      h[u] = Math.tanh(a);
    }
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int l = 0; l < classes; l++) {
      int row = w2 + l * hidden;
      double z = p[b2 + l];
      for (int u = 0; u < hidden; u++) {
        z += p[row + u] * h[u];
      }
      logits[l] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int l = 0; l < classes; l++) {
      sum += Math.exp(logits[l] - max);
    }
    double logNorm = max + Math.log(sum);
    if (paramGrad == null && inputGrad == null) {
      return logits[label] - logNorm;
    }
    // d log p_label / d logits = e_label - softmax
    double[] dh = new double[hidden];
    for (int l = 0; l < classes; l++) {
      double dz = (l == label ? 1 : 0) - Math.exp(logits[l] - logNorm);
      int row = w2 + l * hidden;
      for (int u = 0; u < hidden; u++) {
        dh[u] += dz * p[row + u];
        if (paramGrad != null) {
          paramGrad[row + u] += dz * h[u];
        }
      }
      if (paramGrad != null) {
        paramGrad[b2 + l] += dz;
      }
    }
    if (inputGrad != null) {
      java.util.Arrays.fill(inputGrad, 0);
    }
    for (int u = 0; u < hidden; u++) {
      double da = dh[u] * (1 - h[u] * h[u]);
      int row = w1 + u * (d + 1);
      if (paramGrad != null) {
        for (int j = 0; j < d; j++) {
          paramGrad[row + j] += da * features[j];
        }
        paramGrad[row + d] += da * time;
        paramGrad[b1 + u] += da;
      }
      if (inputGrad != null) {
        for (int j = 0; j < d; j++) {
          inputGrad[j] += da * p[row + j] * inputScale;
        }
      }
    }
    return logits[label] - logNorm;
  }
}
