package org.fewstep.data.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.rl.GvmAllocation.Settings;
import org.junit.jupiter.api.Test;

/** Oracles of discrete-and-data.md section 9 (f) for the GVM allocation (Yao et al., arXiv 2505.02391). */
class GvmAllocationTest {
  private static final Settings DEFAULTS = Settings.defaults();
  private static final Settings ALPHA0 = DEFAULTS.withAlpha(0);

  /** Random (G, p) with some zeros, as the estimation stage produces them (p a multiple of 1/8). */
  private static double[][] randomInstance(Rng rng, int m) {
    double[] g = new double[m];
    double[] p = new double[m];
    for (int i = 0; i < m; i++) {
      p[i] = rng.nextInt(9) / 8.0;
      g[i] = p[i] == 0 || rng.nextInt(10) == 0 ? 0 : 0.1 + 5 * rng.nextDouble();
    }
    g[0] = 1;
    p[0] = 0.5;
    return new double[][] {g, p};
  }

  @Test
  void handComputedExample() {
    // w = 1/sqrt(0.25 + 0.004) = 1.98419, 2/sqrt(0.5 + 0.002) = 2.82279, 0 (p > 0 but G = 0), 0 (p = 0):
    // N w / sum = 4.1277, 5.8723 -> 4, 6
    double[] g = {1, 2, 0, 1};
    double[] p = {0.25, 0.5, 0.3, 0};
    double[] r = GvmAllocation.ratios(g, p, 10, DEFAULTS);
    assertThat(r[0]).isCloseTo(0.41277285, within(1e-8));
    assertThat(r[1]).isCloseTo(0.58722715, within(1e-8));
    assertThat(GvmAllocation.allocate(g, p, 10, DEFAULTS)).containsExactly(4, 6, 0, 0);
    assertThat(GvmAllocation.weights(g, p, DEFAULTS)[0]).isCloseTo(1 / Math.sqrt(0.254), within(1e-12));
  }

  @Test
  void largestRemainderBookkeeping() {
    assertThat(GvmAllocation.integerise(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 10)).containsExactly(4, 3, 3);
    // halves round to even (as NumPy), then the fix-up goes to the lower indices on ties
    assertThat(GvmAllocation.integerise(new double[] {0.25, 0.25, 0.25, 0.25}, 2)).containsExactly(1, 1, 0, 0);
    assertThat(GvmAllocation.integerise(new double[] {0.25, 0.25, 0.25, 0.25}, 6)).containsExactly(1, 1, 2, 2);
    assertThat(GvmAllocation.integerise(new double[] {0.5, 0.3, 0.2}, 0)).containsExactly(0, 0, 0);
    assertThat(GvmAllocation.uniform(3, 10)).containsExactly(4, 3, 3);
  }

  @Test
  void budgetIsConservedZeroWeightsGetNothingAndResidualsStayBelowOne() {
    Rng rng = new Rng(11);
    for (int trial = 0; trial < 500; trial++) {
      int m = 1 + rng.nextInt(40);
      double[][] inst = randomInstance(rng, m);
      int budget = rng.nextInt(8 * m + 1);
      Settings s = trial % 2 == 0 ? DEFAULTS : new Settings(rng.nextDouble() * 0.1, 1 + 2 * rng.nextDouble(), 1, 0);
      double[] r = GvmAllocation.ratios(inst[0], inst[1], budget, s);
      int[] n = GvmAllocation.allocate(inst[0], inst[1], budget, s);
      assertThat(Arrays.stream(n).sum()).as("trial %d", trial).isEqualTo(budget);
      assertThat(Arrays.stream(r).sum()).isCloseTo(1, within(1e-12));
      for (int i = 0; i < m; i++) {
        assertThat(n[i]).isGreaterThanOrEqualTo(0);
        assertThat(Math.abs(n[i] - budget * r[i])).as("trial %d prompt %d", trial, i).isLessThan(1);
        if (inst[0][i] == 0 || inst[1][i] == 0) {
          assertThat(n[i]).as("G = %s, p = %s", inst[0][i], inst[1][i]).isZero();
          assertThat(r[i]).isZero();
        }
      }
    }
  }

