package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.regex.Regex;
import org.junit.jupiter.api.Test;

/**
 * The three readers of JSON string insides agree: the regular expression {@link #JSON_CHAR}
 * over UTF-8, {@link Regex#jsonStringBody} (the JSON encoding applied to a pattern's character
 * sets) and the counting automaton {@link JsonStringChars}; what they accept, Jackson decodes to a
 * string of the counted length. Random byte strings mix raw ASCII, multi-byte characters, every
 * escape, broken escapes, quotes, control bytes and stray UTF-8 bytes (fixed seed).
 */
class JsonStringAutomataTest {
  /** One character inside a JSON string literal (RFC 8259 section 7), escaped surrogates excluded. */
  static final String JSON_CHAR = "(?:[^\"\\\\\\u{0}-\\u{1f}]|\\\\(?:[\"\\\\/bfnrt]|u(?:[0-9a-cA-Ce-fE-F][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2})))";
  static final String[] PIECES = {"a", "Z", " ", "~", "é", "€", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\u00e9",
      "\\uD7FF", "\\uE000", "\\uFFFF", "\\ud800", "\\uDC00", "\\u12", "\\x", "\"", "\n", "\t", "\u007f"};

  static byte[] random(Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = rnd.nextInt(7);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(10) == 0) {
        out.write(0x80 + rnd.nextInt(0x80)); // a stray or truncated UTF-8 byte
      } else {
        out.writeBytes(PIECES[rnd.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  @Test
  void theThreeReadersAgreeAndAcceptOnlyWhatJacksonDecodes() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Random rnd = new Random(7);
    int accepted = 0;
    for (int[] bounds : new int[][] {{0, -1}, {2, -1}, {0, 3}, {1, 1}, {2, 4}}) {
      int min = bounds[0];
      int max = bounds[1];
      String count = "{" + min + "," + (max < 0 ? "" : max) + "}";
      ByteAutomaton regex = Regex.fullMatch(JSON_CHAR + count);
      ByteAutomaton body = Regex.jsonStringBody("[^]" + count, false);
      ByteAutomaton counter = new JsonStringChars(min, max);
      for (int i = 0; i < 4000; i++) {
        byte[] b = random(rnd);
        boolean r = regex.accepts(b);
        assertThat(body.accepts(b)).as("jsonStringBody on %s", new String(b, StandardCharsets.UTF_8)).isEqualTo(r);
        assertThat(counter.accepts(b)).as("JsonStringChars on %s", new String(b, StandardCharsets.UTF_8)).isEqualTo(r);
        if (r) {
          accepted++;
          byte[] quoted = new byte[b.length + 2];
          quoted[0] = '"';
          quoted[quoted.length - 1] = '"';
          System.arraycopy(b, 0, quoted, 1, b.length);
          String value = json.readValue(quoted, String.class);
          int n = value.codePointCount(0, value.length());
          assertThat(n).isBetween(min, max < 0 ? Integer.MAX_VALUE : max);
        }
      }
    }
    assertThat(accepted).isGreaterThan(2000);
  }

  @Test
  void patternsApplyToTheDecodedValue() {
    ByteAutomaton letters = Regex.jsonStringBody("^a+$", true);
    assertThat(letters.accepts("a\\u0061A".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(letters.accepts("a\\u0061\\u0041".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(letters.accepts("a\\u0061".getBytes(StandardCharsets.UTF_8))).isTrue();
    ByteAutomaton quote = Regex.jsonStringBody("\"", true); // a decoded quote, written escaped
    assertThat(quote.accepts("say \\\"hi\\\"".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(quote.accepts("say hi".getBytes(StandardCharsets.UTF_8))).isFalse();
    ByteAutomaton newline = Regex.jsonStringBody("^a\\nb$", true);
    assertThat(newline.accepts("a\\nb".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(newline.accepts("a\\u000Ab".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(newline.accepts("a\nb".getBytes(StandardCharsets.UTF_8))).isFalse(); // raw control character
  }

  @Test
  void quotedStringsCloseOnlyWhereTheBodyAccepts() {
    ByteAutomaton q = new Quoted(new JsonStringChars(1, 2));
    assertThat(q.accepts("\"a\"".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(q.accepts("\"\"".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(q.accepts("\"\\\"\"".getBytes(StandardCharsets.UTF_8))).isTrue(); // an escaped quote inside
    assertThat(q.accepts("\"abc\"".getBytes(StandardCharsets.UTF_8))).isFalse();
    int s = q.start();
    for (byte b : "\"ab\"".getBytes(StandardCharsets.UTF_8)) {
      s = q.step(s, b);
    }
    assertThat(q.mustEnd(s)).isTrue();
  }

  @Test
  void namesOtherThanTheDeclaredOnes() {
    ByteAutomaton other = new Quoted(Regex.jsonStringBody(JsonSchema.otherThan(java.util.Set.of("id", "i", "name")), false));
    for (String yes : new String[] {"", "x", "idx", "n", "nam", "names", "j", "\\u0069d2"}) {
      assertThat(other.accepts(("\"" + yes + "\"").getBytes(StandardCharsets.UTF_8))).as(yes).isTrue();
    }
    for (String no : new String[] {"id", "i", "name", "\\u0069d", "n\\u0061me"}) {
      assertThat(other.accepts(("\"" + no + "\"").getBytes(StandardCharsets.UTF_8))).as(no).isFalse();
    }
  }
}
