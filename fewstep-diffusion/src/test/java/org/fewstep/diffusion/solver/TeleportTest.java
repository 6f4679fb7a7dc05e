package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.GaussianProblem;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.Test;

/** The teleport sampler (diffusion.md 8f): identity at skip 0, exactness on Gaussian data, spec plumbing, errors. */
class TeleportTest {
  private static SampleResult run(String spec, DiffusionModel model, int steps, NdArray x) {
    return Diffusion.sampler(spec).sample(Denoiser.of(model), steps, x, new Rng(1), StepListener.NONE);
  }

  @Test
  void skipZeroIsBitIdenticalToTheBaseSampler() {
    DiffusionModel model = Diffusion.model("gmm-16d");
    NdArray x = Diffusion.prior(model, 8, 4);
    for (String base : new String[] {"unipc", "dpmpp:order=3", "heun", "dpmpp:sde=true"}) {
      SampleResult plain = run(base, model, 6, x);
      SampleResult teleported = run("teleport:gmm-16d,skip=0,base=" + base.replace(',', '+'), model, 6, x);
      assertThat(teleported.samples().data()).as(base).isEqualTo(plain.samples().data());
      assertThat(teleported.nfe()).isEqualTo(plain.nfe());
    }
  }

  @Test
  void exactOnGaussianData() {
    // the jump is exact and the reference solver continues exactly: the end point is the closed form
    GaussianMixture model = GaussianProblem.standard();
    NdArray x = GaussianProblem.start();
    GaussianApproximation exact = GaussianApproximation.of(model, 0);
    Teleport sampler = new Teleport("t", Diffusion.sampler("reference:rtol=1e-12,atol=1e-12"), exact, 0, 0.5,
        Teleport.Continuation.FRESH);
    SampleResult r = sampler.sample(Denoiser.of(model), 1, x, new Rng(0), StepListener.NONE);
    assertThat(GaussianProblem.rmseToExact(model, r.samples().data())).isLessThan(1e-10);
  }

  @Test
  void baseOptionsAndTheTailContinuation() {
    DiffusionModel model = Diffusion.model("gmm-16d");
    NdArray x = Diffusion.prior(model, 5, 9);
    Denoiser denoiser = Denoiser.of(model);
    SampleResult teleported = run("teleport:gmm-16d,base=unipc:order=3+variant=bh1,skip=2,continue=tail", model, 10, x);
    // by hand: the exact jump of the mixture's Gaussian to point 2 of unipc's grid, then unipc on the tail
    DiffusionSampler base = Diffusion.sampler("unipc:order=3,variant=bh1");
    TimeGrid grid = base.grid(model.schedule(), 10);
    double[] jumped = x.data().clone();
    GaussianApproximation.of((GaussianMixture) model, 0).flow(jumped, 5, grid.first(), grid.point(2));
    TimePoint[] tail = new TimePoint[9];
    for (int i = 0; i < 9; i++) {
      tail[i] = grid.point(i + 2);
    }
    SampleResult byHand = base.sample(denoiser, TimeGrid.of(tail), NdArray.of(jumped, x.shape()), new Rng(1),
        StepListener.NONE);
    assertThat(teleported.samples().data()).isEqualTo(byHand.samples().data());
    assertThat(teleported.nfe()).isEqualTo(8);
  }

