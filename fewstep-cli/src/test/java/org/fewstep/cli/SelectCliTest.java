package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fewstep.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fewstep.data.select.Example;
import org.fewstep.data.select.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fewstep select} and {@code fewstep bench data}: outputs, laws of RS2's rounds, and bad input with exit code 2. */
class SelectCliTest {
  @TempDir
  Path dir;
  Path pool;

  @BeforeEach
  void writePool() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      b.append(String.format("{\"id\": \"e%d\", \"text\": \"item %d\", \"labels\": [\"%s\"], \"quality\": %d}%n", i, i, "abcd".charAt(i % 4), i));
    }
    pool = Files.writeString(dir.resolve("pool.jsonl"), b.toString());
  }

  @Test
  void rs2WritesRoundsThatMakeAPassAPermutation() throws IOException {
    Path out = dir.resolve("rounds.jsonl");
    CliRun r = run("select", "--method", "rs2", "--data", pool.toString(), "--budget", "10", "--rounds", "4", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(4);
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      var ids = org.fewstep.core.io.Json.parse(line, "round").get("ids");
      ids.forEach(id -> seen.add(id.asText()));
    }
    assertThat(seen).hasSize(40); // four rounds of 10 without replacement cover the 40 examples once
  }

  @Test
  void qualityAndMigAndAoiWriteExamples() {
    Path out = dir.resolve("q.jsonl");
    assertThat(run("select", "--method", "quality", "--data", pool.toString(), "--budget", "3", "--out", out.toString()).code()).isZero();
    assertThat(Examples.read(out)).extracting(Example::id).containsExactly("e39", "e38", "e37");
    // MIG on an identity graph with labels a..d: the first four picks cover the four labels.
    CliRun r = run("select", "--method", "mig:graph=identity", "--data", pool.toString(), "--budget", "4", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Examples.read(out)).flatExtracting(Example::labels).containsExactlyInAnyOrder("a", "b", "c", "d");
    r = run("select", "--method", "aoi:chooser=lm,model=kjv-small,a-ws=3,b-ws=4", "--data", pool.toString(), "--budget", "8",
        "--seed", "2", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Examples.read(out)).hasSize(8).extracting(Example::id).doesNotHaveDuplicates();
    // MIG over embedding tags: the examples keep their own labels in the output
    r = run("select", "--method", "mig:tags=2,threshold=0.8", "--data", pool.toString(), "--budget", "6", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Examples.read(out)).hasSize(6).allSatisfy(e -> assertThat(e.labels()).hasSize(1));
    // the default embedding chooser finds all-MiniLM-L6-v2 (fewstep-onnx) as a service
    r = run("select", "--method", "aoi:a-ws=2,b-ws=3", "--data", pool.toString(), "--budget", "5", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Examples.read(out)).hasSize(5).extracting(Example::id).doesNotHaveDuplicates();
  }

  @Test
  void badInputExitsWithCode2() {
    String out = dir.resolve("x.jsonl").toString();
    assertThat(run("select", "--method", "random", "--data", pool.toString(), "--budget", "41", "--out", out).err())
        .contains("--budget").contains("41").contains("40");
    assertThat(run("select", "--method", "random", "--data", pool.toString(), "--budget", "41", "--out", out).code()).isEqualTo(2);
    assertThat(run("select", "--method", "nope", "--data", pool.toString(), "--budget", "4", "--out", out).code()).isEqualTo(2);
    assertThat(run("select", "--method", "random", "--data", dir.resolve("none.jsonl").toString(), "--budget", "4", "--out", out).err())
        .contains("does not exist");
    assertThat(run("select", "--method", "quality", "--data", pool.toString(), "--budget", "4", "--rounds", "2", "--out", out).err())
        .contains("--rounds");
    assertThat(run("bench", "data", "nope").err()).contains("experiment").contains("weighting");
    assertThat(run("bench", "data", "--list").out()).contains("mig").contains("snapshot");
  }

  @Test
  void curriculumPrintsMasteredCellsAndRefusesOtherEnvironments() throws IOException {
    Path csv = dir.resolve("c.csv");
    CliRun r = run("curriculum", "--teacher", "random,alp-gmm", "--episodes", "600", "--seeds", "1", "--csv", csv.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| Random |").contains("| ALP-GMM |").contains("600 episodes");
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo("teacher,seed,episode,mastered_percent,seconds");
    assertThat(run("curriculum", "--env", "bipedal").err()).contains("--env").contains("toy");
    assertThat(run("curriculum", "--teacher", "riac").err()).contains("--teacher").contains("riac");
    assertThat(run("curriculum", "--episodes", "0").code()).isEqualTo(2);
  }
}
