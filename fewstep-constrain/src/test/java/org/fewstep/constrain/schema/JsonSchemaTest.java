package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CORPUS = Path.of("src/test/resources/json-schemas");

  static Vocabulary bytes() {
    byte[][] tokens = new byte[257][];
    boolean[] special = new boolean[257];
    for (int b = 0; b < 256; b++) {
      tokens[b] = new byte[] {(byte) b};
    }
    tokens[256] = "<end>".getBytes(StandardCharsets.UTF_8);
    special[256] = true;
    return new Vocabulary(tokens, special, 256);
  }

  static final Vocabulary BYTES = bytes();
  static final TokenTrie TRIE = TokenTrie.of(BYTES);

  static TokenConstraint constraint(Path schema, String ws) {
    return new GrammarConstraint(JsonSchema.read(schema, ws), Regex::fullMatch, BYTES, TRIE);
  }

  /** Whether the constraint accepts {@code text} whole; the failing offset otherwise (as -1 - offset). */
  static int accepts(TokenConstraint c, String text) {
    ConstraintState s = c.start();
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      int t = b[i] & 0xFF;
      if (!s.allows(t)) {
        return -1 - i;
      }
      s = s.advance(t);
    }
    return s.canEnd() ? 0 : -1 - b.length;
  }

  static List<Path> schemas() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * Every corpus schema compiles; every valid instance (members in schema order) is accepted and
   * every invalid one rejected, compact under {@link JsonSchema#COMPACT} and pretty-printed under
   * {@link JsonSchema#FLEXIBLE}.
   */
  @Test
  void corpusInstancesAreAcceptedExactlyWhenValid() throws IOException {
    List<String> failures = new ArrayList<>();
    com.fasterxml.jackson.databind.ObjectWriter pretty = JSON.writerWithDefaultPrettyPrinter();
    for (Path p : schemas()) {
      TokenConstraint c;
      TokenConstraint flexible;
      try {
        c = constraint(p, JsonSchema.COMPACT);
        flexible = constraint(p, JsonSchema.FLEXIBLE);
      } catch (RuntimeException e) {
        failures.add(p.getFileName() + ": compile: " + e.getMessage());
        continue;
      }
      JsonNode schema = JSON.readTree(p.toFile());
      JsonNode inst = JSON.readTree(CORPUS.resolve("instances").resolve(p.getFileName()).toFile());
      for (JsonNode v : inst.get("valid")) {
        String text = JSON.writeValueAsString(SchemaOrder.reorder(schema, v));
        int r = accepts(c, text);
        if (r != 0) {
          failures.add(p.getFileName() + ": valid rejected at " + (-1 - r) + ": " + text);
        }
        String spaced = pretty.writeValueAsString(SchemaOrder.reorder(schema, v));
        if (accepts(flexible, spaced) != 0 || accepts(c, spaced) == 0 && !spaced.equals(text)) {
          failures.add(p.getFileName() + ": white space policy broken on " + spaced);
        }
      }
      for (JsonNode v : inst.get("invalid")) {
        String text = JSON.writeValueAsString(SchemaOrder.reorder(schema, v));
        if (accepts(c, text) == 0) {
          failures.add(p.getFileName() + ": INVALID accepted: " + text);
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
