package org.fewstep.constrain.regex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fewstep.constrain.regex.Walks.accepts;
import static org.fewstep.constrain.regex.Walks.walk;

import java.util.regex.Pattern;
import org.fewstep.constrain.ByteAutomaton;
import org.junit.jupiter.api.Test;

/**
 * Hand-picked patterns against java.util.regex on the subset where ECMAScript and Java agree, then
 * the ECMAScript meanings where they differ, JSON Schema search semantics and {@code mustEnd}.
 */
class RegexAgreementTest {
  static final String[] PATTERNS = {
      "abc", "a|b|c", "(ab)*", "a+b?c{2,3}", "[a-z]+[0-9]{2}", "[^abc]*", "(?:x|yz){2,}", "\\d+(\\.\\d+)?",
      "\\w+@\\w+\\.com", "[A-Fa-f0-9]{4}", ".*", "a.c", "é+", "[à-ÿ]+", "€\\d+", "😀+", "[😀-😂]", "[^é]", ".", "..",
      "x*?y", "a{0}", "a{2}", "a{1,}", "a{1,}?b", "(a|ab)(c|bcd)(d*)", "[\\u00e0-\\u00ff]+", "\\x41\\x2d", "\\u20AC",
      "\\S+", "\\D\\W", "^abc$", "^(?:a|b)+$", "[-a]", "[a-]", "[\\]]+", "\\.\\*\\(\\)", "a|", "|a", "()", "(|a)+",
      "(a*)*", "(a*)+b", "[\\d\\w]-", "\\t\\n", "(?<word>[a-z]+)-(?<num>\\d)", "a^b", "(^a|b)c", "a$|b", "(?:a$)*",
      "[^\\x00-\\x7f]+", "[\\w&&]", "\\$\\^", "a{3,}", "(?:[a-c]{1,2}){2,3}", "[é€😀]{2}", "[^😀]+", ".+😀.?",
  };
  static final String[] STRINGS = {
      "", "a", "b", "c", "ab", "abab", "abc", "abcc", "abccc", "abcccc", "aa", "aaa", "aaab", "x", "y", "xy", "xxy",
      "xyz", "yzyz", "xyzx", "12", "1.5", "1.", "ab12", "é", "éé", "e", "€12", "€", "😀", "😀😀", "😁", "😃", "😂", "à",
      "ÿ", "àÿ", "A", "AF09", "af0g", "a.c", "abc\n", "\n", "\t\n", "a-", "-", "]", "]]", ".*()", "*", "()", "foo@bar.com",
      "foo@bar.org", "x y", "ü", "A-", "ab-3", "ac", "bc", "xac", "xbc", "a$", "$^", "abcd", "abcbcd", "é€", "😀é",
      "a😀", "x😀y", "ñandú", "aaaa", "abcabc", "日本語",
  };

