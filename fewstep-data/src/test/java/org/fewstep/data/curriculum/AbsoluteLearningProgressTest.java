package org.fewstep.data.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** Section 11 (f): the empirical ALP on hand sequences (alp_gmm.py, EmpiricalALPComputer). */
class AbsoluteLearningProgressTest {

  @Test
  void zeroWhileTheHistoryHoldsAtMostFivePairs() {
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(1);
    double[] rewards = {0.9, 0.1, 0.5, 0.7, 0.3, 1.0};
    for (int i = 0; i < 6; i++) { // histories of size 0..5: alp = 0 whatever the rewards
      assertThat(alp.add(new double[] {i * 0.1}, rewards[i])).isZero();
    }
    // the seventh pair is the first with > 5 pairs behind it: nearest of 0.33 is 0.3 (reward 0.7)
    assertThat(alp.add(new double[] {0.33}, 0.2)).isCloseTo(0.5, within(1e-15));
    assertThat(alp.size()).isEqualTo(7);
  }

  @Test
  void handSequenceInTwoDimensions() {
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(2);
    double[][] tasks = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}, {0.2, 0.9}};
    double[] rewards = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
    for (int i = 0; i < tasks.length; i++) {
      assertThat(alp.add(tasks[i], rewards[i])).isZero();
    }
    // (0.9, 0.1): nearest (1, 0) at distance sqrt(0.02), reward 0.2 -> |0.65 - 0.2|
    assertThat(alp.add(new double[] {0.9, 0.1}, 0.65)).isCloseTo(0.45, within(1e-15));
    // (0.85, 0.15): now the nearest is the just-added (0.9, 0.1) with reward 0.65 -> |0.05 - 0.65|
    assertThat(alp.add(new double[] {0.85, 0.15}, 0.05)).isCloseTo(0.6, within(1e-15));
    // (0.25, 0.85): nearest (0.2, 0.9), reward 1.0; a repeat of the same reward gives 0
    assertThat(alp.add(new double[] {0.25, 0.85}, 1.0)).isZero();
    // (0.45, 0.45): nearest (0.5, 0.5) reward 0.8 (distance 0.0707 vs 0.6 for others) -> |0.3 - 0.8|
    assertThat(alp.add(new double[] {0.45, 0.45}, 0.3)).isCloseTo(0.5, within(1e-15));
  }

  @Test
  void equallyNearTasksResolveToTheEarliest() {
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(1);
    double[] xs = {0.4, 0.6, 0.0, 1.0, 0.1, 0.9};
    double[] rs = {0.3, 0.9, 0, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
      alp.add(new double[] {xs[i]}, rs[i]);
    }
    // 0.5 is 0.1 from 0.4 (pair 0) and from 0.6 (pair 1) up to rounding; pair 0 or 1, never another
    int nearest = alp.nearest(new double[] {0.5});
    assertThat(nearest).isIn(0, 1);
    assertThat(alp.nearest(new double[] {0.4})).isZero();
    assertThat(alp.add(new double[] {0.4}, 0.3)).isZero();
  }

  @Test
  void matchesABruteForceRecomputation() {
    org.fewstep.core.Rng rng = new org.fewstep.core.Rng(3);
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(3);
    java.util.List<double[]> seen = new java.util.ArrayList<>();
    java.util.List<Double> rewards = new java.util.ArrayList<>();
    for (int t = 0; t < 300; t++) {
      double[] task = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      double reward = rng.nextDouble();
      double expected = 0;
      if (seen.size() > 5) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < seen.size(); i++) {
          double dist = Math.hypot(Math.hypot(seen.get(i)[0] - task[0], seen.get(i)[1] - task[1]), seen.get(i)[2] - task[2]);
          if (dist < best) {
            best = dist;
            expected = Math.abs(reward - rewards.get(i));
          }
        }
      }
      assertThat(alp.add(task, reward)).as("pair %d", t).isEqualTo(expected);
      seen.add(task);
      rewards.add(reward);
    }
  }

  @Test
  void badInputIsAClearError() {
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(2);
    assertThatThrownBy(() -> alp.add(new double[] {0.1}, 0.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task length = 1");
    assertThatThrownBy(() -> alp.add(new double[] {0.1, Double.NaN}, 0.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task[1] = NaN");
    assertThatThrownBy(() -> alp.add(new double[] {0.1, 0.2}, Double.NaN))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reward = NaN");
    assertThatThrownBy(() -> new AbsoluteLearningProgress(0)).isInstanceOf(BadInputException.class);
  }
}
