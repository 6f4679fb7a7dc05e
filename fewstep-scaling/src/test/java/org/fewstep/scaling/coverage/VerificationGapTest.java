package org.fewstep.scaling.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link VerificationGap}. Oracles: a hand-worked 3 x 4 table, an oracle selector that reaches
 * coverage exactly, and accuracy <= coverage for a random selector.
 */
class VerificationGapTest {
  private static final boolean[][] TABLE = {
      {false, true, false, false},
      {false, false, false, true},
      {true, true, true, true},
  };

  @Test
  void handWorkedTable() {
    int[] ks = {1, 2, 3, 4};
    VerificationGap.Curve first = VerificationGap.evaluate(TABLE, ks, (p, k) -> 0);
    assertThat(first.accuracy()).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3);
    assertThat(first.coverage()).containsExactly(1.0 / 3, 2.0 / 3, 2.0 / 3, 1.0);
    assertThat(first.gap(3)).isEqualTo(1 - 1.0 / 3);

    VerificationGap.Curve last = VerificationGap.evaluate(TABLE, ks, (p, k) -> k - 1);
    assertThat(last.accuracy()).containsExactly(1.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3);
    assertThat(last.ks()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void oracleSelectorReachesCoverageAndRandomOneStaysBelow() {
    Rng rng = new Rng(7);
    boolean[][] correct = new boolean[50][64];
    for (boolean[] row : correct) {
      double rho = rng.nextDouble() * 0.2;
      for (int s = 0; s < row.length; s++) {
        row[s] = rng.nextDouble() < rho;
      }
    }
    int[] ks = {1, 2, 4, 8, 16, 32, 64};
    VerificationGap.Curve oracle = VerificationGap.evaluate(correct, ks, (p, k) -> {
      for (int s = 0; s < k; s++) {
        if (correct[p][s]) {
          return s;
        }
      }
      return 0;
    });
    assertThat(oracle.accuracy()).containsExactly(oracle.coverage());
    Rng choices = new Rng(11);
    VerificationGap.Curve random = VerificationGap.evaluate(correct, ks, (p, k) -> choices.nextInt(k));
    for (int j = 0; j < ks.length; j++) {
      assertThat(random.accuracy()[j]).isLessThanOrEqualTo(random.coverage()[j]);
      assertThat(random.coverage()[j]).isEqualTo(oracle.coverage()[j]);
    }
    assertThat(random.gap(ks.length - 1)).isGreaterThan(0.2);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> VerificationGap.evaluate(TABLE, new int[] {5}, (p, k) -> 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("k = 5").hasMessageContaining("[1, 4]");
    assertThatThrownBy(() -> VerificationGap.evaluate(TABLE, new int[] {2}, (p, k) -> 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("problem 0 at k = 2 = 2");
    assertThatThrownBy(() -> VerificationGap.evaluate(new boolean[0][], new int[] {1}, (p, k) -> 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("problems");
    assertThatThrownBy(() -> VerificationGap.evaluate(TABLE, new int[0], (p, k) -> 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("ks");
  }
}
