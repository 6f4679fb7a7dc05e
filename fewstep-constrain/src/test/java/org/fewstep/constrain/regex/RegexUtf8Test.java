package org.fewstep.constrain.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fewstep.constrain.regex.Walks.acceptsBytes;

import org.fewstep.constrain.ByteAutomaton;
import org.junit.jupiter.api.Test;

/**
 * Classes over code points read as UTF-8: every code point against the class's definition, and
 * every child byte of every unfinished well-formed prefix against the table of well-formed
 * sequences (Unicode Standard, Table 3-7).
 */
class RegexUtf8Test {

  /** The byte ranges allowed at each position after lead byte {@code b0} (Table 3-7), or null. */
  static int[][] wellFormed(int b0) {
    if (b0 <= 0x7F) {
      return new int[][] {};
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      return new int[][] {{0x80, 0xBF}};
    }
    if (b0 == 0xE0) {
      return new int[][] {{0xA0, 0xBF}, {0x80, 0xBF}};
    }
    if (b0 >= 0xE1 && b0 <= 0xEC || b0 == 0xEE || b0 == 0xEF) {
      return new int[][] {{0x80, 0xBF}, {0x80, 0xBF}};
    }
    if (b0 == 0xED) {
      return new int[][] {{0x80, 0x9F}, {0x80, 0xBF}};
    }
    if (b0 == 0xF0) {
      return new int[][] {{0x90, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}};
    }
    if (b0 >= 0xF1 && b0 <= 0xF3) {
      return new int[][] {{0x80, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}};
    }
    if (b0 == 0xF4) {
      return new int[][] {{0x80, 0x8F}, {0x80, 0xBF}, {0x80, 0xBF}};
    }
    return null;
  }

  /** Whether {@code bytes[0..n)} starts (or is, {@code whole}) one well-formed code point. */
  static boolean wellFormedPrefix(int[] bytes, int n) {
    int[][] rest = wellFormed(bytes[0]);
    if (rest == null || n - 1 > rest.length) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      if (bytes[i] < rest[i - 1][0] || bytes[i] > rest[i - 1][1]) {
        return false;
      }
    }
    return true;
  }

  @Test
  void anyCodePointAcceptsExactlyTheWellFormedSequences() {
    ByteAutomaton any = Regex.fullMatch("[^]");
    int[] bytes = new int[4];
    int[] checked = {0};
    explore(any, any.start(), bytes, 0, checked);
    // every child of each unfinished well-formed prefix: the empty one, 51 lead bytes C2..F4, 960 + 256
    // two-byte prefixes of 3- and 4-byte forms, 256 * 64 three-byte prefixes of 4-byte forms
    assertThat(checked[0]).isEqualTo((1 + 51 + 960 + 256 + 256 * 64) * 256);
  }

  private void explore(ByteAutomaton a, int state, int[] bytes, int depth, int[] checked) {
    for (int b = 0; b < 256; b++) {
      bytes[depth] = b;
      int next = a.step(state, b);
      boolean live = wellFormedPrefix(bytes, depth + 1);
      checked[0]++;
      if ((next != ByteAutomaton.DEAD) != live) {
        throw new AssertionError(String.format("prefix %s: live %s, table says %s",
            hex(bytes, depth + 1), next != ByteAutomaton.DEAD, live));
      }
      if (live) {
        boolean whole = depth == wellFormed(bytes[0]).length;
        assertThat(a.accepting(next)).isEqualTo(whole);
        assertThat(a.mustEnd(next)).isEqualTo(whole);
        if (!whole) {
          explore(a, next, bytes, depth + 1, checked);
        }
      }
    }
  }

  private static String hex(int[] bytes, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02X ", bytes[i]));
    }
    return sb.toString().trim();
  }

  @Test
  void classesAcceptExactlyTheirCodePoints() {
    ByteAutomaton greek = Regex.fullMatch("[α-ω]");
    ByteAutomaton notA = Regex.fullMatch("[^a]");
    ByteAutomaton dot = Regex.fullMatch(".");
    ByteAutomaton word = Regex.fullMatch("[\\w€-₿😀]");
    for (int cp = 0; cp <= 0x10FFFF; cp++) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        continue;
      }
      String s = new String(Character.toChars(cp));
      assertThat(Walks.accepts(greek, s)).isEqualTo(cp >= 0x3B1 && cp <= 0x3C9);
      assertThat(Walks.accepts(notA, s)).isEqualTo(cp != 'a');
      assertThat(Walks.accepts(dot, s)).isEqualTo(cp != '\n' && cp != '\r' && cp != 0x2028 && cp != 0x2029);
      boolean w = cp < 128 && (Character.isLetterOrDigit(cp) || cp == '_') || cp >= 0x20AC && cp <= 0x20BF || cp == 0x1F600;
      assertThat(Walks.accepts(word, s)).as("U+%04X", cp).isEqualTo(w);
    }
  }

  @Test
  void invalidUtf8IsRejected() {
    for (ByteAutomaton a : new ByteAutomaton[] {Regex.fullMatch("[^a]"), Regex.fullMatch(".*"), Regex.search("")}) {
      assertThat(acceptsBytes(a, 0xC3, 0xA9)).isTrue(); // é
      assertThat(acceptsBytes(a, 0x80)).isFalse(); // lone continuation byte
      assertThat(acceptsBytes(a, 0xC3)).isFalse(); // truncated
      assertThat(acceptsBytes(a, 0xC0, 0xAF)).isFalse(); // overlong '/'
      assertThat(acceptsBytes(a, 0xE0, 0x80, 0xAF)).isFalse(); // overlong '/'
      assertThat(acceptsBytes(a, 0xF0, 0x80, 0x80, 0xAF)).isFalse(); // overlong '/'
      assertThat(acceptsBytes(a, 0xED, 0xA0, 0x80)).isFalse(); // surrogate U+D800
      assertThat(acceptsBytes(a, 0xED, 0xBF, 0xBF)).isFalse(); // surrogate U+DFFF
      assertThat(acceptsBytes(a, 0xF4, 0x90, 0x80, 0x80)).isFalse(); // U+110000
      assertThat(acceptsBytes(a, 0xFF)).isFalse();
      assertThat(acceptsBytes(a, 0xF0, 0x9F, 0x98, 0x80)).isTrue(); // 😀
      // the DFA rejects at the first byte that cannot continue
      assertThat(a.step(a.start(), 0x80)).isEqualTo(ByteAutomaton.DEAD);
      assertThat(a.step(a.step(a.start(), 0xED), 0xA0)).isEqualTo(ByteAutomaton.DEAD);
      assertThat(a.step(a.start(), 0xC0)).isEqualTo(ByteAutomaton.DEAD);
    }
  }
}
