package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.Constraints;
import org.fewstep.constrain.TokenSlice;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.constrain.schema.JsonSchema;
import org.fewstep.constrain.schema.SchemaOrder;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * Masks taken through a slice ({@link TokenSlice}: the plain JSON-string tokens or the alphanumeric
 * ones at once, a walk over the rest) equal the walk of the whole trie, at every position of the
 * token streams of valid corpus instances over cl100k (schemas with free strings, counted strings,
 * patterns, formats and recursion), compact and pretty-printed.
 */
class SliceMaskTest {
  static final String[] SCHEMAS = {"02-weather-tool-call.json", "06-binary-tree.json", "22-invoice.json",
      "26-structured-log-line.json", "41-ci-pipeline.json", "47-git-commit.json"};

  @Test
  void sliceMasksEqualTheWholeTrieWalk() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Tokenizer tokenizer = Tokenizers.bpe("cl100k");
    Vocabulary v = tokenizer.vocabulary();
    Path corpus = Path.of("src/test/resources/json-schemas");
    int positions = 0;
    for (String name : SCHEMAS) {
      for (String ws : new String[] {JsonSchema.COMPACT, JsonSchema.FLEXIBLE}) {
        GrammarConstraint c = new GrammarConstraint(JsonSchema.read(corpus.resolve(name), ws), Regex::fullMatch, v,
            Constraints.trie(v));
        JsonNode schema = json.readTree(corpus.resolve(name).toFile());
        JsonNode first = json.readTree(corpus.resolve("instances").resolve(name).toFile()).get("valid").get(0);
        JsonNode ordered = SchemaOrder.of(schema, first);
        String text = ws.isEmpty() ? json.writeValueAsString(ordered) : json.writerWithDefaultPrettyPrinter().writeValueAsString(ordered);
        int[] ids = tokenizer.encode(text);
        ConstraintState s = c.start();
        long[] mask = new long[(v.size() + 63) / 64];
        for (int i = 0; i <= ids.length; i++) {
          s.mask(mask);
          assertThat(mask).as("%s at token %d of %s", name, i, text).isEqualTo(c.referenceMask(s));
          positions++;
          if (i < ids.length) {
            s = s.advance(ids[i]);
          }
        }
      }
    }
    assertThat(positions).isGreaterThan(400);
  }
}
