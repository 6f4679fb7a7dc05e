package org.fewstep.data.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.curriculum.GaussianMixture.Criterion;
import org.fewstep.data.curriculum.GaussianMixture.Settings;
import org.junit.jupiter.api.Test;

/** Section 11 (e, f): EM with full covariances as scikit-learn, and the AIC/BIC/AICc choice of k. */
class GaussianMixtureTest {

  /** Three well-separated 2-D Gaussians with unequal weights and correlated covariances. */
  static final GaussianMixture THREE = GaussianMixture.of(
      new double[] {0.5, 0.3, 0.2},
      new double[][] {{0, 0}, {6, 1}, {2, 7}},
      new double[][][] {
          {{1.0, 0.3}, {0.3, 0.5}},
          {{0.6, -0.2}, {-0.2, 1.2}},
          {{0.8, 0.0}, {0.0, 0.3}}});

  static double[][] draw(GaussianMixture m, int n, Rng rng) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = m.sample(rng);
    }
    return x;
  }

  @Test
  void oneComponentRecoversTheSampleMeanAndBiasedCovariance() {
    Rng rng = new Rng(11);
    int n = 200;
    double[][] x = new double[n][3];
    for (double[] row : x) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      row[0] = 1 + 2 * a;
      row[1] = -3 + a - 0.5 * b;
      row[2] = 0.1 * rng.nextGaussian();
    }
    double[] mean = new double[3];
    for (double[] row : x) {
      for (int a = 0; a < 3; a++) {
        mean[a] += row[a] / n;
      }
    }
    double[][] cov = new double[3][3];
    for (double[] row : x) {
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          cov[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n; // biased: divide by n
        }
      }
    }
    GaussianMixture g = GaussianMixture.fit(x, Settings.defaults(1), new Rng(1));
    assertThat(g.weights()[0]).isCloseTo(1.0, within(1e-15));
    for (int a = 0; a < 3; a++) {
      assertThat(g.mean(0)[a]).isCloseTo(mean[a], within(1e-12));
      for (int b = 0; b < 3; b++) {
        double reg = a == b ? 1e-6 : 0;
        assertThat(g.covariance(0)[a][b]).isCloseTo(cov[a][b] + reg, within(1e-12));
      }
    }
    assertThat(g.converged()).isTrue();
    assertThat(g.iterations()).isEqualTo(2); // the second E-step sees the same parameters
    // log-likelihood of the fit in closed form: -n/2 (d log 2π + log det Σ + tr(Σ^-1 S)) with S = Σ - reg I
    double det = det3(g.covariance(0));
    double expected = -0.5 * n * (3 * Math.log(2 * Math.PI) + Math.log(det) + traceInvTimes(g.covariance(0), cov));
    assertThat(g.logLikelihood(x)).isCloseTo(expected, within(1e-9));
    assertThat(g.lowerBound()).isCloseTo(expected / n, within(1e-12));
  }

  /** 120 points around three centres in 3-D, from Rng(77). */
  static double[][] sklearnData() {
    Rng rng = new Rng(77);
    double[][] centres = {{0, 0, 0}, {3, 1, 0.5}, {1, 4, 0.2}};
    double[] scales = {0.6, 0.9, 0.4};
    double[][] x = new double[120][3];
    for (int i = 0; i < 120; i++) {
      int c = i % 3;
      double a = rng.nextGaussian();
      for (int j = 0; j < 3; j++) {
        x[i][j] = centres[c][j] + scales[c] * (rng.nextGaussian() + (j == 1 ? 0.5 * a : 0));
      }
    }
    return x;
  }

  /** A rough hard assignment (a coordinate rule, every tenth label shifted): the first responsibilities. */
  static int[] sklearnLabels(double[][] x) {
    int[] l = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      int r = x[i][0] >= 1.5 ? 1 : (x[i][1] < 2 ? 0 : 2);
      l[i] = i % 10 == 0 ? (r + 1) % 3 : r;
    }
    return l;
  }

  @Test
  void emMatchesScikitLearnFromTheSameInitialAssignment() {
    // Oracle: scikit-learn 1.9.1 GaussianMixture(3, covariance_type='full', tol=1e-3, reg_covar=1e-6,
    // max_iter=100) started from weights_init/means_init/precisions_init equal to the M-step of these
    // one-hot labels, on the same 120 points (written from Java with 17 digits).
    double[][] x = sklearnData();
    GaussianMixture g = GaussianMixture.emFromLabels(x, Settings.defaults(3), sklearnLabels(x));
    assertThat(g.iterations()).isEqualTo(5);
    assertThat(g.converged()).isTrue();
    assertThat(g.lowerBound()).isCloseTo(-3.86414478303296, within(1e-11));
    assertThat(g.logLikelihood(x) / x.length).isCloseTo(-3.86409109666439, within(1e-11));
    assertThat(g.aic(x)).isCloseTo(985.381863199453, within(1e-9));
    assertThat(g.bic(x)).isCloseTo(1066.21912374013, within(1e-9));
    double[] weights = {0.3086214289476947, 0.35806416831636706, 0.33331440273593826};
    double[][] means = {
        {0.00862069065142645, 0.03524170326550202, -0.17335298675516486},
        {2.9266068888631107, 0.9533391889875179, 0.5904735693285654},
        {0.9658640454993779, 4.024752443699675, 0.18519556997298506}};
    double[][] cov0 = {
        {0.20209024422804947, -0.04853237963880512, -0.08920233181140373},
        {-0.04853237963880512, 0.6281907657749203, 0.05346811519971262},
        {-0.08920233181140373, 0.0534681151997126, 0.609665464645631}};
    for (int j = 0; j < 3; j++) {
      assertThat(g.weights()[j]).isCloseTo(weights[j], within(1e-12));
      for (int a = 0; a < 3; a++) {
        assertThat(g.mean(j)[a]).isCloseTo(means[j][a], within(1e-12));
        assertThat(g.covariance(0)[j][a]).isCloseTo(cov0[j][a], within(1e-12));
      }
    }
    // max_iter = 2: stops unconverged after two E/M steps, as scikit-learn (lower bound -3.94640312968321)
    GaussianMixture two = GaussianMixture.emFromLabels(x, new Settings(3, 1e-6, 1e-3, 2, 1), sklearnLabels(x));
    assertThat(two.converged()).isFalse();
    assertThat(two.lowerBound()).isCloseTo(-3.94640312968321, within(1e-11));
    assertThat(two.aic(x)).isCloseTo(990.511637052424, within(1e-9));
  }

  @Test
  void theLowerBoundNeverDecreases() {
    double[][] x = draw(THREE, 400, new Rng(5));
    for (int k = 2; k <= 6; k++) {
      GaussianMixture g = GaussianMixture.fit(x, new Settings(k, 1e-6, 1e-10, 100, 1), new Rng(k));
      double[] bounds = g.lowerBounds();
      assertThat(bounds.length).isGreaterThan(1);
      for (int i = 1; i < bounds.length; i++) {
        assertThat(bounds[i]).as("k=%d iteration %d", k, i).isGreaterThanOrEqualTo(bounds[i - 1] - 1e-12);
      }
      // the returned parameters come after one more M-step: at least as likely as the last bound
      assertThat(g.logLikelihood(x) / x.length).isGreaterThanOrEqualTo(g.lowerBound() - 1e-12);
    }
  }

  @Test
  void criteriaRecoverThreeComponents() {
    // 12 seeded data sets of 500 points from THREE; k = 2..10 fitted once per set, as ALP-GMM does.
    // AIC may split a component (a real log-likelihood gain of about 7 beats its penalty of 12): measured
    // 10 of 12 at these seeds (4 at the others), AICc (a small correction at n = 500) likewise; BIC finds 3 every time.
    int[] hits = new int[Criterion.values().length];
    for (long seed = 1; seed <= 12; seed++) {
      double[][] x = draw(THREE, 500, new Rng(100 + seed));
      GaussianMixture[] fits = new GaussianMixture[11];
      for (int k = 2; k <= 10; k++) {
        fits[k] = GaussianMixture.fit(x, Settings.defaults(k), Rng.stream(seed, k));
      }
      for (Criterion c : Criterion.values()) {
        int best = 2;
        for (int k = 3; k <= 10; k++) {
          best = c.of(fits[k], x) < c.of(fits[best], x) ? k : best;
        }
        assertThat(best).as("%s, seed %d", c, seed).isBetween(3, 4);
        hits[c.ordinal()] += best == 3 ? 1 : 0;
      }
    }
    assertThat(hits[Criterion.AIC.ordinal()]).isGreaterThanOrEqualTo(10);
    assertThat(hits[Criterion.BIC.ordinal()]).isEqualTo(12);
    assertThat(hits[Criterion.AICC.ordinal()]).isGreaterThanOrEqualTo(10);
  }

  @Test
  void fitRecoversTheTrueParameters() {
    double[][] x = draw(THREE, 3000, new Rng(9));
    GaussianMixture g = GaussianMixture.fit(x, Settings.defaults(3), new Rng(2));
    for (int t = 0; t < 3; t++) {
      double[] mu = THREE.mean(t);
      int j = 0;
      for (int c = 1; c < 3; c++) {
        if (dist(g.mean(c), mu) < dist(g.mean(j), mu)) {
          j = c;
        }
      }
      assertThat(dist(g.mean(j), mu)).isLessThan(0.1);
      assertThat(g.weights()[j]).isCloseTo(THREE.weights()[t], within(0.03));
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          assertThat(g.covariance(j)[a][b]).isCloseTo(THREE.covariance(t)[a][b], within(0.12));
        }
      }
    }
  }

  @Test
  void criteriaAndParameterCountInClosedForm() {
    // one standard normal in 1-D: log L = -n/2 log 2π - Σ x²/2, p = 1 + 1 + 1 - 1 = 2
    GaussianMixture g = GaussianMixture.of(new double[] {1}, new double[][] {{0}}, new double[][][] {{{1}}});
    double[][] x = {{0.5}, {-1}, {2}, {0}, {0.25}};
    double sq = 0.25 + 1 + 4 + 0 + 0.0625;
    double logL = -2.5 * Math.log(2 * Math.PI) - sq / 2;
    assertThat(g.parameterCount()).isEqualTo(2);
    assertThat(g.logLikelihood(x)).isCloseTo(logL, within(1e-12));
    assertThat(g.aic(x)).isCloseTo(-2 * logL + 4, within(1e-12));
    assertThat(g.bic(x)).isCloseTo(-2 * logL + 2 * Math.log(5), within(1e-12));
    assertThat(g.aicc(x)).isCloseTo(-2 * logL + 4 + 2.0 * 2 * 3 / 2, within(1e-12));
    // ALP-GMM's space: d' = 3, k = 10 -> 10 * (6 + 3 + 1) - 1 = 99 parameters
    assertThat(THREE.parameterCount()).isEqualTo(3 * 3 + 3 * 2 + 2);
    double[][][] covs = new double[10][][];
    double[][] means = new double[10][];
    double[] w = new double[10];
    for (int j = 0; j < 10; j++) {
      covs[j] = new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
      means[j] = new double[3];
      w[j] = 0.1;
    }
    GaussianMixture ten = GaussianMixture.of(w, means, covs);
    assertThat(ten.parameterCount()).isEqualTo(99);
    assertThat(ten.aicc(new double[99][3])).isInfinite(); // n <= p + 1
  }

  @Test
  void componentDrawsHaveTheRightMoments() {
    Rng rng = new Rng(4);
    int n = 40_000;
    double[] sum = new double[2];
    double[][] sq = new double[2][2];
    for (int i = 0; i < n; i++) {
      double[] v = THREE.sample(1, rng);
      for (int a = 0; a < 2; a++) {
        sum[a] += v[a];
        for (int b = 0; b < 2; b++) {
          sq[a][b] += v[a] * v[b];
        }
      }
    }
    double[] mu = THREE.mean(1);
    double[][] cov = THREE.covariance(1);
    for (int a = 0; a < 2; a++) {
      double m = sum[a] / n;
      assertThat(m).isCloseTo(mu[a], within(5 * Math.sqrt(cov[a][a] / n)));
      for (int b = 0; b < 2; b++) {
        double c = sq[a][b] / n - (sum[a] / n) * (sum[b] / n);
        assertThat(c).isCloseTo(cov[a][b], within(0.03));
      }
    }
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> GaussianMixture.fit(new double[][] {{1, 2}, {3, 4}}, Settings.defaults(3), new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("components = 3");
    assertThatThrownBy(() -> GaussianMixture.fit(new double[][] {{1, 2}, {3, Double.NaN}}, Settings.defaults(1), new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("x[1][1] = NaN");
    assertThatThrownBy(() -> GaussianMixture.fit(new double[][] {{1, 2}, {3}}, Settings.defaults(1), new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("x[1] length = 1");
    assertThatThrownBy(() -> new Settings(2, -1e-6, 1e-3, 100, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reg-covar");
    assertThatThrownBy(() -> GaussianMixture.of(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 2}, {2, 1}}}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("positive-definite");
    assertThatThrownBy(() -> GaussianMixture.of(new double[] {0.5, 0.4}, new double[][] {{0}, {1}}, new double[][][] {{{1}}, {{1}}}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("sum of weights");
  }

  private static double dist(double[] a, double[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  private static double det3(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  /** tr(A^-1 B) for 3 x 3 matrices, by solving A X = B column by column. */
  private static double traceInvTimes(double[][] a, double[][] b) {
    double trace = 0;
    for (int c = 0; c < 3; c++) {
      double[] col = {b[0][c], b[1][c], b[2][c]};
      trace += org.fewstep.core.math.LinearSystems.solve(a, col, 3)[c];
    }
    return trace;
  }
}
