package org.fewstep.constrain.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** Unsupported and malformed patterns: a BadInputException naming the pattern and the offset. */
class RegexErrorsTest {
  static final Object[][] UNSUPPORTED = {
      {"a(?=b)", 1, "lookahead"}, {"(?!x)", 0, "lookahead"}, {"(?<=a)b", 0, "lookbehind"}, {"x(?<!a)b", 1, "lookbehind"},
      {"a\\b", 1, "word boundary"}, {"\\Bx", 0, "\\B"}, {"(a)\\1", 3, "backreference"}, {"(?<n>a)\\k<n>", 7, "backreference"},
      {"\\p{L}", 0, "property"}, {"[\\P{L}]", 1, "property"}, {"(?i)a", 0, "modifier"}, {"a(?s:.)", 1, "modifier"},
      {"\\01", 0, "octal"},
  };
  static final Object[][] MALFORMED = {
      {"(ab", 0, "balanced"}, {"a(b(c)", 1, "balanced"}, {"ab)", 2, "balanced"}, {"[z-a]", 1, "range"},
      {"*a", 0, "nothing before"}, {"a|+b", 2, "nothing before"}, {"(?:?)", 3, "nothing before"}, {"a{3,2}", 1, "n <= m"},
      {"a**", 2, "one quantifier"}, {"^*", 1, "anchor"}, {"[abc", 0, "class"}, {"x{", 1, "quantifier"},
      {"x{,3}", 1, "quantifier"}, {"{3}", 0, "nothing before"}, {"\\", 0, "after '\\'"}, {"\\x4", 0, "hex"},
      {"\\u12", 0, "hex"}, {"\\u{110000}", 0, "10FFFF"}, {"\\u{}", 0, "10FFFF"}, {"\\uD800", 0, "surrogate"},
      {"[a-\\uDFFF]", 3, "surrogate"}, {"[\\d-z]", 1, "range"}, {"\\q", 0, "unknown escape"}, {"(?<>a)", 0, "name"},
      {"(?<a-b>x)", 4, "name"}, {"\\c1", 0, "control"}, {"a\uD800", 1, "surrogate"},
  };

  @Test
  void unsupportedFeaturesNameThePatternTheOffsetAndWhatIsSupported() {
    for (Object[] c : UNSUPPORTED) {
      String p = (String) c[0];
      for (boolean search : new boolean[] {false, true}) {
        assertThatThrownBy(() -> Regex.compile(p, search, 10)).as(p).isInstanceOf(BadInputException.class)
            .hasMessageContaining("pattern = " + Parser.quote(p))
            .hasMessageContaining("at offset " + c[1] + ":")
            .hasMessageContaining((String) c[2])
            .hasMessageContaining("is not supported")
            .hasMessageContaining("quantifiers * + ? {n} {n,} {n,m}");
      }
    }
  }

  @Test
  void malformedPatternsNameThePatternAndTheOffset() {
    for (Object[] c : MALFORMED) {
      String p = (String) c[0];
      assertThatThrownBy(() -> Regex.fullMatch(p)).as(p).isInstanceOf(BadInputException.class)
          .hasMessageContaining("pattern = " + Parser.quote(p))
          .hasMessageContaining("at offset " + c[1] + ":")
          .hasMessageContaining((String) c[2]);
    }
    assertThatThrownBy(() -> Regex.fullMatch(null)).isInstanceOf(BadInputException.class).hasMessageContaining("pattern");
  }

  @Test
  void oversizedPatternsAndAutomataAreRefusedNamingThePattern() {
    assertThatThrownBy(() -> Regex.fullMatch("(?:a{1000}){1000}")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("(?:a{1000}){1000}").hasMessageContaining("NFA nodes");
    // 2^13 states for the last 13 letters read: over a cap of 500, a walk must throw
    String p = "(a|b)*a(a|b){12}";
    ByteAutomaton capped = Regex.compile(p, false, 500);
    java.util.Random random = new java.util.Random(7);
    assertThatThrownBy(() -> {
      int s = capped.start();
      for (int i = 0; i < 100_000; i++) {
        s = capped.step(s, random.nextBoolean() ? 'a' : 'b');
      }
    }).isInstanceOf(BadInputException.class).hasMessageContaining(Parser.quote(p)).hasMessageContaining("500 DFA states");
    // the default cap is far above it
    ByteAutomaton a = Regex.fullMatch(p);
    StringBuilder text = new StringBuilder();
    int s = a.start();
    for (int i = 0; i < 20_000; i++) {
      char c = random.nextBoolean() ? 'a' : 'b';
      text.append(c);
      s = a.step(s, c);
      if (i % 97 == 0) {
        // the language: the 13th letter from the end is an a
        assertThat(a.accepting(s)).isEqualTo(text.length() >= 13 && text.charAt(text.length() - 13) == 'a');
      }
    }
    assertThat(((LazyDfa) a).stateCount()).isLessThanOrEqualTo(1 << 14);
    assertThatThrownBy(() -> a.step(a.start(), 256)).isInstanceOf(BadInputException.class).hasMessageContaining("byte");
    assertThatThrownBy(() -> a.accepting(1 << 20)).isInstanceOf(BadInputException.class).hasMessageContaining("state");
  }
}
