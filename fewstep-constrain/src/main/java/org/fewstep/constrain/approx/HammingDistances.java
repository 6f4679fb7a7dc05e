package org.fewstep.constrain.approx;

import org.fewstep.core.BadInputException;

/**
 * Text-to-pattern Hamming distances: for a text {@code T} of length {@code n} and a pattern
 * {@code P} of length {@code 1 <= m <= n}, {@code ham[i] = #{j < m : P[j] != T[i+j]}} for every
 * shift {@code 0 <= i <= n - m}. Symbols are arbitrary {@code int}s.
 *
 * <p>The classical algorithms listed in the research brief's section 13 (problem statement from
 * Chan, Jin, Vassilevska Williams and Xu, "Faster Algorithms for Text-to-Pattern Hamming
 * Distances", FOCS 2023; their new bounds are theoretical and not implemented here):
 *
 * <ul>
 *   <li>{@link #naive}: the {@code O(nm)} definition, the reference oracle;
 *   <li>{@link #correlation}: Fischer–Paterson per-symbol correlation, one cross-correlation of
 *       0/1 indicator vectors per symbol of {@code P}, computed over text windows of length
 *       {@code >= 2m} with a radix-2 double FFT (two symbols per complex transform, every rounding
 *       checked to lie within 0.25 of an integer) or an exact NTT modulo 998244353;
 *       {@code O(σ_P n log m)};
 *   <li>{@link #exact(int[], int[], int)}: Abrahamson's split: symbols occurring at least
 *       {@code threshold} times in {@code P} by correlation, the others by counting pairs of
 *       equal symbols, {@code O(n θ + (m/θ) n log m)}; {@link #exact(int[], int[])} picks the
 *       method per symbol from a cost model whose constants were measured;
 *   <li>{@link #atMost}: the {@code k}-bounded version {@code min(ham[i], k + 1)} by Landau–Vishkin
 *       kangaroo jumps: at most {@code k + 1} longest-common-extension queries per shift, answered
 *       in {@code O(1)} from a suffix array, LCP array and range-minimum structure over
 *       {@code P # T} (deterministic); {@code O(N log N + nk)} for {@code N = n + m + 1}.
 * </ul>
 */
public final class HammingDistances {
  /** Which transform {@link #correlation} uses. */
  public enum Transform {
    /** Double FFT while the window is at most {@code 2^21}, NTT beyond (or when a rounding guard trips). */
    AUTO,
    /** Radix-2 complex FFT in double precision; fails if a value is not within 0.25 of an integer. */
    FFT,
    /** Number-theoretic transform modulo 998244353 (window at most {@code 2^23}). */
    NTT
  }

  /** Windows up to this length use the double FFT under {@link Transform#AUTO}. */
  static final int FFT_MAX_WINDOW = 1 << 21;
  /** Direct comparisons tried before each LCE query of the kangaroo walk. */
  private static final int DIRECT_COMPARISONS = 8;
  /**
   * Cost-model constant of {@link #exact(int[], int[])}: time of one (text, pattern) pair of equal
   * symbols in the counting part relative to one unit of {@code L (log2 L + 4) / 2} per window of a
   * symbol's correlation. Measured on a 2-vCPU AMD EPYC (n = 10^6, m in {100, 1000, 10000}, σ in
   * {4, 26, 1000}): about 0.45 ns per pair against 1 to 3.4 ns per unit.
   */
  static final double PAIR_COST = 0.2;

  private HammingDistances() {}

  /** {@code ham[i] = #{j : P[j] != T[i+j]}} by the definition, {@code O(nm)}. */
  public static int[] naive(int[] text, int[] pattern) {
    check(text, pattern);
    int n = text.length;
    int m = pattern.length;
    int[] ham = new int[n - m + 1];
    for (int i = 0; i <= n - m; i++) {
      int count = 0;
      for (int j = 0; j < m; j++) {
        if (pattern[j] != text[i + j]) {
          count++;
        }
      }
      ham[i] = count;
    }
    return ham;
  }

  /** Exact distances; per symbol, correlation or pair counting, whichever the cost model says is cheaper. */
  public static int[] exact(int[] text, int[] pattern) {
    check(text, pattern);
    int[] match = matches(text, pattern, new PatternSymbols(text, pattern), -1, Transform.AUTO);
    return toHamming(match, pattern.length);
  }

