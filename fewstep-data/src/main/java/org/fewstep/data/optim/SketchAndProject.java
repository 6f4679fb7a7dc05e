package org.fewstep.data.optim;

import org.fewstep.core.Rng;

/**
 * One sweep of randomized sketch-and-project for {@code K z = b} (Gower and Richtarik 2015; used as the
 * inner solver of AdaSketch-Newton, Hong et al. ICML 2023, Algorithm 1): a Gaussian sketch
 * {@code z -= (s^T r / ||K^T s||^2) K^T s} or randomized Kaczmarz {@code z -= (r_i / ||K_i||^2) K_i^T}
 * with {@code r = K z - b}. Unlike the reference code the residual passed in must be the true one.
 */
public final class SketchAndProject {
  private SketchAndProject() {}

  /** The sketch family. */
  public enum Kind {
    GAUSSIAN,
    KACZMARZ
  }

  /**
   * One update of {@code z} in place, then {@code r} is recomputed as {@code K z - b}. K is n x n, dense.
   * A zero sketched row (probability zero for Gaussian sketches) leaves z unchanged.
   */
  public static void step(Kind kind, double[][] k, double[] b, double[] z, double[] r, Rng rng) {
    int n = z.length;
    if (kind == Kind.GAUSSIAN) {
      double[] s = new double[n];
      rng.fillGaussian(s);
      double[] ks = new double[n];
      double sr = 0;
      for (int i = 0; i < n; i++) {
        sr += s[i] * r[i];
        double si = s[i];
        double[] row = k[i];
        for (int j = 0; j < n; j++) {
          ks[j] += si * row[j];
        }
      }
      double nn = dot(ks, ks);
      if (nn > 0) {
        double t = sr / nn;
        for (int j = 0; j < n; j++) {
          z[j] -= t * ks[j];
        }
      }
    } else {
      int i = rng.nextInt(n);
      double[] row = k[i];
      double nn = dot(row, row);
      if (nn > 0) {
        double t = r[i] / nn;
        for (int j = 0; j < n; j++) {
          z[j] -= t * row[j];
        }
      }
    }
    residual(k, b, z, r);
  }

  /** Writes {@code K z - b} to r. */
  public static void residual(double[][] k, double[] b, double[] z, double[] r) {
    for (int i = 0; i < z.length; i++) {
      r[i] = dot(k[i], z) - b[i];
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
