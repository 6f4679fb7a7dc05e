package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
  void benchDiffusionRunsOnAnOnnxModel() {
    CliRun r = CliRun.run("bench", "diffusion", "--model", "onnx:" + FIXTURES + "gaussian-unet-flat", "--samplers", "ddim;dpmpp",
        "--steps", "5,10", "-n", "8");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| ddim").contains("| dpmpp");
  }

  @Test
  void aMissingOnnxFolderExitsWithTwo() {
    CliRun r = CliRun.run("sample", "--model", "onnx:" + dir.resolve("none"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("model folder").contains("none");
  }
}
