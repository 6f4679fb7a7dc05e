package org.fewstep.core.math;

import org.fewstep.core.BadInputException;

/**
 * The eigendecomposition {@code A = V diag(values) V^T} of a real symmetric matrix by the cyclic
 * Jacobi method with threshold (Golub and Van Loan, Matrix Computations, 4th ed., 8.5; Rutishauser's
 * rotation formulas). Each rotation zeroes one off-diagonal pair; sweeps repeat until the
 * off-diagonal mass is below {@code 1e-15} of the Frobenius norm. Eigenvalues are returned in
 * descending order with their unit eigenvectors. Accurate to a few ulps of the norm; costs about
 * {@code 9 n^3} flops per sweep, typically 6-10 sweeps (a 784 x 784 covariance: about 3 s).
 */
public final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;

  private final double[] values;
  private final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /** Decomposes the symmetric matrix {@code a} (not modified; only the upper triangle is read). */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    BadInputException.requireAtLeast("matrix size", n, 1);
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw BadInputException.of("matrix row " + i + " length", a[i].length, n + " (a square matrix)");
      }
      for (int j = i; j < n; j++) {
        double v = a[i][j];
        if (!Double.isFinite(v)) {
          throw BadInputException.of("matrix element [" + i + "][" + j + "]", v, "a finite number");
        }
        m[i][j] = v;
        m[j][i] = v;
      }
    }
    // v[k] is the k-th eigenvector (row storage keeps the rotation loops on contiguous memory)
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    double total = 0;
    for (double[] row : m) {
      for (double x : row) {
        total += x * x;
      }
    }
    double target = 1e-30 * total;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += m[p][q] * m[p][q];
        }
      }
      if (2 * off <= target) {
        return sorted(m, v);
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p][q];
          if (apq == 0) {
            continue;
          }
          double theta = (m[q][q] - m[p][p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          rotate(m, p, q, c, s);
          double[] vp = v[p];
          double[] vq = v[q];
          for (int k = 0; k < n; k++) {
            double x = vp[k];
            double y = vq[k];
            vp[k] = c * x - s * y;
            vq[k] = s * x + c * y;
          }
        }
      }
    }
    throw new IllegalStateException("Jacobi eigen-solver did not converge in " + MAX_SWEEPS + " sweeps");
  }

  /** {@code M <- J^T M J} with the rotation J in the (p, q) plane. */
  private static void rotate(double[][] m, int p, int q, double c, double s) {
    int n = m.length;
    double[] mp = m[p];
    double[] mq = m[q];
    for (int k = 0; k < n; k++) {
      double x = mp[k];
      double y = mq[k];
      mp[k] = c * x - s * y;
      mq[k] = s * x + c * y;
    }
    for (int k = 0; k < n; k++) {
      double[] mk = m[k];
      double x = mk[p];
      double y = mk[q];
      mk[p] = c * x - s * y;
      mk[q] = s * x + c * y;
    }
  }

  private static SymmetricEigen sorted(double[][] m, double[][] v) {
    int n = m.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (i, j) -> Double.compare(m[j][j], m[i][i]));
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int i = 0; i < n; i++) {
      values[i] = m[order[i]][order[i]];
      vectors[i] = v[order[i]];
    }
    return new SymmetricEigen(values, vectors);
  }

  /** Number of rows (and columns) of the matrix. */
  public int size() {
    return values.length;
  }

  /** The eigenvalues, largest first. */
  public double[] values() {
    return values.clone();
  }

  /** The unit eigenvector of {@code values()[k]}. */
  public double[] vector(int k) {
    return vectors[k].clone();
  }
}
