package org.fewstep.diffusion;

import org.fewstep.core.registry.Keyed;

/**
 * What a diffusion network predicts for {@code x_t = alpha x0 + sigma eps} (diffusion.md 0.1):
 * the noise {@code eps}, the data {@code x0}, or the velocity {@code v = alpha eps - sigma x0}
 * (Salimans and Ho, 2022).
 */
public enum Prediction implements Keyed {
  EPS("eps"),
  X0("x0"),
  V("v");

  private final String key;

  Prediction(String key) {
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  public static Prediction of(String key) {
    return Keyed.of(Prediction.class, "prediction", key);
  }

  /**
   * The data estimate for one prediction {@code p} of this type at a point with {@code (alpha,
   * sigma)} whose input was {@code xTilde = x / alpha} (VE coordinates):
   * eps: {@code xTilde - (sigma/alpha) p}; v: {@code (alpha^2 xTilde - sigma p) / (alpha^2 + sigma^2)}.
   */
  public double x0(double p, double xTilde, double alpha, double sigma) {
    switch (this) {
      case X0:
        return p;
      case EPS:
        return xTilde - sigma / alpha * p;
      default:
        return (alpha * alpha * xTilde - sigma * p) / (alpha * alpha + sigma * sigma);
    }
  }

  /**
   * {@link #x0} for {@code length} elements: predictions from {@code predictions[offset..]}, inputs
   * from {@code xTilde[0..]}, results to {@code out[0..]}.
   */
  public void toX0(double[] predictions, int offset, double[] xTilde, double alpha, double sigma, double[] out, int length) {
    for (int i = 0; i < length; i++) {
      out[i] = x0(predictions[offset + i], xTilde[i], alpha, sigma);
    }
  }

  /**
   * The prediction of this type that corresponds to the data estimate {@code x0} for an input
   * {@code x} in model coordinates (how analytic models answer like a network).
   */
  public double fromX0(double x0, double x, double alpha, double sigma) {
    switch (this) {
      case X0:
        return x0;
      case EPS:
        return (x - alpha * x0) / sigma;
      default:
        return alpha * (x - alpha * x0) / sigma - sigma * x0;
    }
  }
}