  @Test
  void freshContinuationIsTheBaseGridFromTheJump() {
    DiffusionModel model = Diffusion.model("gmm-16d");
    NoiseSchedule schedule = model.schedule();
    DiffusionSampler sampler = Diffusion.sampler("teleport:gmm-16d,base=dpmpp,skip=0.3");
    TimeGrid full = Diffusion.sampler("dpmpp").grid(schedule, 10);
    TimeGrid grid = sampler.grid(schedule, 10);
    // start, then 7 logSNR-uniform steps from point 3 of the full grid to its end
    assertThat(grid.steps()).isEqualTo(8);
    assertThat(grid.point(0)).isEqualTo(full.point(0));
    double l0 = full.point(3).lambda();
    double l1 = full.last().lambda();
    for (int i = 0; i <= 7; i++) {
      assertThat(grid.point(i + 1).lambda()).isCloseTo(l0 + i * (l1 - l0) / 7, org.assertj.core.data.Offset.offset(1e-9));
    }
    SampleResult r = run("teleport:gmm-16d,base=dpmpp,skip=0.3", model, 10, Diffusion.prior(model, 3, 1));
    assertThat(r.nfe()).isEqualTo(7);
    SampleResult to = run("teleport:gmm-16d,base=dpmpp,skip-to=2", model, 6, Diffusion.prior(model, 3, 1));
    assertThat(to.nfe()).isEqualTo(6);
  }

  @Test
  void errorOfTheFittedGaussianGrowsAsTheJumpGoesDeeper() {
    // gmm-16d, its Gaussian fitted to 20 000 of its samples; exact state by the reference solver
    GaussianMixture model = (GaussianMixture) Diffusion.model("gmm-16d");
    GaussianApproximation fitted = GaussianApproximation.from("gmm-16d", 0, 20_000, 3);
    NoiseSchedule schedule = model.schedule();
    NdArray x = Diffusion.prior(model, 16, 2);
    TimePoint start = schedule.at(schedule.tStart());
    double previous = 0;
    double[] levels = {20, 5, 2, 1, 0.5, 0.2};
    double[] errors = new double[levels.length];
    for (int i = 0; i < levels.length; i++) {
      TimePoint at = schedule.atLambda(-Math.log(levels[i]));
      double[] exact = Diffusion.sampler("reference").sample(Denoiser.of(model), TimeGrid.of(start, at), x, new Rng(0),
          StepListener.NONE).samples().data();
      double[] jumped = x.data().clone();
      fitted.flow(jumped, 16, start, at);
      errors[i] = Vectors.rmsDifference(jumped, exact) / at.alpha();
      assertThat(errors[i]).as("sigma %s: errors %s", levels[i], Arrays.toString(errors)).isGreaterThan(previous);
      previous = errors[i];
    }
    assertThat(errors[0]).isLessThan(1e-2);
    assertThat(errors[errors.length - 1]).isGreaterThan(0.05);
  }

  @Test
  void badInput() {
    DiffusionModel model = Diffusion.model("gmm-16d");
    NdArray x = Diffusion.prior(model, 2, 0);
    assertThatThrownBy(() -> run("teleport:gmm-16d,skip=10", model, 10, x))
        .isInstanceOf(BadInputException.class).hasMessageContaining("skip").hasMessageContaining("at most 8 steps of 10");
    assertThatThrownBy(() -> run("teleport:gmm-16d,skip=0.95", model, 10, x))
        .isInstanceOf(BadInputException.class).hasMessageContaining("skip").hasMessageContaining("10 of 10 steps");
    assertThatThrownBy(() -> Diffusion.sampler("teleport:gmm-16d,skip=2.5"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("skip").hasMessageContaining("2.5");
    assertThatThrownBy(() -> Diffusion.sampler("teleport:gmm-16d,skip=2,skip-to=1"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("skip or skip-to");
    assertThatThrownBy(() -> Diffusion.sampler("teleport:gmm-16d,skip-to=1,continue=tail"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("continue=tail");
    assertThatThrownBy(() -> run("teleport:gmm-16d,skip-to=500", model, 10, x))
        .isInstanceOf(BadInputException.class).hasMessageContaining("skip-to").hasMessageContaining("500");
    assertThatThrownBy(() -> run("teleport:gmm-2d,skip=2", model, 10, x))
        .isInstanceOf(BadInputException.class).hasMessageContaining("dimension 2").hasMessageContaining("16 elements");
    assertThatThrownBy(() -> Diffusion.sampler("teleport:gmm-16d,base=nonesuch"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("nonesuch");
    assertThatThrownBy(() -> Diffusion.sampler("teleport:digits,stats-samples=10"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("stats-samples");
  }
}
