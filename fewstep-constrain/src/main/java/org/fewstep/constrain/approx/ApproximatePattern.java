package org.fewstep.constrain.approx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.core.BadInputException;

/**
 * Text within {@code k} mismatches of a pattern, counted per byte (Hamming distance, the measure of
 * {@link HammingDistances}; per character for ASCII):
 * <ul>
 *   <li>{@link #whole}: the text has the pattern's length and differs from it in at most {@code k}
 *       bytes, a fuzzy template. State (i, e): i bytes read, e of them mismatched; every state is
 *       live (the rest of the pattern finishes it).
 *   <li>{@link #contains}: some window of the text does, {@code ham[i] <= k} for a shift i. States
 *       are the sets of open alignments (start offset, mismatches so far), made lazily as a DFA
 *       (each byte opens an alignment and extends the others, dropping those over {@code k}); once
 *       an alignment reaches the pattern's end the text is accepted for good.
 * </ul>
 * Safe for concurrent use (states are made under a lock and read through an immutable snapshot).
 */
public final class ApproximatePattern implements ByteAutomaton {
  /** The most states {@link #contains} makes before a step throws. */
  public static final int MAX_STATES = 200_000;

  private final byte[] pattern;
  private final int k;
  private final boolean whole;
  private final String description;
  // contains: state ids of alignment vectors (mismatches per matched length 1..m-1, or -1), and the found state
  private final Map<List<Integer>, Integer> ids = new HashMap<>();
  private final List<int[]> vectors = new ArrayList<>();
  private final Map<Long, Integer> steps = new HashMap<>();
  private static final int FOUND = 0;

  private ApproximatePattern(String pattern, int k, boolean whole) {
    if (pattern == null || pattern.isEmpty()) {
      throw BadInputException.of("pattern", pattern == null ? null : "\"\"", "a non-empty text");
    }
    this.pattern = pattern.getBytes(StandardCharsets.UTF_8);
    this.k = BadInputException.requireAtLeast("mismatches", k, 0);
    this.whole = whole;
    this.description = (whole ? "near:" : "contains-near:") + pattern + "~" + k;
    if (!whole) {
      vectors.add(null); // FOUND
      int[] none = new int[this.pattern.length];
      Arrays.fill(none, -1);
      id(none);
    }
  }

  /** Texts of the pattern's length with at most {@code k} mismatching bytes. */
  public static ApproximatePattern whole(String pattern, int k) {
    return new ApproximatePattern(pattern, k, true);
  }

  /** Texts with a window of at most {@code k} mismatching bytes against the pattern. */
  public static ApproximatePattern contains(String pattern, int k) {
    return new ApproximatePattern(pattern, k, false);
  }

  @Override
  public int start() {
    return whole ? 0 : 1;
  }

  @Override
  public int step(int state, int b) {
    int m = pattern.length;
    if (whole) {
      int i = state / (k + 1);
      int e = state % (k + 1) + (pattern[Math.min(i, m - 1)] == (byte) b ? 0 : 1);
      return i >= m || e > k ? DEAD : (i + 1) * (k + 1) + e;
    }
    if (state == FOUND) {
      return FOUND;
    }
    synchronized (this) {
      long key = (long) state << 8 | b;
      Integer known = steps.get(key);
      if (known != null) {
        return known;
      }
      // v[j] = mismatches of the alignment that has matched j bytes (1 <= j < m), -1 if none
      int[] v = vectors.get(state);
      int[] w = new int[m];
      Arrays.fill(w, -1);
      boolean found = false;
      for (int j = 0; j < m; j++) { // alignments with j bytes behind them (j = 0: the one this byte opens)
        int e = j == 0 ? 0 : v[j];
        if (e < 0) {
          continue;
        }
        e += pattern[j] == (byte) b ? 0 : 1;
        if (e > k) {
          continue;
        }
        if (j + 1 == m) {
          found = true;
        } else if (w[j + 1] < 0 || e < w[j + 1]) {
          w[j + 1] = e;
        }
      }
      int next = found ? FOUND : id(w);
      steps.put(key, next);
      return next;
    }
  }

  private int id(int[] v) {
    List<Integer> key = Arrays.stream(v).boxed().toList();
    Integer known = ids.get(key);
    if (known != null) {
      return known;
    }
    if (vectors.size() >= MAX_STATES) {
      throw BadInputException.of("approximate pattern " + description, "more than " + MAX_STATES + " states",
          "a shorter pattern or fewer mismatches");
    }
    vectors.add(v);
    ids.put(key, vectors.size() - 1);
    return vectors.size() - 1;
  }

  @Override
  public boolean accepting(int state) {
    return whole ? state / (k + 1) == pattern.length : state == FOUND;
  }

  @Override
  public boolean mustEnd(int state) {
    return whole && accepting(state);
  }

  @Override
  public String describe() {
    return description;
  }
}
