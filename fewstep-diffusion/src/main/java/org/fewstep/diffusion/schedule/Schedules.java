package org.fewstep.diffusion.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Option;
import org.fewstep.core.registry.Options;
import org.fewstep.core.registry.Keyed;
import org.fewstep.core.registry.Registry;
import org.fewstep.core.registry.Spec;

/** The registered noise schedules and their JSON form. */
public final class Schedules {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Registry<NoiseSchedule> REGISTRY = new Registry<NoiseSchedule>("schedule")
      .register(new Component<>("vp-linear",
          "continuous linear VP (variance-preserving) schedule",
          "Song et al., Score-Based Generative Modeling through SDEs, ICLR 2021",
          List.of(
              Option.real("beta0", 0.1, 0, INF, "beta at t = 0"),
              Option.real("beta1", 20.0, 0, INF, "beta at t = 1"),
              Option.real("t-start", 1.0, 0, INF, "start of sampling"),
              Option.real("t-end", 1e-3, 0, INF, "end of sampling")),
          o -> new VpLinearSchedule(o.getDouble("beta0"), o.getDouble("beta1"), o.getDouble("t-start"), o.getDouble("t-end"))))
      .register(new Component<>("vp-cosine",
          "continuous cosine VP schedule",
          "Nichol and Dhariwal, Improved DDPM, ICML 2021",
          List.of(
              Option.real("t-start", 0.9946, 0, 1, "start of sampling (t = 1 is singular)"),
              Option.real("t-end", 1e-3, 0, 1, "end of sampling")),
          o -> new VpCosineSchedule(o.getDouble("t-start"), o.getDouble("t-end"))))
      .register(new Component<>("vp-discrete",
          "discrete-time VP schedule (DDPM, Stable Diffusion), interpolated as official DPM-Solver",
          "Ho et al., DDPM, NeurIPS 2020; Lu et al., DPM-Solver, NeurIPS 2022",
          List.of(
              Option.choice("betas", "linear", "beta schedule", Keyed.keys(VpDiscreteSchedule.Betas.class)),
              Option.real("beta-start", null, 0, 1, "first beta (default 1e-4 linear, 0.00085 scaled-linear)"),
              Option.real("beta-end", null, 0, 1, "last beta (default 0.02 linear, 0.012 scaled-linear)"),
              Option.integer("train-steps", 1000, 2, 100_000, "number of training time steps N"),
              Option.flag("clip", true, "drop the noisiest entries with lambda < clip-lambda (official DPM-Solver)"),
              Option.real("clip-lambda", -5.1, -INF, INF, "the log-SNR clip"),
              Option.real("t-start", 1.0, 0, 1, "start of sampling"),
              Option.real("t-end", null, 0, 1, "end of sampling (default 1/N)")),
          Schedules::discrete))
      .register(new Component<>("ve",
          "score-SDE variance-exploding schedule, sigma = sigma-min (sigma-max/sigma-min)^t",
          "Song et al., Score-Based Generative Modeling through SDEs, ICLR 2021",
          List.of(
              Option.real("sigma-min", 0.01, 0, INF, "smallest noise level"),
              Option.real("sigma-max", 50.0, 0, INF, "largest noise level"),
              Option.real("t-start", 1.0, -INF, INF, "start of sampling"),
              Option.real("t-end", 1e-5, -INF, INF, "end of sampling")),
          o -> VeSchedule.scoreSde(o.getDouble("sigma-min"), o.getDouble("sigma-max"), o.getDouble("t-start"), o.getDouble("t-end"))))
      .register(new Component<>("edm",
          "EDM schedule, sigma = t, sampling from sigma-max to sigma-min",
          "Karras et al., Elucidating the Design Space of Diffusion-Based Generative Models, NeurIPS 2022",
          List.of(
              Option.real("sigma-min", 0.002, 0, INF, "smallest noise level (end of sampling)"),
              Option.real("sigma-max", 80.0, 0, INF, "largest noise level (start of sampling)")),
          o -> VeSchedule.edm(o.getDouble("sigma-min"), o.getDouble("sigma-max"))));

  private Schedules() {}

  public static Registry<NoiseSchedule> registry() {
    return REGISTRY;
  }

  /** The schedule of a spec such as {@code vp-linear:beta0=0.1,beta1=20}. */
  public static NoiseSchedule create(String spec) {
    return REGISTRY.create(spec);
  }

  /**
   * A schedule from its JSON object: {@code {"type": "vp-linear", "beta0": 0.1, "tEnd": 0.001}}; the
   * other fields are the spec's options in camelCase.
   */
  public static NoiseSchedule fromJson(JsonNode node, String where) {
    Json.requireObject(node, where);
    String type = Json.text(Json.field(node, "type", where), where + ".type");
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("type")) {
        continue;
      }
      JsonNode v = e.getValue();
      if (!v.isValueNode()) {
        throw BadInputException.of(where + "." + e.getKey(), v, "a number, string or boolean");
      }
      values.put(kebab(e.getKey()), v.asText());
    }
    try {
      return REGISTRY.component(type).create(new Spec(type, null, values));
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
  }

  private static NoiseSchedule discrete(Options o) {
    VpDiscreteSchedule.Betas kind = VpDiscreteSchedule.Betas.of(o.get("betas"));
    if (kind == VpDiscreteSchedule.Betas.SQUAREDCOS_CAP_V2 && (o.isGiven("beta-start") || o.isGiven("beta-end"))) {
      throw new BadInputException("vp-discrete: betas = squaredcos-cap-v2 takes no beta-start/beta-end");
    }
    double start = o.isSet("beta-start") ? o.getDouble("beta-start") : kind.defaultStart();
    double end = o.isSet("beta-end") ? o.getDouble("beta-end") : kind.defaultEnd();
    double[] betas = kind.betas(o.getInt("train-steps"), start, end);
    double clip = o.getBool("clip") ? o.getDouble("clip-lambda") : Double.NaN;
    double tEnd = o.isSet("t-end") ? o.getDouble("t-end") : Double.NaN;
    return VpDiscreteSchedule.of(betas, clip, o.getDouble("t-start"), tEnd, o.spec());
  }

  /** {@code tStart} -> {@code t-start}. */
  static String kebab(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
