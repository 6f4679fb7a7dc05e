package org.fewstep.data.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/** Loss gradients of both classifiers against central finite differences of the loss itself. */
class ClassifierGradientTest {

  /** 9 examples of 6 features (a third of them zero, as in sparse images), 4 classes. */
  private static Dataset toy(Rng rng) {
    int n = 9;
    int dim = 6;
    double[] x = new double[n * dim];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (i + j) % 3 == 0 ? 0 : rng.nextGaussian();
      }
      y[i] = i % 4;
    }
    return new Dataset(x, y, dim, 4);
  }

  /** Checks every gradient entry on the batch {4, 0, 7, 2, 2} (a repeat included) against central differences. */
  private static void checkGradient(Classifier model, Dataset data) {
    int[] batch = {8, 4, 0, 7, 2, 2, 5};
    int from = 1;
    int count = 5;
    double[] p = model.parameters();
    double[] g = new double[p.length];
    double loss = model.lossAndGradient(data, batch, from, count, g);
    double direct = 0;
    double[] z = new double[model.classes()];
    for (int k = from; k < from + count; k++) {
      model.logits(data, batch[k], z);
      direct += Classifier.crossEntropy(z, data.labels()[batch[k]]);
    }
    assertThat(loss).isCloseTo(direct / count, within(1e-12));
    double h = 1e-6;
    double[] scratch = new double[p.length];
    for (int q = 0; q < p.length; q++) {
      double saved = p[q];
      p[q] = saved + h;
      double up = model.lossAndGradient(data, batch, from, count, scratch);
      p[q] = saved - h;
      double down = model.lossAndGradient(data, batch, from, count, scratch);
      p[q] = saved;
      double numeric = (up - down) / (2 * h);
      assertThat(g[q]).as("parameter %d", q).isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
    }
  }

  @Test
  void softmaxRegressionGradient() {
    Rng rng = new Rng(3);
    Dataset data = toy(rng);
    SoftmaxRegression model = new SoftmaxRegression(6, 4);
    double[] p = model.parameters();
    for (int q = 0; q < p.length; q++) {
      p[q] = 0.7 * rng.nextGaussian(); // away from the symmetric zero start
    }
    checkGradient(model, data);
  }

  @Test
  void mlpGradient() {
    Rng rng = new Rng(4);
    Dataset data = toy(rng);
    Mlp model = new Mlp(6, 5, 4, new Rng(5));
    double[] p = model.parameters();
    for (int q = 0; q < p.length; q++) {
      p[q] += 0.1 * rng.nextGaussian(); // nonzero biases too
    }
    checkGradient(model, data);
  }

  @Test
  void heInitialisationVarianceAndZeroBiases() {
    int dim = 400;
    int hidden = 50;
    Mlp model = new Mlp(dim, hidden, 10, new Rng(6));
    double[] p = model.parameters();
    double ss1 = 0;
    for (int q = 0; q < dim * hidden; q++) {
      ss1 += p[q] * p[q];
    }
    // 20 000 N(0, 2/400) draws: the sample variance is within 4% (about 4.5 standard errors) of 0.005
    assertThat(ss1 / (dim * hidden)).isCloseTo(2.0 / dim, within(0.04 * 2.0 / dim));
    for (int u = 0; u < hidden; u++) {
      assertThat(p[dim * hidden + u]).isZero();
    }
    assertThat(new Mlp(dim, hidden, 10, new Rng(6)).parameters()).isEqualTo(p);
  }

  @Test
  void shapeMismatchIsAClearError() {
    Dataset data = toy(new Rng(1));
    assertThatThrownBy(() -> new SoftmaxRegression(5, 4).accuracy(data))
        .isInstanceOf(BadInputException.class).hasMessageContaining("data shape");
    assertThatThrownBy(() -> new Mlp(6, 0, 4, new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("hidden");
  }
}