  /**
   * Exact distances by Abrahamson's split: symbols occurring at least {@code threshold} times in
   * the pattern by correlation, the others by counting ({@code threshold = 1}: correlation only;
   * {@code threshold > m}: counting only).
   */
  public static int[] exact(int[] text, int[] pattern, int threshold) {
    check(text, pattern);
    BadInputException.requireAtLeast("threshold", threshold, 1);
    int[] match = matches(text, pattern, new PatternSymbols(text, pattern), threshold, Transform.AUTO);
    return toHamming(match, pattern.length);
  }

  /** Exact distances by Fischer–Paterson per-symbol correlation with the given transform. */
  public static int[] correlation(int[] text, int[] pattern, Transform transform) {
    check(text, pattern);
    if (transform == null) {
      throw BadInputException.of("transform", null, "one of " + java.util.Arrays.toString(Transform.values()));
    }
    if (transform == Transform.NTT
        && SymbolCorrelation.windowSize(text.length, pattern.length) > Ntt.MAX_SIZE) {
      throw BadInputException.of(
          "transform", transform, "FFT or AUTO for pattern.length = " + pattern.length
              + " (the NTT window is limited to 2^23)");
    }
    int[] match = matches(text, pattern, new PatternSymbols(text, pattern), 1, transform);
    return toHamming(match, pattern.length);
  }

  /** {@code match[i] = #{j : P[j] = T[i+j]} = m - ham[i]}, computed as {@link #exact(int[], int[])} does. */
  public static int[] matches(int[] text, int[] pattern) {
    check(text, pattern);
    return matches(text, pattern, new PatternSymbols(text, pattern), -1, Transform.AUTO);
  }

  /**
   * {@code min(ham[i], k + 1)} for every shift: a value {@code k + 1} means "more than {@code k}
   * mismatches". Kangaroo jumps over longest common extensions, at most {@code k + 1} per shift.
   */
  public static int[] atMost(int[] text, int[] pattern, int k) {
    check(text, pattern);
    BadInputException.requireAtLeast("k", k, 0);
    int n = text.length;
    int m = pattern.length;
    int bound = Math.min(k, m);
    PatternSymbols ps = new PatternSymbols(text, pattern);
    // P # T over dense ids: pattern symbols 2.., text symbols absent from P all 1, separator 0.
    int[] s = new int[n + m + 1];
    for (int j = 0; j < m; j++) {
      s[j] = ps.pattern[j] + 2;
    }
    s[m] = 0;
    for (int i = 0; i < n; i++) {
      s[m + 1 + i] = ps.text[i] + 2; // -1 (absent from P) becomes 1
    }
    SuffixLce lce = new SuffixLce(s, ps.count + 2);
    int base = m + 1;
    int[] ham = new int[n - m + 1];
    for (int i = 0; i <= n - m; i++) {
      int j = 0;
      int mismatches = 0;
      while (j < m) {
        int limit = Math.min(m, j + DIRECT_COMPARISONS);
        while (j < limit && pattern[j] == text[i + j]) {
          j++;
        }
        if (j == limit) {
          if (j == m) {
            break;
          }
          j += lce.lce(j, base + i + j);
          if (j >= m) {
            break;
          }
        }
        // pattern[j] != text[i + j]
        if (++mismatches > bound) {
          break;
        }
        j++;
      }
      ham[i] = mismatches;
    }
    return ham;
  }

  /** {@link #exact(int[], int[])} on the Unicode code points of two strings. */
  public static int[] exact(CharSequence text, CharSequence pattern) {
    return exact(symbols("text", text), symbols("pattern", pattern));
  }

  /** {@link #atMost(int[], int[], int)} on the Unicode code points of two strings. */
  public static int[] atMost(CharSequence text, CharSequence pattern, int k) {
    return atMost(symbols("text", text), symbols("pattern", pattern), k);
  }

  /** {@link #exact(int[], int[])} on bytes (as unsigned values). */
  public static int[] exact(byte[] text, byte[] pattern) {
    return exact(symbols("text", text), symbols("pattern", pattern));
  }

  /** {@link #atMost(int[], int[], int)} on bytes (as unsigned values). */
  public static int[] atMost(byte[] text, byte[] pattern, int k) {
    return atMost(symbols("text", text), symbols("pattern", pattern), k);
  }

  /** The code points of {@code s}. */
  public static int[] symbols(CharSequence s) {
    return symbols("s", s);
  }

