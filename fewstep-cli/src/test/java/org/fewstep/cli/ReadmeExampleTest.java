package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.ImageGrid;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example of the README, verbatim, so that it keeps compiling and working. */
class ReadmeExampleTest {
  @Test
  void readmeExample(@TempDir Path dir) throws Exception {
    // --- README ---
    DiffusionModel model = Diffusion.model("digits");                      // or gmm-2d, gmm-64d, gmm:FILE
    DiffusionSampler sampler = Diffusion.sampler("unipc:order=3,variant=bh1");
    NdArray noise = Diffusion.prior(model, 16, 42);                        // x_T; row i from Rng.stream(42, i)
    SampleResult r = sampler.sample(Denoiser.of(model), 8, noise, new Rng(42), StepListener.NONE);
    ImageGrid.write(dir.resolve("digits.png"), r.samples().reshape(16, 28, 28), -1, 1, 4, 3);

    // classifier-free guidance: one batched model call of 2n rows per evaluation
    Denoiser guided = Denoiser.guided(model, Conditioning.labels(3, 3, 3, 3), 2.0);

    // one line
    SampleResult quick = Diffusion.sample("gmm-2d", "dpmpp", 10, 100, 0);
    // --- end ---
    assertThat(r.nfe()).isEqualTo(8);
    assertThat(Files.size(dir.resolve("digits.png"))).isPositive();
    assertThat(guided.itemShape()).containsExactly(1, 28, 28);
    assertThat(quick.samples().shape()).containsExactly(100, 2);
  }
}
