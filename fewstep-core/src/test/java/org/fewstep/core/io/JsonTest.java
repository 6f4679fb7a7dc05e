package org.fewstep.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link Json}. Oracle: hand-written documents whose error positions (line, column of the
 * offending character, counted by hand) and paths ({@code means[1][2]}) are known; valid values are
 * compared with the literals in the text.
 */
class JsonTest {

  private static final String MODEL = "{\n"
      + "  \"weights\": [0.25, 0.75],\n"
      + "  \"means\": [[1, 2, 3], [4, 5, 6]],\n"
      + "  \"name\": \"two\"\n"
      + "}";

  @Test
  void readsValidValues() {
    JsonNode root = Json.parse(MODEL, "model.json");
    assertThat(Json.numbers(Json.field(root, "weights", "model"), "model.weights", 2)).containsExactly(0.25, 0.75);
    assertThat(Json.matrix(Json.field(root, "means", "model"), "model.means", 2, 3))
        .isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertThat(Json.matrix(Json.field(root, "means", "model"), "model.means", -1, -1)).hasNumberOfRows(2);
    assertThat(Json.text(Json.field(root, "name", "model"), "model.name")).isEqualTo("two");
    Json.requireOnly(root, "model", Set.of("weights", "means", "name")); // no exception
  }

  /** The second ',' in line 3 ("  \"b\": [1, 2,,]") is at column 14. */
  @Test
  void malformedJsonNamesFileLineAndColumn() {
    String text = "{\n  \"a\": 1,\n  \"b\": [1, 2,,]\n}";
    assertThatThrownBy(() -> Json.parse(text, "broken.json"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("broken.json: malformed JSON at line 3, column 14");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1", "open.json"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("open.json: malformed JSON at line 1, column 8");
  }

  @Test
  void emptyDocumentIsBadInput() {
    assertThatThrownBy(() -> Json.parse("", "e.json"))
        .isInstanceOf(BadInputException.class).hasMessage("e.json: empty JSON document");
    assertThatThrownBy(() -> Json.parse("  \n ", "w.json"))
        .isInstanceOf(BadInputException.class).hasMessage("w.json: empty JSON document");
  }

  @Test
  void missingAndNullFieldsNameThePath() {
    JsonNode root = Json.parse("{\"components\": [{\"weight\": 1}, {\"weight\": null}]}", "m.json");
    JsonNode second = root.get("components").get(1);
    assertThatThrownBy(() -> Json.field(root.get("components").get(0), "mean", "components[0]"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("components[0]: the field \"mean\" is missing");
    assertThatThrownBy(() -> Json.field(second, "weight", "components[1]"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("components[1]: the field \"weight\" is missing");
    assertThatThrownBy(() -> Json.field(root.get("components"), "weight", "components"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("components = [{")
        .hasMessageContaining("expected a JSON object");
  }

  @Test
  void wrongTypesNameThePathAndValue() {
    JsonNode root = Json.parse("{\"means\": [[1, 2], [3, \"4\"]], \"name\": 7, \"s\": 1e999}", "m.json");
    assertThatThrownBy(() -> Json.matrix(root.get("means"), "means", 2, 2))
        .isInstanceOf(BadInputException.class)
        .hasMessage("means[1][1] = \"4\": expected a number");
    assertThatThrownBy(() -> Json.text(root.get("name"), "name"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("name = 7: expected a string");
    assertThatThrownBy(() -> Json.number(root.get("s"), "s")) // overflows to +Infinity
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("expected a finite number");
    assertThatThrownBy(() -> Json.numbers(root.get("name"), "name", -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("name = 7: expected an array of numbers");
    assertThatThrownBy(() -> Json.matrix(root.get("means").get(0), "means[0]", -1, -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("means[0][0] = 1: expected an array of numbers");
    assertThatThrownBy(() -> Json.matrix(root.get("name"), "name", -1, -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("name = 7: expected an array of arrays of numbers");
  }

  @Test
  void longValuesAreAbbreviatedInMessages() {
    String longText = "x".repeat(100);
    JsonNode node = Json.parse("\"" + longText + "\"", "m.json");
    assertThatThrownBy(() -> Json.number(node, "v"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("v = \"" + "x".repeat(56) + "...: expected a number");
  }

  @Test
  void wrongArrayLengthsNameThePath() {
    JsonNode root = Json.parse("{\"w\": [1, 2, 3], \"m\": [[1, 2], [3, 4]]}", "m.json");
    assertThatThrownBy(() -> Json.numbers(root.get("w"), "model.w", 2))
        .isInstanceOf(BadInputException.class)
        .hasMessage("model.w = an array of 3 numbers: expected an array of 2 numbers");
    assertThatThrownBy(() -> Json.matrix(root.get("m"), "model.m", 3, 2))
        .isInstanceOf(BadInputException.class)
        .hasMessage("model.m = an array of 2 rows: expected an array of 3 rows");
    assertThatThrownBy(() -> Json.matrix(root.get("m"), "model.m", 2, 3))
        .isInstanceOf(BadInputException.class)
        .hasMessage("model.m[0] = an array of 2 numbers: expected an array of 3 numbers");
  }

  @Test
  void raggedMatrixFailsAtTheFirstShortRow() {
    JsonNode ragged = Json.parse("[[1, 2, 3], [4, 5, 6], [7, 8]]", "r.json");
    assertThatThrownBy(() -> Json.matrix(ragged, "means", -1, -1))
        .isInstanceOf(BadInputException.class)
        .hasMessage("means[2] = an array of 2 numbers: expected an array of 3 numbers");
    assertThatThrownBy(() -> Json.matrix(ragged, "means", 3, -1)).isInstanceOf(BadInputException.class);
  }

  @Test
  void unknownFieldsAreNamedWithThePath() {
    JsonNode root = Json.parse("{\"weights\": [1], \"meens\": []}", "m.json");
    assertThatThrownBy(() -> Json.requireOnly(root, "model", Set.of("weights", "means")))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("model: unknown field \"meens\"; expected one of ")
        .hasMessageContaining("weights")
        .hasMessageContaining("means");
    assertThatThrownBy(() -> Json.requireOnly(root.get("weights"), "model.weights", Set.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("model.weights = [1]: expected a JSON object");
  }

  @Test
  void readsFilesAndNamesMissingOnes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.json");
    Files.writeString(file, MODEL);
    assertThat(Json.read(file).get("name").textValue()).isEqualTo("two");

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[1,\n 2");
    assertThatThrownBy(() -> Json.read(bad))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(bad + ": malformed JSON at line 2");

    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> Json.read(missing))
        .isInstanceOf(BadInputException.class)
        .hasMessage("JSON file " + missing + " does not exist");
  }
}
