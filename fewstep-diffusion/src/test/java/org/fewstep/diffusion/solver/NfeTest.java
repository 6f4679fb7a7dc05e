package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepEvent;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every solver spends the documented number of model evaluations (diffusion.md 0.5, 1f oracle 6,
 * 4f oracle 3) and reports one listener event per step; DPM-Solver's singlestep order allocation
 * and outer time points equal the official code's (golden/schedules.json).
 */
class NfeTest {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-2d");

  @ParameterizedTest(name = "{0}, {1} steps: NFE {2}")
  @CsvSource(delimiter = '|', value = {
    "ddim | 10 | 10", "euler | 10 | 10", "heun | 10 | 20", "heun:denoise=true | 10 | 21",
    "dpmpp | 10 | 10", "dpmpp:denoise=true | 10 | 11", "dpmpp:order=3 | 3 | 3",
    "dpmpp:method=singlestep,order=3 | 10 | 10", "dpmpp:method=singlestep,order=3 | 6 | 6",
    "dpm-solver:method=singlestep,order=2 | 7 | 7", "dpm-solver | 1 | 1",
    "dpmpp:method=singlestep-fixed,order=3 | 10 | 9", "dpmpp:method=singlestep-fixed,order=2 | 5 | 4",
    "unipc | 10 | 10", "unipc:order=3,corrector=false | 10 | 10", "unipc:denoise=true | 4 | 5",
    "pndm | 10 | 19", "pndm | 2 | 8", "pndm:variant=s-pndm | 10 | 11",
    "deis | 10 | 10", "deis:method=rk,rk=kutta3 | 10 | 30", "deis:method=rk,rk=rk4 | 5 | 20", "deis:method=ipndm | 7 | 7",
  })
  void evaluationsPerRun(String spec, int steps, int nfe) {
    List<Integer> events = new ArrayList<>();
    int[] finished = {-1};
    StepListener listener = new StepListener() {
      @Override
      public void onStep(StepEvent e) {
        events.add(e.nfe());
      }

      @Override
      public void onFinish(int n) {
        finished[0] = n;
      }
    };
    SampleResult r = Diffusion.sampler(spec).sample(Denoiser.of(MODEL), steps, Diffusion.prior(MODEL, 3, 1), new Rng(0), listener);
    assertThat(r.nfe()).isEqualTo(nfe);
    assertThat(finished[0]).isEqualTo(nfe);
    assertThat(events).hasSize(r.steps()).isSorted();
    assertThat(r.steps()).isEqualTo(Diffusion.sampler(spec).grid(MODEL.schedule(), steps).steps());
  }

  @Test
  void guidanceCostsOneEvaluationPerStep() {
    Denoiser guided = Denoiser.guided(MODEL, org.fewstep.diffusion.Conditioning.labels(0, 1, 2), 4.0);
    assertThat(Diffusion.sampler("dpmpp").sample(guided, 8, Diffusion.prior(MODEL, 3, 1), new Rng(0), StepListener.NONE).nfe())
        .isEqualTo(8);
  }

  @Test
  void singlestepPlanMatchesTheOfficialAllocation() throws Exception {
    JsonNode golden = SchedulesGolden.load();
    String[][] schedules = {{"linear", "vp-linear"}, {"discrete_linear", "vp-discrete"}};
    for (String[] s : schedules) {
      NoiseSchedule schedule = Schedules.create(s[1]);
      JsonNode cases = golden.get(s[0]).get("dpm_solver").get("singlestep_outer_time_steps");
      for (Iterator<Map.Entry<String, JsonNode>> it = cases.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        // keys like logSNR_steps10_order3
        String[] parts = e.getKey().split("_steps|_order");
        String skip = parts[0].equals("logSNR") ? "logsnr" : parts[0].replace('_', '-');
        int steps = Integer.parseInt(parts[1]);
        int order = Integer.parseInt(parts[2]);
        TimeGrid grid = Diffusion.sampler("dpm-solver:method=singlestep,order=" + order + ",skip=" + skip).grid(schedule, steps);
        JsonNode orders = e.getValue().get("orders");
        JsonNode times = e.getValue().get("t");
        assertThat(grid.steps()).as(e.getKey()).isEqualTo(orders.size());
        for (int i = 0; i < orders.size(); i++) {
          assertThat(grid.order(i, -1)).as(e.getKey()).isEqualTo(orders.get(i).asInt());
        }
        for (int i = 0; i <= grid.steps(); i++) {
          assertThat(grid.point(i).t()).as(e.getKey() + " t[" + i + "]").isCloseTo(times.get(i).asDouble(), within(1e-10));
        }
      }
    }
  }

  /** The schedules golden file. */
  static final class SchedulesGolden {
    static JsonNode load() throws java.io.IOException {
      return org.fewstep.diffusion.schedule.SchedulesTest.golden();
    }
  }
}
