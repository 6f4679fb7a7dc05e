package org.fewstep.diffusion.solver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Json;
import org.fewstep.core.io.Npy;
import org.fewstep.core.math.LeastSquares;

/**
 * DC-Solver's cascade polynomial regression (Zhao et al., ECCV 2024, Sec. 3; diffusion.md 5b): the ratio of step
 * k of an NFE-step run with guidance scale w is a cubic in {@code x = k / NFE} whose four
 * coefficients are quadratics in {@code w / 12} whose three coefficients are quadratics in
 * {@code NFE / 50}: 36 numbers. In the official layout (the order of the official
 * {@code .npy} file) coefficient {@code 9 p + 3 q + r} multiplies
 * <pre>  x^p (w/12)^(2-q) (NFE/50)^(2-r),   p = 0..3, q, r = 0..2.</pre>
 * The model is linear in the 36 numbers, so they are fitted by linear least squares to searched
 * ratios (the official repository ships coefficients but no fitting code). Steps with fewer than
 * {@code dc-order + 1} model outputs use ratio 1 (the official code: steps 1 and 2).
 *
 * <p>File: JSON {@code {"coefficients": [36 numbers]}}, or a {@code .npy} array of 36 numbers
 * (the official {@code cpr_coeffs_path/*.npy}).
 *
 * @param coefficients the 36 coefficients in the layout above
 */
public record Cpr(double[] coefficients) {
  /** Number of coefficients. */
  public static final int SIZE = 36;

  public Cpr {
    if (coefficients.length != SIZE) {
      throw BadInputException.of("CPR coefficients", coefficients.length + " numbers", SIZE + " numbers");
    }
    for (int i = 0; i < SIZE; i++) {
      if (!Double.isFinite(coefficients[i])) {
        throw BadInputException.of("CPR coefficient " + i, coefficients[i], "a finite number");
      }
    }
    coefficients = coefficients.clone();
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** The regressed ratio of step {@code step} (1-based) of an {@code nfe}-step run at guidance {@code scale}. */
  public double ratio(int nfe, double scale, int step) {
    double[] f = features(nfe, scale, step);
    double sum = 0;
    for (int i = 0; i < SIZE; i++) {
      sum += coefficients[i] * f[i];
    }
    return sum;
  }

  /** The ratios of all steps: 1 for the first {@code dcOrder} (warm-up) steps, then {@link #ratio}. */
  public double[] ratios(int nfe, double scale, int dcOrder) {
    BadInputException.requireAtLeast("nfe", nfe, 1);
    if (!Double.isFinite(scale)) {
      throw BadInputException.of("scale", scale, "a finite guidance scale");
    }
    double[] ratios = new double[nfe];
    for (int k = 1; k <= nfe; k++) {
      ratios[k - 1] = k <= dcOrder ? 1 : ratio(nfe, scale, k);
    }
    return ratios;
  }

  /**
   * Least-squares fit to searched ratios: one equation per step after the warm-up (step
   * {@code k > dcOrder}) of every run. Every searched run needs a known scale.
   *
   * @throws BadInputException if the runs do not determine the 36 numbers (it takes at least three
   *     NFE values, three scales and enough distinct {@code k / NFE})
   */
  public static Cpr fit(List<DcRatios> searched, int dcOrder) {
    List<double[]> rows = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    for (DcRatios run : searched) {
      if (Double.isNaN(run.scale())) {
        throw BadInputException.of("scale of the " + run.nfe() + "-step ratios", "unknown", "the guidance scale they were searched for");
      }
      double[] r = run.ratios();
      for (int k = dcOrder + 1; k <= run.nfe(); k++) {
        rows.add(features(run.nfe(), run.scale(), k));
        targets.add(r[k - 1]);
      }
    }
    if (rows.size() < SIZE) {
      throw BadInputException.of("searched ratios", rows.size() + " ratios after the warm-up",
          "at least " + SIZE + " (the CPR has " + SIZE + " coefficients)");
    }
    double[] y = new double[targets.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = targets.get(i);
    }
    try {
      return new Cpr(LeastSquares.solve(rows.toArray(new double[0][]), y));
    } catch (ArithmeticException e) {
      throw new BadInputException("the searched (NFE, scale) grid does not determine the " + SIZE
          + " CPR coefficients (" + e.getMessage() + "); expected at least 3 NFE values and 3 guidance scales");
    }
  }

  /** The 36 regressors of step {@code k} in the official layout. */
  static double[] features(int nfe, double scale, int k) {
    double x = (double) k / nfe;
    double w = scale / 12;
    double n = nfe / 50.0;
    double[] f = new double[SIZE];
    for (int p = 0; p < 4; p++) {
      for (int q = 0; q < 3; q++) {
        for (int r = 0; r < 3; r++) {
          f[9 * p + 3 * q + r] = Math.pow(x, p) * Math.pow(w, 2 - q) * Math.pow(n, 2 - r);
        }
      }
    }
    return f;
  }

  /** Reads a {@code .npy} array or a JSON file (see the class comment). */
  public static Cpr read(Path file) {
    String where = file.toString();
    if (where.endsWith(".npy")) {
      NdArray a = Npy.read(file);
      if (a.size() != SIZE) {
        throw BadInputException.of(where, "an array of " + a.size() + " numbers", SIZE + " CPR coefficients");
      }
      return new Cpr(a.data());
    }
    JsonNode root = Json.read(file);
    Json.requireOnly(root, where, Set.of("coefficients"));
    return new Cpr(Json.numbers(Json.field(root, "coefficients", where), where + ": coefficients", SIZE));
  }

  /** Writes this as a JSON file. */
  public void write(Path file) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode array = root.putArray("coefficients");
    for (double c : coefficients) {
      array.add(c);
    }
    try {
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
