package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

class ResamplingTest {
  private static double[] randomLogWeights(Rng rng, int n) {
    double[] lw = new double[n];
    for (int i = 0; i < n; i++) {
      lw[i] = rng.nextDouble() < 0.1 ? Double.NEGATIVE_INFINITY : 3 * rng.nextGaussian();
    }
    lw[0] = 0; // at least one alive
    return lw;
  }

  private static double[] probabilities(double[] lw) {
    double[] p = new double[lw.length];
    new Categorical().setLogits("w", lw, lw.length).probabilities(p);
    return p;
  }

  private static int[] counts(int[] ancestors, int n) {
    int[] c = new int[n];
    for (int a : ancestors) {
      c[a]++;
    }
    return c;
  }

  @Test
  void systematicAndStratifiedCountsStayNearTheExpectedCounts() {
    Rng rng = new Rng(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(60);
      double[] lw = randomLogWeights(rng, n);
      double[] p = probabilities(lw);
      int[] systematic = Resampling.SYSTEMATIC.ancestors(lw, rng);
      int[] stratified = Resampling.STRATIFIED.ancestors(lw, rng);
      assertThat(systematic).isSorted();
      assertThat(stratified).isSorted();
      int[] cs = counts(systematic, n);
      int[] ct = counts(stratified, n);
      for (int i = 0; i < n; i++) {
        assertThat(Math.abs(cs[i] - n * p[i])).as("systematic count of %d", i).isLessThan(1.0);
        assertThat(Math.abs(ct[i] - n * p[i])).as("stratified count of %d", i).isLessThan(2.0);
        if (p[i] == 0) {
          assertThat(cs[i] + ct[i]).isZero();
        }
      }
    }
  }

  @Test
  void everySchemeIsUnbiased() {
    double[] lw = {Math.log(0.5), Double.NEGATIVE_INFINITY, Math.log(0.3), Math.log(0.15), Math.log(0.05)};
    double[] p = probabilities(lw);
    for (Resampling scheme : Resampling.values()) {
      Rng rng = new Rng(11);
      long[] total = new long[lw.length];
      int draws = 4000;
      for (int d = 0; d < draws; d++) {
        int[] c = counts(scheme.ancestors(lw, rng), lw.length);
        for (int i = 0; i < c.length; i++) {
          total[i] += c[i];
        }
      }
      assertThat(total[1]).isZero();
      // 20 000 ancestors: each frequency within 0.01 of its weight (> 3 standard errors of multinomial)
      for (int i = 0; i < p.length; i++) {
        assertThat(total[i] / (5.0 * draws)).as("%s frequency of %d", scheme, i).isCloseTo(p[i], within(0.01));
      }
      if (scheme == Resampling.MULTINOMIAL) {
        long[] alive = {total[0], total[2], total[3], total[4]};
        assertThat(GoodnessOfFit.chiSquarePValue(alive, new double[] {0.5, 0.3, 0.15, 0.05})).isGreaterThan(0.001);
      }
    }
  }

  @Test
  void fewerAncestorsThanParticlesKeepTheLaw() {
    // the N - 1 free particles of conditional SMC: 3 ancestors from the paper's weights of rewards
    // (0.9, 0.5, 0.1) (decoding.md 16, vector I); multinomial counts by chi-square over 20 000 draws,
    // systematic counts within one of 3 w_i every time
    double[] lw = {Math.log(9), 0, Math.log(1 / 9.0)};
    double[] p = probabilities(lw);
    Rng rng = new Rng(13);
    long[] total = new long[3];
    for (int d = 0; d < 20_000; d++) {
      int[] a = Resampling.MULTINOMIAL.ancestors(lw, 3, rng);
      assertThat(a).hasSize(3).isSorted();
      int[] c = counts(a, 3);
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
      int[] s = counts(Resampling.SYSTEMATIC.ancestors(lw, 3, rng), 3);
      for (int i = 0; i < 3; i++) {
        assertThat(Math.abs(s[i] - 3 * p[i])).isLessThan(1.0);
      }
    }
    assertThat(p).containsExactly(new double[] {0.890110, 0.098901, 0.010989}, within(1e-6));
    assertThat(GoodnessOfFit.chiSquarePValue(total, p)).isGreaterThan(0.001);
    assertThat(Resampling.SYSTEMATIC.ancestors(lw, 0, rng)).isEmpty();
  }

  @Test
  void quarterWeightsGiveExactSystematicCounts() {
    double[] lw = {Math.log(0.5), Double.NEGATIVE_INFINITY, Math.log(0.25), Math.log(0.25)};
    assertThat(Resampling.SYSTEMATIC.ancestors(lw, new Rng(3))).containsExactly(0, 0, 2, 3);
  }

  @Test
  void effectiveSampleSize() {
    assertThat(Resampling.ess(new double[] {0, 0, Double.NEGATIVE_INFINITY, 0})).isCloseTo(3.0, within(1e-12));
    assertThat(Resampling.ess(new double[] {5, 5, 5, 5, 5})).isCloseTo(5.0, within(1e-12));
    assertThat(Resampling.ess(new double[] {0, -800})).isCloseTo(1.0, within(1e-12));
    // weights 1 and 3: (1 + 3)^2 / (1 + 9)
    assertThat(Resampling.ess(new double[] {0, Math.log(3)})).isCloseTo(1.6, within(1e-12));
  }

  @Test
  void badWeightsAreClearErrors() {
    double[] dead = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    assertThatThrownBy(() -> Resampling.ess(dead)).isInstanceOf(BadInputException.class).hasMessageContaining("log weight");
    assertThatThrownBy(() -> Resampling.ess(new double[] {0, Double.NaN})).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Resampling.SYSTEMATIC.ancestors(dead, new Rng(1))).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Resampling.MULTINOMIAL.ancestors(new double[0], new Rng(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("number of particles");
  }
}
