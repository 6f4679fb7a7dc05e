package org.fewstep.diffusion.ems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Json;

/**
 * The empirical model statistics of DPM-Solver-v3 (Zheng, Lu, Chen and Zhu, NeurIPS 2023, section 3;
 * diffusion.md 2b): {@code l}, {@code s} and {@code b} on a logSNR-uniform grid
 * {@code lambda_0 < ... < lambda_K} (from the noisiest end of the sampling range to its cleanest),
 * one value per element of an item, or one per grid point broadcast to every element (size 1).
 * {@code l = s = b} of (1, 0, 0) turns v3 into DPM-Solver++.
 *
 * <p>EMS belong to one model <em>and one guidance scale</em>: recompute them when either changes.
 *
 * <p>File format (JSON): {@code {"format": "fewstep-ems", "version": 1, "model": SPEC,
 * "guidance": W or null, "samples": N, "lambdaStart": lambda_0, "lambdaEnd": lambda_K, "size": d,
 * "l": [[K + 1 rows of d]], "s": [[...]], "b": [[...]]}}; {@code model}, {@code guidance} and
 * {@code samples} describe how the statistics were made and are checked by nothing but the user.
 *
 * @param model       the model spec the statistics were computed for (free text)
 * @param guidance    the guidance scale, NaN for none
 * @param samples     trajectories or samples behind each expectation
 * @param lambdaStart the grid's first half log-SNR (noisiest)
 * @param lambdaEnd   the grid's last (cleanest)
 * @param l           {@code [K + 1][size]}
 * @param s           {@code [K + 1][size]}
 * @param b           {@code [K + 1][size]}
 */
public record Ems(String model, double guidance, int samples, double lambdaStart, double lambdaEnd, double[][] l, double[][] s,
    double[][] b) {
  private static final Set<String> FIELDS = Set.of("format", "version", "model", "guidance", "samples", "lambdaStart",
      "lambdaEnd", "size", "l", "s", "b");

  public Ems {
    if (!(lambdaEnd > lambdaStart)) {
      throw BadInputException.of("EMS lambda range", "[" + lambdaStart + ", " + lambdaEnd + "]", "lambdaStart < lambdaEnd");
    }
    if (l.length < 2 || s.length != l.length || b.length != l.length) {
      throw new BadInputException("EMS: l, s and b need the same number of grid points, at least 2; got " + l.length + ", "
          + s.length + " and " + b.length);
    }
    int size = l[0].length;
    for (int k = 0; k < l.length; k++) {
      for (double[][] a : new double[][][] {l, s, b}) {
        if (a[k].length != size) {
          throw BadInputException.of("EMS grid point " + k + " length", a[k].length, size + " (that of point 0)");
        }
        for (double v : a[k]) {
          if (!Double.isFinite(v)) {
            throw BadInputException.of("EMS value at grid point " + k, v, "a finite number");
          }
        }
      }
    }
  }

  /** Grid intervals K. */
  public int steps() {
    return l.length - 1;
  }

  /** Elements per grid point (1: broadcast). */
  public int size() {
    return l[0].length;
  }

  /** The half log-SNR of grid point k. */
  public double lambda(int k) {
    return lambdaStart + (lambdaEnd - lambdaStart) * k / steps();
  }

  /** The statistics of DPM-Solver++ ({@code l = 1, s = b = 0}) on a grid of {@code steps} intervals. */
  public static Ems degenerate(double lambdaStart, double lambdaEnd, int steps) {
    double[][] l = new double[steps + 1][1];
    for (double[] row : l) {
      row[0] = 1;
    }
    return new Ems("degenerate (DPM-Solver++)", Double.NaN, 0, lambdaStart, lambdaEnd, l, new double[steps + 1][1],
        new double[steps + 1][1]);
  }

  /** Writes the JSON form. */
  public void write(Path file) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("format", "fewstep-ems");
    root.put("version", 1);
    root.put("model", model);
    if (Double.isNaN(guidance)) {
      root.putNull("guidance");
    } else {
      root.put("guidance", guidance);
    }
    root.put("samples", samples);
    root.put("lambdaStart", lambdaStart);
    root.put("lambdaEnd", lambdaEnd);
    root.put("size", size());
    root.set("l", matrix(root, l));
    root.set("s", matrix(root, s));
    root.set("b", matrix(root, b));
    try {
      Json.mapper().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ArrayNode matrix(ObjectNode root, double[][] values) {
    ArrayNode rows = root.arrayNode();
    for (double[] r : values) {
      ArrayNode row = rows.addArray();
      for (double v : r) {
        row.add(v);
      }
    }
    return rows;
  }

  /** Reads the JSON form, with errors that name the file and field. */
  public static Ems read(Path file) {
    String name = file.toString();
    JsonNode root = Json.read(file);
    Json.requireOnly(root, name, FIELDS);
    String format = Json.text(Json.field(root, "format", name), name + ": format");
    if (!format.equals("fewstep-ems")) {
      throw BadInputException.of(name + ": format", format, "fewstep-ems");
    }
    double version = Json.number(Json.field(root, "version", name), name + ": version");
    if (version != 1) {
      throw BadInputException.of(name + ": version", version, "1");
    }
    int size = (int) Json.number(Json.field(root, "size", name), name + ": size");
    JsonNode l = Json.field(root, "l", name);
    int rows = l.size();
    JsonNode g = root.get("guidance");
    try {
      return new Ems(root.has("model") ? Json.text(root.get("model"), name + ": model") : "",
          g == null || g.isNull() ? Double.NaN : Json.number(g, name + ": guidance"),
          root.has("samples") ? (int) Json.number(root.get("samples"), name + ": samples") : 0,
          Json.number(Json.field(root, "lambdaStart", name), name + ": lambdaStart"),
          Json.number(Json.field(root, "lambdaEnd", name), name + ": lambdaEnd"),
          Json.matrix(l, name + ": l", rows, size),
          Json.matrix(Json.field(root, "s", name), name + ": s", rows, size),
          Json.matrix(Json.field(root, "b", name), name + ": b", rows, size));
    } catch (BadInputException e) {
      if (e.getMessage().startsWith(name)) {
        throw e;
      }
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
  }
}
