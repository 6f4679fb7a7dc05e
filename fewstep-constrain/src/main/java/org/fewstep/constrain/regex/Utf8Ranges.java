package org.fewstep.constrain.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * Code point ranges as sequences of byte ranges over their UTF-8 encodings. A range is first cut
 * where the encoded length changes (U+007F, U+07FF, U+FFFF) and around the surrogates
 * U+D800..U+DFFF (which have no UTF-8 encoding), then cut again until, for each continuation
 * position, the range either shares the leading bits above that position or covers every value
 * below it; such a range is exactly the product of its first and last code point's byte ranges. The
 * sequences accept the shortest (well-formed) encodings only, never overlongs or surrogates.
 */
final class Utf8Ranges {
  private Utf8Ranges() {}

  /** Each element is {@code [lo0, hi0, lo1, hi1, ...]}: one byte range per byte of the encoding. */
  static List<int[]> of(int[] codePoints) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < codePoints.length; i += 2) {
      split(codePoints[i], codePoints[i + 1], out);
    }
    return out;
  }

  private static void split(int lo, int hi, List<int[]> out) {
    if (lo > hi) {
      return;
    }
    if (lo <= 0xDFFF && hi >= 0xD800) {
      split(lo, 0xD7FF, out);
      split(0xE000, hi, out);
      return;
    }
    for (int max : new int[] {0x7F, 0x7FF, 0xFFFF}) {
      if (lo <= max && hi > max) {
        split(lo, max, out);
        split(max + 1, hi, out);
        return;
      }
    }
    int n = length(lo);
    products(lo, hi, 6, n, (a, b) -> {
      int[] x = encode(a);
      int[] y = encode(b);
      int[] seq = new int[2 * n];
      for (int i = 0; i < n; i++) {
        seq[2 * i] = x[i];
        seq[2 * i + 1] = y[i];
      }
      out.add(seq);
    });
  }

  /**
   * Cuts {@code [lo, hi]} into ranges that are products of one range per digit, digits being
   * {@code bits}-bit groups below the top one ({@code digits} in all): a range either shares the
   * leading digits above a position or covers every value below it. Each piece goes to {@code emit}
   * as its first and last value. UTF-8 continuation bytes are 6-bit digits, hex escapes 4-bit ones.
   */
  static void products(int lo, int hi, int bits, int digits, java.util.function.BiConsumer<Integer, Integer> emit) {
    for (int i = 1; i < digits; i++) {
      int m = (1 << (bits * i)) - 1;
      if ((lo & ~m) != (hi & ~m)) {
        if ((lo & m) != 0) {
          products(lo, lo | m, bits, digits, emit);
          products((lo | m) + 1, hi, bits, digits, emit);
          return;
        }
        if ((hi & m) != m) {
          products(lo, (hi & ~m) - 1, bits, digits, emit);
          products(hi & ~m, hi, bits, digits, emit);
          return;
        }
      }
    }
    emit.accept(lo, hi);
  }

  static int length(int cp) {
    return cp <= 0x7F ? 1 : cp <= 0x7FF ? 2 : cp <= 0xFFFF ? 3 : 4;
  }

  static int[] encode(int cp) {
    switch (length(cp)) {
      case 1:
        return new int[] {cp};
      case 2:
        return new int[] {0xC0 | cp >> 6, 0x80 | cp & 0x3F};
      case 3:
        return new int[] {0xE0 | cp >> 12, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F};
      default:
        return new int[] {0xF0 | cp >> 18, 0x80 | cp >> 12 & 0x3F, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F};
    }
  }
}
