package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.constrain.Constraints;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.constrain.schema.JsonSchema;
import org.fewstep.constrain.schema.SchemaOrder;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.Tokenizers;
import org.junit.jupiter.api.Test;

/**
 * The fast masks against the definition on a real vocabulary: along the token streams of valid
 * corpus instances, at every position, the mask holds exactly the tokens whose bytes, stepped one by
 * one, keep the state live ({@link GrammarConstraint#referenceMask}, spot-checked against
 * {@link ConstraintState#allows}).
 */
class MaskExactnessTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CORPUS = Path.of("src/test/resources/json-schemas");

  /** Mismatches along the valid instances of {@code schema} (at most {@code limit} instances). */
  static List<String> check(Tokenizer tokenizer, Path schema, String ws, int limit) throws IOException {
    Vocabulary v = tokenizer.vocabulary();
    TokenTrie trie = Constraints.trie(v);
    GrammarConstraint c = new GrammarConstraint(JsonSchema.read(schema, ws), Regex::fullMatch, v, trie);
    JsonNode root = JSON.readTree(schema.toFile());
    List<String> failures = new ArrayList<>();
    long[] fast = new long[(v.size() + 63) >>> 6];
    int done = 0;
    for (JsonNode value : JSON.readTree(CORPUS.resolve("instances").resolve(schema.getFileName()).toFile()).get("valid")) {
      if (done++ == limit) {
        break;
      }
      JsonNode ordered = SchemaOrder.of(root, value);
      String text = ws.isEmpty() ? JSON.writeValueAsString(ordered) : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(ordered);
      int[] ids = tokenizer.encode(text);
      ConstraintState s = c.start();
      for (int i = 0; i <= ids.length; i++) {
        s.mask(fast);
        long[] reference = c.referenceMask(s);
        if (!Arrays.equals(fast, reference)) {
          StringBuilder diff = new StringBuilder();
          int shown = 0;
          for (int t = 0; t < v.size() && shown < 8; t++) {
            boolean f = (fast[t >>> 6] >>> t & 1) != 0;
            boolean r = (reference[t >>> 6] >>> t & 1) != 0;
            if (f != r) {
              diff.append(f ? " +" : " -").append(JSON.writeValueAsString(v.text(t)));
              shown++;
            }
          }
          failures.add(schema.getFileName() + " after '" + tokenizer.decode(Arrays.copyOf(ids, i)) + "':" + diff);
          if (failures.size() > 5) {
            return failures;
          }
        }
        if (i < ids.length) {
          s = s.advance(ids[i]);
        }
      }
    }
    return failures;
  }

  /**
   * Schemas that between them have plain, bounded and pattern strings (an intersection with a length
   * before its pattern matches), formats (email, uri, date-time), names other than the declared
   * ones, any JSON value, recursion, enums and arrays; compact and pretty-printed, on cl100k.
   */
  @Test
  void fastMasksEqualTheDefinitionAlongCorpusInstances() throws IOException {
    Tokenizer tokenizer = Tokenizers.bpe("cl100k");
    List<String> failures = new ArrayList<>();
    for (String name : List.of("49-sql-query-tool-call.json", "50-send-email-tool-call.json", "52-any-json-value.json",
        "57-address-book.json", "25-database-connection.json", "06-binary-tree.json", "17-feature-flags.json",
        "40-scheduled-job.json")) {
      failures.addAll(check(tokenizer, CORPUS.resolve(name), JsonSchema.COMPACT, 1));
    }
    for (String name : List.of("54-inventory-events.json", "16-rgb-color.json")) {
      failures.addAll(check(tokenizer, CORPUS.resolve(name), JsonSchema.FLEXIBLE, 1));
    }
    assertThat(failures).isEmpty();
  }
}
