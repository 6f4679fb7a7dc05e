package org.fewstep.data.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.model.Digits;
import org.junit.jupiter.api.Test;

/** The 8 000 / 2 000 stratified split of the bundled digits. */
class DigitsSplitTest {

  @Test
  void sizesStratificationAndDeterminism() {
    DigitsSplit split = DigitsSplit.standard(0);
    assertThat(split.train().size()).isEqualTo(8000);
    assertThat(split.test().size()).isEqualTo(2000);
    assertThat(split.train().dim()).isEqualTo(784);
    int[] all = new int[10];
    for (int l : Digits.labels()) {
      all[l]++;
    }
    int[] test = new int[10];
    for (int l : split.test().labels()) {
      test[l]++;
    }
    for (int c = 0; c < 10; c++) {
      assertThat(Math.abs(test[c] - 0.2 * all[c])).as("class %d", c).isLessThan(1.0); // largest remainders
    }
    for (double v : split.train().features()) {
      assertThat(v).isBetween(0.0, 1.0);
    }
    assertThat(Arrays.equals(DigitsSplit.standard(0).test().features(), split.test().features())).isTrue();
    assertThat(Arrays.equals(DigitsSplit.standard(1).test().features(), split.test().features())).isFalse();
    int firstHundredClasses = (int) Arrays.stream(split.train().labels(), 0, 100).distinct().count();
    assertThat(firstHundredClasses).isEqualTo(10); // shuffled: a prefix is a random sample, not one class
    // disjoint: the 10 000 images are distinct, so train and test images never coincide
    Set<Integer> trainHashes = new HashSet<>();
    for (int i = 0; i < 8000; i++) {
      trainHashes.add(image(split.train(), i));
    }
    int shared = 0;
    for (int i = 0; i < 2000; i++) {
      if (trainHashes.contains(image(split.test(), i))) {
        shared++;
      }
    }
    assertThat(shared).isLessThanOrEqualTo(2); // at most a chance hash collision or a duplicate digit
  }

  private static int image(Dataset data, int i) {
    return Arrays.hashCode(Arrays.copyOfRange(data.features(), i * 784, (i + 1) * 784));
  }

  @Test
  void badTestSize() {
    assertThatThrownBy(() -> DigitsSplit.of(10_000, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("test size");
  }
}
