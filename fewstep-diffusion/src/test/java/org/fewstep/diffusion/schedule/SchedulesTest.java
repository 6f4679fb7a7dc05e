package org.fewstep.diffusion.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Schedules against the official code's NoiseScheduleVP values (golden/schedules.json: log alpha,
 * sigma, lambda at fixed t, inverse lambda, the time grids of get_time_steps and of the singlestep
 * order allocation), and exact round trips t -> lambda -> t.
 */
public class SchedulesTest {
  private static final double TOL = 1e-12;

  public static JsonNode golden() throws IOException {
    try (InputStream in = SchedulesTest.class.getResourceAsStream("/golden/schedules.json")) {
      return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "schedules.json").get("schedules");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "linear | dpm_solver | vp-linear",
    "linear | unipc | vp-linear",
    "discrete_linear | dpm_solver | vp-discrete:betas=linear",
    "discrete_linear | unipc | vp-discrete:betas=linear,clip=false",
    "discrete_scaled_linear | dpm_solver | vp-discrete:betas=scaled-linear",
    "discrete_scaled_linear | unipc | vp-discrete:betas=scaled-linear,clip=false",
    "discrete_squaredcos_cap_v2 | dpm_solver | vp-discrete:betas=squaredcos-cap-v2",
    "discrete_squaredcos_cap_v2 | unipc | vp-discrete:betas=squaredcos-cap-v2,clip=false",
    "cosine | unipc | vp-cosine",
  })
  void matchesOfficialNoiseSchedule(String name, String library, String spec) throws IOException {
    JsonNode g = golden().get(name).get(library);
    NoiseSchedule s = Schedules.create(spec);
    assertThat(s.tStart()).isCloseTo(g.get("t_start").asDouble(), within(TOL));
    assertThat(s.tEnd()).isCloseTo(g.get("t_end").asDouble(), within(TOL));
    if (s instanceof VpDiscreteSchedule) {
      assertThat(((VpDiscreteSchedule) s).length()).isEqualTo(g.get("total_N").asInt());
    }
    for (JsonNode p : g.get("points")) {
      double t = p.get("t").asDouble();
      assertThat(s.logAlpha(t)).as("log alpha(%s)", t).isCloseTo(p.get("marginal_log_mean_coeff").asDouble(), within(TOL));
      assertThat(s.sigma(t)).as("sigma(%s)", t).isCloseTo(p.get("marginal_std").asDouble(), within(1e-11));
      assertThat(s.lambda(t)).as("lambda(%s)", t).isCloseTo(p.get("marginal_lambda").asDouble(), within(1e-9));
      assertThat(s.at(t).alpha()).isCloseTo(p.get("marginal_alpha").asDouble(), within(TOL));
    }
    for (JsonNode p : g.get("inverse_lambda")) {
      assertThat(s.inverseLambda(p.get("lambda").asDouble())).as("inverse lambda(%s)", p.get("lambda"))
          .isCloseTo(p.get("t").asDouble(), within(1e-10));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = g.get("time_steps").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String[] parts = e.getKey().split("_N");
      Skip skip = Skip.of(parts[0].replace("logSNR", "logsnr").replace('_', '-'));
      int n = Integer.parseInt(parts[1]);
      double[] times = skip.times(s, s.tStart(), s.tEnd(), n, Skip.DEFAULT_RHO);
      for (int i = 0; i <= n; i++) {
        assertThat(times[i]).as("%s point %d", e.getKey(), i).isCloseTo(e.getValue().get(i).asDouble(), within(1e-10));
      }
    }
  }

  @Test
  void discreteClipDropsTheNoisiestEntriesAndRescalesTime() {
    VpDiscreteSchedule clipped = (VpDiscreteSchedule) Schedules.create("vp-discrete:betas=squaredcos-cap-v2");
    VpDiscreteSchedule kept = (VpDiscreteSchedule) Schedules.create("vp-discrete:betas=squaredcos-cap-v2,clip=false");
    assertThat(clipped.length()).isEqualTo(996);
    assertThat(kept.length()).isEqualTo(1000);
    assertThat(clipped.lambda(1)).isGreaterThan(-5.1);
    assertThat(kept.lambda(1)).isCloseTo(-9.917941075811987, within(1e-9));
    assertThat(clipped.networkTime(1)).isCloseTo(995, within(1e-9));
    assertThat(clipped.networkTime(1.0 / 996)).isCloseTo(0, within(1e-12));
  }

  @Property(tries = 200, seed = "20261127")
  void lambdaRoundTripsForEverySchedule(@ForAll @DoubleRange(min = 0.002, max = 0.99) @Scale(6) double u) {
    for (String spec : new String[] {"vp-linear", "vp-cosine", "vp-discrete", "vp-discrete:betas=scaled-linear", "ve", "edm"}) {
      NoiseSchedule s = Schedules.create(spec);
      double t = s.tEnd() + u * (s.tStart() - s.tEnd());
      assertThat(s.inverseLambda(s.lambda(t))).as(spec).isCloseTo(t, within(1e-9 * Math.max(1, t)));
      TimePoint p = s.at(t);
      assertThat(p.noise()).as(spec).isCloseTo(Math.exp(-p.lambda()), within(1e-12 * p.noise()));
      if (s.variancePreserving()) {
        assertThat(p.alpha() * p.alpha() + p.sigma() * p.sigma()).isCloseTo(1, within(1e-14));
      }
    }
  }

  @Test
  void closedForms() {
    NoiseSchedule linear = Schedules.create("vp-linear:beta0=0.1,beta1=20");
    // log alpha_t = -(beta1 - beta0) t^2 / 4 - beta0 t / 2 (diffusion.md 0.8 constants)
    assertThat(linear.at(1).alpha()).isCloseTo(0.0065715864949296189, within(1e-16));
    assertThat(linear.lambda(1)).isCloseTo(-5.024978406659204, within(1e-13));
    assertThat(linear.lambda(1e-3)).isCloseTo(4.5577149327298656, within(1e-12));
    NoiseSchedule edm = Schedules.create("edm");
    assertThat(edm.at(80).noise()).isEqualTo(80);
    assertThat(edm.tStart()).isEqualTo(80);
    assertThat(edm.priorScale()).isEqualTo(80);
    NoiseSchedule ve = Schedules.create("ve:sigma-min=0.01,sigma-max=50");
    assertThat(ve.sigma(0.5)).isCloseTo(0.01 * Math.sqrt(5000), within(1e-12));
  }

  @Test
  void gridsAreStrictlyMonotoneAndHitTheEnds() {
    NoiseSchedule s = Schedules.create("vp-linear");
    for (Skip skip : Skip.values()) {
      TimeGrid g = skip.grid(s, 7, 7);
      assertThat(g.steps()).isEqualTo(7);
      assertThat(g.first().t()).isCloseTo(1, within(1e-12));
      assertThat(g.last().t()).isCloseTo(1e-3, within(1e-12));
    }
    // Karras: noise levels follow (max^(1/rho) + i/N (min^(1/rho) - max^(1/rho)))^rho
    TimeGrid karras = Skip.KARRAS.grid(Schedules.create("edm"), 4, 7);
    double a = Math.pow(80, 1 / 7.0);
    double b = Math.pow(0.002, 1 / 7.0);
    for (int i = 0; i <= 4; i++) {
      assertThat(karras.point(i).noise()).isCloseTo(Math.pow(a + i / 4.0 * (b - a), 7), within(1e-12));
    }
  }

  @Test
  void badGridsAndRangesAreRejected() {
    NoiseSchedule s = Schedules.create("vp-linear");
    assertThatThrownBy(() -> TimeGrid.of(s, 1.0, 0.5, 0.6, 0.1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("not monotone").hasMessageContaining("t[2] = 0.6");
    assertThatThrownBy(() -> TimeGrid.of(s, 1.0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("at least 2");
    assertThatThrownBy(() -> TimeGrid.of(s, 1.0, Double.NaN))
        .isInstanceOf(BadInputException.class).hasMessageContaining("t[1]");
    assertThatThrownBy(() -> Skip.LOGSNR.grid(s, 0, 7))
        .isInstanceOf(BadInputException.class).hasMessageContaining("steps = 0");
    assertThatThrownBy(() -> Schedules.create("vp-linear:t-start=0.001,t-end=0.5"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("t-end < t-start");
    assertThatThrownBy(() -> Schedules.create("vp-cosine:t-start=2"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("t-start = 2");
    assertThatThrownBy(() -> Schedules.create("vp-discrete:betas=squaredcos-cap-v2,beta-start=0.1"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("takes no beta-start");
    assertThatThrownBy(() -> Schedules.create("vp-discrete:beta-end=1"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("beta[999] = 1.0");
  }

  @Test
  void jsonForm() {
    NoiseSchedule s = Schedules.fromJson(
        Json.parse("{\"type\": \"vp-linear\", \"beta0\": 0.1, \"beta1\": 20, \"tStart\": 1, \"tEnd\": 0.001}", "x"), "schedule");
    assertThat(s.lambda(1)).isCloseTo(-5.024978406659204, within(1e-13));
    assertThatThrownBy(() -> Schedules.fromJson(Json.parse("{\"type\": \"vp-lin\"}", "x"), "schedule"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("unknown schedule 'vp-lin'")
        .hasMessageContaining("did you mean 'vp-linear'");
    assertThatThrownBy(() -> Schedules.fromJson(Json.parse("{\"type\": \"vp-linear\", \"beta2\": 3}", "x"), "schedule"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("unknown option 'beta2'");
    assertThatThrownBy(() -> Schedules.fromJson(Json.parse("{\"beta0\": 3}", "x"), "schedule"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("\"type\" is missing");
  }
}
