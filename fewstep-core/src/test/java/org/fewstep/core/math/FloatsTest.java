package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Widening float32 outputs: exact values, and a maximum that flags NaN and +Infinity wherever they are. */
class FloatsTest {
  @Test
  void vectorAndScalarWideningGiveTheSameBitsAndMaximum() {
    assertThat(Softmax.vectorized()).as("tests run with --add-modules jdk.incubator.vector").isTrue();
    Random random = new Random(5);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MAX_VALUE};
    for (int trial = 0; trial < 2000; trial++) {
      int n = random.nextInt(70);
      int from = random.nextInt(5);
      int at = random.nextInt(5);
      float[] src = new float[from + n];
      for (int i = 0; i < src.length; i++) {
        src[i] = (float) (random.nextGaussian() * 10);
      }
      if (n > 0 && random.nextBoolean()) {
        src[from + random.nextInt(n)] = specials[random.nextInt(specials.length)];
      }
      double[] vector = new double[at + n];
      double[] scalar = new double[at + n];
      float vmax = VectorFloats.widen(src, from, vector, at, n);
      float smax = Floats.scalarWiden(src, from, scalar, at, n);
      assertThat(vector).isEqualTo(scalar);
      float expected = Float.NEGATIVE_INFINITY;
      boolean nan = false;
      for (int i = 0; i < n; i++) {
        assertThat(Double.doubleToRawLongBits(scalar[at + i])).isEqualTo(Double.doubleToRawLongBits(src[from + i]));
        nan |= Float.isNaN(src[from + i]);
        expected = Math.max(expected, src[from + i]);
      }
      assertThat(Float.floatToIntBits(vmax)).isEqualTo(Float.floatToIntBits(smax)).isEqualTo(Float.floatToIntBits(expected));
      assertThat(!(vmax < Float.POSITIVE_INFINITY)).isEqualTo(Floats.firstNotBelowInfinity(src, from, n) >= 0);
      assertThat(Float.isNaN(vmax)).isEqualTo(nan);
    }
  }
}
