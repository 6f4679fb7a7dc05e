package org.fewstep.scaling.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link WeibullMixture}. Oracles: the closed-form density (shape 1 is the exponential law,
 * Gamma(2) = 1, Gamma(1.5) = sqrt(pi) / 2), Bayes' rule for the posterior, central finite differences
 * for the analytic gradient, and recovery of known parameters from 20,000 seeded draws (the MLE must
 * also score at least the true parameters' likelihood), and a scipy L-BFGS-B reference fit.
 */
class WeibullMixtureTest {

  private static final WeibullMixture TRUTH = new WeibullMixture(0.6, 6, 0.8, 2.5, 0.35);

  @Test
  void densityMatchesTheClosedForm() {
    var m = new WeibullMixture(0.3, 1, 2, 2, 1);
    for (double x : new double[] {0.05, 0.5, 1, 2.5, 7}) {
      double expected = 0.3 * 0.5 * Math.exp(-x / 2) + 0.7 * 2 * x * Math.exp(-x * x);
      assertThat(m.density(x)).isCloseTo(expected, withinPercentage(1e-10));
    }
    assertThat(m.density(0)).isZero();
    assertThat(m.density(-1)).isZero();
    assertThat(m.mean1()).isCloseTo(2, offset(1e-12));
    assertThat(m.mean2()).isCloseTo(Math.sqrt(Math.PI) / 2, offset(1e-12));
    assertThat(m.logLikelihood(new double[] {0.5, 2})).isCloseTo(Math.log(m.density(0.5) * m.density(2)), offset(1e-12));
  }

  @Test
  void posteriorOfTheHighComponentIsBayesRule() {
    var m = new WeibullMixture(0.3, 1, 2, 2, 1); // component 1 (mean 2) is high
    var swapped = new WeibullMixture(0.7, 2, 1, 1, 2); // same law, high second
    for (double x : new double[] {0.1, 0.8, 1.5, 4}) {
      double f1 = 0.3 * 0.5 * Math.exp(-x / 2);
      double f2 = 0.7 * 2 * x * Math.exp(-x * x);
      assertThat(m.posteriorHigh(x)).isCloseTo(f1 / (f1 + f2), offset(1e-12));
      assertThat(swapped.posteriorHigh(x)).isCloseTo(f1 / (f1 + f2), offset(1e-12));
    }
    var back = swapped.highFirst();
    assertThat(back.w1()).isCloseTo(0.3, offset(1e-15));
    assertThat(new double[] {back.k1(), back.lambda1(), back.k2(), back.lambda2()}).containsExactly(1, 2, 2, 1);
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    double[] x = {0.12, 0.3, 0.45, 0.7, 0.81, 0.9, 0.95};
    double[] q = {0.35, 1.7, 0.6, 4.2, 0.85};
    double[] g = new double[5];
    WeibullMixture.negLogLikelihood(q, x, g);
    for (int i = 0; i < 5; i++) {
      double h = 1e-6;
      double[] up = q.clone();
      double[] down = q.clone();
      up[i] += h;
      down[i] -= h;
      double numeric = (WeibullMixture.negLogLikelihood(up, x, new double[5])
          - WeibullMixture.negLogLikelihood(down, x, new double[5])) / (2 * h);
      assertThat(g[i]).as("parameter %d", i).isCloseTo(numeric, offset(1e-6 * Math.max(1, Math.abs(numeric))));
    }
  }

  /** 20,000 draws: weight within 0.02, shapes within 6%, scales within 2% of the truth. */
  @Test
  void fitRecoversKnownParametersFrom20000Draws() {
    Rng rng = new Rng(20250917L);
    double[] x = new double[20_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = TRUTH.sample(rng);
    }
    var fit = WeibullMixture.fit(x);
    assertThat(fit.w1()).isCloseTo(0.6, offset(0.02));
    assertThat(fit.k1()).isCloseTo(6, withinPercentage(6));
    assertThat(fit.lambda1()).isCloseTo(0.8, withinPercentage(2));
    assertThat(fit.k2()).isCloseTo(2.5, withinPercentage(6));
    assertThat(fit.lambda2()).isCloseTo(0.35, withinPercentage(2));
    assertThat(fit.logLikelihood(x)).isGreaterThanOrEqualTo(TRUTH.logLikelihood(x) - 1e-6);
  }

  /**
   * A reference computed by us with scipy 1.17 {@code minimize} (L-BFGS-B, finite differences) from the
   * official start and bounds on these 16 values: NLL -7.433928129 at w1 0.32272479, k1 13.26928847,
   * lambda1 0.86797367, k2 6.05138792, lambda2 0.56018844 (high first), and the pruning mask below.
   */
  @Test
  void fitAndPruningMatchAScipyLbfgsbReference() {
    double[] x = {0.8958494659928949, 0.5760034609109025, 0.9296221859245204, 0.790853646611641, 0.5068267814912852,
        0.7480930017516011, 0.45535844486348714, 0.4731453587125899, 0.6542050998827312, 0.5782952822801158,
        0.5819686419318048, 0.3863189442505894, 0.6642555346808716, 0.4700396755139153, 0.38286716630130824,
        0.8485617067520559};
    var fit = WeibullMixture.fit(x);
    assertThat(-fit.logLikelihood(x)).isCloseTo(-7.433928129, offset(1e-6));
    assertThat(fit.w1()).isCloseTo(0.32272479, offset(1e-3));
    assertThat(fit.k1()).isCloseTo(13.26928847, withinPercentage(0.5));
    assertThat(fit.lambda1()).isCloseTo(0.86797367, withinPercentage(0.1));
    assertThat(fit.k2()).isCloseTo(6.05138792, withinPercentage(0.5));
    assertThat(fit.lambda2()).isCloseTo(0.56018844, withinPercentage(0.1));
    boolean[] pruned = ReasoningPruning.of(x).pruned();
    StringBuilder mask = new StringBuilder();
    for (boolean b : pruned) {
      mask.append(b ? '1' : '0');
    }
    assertThat(mask.toString()).isEqualTo("0100101101110110");
  }

  @Test
  void fitPutsTheHighComponentFirstAndStaysInTheOfficialBounds() {
    Rng rng = new Rng(7);
    // truth written low-first: the fit must still report the high component as component 1
    var lowFirst = new WeibullMixture(0.3, 2.5, 0.35, 6, 0.8);
    double[] x = new double[2_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = lowFirst.sample(rng);
    }
    var fit = WeibullMixture.fit(x);
    assertThat(fit.mean1()).isGreaterThan(fit.mean2());
    assertThat(fit.w1()).isBetween(0.2 - 1e-15, 0.8 + 1e-15);
    assertThat(fit.lambda1()).isCloseTo(0.8, withinPercentage(5));
    for (double v : new double[] {fit.k1(), fit.lambda1(), fit.k2(), fit.lambda2()}) {
      assertThat(v).isGreaterThanOrEqualTo(0.01);
    }
  }

  @Test
  void fitsEvenASinglePointAsTheOfficialCodeDoes() {
    var fit = WeibullMixture.fit(new double[] {0.7});
    assertThat(fit.mean1()).isGreaterThanOrEqualTo(fit.mean2());
    assertThat(fit.w1()).isBetween(0.2 - 1e-15, 0.8 + 1e-15); // 1 - w1 after the swap may round
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> WeibullMixture.fit(new double[0])).isInstanceOf(BadInputException.class)
        .hasMessageContaining("values to fit");
    assertThatThrownBy(() -> WeibullMixture.fit(new double[] {0.5, 0})).isInstanceOf(BadInputException.class)
        .hasMessageContaining("values to fit[1] = 0.0");
    assertThatThrownBy(() -> new WeibullMixture(1, 1, 1, 1, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("w1");
    assertThatThrownBy(() -> new WeibullMixture(0.5, -1, 1, 1, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("k1");
  }
}
