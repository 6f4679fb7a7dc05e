package org.fewstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Rng}. Oracles: (a) exact outputs from an independent Python implementation of
 * SplitMix64 seeding + xoshiro256** ({@code src/test/python/xoshiro_reference.py}, itself checked
 * against the published xoshiro256** vector for state {1, 2, 3, 4} and SplitMix64's first output);
 * (b) determinism and identity of copies; (c)-(e) exact distributions checked with fixed seeds,
 * stated sample sizes and tolerances (chi-square 0.999 quantiles, 5 standard errors).
 */
class RngTest {

  // ---- (a) exact outputs ------------------------------------------------------------------------

  /**
   * First five {@code nextLong()} values; computed by {@code python3 src/test/python/xoshiro_reference.py}
   * (Python ints masked to 64 bits: z += 0x9E3779B97F4A7C15, s_i = mix64(z) for i = 0..3, then
   * xoshiro256** steps).
   */
  @Test
  void firstOutputsMatchIndependentReference() {
    assertThat(firstLongs(new Rng(0), 5)).containsExactly(
        0x99ec5f36cb75f2b4L, 0xbf6e1f784956452aL, 0x1a5f849d4933e6e0L, 0x6aa594f1262d2d2cL, 0xbba5ad4a1f842e59L);
    assertThat(firstLongs(new Rng(42), 5)).containsExactly(
        0x15780b2e0c2ec716L, 0x6104d9866d113a7eL, 0xae17533239e499a1L, 0xecb8ad4703b360a1L, 0xfde6dc7fe2ec5e64L);
    assertThat(firstLongs(new Rng(-1), 5)).containsExactly(
        0x8f5520d52a7ead08L, 0xc476a018caa1802dL, 0x81de31c0d260469eL, 0xbf658d7e065f3c2fL, 0x913593fda1bca32aL);
  }

  /** mix64 is SplitMix64's finaliser: mix64(gamma) is SplitMix64's well-known first output for seed 0. */
  @Test
  void shuffleGivesEveryPermutationEquallyOften() {
    // 4 elements: 24 permutations, 120 000 shuffles, chi-square against uniform.
    Rng rng = new Rng(17);
    long[] counts = new long[24];
    for (int n = 0; n < 120_000; n++) {
      int[] a = {0, 1, 2, 3};
      rng.shuffle(a);
      int code = 0;
      boolean[] used = new boolean[4];
      for (int i = 0; i < 4; i++) { // Lehmer code: rank of a[i] among the unused values
        int rank = 0;
        for (int v = 0; v < a[i]; v++) {
          rank += used[v] ? 0 : 1;
        }
        used[a[i]] = true;
        code = code * (4 - i) + rank;
      }
      counts[code]++;
    }
    double[] uniform = new double[24];
    java.util.Arrays.fill(uniform, 1.0 / 24);
    org.assertj.core.api.Assertions.assertThat(org.fewstep.core.math.GoodnessOfFit.chiSquarePValue(counts, uniform)).isGreaterThan(1e-3);
    java.util.List<Integer> list = new java.util.ArrayList<>(java.util.List.of(0, 1, 2, 3));
    int[] array = {0, 1, 2, 3};
    new Rng(5).shuffle(list);
    new Rng(5).shuffle(array);
    org.assertj.core.api.Assertions.assertThat(list).containsExactly(array[0], array[1], array[2], array[3]);
  }

  @Test
  void mix64MatchesSplitMix64() {
    assertThat(Rng.mix64(0x9E3779B97F4A7C15L)).isEqualTo(0xe220a8397b1dcdafL);
    assertThat(Rng.mix64(0)).isZero();
  }

  /** stream(7, 3) = new Rng(mix64(mix64(7) ^ mix64(3 + 0x632BE59BD9B4E019))); values from the Python script. */
  @Test
  void streamMatchesReference() {
    assertThat(firstLongs(Rng.stream(7, 3), 3))
        .containsExactly(0x2262cb969962d19dL, 0x0be8a01d97dd7937L, 0xb39e76a4f4c2f75bL);
  }

  /** nextDouble = (nextLong >>> 11) * 2^-53; values from the Python script (seed 42). */
  @Test
  void nextDoubleUsesTop53Bits() {
    Rng rng = new Rng(42);
    assertThat(rng.nextDouble()).isEqualTo(0.08386297105988216);
    assertThat(rng.nextDouble()).isEqualTo(0.3789802506626686);
    assertThat(rng.nextDouble()).isEqualTo(0.6800434110281394);
  }

  /** nextInt = (nextLong >>> 1) % bound with rejection; values from the Python script (seed 2025). */
  @Test
  void nextIntMatchesReference() {
    Rng rng = new Rng(2025);
    int[] sevens = new int[12];
    for (int i = 0; i < sevens.length; i++) {
      sevens[i] = rng.nextInt(7);
    }
    assertThat(sevens).containsExactly(3, 2, 4, 1, 1, 4, 0, 6, 2, 4, 1, 0);
    Rng big = new Rng(2025);
    assertThat(new int[] {big.nextInt(1000000007), big.nextInt(1000000007), big.nextInt(1000000007), big.nextInt(1000000007)})
        .containsExactly(804995449, 259691197, 133064089, 603644070);
  }

  /**
   * Box-Muller pairs (r cos 2 pi u2, r sin 2 pi u2), r = sqrt(-2 log(1 - u1)), both values used;
   * the Python script uses the platform libm, so the comparison allows 1e-15 relative.
   */
  @Test
  void nextGaussianMatchesReference() {
    Rng rng = new Rng(42);
    double[] expected = {-0.303263064678738, 0.28846173882942383, 1.3438117634372806, -0.6879751798977497};
    for (double e : expected) {
      assertThat(rng.nextGaussian()).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-15 * Math.abs(e)));
    }
  }

  // ---- (b) determinism, copy, split, stream -------------------------------------------------------

  @Test
  void sameSeedGivesSameSequence() {
    assertThat(firstLongs(new Rng(123456789L), 1000)).containsExactly(firstLongs(new Rng(123456789L), 1000));
    assertThat(firstLongs(new Rng(1), 10)).doesNotContain(firstLongs(new Rng(2), 10));
  }

  @Test
  void copyContinuesIdenticallyIncludingSpareGaussian() {
    Rng rng = new Rng(5);
    for (int i = 0; i < 17; i++) {
      rng.nextLong();
    }
    rng.nextGaussian(); // leaves a spare Gaussian in the state
    Rng copy = rng.copy();
    for (int i = 0; i < 100; i++) {
      assertThat(copy.nextGaussian()).isEqualTo(rng.nextGaussian());
      assertThat(copy.nextLong()).isEqualTo(rng.nextLong());
    }
  }

  /** split() = new Rng(nextLong()): the child is seeded by the parent's next draw. */
  @Test
  void splitIsSeededByTheParentsNextDrawAndAdvancesIt() {
    Rng parent = new Rng(99);
    Rng twin = new Rng(99);
    Rng child = parent.split();
    long drawn = twin.nextLong();
    assertThat(firstLongs(child, 20)).containsExactly(firstLongs(new Rng(drawn), 20));
    assertThat(parent.nextLong()).isEqualTo(twin.nextLong());
  }

  @Test
  void successiveSplitsDifferFromEachOtherAndFromTheParent() {
    Rng parent = new Rng(7);
    Set<Long> firsts = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      firsts.add(parent.split().nextLong());
    }
    assertThat(firsts).hasSize(200);
    Rng p = new Rng(7);
    Rng c = p.split();
    assertThat(firstLongs(c, 10)).doesNotContain(firstLongs(p, 10));
  }

  @Test
  void streamIsDeterministicAndDiffersAcrossIndicesAndSeeds() {
    Set<Long> firsts = new HashSet<>();
    for (long i = 0; i < 1000; i++) {
      long[] a = firstLongs(Rng.stream(2024, i), 4);
      assertThat(firstLongs(Rng.stream(2024, i), 4)).containsExactly(a);
      firsts.add(a[0]);
    }
    assertThat(firsts).hasSize(1000);
    assertThat(firstLongs(Rng.stream(1, 0), 5)).doesNotContain(firstLongs(Rng.stream(2, 0), 5));
    // stream(seed, i) is not simply new Rng(seed) or new Rng(i)
    assertThat(Rng.stream(3, 0).nextLong()).isNotEqualTo(new Rng(3).nextLong()).isNotEqualTo(new Rng(0).nextLong());
  }

  // ---- (c) nextDouble ----------------------------------------------------------------------------

  /** n = 200 000 draws in 20 equal bins: chi-square (19 dof) below its 0.999 quantile 43.82. */
  @Test
  void nextDoubleIsUniformOnUnitInterval() {
    int n = 200_000;
    int bins = 20;
    long[] counts = new long[bins];
    Rng rng = new Rng(20240601L);
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      counts[(int) (u * bins)]++;
    }
    assertThat(chiSquare(counts, n / (double) bins)).isLessThan(43.82);
  }

  // ---- (d) nextInt ---------------------------------------------------------------------------------

  /** n = 140 000 draws of nextInt(7): chi-square (6 dof) below its 0.999 quantile 22.46. */
  @Test
  void nextIntIsUniform() {
    int n = 140_000;
    long[] counts = new long[7];
    Rng rng = new Rng(77);
    for (int i = 0; i < n; i++) {
      int k = rng.nextInt(7);
      assertThat(k).isBetween(0, 6);
      counts[k]++;
    }
    assertThat(chiSquare(counts, n / 7.0)).isLessThan(22.46);
  }

  @Test
  void nextIntOfOneIsZeroAndLargeBoundsStayInRange() {
    Rng rng = new Rng(3);
    for (int i = 0; i < 100; i++) {
      assertThat(rng.nextInt(1)).isZero();
      assertThat(rng.nextInt(Integer.MAX_VALUE)).isBetween(0, Integer.MAX_VALUE - 1);
    }
  }

  @Test
  void nextIntRejectsNonPositiveBound() {
    Rng rng = new Rng(1);
    assertThatThrownBy(() -> rng.nextInt(0)).isInstanceOf(BadInputException.class).hasMessageContaining("bound = 0");
    assertThatThrownBy(() -> rng.nextInt(-5)).isInstanceOf(BadInputException.class).hasMessageContaining("bound = -5");
  }

  // ---- (e) nextGaussian --------------------------------------------------------------------------

  /**
   * n = 400 000 draws: mean within 5 SE (1/sqrt n) of 0, variance within 5 SE (sqrt(2/n)) of 1,
   * fourth moment within 0.05 of 3 (SE sqrt(96/n) = 0.015), P(|z| > 1.96) within 5 SE of
   * 0.049996 (= 2 * (1 - Phi(1.96))).
   */
  @Test
  void nextGaussianIsStandardNormal() {
    int n = 400_000;
    Rng rng = new Rng(8675309L);
    double sum = 0;
    double sum2 = 0;
    double sum4 = 0;
    long tail = 0;
    for (int i = 0; i < n; i++) {
      double z = rng.nextGaussian();
      sum += z;
      sum2 += z * z;
      sum4 += z * z * z * z;
      if (Math.abs(z) > 1.96) {
        tail++;
      }
    }
    double mean = sum / n;
    double variance = sum2 / n - mean * mean;
    assertThat(Math.abs(mean)).isLessThan(5 / Math.sqrt(n));
    assertThat(Math.abs(variance - 1)).isLessThan(5 * Math.sqrt(2.0 / n));
    assertThat(Math.abs(sum4 / n - 3)).isLessThan(0.05);
    double p = 0.04999579;
    assertThat(Math.abs(tail / (double) n - p)).isLessThan(5 * Math.sqrt(p * (1 - p) / n));
  }

  /** Consecutive pairs (the Box-Muller cos/sin pair) are uncorrelated: |r| < 5/sqrt(n), n = 200 000 pairs. */
  @Test
  void gaussianPairsAreUncorrelated() {
    int n = 200_000;
    Rng rng = new Rng(31337);
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxy += rng.nextGaussian() * rng.nextGaussian();
    }
    assertThat(Math.abs(sxy / n)).isLessThan(5 / Math.sqrt(n));
  }

  @Test
  void fillGaussianEqualsRepeatedNextGaussian() {
    double[] filled = new double[101];
    new Rng(11).fillGaussian(filled);
    Rng rng = new Rng(11);
    for (double v : filled) {
      assertThat(v).isEqualTo(rng.nextGaussian());
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static long[] firstLongs(Rng rng, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = rng.nextLong();
    }
    return out;
  }

  private static double chiSquare(long[] counts, double expected) {
    double chi2 = 0;
    for (long c : counts) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    return chi2;
  }
}
