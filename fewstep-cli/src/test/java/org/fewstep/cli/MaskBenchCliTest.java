package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench masks}: option errors name the option and exit with 2; a tiny corpus runs end to end. */
class MaskBenchCliTest {
  @TempDir
  Path dir;

  @Test
  void anUnknownVocabularyIsRefusedByName() {
    CliRun r = CliRun.run("bench", "masks", "--vocab", "o300k");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--vocab").contains("o300k").contains("o200k, cl100k");
  }

  @Test
  void anUnknownWhiteSpacePolicyIsRefusedByName() {
    CliRun r = CliRun.run("bench", "masks", "--whitespace", "loose");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--whitespace").contains("compact or flexible");
  }

  @Test
  void aMissingSchemaDirectoryIsRefusedByName() {
    CliRun r = CliRun.run("bench", "masks", "--schemas", dir.resolve("nothing").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--schemas");
  }

  @Test
  void theBenchmarkIsListedWhenNoneIsNamed() {
    CliRun r = CliRun.run("bench");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("masks");
  }

  @Test
  void aTinyCorpusRunsEndToEnd() throws IOException {
    Files.createDirectories(dir.resolve("instances"));
    Files.writeString(dir.resolve("point.json"), "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"integer\"},"
        + " \"name\": {\"type\": \"string\", \"maxLength\": 8}}, \"required\": [\"x\"], \"additionalProperties\": false}");
    Files.writeString(dir.resolve("instances/point.json"), "{\"valid\": [{\"name\": \"ab c\", \"x\": -12}, {\"x\": 7}],"
        + " \"invalid\": []}");
    Path csv = dir.resolve("masks.csv");
    CliRun r = CliRun.run("bench", "masks", "--vocab", "cl100k", "--schemas", dir.toString(), "--csv", csv.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("| cl100k ").contains("| point.json ");
    assertThat(Files.readAllLines(csv)).hasSize(2);
    assertThat(Files.readAllLines(csv).get(1)).startsWith("point.json,2,");
  }
}
