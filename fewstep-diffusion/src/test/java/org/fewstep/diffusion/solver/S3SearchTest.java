package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.model.GaussianMixture;
import org.junit.jupiter.api.Test;

/** S3 over USF schedules: deterministic, never worse than the constant schedules it starts from (diffusion.md 7f). */
class S3SearchTest {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-2d");
  private static final S3Search.Settings SMALL = new S3Search.Settings(16, 2, 300, 8);

  private static S3Search.Result search(long seed) {
    NdArray search = Diffusion.prior(MODEL, 64, 1);
    NdArray held = Diffusion.prior(MODEL, 64, 2);
    return S3Search.run(Denoiser.of(MODEL), 5, search, held, SMALL, seed);
  }

  @Test
  void theSearchIsDeterministicAndBeatsOrMatchesEveryConstantSchedule() {
    S3Search.Result a = search(7);
    S3Search.Result b = search(7);
    assertThat(a.schedule()).usingRecursiveComparison().isEqualTo(b.schedule());
    assertThat(a.schedule().times()).isEqualTo(b.schedule().times());
    assertThat(a.searchRmse()).isEqualTo(b.searchRmse());
    assertThat(a.searchRmse()).isLessThanOrEqualTo(a.constantSearch());
    assertThat(a.evaluations()).isGreaterThan(24 + 16);
    assertThat(a.schedule().steps()).isEqualTo(5);
  }

  @Test
  void theSearchedScheduleRunsFromItsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    S3Search.Result r = search(3);
    java.nio.file.Path file = dir.resolve("s3.json");
    r.schedule().write(file);
    NdArray search = Diffusion.prior(MODEL, 64, 1);
    double[] exact = Diffusion.sampler("reference").sample(Denoiser.of(MODEL), 1, search, new org.fewstep.core.Rng(0),
        org.fewstep.core.listen.StepListener.NONE).samples().data();
    double[] out = Diffusion.sampler("usf:schedule=" + file).sample(Denoiser.of(MODEL), 5, search, new org.fewstep.core.Rng(0),
        org.fewstep.core.listen.StepListener.NONE).samples().data();
    assertThat(org.fewstep.core.math.Vectors.rmsDifference(out, exact)).isEqualTo(r.searchRmse());
  }

  @Test
  void withTeleportationTheJumpIsSearchedAndTheScheduleRunsBehindTheTeleportSampler(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) {
    NdArray search = Diffusion.prior(MODEL, 64, 1);
    GaussianApproximation gaussian = GaussianApproximation.of((GaussianMixture) MODEL, 0);
    S3Search.Result plain = S3Search.run(Denoiser.of(MODEL), 4, search, search, SMALL, 5);
    S3Search.Result r = S3Search.run(Denoiser.of(MODEL), 4, search, search, SMALL, 5, gaussian);
    // the initial population holds every schedule without a jump, and more
    assertThat(r.constantSearch()).isLessThanOrEqualTo(plain.constantSearch());
    assertThat(r.searchRmse()).isLessThanOrEqualTo(r.constantSearch());
    double first = r.schedule().times()[0];
    assertThat(first).isLessThan(MODEL.schedule().tStart()); // gmm-2d: a jump always pays
    assertThat(r.schedule().times()[4]).isEqualTo(MODEL.schedule().tEnd());

    java.nio.file.Path file = dir.resolve("s3.json");
    r.schedule().write(file);
    double skipTo = MODEL.schedule().at(first).noise();
    double[] exact = Diffusion.sampler("reference").sample(Denoiser.of(MODEL), 1, search, new Rng(0), StepListener.NONE)
        .samples().data();
    double[] out = Diffusion.sampler("teleport:gmm-2d,skip-to=" + skipTo + ",base=usf:schedule=" + file)
        .sample(Denoiser.of(MODEL), 4, search, new Rng(0), StepListener.NONE).samples().data();
    assertThat(Vectors.rmsDifference(out, exact)).isCloseTo(r.searchRmse(), within(1e-12 * r.searchRmse()));
    // without the jump the schedule would start from the wrong state: refused
    assertThatThrownBy(() -> Diffusion.sampler("usf:schedule=" + file).sample(Denoiser.of(MODEL), 4, search, new Rng(0),
        StepListener.NONE)).isInstanceOf(BadInputException.class).hasMessageContaining("teleport:STATS,skip-to=" + skipTo);
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> new S3Search.Settings(-1, 1, 1, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("initial population");
    assertThatThrownBy(() -> S3Search.run(Denoiser.of(MODEL), 0, Diffusion.prior(MODEL, 2, 1), Diffusion.prior(MODEL, 2, 2),
        SMALL, 1)).isInstanceOf(BadInputException.class).hasMessageContaining("nfe");
  }
}
