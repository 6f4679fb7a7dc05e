package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.GaussianProblem;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference table of diffusion.md 0.8 (official DPM-Solver and UniPC code, float64, closed-form
 * Gaussian problem, VP linear, t from 1 to 1e-3): RMSE at NFE 5, 10 and 20 reproduced to 1e-9
 * relative with fewstep's own specs (mostly its defaults), and the row-0 outputs bit for bit to
 * 1e-10.
 */
class ReferenceNumbersTest {
  private static final GaussianMixture MODEL = GaussianProblem.standard();

  private static SampleResult run(String spec, int nfe) {
    return Diffusion.sampler(spec).sample(Denoiser.of(MODEL), nfe, GaussianProblem.start(), new Rng(0), StepListener.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "ddim:skip=logsnr                     | 2.4580492325e-01 | 1.3448827479e-01 | 7.1259545983e-02",
    "dpmpp                                | 9.5113980704e-02 | 2.1681602946e-02 | 8.2422654962e-03",
    "dpmpp:order=3                        | 4.9366874031e-02 | 3.5449600423e-02 | 4.7473832164e-03",
    "dpmpp:skip=time-uniform              | 2.0865839315e-01 | 1.8180229949e-01 | 9.2932912707e-02",
    "dpm-solver:method=multistep,order=2  | 1.2088760755e-01 | 3.1321688655e-02 | 8.6225101636e-03",
    "dpm-solver                           | 7.7855679566e-01 | 1.5261024156e-02 | 5.2890100375e-03",
    "dpmpp:method=singlestep,order=3      | 2.3823617352e-01 | 2.1172892497e-02 | 9.5836444945e-04",
    "dpmpp:method=singlestep,order=2      | 1.8291857893e-01 | 8.9407939092e-02 | 2.9461229815e-02",
    "unipc:variant=bh1                    | 1.6316514808e-01 | 1.0812812790e-01 | 1.2116595183e-02",
    "unipc:variant=bh1,order=3            | 1.6444157208e-01 | 5.0886294928e-02 | 3.1924903456e-04",
    "unipc                                | 7.7588069251e-02 | 2.5029437341e-02 | 5.0632691248e-03",
    "unipc:order=3                        | 4.6024367289e-02 | 4.8018080053e-02 | 2.7661695259e-04",
  })
  void rmseTable(String spec, double nfe5, double nfe10, double nfe20) {
    double[] expected = {nfe5, nfe10, nfe20};
    int[] nfes = {5, 10, 20};
    for (int i = 0; i < 3; i++) {
      SampleResult r = run(spec, nfes[i]);
      assertThat(r.nfe()).isEqualTo(nfes[i]);
      assertThat(GaussianProblem.rmseToExact(MODEL, r.samples().data())).as("%s at NFE %d", spec, nfes[i]).isCloseTo(expected[i],
          org.assertj.core.api.Assertions.withinPercentage(1e-7));
    }
  }

  @Test
  void rowZeroOutputs() {
    double[][] cases = {
      {-0.118487968224, -1.51080782676}, // DPM-Solver++ 2M, logSNR, NFE 10
      {-0.118411568206, -1.51374993035}, // UniPC bh2 order 2, NFE 10
      {0.0266783107991, -1.38827281852}, // DDIM, NFE 10
    };
    String[] specs = {"dpmpp", "unipc", "ddim:skip=logsnr"};
    for (int c = 0; c < 3; c++) {
      double[] out = run(specs[c], 10).samples().data();
      assertThat(out[0]).as(specs[c]).isCloseTo(cases[c][0], org.assertj.core.api.Assertions.within(1e-11));
      assertThat(out[1]).as(specs[c]).isCloseTo(cases[c][1], org.assertj.core.api.Assertions.within(1e-10));
      assertThat(out[2]).as("third coordinate stays alpha * mu = 0").isEqualTo(0.0);
    }
  }
}
