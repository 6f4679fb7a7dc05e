package org.fewstep.diffusion;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input fails fast with a message that names the parameter, the value and what was expected:
 * step counts, orders above the steps, non-monotone grids, NaN/Inf from the model (naming the step
 * and sigma), malformed GMM files, wrong shapes, unknown samplers and options.
 */
class BadInputTest {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-2d");

  private static void sample(String spec, int steps) {
    Diffusion.sampler(spec).sample(Denoiser.of(MODEL), steps, Diffusion.prior(MODEL, 2, 0), new Rng(0), StepListener.NONE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "dpmpp | 0 | steps = 0: expected at least 2 for dpmpp",
    "ddim | 0 | steps = 0: expected at least 1 for ddim",
    "dpmpp:order=3 | 2 | steps = 2: expected at least 3",
    "dpmpp:method=singlestep-fixed,order=3 | 2 | steps = 2: expected at least 3",
    "unipc:order=4 | 3 | steps = 3: expected at least 4",
    "heun | -1 | steps = -1",
  })
  void stepCounts(String spec, int steps, String message) {
    assertThatThrownBy(() -> sample(spec, steps)).isInstanceOf(BadInputException.class).hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "dpmp | unknown sampler 'dpmp' (did you mean 'dpmpp'?); valid samplers: dc, ddim, deis, dpm-solver, dpmpp",
    "dpmpp:ordr=2 | dpmpp: unknown option 'ordr' (did you mean 'order'?); valid options: [skip",
    "dpmpp:order=4 | dpmpp:order = 4: expected an integer in [1, 3]",
    "dpmpp:order=two | dpmpp:order = two: expected an integer in [1, 3]",
    "dpmpp:skip=cosine | dpmpp:skip = cosine: expected one of [time-uniform, logsnr, time-quadratic, karras]",
    "dpm-solver:thresholding=dynamic | dpm-solver: unknown option 'thresholding'",
    "dpmpp:eta=0.5 | eta applies to sde=true only",
    "dpmpp:method=adaptive,order=1 | order = 1: expected 2 or 3 for method=adaptive",
    "dpmpp:method=singlestep,sde=true | method = singlestep: expected multistep when sde=true",
    "deis:method=rk,basis=rho | basis applies to method=ab only",
    "unipc:prediction=noise,thresholding=static | it needs prediction=data",
    "ddim:eta=2 | ddim:eta = 2: expected a number in [0, 1]",
  })
  void badSpecs(String spec, String message) {
    assertThatThrownBy(() -> Diffusion.sampler(spec)).isInstanceOf(BadInputException.class).hasMessageContaining(message);
  }

  @Test
  void nonMonotoneGrid() {
    NoiseSchedule s = MODEL.schedule();
    assertThatThrownBy(() -> Diffusion.sampler("dpmpp").sample(Denoiser.of(MODEL), TimeGrid.of(s, 1, 0.2, 0.5, 0.01),
        Diffusion.prior(MODEL, 1, 0), new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("t[2] = 0.5 >= t[1] = 0.2");
  }

  @Test
  void nanOrInfFromTheModelNamesStepAndSigma() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      Denoiser broken = new Denoiser() {
        int calls;

        @Override
        public NoiseSchedule schedule() {
          return MODEL.schedule();
        }

        @Override
        public int[] itemShape() {
          return MODEL.itemShape();
        }

        @Override
        public void denoise(double[] x, int n, TimePoint at, double[] out) {
          java.util.Arrays.fill(out, 0.1);
          if (++calls == 3) {
            out[3] = bad;
          }
        }
      };
      assertThatThrownBy(() -> Diffusion.sampler("unipc").sample(broken, 6, Diffusion.prior(MODEL, 2, 0), new Rng(0),
          StepListener.NONE))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("the model returned " + bad + " at step 2 of 6")
          .hasMessageContaining("sigma = ")
          .hasMessageContaining("sample 1, element 1");
    }
  }

  @Test
  void startBatchShapeAndValues() {
    DiffusionSampler s = Diffusion.sampler("ddim");
    assertThatThrownBy(() -> s.sample(Denoiser.of(MODEL), 3, NdArray.zeros(4, 3), new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("start batch shape = [4, 3]: expected [n, 2]");
    NdArray nan = NdArray.zeros(2, 2);
    nan.data()[3] = Double.NaN;
    assertThatThrownBy(() -> s.sample(Denoiser.of(MODEL), 3, nan, new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("start batch element 3 = NaN");
  }

  @Test
  void conditioningLabels() {
    assertThatThrownBy(() -> Denoiser.guided(MODEL, Conditioning.labels(0, 8), 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("label[1] = 8: expected a class in [0, 7]");
    DiffusionModel unconditional = GaussianProblem.standard();
    assertThatThrownBy(() -> Denoiser.conditional(unconditional, Conditioning.labels(0)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("is unconditional");
    assertThatThrownBy(() -> Denoiser.guided(MODEL, Conditioning.labels(1), Double.NaN))
        .isInstanceOf(BadInputException.class).hasMessageContaining("guidance scale = NaN");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"weights\": [1], \"means\": [[0]], | malformed JSON at line 1",
    "{\"weights\": [1], \"stds\": [[1]]} | the field \"means\" is missing",
    "{\"weights\": [0.5, 0.4], \"means\": [[0], [1]], \"stds\": [[1], [1]]} | sum of weights = 0.9",
    "{\"weights\": [1], \"means\": [[0, 1]], \"stds\": [[1]]} | stds[0] = an array of 1 numbers: expected an array of 2 numbers",
    "{\"weights\": [0.5, 0.5], \"means\": [[0], [1, 2]], \"stds\": [[1], [1]]} | means[1] = an array of 2 numbers: expected an array of 1",
    "{\"weights\": [1], \"means\": [[0]], \"stds\": [[-1]]} | stds[0][0] = -1.0: expected a finite number >= 0",
    "{\"weights\": [1], \"means\": [[\"a\"]], \"stds\": [[1]]} | means[0][0] = \"a\": expected a number",
    "{\"weights\": [1], \"mean\": [[0]], \"stds\": [[1]]} | unknown field \"mean\"",
    "{\"weights\": [1], \"means\": [[0]], \"stds\": [[1]], \"labels\": [0.5]} | labels[0] = 0.5: expected an integer",
    "{\"schedule\": {\"type\": \"vp\"}, \"weights\": [1], \"means\": [[0]], \"stds\": [[1]]} | unknown schedule 'vp'",
  })
  void malformedMixtureFiles(String json, String message, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.json");
    Files.writeString(file, json);
    assertThatThrownBy(() -> Diffusion.model("gmm:" + file)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining(message);
  }

  @Test
  void missingMixtureFile() {
    assertThatThrownBy(() -> Diffusion.model("gmm:/no/such/file.json")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("/no/such/file.json does not exist");
    assertThatThrownBy(() -> Diffusion.model("gmm")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("the option 'file' is required");
  }

  @Test
  void mixtureFileLoads(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ok.json");
    Files.writeString(file, "{\"schedule\": {\"type\": \"vp-linear\", \"beta0\": 0.1, \"beta1\": 20, \"tStart\": 1, \"tEnd\": 0.001},"
        + " \"weights\": [0.25, 0.75], \"means\": [[0, 1], [2, 3]], \"stds\": [[1, 1], [0.5, 0.5]]}");
    GaussianMixture m = (GaussianMixture) Diffusion.model("gmm:" + file + ",prediction=v");
    org.assertj.core.api.Assertions.assertThat(m.components()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(m.dimension()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(m.prediction()).isEqualTo(Prediction.V);
  }
}
