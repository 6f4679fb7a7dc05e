package org.fewstep.constrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.constrain.regex.Regex;
import org.junit.jupiter.api.Test;

/**
 * The product of two regular expressions against java.util.regex (both must match), and the exact
 * dead state: a prefix is live exactly when some extension is in both languages (brute force over the
 * alphabet up to 4 more characters, enough for these patterns).
 */
class IntersectionTest {
  static final String[][] CASES = {
      // a, b, alphabet
      {"[^\"\\\\]*", ".{2,4}", "ab\"\\"},          // a JSON string's plain characters and a schema pattern
      {"(ab)*", "a(ba)*b|", "ab"},                  // the same language written twice
      {"a+b", "b+a", "ab"},                          // disjoint: the empty language
      {"[a-c]{3}", "a.*|.*c", "abcd"},
      {"(a|b)*", "[^b]*b[^b]*", "abc"},
  };

  static boolean accepts(ByteAutomaton m, String s) {
    int state = m.start();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (state == ByteAutomaton.DEAD) {
        return false;
      }
      state = m.step(state, c & 0xFF);
    }
    return state != ByteAutomaton.DEAD && m.accepting(state);
  }

  static boolean live(ByteAutomaton m, String s) {
    int state = m.start();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (state == ByteAutomaton.DEAD) {
        return false;
      }
      state = m.step(state, c & 0xFF);
    }
    return state != ByteAutomaton.DEAD;
  }

  static List<String> strings(String alphabet, int maxLength) {
    List<String> out = new ArrayList<>(List.of(""));
    for (int from = 0, length = 1; length <= maxLength; length++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet.toCharArray()) {
          out.add(out.get(i) + c);
        }
      }
      from = to;
    }
    return out;
  }

  @Test
  void acceptsWhatBothAcceptAndIsDeadExactlyWithoutACommonCompletion() {
    for (String[] c : CASES) {
      Intersection both = new Intersection(Regex.fullMatch(c[0]), Regex.fullMatch(c[1]));
      java.util.regex.Pattern pa = java.util.regex.Pattern.compile(c[0]);
      java.util.regex.Pattern pb = java.util.regex.Pattern.compile(c[1]);
      List<String> extensions = strings(c[2], 4);
      for (String s : strings(c[2], 4)) {
        boolean expected = pa.matcher(s).matches() && pb.matcher(s).matches();
        assertThat(accepts(both, s)).as("%s & %s on '%s'", c[0], c[1], s).isEqualTo(expected);
        boolean completable = false;
        for (String u : extensions) {
          if (pa.matcher(s + u).matches() && pb.matcher(s + u).matches()) {
            completable = true;
            break;
          }
        }
        assertThat(live(both, s)).as("%s & %s: '%s' live", c[0], c[1], s).isEqualTo(completable);
      }
    }
    assertThat(new Intersection(Regex.fullMatch("a+b"), Regex.fullMatch("b+a")).start()).isEqualTo(ByteAutomaton.DEAD);
  }
}
