package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Thresholding (diffusion.md 0.6, 1f oracle 9): identity when every |x0| <= 1 (dynamic) or the
 * values are inside [-1, 1] (static); output always in [-1, 1]; the dynamic threshold is the
 * linearly interpolated quantile, floored at threshold-max.
 */
class ThresholdingTest {
  @Test
  void dynamicUsesTheInterpolatedQuantile() {
    double[] x = {2, -4, 0.5, 1};
    new Thresholding(Thresholding.Kind.DYNAMIC, 0.995, 1).apply(x, 1, 4);
    // |x| sorted = 0.5, 1, 2, 4; position 0.995 * 3 = 2.985 -> 2 + 0.985 * 2 = 3.97
    double s = 3.97;
    assertThat(x[0]).isCloseTo(2 / s, within(1e-15));
    assertThat(x[1]).isCloseTo(-1, within(1e-15));
    assertThat(x[2]).isCloseTo(0.5 / s, within(1e-15));
    assertThat(x[3]).isCloseTo(1 / s, within(1e-15));
  }

  @Test
  void dynamicFloorRescalesSmallValues() {
    double[] x = {0.1, -0.2};
    new Thresholding(Thresholding.Kind.DYNAMIC, 0.995, 0.5).apply(x, 1, 2);
    assertThat(x).containsExactly(0.2, -0.4);
  }

  @Property(tries = 300, seed = "20261127")
  void outputInUnitRangeAndIdentityInside(@ForAll @Size(min = 1, max = 40) double[] values,
      @ForAll @DoubleRange(min = 0.5, max = 1) double ratio) {
    for (Thresholding.Kind kind : new Thresholding.Kind[] {Thresholding.Kind.STATIC, Thresholding.Kind.DYNAMIC}) {
      double[] x = values.clone();
      for (int i = 0; i < x.length; i++) {
        x[i] = Double.isFinite(x[i]) ? x[i] % 10 : 0;
      }
      double[] inside = x.clone();
      for (int i = 0; i < inside.length; i++) {
        inside[i] = Math.tanh(inside[i]);
      }
      double[] y = x.clone();
      new Thresholding(kind, ratio, 1).apply(y, 1, y.length);
      for (double v : y) {
        assertThat(v).isBetween(-1.0, 1.0);
      }
      double[] z = inside.clone();
      new Thresholding(kind, ratio, 1).apply(z, 1, z.length);
      assertThat(z).containsExactly(inside);
    }
  }
}
