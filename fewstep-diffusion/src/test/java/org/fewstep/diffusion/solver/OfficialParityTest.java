package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Json;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.GaussianProblem;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.VeSchedule;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code compat=official} reproduces the official DPM-Solver, UniPC and k-diffusion code: every
 * case of the golden files (src/test/resources/golden, produced by running the unmodified
 * upstream code in float64, see its README) must match element-wise to 1e-8 (relative to
 * 1 + |value|), with the same NFE.
 */
class OfficialParityTest {
  private static final double TOLERANCE = 1e-8;

  @TestFactory
  Stream<DynamicTest> dpmSolver() {
    return Stream.of(
            cases("dpm_solver_linear.json", "vp-linear:beta0=0.1,beta1=20"),
            cases("dpm_solver_discrete_linear.json", "vp-discrete:betas=linear"),
            cases("dpm_solver_discrete_scaled_linear.json", "vp-discrete:betas=scaled-linear"),
            cases("dpm_solver_discrete_squaredcos_cap_v2.json", "vp-discrete:betas=squaredcos-cap-v2"))
        .flatMap(List::stream);
  }

  @TestFactory
  Stream<DynamicTest> uniPc() {
    return Stream.of(
            cases("unipc_linear.json", "vp-linear:beta0=0.1,beta1=20"),
            cases("unipc_discrete_linear.json", "vp-discrete:betas=linear,clip=false"),
            cases("unipc_discrete_scaled_linear.json", "vp-discrete:betas=scaled-linear,clip=false"),
            cases("unipc_cosine.json", "vp-cosine"))
        .flatMap(List::stream);
  }

  @TestFactory
  List<DynamicTest> kDiffusion() throws IOException {
    JsonNode root = golden("kdiffusion_edm.json");
    GaussianMixture model = GaussianProblem.model(VeSchedule.edm(0.002, 80), Prediction.X0);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      String sampler = c.get("sampler").asText();
      String spec;
      switch (sampler) {
        case "sample_euler":
          spec = "euler:skip=karras,denoise=true";
          break;
        case "sample_heun":
          spec = "heun:skip=karras,denoise=true";
          break;
        case "sample_dpmpp_2m":
          spec = "dpmpp:method=multistep,order=2,final=none,skip=karras,denoise=true";
          break;
        default:
          continue; // LMS and DPM-2 are not fewstep samplers
      }
      int n = c.get("n").asInt();
      tests.add(DynamicTest.dynamicTest(sampler + " n=" + n, () ->
          check(spec, model, n - 1, GaussianProblem.start(80), c)));
    }
    return tests;
  }

  private static List<DynamicTest> cases(String file, String scheduleSpec) {
    JsonNode root;
    try {
      root = golden(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      String spec = spec(c);
      if (spec == null) {
        continue;
      }
      String schedule = scheduleSpec + (scheduleSpec.contains(":") ? "," : ":")
          + "t-start=" + c.get("t_start").asDouble() + ",t-end=" + c.get("t_end").asDouble();
      NoiseSchedule s = Schedules.create(schedule);
      GaussianMixture model = GaussianProblem.model(s, Prediction.EPS);
      tests.add(DynamicTest.dynamicTest(file + " " + spec + " steps=" + c.get("steps").asInt(), () ->
          check(spec, model, Math.max(1, c.get("steps").asInt()), GaussianProblem.start(), c)));
    }
    return tests;
  }

  /** The fewstep spec of an official case, or null for a variant fewstep does not offer. */
  private static String spec(JsonNode c) {
    List<String> options = new ArrayList<>();
    String name;
    if (c.get("library").asText().equals("unipc")) {
      String variant = c.get("variant").asText();
      if (variant.equals("vary_coeff")) {
        return null; // upstream converges at first order only (golden README, quirk 7)
      }
      name = "unipc";
      options.add("variant=" + variant);
      options.add("prediction=" + (c.get("algorithm_type").asText().equals("noise_prediction") ? "noise" : "data"));
    } else {
      name = c.get("algorithm_type").asText().equals("dpmsolver") ? "dpm-solver" : "dpmpp";
      options.add("method=" + c.get("method").asText().replace('_', '-'));
      options.add("solver-type=" + c.get("solver_type").asText());
      if (c.get("method").asText().equals("adaptive")) {
        options.add("atol=" + c.get("atol").asDouble());
        options.add("rtol=" + c.get("rtol").asDouble());
      }
    }
    options.add("order=" + c.get("order").asInt());
    if (c.hasNonNull("skip_type")) {
      options.add("skip=" + c.get("skip_type").asText().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    options.add("final=" + (c.get("lower_order_final").asBoolean() ? "official" : "none"));
    if (c.get("denoise_to_zero").asBoolean()) {
      options.add("denoise=true");
    }
    if (c.get("correcting_x0_fn").asText().equals("dynamic_thresholding")) {
      options.add("thresholding=dynamic");
      options.add("threshold-max=" + c.get("thresholding_max_val").asDouble());
      options.add("threshold-ratio=" + c.get("dynamic_thresholding_ratio").asDouble());
    }
    options.add("compat=official");
    return name + ":" + String.join(",", options);
  }

  private static void check(String spec, GaussianMixture model, int steps, NdArray start, JsonNode c) {
    SampleResult result = Diffusion.sampler(spec).sample(Denoiser.of(model), steps, start, new Rng(0), StepListener.NONE);
    double[] expected = new double[15];
    int i = 0;
    for (JsonNode row : c.get("output")) {
      for (JsonNode v : row) {
        expected[i++] = v.asDouble();
      }
    }
    double[] actual = result.samples().data();
    for (int k = 0; k < 15; k++) {
      assertThat(Math.abs(actual[k] - expected[k]))
          .as("%s element %d: fewstep %s, official %s", spec, k, actual[k], expected[k])
          .isLessThanOrEqualTo(TOLERANCE * (1 + Math.abs(expected[k])));
    }
    assertThat(result.nfe()).as("NFE of %s", spec).isEqualTo(c.get("nfe").asInt());
  }

  static JsonNode golden(String file) throws IOException {
    try (InputStream in = OfficialParityTest.class.getResourceAsStream("/golden/" + file)) {
      return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
    }
  }
}
