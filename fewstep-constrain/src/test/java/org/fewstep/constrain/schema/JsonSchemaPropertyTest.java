package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.TokenConstraint;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.core.BadInputException;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Everything the compiled constraint lets through is valid, by an independent validator (networknt
 * json-schema-validator, format assertions on): documents drawn byte by byte from the constraint
 * (a random allowed byte each step; closing bytes, the end and a few letters and digits favoured so
 * documents finish and search patterns get matched) for every
 * corpus schema and for random schemas mixing every supported keyword (jqwik, fixed seed).
 */
class JsonSchemaPropertyTest {

  /** Reads numbers as decimals: JSON Schema compares mathematical values, not doubles. */
  static final com.fasterxml.jackson.databind.ObjectMapper EXACT = new com.fasterxml.jackson.databind.ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** A random document the constraint allows, or null when none finished within {@code maxBytes}. */
  static String draw(TokenConstraint c, Random rnd, int maxBytes) {
    ConstraintState s = c.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] mask = new long[5];
    double[] w = new double[257];
    for (int i = 0; i < maxBytes; i++) {
      s.mask(mask);
      double total = 0;
      for (int t = 0; t < 257; t++) {
        boolean allowed = (mask[t >>> 6] >>> t & 1) != 0;
        w[t] = !allowed ? 0 : t == 256 ? 50 : t == '"' || t == '}' || t == ']' ? 20 : t >= 0x80 ? 0.3
            : t >= 'a' && t <= 'c' || t >= 'x' && t <= 'z' || t >= '0' && t <= '9' ? 8 : 1;
        total += w[t];
      }
      assertThat(total).as("a live state allows something").isPositive();
      double u = rnd.nextDouble() * total;
      int t = 0;
      while (u >= w[t] || w[t] == 0) {
        u -= w[t];
        t++;
      }
      if (t == 256) {
        return out.toString(StandardCharsets.UTF_8);
      }
      out.write(t);
      s = s.advance(t);
    }
    return null;
  }

  static List<String> invalid(JsonNode schema, TokenConstraint c, Random rnd, int n) throws Exception {
    Schema validator = JsonSchemaCorpusTest.REGISTRY.getSchema(schema);
    List<String> bad = new ArrayList<>();
    int finished = 0;
    for (int i = 0; i < n; i++) {
      String doc = draw(c, rnd, 4000);
      if (doc == null) {
        continue;
      }
      finished++;
      JsonNode value;
      try {
        value = EXACT.readTree(doc);
      } catch (NumberFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
        value = JsonSchemaTest.JSON.readTree(doc); // an exponent too long for BigDecimal: only unbounded numbers have one
      }
      if (!validator.validate(value).isEmpty()) {
        bad.add(doc + " -> " + validator.validate(value));
      }
    }
    assertThat(finished).as("documents that finished, schema %s", schema).isGreaterThanOrEqualTo(n / 2);
    return bad;
  }

  @Test
  void drawsFromEveryCorpusSchemaValidate() throws Exception {
    Random rnd = new Random(11);
    List<String> bad = new ArrayList<>();
    for (Path p : JsonSchemaTest.schemas()) {
      JsonNode schema = JsonSchemaTest.JSON.readTree(p.toFile());
      TokenConstraint c = JsonSchemaTest.constraint(p, rnd.nextBoolean() ? JsonSchema.COMPACT : JsonSchema.FLEXIBLE);
      for (String b : invalid(schema, c, rnd, 6)) {
        bad.add(p.getFileName() + ": " + b);
      }
    }
    assertThat(bad).isEmpty();
  }

  @Property(tries = 80, seed = "20261128")
  void drawsFromRandomSchemasValidate(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    ObjectNode schema = new Schemas(rnd).root();
    schema = (ObjectNode) EXACT.readTree(schema.toString());
    TokenConstraint c;
    try {
      c = new GrammarConstraint(JsonSchema.compile(schema, "random", JsonSchema.FLEXIBLE), Regex::fullMatch,
          JsonSchemaTest.BYTES, JsonSchemaTest.TRIE);
    } catch (BadInputException e) {
      Assume.that(e.getMessage().contains("admits no value")); // e.g. a pattern longer than maxLength
      return;
    }
    assertThat(invalid(schema, c, rnd, 8)).as("schema %s", schema).isEmpty();
  }

  /** Random schemas over the supported keywords. */
  static final class Schemas {
    static final String[] PATTERNS = {"^[a-z]+$", "^[A-Z]{2}-\\d{2,4}$", "ab", "^(x|yz)*$", "[0-9]", "^\\w+@\\w+$"};
    static final String[] FORMATS = {"date", "time", "date-time", "email", "uuid", "uri"};
    static final String[] NAMES = {"a", "b", "id", "name", "é", "x y"};
    final Random rnd;

    Schemas(Random rnd) {
      this.rnd = rnd;
    }

    ObjectNode root() {
      ObjectNode s = any(3);
      if (rnd.nextInt(3) == 0) { // a recursive definition, referenced from an object
        ObjectNode node = object(1);
        ObjectNode children = JsonSchemaTest.JSON.createObjectNode().put("type", "array").put("maxItems", 2);
        children.putObject("items").put("$ref", "#/$defs/node");
        ((ObjectNode) node.get("properties")).set("children", children);
        ObjectNode wrapper = JsonSchemaTest.JSON.createObjectNode().put("type", "object");
        wrapper.putObject("$defs").set("node", node);
        wrapper.putObject("properties").putObject("tree").put("$ref", "#/$defs/node");
        wrapper.putArray("required").add("tree");
        return wrapper;
      }
      return s;
    }

    ObjectNode any(int depth) {
      int kind = rnd.nextInt(depth > 0 ? 12 : 7);
      ObjectNode s = JsonSchemaTest.JSON.createObjectNode();
      switch (kind) {
        case 0 -> string(s);
        case 1 -> integer(s);
        case 2 -> number(s);
        case 3 -> s.put("type", rnd.nextBoolean() ? "boolean" : "null");
        case 4 -> {
          ArrayNode values = s.putArray("enum");
          values.add("red").add(3).add(rnd.nextBoolean()).addNull().add(2.5);
          if (rnd.nextBoolean()) {
            s.putArray("type").add("string").add("number");
          }
        }
        case 5 -> {
          ObjectNode c = s.putObject("const");
          c.put("k", "v\"q").putArray("list").add(1).add("é");
        }
        case 6 -> {
          string(s);
          s.remove("type");
          s.putArray("type").add("string").add("null");
        }
        case 7, 8 -> s.setAll(object(depth - 1));
        case 9 -> s.setAll(array(depth - 1));
        case 10 -> {
          ArrayNode options = s.putArray(rnd.nextBoolean() ? "anyOf" : "oneOf");
          ObjectNode o = JsonSchemaTest.JSON.createObjectNode();
          string(o);
          options.add(o);
          options.add(object(depth - 1));
          ObjectNode i = JsonSchemaTest.JSON.createObjectNode();
          integer(i);
          options.add(i);
        }
        default -> {
          ArrayNode parts = s.putArray("allOf");
          parts.add(object(depth - 1));
          parts.add(object(depth - 1));
        }
      }
      return s;
    }

    void string(ObjectNode s) {
      s.put("type", "string");
      int min = rnd.nextInt(3);
      if (rnd.nextBoolean()) {
        s.put("minLength", min);
      }
      if (rnd.nextBoolean()) {
        s.put("maxLength", min + rnd.nextInt(12));
      }
      int extra = rnd.nextInt(4);
      if (extra == 1) {
        s.put("pattern", PATTERNS[rnd.nextInt(PATTERNS.length)]);
      } else if (extra == 2) {
        s.put("format", FORMATS[rnd.nextInt(FORMATS.length)]);
      }
    }

    void integer(ObjectNode s) {
      s.put("type", "integer");
      int lo = rnd.nextInt(101) - 50;
      if (rnd.nextBoolean()) {
        s.put(rnd.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
      }
      if (rnd.nextBoolean()) {
        s.put(rnd.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 2 + rnd.nextInt(100));
      }
    }

    void number(ObjectNode s) {
      s.put("type", "number");
      java.math.BigDecimal lo = java.math.BigDecimal.valueOf(rnd.nextInt(2001) - 1000, 2);
      if (rnd.nextBoolean()) {
        s.put(rnd.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
      }
      if (rnd.nextBoolean()) {
        s.put(rnd.nextBoolean() ? "maximum" : "exclusiveMaximum", lo.add(java.math.BigDecimal.valueOf(1 + rnd.nextInt(500), 2)));
      }
    }

    ObjectNode object(int depth) {
      ObjectNode s = JsonSchemaTest.JSON.createObjectNode().put("type", "object");
      ObjectNode props = s.putObject("properties");
      ArrayNode required = s.putArray("required");
      for (String name : NAMES) {
        if (rnd.nextInt(3) == 0) {
          props.set(name, any(Math.max(0, depth)));
          if (rnd.nextBoolean()) {
            required.add(name);
          }
        }
      }
      int additional = rnd.nextInt(3);
      if (additional == 0) {
        s.put("additionalProperties", false);
      } else if (additional == 1) {
        s.set("additionalProperties", JsonSchemaTest.JSON.createObjectNode().put("type", "integer"));
      }
      return s;
    }

    ObjectNode array(int depth) {
      ObjectNode s = JsonSchemaTest.JSON.createObjectNode().put("type", "array");
      if (rnd.nextBoolean()) {
        ArrayNode prefix = s.putArray("prefixItems");
        prefix.add(any(0));
        prefix.add(any(0));
      }
      int shape = rnd.nextInt(3);
      if (shape == 0) {
        s.set("items", any(Math.max(0, depth)));
      } else if (shape == 1 && s.has("prefixItems")) {
        s.put("items", false);
      }
      int min = rnd.nextInt(3);
      if (rnd.nextBoolean()) {
        s.put("minItems", min);
      }
      if (rnd.nextBoolean()) {
        s.put("maxItems", min + rnd.nextInt(4));
      }
      return s;
    }
  }
}
