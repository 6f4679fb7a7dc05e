package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

/**
 * Masks inside JSON strings, where plain tokens are counted instead of walked, on a vocabulary of
 * every string of 1 to 3 bytes over quotes, backslashes, escape letters, hex digits, punctuation and
 * the two bytes of 'é': along valid texts, the mask holds exactly the tokens that {@code allows}
 * (byte-by-byte stepping) allows. The schema has a short bounded string (room below the longest
 * token), a longer one, a plain one, a pattern with lengths, a format and names other than the
 * declared ones. And the plain-room contract of {@link Quoted} over {@link JsonStringChars}.
 */
class JsonStringMasksTest {
  static final byte[] ALPHABET = {'"', 'a', '\\', 'n', 'u', '0', ',', '{', '}', ':', (byte) 0xC3, (byte) 0xA9, '-', '1', 's', 't', 'w', 'd'};

  static Vocabulary vocabulary() {
    return org.fewstep.constrain.grammar.GrammarConstraintTest.strings(ALPHABET);
  }

  @Test
  void masksInsideStringsEqualByteByByteChecks() throws Exception {
    Vocabulary v = vocabulary();
    String schema = "{\"type\":\"object\",\"properties\":{"
        + "\"s\":{\"type\":\"string\",\"maxLength\":2},"
        + "\"t\":{\"type\":\"string\"},"
        + "\"u\":{\"type\":\"string\",\"pattern\":\"^a+$\",\"minLength\":2,\"maxLength\":6},"
        + "\"w\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":9},"
        + "\"d\":{\"type\":\"string\",\"format\":\"date\"}},"
        + "\"required\":[\"s\",\"t\",\"u\"],\"additionalProperties\":{\"type\":\"string\"}}";
    TokenConstraint c = new GrammarConstraint(JsonSchema.compile(new ObjectMapper().readTree(schema), "strings",
        JsonSchema.COMPACT), Regex::fullMatch, v, TokenTrie.of(v));
    String[] texts = {
        "{\"s\":\"é\",\"t\":\"a\\n\\u0a0aé\\\"\",\"u\":\"aaaa\",\"w\":\"ééaa\\\\a\",\"d\":\"1010-10-01\",\"nu\":\"\"}",
        "{\"s\":\"\\u0a0a\",\"t\":\"\",\"u\":\"aa\",\"a\":\"a,:{}\"}",
        "{\"s\":\"\",\"t\":\",\",\"u\":\"aaaaaa\",\"w\":\"aaaaaaaaa\"}",
    };
    long[] mask = new long[(v.size() + 63) >>> 6];
    String alphabet = new String(ALPHABET, StandardCharsets.ISO_8859_1);
    for (String text : texts) {
      ConstraintState s = c.start();
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i <= bytes.length; i++) {
        s.mask(mask);
        for (int t = 0; t < v.size(); t++) {
          assertThat((mask[t >>> 6] >>> t & 1) != 0).as("after '%s': token '%s'", text.substring(0,
              new String(bytes, 0, i, StandardCharsets.UTF_8).length()), v.text(t)).isEqualTo(s.allows(t));
        }
        if (i < bytes.length) {
          s = s.advance(alphabet.indexOf((char) (bytes[i] & 0xFF)));
        }
      }
      assertThat(s.canEnd()).as(text).isTrue();
    }
  }

  /** Plain characters of 1, 2 and 3 bytes (none closes the string). */
  static final String[] PLAIN = {"a", " ", "é", "€", "~"};

  /**
   * Quoted JSON string characters promise what {@link ByteAutomaton#plainRoom} says: from a body
   * state with room r, n plain characters stay live exactly when n <= r, no prefix of them accepts,
   * and states alike with room at least L agree on every short byte string.
   */
  @Test
  void quotedStringCharactersKeepThePlainRoomContract() {
    for (int[] bounds : new int[][] {{0, -1}, {2, -1}, {0, 4}, {3, 7}, {1, 1}}) {
      Quoted q = new Quoted(new JsonStringChars(bounds[0], bounds[1]));
      List<Integer> states = new ArrayList<>();
      int s = q.step(q.start(), '"');
      for (int k = 0; k < 9 && s != ByteAutomaton.DEAD; k++) {
        states.add(s);
        s = step(q, s, "a");
      }
      for (int state : states) {
        int room = q.plainRoom(state);
        assertThat(room).isGreaterThanOrEqualTo(0);
        for (int n = 1; n <= 9; n++) {
          for (String ch : PLAIN) {
            int x = state;
            boolean accepted = false;
            for (int k = 0; k < n && x != ByteAutomaton.DEAD; k++) {
              for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
                x = x == ByteAutomaton.DEAD ? x : q.step(x, b & 0xFF);
                accepted |= x != ByteAutomaton.DEAD && q.accepting(x);
              }
            }
            assertThat(x != ByteAutomaton.DEAD).as("%s: %d x '%s' from %d (room %d)", q.describe(), n, ch, state, room)
                .isEqualTo(n <= room);
            assertThat(accepted).isFalse();
          }
        }
      }
      // alike states with room >= L = 3 agree on every string of up to 3 bytes over a small alphabet
      List<Integer> alike = states.stream().filter(x -> q.plainAlike(x) && q.plainRoom(x) >= 3).toList();
      for (int a : alike) {
        for (int b : alike) {
          for (String w : strings("a\"\\n", 3)) {
            int x = step(q, a, w);
            int y = step(q, b, w);
            assertThat(x == ByteAutomaton.DEAD).as("%s from %d and %d", w, a, b).isEqualTo(y == ByteAutomaton.DEAD);
            assertThat(x != ByteAutomaton.DEAD && q.accepting(x)).isEqualTo(y != ByteAutomaton.DEAD && q.accepting(y));
          }
        }
      }
    }
  }

  static List<String> strings(String alphabet, int maxLength) {
    List<String> out = new ArrayList<>(List.of(""));
    for (int from = 0, length = 1; length <= maxLength; length++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char a : alphabet.toCharArray()) {
          out.add(out.get(i) + a);
        }
      }
      from = to;
    }
    return out;
  }

  static int step(ByteAutomaton a, int state, String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (state == ByteAutomaton.DEAD) {
        return state;
      }
      state = a.step(state, b & 0xFF);
    }
    return state;
  }
}
