package org.fewstep.diffusion.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Json;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpLinearSchedule;

/**
 * A Gaussian mixture with diagonal covariances, {@code sum_k w_k N(mu_k, diag(s_k^2))}, as an
 * exact diffusion model (diffusion.md 0.7): at noise level {@code nu = sigma/alpha} the posterior
 * mean is {@code x0 = sum_k r_k (mu_k + s_k^2 (x - mu_k) / (s_k^2 + nu^2))} with responsibilities
 * {@code r_k ~ w_k N(x; mu_k, s_k^2 + nu^2)} computed in log space (x in VE coordinates). With class
 * labels per component, conditioning on label c restricts the mixture to those components. A
 * single Gaussian also has a closed-form probability-flow map, {@link #flow}.
 *
 * <p>JSON form: {@code {"schedule": {"type": "vp-linear", ...}, "weights": [K], "means": [[D] x K],
 * "stds": [[D] x K], "labels": [K] (optional)}}; weights must sum to 1, stds be >= 0.
 */
public final class GaussianMixture implements DiffusionModel {
  private static final Set<String> FIELDS = Set.of("schedule", "weights", "means", "stds", "labels", "description");

  private final NoiseSchedule schedule;
  private final double[] logWeights;
  private final double[][] means;
  private final double[][] variances;
  private final int[] labels;
  private final int classes;
  private final Prediction prediction;

