package org.fewstep.data.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.LeastSquares;

/**
 * Trajectory weighting for mixed offline-RL data sets (Hong, Agrawal, Tachet des Combes, Laroche, "Harnessing
 * Mixed Offline Reinforcement Learning Datasets via Trajectory Weighting", ICLR 2023; reference code
 * Improbable-AI/harness-offline-rl, {@code implicit_q_learning/dataset_utils.py}): every transition of
 * trajectory i gets the same probability, normalised over all transitions of the data set, so trajectory i
 * is drawn with probability proportional to {@code T_i * w_i}.
 *
 * <ul>
 *   <li>{@link Scheme#UNIFORM}: {@code w_i = 1} (uniform over transitions).
 *   <li>{@link Scheme#RW} (return weighting, section 3 of the paper): {@code w_i = exp(Ĝ_i / α)} with the
 *       min-max normalised return {@code Ĝ_i = (G_i - min G) / (max G - min G)}. The d3rlpy-v2 wrapper of the
 *       reference normalises but then applies the softmax to the raw returns {@code G / α}; this class uses
 *       the normalised form, as the IQL code and the reference README's 2023-06 "max-min normalization" fix.
 *   <li>{@link Scheme#AW} (advantage weighting): {@code V̂(s0)} is the least-squares linear fit with intercept
 *       of the returns on the initial-state features (dependent feature columns are dropped, which leaves the
 *       fitted values, the projection of G on the column space, unchanged: the same values as scikit-learn's
 *       minimum-norm {@code LinearRegression}); {@code A_i = G_i - V̂(s0_i)}, min-max normalised to [0, 1];
 *       {@code w_i = exp(Â_i / α)}.
 *   <li>{@link Scheme#TOP_K}: uniform over the transitions of the {@code floor(p * n)} trajectories of highest
 *       return (ties go to the lower trajectory index; the reference's {@code argsort} leaves them unspecified);
 *       {@code floor(p * n) = 0} is an error where the reference divides 0 by 0.
 * </ul>
 *
 * <p>The temperature α is 0.1 in all the paper's runs ({@code RW-0.1}, {@code AW-0.1}) and p is 0.1
 * ({@code Top-0.1}). Degenerate spread: when all returns are equal (RW), or all advantages are equal up to
 * rounding, {@code 1e-12 * max(1, max |G|)} (AW), the min-max normalisation is 0/0 (NaN weights in the
 * reference); here every normalised score is then 0, so the weights are uniform over transitions, the only
 * choice that does not prefer one of a set of equally good trajectories.
 */
public record TrajectoryWeighting(Scheme scheme, double parameter) {
  /** The weighting schemes, named as in the reference's sampler strings. */
  public enum Scheme { UNIFORM, RW, AW, TOP_K }

  /** The paper's temperature α. */
  public static final double DEFAULT_TEMPERATURE = 0.1;
  /** The paper's Top-K fraction p. */
  public static final double DEFAULT_FRACTION = 0.1;

  public TrajectoryWeighting {
    Objects.requireNonNull(scheme, "scheme");
    switch (scheme) {
      case RW, AW -> BadInputException.requirePositive("temperature alpha", parameter);
      case TOP_K -> {
        if (!(parameter > 0 && parameter <= 1)) {
          throw BadInputException.of("top-k fraction p", parameter, "a number in (0, 1]");
        }
      }
      case UNIFORM -> parameter = 0;
    }
  }

  /** Uniform over transitions. */
  public static TrajectoryWeighting uniform() {
    return new TrajectoryWeighting(Scheme.UNIFORM, 0);
  }

  /** Return weighting with temperature α. */
  public static TrajectoryWeighting returnWeighted(double alpha) {
    return new TrajectoryWeighting(Scheme.RW, alpha);
  }

  /** Advantage weighting with temperature α. */
  public static TrajectoryWeighting advantageWeighted(double alpha) {
    return new TrajectoryWeighting(Scheme.AW, alpha);
  }

  /** Top-K% with fraction p. */
  public static TrajectoryWeighting topK(double p) {
    return new TrajectoryWeighting(Scheme.TOP_K, p);
  }

