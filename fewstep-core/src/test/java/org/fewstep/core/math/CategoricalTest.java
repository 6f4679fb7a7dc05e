package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

class CategoricalTest {

  /** Probabilities from 0.4 down to 1e-12; the tokens below 1e-3 are pooled into exact tail bins. */
  @Test
  void drawsFollowTheExactLawDownToTheTail() {
    double[] p = {0.4, 0.25, 0.15, 0.1, 0.06, 0.03, 0.009, 0.9e-3, 0.09e-3, 1e-5, 1e-6, 1e-7, 1e-9, 1e-12};
    double rest = 1;
    for (int i = 1; i < p.length; i++) {
      rest -= p[i];
    }
    p[0] = rest;
    double[] logits = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      logits[i] = Math.log(p[i]) + 3.0; // unnormalized on purpose
    }
    int[] bin = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      bin[i] = Math.min(i, 7); // tokens 7.. (total mass ~1.0e-3) form one bin
    }
    double[] binP = new double[8];
    for (int i = 0; i < p.length; i++) {
      binP[bin[i]] += p[i];
    }
    Categorical dist = new Categorical().setLogits("logits", logits, logits.length);
    Rng rng = new Rng(7);
    int n = 2_000_000;
    long[] counts = new long[8];
    long tail = 0;
    for (int k = 0; k < n; k++) {
      int i = dist.sample(rng);
      counts[bin[i]]++;
      tail += i >= 9 ? 1 : 0;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, binP)).isGreaterThan(1e-4);
    // tokens 9..13 have mass 1.11e-5: 22.2 expected in 2e6 draws; 3-sigma band [8, 36]
    assertThat(tail).isBetween(8L, 36L);
    for (int i = 0; i < p.length; i++) {
      assertThat(dist.probability(i)).isCloseTo(p[i], offset(1e-15 + 1e-12 * p[i]));
    }
    assertThat(dist.logNormalizer()).isCloseTo(3.0, offset(1e-14));
  }

  /**
   * decoding.md 16 E (the vLLM many-tail race): one head at logit 0 and 262,144 tail tokens at
   * -20.5. Exact tail mass 3.27613e-4, so 32.76 expected hits in 100,000 draws; a float32 Gumbel
   * sampler can never pick a tail token (its Gumbels lie in [-2.81, 16.64], a gap of 19.45 < 20.5).
   */
  @Test
  void float64SamplerReachesTheTailThatFloat32GumbelNoiseCannot() {
    int tails = 262_144;
    double[] logits = new double[tails + 1];
    java.util.Arrays.fill(logits, 1, tails + 1, -20.5);
    double exactTail = tails * Math.exp(-20.5) / (1 + tails * Math.exp(-20.5));
    assertThat(exactTail).isCloseTo(3.27613e-4, offset(1e-9));
    int draws = 100_000;
    double expected = draws * exactTail;
    double sigma = Math.sqrt(expected * (1 - exactTail));

    Categorical dist = new Categorical().setLogits("logits", logits, logits.length);
    Rng rng = new Rng(20261127);
    int hits = 0;
    for (int k = 0; k < draws; k++) {
      hits += dist.sample(rng) > 0 ? 1 : 0;
    }
    assertThat((double) hits).isBetween(expected - 3 * sigma, expected + 3 * sigma);

    int float32Hits = 0;
    Rng rng32 = new Rng(20261127);
    for (int k = 0; k < draws; k++) {
      float32Hits += float32GumbelPicksTail(tails, -20.5f, rng32) ? 1 : 0;
    }
    assertThat(float32Hits).isZero();
    assertThat((double) float32Hits).as("the float32 reference fails the same band")
        .isLessThan(expected - 3 * sigma);
  }

  /**
   * Test-only float32 Gumbel-max over one head and {@code tails} equal tail logits (the form MDLM's
   * sampler uses): uniforms on the 24-bit float grid, G = -log(-log U) in float. The maximum of the
   * tail Gumbels is drawn directly: the max of m grid uniforms is the grid floor of U^(1/m).
   */
  private static boolean float32GumbelPicksTail(int tails, float tailLogit, Rng rng) {
    float headU = gridUniform(rng.nextDouble());
    float tailU = gridUniform(Math.pow(rng.nextDouble(), 1.0 / tails));
    float headG = (float) -Math.log((float) -Math.log(headU));
    float tailG = (float) -Math.log((float) -Math.log(tailU));
    return tailLogit + tailG > headG;
  }

  /** A uniform on the float grid k * 2^-24 in (0, 1): never 0 (resampled in practice), at most 1 - 2^-24. */
  private static float gridUniform(double u) {
    double k = Math.floor(u * 0x1p24);
    return (float) (Math.max(k, 1) * 0x1p-24);
  }

  @Test
  void weightsAndZeroProbabilityCategories() {
    Categorical dist = new Categorical().setWeights("w", new double[] {0, 2, 0, 6, 0}, 5);
    Rng rng = new Rng(3);
    long[] counts = new long[5];
    for (int k = 0; k < 100_000; k++) {
      counts[dist.sample(rng)]++;
    }
    assertThat(counts[0] + counts[2] + counts[4]).isZero();
    assertThat(GoodnessOfFit.chiSquarePValue(counts, new double[] {0, 0.25, 0, 0.75, 0})).isGreaterThan(1e-4);
    assertThat(dist.logProbability(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> new Categorical().setWeights("w", new double[] {1, -1}, 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("w[1]");
    assertThatThrownBy(() -> new Categorical().setWeights("w", new double[] {0, 0}, 2))
        .hasMessageContaining("all zero");
    assertThatThrownBy(() -> new Categorical().setLogits("logits", new double[] {Double.NaN}, 1))
        .hasMessageContaining("NaN");
  }

  @Test
  void sameSeedSameDraws() {
    double[] logits = new double[5000];
    Rng init = new Rng(5);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = 4 * init.nextGaussian();
    }
    int[] a = new int[50];
    int[] b = new int[50];
    Rng r1 = new Rng(9);
    Rng r2 = new Rng(9);
    Categorical dist = new Categorical();
    for (int k = 0; k < 50; k++) {
      a[k] = dist.setLogits("logits", logits, logits.length).sample(r1);
      b[k] = Categorical.sample(logits, r2);
    }
    assertThat(a).isEqualTo(b);
  }

  /** Ordered pairs without replacement: P(i then j) = p_i p_j / (1 - p_i). */
  @Test
  void gumbelTopKIsExactSamplingWithoutReplacement() {
    double[] p = {0.5, 0.3, 0.15, 0.05};
    double[] logits = new double[4];
    for (int i = 0; i < 4; i++) {
      logits[i] = Math.log(p[i]);
    }
    double[] exact = new double[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        exact[4 * i + j] = i == j ? 0 : p[i] * p[j] / (1 - p[i]);
      }
    }
    long[] counts = new long[16];
    Rng rng = new Rng(11);
    for (int k = 0; k < 200_000; k++) {
      int[] order = Categorical.withoutReplacement(logits, 4, 2, rng);
      counts[4 * order[0] + order[1]]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, exact)).isGreaterThan(1e-4);
    assertThat(Categorical.withoutReplacement(logits, 4, 4, rng)).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThatThrownBy(() -> Categorical.withoutReplacement(new double[] {0, Double.NEGATIVE_INFINITY}, 2, 2, rng))
        .isInstanceOf(BadInputException.class).hasMessageContaining("k = 2");
  }
}
