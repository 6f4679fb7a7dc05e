package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

  @Test
  void kernelExpIsWithinOneUlpOfMathExp() {
    Rng rng = new Rng(1);
    for (int i = 0; i < 200_000; i++) {
      double x = -708 * rng.nextDouble();
      double exact = Math.exp(x);
      assertThat(Math.abs(Softmax.exp(x) - exact)).isLessThanOrEqualTo(Math.ulp(exact));
    }
    assertThat(Softmax.exp(0)).isEqualTo(1.0);
    assertThat(Softmax.exp(-709)).isEqualTo(0.0);
    assertThat(Softmax.exp(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
  }

  @Test
  void vectorAndScalarKernelsGiveTheSameBits() {
    assertThat(Softmax.vectorized()).as("tests run with --add-modules jdk.incubator.vector").isTrue();
    Rng rng = new Rng(2);
    for (int n : new int[] {1, 7, 8, 9, 1023, 1024, 1025, 5000}) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = i % 11 == 3 ? Double.NEGATIVE_INFINITY : 30 * rng.nextGaussian();
      }
      double shift = Softmax.max("x", x, n);
      assertThat(shift).isEqualTo(Softmax.scalarMax(x, n));
      double[] vector = new double[n];
      double[] scalar = new double[n];
      double[] vectorSums = new double[Softmax.blocks(n)];
      double[] scalarSums = new double[Softmax.blocks(n)];
      VectorSoftmax.expShifted(x, n, shift, 1.0, vector, vectorSums);
      Softmax.scalarExpShifted(x, n, shift, 1.0, scalar, scalarSums);
      assertThat(vector).isEqualTo(scalar);
      assertThat(vectorSums).isEqualTo(scalarSums);
    }
  }

  @Test
  void massBeforeIsTheMassOfTheHigherRankedWeights() {
    Rng rng = new Rng(3);
    for (int n : new int[] {1, 5, 8, 13, 64, 1000}) {
      double[] w = new double[n];
      for (int j = 0; j < n; j++) {
        w[j] = j % 5 == 0 ? 0.5 : rng.nextDouble(); // ties at 0.5
      }
      for (int i = 0; i < n; i++) {
        double naive = 0;
        for (int j = 0; j < n; j++) {
          if (w[j] > w[i] || (w[j] == w[i] && j < i)) {
            naive += w[j];
          }
        }
        double vector = VectorSoftmax.massBefore(w, n, i);
        assertThat(vector).isEqualTo(Softmax.scalarMassBefore(w, n, i));
        assertThat(vector).isCloseTo(naive, org.assertj.core.data.Offset.offset(1e-12));
      }
    }
  }

  @Test
  void scaleDividesByTheTemperature() {
    double[] x = {0, -1, -2.5, Double.NEGATIVE_INFINITY, -0.3, -7, -1, -2, -3};
    double[] out = new double[x.length];
    double[] sums = new double[1];
    Softmax.expShifted(x, x.length, 0, 1 / 0.7, out, sums);
    for (int i = 0; i < x.length; i++) {
      assertThat(out[i]).isCloseTo(Math.exp(x[i] / 0.7), org.assertj.core.data.Offset.offset(1e-15));
    }
  }

  @Test
  void blockSumsAddUpToTheTotal() {
    int n = 3000;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -0.001 * i;
    }
    double[] out = new double[n];
    double[] sums = new double[Softmax.blocks(n)];
    double total = Softmax.expShifted(x, n, 0, 1.0, out, sums);
    double direct = 0;
    for (int i = 0; i < n; i++) {
      direct += Math.exp(x[i]);
    }
    // closed form of the geometric series sum_i e^{-0.001 i}
    double closed = (1 - Math.exp(-0.001 * n)) / (1 - Math.exp(-0.001));
    assertThat(total).isCloseTo(closed, org.assertj.core.data.Percentage.withPercentage(1e-10));
    assertThat(total).isCloseTo(direct, org.assertj.core.data.Percentage.withPercentage(1e-10));
    assertThat(Softmax.logSumExp("x", x, n, out)).isCloseTo(Math.log(closed), org.assertj.core.data.Offset.offset(1e-13));
  }

  @Test
  void nanInfinityAndEmptySupportAreErrors() {
    assertThatThrownBy(() -> Softmax.max("logits", new double[] {0, Double.NaN, 1}, 3))
        .isInstanceOf(BadInputException.class).hasMessageContaining("logits[1]").hasMessageContaining("NaN");
    assertThatThrownBy(() -> Softmax.max("logits", new double[] {0, Double.POSITIVE_INFINITY}, 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("+Infinity");
    double[] none = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    assertThatThrownBy(() -> Softmax.max("logits", none, 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("at least one possible token");
    double[] long9 = new double[9];
    long9[8] = Double.NaN;
    assertThatThrownBy(() -> Softmax.max("row", long9, 9)).hasMessageContaining("row[8]");
  }
}
