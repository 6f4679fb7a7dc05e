package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.fewstep.data.meta.MetaInf;
import org.fewstep.data.meta.DiffusionCandidates;
import org.fewstep.data.meta.SituationFeatures;
import org.fewstep.diffusion.Diffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sample --sampler auto} (MetaInf, discrete-and-data.md section 15) and its refusals. */
class MetaInfCliTest {
  @TempDir
  Path dir;

  @Test
  void sampleAutoNamesItsChoiceAndRunsItWithinTheBudget() {
    Path npy = dir.resolve("auto.npy");
    CliRun r = CliRun.run("sample", "--model", "gmm-16d", "--sampler", "auto", "--steps", "7", "-n", "6", "--out", npy.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    var expected = MetaInf.choose(Diffusion.model("gmm-16d"), null, 7);
    assertThat(expected.nfe()).isLessThanOrEqualTo(7);
    assertThat(r.err()).contains("--sampler auto chose " + expected.sampler() + " with " + expected.steps() + " steps")
        .contains("within the budget of 7").contains("predicted RMSE");
    assertThat(r.out()).contains("with " + Diffusion.sampler(expected.sampler()).spec() + ": " + expected.steps() + " steps, NFE "
        + expected.nfe());
    // it is exactly the chosen sampler run at the chosen steps
    CliRun same = CliRun.run("sample", "--model", "gmm-16d", "--sampler", expected.sampler(), "--steps", "" + expected.steps(),
        "-n", "6", "--out", dir.resolve("same.npy").toString(), "-q");
    assertThat(same.code()).isZero();
    NdArray a = Npy.read(npy);
    NdArray b = Npy.read(dir.resolve("same.npy"));
    assertThat(a.data()).containsExactly(b.data());
    assertThat(expected.steps()).isEqualTo(DiffusionCandidates.stepsWithin(expected.sampler(), expected.recordedBudget()));
  }

  @Test
  void sampleAutoWithGuidanceUsesTheGuidanceFeature() {
    CliRun r = CliRun.run("sample", "--model", "gmm-2d", "--sampler", "auto", "--guidance", "3", "--steps", "20", "-n", "4",
        "--out", dir.resolve("g.npy").toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("guidance 3.0").contains("classes 8");
    assertThat(SituationFeatures.of(Diffusion.model("gmm-2d"), 3.0).guidance()).isEqualTo(3.0);
  }

  @Test
  void badInputIsAClearError() {
    CliRun small = CliRun.run("sample", "--model", "gmm-2d", "--sampler", "auto", "--steps", "3", "--out", dir.resolve("x.npy").toString(), "-q");
    assertThat(small.code()).isNotZero();
    assertThat(small.err()).contains("NFE budget").contains("at least 5");
    CliRun times = CliRun.run("sample", "--model", "gmm-2d", "--sampler", "auto", "--times", "1,0.5,0.001", "--out",
        dir.resolve("x.npy").toString(), "-q");
    assertThat(times.code()).isNotZero();
    assertThat(times.err()).contains("--times");
    CliRun generate = CliRun.run("generate", "--sampler", "auto", "--prompt", "And");
    assertThat(generate.code()).isEqualTo(2);
    assertThat(generate.err()).contains("--sampler").contains("auto").contains("masked-diffusion decoding")
        .contains("fewstep sample --sampler auto");
    CliRun noFeatures = CliRun.run("generate", "--masked", "--model", "tiny-transformer", "--decoder", "auto");
    assertThat(noFeatures.code()).isEqualTo(2);
    assertThat(noFeatures.err()).contains("tiny-transformer").contains("an HMM's exact masked model");
    CliRun budget = CliRun.run("generate", "--masked", "--decoder", "auto", "--steps", "1");
    assertThat(budget.code()).isEqualTo(2);
    assertThat(budget.err()).contains("NFE budget").contains("at least 2");
  }

  @Test
  void generateMaskedAutoNamesItsChoiceAndRunsIt() {
    CliRun r = CliRun.run("generate", "--masked", "--model", "motif-hmm", "--sampler", "auto", "--length", "16", "-n", "3", "--seed", "5");
    assertThat(r.code()).as(r.err()).isZero();
    var expected = MetaInf.chooseMasked(org.fewstep.text.model.MaskedModels.create("motif-hmm"), 16, 8);
    assertThat(expected.nfe()).isLessThanOrEqualTo(8);
    assertThat(r.err()).contains("--decoder auto chose " + expected.sampler() + " ").contains("within the budget of 8")
        .contains("predicted adjacent-pair TV").contains("decoder " + expected.sampler());
    CliRun same = CliRun.run("generate", "--masked", "--model", "motif-hmm", "--decoder", expected.sampler(), "--length", "16", "-n", "3",
        "--seed", "5");
    assertThat(same.code()).isZero();
    assertThat(r.out()).isEqualTo(same.out());
    // --decoder auto is the same, and --steps is the budget
    CliRun decoder = CliRun.run("generate", "--masked", "--decoder", "auto", "--length", "16", "--steps", "8", "-n", "3", "--seed", "5");
    assertThat(decoder.out()).isEqualTo(r.out());
  }
}
