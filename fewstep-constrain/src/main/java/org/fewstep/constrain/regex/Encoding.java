package org.fewstep.constrain.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * How a set of code points is written as bytes: each way of writing one code point of the set is a
 * sequence of byte positions, each position a set of byte ranges {@code [lo0, hi0, lo1, hi1, ...]}.
 * {@link #UTF8} is plain text; {@link #JSON_STRING} is the inside of a JSON string literal (RFC 8259,
 * section 7), where a character may also be escaped.
 */
enum Encoding {
  /** Shortest-form UTF-8, no surrogates ({@link Utf8Ranges}). */
  UTF8 {
    @Override
    List<int[][]> sequences(int[] set) {
      List<int[][]> out = new ArrayList<>();
      for (int[] seq : Utf8Ranges.of(set)) {
        out.add(positions(seq));
      }
      return out;
    }
  },
  /**
   * A character between the quotes of a JSON string: as itself in UTF-8 unless it is a quote, a
   * backslash or a control character (below U+0020); as a two-character escape ({@code \" \\ \/ \b \f
   * \n \r \t}); or as {@code \}{@code uXXXX} with hex digits of either case, for any code point of the
   * Basic Multilingual Plane except the surrogates (pairs of escaped surrogates are not read).
   */
  JSON_STRING {
    @Override
    List<int[][]> sequences(int[] set) {
      List<int[][]> out = UTF8.sequences(intersect(set, RAW));
      for (int i = 0; i < SHORT.length; i += 2) {
        if (contains(set, SHORT[i])) {
          out.add(new int[][] {{'\\', '\\'}, {SHORT[i + 1], SHORT[i + 1]}});
        }
      }
      int[] bmp = intersect(set, BMP);
      for (int i = 0; i < bmp.length; i += 2) {
        hex(bmp[i], bmp[i + 1], out);
      }
      return out;
    }
  };

  /** The code points written as themselves inside a JSON string. */
  private static final int[] RAW = {0x20, 0x21, 0x23, 0x5B, 0x5D, CodePoints.MAX};
  /** Code point, then the letter of its two-character escape. */
  private static final int[] SHORT = {'"', '"', '\\', '\\', '/', '/', 0x08, 'b', 0x0C, 'f', '\n', 'n', '\r', 'r', '\t', 't'};
  private static final int[] BMP = {0, 0xD7FF, 0xE000, 0xFFFF};

  /** The ways to write one code point of {@code set} (normalized ranges, see {@link CodePoints}). */
  abstract List<int[][]> sequences(int[] set);

  private static int[][] positions(int[] seq) {
    int[][] p = new int[seq.length / 2][];
    for (int j = 0; j < p.length; j++) {
      p[j] = new int[] {seq[2 * j], seq[2 * j + 1]};
    }
    return p;
  }

  /**
   * {@code \}{@code u} escapes of {@code [lo, hi]}: the range is cut until each piece is a product of
   * one range per hex digit (as {@link Utf8Ranges} cuts at 6-bit groups), each digit range then
   * written in 0-9, a-f and A-F.
   */
  private static void hex(int lo, int hi, List<int[][]> out) {
    Utf8Ranges.products(lo, hi, 4, 4, (a, b) -> {
      int[][] p = new int[6][];
      p[0] = new int[] {'\\', '\\'};
      p[1] = new int[] {'u', 'u'};
      for (int j = 0; j < 4; j++) {
        int shift = 4 * (3 - j);
        p[2 + j] = hexDigits(a >> shift & 0xF, b >> shift & 0xF);
      }
      out.add(p);
    });
  }

  /** The bytes of the hex digits with values {@code a..b}, both letter cases. */
  private static int[] hexDigits(int a, int b) {
    List<Integer> r = new ArrayList<>();
    if (a <= 9) {
      r.add('0' + a);
      r.add('0' + Math.min(b, 9));
    }
    if (b >= 10) {
      int from = Math.max(a, 10) - 10;
      int to = b - 10;
      r.add('A' + from);
      r.add('A' + to);
      r.add('a' + from);
      r.add('a' + to);
    }
    return r.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean contains(int[] set, int cp) {
    for (int i = 0; i < set.length; i += 2) {
      if (cp >= set[i] && cp <= set[i + 1]) {
        return true;
      }
    }
    return false;
  }

  private static int[] intersect(int[] a, int[] b) {
    return CodePoints.complement(CodePoints.union(CodePoints.complement(a), CodePoints.complement(b)));
  }
}
