package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.GaussianProblem;
import org.fewstep.diffusion.model.GaussianMixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Convergence orders (diffusion.md 1f oracle 4, 3f oracle 4): the global error of the closed-form
 * Gaussian problem (logSNR steps) against the exact flow falls as {@code steps^-p}; the slope
 * {@code log2(error(N)/error(2N))} measured from N = 96 to 192 and from 192 to 384 steps must be
 * p within [-0.2, +0.25]. Multistep solvers run without end-of-run order reduction, which would cap
 * the order. Note DPM-Solver++(3M) (the ecosystem formula) is second order, UniPC of order p with
 * its corrector is of order p + 1, and DEIS AB with r past evaluations is of order r + 1.
 */
class ConvergenceTest {
  private static final GaussianMixture MODEL = GaussianProblem.standard();

  private static double error(String spec, int steps) {
    double[] out = Diffusion.sampler(spec).sample(Denoiser.of(MODEL), steps, GaussianProblem.start(), new Rng(0),
        StepListener.NONE).samples().data();
    return GaussianProblem.rmseToExact(MODEL, out);
  }

  @ParameterizedTest(name = "{0} has order {1} (from {2} steps)")
  @CsvSource(delimiter = '|', value = {
    "ddim:skip=logsnr | 1 | 96",
    "euler:skip=logsnr | 1 | 96",
    "heun:skip=logsnr | 2 | 96",
    "dpm-solver:method=multistep,order=2,final=none | 2 | 96",
    "dpm-solver:method=singlestep-fixed,order=2,solver-type=taylor | 2 | 96",
    "dpm-solver:method=singlestep-fixed,order=3 | 3 | 96",
    "dpmpp:order=2,final=none | 2 | 96",
    "dpmpp:order=2,solver-type=taylor,final=none | 2 | 96",
    "dpmpp:order=3,final=none | 2 | 96",
    "dpmpp:method=singlestep-fixed,order=3,solver-type=taylor | 3 | 96",
    "dpmpp:method=singlestep-fixed,order=3 | 3 | 384",
    "unipc:order=1,final=none | 2 | 96",
    "unipc:order=2,final=none | 3 | 96",
    "unipc:order=2,variant=bh1,final=none | 3 | 96",
    "unipc:order=3,final=none | 4 | 96",
    "unipc:order=4,final=none | 5 | 96",
    "unipc:order=2,corrector=false,final=none | 2 | 96",
    "deis:skip=logsnr,order=0 | 1 | 96",
    "deis:skip=logsnr,order=1 | 2 | 96",
    "deis:skip=logsnr,order=2 | 3 | 96",
    "deis:skip=logsnr,order=3 | 4 | 96",
    "deis:skip=logsnr,method=rk,rk=heun | 2 | 96",
    "deis:skip=logsnr,method=rk,rk=kutta3 | 3 | 96",
    "deis:skip=logsnr,method=rk,rk=rk4 | 4 | 96",
  })
  void globalErrorSlope(String spec, int order, int n) {
    double e1 = error(spec, n);
    double e2 = error(spec, 2 * n);
    double e4 = error(spec, 4 * n);
    double slope1 = Math.log(e1 / e2) / Math.log(2);
    double slope2 = Math.log(e2 / e4) / Math.log(2);
    assertThat(slope1).as("%s slope %d->%d (errors %s, %s)", spec, n, 2 * n, e1, e2).isBetween(order - 0.2, order + 0.25);
    assertThat(slope2).as("%s slope %d->%d (errors %s, %s)", spec, 2 * n, 4 * n, e2, e4).isBetween(order - 0.2, order + 0.25);
  }
}
