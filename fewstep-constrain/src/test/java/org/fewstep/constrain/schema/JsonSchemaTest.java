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
import org.fewstep.constrain.grammar.Grammar;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CORPUS = Path.of("src/test/resources/json-schemas");

  static final Vocabulary BYTES = org.fewstep.constrain.grammar.GrammarConstraintTest.bytes();
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

  static String error(String schema) {
    try {
      JsonSchema.compile(JSON.readTree(schema), "s.json", JsonSchema.COMPACT);
    } catch (org.fewstep.core.BadInputException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no error for " + schema);
  }

  @Test
  void badSchemasAreClearErrorsNamingTheLocation() {
    assertThat(error("{\"properties\": {\"a\": {\"uniqueItems\": true}}}")).contains("s.json", "#/properties/a", "uniqueItems");
    assertThat(error("{\"items\": {\"$ref\": \"#/$defs/missing\"}}")).contains("#/items", "#/$defs/missing");
    assertThat(error("{\"$ref\": \"https://example.com/s.json\"}")).contains("a reference inside this document");
    assertThat(error("{\"type\": \"string\", \"format\": \"hostname\"}")).contains("format", "hostname");
    assertThat(error("{\"type\": \"string\", \"minLength\": 5, \"maxLength\": 2}")).contains("admits no value", "minLength 5");
    assertThat(error("{\"type\": \"strnig\"}")).contains("strnig", "type names among");
    assertThat(error("{\"properties\": {\"p\": {\"pattern\": \"a(?=b)\"}}}")).contains("#/properties/p", "pattern", "offset");
    assertThat(error("{\"type\": \"object\", \"required\": [\"x\"], \"additionalProperties\": false}"))
        .contains("admits no value", "property x is required");
    assertThat(error("{\"oneOf\": [{\"type\": \"integer\"}, {\"type\": \"number\"}]}")).contains("#/oneOf", "branches 0 and 1");
    assertThat(error("{\"enum\": []}")).contains("enum", "non-empty array");
    assertThat(error("{\"type\": \"integer\", \"minimum\": 3, \"maximum\": 2.5}")).contains("admits no value", "no integer");
    assertThat(error("{\"type\": \"number\", \"exclusiveMinimum\": true}")).contains("exclusiveMinimum", "draft 4");
    assertThat(error("{\"allOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}")).contains("admits no value");
    Grammar loop = JsonSchema.compile(JSON.valueToTree(java.util.Map.of("$defs", java.util.Map.of("a", java.util.Map.of("$ref",
        "#/$defs/a")), "$ref", "#/$defs/a")), "loop.json", JsonSchema.COMPACT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrammarConstraint(loop, Regex::fullMatch, BYTES, TRIE))
        .isInstanceOf(org.fewstep.core.BadInputException.class).hasMessageContaining("loop.json");
  }

  /** Keys outside the declared ones, in every JSON spelling of the declared names, are refused. */
  @Test
  void additionalPropertiesNeverRepeatADeclaredName() throws IOException {
    Path p = Files.writeString(Files.createTempFile("extra", ".json"), """
        {"type": "object", "properties": {"id": {"type": "integer"}}, "additionalProperties": {"type": "string"}}""");
    TokenConstraint c = constraint(p, JsonSchema.COMPACT);
    assertThat(accepts(c, "{\"id\":1,\"note\":\"x\"}")).isZero();
    assertThat(accepts(c, "{\"note\":\"x\"}")).isZero();
    assertThat(accepts(c, "{\"id\":1,\"id\":\"x\"}")).isNegative();
    assertThat(accepts(c, "{\"id\":1,\"\\u0069d\":\"x\"}")).isNegative();
    assertThat(accepts(c, "{\"id\":\"x\"}")).isNegative();
    Files.delete(p);
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
        String text = JSON.writeValueAsString(SchemaOrder.of(schema, v));
        int r = accepts(c, text);
        if (r != 0) {
          failures.add(p.getFileName() + ": valid rejected at " + (-1 - r) + ": " + text);
        }
        String spaced = pretty.writeValueAsString(SchemaOrder.of(schema, v));
        if (accepts(flexible, spaced) != 0 || accepts(c, spaced) == 0 && !spaced.equals(text)) {
          failures.add(p.getFileName() + ": white space policy broken on " + spaced);
        }
      }
      for (JsonNode v : inst.get("invalid")) {
        String text = JSON.writeValueAsString(SchemaOrder.of(schema, v));
        if (accepts(c, text) == 0) {
          failures.add(p.getFileName() + ": INVALID accepted: " + text);
        }
      }
    }
    assertThat(failures).isEmpty();
  }
}
