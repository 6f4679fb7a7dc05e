package org.fewstep.constrain.approx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.fewstep.constrain.ByteAutomaton;
import org.junit.jupiter.api.Test;

/**
 * The approximate-pattern automata against {@link HammingDistances#naive}: on every text over a
 * three-letter alphabet up to length 7 and random longer ones (fixed seed), {@code whole} accepts
 * exactly the texts of the pattern's length within k mismatches and dies exactly when a prefix is past
 * k or too long; {@code contains} accepts exactly the texts with a shift of distance at most k.
 */
class ApproximatePatternTest {
  static int bestShift(String text, String pattern) {
    if (text.length() < pattern.length()) {
      return Integer.MAX_VALUE;
    }
    int best = Integer.MAX_VALUE;
    for (int h : HammingDistances.naive(HammingDistances.symbols(text), HammingDistances.symbols(pattern))) {
      best = Math.min(best, h);
    }
    return best;
  }

  static void texts(String prefix, int max, java.util.function.Consumer<String> out) {
    out.accept(prefix);
    if (prefix.length() < max) {
      for (char c : new char[] {'a', 'b', 'c'}) {
        texts(prefix + c, max, out);
      }
    }
  }

  @Test
  void wholeAcceptsExactlyTheTextsWithinKMismatchesAndDiesExactly() {
    for (String pattern : new String[] {"abca", "b", "aab"}) {
      for (int k = 0; k <= 2; k++) {
        ApproximatePattern a = ApproximatePattern.whole(pattern, k);
        int kk = k;
        texts("", 6, t -> {
          int s = a.walk(t.getBytes(StandardCharsets.UTF_8));
          int prefixMismatches = 0;
          for (int i = 0; i < Math.min(t.length(), pattern.length()); i++) {
            prefixMismatches += t.charAt(i) == pattern.charAt(i) ? 0 : 1;
          }
          boolean live = t.length() <= pattern.length() && prefixMismatches <= kk;
          assertThat(s != ByteAutomaton.DEAD).as("%s ~%d live on %s", pattern, kk, t).isEqualTo(live);
          boolean accepted = live && t.length() == pattern.length();
          assertThat(live && a.accepting(s)).as("%s ~%d accepts %s", pattern, kk, t).isEqualTo(accepted);
          if (accepted) {
            assertThat(bestShift(t, pattern)).isLessThanOrEqualTo(kk);
            assertThat(a.mustEnd(s)).isTrue();
          }
        });
      }
    }
  }

  @Test
  void containsAcceptsExactlyTheTextsWithAShiftWithinK() {
    Random rnd = new Random(13);
    for (String pattern : new String[] {"abca", "b", "aab", "cabbac"}) {
      for (int k = 0; k <= 2; k++) {
        ApproximatePattern a = ApproximatePattern.contains(pattern, k);
        int kk = k;
        java.util.function.Consumer<String> check = t -> {
          int s = a.walk(t.getBytes(StandardCharsets.UTF_8));
          assertThat(s).isNotEqualTo(ByteAutomaton.DEAD); // a later window can always match
          assertThat(a.accepting(s)).as("%s ~%d on %s", pattern, kk, t).isEqualTo(bestShift(t, pattern) <= kk);
        };
        texts("", 7, check);
        for (int i = 0; i < 300; i++) {
          StringBuilder t = new StringBuilder();
          int n = 8 + rnd.nextInt(20);
          for (int j = 0; j < n; j++) {
            t.append((char) ('a' + rnd.nextInt(3)));
          }
          check.accept(t.toString());
        }
      }
    }
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> ApproximatePattern.whole("", 1)).hasMessageContaining("pattern");
    assertThatThrownBy(() -> ApproximatePattern.contains("abc", -1)).hasMessageContaining("mismatches");
  }
}
