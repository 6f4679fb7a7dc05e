package org.fewstep.constrain.approx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fewstep.constrain.approx.HammingDistances.Transform;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * Oracles of section 13 (f) of the research brief: every exact method equals the O(nm)
 * definition; {@code ham + match = m}; the k-bounded walk equals {@code min(ham, k + 1)}; the
 * double FFT equals the NTT (and pair counting) at large m; bad input names the parameter.
 */
class HammingDistancesTest {
  static final int[] SIGMAS = {2, 4, 26, 1000};

  static int[] random(Random rng, int length, int sigma) {
    int[] s = new int[length];
    for (int i = 0; i < length; i++) {
      s[i] = rng.nextInt(sigma);
    }
    return s;
  }

  /** Every exact method on one input, compared with the definition. */
  static void assertAllExact(int[] text, int[] pattern) {
    int[] expected = HammingDistances.naive(text, pattern);
    assertThat(HammingDistances.exact(text, pattern)).as("exact").isEqualTo(expected);
    assertThat(HammingDistances.correlation(text, pattern, Transform.FFT)).as("fft").isEqualTo(expected);
    assertThat(HammingDistances.correlation(text, pattern, Transform.NTT)).as("ntt").isEqualTo(expected);
    assertThat(HammingDistances.exact(text, pattern, Integer.MAX_VALUE)).as("counting").isEqualTo(expected);
    assertThat(HammingDistances.exact(text, pattern, 3)).as("abrahamson 3").isEqualTo(expected);
  }

