package org.fewstep.onnx.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.VpDiscreteSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scheduler_config.json into fewstep's schedule, and diffusers' inference timesteps
 * (DPMSolverMultistepScheduler.set_timesteps, worked out by hand from its formulas).
 */
class SchedulerConfigTest {
  @TempDir
  Path dir;

  private SchedulerConfig config(String json) throws IOException {
    Path file = dir.resolve("scheduler_config.json");
    Files.writeString(file, json);
    return SchedulerConfig.read(file);
  }

  @Test
  void defaultsAreDiffusers() throws IOException {
    SchedulerConfig c = config("{}");
    assertThat(c.trainSteps()).isEqualTo(1000);
    assertThat(c.prediction()).isEqualTo(Prediction.EPS);
    assertThat(c.spacing()).isEqualTo(SchedulerConfig.Spacing.LINSPACE);
    assertThat(c.stepsOffset()).isZero();
    VpDiscreteSchedule linear = (VpDiscreteSchedule) Schedules.create("vp-discrete:betas=linear");
    for (double t : new double[] {1.0, 0.5, 0.001, 0.4567}) {
      assertThat(c.schedule().logAlpha(t)).isEqualTo(linear.logAlpha(t));
    }
    assertThat(config("{\"prediction_type\": \"sample\"}").prediction()).isEqualTo(Prediction.X0);
    assertThat(config("{\"prediction_type\": \"v_prediction\"}").prediction()).isEqualTo(Prediction.V);
  }

  @Test
  void stableDiffusionBetasAndTrainedBetas() throws IOException {
    SchedulerConfig sd = config("{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012}");
    // alphas_cumprod[999] of Stable Diffusion's schedule: 0.00466009851 in float64 (numpy), 0.0046600895
    // in diffusers' float32.
    assertThat(Math.exp(2 * sd.schedule().logAlpha(sd.time(999)))).isCloseTo(0.00466009851, org.assertj.core.data.Offset.offset(1e-11));
    double[] betas = VpDiscreteSchedule.Betas.LINEAR.betas(1000, 1e-4, 0.02);
    String list = Arrays.stream(betas).mapToObj(Double::toString).collect(Collectors.joining(","));
    SchedulerConfig trained = config("{\"trained_betas\": [" + list + "], \"beta_schedule\": \"ignored\"}");
    assertThat(trained.schedule().logAlpha(0.3)).isEqualTo(config("{}").schedule().logAlpha(0.3));
  }

  @Test
  void inferenceTimestepsFollowDpmSolverMultistep() throws IOException {
    assertThat(config("{\"timestep_spacing\": \"linspace\"}").timesteps(10))
        .containsExactly(999, 899, 799, 699, 599, 500, 400, 300, 200, 100);
    assertThat(config("{\"timestep_spacing\": \"trailing\"}").timesteps(10))
        .containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
    int[] leading = config("{\"timestep_spacing\": \"leading\", \"steps_offset\": 1}").timesteps(20);
    assertThat(leading).hasSize(20);
    assertThat(leading[0]).isEqualTo(20 * 47 + 1);
    assertThat(leading[19]).isEqualTo(47 + 1);
    assertThat(config("{\"timestep_spacing\": \"trailing\"}").timesteps(3)).containsExactly(999, 666, 332);
  }

  @Test
  void theGridEndsAtTimestepZeroAndHitsTrainingSteps() throws IOException {
    SchedulerConfig c = config("{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
        + " \"timestep_spacing\": \"leading\", \"steps_offset\": 1}");
    TimeGrid grid = c.grid(20);
    assertThat(grid.steps()).isEqualTo(20);
    int[] k = c.timesteps(20);
    for (int i = 0; i < k.length; i++) {
      assertThat(c.schedule().networkTime(grid.point(i).t())).isCloseTo(k[i], org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(grid.last().t()).isEqualTo(c.schedule().tEnd());
    assertThatThrownBy(() -> c.grid(1000)).isInstanceOf(BadInputException.class).hasMessageContaining("steps = 1000");
    assertThatThrownBy(() -> config("{\"timestep_spacing\": \"trailing\"}").grid(1000))
        .isInstanceOf(BadInputException.class).hasMessageContaining("would already be 0");
    assertThatThrownBy(() -> config("{\"use_karras_sigmas\": true}").grid(10))
        .isInstanceOf(BadInputException.class).hasMessageContaining("use_karras_sigmas").hasMessageContaining("skip=karras");
  }

  @Test
  void cosineBetasWithLambdaClipAndPythonInfinity() throws IOException {
    // diffusers writes -inf as the non-standard JSON token -Infinity.
    SchedulerConfig free = config("{\"beta_schedule\": \"squaredcos_cap_v2\", \"lambda_min_clipped\": -Infinity}");
    assertThat(free.timesteps(10)[0]).isEqualTo(999);
    SchedulerConfig clipped = config("{\"beta_schedule\": \"squaredcos_cap_v2\", \"lambda_min_clipped\": -5.1}");
    int first = clipped.timesteps(10)[0];
    assertThat(first).isLessThan(999);
    assertThat(clipped.schedule().lambda(clipped.time(first))).isGreaterThanOrEqualTo(-5.1);
  }

  @Test
  void badFiles() {
    assertThatThrownBy(() -> SchedulerConfig.read(dir.resolve("none.json")))
        .isInstanceOf(BadInputException.class).hasMessageContaining("none.json");
    assertThatThrownBy(() -> config("{\"steps_offset\": -1}"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("steps_offset = -1");
    assertThatThrownBy(() -> config("{\"timestep_type\": \"continuous\"}"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("timestep_type = continuous");
    assertThatThrownBy(() -> config("{\"use_karras_sigmas\": \"yes\"}"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("use_karras_sigmas = \"yes\"");
    assertThatThrownBy(() -> config(""))
        .isInstanceOf(BadInputException.class).hasMessageContaining("empty JSON");
  }
}
