package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/** Draws proportional to the weights (Pearson chi-square), updates, and the Plackett-Luce order law. */
class SumTreeTest {
  @Test
  void drawsFollowTheWeightsAndUpdates() {
    double[] w = {0.5, 0, 2, 1, 0, 0.25, 3};
    SumTree tree = new SumTree(w, w.length);
    assertThat(tree.total()).isEqualTo(6.75);
    Rng rng = new Rng(3);
    int n = 200_000;
    long[] counts = new long[w.length];
    for (int i = 0; i < n; i++) {
      counts[tree.sample(rng)]++;
    }
    assertThat(counts[1]).isZero();
    assertThat(counts[4]).isZero();
    double chi2 = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        double e = n * w[i] / 6.75;
        chi2 += (counts[i] - e) * (counts[i] - e) / e;
      }
    }
    assertThat(chi2).as("chi-square, 4 degrees of freedom").isLessThan(18.5); // p = 0.001
    tree.set(6, 0);
    tree.set(1, 1.25);
    assertThat(tree.total()).isCloseTo(5.0, within(1e-15));
    for (int i = 0; i < 1000; i++) {
      assertThat(tree.sample(rng)).isNotEqualTo(6).isNotIn(4);
    }
    for (int i = 0; i < w.length; i++) {
      tree.set(i, 0);
    }
    assertThat(tree.sample(rng)).isEqualTo(-1);
    assertThatThrownBy(() -> tree.set(0, Double.NaN)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> new SumTree(new double[] {1, -1}, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("weight[1]");
  }

  @Test
  void drawingAndZeroingGivesThePlackettLuceOrder() {
    // P(first two = (a, b)) = w_a / W * w_b / (W - w_a)
    double[] w = {1, 2, 3};
    Rng rng = new Rng(9);
    int n = 120_000;
    long[][] pairs = new long[3][3];
    for (int i = 0; i < n; i++) {
      SumTree tree = new SumTree(w, 3);
      int a = tree.sample(rng);
      tree.set(a, 0);
      int b = tree.sample(rng);
      pairs[a][b]++;
    }
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        double p = a == b ? 0 : w[a] / 6 * w[b] / (6 - w[a]);
        assertThat(pairs[a][b] / (double) n).as("(%d, %d)", a, b).isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / n) + 1e-9));
      }
    }
  }
}
