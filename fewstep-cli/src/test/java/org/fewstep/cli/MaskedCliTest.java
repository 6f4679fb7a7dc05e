package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fewstep.text.masked.LogLinearMaskedLm;
import org.fewstep.text.masked.LsdParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate --masked, train masked and train lsd end to end. */
class MaskedCliTest {
  @TempDir
  Path dir;

  @Test
  void maskedGenerationPrintsOneLinePerSampleReproducibly() {
    String[] args = {"generate", "--masked", "--decoder", "fast-dllm:threshold=0.8", "--length", "32", "--block", "8",
        "-n", "3", "--seed", "4"};
    CliRun a = CliRun.run(args);
    CliRun b = CliRun.run(args);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
    List<String> lines = a.out().lines().toList();
    assertThat(lines).hasSize(3).allMatch(l -> l.split(" ").length == 32 && l.matches("[a-f ]+"));
    assertThat(a.err()).contains("3 sample(s)").contains("motif-hmm").contains("fast-dllm:threshold=0.8,block=8");
  }

  @Test
  void jsonlReportsTokensNfeAndRemasks() throws Exception {
    CliRun r = CliRun.run("generate", "--masked", "--decoder", "llada", "--steps", "8", "--length", "16", "--format", "jsonl",
        "-n", "2", "--prompt", "a c");
    assertThat(r.code()).as(r.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    for (String line : r.out().lines().toList()) {
      JsonNode o = mapper.readTree(line);
      assertThat(o.get("tokens").size()).isEqualTo(16);
      assertThat(o.get("nfe").asInt()).isEqualTo(8);
      assertThat(o.get("remasked").asInt()).isZero();
      assertThat(o.get("text").asText().split(" ")).hasSize(16);
    }
  }

  @Test
  void trainedModelsAndLsdParametersAreUsableFromTheCommandLine() throws Exception {
    Path model = dir.resolve("m.json");
    CliRun t = CliRun.run("train", "masked", "--length", "16", "--steps", "200", "--out", model.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("held-out MDM loss");
    assertThat(LogLinearMaskedLm.load(model).maxLength()).isEqualTo(16);
    Path lsd = dir.resolve("lsd.json");
    CliRun l = CliRun.run("train", "lsd", "--model", "loglinear:" + model, "--length", "16", "--steps", "4", "--plus",
        "--iterations", "3", "--out", lsd.toString());
    assertThat(l.code()).as(l.err()).isZero();
    assertThat(LsdParameters.load(lsd).steps()).isEqualTo(4);
    CliRun g = CliRun.run("generate", "--masked", "--model", "loglinear:" + model, "--decoder", "lsd:" + lsd, "--length", "16");
    assertThat(g.code()).as(g.err()).isZero();
    assertThat(g.out().strip().split(" ")).hasSize(16);
    assertThat(Files.size(lsd)).isPositive();
  }

  @Test
  void badMaskedInputExitsWithTwoAndNamesTheProblem() {
    String[][] cases = {
        {"generate", "--masked", "--length", "0"},
        {"generate", "--masked", "--decoder", "llada", "--steps", "40", "--length", "32"},
        {"generate", "--masked", "--decoder", "llada", "--block", "5", "--length", "32"},
        {"generate", "--masked", "--decoder", "fast-dllm", "--steps", "4"},
        {"generate", "--masked", "--decoder", "fast-dllm:threshold=1.5"},
        {"generate", "--masked", "--decoder", "fast-dllm:cache=dual"},
        {"generate", "--masked", "--sampler", "greedy"},
        {"generate", "--decoder", "fhs"},
        {"generate", "--masked", "--decoder", "nope"},
        {"train", "masked", "--hmm", "tiny-transformer", "--out", "x.json"}};
    String[] expected = {"length", "at most the generated length 32", "divisor of the generated length 32",
        "fast-dllm has none", "(0, 1]", "no key/value cache", "--sampler", "--masked as well", "nope", "an HMM"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = CliRun.run(cases[i]);
      assertThat(r.code()).as(String.join(" ", cases[i]) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", cases[i])).contains(expected[i]);
    }
  }
}
