package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.regex.Regex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Formats} against the networknt validator with format assertions on (the oracle of the
 * schema corpus): random strings of each regex must all pass it (soundness); realistic values,
 * including those of the corpus, must match the regex (completeness); typical mistakes must not.
 */
class FormatsTest {
  static final Map<String, Schema> SCHEMAS = new HashMap<>();

  static synchronized boolean oracle(String format, String value) {
    Schema schema = SCHEMAS.computeIfAbsent(format, f -> JsonSchemaCorpusTest.REGISTRY.getSchema(
        JsonSchemaCorpusTest.MAPPER.createObjectNode().put("type", "string").put("format", f)));
    return schema.validate(TextNode.valueOf(value)).isEmpty();
  }

  /**
   * A random string of the automaton's language that starts with {@code prefix}: uniform over the
   * live next bytes, stopping with probability {@code stop} at each accepting state (surely at one
   * after {@code maxBytes}).
   */
  static String randomString(ByteAutomaton a, String prefix, Random rng, double stop, int maxBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int s = a.start();
    for (byte b : prefix.getBytes(StandardCharsets.UTF_8)) {
      s = a.step(s, b & 0xFF);
      assertThat(s).as("prefix %s", prefix).isNotEqualTo(ByteAutomaton.DEAD);
      out.write(b);
    }
    int[] live = new int[256];
    while (true) {
      if (a.accepting(s) && (out.size() >= maxBytes || rng.nextDouble() < stop)) {
        break;
      }
      int n = 0;
      for (int b = 0; b < 256; b++) {
        if (a.step(s, b) != ByteAutomaton.DEAD) {
          live[n++] = b;
        }
      }
      if (n == 0) {
        break; // accepting with no way on
      }
      int b = live[rng.nextInt(n)];
      out.write(b);
      s = a.step(s, b);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("a walk produced invalid UTF-8", e);
    }
  }

  // ------------------------------------------------------------------ soundness

