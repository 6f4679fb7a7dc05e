package org.fewstep.data.optim;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Constrained logistic regression {@code min (1/N) sum log(1 + exp(-y_i a_i^T x)) s.t. A x = b, ||x||^2 = 1}
 * (Hong et al. ICML 2023, section 5.2; the reference uses LIBSVM data and 10 Gaussian rows). Here the data
 * are synthetic and {@code b = A u} for a random unit vector u, so the constraints are feasible.
 */
public final class ConstrainedLogistic implements EqualityProblem {
  private final double[][] features;
  private final double[] labels;
  private final double[][] rows;
  private final double[] rhs;

  private ConstrainedLogistic(double[][] features, double[] labels, double[][] rows, double[] rhs) {
    this.features = features;
    this.labels = labels;
    this.rows = rows;
    this.rhs = rhs;
  }

  /**
   * Synthetic instance: N Gaussian samples in R^d labelled by the sign of {@code a^T w + noise} for a Gaussian w,
   * and {@code k} Gaussian constraint rows (m = k + 1).
   */
  public static ConstrainedLogistic synthetic(int samples, int d, int k, long seed) {
    BadInputException.requireAtLeast("samples", samples, 1);
    BadInputException.requireAtLeast("d", d, 2);
    if (k < 0 || k + 1 >= d) {
      throw BadInputException.of("k", k, "0 <= k < d - 1");
    }
    Rng rng = new Rng(seed);
    double[] w = new double[d];
    rng.fillGaussian(w);
    double[][] a = new double[samples][d];
    double[] y = new double[samples];
    for (int i = 0; i < samples; i++) {
      rng.fillGaussian(a[i]);
      y[i] = SketchAndProject.dot(a[i], w) + rng.nextGaussian() >= 0 ? 1 : -1;
    }
    double[] u = new double[d];
    rng.fillGaussian(u);
    double nu = Math.sqrt(SketchAndProject.dot(u, u));
    for (int j = 0; j < d; j++) {
      u[j] /= nu;
    }
    double[][] rows = new double[k][d];
    double[] b = new double[k];
    for (int i = 0; i < k; i++) {
      rng.fillGaussian(rows[i]);
      b[i] = SketchAndProject.dot(rows[i], u);
    }
    return new ConstrainedLogistic(a, y, rows, b);
  }

  @Override
  public int dimension() {
    return features[0].length;
  }

  @Override
  public int constraintCount() {
    return rows.length + 1;
  }

  @Override
  public double objective(double[] x) {
    double s = 0;
    for (int i = 0; i < labels.length; i++) {
      double t = -labels[i] * SketchAndProject.dot(features[i], x);
      s += t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }
    return s / labels.length;
  }

  @Override
  public double[] gradient(double[] x) {
    int d = dimension();
    double[] g = new double[d];
    for (int i = 0; i < labels.length; i++) {
      double sig = sigmoid(-labels[i] * SketchAndProject.dot(features[i], x));
      double coef = -labels[i] * sig / labels.length;
      for (int j = 0; j < d; j++) {
        g[j] += coef * features[i][j];
      }
    }
    return g;
  }

  @Override
  public double[][] hessian(double[] x) {
    int d = dimension();
    double[][] h = new double[d][d];
    for (int i = 0; i < labels.length; i++) {
      double sig = sigmoid(SketchAndProject.dot(features[i], x));
      double wgt = sig * (1 - sig) / labels.length;
      for (int a = 0; a < d; a++) {
        for (int c = 0; c < d; c++) {
          h[a][c] += wgt * features[i][a] * features[i][c];
        }
      }
    }
    return h;
  }

  @Override
  public double[] constraints(double[] x) {
    int k = rows.length;
    double[] c = new double[k + 1];
    for (int i = 0; i < k; i++) {
      c[i] = SketchAndProject.dot(rows[i], x) - rhs[i];
    }
    c[k] = SketchAndProject.dot(x, x) - 1;
    return c;
  }

  @Override
  public double[][] jacobian(double[] x) {
    int k = rows.length;
    double[][] g = new double[k + 1][];
    for (int i = 0; i < k; i++) {
      g[i] = rows[i].clone();
    }
    g[k] = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      g[k][j] = 2 * x[j];
    }
    return g;
  }

  @Override
  public double[][] constraintHessian(int i, double[] x) {
    int d = dimension();
    double[][] h = new double[d][d];
    if (i == rows.length) {
      for (int j = 0; j < d; j++) {
        h[j][j] = 2;
      }
    }
    return h;
  }

  private static double sigmoid(double t) {
    return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  }
}
