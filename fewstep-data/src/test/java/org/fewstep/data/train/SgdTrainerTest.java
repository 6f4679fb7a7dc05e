package org.fewstep.data.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.select.CosineSchedule;
import org.junit.jupiter.api.Test;

/** Mini-batch SGD over rounds: drop_last, per-batch schedule, cap, and learning separable data. */
class SgdTrainerTest {

  /** Three well separated Gaussian blobs in 2-D plus a constant feature, 100 points each. */
  private static Dataset blobs(Rng rng) {
    double[][] centres = {{4, 0}, {-2, 3.5}, {-2, -3.5}};
    int n = 300;
    double[] x = new double[n * 3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      x[i * 3] = centres[c][0] + 0.5 * rng.nextGaussian();
      x[i * 3 + 1] = centres[c][1] + 0.5 * rng.nextGaussian();
      x[i * 3 + 2] = 1;
      y[i] = c;
    }
    return new Dataset(x, y, 3, 3);
  }

  private static int[] range(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  @Test
  void softmaxRegressionSeparatesSeparableData() {
    Dataset data = blobs(new Rng(1));
    SoftmaxRegression model = new SoftmaxRegression(3, 3);
    assertThat(model.accuracy(data)).isLessThan(0.5); // all-zero start predicts class 0
    CosineSchedule lr = CosineSchedule.forRounds(20, 300, 32);
    SgdTrainer trainer = new SgdTrainer(model, data, Sgd.Settings.defaults(), lr::at, 32, Long.MAX_VALUE);
    Rng order = new Rng(2);
    for (int k = 0; k < 20; k++) {
      trainer.round(range(300), order);
    }
    assertThat(trainer.iterations()).isEqualTo(20 * 9); // floor(300 / 32) = 9 batches per round
    assertThat(model.accuracy(data)).isEqualTo(1.0);
  }

  @Test
  void mlpLearnsXorWhichNoLinearModelCan() {
    Rng rng = new Rng(3);
    int n = 400;
    double[] x = new double[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble() < 0.5 ? -1 : 1;
      double v = rng.nextDouble() < 0.5 ? -1 : 1;
      x[2 * i] = u + 0.2 * rng.nextGaussian();
      x[2 * i + 1] = v + 0.2 * rng.nextGaussian();
      y[i] = u * v > 0 ? 1 : 0;
    }
    Dataset data = new Dataset(x, y, 2, 2);
    Mlp model = new Mlp(2, 16, 2, new Rng(4));
    CosineSchedule lr = CosineSchedule.forRounds(60, n, 32);
    SgdTrainer trainer = new SgdTrainer(model, data, Sgd.Settings.defaults(), lr::at, 32, Long.MAX_VALUE);
    for (int k = 0; k < 60; k++) {
      trainer.round(range(n), rng);
    }
    assertThat(model.accuracy(data)).isGreaterThanOrEqualTo(0.99); // a linear rule gets at most about 0.5 + noise
  }

  @Test
  void dropLastScheduleIndicesAndCap() {
    Dataset data = blobs(new Rng(5));
    List<Long> asked = new ArrayList<>();
    SgdTrainer trainer = new SgdTrainer(new SoftmaxRegression(3, 3), data, Sgd.Settings.defaults(),
        i -> {
          asked.add(i);
          return 0.01;
        }, 64, 7);
    assertThat(trainer.round(range(200), new Rng(6))).isEqualTo(3); // 200 / 64: 3 batches, 8 dropped
    assertThat(trainer.round(range(300), new Rng(6))).isEqualTo(4); // capped at 7 in all
    assertThat(trainer.done()).isTrue();
    assertThat(trainer.round(range(300), new Rng(6))).isZero();
    assertThat(asked).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    int[] order = trainer.shuffled(range(300), new Rng(7));
    assertThat(order).containsExactlyInAnyOrder(range(300));
    assertThat(order).isNotEqualTo(range(300));
  }

  @Test
  void badRoundsAreClearErrors() {
    Dataset data = blobs(new Rng(8));
    SgdTrainer trainer = new SgdTrainer(new SoftmaxRegression(3, 3), data, Sgd.Settings.defaults(), i -> 0.1, 128,
        Long.MAX_VALUE);
    assertThatThrownBy(() -> trainer.round(range(100), new Rng(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("round size").hasMessageContaining("drop_last");
    assertThatThrownBy(() -> trainer.round(new int[] {0, 1, 300, 3}, new Rng(1))).isInstanceOf(BadInputException.class);
    int[] bad = range(200);
    bad[5] = 300;
    assertThatThrownBy(() -> trainer.round(bad, new Rng(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("index");
    assertThatThrownBy(() -> new SgdTrainer(new SoftmaxRegression(4, 3), data, Sgd.Settings.defaults(), i -> 0.1,
        128, 10)).isInstanceOf(BadInputException.class).hasMessageContaining("data shape");
  }

  @Test
  void datasetRejectsMismatchedLabels() {
    assertThatThrownBy(() -> new Dataset(new double[10], new int[3], 2, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("labels length").hasMessageContaining("one label per example");
    assertThatThrownBy(() -> new Dataset(new double[4], new int[] {0, 2}, 2, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("labels[1]");
    assertThatThrownBy(() -> new Dataset(new double[0], new int[0], 2, 2)).isInstanceOf(BadInputException.class);
  }
}
