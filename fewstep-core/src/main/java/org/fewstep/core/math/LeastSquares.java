package org.fewstep.core.math;

/**
 * Linear least squares {@code min ||A c - y||_2} by Householder QR (Golub and Van Loan, Matrix
 * Computations, 5.3.3): better conditioned than the normal equations, which square the condition
 * number of polynomial design matrices.
 */
public final class LeastSquares {
  private LeastSquares() {}

  /**
   * The coefficients {@code c} minimising {@code ||A c - y||} for {@code A} of {@code m >= n} rows
   * and {@code n} columns. Inputs are not modified.
   *
   * @throws ArithmeticException if A is rank-deficient: a diagonal entry of R at most
   *     {@code 1e-12} times the largest
   */
  public static double[] solve(double[][] a, double[] y) {
    int m = a.length;
    int n = a[0].length;
    if (m < n) {
      throw new ArithmeticException(m + " equations for " + n + " unknowns");
    }
    double[][] q = new double[m][];
    for (int i = 0; i < m; i++) {
      q[i] = a[i].clone();
    }
    double[] b = y.clone();
    double[] diagonal = new double[n];
    for (int k = 0; k < n; k++) {
      double norm = 0;
      for (int i = k; i < m; i++) {
        norm = Math.hypot(norm, q[i][k]);
      }
      double alpha = q[k][k] > 0 ? -norm : norm;
      diagonal[k] = alpha;
      if (norm == 0) {
        continue;
      }
      // v = x - alpha e_1, stored in column k below the diagonal; H = I - 2 v v^T / (v^T v)
      q[k][k] -= alpha;
      double vv = 0;
      for (int i = k; i < m; i++) {
        vv += q[i][k] * q[i][k];
      }
      for (int j = k + 1; j < n; j++) {
        double dot = 0;
        for (int i = k; i < m; i++) {
          dot += q[i][k] * q[i][j];
        }
        double f = 2 * dot / vv;
        for (int i = k; i < m; i++) {
          q[i][j] -= f * q[i][k];
        }
      }
      double dot = 0;
      for (int i = k; i < m; i++) {
        dot += q[i][k] * b[i];
      }
      double f = 2 * dot / vv;
      for (int i = k; i < m; i++) {
        b[i] -= f * q[i][k];
      }
    }
    double largest = 0;
    for (double d : diagonal) {
      largest = Math.max(largest, Math.abs(d));
    }
    double[] c = new double[n];
    for (int k = n - 1; k >= 0; k--) {
      if (!(Math.abs(diagonal[k]) > 1e-12 * largest)) {
        throw new ArithmeticException("rank-deficient least-squares problem: column " + k + " is (nearly) dependent");
      }
      double v = b[k];
      for (int j = k + 1; j < n; j++) {
        v -= q[k][j] * c[j];
      }
      c[k] = v / diagonal[k];
    }
    return c;
  }
}
