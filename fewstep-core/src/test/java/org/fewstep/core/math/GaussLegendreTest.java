package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests of {@link GaussLegendre}. Oracles: closed-form integrals of monomials (an n-point rule is
 * exact up to degree 2n - 1), the closed-form Gauss-Legendre remainder for x^(2n),
 * {@code 2^(2n+1) (n!)^4 / ((2n+1) ((2n)!)^2)}, and closed-form integrals of exp and 1/(1+x^2).
 */
class GaussLegendreTest {

  /** Integral of x^k over [-1, 1]. */
  private static double monomialIntegral(int k) {
    return k % 2 == 1 ? 0 : 2.0 / (k + 1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20})
  void integratesMonomialsExactlyUpToDegree2nMinus1(int n) {
    GaussLegendre rule = new GaussLegendre(n);
    for (int k = 0; k <= 2 * n - 1; k++) {
      int power = k;
      double value = rule.integrate(x -> Math.pow(x, power), -1, 1);
      double exact = monomialIntegral(k);
      // odd powers integrate to 0: compare with the scale of the even neighbour instead
      double scale = Math.max(Math.abs(exact), 2.0 / (k + 2));
      assertThat(Math.abs(value - exact)).as("n = %d, k = %d", n, k).isLessThanOrEqualTo(1e-14 * scale);
    }
  }

  /** For x^(2n) the rule is not exact: its error is the closed-form remainder (relative 1e-6). */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 8, 10})
  void isNotExactForDegree2nAndMissesByTheKnownRemainder(int n) {
    GaussLegendre rule = new GaussLegendre(n);
    double value = rule.integrate(x -> Math.pow(x, 2 * n), -1, 1);
    double error = monomialIntegral(2 * n) - value;
    double remainder = Math.pow(2, 2 * n + 1) * Math.pow(factorial(n), 4)
        / ((2 * n + 1) * Math.pow(factorial(2 * n), 2));
    assertThat(error).as("n = %d", n).isGreaterThan(1e-10);
    assertThat(Math.abs(error / remainder - 1)).as("n = %d", n).isLessThan(1e-6);
  }

  @Test
  void knownSmallRules() {
    // 1 point: weight 2 at 0 (midpoint rule); 2 points: weights 1 at +-1/sqrt(3), so x^4 -> 2 * (1/3)^2
    assertThat(new GaussLegendre(1).integrate(x -> 3 * x + 5, -1, 1)).isEqualTo(10.0);
    assertThat(new GaussLegendre(1).integrate(x -> x * x, -1, 1)).isZero(); // single node at 0
    assertThat(new GaussLegendre(2).integrate(x -> x * x * x * x, -1, 1)).isCloseTo(2.0 / 9, within(1e-15));
    // 3 points: weights 5/9, 8/9, 5/9 at -sqrt(3/5), 0, sqrt(3/5): x^6 -> 2 * 5/9 * (3/5)^3
    assertThat(new GaussLegendre(3).integrate(x -> Math.pow(x, 6), -1, 1))
        .isCloseTo(2 * 5.0 / 9 * 27.0 / 125, within(1e-15));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 21, 40})
  void weightsSumToTwo(int n) {
    assertThat(new GaussLegendre(n).integrate(x -> 1, -1, 1)).isCloseTo(2.0, within(1e-14));
  }

  @Test
  void mapsToOtherIntervalsAndPanels() {
    GaussLegendre rule = new GaussLegendre(4); // exact to degree 7
    double exact = (Math.pow(2, 8) - Math.pow(0.5, 8)) / 8; // integral of x^7 over [0.5, 2]
    assertThat(rule.integrate(x -> Math.pow(x, 7), 0.5, 2)).isCloseTo(exact, within(1e-13 * exact));
    assertThat(rule.integrate(x -> Math.pow(x, 7), 0.5, 2, 7)).isCloseTo(exact, within(1e-13 * exact));
    // reversed interval flips the sign
    assertThat(rule.integrate(x -> x * x, 3, 0)).isCloseTo(-9.0, within(1e-13));
    // panels help a non-polynomial: |error| shrinks from 1 to 8 panels
    double e1 = Math.abs(rule.integrate(Math::sqrt, 0, 1, 1) - 2.0 / 3);
    double e8 = Math.abs(rule.integrate(Math::sqrt, 0, 1, 8) - 2.0 / 3);
    assertThat(e8).isLessThan(e1 / 10);
  }

  @Test
  void integrateToReachesTheTolerance() {
    GaussLegendre rule = new GaussLegendre(8);
    double expExact = Math.exp(3) - 1;
    assertThat(rule.integrateTo(Math::exp, 0, 3, 1e-14)).isCloseTo(expExact, within(1e-13 * expExact));
    double atanExact = 2 * Math.atan(5);
    assertThat(rule.integrateTo(x -> 1 / (1 + x * x), -5, 5, 1e-14)).isCloseTo(atanExact, within(1e-13 * atanExact));
    double cosExact = Math.sin(20); // oscillatory: needs several doublings
    assertThat(new GaussLegendre(3).integrateTo(Math::cos, 0, 20, 1e-13))
        .isCloseTo(cosExact, within(1e-11));
  }

  @Test
  void rejectsNoPoints() {
    assertThatThrownBy(() -> new GaussLegendre(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points = 0");
  }

  private static org.assertj.core.data.Offset<Double> within(double tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }

  private static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }
}