  /** Java's {@code $} also matches before a final line terminator: use {@code \z} there. */
  static Pattern java(String ecma) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\') {
        out.append(c).append(ecma.charAt(++i));
      } else {
        out.append(c == '$' ? "\\z" : String.valueOf(c));
      }
    }
    return Pattern.compile(out.toString());
  }

  @Test
  void fullMatchAndSearchAgreeWithJavaRegex() {
    int accepted = 0;
    int rejected = 0;
    for (String p : PATTERNS) {
      ByteAutomaton full = Regex.fullMatch(p);
      ByteAutomaton search = Regex.search(p);
      Pattern j = java(p);
      for (String s : STRINGS) {
        boolean expected = j.matcher(s).matches();
        assertThat(accepts(full, s)).as("fullMatch /%s/ on '%s'", p, s).isEqualTo(expected);
        assertThat(accepts(search, s)).as("search /%s/ on '%s'", p, s).isEqualTo(j.matcher(s).find());
        accepted += expected ? 1 : 0;
        rejected += expected ? 0 : 1;
      }
    }
    assertThat(accepted).isGreaterThan(150);
    assertThat(rejected).isGreaterThan(150);
  }

  @Test
  void ecmaScriptMeaningsWhereJavaDiffers() {
    assertThat(accepts(Regex.fullMatch("."), "\u0085")).isTrue(); // Java's . refuses NEL
    assertThat(accepts(Regex.fullMatch("."), "\u2028")).isFalse();
    assertThat(accepts(Regex.fullMatch("."), "\r")).isFalse();
    for (String space : new String[] {" ", "\t", "\n", "\u000b", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u200a",
        "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"}) {
      assertThat(accepts(Regex.fullMatch("\\s"), space)).as("\\s on U+%04X", (int) space.charAt(0)).isTrue();
      assertThat(accepts(Regex.fullMatch("\\S"), space)).isFalse();
    }
    assertThat(accepts(Regex.fullMatch("\\s"), "\u200b")).isFalse();
    assertThat(accepts(Regex.fullMatch("\\s"), "\u0085")).isFalse();
    assertThat(accepts(Regex.fullMatch("\\v"), "\u000b")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\v"), "\n")).isFalse(); // Java's \v is a class
    assertThat(Regex.fullMatch("[]").start()).isEqualTo(ByteAutomaton.DEAD);
    ByteAutomaton never = Regex.fullMatch("a[]|b");
    assertThat(never.step(never.start(), 'a')).isEqualTo(ByteAutomaton.DEAD);
    assertThat(accepts(Regex.fullMatch("[^]"), "\n")).isTrue();
    assertThat(accepts(Regex.fullMatch("[^]"), "😀")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\u{1F600}\\u{e9}"), "😀é")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\uD83D\\uDE00"), "😀")).isTrue();
    assertThat(accepts(Regex.fullMatch("[\\uD83D\\uDE00-\\uD83D\\uDE02]"), "😁")).isTrue();
    assertThat(accepts(Regex.fullMatch("[\\b]"), "\b")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\cJ\\ci"), "\n\t")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\0"), "\0")).isTrue();
    assertThat(accepts(Regex.fullMatch("\\-\\/\\:"), "-/:")).isTrue();
    assertThat(accepts(Regex.fullMatch("a]}"), "a]}")).isTrue();
    assertThat(accepts(Regex.fullMatch("[[a]"), "[")).isTrue(); // '[' is literal inside a class
    assertThat(accepts(Regex.fullMatch("a{2,3}?"), "aaa")).isTrue(); // lazy: same language
    assertThat(accepts(Regex.fullMatch("a{2,3}?"), "aaaa")).isFalse();
  }

  @Test
  void jsonSchemaPatternsAreUnanchored() {
    assertThat(accepts(Regex.search("a+"), "xxaay")).isTrue();
    assertThat(accepts(Regex.search("a+"), "xxy")).isFalse();
    assertThat(accepts(Regex.search("^a+$"), "xxaay")).isFalse();
    assertThat(accepts(Regex.search("^a+$"), "aaa")).isTrue();
    assertThat(accepts(Regex.search("^a+"), "aay")).isTrue();
    assertThat(accepts(Regex.search("^a+"), "yaa")).isFalse();
    assertThat(accepts(Regex.search("a+$"), "yaa")).isTrue();
    assertThat(accepts(Regex.search("a+$"), "aay")).isFalse();
    assertThat(accepts(Regex.search(""), "anything €")).isTrue();
    assertThat(accepts(Regex.fullMatch("a+"), "xxaay")).isFalse();
    // search automata read valid UTF-8 only, like full matches
    assertThat(Walks.acceptsBytes(Regex.search("a"), 'a', 0xC0, 0xAF)).isFalse();
    assertThat(Regex.search("a").describe()).isEqualTo("search:a");
    assertThat(Regex.fullMatch("a").describe()).isEqualTo("regex:a");
  }

  @Test
  void mustEndWhenOnlyTheEndCanFollow() {
    ByteAutomaton abc = Regex.fullMatch("abc");
    assertThat(abc.mustEnd(walk(abc, "abc"))).isTrue();
    assertThat(abc.mustEnd(walk(abc, "ab"))).isFalse();
    ByteAutomaton plus = Regex.fullMatch("a+");
    assertThat(plus.mustEnd(walk(plus, "aaa"))).isFalse();
    assertThat(plus.accepting(walk(plus, "aaa"))).isTrue();
    ByteAutomaton dollar = Regex.fullMatch("a$b?"); // b cannot follow the end: only "a"
    assertThat(dollar.mustEnd(walk(dollar, "a"))).isTrue();
    ByteAutomaton search = Regex.search("abc");
    assertThat(search.mustEnd(walk(search, "abc"))).isFalse();
    ByteAutomaton anchored = Regex.search("^abc$");
    assertThat(anchored.mustEnd(walk(anchored, "abc"))).isTrue();
    ByteAutomaton empty = Regex.fullMatch("^$");
    assertThat(empty.accepting(empty.start())).isTrue();
    assertThat(empty.mustEnd(empty.start())).isTrue();
    ByteAutomaton opt = Regex.fullMatch("é?");
    int mid = opt.step(opt.start(), 0xC3); // inside é: live, not accepting
    assertThat(mid).isNotEqualTo(ByteAutomaton.DEAD);
    assertThat(opt.accepting(mid)).isFalse();
    assertThat(opt.mustEnd(opt.step(mid, 0xA9))).isTrue();
  }
}
