package org.fewstep.scaling.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link PassAtK}. Oracles: test vector H of decoding.md section 16, pass@1 = c/n, the closed form
 * 1 - C(n-c,k)/C(n,k) with exact long binomials, and unbiasedness summed exactly over Binomial(n, rho).
 */
class PassAtKTest {

  @Test
  void testVectorH() {
    assertThat(PassAtK.estimate(10, 3, 5)).isCloseTo(1 - 21.0 / 252, within(1e-15));
    assertThat(PassAtK.estimate(10, 3, 5)).isCloseTo(0.916667, within(5e-7));
    assertThat(PassAtK.estimate(10, 3, 1)).isCloseTo(0.3, within(1e-15));
    assertThat(PassAtK.estimate(100, 1, 10)).isCloseTo(0.1, within(1e-15));
    assertThat(PassAtK.estimate(10, 3, 8)).isEqualTo(1.0);
    assertThat(PassAtK.estimate(10, 10, 1)).isEqualTo(1.0);
    assertThat(PassAtK.estimate(5, 1, 5)).isEqualTo(1.0);
  }

  @Test
  void passAtOneIsFractionCorrectAndZeroCorrectGivesZero() {
    for (int n = 1; n <= 30; n++) {
      for (int c = 0; c <= n; c++) {
        assertThat(PassAtK.estimate(n, c, 1)).isCloseTo((double) c / n, within(1e-15));
      }
      assertThat(PassAtK.estimate(n, 0, n)).isZero();
    }
  }

  @Test
  void matchesBinomialRatioAndIsMonotoneInK() {
    int n = 40;
    for (int c = 0; c <= n; c++) {
      double previous = 0;
      for (int k = 1; k <= n; k++) {
        double expected = 1 - (double) binomial(n - c, k) / binomial(n, k);
        double got = PassAtK.estimate(n, c, k);
        assertThat(got).isCloseTo(expected, within(1e-13));
        assertThat(got).isGreaterThanOrEqualTo(previous);
        if (c > 0 && n - c >= k) {
          assertThat(got).isGreaterThan(previous);
        }
        previous = got;
      }
    }
  }

  @Test
  void largeCountsDoNotOverflow() {
    // C(10000, 5000) overflows a double; the product form does not. Closed forms: c = 1 gives k / n,
    // c = 2 gives 1 - (n-k)(n-k-1) / (n(n-1)).
    assertThat(PassAtK.estimate(10_000, 1, 5_000)).isCloseTo(0.5, within(1e-12));
    assertThat(PassAtK.estimate(10_000, 2, 5_000)).isCloseTo(1 - 5000.0 * 4999 / (10_000.0 * 9999), within(1e-12));
  }

  @Test
  void unbiasedOverBinomialSampling() {
    int n = 20;
    for (double rho : new double[] {0.05, 0.3}) {
      for (int k = 1; k <= n; k++) {
        double mean = 0;
        for (int c = 0; c <= n; c++) {
          double probability = binomial(n, c) * Math.pow(rho, c) * Math.pow(1 - rho, n - c);
          mean += probability * PassAtK.estimate(n, c, k);
        }
        assertThat(mean).as("rho %s k %d", rho, k).isCloseTo(1 - Math.pow(1 - rho, k), within(1e-12));
      }
    }
  }

  @Test
  void coverageIsMeanOverProblemsAndCurveFollowsKs() {
    int[] n = {10, 10, 100, 4};
    int[] c = {3, 3, 1, 0};
    assertThat(PassAtK.coverage(n, c, 1)).isCloseTo((0.3 + 0.3 + 0.01 + 0) / 4, within(1e-15));
    assertThat(PassAtK.coverage(new int[] {10, 10, 100}, new int[] {3, 3, 1}, 5))
        .isCloseTo((2 * (1 - 21.0 / 252) + 0.05) / 3, within(1e-15));
    assertThat(PassAtK.coverageCurve(n, c, new int[] {4, 1, 2}))
        .containsExactly(PassAtK.coverage(n, c, 4), PassAtK.coverage(n, c, 1), PassAtK.coverage(n, c, 2));
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> PassAtK.estimate(10, 3, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("k = 0").hasMessageContaining("[1, n = 10]");
    assertThatThrownBy(() -> PassAtK.estimate(10, 3, 11)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("k = 11");
    assertThatThrownBy(() -> PassAtK.estimate(10, -1, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("c = -1");
    assertThatThrownBy(() -> PassAtK.estimate(10, 11, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("c = 11");
    assertThatThrownBy(() -> PassAtK.estimate(0, 0, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("n = 0");
    assertThatThrownBy(() -> PassAtK.coverage(new int[] {10, 3}, new int[] {1, 1}, 5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("problem 1");
    assertThatThrownBy(() -> PassAtK.coverage(new int[] {10}, new int[] {1, 1}, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("c length = 2");
    assertThatThrownBy(() -> PassAtK.coverage(new int[0], new int[0], 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("problems");
    assertThatThrownBy(() -> PassAtK.coverageCurve(new int[] {10}, new int[] {1}, new int[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("ks");
  }

  private static long binomial(int n, int k) {
    if (k < 0 || k > n) {
      return 0;
    }
    long result = 1;
    for (int i = 1; i <= k; i++) {
      result = result * (n - k + i) / i;
    }
    return result;
  }
}
