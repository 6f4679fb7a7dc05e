package org.fewstep.text.masked;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;

/**
 * The learned parameters of an LSD / LSD+ student sampler (Fu, Guo and Liu 2025, "Learnable Sampler
 * Distillation for Discrete Diffusion Models", arXiv 2509.19962): the time grid
 * {@code 1 = t_0 > t_1 > ... > t_M = 0} (uniform for LSD, learned for LSD+) and one coefficient
 * {@code phi_k} per step, which scales the step's transition (for a masked model: the probability
 * that a masked position is revealed, see {@link AncestralSampler}).
 *
 * <p>File form (JSON): {@code {"format": "fewstep-lsd", "version": 1, "model": "...", "length": L,
 * "teacher-steps": N, "times": [M + 1 numbers], "coefficients": [M numbers]}}.
 *
 * @param times        the grid, strictly decreasing from 1 to 0
 * @param coefficients phi_k, one per step, finite and positive
 * @param model        the model the parameters were learned on (informational)
 * @param length       the sequence length they were learned at (informational)
 * @param teacherSteps the teacher's steps
 */
public record LsdParameters(double[] times, double[] coefficients, String model, int length, int teacherSteps) {
  private static final Set<String> FIELDS =
      Set.of("format", "version", "model", "length", "teacher-steps", "times", "coefficients");

  public LsdParameters {
    if (coefficients.length < 1) {
      throw BadInputException.of("coefficients", "[]", "at least one step");
    }
    if (times.length != coefficients.length + 1) {
      throw BadInputException.of("times", times.length + " entries", (coefficients.length + 1) + " (steps + 1)");
    }
    if (times[0] != 1 || times[times.length - 1] != 0) {
      throw BadInputException.of("times", times[0] + " .. " + times[times.length - 1], "a grid from 1 down to 0");
    }
    for (int k = 0; k < coefficients.length; k++) {
      if (!(times[k + 1] < times[k])) {
        throw BadInputException.of("times[" + (k + 1) + "]", times[k + 1], "less than times[" + k + "] = " + times[k]);
      }
      if (!(coefficients[k] > 0 && coefficients[k] < Double.POSITIVE_INFINITY)) {
        throw BadInputException.of("coefficients[" + k + "]", coefficients[k], "a finite number > 0");
      }
    }
    times = times.clone();
    coefficients = coefficients.clone();
  }

  /** The plain sampler: the uniform grid of {@code steps} steps, every coefficient 1. */
  public static LsdParameters uniform(int steps) {
    BadInputException.requireAtLeast("steps", steps, 1);
    double[] times = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      times[k] = 1 - (double) k / steps;
    }
    times[steps] = 0;
    double[] phi = new double[steps];
    java.util.Arrays.fill(phi, 1);
    return new LsdParameters(times, phi, "-", 0, 0);
  }

  /** Steps M. */
  public int steps() {
    return coefficients.length;
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** Writes the JSON form. */
  public void save(Path file) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("format", "fewstep-lsd");
    root.put("version", 1);
    root.put("model", model);
    root.put("length", length);
    root.put("teacher-steps", teacherSteps);
    var t = root.putArray("times");
    for (double v : times) {
      t.add(v);
    }
    var c = root.putArray("coefficients");
    for (double v : coefficients) {
      c.add(v);
    }
    try {
      Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads the JSON form; errors name the file and the field. */
  public static LsdParameters load(Path file) {
    String where = file.toString();
    JsonNode root = Json.read(file);
    Json.requireOnly(root, where, FIELDS);
    String format = Json.text(Json.field(root, "format", where), where + ": format");
    if (!format.equals("fewstep-lsd")) {
      throw BadInputException.of(where + ": format", format, "fewstep-lsd");
    }
    double version = Json.number(Json.field(root, "version", where), where + ": version");
    if (version != 1) {
      throw BadInputException.of(where + ": version", version, "1");
    }
    double[] coefficients = Json.numbers(Json.field(root, "coefficients", where), where + ": coefficients", -1);
    double[] times = Json.numbers(Json.field(root, "times", where), where + ": times", coefficients.length + 1);
    try {
      return new LsdParameters(times, coefficients,
          root.has("model") ? Json.text(root.get("model"), where + ": model") : "-",
          root.has("length") ? (int) Json.number(root.get("length"), where + ": length") : 0,
          root.has("teacher-steps") ? (int) Json.number(root.get("teacher-steps"), where + ": teacher-steps") : 0);
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage(), e);
    }
  }
}
