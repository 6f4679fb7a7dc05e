package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link BoundedMinimizer}. Oracles: the known minimum (1, 1) of the Rosenbrock function; its
 * minimum (0.5, 0.25) when {@code x1 <= 0.5} (for fixed x1 the best x2 is x1^2, leaving (1 - x1)^2,
 * which falls up to the bound); the KKT point (1.5, 0) of a coupled quadratic with {@code x2 >= 0}
 * active; and an objective that fails the test if it is ever evaluated outside the box.
 */
class BoundedMinimizerTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  private static double rosenbrock(double[] x, double[] g) {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  }

  @Test
  void findsTheRosenbrockMinimumWithoutActiveBounds() {
    var r = BoundedMinimizer.DEFAULT.minimize(BoundedMinimizerTest::rosenbrock, new double[] {-1.2, 1},
        new double[] {-5, -5}, new double[] {5, 5});
    assertThat(r.converged()).isTrue();
    assertThat(r.x()[0]).isCloseTo(1, offset(1e-4));
    assertThat(r.x()[1]).isCloseTo(1, offset(2e-4));
  }

  @Test
  void findsTheRosenbrockMinimumWithAnActiveUpperBound() {
    var r = BoundedMinimizer.DEFAULT.minimize(BoundedMinimizerTest::rosenbrock, new double[] {-1.2, 1},
        new double[] {-INF, -INF}, new double[] {0.5, INF});
    assertThat(r.x()[0]).isEqualTo(0.5);
    // the default relative-decrease rule stops early on this flat valley floor, as scipy's does
    assertThat(r.x()[1]).isCloseTo(0.25, offset(1e-4));
    assertThat(r.value()).isCloseTo(0.25, offset(1e-7));
    var tight = new BoundedMinimizer(15_000, 1e-12, 0).minimize(BoundedMinimizerTest::rosenbrock,
        new double[] {-1.2, 1}, new double[] {-INF, -INF}, new double[] {0.5, INF});
    assertThat(tight.converged()).isTrue();
    assertThat(tight.x()[0]).isEqualTo(0.5);
    assertThat(tight.x()[1]).isCloseTo(0.25, offset(1e-8)); // f itself resolves x2 to ~3e-10 only
  }

  @Test
  void findsTheKktPointOfACoupledQuadraticWithALowerBoundActive() {
    // f = x1^2 + x1 x2 + x2^2 - 3 x1 + 3 x2: free minimum (3, -3); with x2 >= 0 the minimum is (1.5, 0)
    BoundedMinimizer.Objective f = (x, g) -> {
      g[0] = 2 * x[0] + x[1] - 3;
      g[1] = x[0] + 2 * x[1] + 3;
      return x[0] * x[0] + x[0] * x[1] + x[1] * x[1] - 3 * x[0] + 3 * x[1];
    };
    var r = BoundedMinimizer.DEFAULT.minimize(f, new double[] {4, 4}, new double[] {-INF, 0}, new double[] {INF, INF});
    assertThat(r.converged()).isTrue();
    assertThat(r.x()[0]).isCloseTo(1.5, offset(1e-5));
    assertThat(r.x()[1]).isEqualTo(0.0);
  }

  @Test
  void neverEvaluatesOutsideTheBox() {
    double[] lo = {0.2, 0.01, 0.01};
    double[] hi = {0.8, INF, 3};
    // minimum of sum (x_i - c_i)^2 at c = (-1, -2, 10), far outside: the answer is the nearest corner
    double[] c = {-1, -2, 10};
    BoundedMinimizer.Objective f = (x, g) -> {
      double v = 0;
      for (int i = 0; i < x.length; i++) {
        if (x[i] < lo[i] || x[i] > hi[i]) {
          throw new AssertionError("evaluated outside the box at index " + i + ": " + x[i]);
        }
        g[i] = 2 * (x[i] - c[i]) * (i + 1);
        v += (x[i] - c[i]) * (x[i] - c[i]) * (i + 1);
      }
      return v;
    };
    var r = BoundedMinimizer.DEFAULT.minimize(f, new double[] {0.5, 1, 1}, lo, hi);
    assertThat(r.x()).containsExactly(0.2, 0.01, 3.0);
    assertThat(r.converged()).isTrue();
  }

  @Test
  void clampsTheStartIntoTheBox() {
    BoundedMinimizer.Objective f = (x, g) -> {
      g[0] = 1;
      return x[0];
    };
    var r = BoundedMinimizer.DEFAULT.minimize(f, new double[] {-7}, new double[] {-1}, new double[] {1});
    assertThat(r.x()).containsExactly(-1.0);
    assertThat(r.iterations()).isZero();
  }

  @Test
  void rejectsBadInput() {
    BoundedMinimizer.Objective f = BoundedMinimizerTest::rosenbrock;
    assertThatThrownBy(() -> BoundedMinimizer.DEFAULT.minimize(f, new double[] {0, 0}, new double[] {0}, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("bounds length");
    assertThatThrownBy(() -> BoundedMinimizer.DEFAULT.minimize(f, new double[] {0, 0}, new double[] {0, 2},
        new double[] {1, 1})).isInstanceOf(BadInputException.class).hasMessageContaining("bounds[1]");
    assertThatThrownBy(() -> BoundedMinimizer.DEFAULT.minimize(f, new double[] {Double.NaN, 0}, new double[] {0, 0},
        new double[] {1, 1})).isInstanceOf(BadInputException.class).hasMessageContaining("start[0]");
    assertThatThrownBy(() -> new BoundedMinimizer(0, 1e-5, 1e-9)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("maxIterations");
  }
}
