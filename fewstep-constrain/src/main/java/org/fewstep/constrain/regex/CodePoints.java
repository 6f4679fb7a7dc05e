package org.fewstep.constrain.regex;

import java.util.Arrays;

/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges {@code [lo0, hi0,
 * lo1, hi1, ...]}, and the ECMAScript character class escapes over them.
 */
final class CodePoints {
  static final int MAX = 0x10FFFF;
  static final int[] EMPTY = {};
  static final int[] ANY = {0, MAX};
  static final int[] DIGIT = {'0', '9'};
  static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  /** ECMAScript {@code \s}: WhiteSpace (tab, VT, FF, space, NBSP, ZWNBSP, Zs) and LineTerminator. */
  static final int[] SPACE = normalize(new int[] {
      0x09, 0x0D, 0x20, 0x20, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029,
      0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF});
  /** ECMAScript {@code .} without the s flag: every code point but the line terminators. */
  static final int[] DOT = complement(new int[] {'\n', '\n', '\r', '\r', 0x2028, 0x2029});

  private CodePoints() {}

  static int[] single(int cp) {
    return new int[] {cp, cp};
  }

  /** Sorts and merges arbitrary (lo, hi) pairs (each lo <= hi). */
  static int[] normalize(int[] pairs) {
    int n = pairs.length / 2;
    if (n == 0) {
      return EMPTY;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = (long) pairs[2 * i] << 32 | pairs[2 * i + 1];
    }
    Arrays.sort(packed);
    int[] out = new int[2 * n];
    int k = 0;
    for (long p : packed) {
      int lo = (int) (p >>> 32);
      int hi = (int) p;
      if (k > 0 && lo <= out[k - 1] + 1) {
        out[k - 1] = Math.max(out[k - 1], hi);
      } else {
        out[k++] = lo;
        out[k++] = hi;
      }
    }
    return Arrays.copyOf(out, k);
  }

  static int[] union(int[] a, int[] b) {
    int[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return normalize(all);
  }

  /** The code points 0..U+10FFFF not in the (normalized) set. */
  static int[] complement(int[] set) {
    int[] out = new int[set.length + 2];
    int k = 0;
    int next = 0;
    for (int i = 0; i < set.length; i += 2) {
      if (set[i] > next) {
        out[k++] = next;
        out[k++] = set[i] - 1;
      }
      next = set[i + 1] + 1;
    }
    if (next <= MAX) {
      out[k++] = next;
      out[k++] = MAX;
    }
    return Arrays.copyOf(out, k);
  }
}
