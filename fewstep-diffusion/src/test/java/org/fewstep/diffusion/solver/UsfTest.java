package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unified sampling framework's constant schedules are the standard solvers, bit for bit (diffusion.md 7f). */
class UsfTest {
  @TempDir
  Path dir;

  private static double[] run(String spec, DiffusionModel model, int steps, NdArray start) {
    return Diffusion.sampler(spec).sample(Denoiser.of(model), steps, start, new Rng(0), StepListener.NONE).samples().data();
  }

  @Test
  void constantSchedulesAreTheStandardSolversBitForBit() {
    String[][] pairs = {
        {"usf:preset=dpmpp-2m", "dpmpp"},
        {"usf:preset=dpmpp-3m", "dpmpp:order=3"},
        {"usf:preset=unipc-bh1-2", "unipc:variant=bh1"},
        {"usf:preset=unipc-bh2-2", "unipc"},
        {"usf:preset=unipc-bh1-3", "unipc:order=3,variant=bh1"},
        {"usf:preset=unipc-bh2-3", "unipc:order=3"},
    };
    for (String model : new String[] {"gmm-2d", "gmm-16d"}) {
      DiffusionModel m = Diffusion.model(model);
      NdArray start = Diffusion.prior(m, 16, 3);
      for (String[] pair : pairs) {
        for (int steps : new int[] {3, 5, 8, 12}) {
          assertThat(run(pair[0], m, steps, start)).as("%s vs %s, %s, %d steps", pair[0], pair[1], model, steps)
              .isEqualTo(run(pair[1], m, steps, start));
        }
      }
    }
  }

  @Test
  void aNoiseStepMayFollowADataStep() {
    DiffusionModel m = Diffusion.model("gmm-2d");
    NdArray start = Diffusion.prior(m, 16, 3);
    double[] times = Diffusion.sampler("dpmpp").grid(m.schedule(), 6).times();
    // the noise-prediction constant schedule is DPM-Solver (noise) 2M
    List<SolverSchedule.Decision> noise = new ArrayList<>();
    List<SolverSchedule.Decision> mixed = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      int order = FinalOrder.LOWER10.order(2, i, 6);
      noise.add(new SolverSchedule.Decision("noise", order, SolverSchedule.Formula.DPMSOLVER, false));
      mixed.add(new SolverSchedule.Decision(i % 2 == 0 ? "noise" : "data", order, SolverSchedule.Formula.DPMSOLVER, false));
    }
    Path noiseFile = dir.resolve("noise.json");
    new SolverSchedule(times, noise).write(noiseFile);
    assertThat(run("usf:schedule=" + noiseFile, m, 6, start))
        .isEqualTo(run("dpm-solver:method=multistep,order=2,final=lower10", m, 6, start));
    Path mixedFile = dir.resolve("mixed.json");
    new SolverSchedule(times, mixed).write(mixedFile);
    double[] exact = run("reference", m, 1, start);
    double mixedError = Vectors.rmsDifference(run("usf:schedule=" + mixedFile, m, 6, start), exact);
    assertThat(mixedError).isLessThan(0.5); // runs, and stays a sensible solver
  }

  @Test
  void scheduleFilesRoundTripAndBadFilesAreClearErrors() throws Exception {
    double[] times = {1.0, 0.5, 0.1, 0.001};
    SolverSchedule s = SolverSchedule.preset("unipc-bh2-3", times);
    Path file = dir.resolve("s.json");
    s.write(file);
    SolverSchedule back = SolverSchedule.read(file);
    assertThat(back.times()).isEqualTo(times);
    assertThat(back.decisions()).isEqualTo(s.decisions());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, Files.readString(file).replace("\"unip-bh2\"", "\"rk4\""));
    assertThatThrownBy(() -> SolverSchedule.read(bad)).isInstanceOf(BadInputException.class).hasMessageContaining("steps[0]")
        .hasMessageContaining("formula");
    Path corrector = dir.resolve("corrector.json");
    Files.writeString(corrector, Files.readString(file).replaceFirst("\"unip-bh2\"", "\"taylor\""));
    assertThatThrownBy(() -> SolverSchedule.read(corrector)).isInstanceOf(BadInputException.class).hasMessageContaining("corrector");
    Path order = dir.resolve("order.json");
    Files.writeString(order, Files.readString(file).replaceFirst("\"order\" : 1", "\"order\" : 5"));
    assertThatThrownBy(() -> SolverSchedule.read(order)).isInstanceOf(BadInputException.class).hasMessageContaining("order");
    assertThatThrownBy(() -> new SolverSchedule(new double[] {1, 1.5}, List.of(s.decisions().get(0))))
        .isInstanceOf(BadInputException.class).hasMessageContaining("time 1");
    assertThatThrownBy(() -> Diffusion.sampler("usf:schedule=" + file).sample(Denoiser.of(Diffusion.model("gmm-2d")), 5,
        Diffusion.prior(Diffusion.model("gmm-2d"), 2, 0), new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("3 (the solver schedule's)");
    assertThatThrownBy(() -> Diffusion.sampler("usf:preset=rk4")).isInstanceOf(BadInputException.class).hasMessageContaining("preset");
  }
}
