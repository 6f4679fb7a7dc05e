package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link LinearSystems}. Oracles: the residual {@code max |A x - b|} and a known solution
 * {@code x*} from which {@code b = A x*} was built (random diagonally dominant systems, fixed seed),
 * small systems solved by hand, and singular systems.
 */
class LinearSystemsTest {

  @Test
  void solvesRandomWellConditionedSystems() {
    Rng rng = new Rng(4242);
    for (int n = 1; n <= 6; n++) {
      for (int trial = 0; trial < 50; trial++) {
        double[][] a = new double[n][n];
        double[] xTrue = new double[n];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            a[i][j] = 2 * rng.nextDouble() - 1;
          }
          a[i][i] += (rng.nextInt(2) == 0 ? 1 : -1) * (n + 1); // diagonally dominant
          xTrue[i] = 10 * rng.nextDouble() - 5;
        }
        double[] b = multiply(a, xTrue);
        double[][] aCopy = deepCopy(a);
        double[] bCopy = b.clone();

        double[] x = LinearSystems.solve(a, b, n);

        assertThat(maxResidual(a, x, b)).as("n = %d", n).isLessThan(1e-12);
        for (int i = 0; i < n; i++) {
          assertThat(x[i]).isCloseTo(xTrue[i], org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(a).isDeepEqualTo(aCopy); // inputs are not modified
        assertThat(b).containsExactly(bCopy);
      }
    }
  }

  @Test
  void pivotsPastAZeroOnTheDiagonal() {
    assertThat(LinearSystems.solve(new double[][] {{0, 1}, {1, 0}}, new double[] {2, 3}, 2)).containsExactly(3, 2);
    // [[0 2 1], [1 1 1], [2 1 0]] x = b with x = (1, 2, 3): b = (7, 6, 4)
    double[] x = LinearSystems.solve(new double[][] {{0, 2, 1}, {1, 1, 1}, {2, 1, 0}}, new double[] {7, 6, 4}, 3);
    assertThat(x[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-14));
    assertThat(x[1]).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-14));
    assertThat(x[2]).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-14));
  }

  /**
   * [[1e-20, 1], [1, 1]] x = (1, 2) has x = (1/(1 - 1e-20), (1 - 2e-20)/(1 - 1e-20)) ~ (1, 1); without
   * partial pivoting the elimination would lose x0 entirely (it would come out as 0).
   */
  @Test
  void partialPivotingKeepsSmallPivotsAccurate() {
    double[] x = LinearSystems.solve(new double[][] {{1e-20, 1}, {1, 1}}, new double[] {1, 2}, 2);
    assertThat(x[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(x[1]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void singularSystemsThrow() {
    assertThatThrownBy(() -> LinearSystems.solve(new double[][] {{1, 2}, {2, 4}}, new double[] {1, 2}, 2))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("singular 2x2");
    assertThatThrownBy(() -> LinearSystems.solve(new double[][] {{1, 2, 3}, {0, 0, 0}, {4, 5, 6}}, new double[] {1, 0, 1}, 3))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("singular 3x3");
    assertThatThrownBy(() -> LinearSystems.solve(new double[][] {{0}}, new double[] {1}, 1))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> LinearSystems.solve(new double[][] {{Double.NaN}}, new double[] {1}, 1))
        .isInstanceOf(ArithmeticException.class);
    // singular only to working precision: elimination leaves a pivot of about 1e-15, not 0
    assertThatThrownBy(() -> LinearSystems.solve(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, new double[] {1, 2, 4}, 3))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("singular 3x3");
  }

  /** The no-allocation form uses the leading n x n block and its work array can be reused. */
  @Test
  void workArrayFormUsesLeadingBlock() {
    double[][] a = {{2, 1, 99}, {1, 3, 99}, {99, 99, 99}};
    double[] b = {3, 5, 99}; // 2x2 block: x = (0.8, 1.4)
    double[] x = new double[3];
    double[][] work = new double[3][4];
    for (int repeat = 0; repeat < 2; repeat++) {
      LinearSystems.solve(a, b, 2, x, work);
      assertThat(x[0]).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-15));
      assertThat(x[1]).isCloseTo(1.4, org.assertj.core.data.Offset.offset(1e-15));
      assertThat(x[2]).isZero(); // untouched
    }
  }

  private static double[] multiply(double[][] a, double[] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < x.length; j++) {
        y[i] += a[i][j] * x[j];
      }
    }
    return y;
  }

  private static double maxResidual(double[][] a, double[] x, double[] b) {
    double[] ax = multiply(a, x);
    double max = 0;
    for (int i = 0; i < b.length; i++) {
      max = Math.max(max, Math.abs(ax[i] - b[i]));
    }
    return max;
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