  /**
   * @param labels class of each component, or null for an unconditional mixture
   */
  public GaussianMixture(NoiseSchedule schedule, double[] weights, double[][] means, double[][] stds, int[] labels,
      Prediction prediction) {
    int k = weights.length;
    if (k == 0) {
      throw BadInputException.of("weights", "[]", "at least one component");
    }
    if (means.length != k || stds.length != k) {
      throw new BadInputException("weights, means and stds must have one entry per component: got " + k + ", "
          + means.length + " and " + stds.length);
    }
    int d = means[0].length;
    BadInputException.requireAtLeast("dimension of means[0]", d, 1);
    double sum = 0;
    this.logWeights = new double[k];
    this.means = new double[k][];
    this.variances = new double[k][d];
    for (int i = 0; i < k; i++) {
      if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
        throw BadInputException.of("weights[" + i + "]", weights[i], "a positive number");
      }
      sum += weights[i];
      logWeights[i] = Math.log(weights[i]);
      if (means[i].length != d || stds[i].length != d) {
        throw new BadInputException("means[" + i + "] and stds[" + i + "] must have " + d + " numbers (as means[0]); got "
            + means[i].length + " and " + stds[i].length);
      }
      this.means[i] = means[i].clone();
      for (int j = 0; j < d; j++) {
        if (!(stds[i][j] >= 0) || Double.isInfinite(stds[i][j])) {
          throw BadInputException.of("stds[" + i + "][" + j + "]", stds[i][j], "a finite number >= 0");
        }
        variances[i][j] = stds[i][j] * stds[i][j];
      }
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw BadInputException.of("sum of weights", sum, "1 (within 1e-9)");
    }
    int maxLabel = -1;
    if (labels != null) {
      if (labels.length != k) {
        throw BadInputException.of("labels", labels.length + " labels", k + " (one per component)");
      }
      for (int i = 0; i < k; i++) {
        if (labels[i] < 0) {
          throw BadInputException.of("labels[" + i + "]", labels[i], "a class index >= 0");
        }
        maxLabel = Math.max(maxLabel, labels[i]);
      }
    }
    this.labels = labels == null ? null : labels.clone();
    this.classes = maxLabel + 1;
    this.schedule = schedule;
    this.prediction = prediction;
  }

  /** Loads the JSON form (see the class comment). */
  public static GaussianMixture load(Path file, Prediction prediction) {
    return fromJson(Json.read(file), file.toString(), prediction);
  }

  /** Parses the JSON form; {@code name} is used in error messages. */
  public static GaussianMixture fromJson(JsonNode root, String name, Prediction prediction) {
    Json.requireOnly(root, name, FIELDS);
    NoiseSchedule schedule = root.has("schedule")
        ? Schedules.fromJson(root.get("schedule"), name + ": schedule")
        : VpLinearSchedule.standard();
    double[] weights = Json.numbers(Json.field(root, "weights", name), name + ": weights", -1);
    double[][] means = Json.matrix(Json.field(root, "means", name), name + ": means", weights.length, -1);
    double[][] stds = Json.matrix(Json.field(root, "stds", name), name + ": stds", weights.length, means[0].length);
    int[] labels = null;
    if (root.has("labels")) {
      double[] values = Json.numbers(root.get("labels"), name + ": labels", weights.length);
      labels = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        if (values[i] != Math.rint(values[i])) {
          throw BadInputException.of(name + ": labels[" + i + "]", values[i], "an integer");
        }
        labels[i] = (int) values[i];
      }
    }
    try {
      return new GaussianMixture(schedule, weights, means, stds, labels, prediction);
    } catch (BadInputException e) {
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public NoiseSchedule schedule() {
    return schedule;
  }

  @Override
  public int[] itemShape() {
    return new int[] {means[0].length};
  }

  @Override
  public Prediction prediction() {
    return prediction;
  }

  @Override
  public int classes() {
    return classes;
  }

  public int components() {
    return means.length;
  }

  public int dimension() {
    return means[0].length;
  }

  @Override
  public void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out) {
    int d = dimension();
    double[] xTilde = new double[d];
    double[] x0 = new double[d];
    double[] logits = new double[means.length];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        xTilde[j] = x[r * d + j] / at.alpha();
      }
      int label = conditioning == null ? Conditioning.NONE : conditioning.label(r);
      posteriorMean(xTilde, at.noise(), label, logits, x0);
      for (int j = 0; j < d; j++) {
        int i = r * d + j;
        out[i] = prediction.fromX0(x0[j], x[i], at.alpha(), at.sigma());
      }
    }
  }

  /** The posterior mean E[x0 | x] at VE noise level {@code noise} (label NONE = all components). */
  public void posteriorMean(double[] xTilde, double noise, int label, double[] logits, double[] out) {
    int d = xTilde.length;
    double nu2 = noise * noise;
    double max = componentLogits(xTilde, nu2, label, logits);
    java.util.Arrays.fill(out, 0);
    double total = 0;
    for (int k = 0; k < means.length; k++) {
      if (logits[k] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double w = Math.exp(logits[k] - max);
      total += w;
      for (int j = 0; j < d; j++) {
        double v = variances[k][j];
        out[j] += w * (means[k][j] + v / (v + nu2) * (xTilde[j] - means[k][j]));
      }
    }
    for (int j = 0; j < d; j++) {
      out[j] /= total;
    }
  }

  /**
   * The exact posterior probability of class {@code label} given the noisy point, and its gradient:
   * {@code p(l | x~) = sum_{k in l} r_k} with the responsibilities {@code r_k} at VE noise level
   * {@code noise}, and {@code grad log p(l | x~) = sum_{k in l} r_k g_k / p(l) - sum_k r_k g_k} with
   * the component scores {@code g_k = -(x~ - mu_k) / (s_k^2 + noise^2)} (diffusion.md 0.7). Classes
   * are the components' labels, or the components themselves for an unlabelled mixture.
   *
   * @param gradient receives {@code grad_x~ log p(l | x~)} (length d), or null
   * @return {@code log p(l | x~)}
   */
  public double labelLogPosterior(double[] xTilde, double noise, int label, double[] gradient) {
    int d = xTilde.length;
    int k0 = means.length;
    if (label < 0 || label >= (labels == null ? k0 : classes)) {
      throw BadInputException.of("label", label, "a class in [0, " + ((labels == null ? k0 : classes) - 1) + "]");
    }
    double nu2 = noise * noise;
    double[] logits = new double[k0];
    double max = componentLogits(xTilde, nu2, Conditioning.NONE, logits);
    double all = 0;
    double in = 0;
    double[] r = new double[k0];
    for (int k = 0; k < k0; k++) {
      r[k] = Math.exp(logits[k] - max);
      all += r[k];
      if ((labels == null ? k : labels[k]) == label) {
        in += r[k];
      }
    }
    if (gradient != null) {
      java.util.Arrays.fill(gradient, 0);
      for (int k = 0; k < k0; k++) {
        boolean member = (labels == null ? k : labels[k]) == label;
        double coefficient = (member && in > 0 ? r[k] / in : 0) - r[k] / all;
        if (coefficient == 0) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          gradient[j] -= coefficient * (xTilde[j] - means[k][j]) / (variances[k][j] + nu2);
        }
      }
    }
    return Math.log(in / all);
  }

  /**
   * The exact denoiser {@code D(x~) = E[x0 | x~]} of one item at VE noise level {@code noise} and
   * the diagonal of its Jacobian {@code dD_j / dx~_j} (diffusion.md 0.7):
   * {@code sum_k r_k s_kj^2 / (s_kj^2 + nu^2) + sum_k r_k (m_kj - D_j) (g_kj - gbar_j)} with component
   * posterior means {@code m_k}, scores {@code g_kj = -(x~_j - mu_kj) / (s_kj^2 + nu^2)} and
   * {@code gbar = sum_k r_k g_k}.
   */
  public void denoiseWithJacobianDiagonal(double[] xTilde, double noise, double[] out, double[] jacobianDiagonal) {
    int d = xTilde.length;
    int k0 = means.length;
    double nu2 = noise * noise;
    double[] logits = new double[k0];
    double max = componentLogits(xTilde, nu2, Conditioning.NONE, logits);
    double total = 0;
    double[] r = new double[k0];
    for (int k = 0; k < k0; k++) {
      r[k] = Math.exp(logits[k] - max);
      total += r[k];
    }
    for (int j = 0; j < d; j++) {
      double mean = 0;
      double gbar = 0;
      double shrink = 0;
      for (int k = 0; k < k0; k++) {
        double v = variances[k][j];
        double w = r[k] / total;
        mean += w * (means[k][j] + v / (v + nu2) * (xTilde[j] - means[k][j]));
        gbar -= w * (xTilde[j] - means[k][j]) / (v + nu2);
        shrink += w * v / (v + nu2);
      }
      double cross = 0;
      for (int k = 0; k < k0; k++) {
        double v = variances[k][j];
        double w = r[k] / total;
        double m = means[k][j] + v / (v + nu2) * (xTilde[j] - means[k][j]);
        double g = -(xTilde[j] - means[k][j]) / (v + nu2);
        cross += w * (m - mean) * (g - gbar);
      }
      out[j] = mean;
      jacobianDiagonal[j] = shrink + cross;
    }
  }

  /** The log density of the data distribution (noise 0) at {@code x0}. */
  public double logDensity(double[] x0) {
    double max = Double.NEGATIVE_INFINITY;
    double[] logits = new double[means.length];
    for (int k = 0; k < means.length; k++) {
      double logit = logWeights[k];
      for (int j = 0; j < x0.length; j++) {
        double diff = x0[j] - means[k][j];
        logit -= 0.5 * (Math.log(2 * Math.PI * variances[k][j]) + diff * diff / variances[k][j]);
      }
      logits[k] = logit;
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (double l : logits) {
      sum += Math.exp(l - max);
    }
    return max + Math.log(sum);
  }

  /** The most likely component of a clean point {@code x0} (its component under the mixture's law). */
  public int component(double[] x0) {
    int best = 0;
    double bestLogit = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < means.length; k++) {
      double logit = logWeights[k];
      for (int j = 0; j < x0.length; j++) {
        double diff = x0[j] - means[k][j];
        logit -= 0.5 * (Math.log(variances[k][j]) + diff * diff / variances[k][j]);
      }
      if (logit > bestLogit) {
        bestLogit = logit;
        best = k;
      }
    }
    return best;
  }

  /**
   * The unnormalised log responsibilities {@code log w_k + log N(x~; mu_k, s_k^2 + nu2)} (without
   * the 2 pi term) into {@code logits}, -Infinity for components outside {@code label} (NONE = all);
   * returns their maximum.
   */
  private double componentLogits(double[] xTilde, double nu2, int label, double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < means.length; k++) {
      if (label != Conditioning.NONE && labels != null && labels[k] != label) {
        logits[k] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double logit = logWeights[k];
      for (int j = 0; j < xTilde.length; j++) {
        double v = variances[k][j] + nu2;
        double diff = xTilde[j] - means[k][j];
        logit -= 0.5 * (Math.log(v) + diff * diff / v);
      }
      logits[k] = logit;
      max = Math.max(max, logit);
    }
    return max;
  }

  /** Whether {@link #flow} is available (one component). */
  public boolean hasClosedFormFlow() {
    return means.length == 1;
  }

  /**
   * The exact probability-flow map of a single Gaussian from {@code from} to {@code to}, in model
   * coordinates: {@code x_t = alpha_t mu + sqrt((alpha_t^2 s^2 + sigma_t^2)/(alpha_s^2 s^2 + sigma_s^2)) (x_s - alpha_s mu)}.
   */
  public void flow(double[] x, int n, TimePoint from, TimePoint to) {
    if (!hasClosedFormFlow()) {
      throw new IllegalStateException("closed-form flow needs a single Gaussian, not " + means.length + " components");
    }
    int d = dimension();
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        double s2 = variances[0][j];
        double mu = means[0][j];
        double ratio = Math.sqrt((to.alpha() * to.alpha() * s2 + to.sigma() * to.sigma())
            / (from.alpha() * from.alpha() * s2 + from.sigma() * from.sigma()));
        int i = r * d + j;
        x[i] = to.alpha() * mu + ratio * (x[i] - from.alpha() * mu);
      }
    }
  }

  /** {@code n} exact draws from the data distribution (label NONE = the whole mixture). */
  public double[] sample(Rng rng, int n, int label) {
    int d = dimension();
    double[] out = new double[n * d];
    double[] cumulative = new double[means.length];
    double total = 0;
    for (int k = 0; k < means.length; k++) {
      if (label == Conditioning.NONE || labels == null || labels[k] == label) {
        total += Math.exp(logWeights[k]);
      }
      cumulative[k] = total;
    }
    for (int r = 0; r < n; r++) {
      double u = rng.nextDouble() * total;
      int k = 0;
      while (k < means.length - 1 && (cumulative[k] <= u)) {
        k++;
      }
      for (int j = 0; j < d; j++) {
        out[r * d + j] = means[k][j] + Math.sqrt(variances[k][j]) * rng.nextGaussian();
      }
    }
    return out;
  }

  /** The exact mean {@code sum_k w_k mu_k} of the mixture. */
  public double[] mean() {
    int d = dimension();
    double[] mean = new double[d];
    for (int k = 0; k < means.length; k++) {
      double w = Math.exp(logWeights[k]);
      for (int j = 0; j < d; j++) {
        mean[j] += w * means[k][j];
      }
    }
    return mean;
  }

  /** The exact covariance {@code sum_k w_k (diag(s_k^2) + (mu_k - mu)(mu_k - mu)^T)} of the mixture. */
  public double[][] covariance() {
    int d = dimension();
    double[] mean = mean();
    double[][] cov = new double[d][d];
    for (int k = 0; k < means.length; k++) {
      double w = Math.exp(logWeights[k]);
      for (int i = 0; i < d; i++) {
        double di = means[k][i] - mean[i];
        cov[i][i] += w * variances[k][i];
        for (int j = 0; j < d; j++) {
          cov[i][j] += w * di * (means[k][j] - mean[j]);
        }
      }
    }
    return cov;
  }
}
