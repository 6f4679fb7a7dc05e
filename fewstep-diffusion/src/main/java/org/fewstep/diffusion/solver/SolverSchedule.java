package org.fewstep.diffusion.solver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;
import org.fewstep.core.registry.Keyed;

/**
 * A solver schedule of the unified sampling framework (Liu, Ning, Yang and Wang, ICLR 2024; diffusion.md
 * 7): the time points and one decision per step. File format (JSON):
 * {@code {"format": "fewstep-usf", "version": 1, "times": [t_0, ..., t_N],
 * "steps": [{"prediction": "data", "order": 2, "formula": "unip-bh2", "corrector": true}, ...]}} with
 * N entries in {@code steps}.
 *
 * @param times     decreasing times of the schedule's grid, N + 1 of them
 * @param decisions one per step
 */
public record SolverSchedule(double[] times, List<Decision> decisions) {
  private static final Set<String> FIELDS = Set.of("format", "version", "times", "steps");
  private static final Set<String> STEP_FIELDS = Set.of("prediction", "order", "formula", "corrector");

  /** How a step extrapolates the model outputs (the derivative estimation of the framework). */
  public enum Formula implements Keyed {
    /** DPM-Solver(++) multistep, midpoint form of the first difference. */
    DPMSOLVER("dpmsolver"),
    /** DPM-Solver(++) multistep, taylor form. */
    TAYLOR("taylor"),
    /** UniP with B(h) = h. */
    UNIP_BH1("unip-bh1"),
    /** UniP with B(h) = expm1(h). */
    UNIP_BH2("unip-bh2");

    private final String key;

    Formula(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }

    boolean unified() {
      return this == UNIP_BH1 || this == UNIP_BH2;
    }
  }

  /**
   * One step's decisions.
   *
   * @param prediction the model output the step expands (data: x0; noise: eps)
   * @param order      the Taylor order (1-3; lower when fewer earlier outputs exist)
   * @param formula    the difference formula of the predictor
   * @param corrector  UniC after the predictor (UniP formulas only; no extra evaluation)
   */
  public record Decision(String prediction, int order, Formula formula, boolean corrector) {
    public Decision {
      if (!prediction.equals("data") && !prediction.equals("noise")) {
        throw BadInputException.of("step prediction", prediction, "data or noise");
      }
      if (order < 1 || order > 3) {
        throw BadInputException.of("step order", order, "1, 2 or 3");
      }
      if (corrector && !formula.unified()) {
        throw BadInputException.of("step corrector", "true with formula " + formula.key(), "a UniP formula (unip-bh1 or unip-bh2)");
      }
    }

    Parameterization parameterization() {
      return prediction.equals("data") ? Parameterization.DATA : Parameterization.NOISE;
    }
  }

  public SolverSchedule {
    times = times.clone();
    decisions = List.copyOf(decisions);
    if (times.length < 2 || decisions.size() != times.length - 1) {
      throw new BadInputException("a solver schedule needs N + 1 times and N step decisions, N >= 1; got " + times.length
          + " times and " + decisions.size() + " decisions");
    }
    for (int i = 1; i < times.length; i++) {
      if (!(times[i] < times[i - 1])) {
        throw BadInputException.of("schedule time " + i, times[i], "below time " + (i - 1) + " (" + times[i - 1] + ")");
      }
    }
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  /** Number of steps N (= the evaluations of a run). */
  public int steps() {
    return decisions.size();
  }

  /**
   * The constant schedules of the standard solvers on a grid of times: DPM-Solver++ multistep
   * ({@code dpmpp-2m}, {@code dpmpp-3m}, midpoint form, official end-of-run rule lower10), UniPC
   * ({@code unipc-bh1-2}, {@code unipc-bh2-2}, {@code unipc-bh1-3}, {@code unipc-bh2-3}: data
   * prediction, corrector except on the last step, lower order at the end always).
   */
  public static SolverSchedule preset(String name, double[] times) {
    int steps = times.length - 1;
    List<Decision> decisions = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      Decision d = switch (name) {
        case "dpmpp-2m" -> new Decision("data", FinalOrder.LOWER10.order(2, i, steps), Formula.DPMSOLVER, false);
        case "dpmpp-3m" -> new Decision("data", FinalOrder.LOWER10.order(3, i, steps), Formula.DPMSOLVER, false);
        case "unipc-bh1-2", "unipc-bh2-2", "unipc-bh1-3", "unipc-bh2-3" -> new Decision("data",
            FinalOrder.ALWAYS.order(name.endsWith("3") ? 3 : 2, i, steps),
            name.contains("bh1") ? Formula.UNIP_BH1 : Formula.UNIP_BH2, i < steps);
        default -> throw BadInputException.of("usf preset", name, "one of " + PRESETS);
      };
      decisions.add(d);
    }
    return new SolverSchedule(times, decisions);
  }

  /** The names {@link #preset} knows. */
  public static final List<String> PRESETS = List.of("dpmpp-2m", "dpmpp-3m", "unipc-bh1-2", "unipc-bh2-2", "unipc-bh1-3",
      "unipc-bh2-3");

  /** Writes the JSON form. */
  public void write(Path file) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("format", "fewstep-usf");
    root.put("version", 1);
    ArrayNode t = root.putArray("times");
    for (double v : times) {
      t.add(v);
    }
    ArrayNode steps = root.putArray("steps");
    for (Decision d : decisions) {
      ObjectNode step = steps.addObject();
      step.put("prediction", d.prediction());
      step.put("order", d.order());
      step.put("formula", d.formula().key());
      step.put("corrector", d.corrector());
    }
    try {
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the JSON form; errors name the file and the step. */
  public static SolverSchedule read(Path file) {
    String name = file.toString();
    JsonNode root = Json.read(file);
    Json.requireOnly(root, name, FIELDS);
    String format = Json.text(Json.field(root, "format", name), name + ": format");
    if (!format.equals("fewstep-usf")) {
      throw BadInputException.of(name + ": format", format, "fewstep-usf");
    }
    double[] times = Json.numbers(Json.field(root, "times", name), name + ": times", -1);
    JsonNode steps = Json.field(root, "steps", name);
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      String where = name + ": steps[" + i + "]";
      JsonNode s = steps.get(i);
      Json.requireOnly(s, where, STEP_FIELDS);
      try {
        double order = Json.number(Json.field(s, "order", where), where + ".order");
        decisions.add(new Decision(Json.text(Json.field(s, "prediction", where), where + ".prediction").toLowerCase(Locale.ROOT),
            (int) order, Keyed.of(Formula.class, "formula", Json.text(Json.field(s, "formula", where), where + ".formula")),
            Json.field(s, "corrector", where).asBoolean()));
      } catch (BadInputException e) {
        throw new BadInputException(where + ": " + e.getMessage(), e);
      }
    }
    try {
      return new SolverSchedule(times, decisions);
    } catch (BadInputException e) {
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
  }
}
