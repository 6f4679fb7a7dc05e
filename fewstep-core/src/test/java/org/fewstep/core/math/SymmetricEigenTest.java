package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/** The Jacobi eigen-solver: a known spectrum, and A v = lambda v with orthonormal V on random matrices. */
class SymmetricEigenTest {
  @Test
  void knownSpectrum() {
    SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, -1}});
    assertThat(e.values()).containsExactly(new double[] {3, 1, -1}, org.assertj.core.data.Offset.offset(1e-15));
    double[] v = e.vector(0);
    assertThat(Math.abs(v[0])).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-15));
    assertThat(v[0] * v[1]).isPositive();
  }

  @Test
  void decomposesRandomSymmetricMatrices() {
    Rng rng = new Rng(7);
    for (int n : new int[] {1, 2, 5, 17, 40}) {
      double[][] a = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          a[i][j] = rng.nextGaussian();
          a[j][i] = a[i][j];
        }
      }
      SymmetricEigen e = SymmetricEigen.of(a);
      double[] values = e.values();
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          assertThat(values[k]).isLessThanOrEqualTo(values[k - 1]);
        }
        double[] v = e.vector(k);
        for (int i = 0; i < n; i++) {
          double av = 0;
          for (int j = 0; j < n; j++) {
            av += a[i][j] * v[j];
          }
          assertThat(Math.abs(av - values[k] * v[i])).as("n=%d k=%d", n, k).isLessThan(1e-12 * n);
        }
        for (int l = 0; l <= k; l++) {
          double dot = 0;
          double[] w = e.vector(l);
          for (int i = 0; i < n; i++) {
            dot += v[i] * w[i];
          }
          assertThat(Math.abs(dot - (l == k ? 1 : 0))).isLessThan(1e-13);
        }
      }
    }
  }

  @Test
  void rejectsBadMatrices() {
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {2}}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("matrix row 1 length");
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, Double.NaN}, {0, 1}}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("matrix element [0][1]");
  }
}
