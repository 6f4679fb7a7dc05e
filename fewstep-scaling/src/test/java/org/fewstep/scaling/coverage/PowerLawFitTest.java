package org.fewstep.scaling.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link PowerLawFit}. Oracles: parameter recovery of (a, b) = (-2.0, -0.4) from exact synthetic
 * coverage exp(a k^b) at log-spaced k, also from a far start (so the nonlinear iteration, not only the
 * linearised start, is exercised), and from data with 1% multiplicative noise (seeded).
 */
class PowerLawFitTest {
  private static final double A = -2.0;
  private static final double B = -0.4;

  private static double[] logSpacedK() {
    double[] k = new double[14];
    for (int i = 0; i < k.length; i++) {
      k[i] = Math.pow(2, i);
    }
    return k;
  }

  private static double[] exact(double[] k) {
    double[] c = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      c[i] = Math.exp(A * Math.pow(k[i], B));
    }
    return c;
  }

  @Test
  void recoversExactParameters() {
    double[] k = logSpacedK();
    double[] c = exact(k);
    PowerLawFit.Fit start = PowerLawFit.linearised(k, c);
    assertThat(start.a()).isCloseTo(A, within(1e-8));
    assertThat(start.b()).isCloseTo(B, within(1e-8));
    PowerLawFit.Fit fit = PowerLawFit.fit(k, c);
    assertThat(fit.a()).isCloseTo(A, within(1e-8));
    assertThat(fit.b()).isCloseTo(B, within(1e-8));
    assertThat(fit.rSquared()).isCloseTo(1, within(1e-12));
    assertThat(fit.points()).isEqualTo(14);
    assertThat(fit.coverage(1)).isCloseTo(Math.exp(A), within(1e-9));
  }

  @Test
  void nonlinearIterationConvergesFromAFarStart() {
    double[] k = logSpacedK();
    double[] c = exact(k);
    PowerLawFit.Fit fit = PowerLawFit.fit(k, c, -0.5, -1.5);
    assertThat(fit.iterations()).isGreaterThan(1);
    assertThat(fit.a()).isCloseTo(A, within(1e-8));
    assertThat(fit.b()).isCloseTo(B, within(1e-8));
  }

  @Test
  void coverageOneIsKeptByTheNonlinearFitAndSkippedByTheStart() {
    double[] k = {1, 2, 4, 8, 16, 32, 1e300};
    double[] c = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      c[i] = Math.exp(A * Math.pow(k[i], B));
    }
    assertThat(c[6]).isEqualTo(1.0);
    assertThat(PowerLawFit.linearised(k, c).points()).isEqualTo(6);
    PowerLawFit.Fit fit = PowerLawFit.fit(k, c);
    assertThat(fit.points()).isEqualTo(7);
    assertThat(fit.a()).isCloseTo(A, within(1e-8));
    assertThat(fit.b()).isCloseTo(B, within(1e-8));
  }

  @Test
  void recoversParametersFromNoisyData() {
    // Multiplicative noise of 1% on coverage is additive noise of about 0.01 on log coverage. Over these
    // 20 seeded trials the worst errors were 0.013 (a) and 0.006 (b); tolerances 0.03 and 0.015.
    double[] k = logSpacedK();
    double[] clean = exact(k);
    Rng rng = new Rng(20240731L);
    for (int trial = 0; trial < 20; trial++) {
      double[] c = new double[k.length];
      for (int i = 0; i < k.length; i++) {
        c[i] = Math.min(1, clean[i] * (1 + 0.01 * rng.nextGaussian()));
      }
      PowerLawFit.Fit fit = PowerLawFit.fit(k, c);
      assertThat(fit.a()).as("trial %d", trial).isCloseTo(A, within(0.03));
      assertThat(fit.b()).as("trial %d", trial).isCloseTo(B, within(0.015));
      assertThat(fit.rSquared()).as("trial %d", trial).isGreaterThan(0.99);
    }
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 2}, new double[] {0.5, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("0 < coverage < 1 = 1")
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 2, 4}, new double[] {0.5, 0, 0}, -1, -1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("coverage > 0 = 1");
    assertThatThrownBy(() -> PowerLawFit.linearised(new double[] {3, 3}, new double[] {0.5, 0.6}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("distinct k");
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 0}, new double[] {0.5, 0.6}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("k[1] = 0.0");
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 2}, new double[] {0.5, 1.2}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("coverage[1] = 1.2");
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 2}, new double[] {0.5, Double.NaN}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("coverage[1] = NaN");
    assertThatThrownBy(() -> PowerLawFit.fit(new double[] {1, 2}, new double[] {0.5}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("coverage length = 1");
  }
}
