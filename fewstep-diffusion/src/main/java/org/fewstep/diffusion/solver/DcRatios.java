package org.fewstep.diffusion.solver;

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
 * DC-Solver's compensation ratios for one number of steps and guidance scale: what the ratio
 * search finds and what {@code dc:ratios=FILE} reads. The file is JSON,
 * {@code {"nfe": 5, "scale": 7.5, "ratios": [1, 1, 1.08, 0.97, 1.12]}} with one ratio per step
 * (step 1 first). A bare array, the format the official code writes, is read too; its scale is
 * then unknown (NaN).
 *
 * @param nfe    number of steps (one model evaluation each)
 * @param scale  classifier-free guidance scale the ratios were searched for (1 = conditional; NaN = unknown)
 * @param ratios one ratio per step
 */
public record DcRatios(int nfe, double scale, double[] ratios) {
  private static final Set<String> FIELDS = Set.of("nfe", "scale", "ratios");

  public DcRatios {
    BadInputException.requireAtLeast("nfe", nfe, 1);
    if (ratios.length != nfe) {
      throw BadInputException.of("ratios", ratios.length + " ratios", nfe + " ratios, one per step (nfe = " + nfe + ")");
    }
    for (int i = 0; i < nfe; i++) {
      if (!Double.isFinite(ratios[i])) {
        throw BadInputException.of("ratios[" + i + "]", ratios[i], "a finite number");
      }
    }
    if (Double.isInfinite(scale)) {
      throw BadInputException.of("scale", scale, "a finite guidance scale (or NaN for unknown)");
    }
    ratios = ratios.clone();
  }

  @Override
  public double[] ratios() {
    return ratios.clone();
  }

  /** Reads a ratios file (see the class comment). */
  public static DcRatios read(Path file) {
    String where = file.toString();
    JsonNode root = Json.read(file);
    if (root.isArray()) {
      double[] ratios = Json.numbers(root, where, -1);
      if (ratios.length == 0) {
        throw BadInputException.of(where, "an empty array", "one ratio per step");
      }
      return new DcRatios(ratios.length, Double.NaN, ratios);
    }
    Json.requireOnly(root, where, FIELDS);
    JsonNode nfeNode = Json.field(root, "nfe", where);
    if (!nfeNode.canConvertToInt() || !nfeNode.isIntegralNumber()) {
      throw BadInputException.of(where + ": nfe", nfeNode, "a whole number of steps");
    }
    int nfe = nfeNode.intValue();
    BadInputException.requireAtLeast(where + ": nfe", nfe, 1);
    double scale = Json.number(Json.field(root, "scale", where), where + ": scale");
    double[] ratios = Json.numbers(Json.field(root, "ratios", where), where + ": ratios", nfe);
    return new DcRatios(nfe, scale, ratios);
  }

  /** Writes this as a ratios file; with an unknown (NaN) scale, as a bare array. */
  public void write(Path file) {
    ArrayNode array = Json.mapper().createArrayNode();
    for (double r : ratios) {
      array.add(r);
    }
    JsonNode root = array;
    if (!Double.isNaN(scale)) {
      ObjectNode object = Json.mapper().createObjectNode();
      object.put("nfe", nfe);
      object.put("scale", scale);
      object.set("ratios", array);
      root = object;
    }
    try {
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