  @Test
  void alphaZeroGivesGOverRootP() {
    double[] g = {0.5, 2, 3, 1.5, 0.7};
    double[] p = {0.125, 0.5, 1, 0.875, 0.25};
    double[] r = GvmAllocation.ratios(g, p, 100, ALPHA0);
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < g.length; j++) {
        double expected = (g[i] / Math.sqrt(p[i])) / (g[j] / Math.sqrt(p[j]));
        assertThat(r[i] / r[j]).isCloseTo(expected, within(1e-12 * expected));
      }
    }
  }

  @Test
  void alphaZeroAllocationMinimisesTheVarianceProxy() {
    Rng rng = new Rng(5);
    for (int trial = 0; trial < 50; trial++) {
      int m = 2 + rng.nextInt(10);
      double[] g = new double[m];
      double[] p = new double[m];
      for (int i = 0; i < m; i++) {
        g[i] = 0.1 + 3 * rng.nextDouble();
        p[i] = 0.05 + 0.95 * rng.nextDouble();
      }
      int budget = 8 * m;
      double[] r = GvmAllocation.ratios(g, p, budget, ALPHA0);
      double[] n = new double[m];
      double sumRoot = 0;
      for (int i = 0; i < m; i++) {
        n[i] = budget * r[i];
        sumRoot += g[i] / Math.sqrt(p[i]);
      }
      double best = GvmAllocation.varianceProxy(g, p, n);
      // closed form of the minimum (Cauchy-Schwarz): (sum G / sqrt p)^2 / N
      assertThat(best).isCloseTo(sumRoot * sumRoot / budget, within(1e-9 * best));
      // KKT: d/dn_i of G^2/(n p) = -G^2/(n^2 p) is the same multiplier for every prompt
      double lambda = -g[0] * g[0] / (n[0] * n[0] * p[0]);
      for (int i = 1; i < m; i++) {
        assertThat(-g[i] * g[i] / (n[i] * n[i] * p[i])).isCloseTo(lambda, within(1e-9 * Math.abs(lambda)));
      }
      // any feasible perturbation (sum 0, n stays positive) increases the proxy
      for (int k = 0; k < 20; k++) {
        double[] d = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
          d[i] = rng.nextGaussian();
          mean += d[i] / m;
        }
        double scale = 1e-3 + rng.nextDouble();
        double[] moved = n.clone();
        boolean feasible = true;
        for (int i = 0; i < m; i++) {
          moved[i] += scale * (d[i] - mean) * budget / (4.0 * m);
          feasible &= moved[i] > 0;
        }
        double total = Arrays.stream(moved).sum();
        assertThat(total).isCloseTo(budget, within(1e-9 * budget));
        if (feasible) {
          assertThat(GvmAllocation.varianceProxy(g, p, moved)).isGreaterThan(best);
        }
      }
    }
  }

  @Test
  void moreGradientMoreSamplesAndTheTurnAroundAtRootAlpha() {
    double[] p = {0.3, 0.3, 0.3};
    double[] w = GvmAllocation.weights(new double[] {0.5, 1, 2}, p, DEFAULTS);
    assertThat(w[0]).isLessThan(w[1]);
    assertThat(w[1]).isLessThan(w[2]);
    // at fixed G the weight G / sqrt(p + alpha/p) rises as p falls until p = sqrt(alpha), then falls
    int k = 100_000;
    double[] grid = new double[k];
    double[] ones = new double[k];
    for (int i = 0; i < k; i++) {
      grid[i] = (i + 1) / (double) k;
      ones[i] = 1;
    }
    double[] wp = GvmAllocation.weights(ones, grid, DEFAULTS);
    int arg = 0;
    for (int i = 1; i < k; i++) {
      if (wp[i] > wp[arg]) {
        arg = i;
      }
      if (grid[i] <= Math.sqrt(1e-3) - 1e-5) {
        assertThat(wp[i]).as("p = %s", grid[i]).isGreaterThan(wp[i - 1]);
      } else if (grid[i - 1] >= Math.sqrt(1e-3) + 1e-5) {
        assertThat(wp[i]).as("p = %s", grid[i]).isLessThan(wp[i - 1]);
      }
    }
    assertThat(grid[arg]).isCloseTo(Math.sqrt(1e-3), within(2e-5));
    // and so the integer counts: a near-impossible prompt gets fewer samples than a moderately hard one
    int[] n = GvmAllocation.allocate(new double[] {1, 1, 1}, new double[] {0.001, Math.sqrt(1e-3), 0.9}, 100, DEFAULTS);
    assertThat(n[1]).isGreaterThan(n[0]).isGreaterThan(n[2]);
  }

  @Test
  void filtersDropTooEasyAndInsufficientPrompts() {
    double[] g = {1, 1, 1, 1};
    double[] p = {1, 0.5, 0.25, 0.125};
    Settings threshold = new Settings(1e-3, 2, 0.6, 0);
    int[] n = GvmAllocation.allocate(g, p, 40, threshold);
    assertThat(n[0]).isZero();
    assertThat(Arrays.stream(n).sum()).isEqualTo(40);
    // expected accepted p w N: weights 1/sqrt(p + 1e-3/p); prompt 3 has p w N small
    double[] r = GvmAllocation.ratios(g, p, 40, DEFAULTS);
    double cut = 0.125 * r[3] * 40 + 0.01;
    assertThat(cut).isLessThan(0.25 * r[2] * 40);
    double[] rf = GvmAllocation.ratios(g, p, 40, new Settings(1e-3, 2, 1, cut));
    assertThat(rf[3]).isZero();
    assertThat(rf[0] / rf[1]).isCloseTo(r[0] / r[1], within(1e-12));
    assertThat(Arrays.stream(rf).sum()).isCloseTo(1, within(1e-12));
  }

  @Test
  void badInputIsAClearError() {
    double[] g = {1, 2};
    double[] p = {0.5, 0.25};
    assertThatThrownBy(() -> GvmAllocation.allocate(g, p, -1, DEFAULTS)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("budget = -1");
    assertThatThrownBy(() -> GvmAllocation.allocate(g, new double[] {0.5, 1.5}, 10, DEFAULTS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("acceptRates[1] = 1.5").hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> GvmAllocation.allocate(g, new double[] {-0.1, 0.5}, 10, DEFAULTS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("acceptRates[0]");
    assertThatThrownBy(() -> GvmAllocation.allocate(new double[] {Double.NaN, 1}, p, 10, DEFAULTS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("gradNorms[0] = NaN");
    assertThatThrownBy(() -> GvmAllocation.allocate(g, new double[] {0.5}, 10, DEFAULTS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("acceptRates length = 1");
    assertThatThrownBy(() -> GvmAllocation.allocate(new double[] {0, 1}, new double[] {0.5, 0}, 10, DEFAULTS))
        .isInstanceOf(BadInputException.class).hasMessageContaining("every prompt has weight 0");
    assertThatThrownBy(() -> new Settings(-1e-3, 2, 1, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("alpha = -0.001");
    assertThatThrownBy(() -> GvmAllocation.uniform(0, 5)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("prompts = 0");
  }
}