  /** The bytes of {@code b} as values {@code 0..255}. */
  public static int[] symbols(byte[] b) {
    return symbols("b", b);
  }

  private static int[] symbols(String name, CharSequence s) {
    if (s == null) {
      throw BadInputException.of(name, null, "a character sequence");
    }
    return s.codePoints().toArray();
  }

  private static int[] symbols(String name, byte[] b) {
    if (b == null) {
      throw BadInputException.of(name, null, "a byte array");
    }
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }

  private static void check(int[] text, int[] pattern) {
    if (text == null) {
      throw BadInputException.of("text", null, "an array of symbols");
    }
    if (pattern == null) {
      throw BadInputException.of("pattern", null, "an array of symbols");
    }
    if (pattern.length == 0) {
      throw BadInputException.of("pattern.length", 0, "at least 1 (an empty pattern has no distances)");
    }
    if (pattern.length > text.length) {
      throw BadInputException.of(
          "pattern.length", pattern.length, "at most text.length = " + text.length);
    }
  }

  private static int[] toHamming(int[] match, int m) {
    for (int i = 0; i < match.length; i++) {
      match[i] = m - match[i];
    }
    return match;
  }

  /**
   * Match counts. {@code threshold > 0}: Abrahamson's rule (correlation iff the symbol occurs at
   * least {@code threshold} times in P); {@code threshold < 0}: per-symbol cost model.
   */
  private static int[] matches(
      int[] text, int[] pattern, PatternSymbols ps, int threshold, Transform transform) {
    int n = text.length;
    int m = pattern.length;
    int[] match = new int[n - m + 1];
    boolean transformable = m <= (1 << 28);
    int window = transformable ? SymbolCorrelation.windowSize(n, m) : 0;
    double windows = transformable ? Math.ceil((double) (n - m + 1) / (window - m + 1)) : 0;
    double correlationCost =
        windows * window * (Integer.numberOfTrailingZeros(Math.max(window, 1)) + 4) / 2.0;
    boolean[] correlated = new boolean[ps.count];
    int[] list = new int[ps.count];
    int count = 0;
    for (int a = 0; a < ps.count; a++) {
      boolean useCorrelation;
      if (!transformable) {
        useCorrelation = false;
      } else if (threshold > 0) {
        useCorrelation = ps.patternCount(a) >= threshold;
      } else {
        useCorrelation = PAIR_COST * ps.patternCount(a) * (double) ps.textCount[a] > correlationCost;
      }
      if (useCorrelation) {
        correlated[a] = true;
        list[count++] = a;
      }
    }
    if (count > 0) {
      boolean useFft =
          transform == Transform.FFT
              || (transform == Transform.AUTO && (window <= FFT_MAX_WINDOW || window > Ntt.MAX_SIZE));
      boolean done = false;
      if (useFft) {
        done = SymbolCorrelation.addFft(ps, list, count, n, m, match);
        if (!done && (transform == Transform.FFT || window > Ntt.MAX_SIZE)) {
          throw new ArithmeticException(
              "double FFT correlation not within " + SymbolCorrelation.ROUNDING_GUARD
                  + " of an integer (window " + window + "); use Transform.NTT or a shorter pattern");
        }
        if (!done) {
          java.util.Arrays.fill(match, 0);
        }
      }
      if (!done) {
        SymbolCorrelation.addNtt(ps, list, count, n, m, match);
      }
    }
    if (count < ps.count) {
      countPairs(ps, correlated, n, m, match);
    }
    return match;
  }

  /** Abrahamson's infrequent part: one increment per (text position, equal pattern position) pair. */
  private static void countPairs(PatternSymbols ps, boolean[] correlated, int n, int m, int[] match) {
    int[] text = ps.text;
    int[] start = ps.start;
    int[] positions = ps.positions;
    int last = n - m;
    for (int q = 0; q < n; q++) {
      int a = text[q];
      if (a < 0 || correlated[a]) {
        continue;
      }
      int end = start[a + 1];
      int p = start[a];
      // positions ascend, so the shift q - j descends: skip shifts past the end, stop below zero.
      while (p < end && q - positions[p] > last) {
        p++;
      }
      for (; p < end; p++) {
        int shift = q - positions[p];
        if (shift < 0) {
          break;
        }
        match[shift]++;
      }
    }
  }
}