  @ParameterizedTest
  @ValueSource(strings = {"date", "time", "date-time", "email", "uuid", "uri"})
  void randomStringsOfTheRegexPassTheValidator(String format) {
    ByteAutomaton a = Regex.fullMatch(Formats.regex(format));
    Random rng = new Random(format.hashCode() * 31L + 2025);
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 2000; i++) {
      String s = randomString(a, "", rng, 0.1, 300);
      assertThat(oracle(format, s)).as("%s: %s", format, s).isTrue();
      seen.add(s);
    }
    assertThat(seen).as("distinct random %s values", format).hasSizeGreaterThan(1500);
  }

  /** Walks from prefixes that a uniform walk seldom reaches: authorities, empty authorities, paths. */
  @ParameterizedTest
  @ValueSource(strings = {"http://", "https://user", "postgresql://app@db", "file:///", "x:/", "urn:", "s://h:8"})
  void randomUrisAfterAPrefixPassTheValidator(String prefix) {
    ByteAutomaton a = Regex.fullMatch(Formats.URI);
    Random rng = new Random(prefix.hashCode());
    for (int i = 0; i < 400; i++) {
      String s = randomString(a, prefix, rng, 0.05, 300);
      assertThat(oracle("uri", s)).as("uri %s", s).isTrue();
    }
  }

  @Test
  void everyTopLevelDomainPassesTheValidator() {
    ByteAutomaton a = Regex.fullMatch(Formats.EMAIL);
    for (String tld : Formats.TOP_LEVEL_DOMAINS) {
      String email = "someone@mail.example." + tld;
      assertThat(a.accepts(email)).as(email).isTrue();
      assertThat(oracle("email", email)).as(email).isTrue();
    }
  }

  @Test
  void datesAgreeWithTheValidatorExactly() {
    ByteAutomaton a = Regex.fullMatch(Formats.DATE);
    for (String year : List.of("0000", "0001", "0400", "1900", "1999", "2000", "2023", "2024", "2100", "9999")) {
      for (int m = 0; m < 100; m++) {
        for (int d = 0; d < 100; d++) {
          String date = String.format("%s-%02d-%02d", year, m, d);
          assertThat(a.accepts(date)).as(date).isEqualTo(oracle("date", date));
        }
      }
    }
    for (int y = 0; y <= 9999; y++) {
      String date = String.format("%04d-02-29", y);
      assertThat(a.accepts(date)).as(date).isEqualTo(oracle("date", date));
    }
  }

  @Test
  void timesAgreeWithTheValidatorExceptLeapSecondsInOtherOffsets() {
    ByteAutomaton a = Regex.fullMatch(Formats.TIME);
    List<String> missed = new ArrayList<>();
    for (int h = 0; h <= 24; h++) {
      for (int m = 0; m <= 60; m++) {
        for (String sec : List.of("00", "30.5", "59", "60", "60.25", "61")) {
          for (String offset : List.of("Z", "z", "+00:00", "-00:00", "+05:30", "-23:59", "+24:00")) {
            String time = String.format("%02d:%02d:%s%s", h, m, sec, offset);
            boolean valid = oracle("time", time);
            if (a.accepts(time)) {
              assertThat(valid).as(time).isTrue();
            } else if (valid) {
              missed.add(time);
            }
          }
        }
      }
    }
    // leap seconds at 23:59 UTC written in a non-zero offset, e.g. 05:29:60+05:30
    assertThat(missed).allMatch(t -> t.substring(6, 8).equals("60")).hasSize(4);
  }

  @Test
  void dateTimeOffsetsAgreeWithTheValidator() {
    ByteAutomaton a = Regex.fullMatch(Formats.DATE_TIME);
    for (String sign : List.of("+", "-")) {
      for (int h = 0; h <= 24; h++) {
        for (int m = 0; m <= 60; m++) {
          for (String dt : List.of("2024-02-29T12:34:56", "0000-01-01T00:00:00", "9999-12-31T23:59:59.999999999")) {
            String value = String.format("%s%s%02d:%02d", dt, sign, h, m);
            assertThat(a.accepts(value)).as(value).isEqualTo(oracle("date-time", value));
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ completeness

  static final Map<String, List<String>> VALID = Map.of(
      "date", List.of("2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01", "9999-12-31", "2023-04-30"),
      "time", List.of("00:00:00Z", "23:59:59z", "12:34:56.789+05:30", "08:00:00-08:00", "23:59:60Z",
          "13:37:00.123456789-23:59"),
      "date-time", List.of("2024-05-05T10:00:00Z", "2024-03-10T14:22:06.250+01:00", "1985-04-12t23:20:50.52z",
          "1996-12-19T16:39:57-08:00", "2024-02-29T00:00:00+18:00", "2024-01-01T00:00:00+00:00"),
      "email", List.of("ada@example.org", "john.doe@mail.example.com", "user+tag@gmail.com",
          "first.middle.last@dept.uni.ac.uk", "o'brien@example.ie", "x_y-z@sub-domain.example.io",
          "a@b.co", "UPPER@EXAMPLE.com", "a1.b2.c3.d4@x.y.z.w.net"),
      "uuid", List.of("123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
          "00000000-0000-0000-0000-000000000000", "f47ac10b-58cc-4372-a567-0e02b2c3d479"),
      "uri", List.of("https://example.com", "https://example.com/", "http://localhost:8080/upload",
          "https://api.example.com/v1/items?page=2&sort=-name#top", "urn:isbn:0451450523", "mailto:ada@example.org",
          "file:///etc/hosts", "postgresql://app@db.internal:5432/app", "ftp://user:pa%20ss@192.168.0.1:21/pub/",
          "tel:+1-816-555-1212", "https://en.wikipedia.org/wiki/Tilde_(~)", "data:text/plain;base64,SGVsbG8=",
          "redis://cache.internal:6379/0", "HTTPS://EXAMPLE.COM/A%2FB"));

  @ParameterizedTest
  @ValueSource(strings = {"date", "time", "date-time", "email", "uuid", "uri"})
  void realisticValuesMatch(String format) {
    ByteAutomaton a = Regex.fullMatch(Formats.regex(format));
    for (String v : VALID.get(format)) {
      assertThat(oracle(format, v)).as("the validator on %s %s", format, v).isTrue();
      assertThat(a.accepts(v)).as("%s %s", format, v).isTrue();
    }
  }

  /**
   * The corpus' valid instances: every string under a property whose schema has a format. Property
   * names are matched across the whole instance, so a value the validator refuses belongs to another
   * property of the same name and is skipped.
   */
  @Test
  void corpusValuesMatch() {
    Map<String, Set<String>> values = new TreeMap<>();
    for (JsonSchemaCorpusTest.Entry entry : JsonSchemaCorpusTest.corpus()) {
      Map<String, Set<String>> formatsByProperty = new HashMap<>();
      JsonSchemaCorpusTest.walk(entry.schema(), "#", (path, node) -> {
        int at = path.lastIndexOf("/properties/");
        if (node.path("format").isTextual() && at >= 0) {
          String name = path.substring(at + "/properties/".length()).split("/")[0];
          formatsByProperty.computeIfAbsent(name, k -> new TreeSet<>()).add(node.get("format").asText());
        }
      });
      for (JsonNode instance : entry.instances().path("valid")) {
        collect(instance, null, formatsByProperty, values);
      }
    }
    for (String format : Formats.NAMES) {
      ByteAutomaton a = Regex.fullMatch(Formats.regex(format));
      Set<String> found = values.getOrDefault(format, Set.of());
      assertThat(found).as("corpus values of format %s", format).hasSizeGreaterThanOrEqualTo(5);
      for (String v : found) {
        assertThat(a.accepts(v)).as("%s %s", format, v).isTrue();
      }
    }
  }

  static void collect(JsonNode node, String property, Map<String, Set<String>> formatsByProperty,
      Map<String, Set<String>> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), e.getKey(), formatsByProperty, out));
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, property, formatsByProperty, out));
    } else if (node.isTextual() && property != null) {
      for (String format : formatsByProperty.getOrDefault(property, Set.of())) {
        if (Formats.NAMES.contains(format) && oracle(format, node.asText())) {
          out.computeIfAbsent(format, k -> new TreeSet<>()).add(node.asText());
        }
      }
    }
  }

  // ------------------------------------------------------------------ mistakes

  static final Map<String, List<String>> INVALID = Map.of(
      "date", List.of("2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", "20240101",
          "2024-01-01T00:00:00Z", "+2024-01-01", " 2024-01-01", ""),
      "time", List.of("25:00:00Z", "24:00:00Z", "12:60:00Z", "12:00:61Z", "12:00:00", "12:00Z", "22:59:60Z",
          "12:00:00+24:00", "12:00:00+0100", "12:00:00.1234567890Z", "1:00:00Z"),
      "date-time", List.of("2023-02-29T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00Z",
          "2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00+18:01", "2024-01-01T25:00:00Z", "2024-01-01",
          "2024-06-30T23:59:60Z"),
      "email", List.of("a@b@c", "a..b@example.com", ".a@example.com", "a.@example.com", "a b@example.com",
          "a@example", "a@example.invalid", "a@-b.com", "a@b-.com", "a@b_c.com", "a@example.com.", "@example.com",
          "a".repeat(65) + "@example.com", "plainaddress"),
      "uuid", List.of("123e4567-e89b-12d3-a456-42661417400", "123e4567e89b12d3a456426614174000",
          "{123e4567-e89b-12d3-a456-426614174000}", "g23e4567-e89b-12d3-a456-426614174000"),
      "uri", List.of("not a uri", "/relative/path", "example.com", "http://ex ample.com", "http://example.com/%zz",
          "http://example.com/ä", "1http://example.com", "http://example.com/?a=[1]", "http://example.com/#a#b",
          "http:", "http://"));

  @ParameterizedTest
  @ValueSource(strings = {"date", "time", "date-time", "email", "uuid", "uri"})
  void typicalMistakesDoNotMatch(String format) {
    ByteAutomaton a = Regex.fullMatch(Formats.regex(format));
    for (String v : INVALID.get(format)) {
      assertThat(a.accepts(v)).as("%s %s", format, v).isFalse();
    }
  }

  @Test
  void otherFormatsAreRefused() {
    for (String name : List.of("hostname", "ipv4", "regex", "Date", "")) {
      assertThatThrownBy(() -> Formats.regex(name)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not supported");
    }
    assertThatThrownBy(() -> Formats.regex(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