  @Property(seed = "20261127", tries = 200)
  void exactEqualsNaive(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int sigmaIndex,
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 300) int mRaw) {
    Random rng = new Random(seed);
    int sigma = SIGMAS[sigmaIndex];
    int m = 1 + (mRaw - 1) % n;
    int[] text = random(rng, n, sigma);
    int[] pattern = random(rng, m, sigma);
    // Half the time, plant the pattern (with a few changes) so that small distances occur.
    if (rng.nextBoolean()) {
      int at = rng.nextInt(n - m + 1);
      for (int j = 0; j < m; j++) {
        text[at + j] = rng.nextInt(8) == 0 ? rng.nextInt(sigma) : pattern[j];
      }
    }
    assertAllExact(text, pattern);
  }

  @Property(seed = "20261127", tries = 200)
  void boundedEqualsClampedNaive(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int sigmaIndex,
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 300) int mRaw) {
    Random rng = new Random(seed);
    int sigma = SIGMAS[sigmaIndex];
    int m = 1 + (mRaw - 1) % n;
    int[] pattern = random(rng, m, sigma);
    int[] text = new int[n];
    // Text made of noisy copies of the pattern: distances spread over 0..m.
    double noise = rng.nextDouble() * 0.5;
    for (int i = 0; i < n; i++) {
      text[i] = rng.nextDouble() < noise ? rng.nextInt(sigma) : pattern[(i + rng.nextInt(2)) % m];
    }
    int[] ham = HammingDistances.naive(text, pattern);
    for (int k : new int[] {0, 1, 3, m, m + 5, Integer.MAX_VALUE}) {
      int[] expected = Arrays.stream(ham).map(h -> (int) Math.min(h, k + 1L)).toArray();
      assertThat(HammingDistances.atMost(text, pattern, k)).as("k = %d", k).isEqualTo(expected);
    }
  }

  @Property(seed = "20261127", tries = 100)
  void hammingPlusMatchesIsPatternLength(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int sigmaIndex) {
    Random rng = new Random(seed);
    int n = 1 + rng.nextInt(2000);
    int m = 1 + rng.nextInt(n);
    int[] text = random(rng, n, SIGMAS[sigmaIndex]);
    int[] pattern = random(rng, m, SIGMAS[sigmaIndex]);
    int[] ham = HammingDistances.exact(text, pattern);
    int[] match = HammingDistances.matches(text, pattern);
    for (int i = 0; i < ham.length; i++) {
      int equal = 0;
      for (int j = 0; j < m; j++) {
        equal += text[i + j] == pattern[j] ? 1 : 0;
      }
      assertThat(match[i]).isEqualTo(equal);
      assertThat(ham[i] + match[i]).isEqualTo(m);
    }
  }

  @Test
  void edgeCases() {
    Random rng = new Random(5);
    int[] text = random(rng, 500, 4);
    // m = 1 and m = n
    assertAllExact(text, new int[] {2});
    assertAllExact(text, text.clone());
    assertAllExact(text, random(rng, 500, 4));
    assertThat(HammingDistances.exact(text, text.clone())).containsExactly(0);
    // constant strings: all matches, all mismatches
    int[] zeros = new int[700];
    int[] ones = new int[40];
    Arrays.fill(ones, 1);
    assertAllExact(zeros, new int[40]);
    assertThat(HammingDistances.exact(zeros, new int[40])).containsOnly(0).hasSize(661);
    assertThat(HammingDistances.exact(zeros, ones)).containsOnly(40);
    assertThat(HammingDistances.atMost(zeros, ones, 3)).containsOnly(4);
    // text symbols absent from the pattern, negative and extreme symbol values
    int[] wide = {Integer.MIN_VALUE, -7, 3, Integer.MAX_VALUE, 3, -7, 99, 99, 3, Integer.MIN_VALUE};
    int[] pat = {3, Integer.MAX_VALUE, 3};
    assertAllExact(wide, pat);
    assertThat(HammingDistances.exact(wide, pat)).containsExactly(2, 3, 0, 3, 2, 3, 2, 3);
    assertThat(HammingDistances.atMost(wide, pat, 1)).containsExactly(2, 2, 0, 2, 2, 2, 2, 2);
    // the pattern's symbols absent from the text
    assertAllExact(random(rng, 300, 4), new int[] {7, 8, 9, 7});
  }

  @Test
  void strings() {
    assertThat(HammingDistances.exact("abracadabra", "abra")).containsExactly(0, 4, 3, 3, 3, 3, 4, 0);
    assertThat(HammingDistances.atMost("abracadabra", "abra", 2)).containsExactly(0, 3, 3, 3, 3, 3, 3, 0);
    // code points, not UTF-16 units: one emoji is one symbol
    assertThat(HammingDistances.exact("x\uD83D\uDE00y", "\uD83D\uDE00")).containsExactly(1, 0, 1);
    byte[] bytes = {(byte) 0xff, 1, (byte) 0xff, 1};
    assertThat(HammingDistances.exact(bytes, new byte[] {(byte) 0xff})).containsExactly(0, 1, 0, 1);
    assertThat(HammingDistances.symbols(new byte[] {(byte) 0x80})).containsExactly(128);
  }

  /**
   * Large m: the double FFT (values up to about m / 2 with σ = 2, the worst rounding case), the NTT
   * and pair counting agree at m = 2^20, and agree with the definition on sampled shifts.
   */
  @Test
  void fftAgreesWithNttAtLargePatterns() {
    Random rng = new Random(11);
    int m = 1 << 20;
    int n = m + 3000;
    int[] text = random(rng, n, 2);
    int[] pattern = random(rng, m, 2);
    int[] fft = HammingDistances.correlation(text, pattern, Transform.FFT);
    int[] ntt = HammingDistances.correlation(text, pattern, Transform.NTT);
    assertThat(fft).isEqualTo(ntt);
    for (int i = 0; i < fft.length; i += 997) {
      int ham = 0;
      for (int j = 0; j < m; j++) {
        ham += text[i + j] != pattern[j] ? 1 : 0;
      }
      assertThat(fft[i]).as("shift %d", i).isEqualTo(ham);
    }
  }

  /**
   * m = 2^16 over a text of noisy copies of the pattern (values near m, small distances at the
   * copies): FFT, NTT and the automatic method agree everywhere and with the definition on sampled
   * shifts; the k-bounded walk agrees with the clamped exact values.
   */
  @Test
  void largePatternNearCopies() {
    Random rng = new Random(12);
    int m = 1 << 16;
    int n = 3 * m + 777;
    int sigma = 16;
    int[] pattern = random(rng, m, sigma);
    int[] text = new int[n];
    for (int i = 0; i < n; i++) {
      text[i] = rng.nextInt(500) == 0 ? rng.nextInt(sigma) : pattern[i % m];
    }
    int[] fft = HammingDistances.correlation(text, pattern, Transform.FFT);
    assertThat(HammingDistances.correlation(text, pattern, Transform.NTT)).isEqualTo(fft);
    assertThat(HammingDistances.exact(text, pattern)).isEqualTo(fft);
    for (int i = 0; i < fft.length; i += i % m == 0 ? 1 : 1999) {
      int ham = 0;
      for (int j = 0; j < m; j++) {
        ham += text[i + j] != pattern[j] ? 1 : 0;
      }
      assertThat(fft[i]).as("shift %d", i).isEqualTo(ham);
    }
    int[] bounded = HammingDistances.atMost(text, pattern, 200);
    for (int i = 0; i < fft.length; i++) {
      assertThat(bounded[i]).as("shift %d", i).isEqualTo(Math.min(fft[i], 201));
    }
    assertThat(Arrays.stream(bounded).filter(h -> h <= 200).count()).isEqualTo(3);
  }

  /** Many symbols (σ = 200): several FFT groups of symbol spectra, checked against pair counting. */
  @Test
  void manySymbolsAgreeWithCounting() {
    Random rng = new Random(13);
    int m = 1 << 12;
    int n = 1 << 15;
    int[] text = random(rng, n, 200);
    int[] pattern = random(rng, m, 200);
    int[] counting = HammingDistances.exact(text, pattern, Integer.MAX_VALUE);
    assertThat(HammingDistances.correlation(text, pattern, Transform.FFT)).isEqualTo(counting);
    assertThat(HammingDistances.exact(text, pattern)).isEqualTo(counting);
    assertThat(HammingDistances.exact(text, pattern, 20)).isEqualTo(counting);
    for (int i = 0; i < counting.length; i += 101) {
      int ham = 0;
      for (int j = 0; j < m; j++) {
        ham += text[i + j] != pattern[j] ? 1 : 0;
      }
      assertThat(counting[i]).as("shift %d", i).isEqualTo(ham);
    }
  }

  @Test
  void badInputNamesTheParameter() {
    int[] t = {1, 2, 3};
    assertThatThrownBy(() -> HammingDistances.exact(t, new int[0]))
        .isInstanceOf(BadInputException.class)
        .hasMessage("pattern.length = 0: expected at least 1 (an empty pattern has no distances)");
    assertThatThrownBy(() -> HammingDistances.naive(t, new int[] {1, 2, 3, 4}))
        .isInstanceOf(BadInputException.class)
        .hasMessage("pattern.length = 4: expected at most text.length = 3");
    assertThatThrownBy(() -> HammingDistances.atMost(t, new int[] {1}, -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("k = -1: expected an integer >= 0");
    assertThatThrownBy(() -> HammingDistances.exact((int[]) null, t))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("text = null");
    assertThatThrownBy(() -> HammingDistances.atMost(t, (int[]) null, 1))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("pattern = null");
    assertThatThrownBy(() -> HammingDistances.exact(t, t, 0))
        .isInstanceOf(BadInputException.class)
        .hasMessage("threshold = 0: expected an integer >= 1");
    assertThatThrownBy(() -> HammingDistances.correlation(t, t, null))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("transform = null");
    assertThatThrownBy(() -> HammingDistances.exact((String) null, "a"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("text = null");
  }
}