  /**
   * Parses the reference's sampler names: {@code uniform}, {@code RW-0.1}, {@code AW-0.1}, {@code Top-0.1}
   * (case-insensitive; {@code RW}, {@code AW} and {@code Top} alone take the paper's defaults).
   */
  public static TrajectoryWeighting parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw BadInputException.of("weighting", spec, "uniform, RW-<alpha>, AW-<alpha> or Top-<p>");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("uniform")) {
      return uniform();
    }
    int dash = s.indexOf('-');
    String name = dash < 0 ? s : s.substring(0, dash);
    double value;
    try {
      value = dash < 0 ? (name.equals("top") ? DEFAULT_FRACTION : DEFAULT_TEMPERATURE)
          : Double.parseDouble(s.substring(dash + 1));
    } catch (NumberFormatException e) {
      throw BadInputException.of("weighting", spec, "a number after the dash, e.g. RW-0.1");
    }
    return switch (name) {
      case "rw" -> returnWeighted(value);
      case "aw" -> advantageWeighted(value);
      case "top" -> topK(value);
      default -> throw BadInputException.of("weighting", spec, "uniform, RW-<alpha>, AW-<alpha> or Top-<p>");
    };
  }

  /** The transition probabilities this scheme gives {@code data}. */
  public TransitionWeights weights(TrajectoryDataset data) {
    Objects.requireNonNull(data, "data");
    int n = data.trajectoryCount();
    double[] logWeight = new double[n]; // log w_i, up to a constant
    switch (scheme) {
      case UNIFORM -> { }
      case RW -> {
        double[] g = normalise(data.returns(), 0);
        for (int i = 0; i < n; i++) {
          logWeight[i] = g[i] / parameter;
        }
      }
      case AW -> {
        double[] g = data.returns();
        double[] v = fittedValues(data.initialStates(), g);
        double[] a = new double[n];
        double scale = 1;
        for (int i = 0; i < n; i++) {
          a[i] = g[i] - v[i];
          scale = Math.max(scale, Math.abs(g[i]));
        }
        a = normalise(a, 1e-12 * scale);
        for (int i = 0; i < n; i++) {
          logWeight[i] = a[i] / parameter;
        }
      }
      case TOP_K -> {
        int[] top = topTrajectories(data.returns(), parameter);
        Arrays.fill(logWeight, Double.NEGATIVE_INFINITY);
        for (int i : top) {
          logWeight[i] = 0;
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logWeight) {
      max = Math.max(max, l);
    }
    double[] perTransition = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      perTransition[i] = Math.exp(logWeight[i] - max);
      total += perTransition[i] * data.trajectory(i).length();
    }
    for (int i = 0; i < n; i++) {
      perTransition[i] /= total;
    }
    return new TransitionWeights(data, perTransition);
  }

  /**
   * The indices of the {@code floor(p * n)} trajectories of highest return, highest first (ties: lower
   * index first).
   */
  public static int[] topTrajectories(double[] returns, double p) {
    topK(p); // validates p
    int n = returns.length;
    int m = (int) Math.floor(p * n);
    if (m < 1) {
      throw BadInputException.of("top-k fraction p", p, "p * " + n + " trajectories >= 1 (floor(p * n) = 0 keeps none)");
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> returns[a] != returns[b] ? Double.compare(returns[b], returns[a]) : a - b);
    int[] top = new int[m];
    for (int j = 0; j < m; j++) {
      top[j] = order[j];
    }
    return top;
  }

  /**
   * The least-squares fit with intercept of {@code y} on the rows of {@code x}, evaluated at the rows:
   * V̂(s0_i). Feature columns that are linearly dependent on the intercept and the columns before them are
   * dropped (the fitted values do not depend on which spanning columns are kept).
   */
  public static double[] fittedValues(double[][] x, double[] y) {
    int m = y.length;
    int d = x[0].length;
    List<Integer> kept = new ArrayList<>(); // feature columns
    double[] coefficients = LeastSquares.solve(design(x, kept), y); // intercept alone: never rank-deficient
    for (int j = 0; j < d; j++) {
      if (kept.size() + 2 > m) {
        break;
      }
      kept.add(j);
      try {
        coefficients = LeastSquares.solve(design(x, kept), y);
      } catch (ArithmeticException dependent) {
        kept.remove(kept.size() - 1);
      }
    }
    double[][] a = design(x, kept);
    double[] fitted = new double[m];
    for (int i = 0; i < m; i++) {
      double v = 0;
      for (int c = 0; c < coefficients.length; c++) {
        v += a[i][c] * coefficients[c];
      }
      fitted[i] = v;
    }
    return fitted;
  }

  private static double[][] design(double[][] x, List<Integer> columns) {
    double[][] a = new double[x.length][columns.size() + 1];
    for (int i = 0; i < x.length; i++) {
      a[i][0] = 1;
      for (int c = 0; c < columns.size(); c++) {
        a[i][c + 1] = x[i][columns.get(c)];
      }
    }
    return a;
  }

  /** (x - min) / (max - min); all zeros when {@code max - min <= tolerance}. */
  private static double[] normalise(double[] x, double tolerance) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double[] out = new double[x.length];
    double spread = max - min;
    if (!(spread > tolerance)) {
      return out;
    }
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - min) / spread;
    }
    return out;
  }

  @Override
  public String toString() {
    return switch (scheme) {
      case UNIFORM -> "uniform";
      case RW -> "RW-" + parameter;
      case AW -> "AW-" + parameter;
      case TOP_K -> "Top-" + parameter;
    };
  }
}
