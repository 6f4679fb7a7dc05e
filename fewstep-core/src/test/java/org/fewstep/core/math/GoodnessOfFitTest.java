package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class GoodnessOfFitTest {

  @Test
  void pValuesMatchTabulatedQuantiles() {
    // chi-square quantiles at 0.95 (any statistics table): df 1 -> 3.841459, df 10 -> 18.307038, df 100 -> 124.342113
    assertThat(GoodnessOfFit.pValue(3.841459, 1)).isCloseTo(0.05, offset(1e-6));
    assertThat(GoodnessOfFit.pValue(18.307038, 10)).isCloseTo(0.05, offset(1e-6));
    assertThat(GoodnessOfFit.pValue(124.342113, 100)).isCloseTo(0.05, offset(1e-6));
    // df = 2 has the closed form exp(-x/2)
    for (double x : new double[] {0.1, 1, 5, 40}) {
      assertThat(GoodnessOfFit.pValue(x, 2)).isCloseTo(Math.exp(-x / 2), offset(1e-14));
    }
    assertThat(GoodnessOfFit.logGamma(10)).isCloseTo(Math.log(362880), offset(1e-12));
  }

  @Test
  void chiSquareAndTotalVariation() {
    long[] counts = {30, 50, 20};
    double[] p = {0.25, 0.5, 0.25};
    // (30-25)^2/25 + 0 + (20-25)^2/25 = 2
    assertThat(GoodnessOfFit.chiSquare(counts, p)).isCloseTo(2.0, offset(1e-12));
    assertThat(GoodnessOfFit.chiSquarePValue(counts, p)).isCloseTo(Math.exp(-1), offset(1e-12));
    assertThat(GoodnessOfFit.totalVariation(GoodnessOfFit.frequencies(counts), p)).isCloseTo(0.05, offset(1e-15));
    assertThat(GoodnessOfFit.chiSquare(new long[] {1, 0}, new double[] {0, 1})).isInfinite();
  }
}
