package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --model onnx:DIR in sample and generate --masked, on the committed fixtures. */
class OnnxCliTest {
  private static final String FIXTURES = "../fewstep-onnx/fixtures/";

  @TempDir
  Path dir;

  @Test
  void sampleRunsADiffusersStyleOnnxFolderWithGuidance() {
    Path out = dir.resolve("x.npy");
    String model = "onnx:" + FIXTURES + "gaussian-unet,cond=" + FIXTURES + "gaussian-unet/conditions.npy,uncond="
        + FIXTURES + "gaussian-unet/negative.npy";
    CliRun r = CliRun.run("sample", "--model", model, "--guidance", "2", "--labels", "1", "--steps", "8", "-n", "3",
        "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    NdArray x = Npy.read(out);
    assertThat(x.shape()).containsExactly(3, 2, 4, 4);
  }

  @Test
  void maskedGenerationRunsAnOnnxMaskedLm() {
    CliRun r = CliRun.run("generate", "--masked", "--model", "onnx:" + FIXTURES + "toy-masked-lm", "--decoder", "localleap",
        "--length", "32", "-n", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.split(" ").length == 32);
  }

  @Test
  void generateRunsAnOnnxCausalLmAloneAndAsSpeculationTargetAndDraft() {
    String[] args = {"generate", "--model", "onnx:" + FIXTURES + "toy-causal-lm", "--max-tokens", "12", "-n", "2", "--seed", "3"};
    CliRun a = CliRun.run(args);
    CliRun b = CliRun.run(args);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).isEqualTo(b.out());
    assertThat(a.err()).contains("2 sample(s)").doesNotContain("SLF4J");
    CliRun s = CliRun.run("generate", "--model", "onnx:" + FIXTURES + "toy-causal-lm", "--speculative",
        "draft=onnx:" + FIXTURES + "toy-causal-lm/draft,k=3", "--stats", "--max-tokens", "20");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.err()).contains("acceptance").contains("speculative:draft=onnx:");
  }

  @Test
  void aListOfEosIdsEndsACompletionAtAnyOfThem() throws Exception {
    // the toy model with eos_token_id [0, 1]: a completion ends at its first space (id 1), without it
    Path model = dir.resolve("two-eos");
    Files.createDirectories(model);
    Path source = Path.of(FIXTURES, "toy-causal-lm");
    for (String f : new String[] {"model.onnx", "tokenizer.json", "config.json", "generation_config.json"}) {
      Files.copy(source.resolve(f), model.resolve(f));
    }
    Path config = model.resolve("generation_config.json");
    Files.writeString(config, Files.readString(config).replace("\"eos_token_id\": 0,", "\"eos_token_id\": [0, 1],"));
    String[] args = {"generate", "--model", "onnx:" + model, "--max-tokens", "24", "-n", "20", "--format", "jsonl"};
    CliRun r = CliRun.run(args);
    assertThat(r.code()).as(r.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    int endedAtSpace = 0;
    for (String line : r.out().lines().toList()) {
      JsonNode c = mapper.readTree(line);
      JsonNode tokens = c.get("tokens");
      int last = tokens.get(tokens.size() - 1).asInt();
      for (int i = 0; i + 1 < tokens.size(); i++) {
        assertThat(tokens.get(i).asInt()).as(line).isNotIn(0, 1);
      }
      assertThat(c.get("finish").asText()).as(line).isEqualTo(last == 0 || last == 1 ? "eos" : "length");
      assertThat(c.get("text").asText()).doesNotContain(" ");
      endedAtSpace += last == 1 ? 1 : 0;
    }
    assertThat(endedAtSpace).isGreaterThan(5);
    // the same seeds with the single eos of the fixture: spaces inside the text
    args[2] = "onnx:" + FIXTURES + "toy-causal-lm";
    assertThat(CliRun.run(args).out()).contains(" ");
  }

  @Test
  void benchDiffusionRunsOnAnOnnxModel() {
    CliRun r = CliRun.run("bench", "diffusion", "--model", "onnx:" + FIXTURES + "gaussian-unet-flat", "--samplers", "ddim;dpmpp",
        "--steps", "5,10", "-n", "8");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| ddim").contains("| dpmpp");
  }

  @Test
  void benchSpeculativeRunsOnAnOnnxTargetAndDraft() {
    String target = "onnx:" + FIXTURES + "toy-causal-lm";
    CliRun r = CliRun.run("bench", "speculative", "--target", target, "--draft", target + "/draft", "--methods",
        "standard,spectr", "--k", "3", "--drafts", "1,2", "-n", "3", "--max-tokens", "16");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("draft onnx:").contains("| standard").contains("| spectr");
    CliRun half = CliRun.run("bench", "speculative", "--target", target);
    assertThat(half.code()).isEqualTo(2);
    assertThat(half.err()).contains("--draft as well");
  }

  @Test
  void aMissingOnnxFolderExitsWithTwo() {
    CliRun r = CliRun.run("sample", "--model", "onnx:" + dir.resolve("none"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("model folder").contains("none");
  }
}
