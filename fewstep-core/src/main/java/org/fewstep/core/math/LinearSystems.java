package org.fewstep.core.math;

/** Small dense linear systems (the order-sized systems of multistep solver coefficients). */
public final class LinearSystems {
  private LinearSystems() {}

  /**
   * Solves {@code A x = b} for square {@code A} of size {@code n} (leading block of the arrays) by
   * Gaussian elimination with partial pivoting. Inputs are not modified.
   *
   * @throws ArithmeticException if A is singular to working precision: a pivot at most
   *     {@code 1e-14 n} times the largest absolute entry of A
   */
  public static double[] solve(double[][] a, double[] b, int n) {
    double[] x = new double[n];
    solve(a, b, n, x, new double[n][n + 1]);
    return x;
  }

  /**
   * As {@link #solve(double[][], double[], int)}, writing the solution to {@code x} and using
   * {@code work} (at least n rows of n + 1) as scratch: no allocation.
   */
  public static void solve(double[][] a, double[] b, int n, double[] x, double[][] work) {
    double[][] m = work;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
      for (int j = 0; j < n; j++) {
        scale = Math.max(scale, Math.abs(a[i][j]));
      }
    }
    double tiny = 1e-14 * n * scale;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      if (!(Math.abs(m[pivot][col]) > tiny) || !Double.isFinite(m[pivot][col])) {
        throw new ArithmeticException("singular " + n + "x" + n + " system");
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int c = col; c <= n; c++) {
          m[r][c] -= f * m[col][c];
        }
      }
    }
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int c = r + 1; c < n; c++) {
        s -= m[r][c] * x[c];
      }
      x[r] = s / m[r][r];
    }
  }
}
