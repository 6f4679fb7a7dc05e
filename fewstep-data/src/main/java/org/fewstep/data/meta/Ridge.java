package org.fewstep.data.meta;

import org.fewstep.core.math.LeastSquares;

/**
 * Ridge regression with an unpenalised intercept, {@code min ||b + Z w - y||^2 + lambda ||w||^2},
 * solved as the least-squares problem of Z stacked over {@code sqrt(lambda) I} (by core
 * {@link LeastSquares}). Returns {@code [b, w...]}.
 */
final class Ridge {
  private Ridge() {}

  static double[] fit(double[][] z, double[] y, double lambda) {
    int n = z.length;
    int p = z[0].length;
    double[][] a = new double[n + p][p + 1];
    double[] b = new double[n + p];
    for (int i = 0; i < n; i++) {
      a[i][0] = 1;
      System.arraycopy(z[i], 0, a[i], 1, p);
      b[i] = y[i];
    }
    for (int j = 0; j < p; j++) {
      a[n + j][j + 1] = Math.sqrt(lambda);
    }
    return LeastSquares.solve(a, b);
  }

  static double predict(double[] coefficients, double[] z) {
    double s = coefficients[0];
    for (int j = 0; j < z.length; j++) {
      s += coefficients[j + 1] * z[j];
    }
    return s;
  }
}
