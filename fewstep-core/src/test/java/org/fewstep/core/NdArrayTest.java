package org.fewstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Tests of {@link NdArray} and the {@link BadInputException} helpers. Oracle: shapes and sizes
 * worked out by hand, and the sharing contract (wrapping and reshaping do not copy; copy does).
 */
class NdArrayTest {

  @Test
  void shapeAndItemAccessors() {
    NdArray a = NdArray.zeros(4, 2, 3);
    assertThat(a.rank()).isEqualTo(3);
    assertThat(a.size()).isEqualTo(24);
    assertThat(a.items()).isEqualTo(4);
    assertThat(a.itemSize()).isEqualTo(6);
    assertThat(a.itemShape()).containsExactly(2, 3);
    assertThat(a.dim(2)).isEqualTo(3);
    assertThat(a).hasToString("NdArray[4, 2, 3]");

    NdArray scalar = NdArray.of(new double[] {7});
    assertThat(scalar.rank()).isZero();
    assertThat(scalar.items()).isEqualTo(1);
    assertThat(scalar.itemSize()).isEqualTo(1);
    assertThat(scalar.itemShape()).isEmpty();
  }

  @Test
  void wrappingAndReshapingShareDataCopyDoesNot() {
    double[] data = {1, 2, 3, 4, 5, 6};
    NdArray a = NdArray.of(data, 2, 3);
    NdArray r = a.reshape(3, 2);
    NdArray c = a.copy();
    data[4] = 50;
    assertThat(a.data()).isSameAs(data);
    assertThat(r.data()[4]).isEqualTo(50);
    assertThat(c.data()[4]).isEqualTo(5);
    assertThat(r.shape()).containsExactly(3, 2);

    int[] shape = {2, 3};
    NdArray b = NdArray.of(data, shape);
    shape[0] = 99; // the shape is copied in ...
    b.shape()[1] = 99; // ... and out
    assertThat(b.shape()).containsExactly(2, 3);
  }

  @Test
  void badShapesAreBadInput() {
    assertThatThrownBy(() -> NdArray.of(new double[5], 2, 3))
        .isInstanceOf(BadInputException.class)
        .hasMessage("shape [2, 3] holds 6 numbers but the data has 5");
    assertThatThrownBy(() -> NdArray.zeros(2, -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("shape = [2, -1]: expected non-negative extents");
    assertThatThrownBy(() -> NdArray.zeros(1 << 16, 1 << 16))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("at most 2^31 - 9 elements");
    assertThatThrownBy(() -> NdArray.of(new double[6], 2, 3).reshape(4)).isInstanceOf(BadInputException.class);
    assertThat(NdArray.checkedSize(0, 5)).isZero();
    assertThat(NdArray.checkedSize()).isEqualTo(1);
  }

  @Test
  void badInputHelpers() {
    assertThat(BadInputException.of("steps", 0, "an integer >= 1")).hasMessage("steps = 0: expected an integer >= 1");
    assertThat(BadInputException.requireAtLeast("n", 3, 3)).isEqualTo(3);
    assertThatThrownBy(() -> BadInputException.requireAtLeast("n", 2, 3)).hasMessage("n = 2: expected an integer >= 3");
    assertThat(BadInputException.requirePositive("h", 0.5)).isEqualTo(0.5);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> BadInputException.requirePositive("h", bad))
          .isInstanceOf(BadInputException.class).hasMessage("h = " + bad + ": expected a finite number > 0");
    }
    assertThat(BadInputException.requireFinite("x", -2)).isEqualTo(-2);
    assertThatThrownBy(() -> BadInputException.requireFinite("x", Double.NEGATIVE_INFINITY))
        .isInstanceOf(BadInputException.class).hasMessage("x = -Infinity: expected a finite number");
    assertThat(new BadInputException("m")).isInstanceOf(IllegalArgumentException.class);
  }
}
