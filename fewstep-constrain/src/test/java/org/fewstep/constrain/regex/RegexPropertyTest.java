package org.fewstep.constrain.regex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.fewstep.constrain.ByteAutomaton;

/**
 * Random patterns over a tiny alphabet against java.util.regex on every string of up to
 * {@value #MAX_LENGTH} letters: acceptance for full match and search, and the prefix property on
 * every byte prefix (inside code points too). A live prefix must have a continuation that the
 * automaton's own BFS finds and that decodes to text java.util.regex accepts; a prefix of a string
 * that java.util.regex accepts must be live. Then random code point ranges against the range test.
 */
class RegexPropertyTest {
  /** a, b and two multi-byte letters mentioned by the patterns, z standing for every other code point. */
  static final String[] LETTERS = {"a", "b", "é", "😀", "z"};
  static final int MAX_LENGTH = 4;
  static final List<String> STRINGS = strings();

  static List<String> strings() {
    List<String> out = new ArrayList<>();
    out.add("");
    for (int from = 0, len = 1; len <= MAX_LENGTH; len++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (String l : LETTERS) {
          out.add(out.get(i) + l);
        }
      }
      from = to;
    }
    return out;
  }

  @Provide
  Arbitrary<String> patterns() {
    return pattern(3);
  }

  private Arbitrary<String> pattern(int depth) {
    Arbitrary<String> atom = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("a", "b", "é", "😀", "[ab]", "[^a]", "[a-b]", "[é😀]", "[^é😀]", ".", "[^]")),
        Tuple.of(1, Arbitraries.of("^", "$", "(?:)")));
    if (depth == 0) {
      return atom;
    }
    Arbitrary<String> sub = Arbitraries.lazy(() -> pattern(depth - 1));
    Arbitrary<String> quantifier = Arbitraries.of("*", "+", "?", "*?", "+?", "{2}", "{0,2}", "{1,}", "{1,3}?", "{0}");
    return Arbitraries.frequencyOf(
        Tuple.of(3, atom),
        Tuple.of(3, Combinators.combine(sub, sub).as((x, y) -> x + y)),
        Tuple.of(2, Combinators.combine(sub, sub).as((x, y) -> "(?:" + x + "|" + y + ")")),
        Tuple.of(2, Combinators.combine(sub, quantifier).as((x, q) -> "(?:" + x + ")" + q)));
  }

  @Property(tries = 250, seed = "4242")
  void agreesWithJavaRegexAndEveryLivePrefixCanBeFinished(@ForAll("patterns") String pattern) {
    // Java's $ also matches before a final line terminator; the alphabet has none
    Pattern java = Pattern.compile(pattern.replace("[^]", "[\\s\\S]"));
    check(Regex.fullMatch(pattern), pattern, s -> java.matcher(s).matches());
    check(Regex.search(pattern), pattern, s -> java.matcher(s).find());
  }

  private static void check(ByteAutomaton a, String pattern, java.util.function.Predicate<String> oracle) {
    Set<String> livePrefixes = new HashSet<>(); // byte prefixes (ISO-8859-1 view) of accepted strings
    List<byte[]> all = new ArrayList<>();
    for (String s : STRINGS) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      all.add(bytes);
      boolean expected = oracle.test(s);
      int state = Walks.walk(a, bytes);
      assertThat(state != ByteAutomaton.DEAD && a.accepting(state)).as("/%s/ on '%s'", pattern, s).isEqualTo(expected);
      if (expected) {
        for (int i = 0; i <= bytes.length; i++) {
          livePrefixes.add(new String(bytes, 0, i, StandardCharsets.ISO_8859_1));
        }
      }
    }
    Set<String> seen = new HashSet<>();
    java.util.Map<Integer, byte[]> completions = new java.util.HashMap<>();
    for (byte[] bytes : all) {
      int state = a.start();
      for (int i = 0; i <= bytes.length; i++) {
        String key = new String(bytes, 0, i, StandardCharsets.ISO_8859_1);
        boolean live = state != ByteAutomaton.DEAD;
        if (livePrefixes.contains(key)) {
          assertThat(live).as("/%s/: prefix of an accepted string, bytes %s", pattern, key).isTrue();
        }
        if (live && seen.add(key)) {
          byte[] rest = completions.computeIfAbsent(state, st -> Walks.completion(a, st));
          assertThat(rest).as("/%s/: live state %d has a continuation", pattern, state).isNotNull();
          String text = Walks.decode(Walks.concat(java.util.Arrays.copyOf(bytes, i), rest));
          assertThat(text).as("/%s/: valid UTF-8", pattern).isNotNull();
          assertThat(oracle.test(text)).as("/%s/ on the completion '%s'", pattern, text).isTrue();
          assertThat(a.mustEnd(state)).isEqualTo(a.accepting(state) && !anyLiveByte(a, state));
        }
        if (!live || i == bytes.length) {
          break;
        }
        state = a.step(state, bytes[i] & 0xFF);
      }
    }
  }

  private static boolean anyLiveByte(ByteAutomaton a, int state) {
    for (int b = 0; b < 256; b++) {
      if (a.step(state, b) != ByteAutomaton.DEAD) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 300, seed = "777")
  void codePointRangesAcceptExactlyTheirCodePoints(@ForAll @IntRange(min = 0, max = 0x10FFFF) int x,
      @ForAll @IntRange(min = 0, max = 0x10FFFF) int y, @ForAll @IntRange(min = 0, max = 0x10FFFF) int probe) {
    int lo = Math.min(x, y);
    int hi = Math.max(x, y);
    if (isSurrogate(lo) || isSurrogate(hi)) {
      return; // a lone surrogate escape is refused (see RegexErrorsTest)
    }
    String pattern = String.format("[\\u{%X}-\\u{%X}]", lo, hi);
    ByteAutomaton in = Regex.fullMatch(pattern);
    ByteAutomaton out = Regex.fullMatch("[^" + pattern.substring(1));
    int[] probes = {lo, hi, lo - 1, hi + 1, probe, (lo + hi) >>> 1, 0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000,
        0x10FFFF, 0xD7FF, 0xE000};
    for (int cp : probes) {
      if (cp < 0 || cp > 0x10FFFF || isSurrogate(cp)) {
        continue;
      }
      String s = new String(Character.toChars(cp));
      boolean inside = lo <= cp && cp <= hi;
      assertThat(Walks.accepts(in, s)).as("%s on U+%04X", pattern, cp).isEqualTo(inside);
      assertThat(Walks.accepts(out, s)).as("negated %s on U+%04X", pattern, cp).isEqualTo(!inside);
    }
  }

  private static boolean isSurrogate(int cp) {
    return cp >= 0xD800 && cp <= 0xDFFF;
  }
}
