package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench masks} on a two-schema directory over r50k, and its errors (exit 2). */
class MasksBenchCliTest {
  @TempDir
  Path dir;

  @Test
  void benchMasksTimesEveryTokenOfTheInstances() throws Exception {
    Path corpus = Path.of("../fewstep-constrain/src/test/resources/json-schemas");
    Path schemas = Files.createDirectories(dir.resolve("schemas"));
    Path instances = Files.createDirectories(schemas.resolve("instances"));
    for (String name : new String[] {"02-weather-tool-call.json", "06-binary-tree.json"}) {
      Files.copy(corpus.resolve(name), schemas.resolve(name));
      Files.copy(corpus.resolve("instances").resolve(name), instances.resolve(name));
    }
    Path csv = dir.resolve("masks.csv");
    CliRun r = CliRun.run("bench", "masks", "--vocab", "r50k", "--schemas", schemas.toString(), "--csv", csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| r50k ").contains("mask mean (us)").contains("06-binary-tree.json");
    assertThat(Files.readAllLines(csv)).hasSize(3).first().asString().startsWith("schema,instances,tokens");
  }

  @Test
  void badOptionsExitWithTwo() {
    CliRun vocab = CliRun.run("bench", "masks", "--vocab", "o100k");
    assertThat(vocab.code()).isEqualTo(2);
    assertThat(vocab.err()).contains("--vocab").contains("o200k");
    CliRun dir = CliRun.run("bench", "masks", "--vocab", "r50k", "--schemas", "no/such/dir");
    assertThat(dir.code()).isEqualTo(2);
    assertThat(dir.err()).contains("--schemas");
  }
}
