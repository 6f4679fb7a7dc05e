package org.fewstep.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference solver gives the exact endpoint: against the single Gaussian's closed-form flow
 * (max error below 1e-9 on three schedule families), and by tolerance halving on the 64-D mixture.
 */
class ReferenceSolverTest {
  @ParameterizedTest
  @ValueSource(strings = {"vp-linear", "vp-discrete:betas=scaled-linear", "vp-cosine", "edm"})
  void matchesTheClosedFormFlow(String scheduleSpec) {
    NoiseSchedule schedule = Schedules.create(scheduleSpec);
    GaussianMixture model = GaussianProblem.model(schedule, Prediction.EPS);
    NdArray start = GaussianProblem.start(schedule.priorScale());
    double[] exact = GaussianProblem.exact(model, start, schedule.at(schedule.tStart()), schedule.at(schedule.tEnd()));
    SampleResult r = Diffusion.sampler("reference").sample(Denoiser.of(model), 1, start, new Rng(0), StepListener.NONE);
    assertThat(Vectors.maxAbsDifference(r.samples().data(), exact)).isLessThan(1e-9);
  }

  @Test
  void toleranceHalvingOnTheMixture() {
    DiffusionModel model = Diffusion.model("gmm-64d");
    NdArray start = Diffusion.prior(model, 4, 3);
    double[] coarse = Diffusion.sampler("reference:rtol=1e-9,atol=1e-9").sample(Denoiser.of(model), 1, start, new Rng(0),
        StepListener.NONE).samples().data();
    double[] fine = Diffusion.sampler("reference:rtol=1e-12,atol=1e-12").sample(Denoiser.of(model), 1, start, new Rng(0),
        StepListener.NONE).samples().data();
    assertThat(Vectors.maxAbsDifference(coarse, fine)).isLessThan(1e-7).isGreaterThan(0);
  }

  @Test
  void stepLimit() {
    DiffusionModel model = Diffusion.model("gmm-2d");
    assertThatThrownBy(() -> Diffusion.sampler("reference:max-steps=5").sample(Denoiser.of(model), 1,
        Diffusion.prior(model, 1, 0), new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("more than max-steps = 5");
  }
}
