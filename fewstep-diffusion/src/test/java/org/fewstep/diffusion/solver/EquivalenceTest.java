package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identities between solvers (diffusion.md 1f oracles 1-2), checked on a non-Gaussian model (the
 * 8-component 2-D mixture) where any wrong coefficient shows: DDIM = DPM-Solver-1 = DPM-Solver++-1
 * = UniP-1 = DEIS order 0 = iPNDM order 0 = rhoRK Euler = EDM Euler; UniP-2 (bh2, no corrector) =
 * DPM-Solver++(2M); SDE-DPM-Solver++ with eta = 0 = the ODE solver; and eps, x0 and v models give
 * the same samples.
 */
class EquivalenceTest {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-2d");

  private static double[] run(String spec, DiffusionModel model, TimeGrid grid) {
    NdArray x = Diffusion.prior(model, 6, 11);
    return Diffusion.sampler(spec).sample(Denoiser.of(model), grid, x, new Rng(1), StepListener.NONE).samples().data();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void firstOrderSolversAreDdim(int steps) {
    for (String skip : new String[] {"logsnr", "time-uniform", "karras"}) {
      TimeGrid grid = Diffusion.sampler("ddim:skip=" + skip).grid(MODEL.schedule(), steps);
      double[] ddim = run("ddim", MODEL, grid);
      for (String spec : new String[] {"dpm-solver:method=multistep,order=1", "dpm-solver:method=singlestep,order=1",
          "dpmpp:order=1", "dpmpp:method=singlestep-fixed,order=1", "unipc:order=1,corrector=false",
          "unipc:order=1,prediction=noise,corrector=false", "deis:order=0", "deis:method=ipndm,order=0",
          "deis:method=rk,rk=euler", "euler", "dpmpp:order=1,sde=true,eta=0"}) {
        assertThat(Vectors.maxAbsDifference(run(spec, MODEL, grid), ddim)).as("%s vs ddim, %s", spec, skip)
            .isLessThan(1e-12);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5, 12})
  void uniPredictorOfOrderTwoIsDpmSolverPlusPlus2M(int steps) {
    TimeGrid grid = Diffusion.sampler("dpmpp").grid(MODEL.schedule(), steps);
    for (String rule : new String[] {"none", "always"}) {
      double[] dpmpp = run("dpmpp:order=2,final=" + rule, MODEL, grid);
      double[] unip = run("unipc:order=2,variant=bh2,corrector=false,final=" + rule, MODEL, grid);
      assertThat(Vectors.maxAbsDifference(unip, dpmpp)).as(rule).isLessThan(1e-12);
    }
    // SDE with eta = 0 is the ODE solver, for every order
    for (int order = 1; order <= 3 && order <= steps; order++) {
      assertThat(Vectors.maxAbsDifference(run("dpmpp:order=" + order + ",sde=true,eta=0", MODEL, grid),
          run("dpmpp:order=" + order, MODEL, grid))).isLessThan(1e-12);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dpmpp:order=3", "unipc:order=3", "dpm-solver", "heun", "deis", "pndm", "dpmpp:method=adaptive"})
  void predictionTypeDoesNotChangeTheSamples(String spec) {
    TimeGrid grid = Diffusion.sampler(spec).grid(MODEL.schedule(), 9);
    double[] x0 = run(spec, Diffusion.model("gmm-2d:prediction=x0"), grid);
    for (Prediction p : new Prediction[] {Prediction.EPS, Prediction.V}) {
      GaussianMixture model = (GaussianMixture) Diffusion.model("gmm-2d:prediction=" + p.key());
      assertThat(Vectors.maxAbsDifference(run(spec, model, grid), x0)).as("%s with %s", spec, p).isLessThan(1e-9);
    }
  }
}
