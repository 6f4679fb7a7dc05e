package org.fewstep.data.curriculum;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.core.math.KMeans;

/**
 * A Gaussian mixture with full covariances, fitted by EM as scikit-learn's {@code GaussianMixture}
 * ({@code covariance_type='full'}, {@code init_params='kmeans'}) does it, for ALP-GMM (Portelas et al.,
 * CoRL 2019, section 4.1):
 * <ol>
 *   <li>Initialisation: one k-means run ({@link KMeans}, k-means++ and Lloyd); the hard labels are the
 *       first responsibilities, and the first M-step turns them into weights {@code n_j / n}, means and
 *       covariances.
 *   <li>EM: the E-step computes log N(x | μ_j, Σ_j) through the Cholesky factor of Σ_j and normalises
 *       by log-sum-exp; its mean over the samples is the lower bound (the per-sample log-likelihood);
 *       the M-step sets {@code n_j = Σ_i r_ij + 10 ε}, weights {@code n_j / Σ n}, means and the
 *       biased weighted covariances {@code Σ_i r_ij (x_i - μ_j)(x_i - μ_j)^T / n_j + reg I}. EM stops when
 *       the lower bound changes by less than {@code tol} (1e-3) or after {@code maxIterations} (100);
 *       the parameters are those of the last M-step. With several {@code inits} the run with the
 *       highest final lower bound is kept.
 *   <li>Criteria: {@code AIC = -2 log L + 2p}, {@code BIC = -2 log L + p ln n}, and the reference's
 *       modified AIC {@code AICc = AIC + 2p(p + 1)/(n - p - 1)}, with
 *       {@code p = k d(d + 1)/2 + k d + k - 1} free parameters in dimension d (+∞ when
 *       {@code n - p - 1 <= 0}).
 * </ol>
 * Immutable.
 */
public final class GaussianMixture {
  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private static final double TEN_EPS = 10 * Math.ulp(1.0);

  /**
   * EM settings: {@code components} k >= 1, {@code regCovar} >= 0 added to every covariance diagonal,
   * {@code tol} > 0 on the change of the per-sample lower bound, {@code maxIterations} >= 1, and the
   * number of k-means-initialised EM runs {@code inits} >= 1.
   */
  public record Settings(int components, double regCovar, double tol, int maxIterations, int inits) {
    public Settings {
      BadInputException.requireAtLeast("components", components, 1);
      if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
        throw BadInputException.of("reg-covar", regCovar, "a finite number >= 0");
      }
      BadInputException.requirePositive("tol", tol);
      BadInputException.requireAtLeast("max-iterations", maxIterations, 1);
      BadInputException.requireAtLeast("inits", inits, 1);
    }

    /** scikit-learn's defaults: reg_covar 1e-6, tol 1e-3, max_iter 100, n_init 1. */
    public static Settings defaults(int components) {
      return new Settings(components, 1e-6, 1e-3, 100, 1);
    }
  }

  /** Model-selection criteria (lower is better). */
  public enum Criterion {
    /** Akaike: {@code -2 log L + 2p} (ALP-GMM's default). */
    AIC,
    /** Schwarz: {@code -2 log L + p ln n}. */
    BIC,
    /** Modified AIC: {@code AIC + 2p(p + 1)/(n - p - 1)}, +∞ when {@code n <= p + 1}. */
    AICC;

    /** The criterion of {@code mixture} on the data {@code x}. */
    public double of(GaussianMixture mixture, double[][] x) {
      return switch (this) {
        case AIC -> mixture.aic(x);
        case BIC -> mixture.bic(x);
        case AICC -> mixture.aicc(x);
      };
    }
  }

  private final int k;
  private final int d;
  private final double[] weights;
  private final double[][] means;
  private final double[][][] covariances;
  private final double[][][] cholesky; // lower factors L_j, Σ_j = L_j L_j^T
  private final double[] halfLogDet; // Σ_i log L_j[i][i]
  private final double[] lowerBounds;
  private final boolean converged;

  private GaussianMixture(double[] weights, double[][] means, double[][][] covariances, double[] lowerBounds, boolean converged) {
    this.k = weights.length;
    this.d = means[0].length;
    this.weights = weights;
    this.means = means;
    this.covariances = covariances;
    this.cholesky = new double[k][][];
    this.halfLogDet = new double[k];
    for (int j = 0; j < k; j++) {
      cholesky[j] = choleskyOf(covariances[j], j);
      for (int i = 0; i < d; i++) {
        halfLogDet[j] += Math.log(cholesky[j][i][i]);
      }
    }
    this.lowerBounds = lowerBounds;
    this.converged = converged;
  }

  /**
   * The mixture with the given weights (non-negative, summing to 1 within 1e-9), means ({@code [k][d]})
   * and symmetric positive-definite covariances ({@code [k][d][d]}); all arrays are copied.
   */
  public static GaussianMixture of(double[] weights, double[][] means, double[][][] covariances) {
    int k = weights.length;
    BadInputException.requireAtLeast("components", k, 1);
    if (means.length != k || covariances.length != k) {
      throw BadInputException.of("means/covariances count", means.length + "/" + covariances.length, k + " (one per weight)");
    }
    int d = means[0].length;
    BadInputException.requireAtLeast("dimension", d, 1);
    double sum = 0;
    for (int j = 0; j < k; j++) {
      if (!(weights[j] >= 0) || Double.isInfinite(weights[j])) {
        throw BadInputException.of("weights[" + j + "]", weights[j], "a finite weight >= 0");
      }
      sum += weights[j];
      if (means[j].length != d) {
        throw BadInputException.of("means[" + j + "] length", means[j].length, d + " like means[0]");
      }
      for (int a = 0; a < d; a++) {
        BadInputException.requireFinite("means[" + j + "][" + a + "]", means[j][a]);
      }
      if (covariances[j].length != d) {
        throw BadInputException.of("covariances[" + j + "] size", covariances[j].length, d + " x " + d);
      }
      for (int a = 0; a < d; a++) {
        if (covariances[j][a].length != d) {
          throw BadInputException.of("covariances[" + j + "] size", covariances[j].length + " x " + covariances[j][a].length, d + " x " + d);
        }
        for (int b = 0; b < d; b++) {
          BadInputException.requireFinite("covariances[" + j + "][" + a + "][" + b + "]", covariances[j][a][b]);
          if (covariances[j][a][b] != covariances[j][b][a]) {
            throw BadInputException.of("covariances[" + j + "]", "asymmetric at (" + a + ", " + b + ")", "a symmetric matrix");
          }
        }
      }
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw BadInputException.of("sum of weights", sum, "1 within 1e-9");
    }
    double[][][] covs = new double[k][d][];
    double[][] mus = new double[k][];
    for (int j = 0; j < k; j++) {
      mus[j] = means[j].clone();
      for (int a = 0; a < d; a++) {
        covs[j][a] = covariances[j][a].clone();
      }
    }
    return new GaussianMixture(weights.clone(), mus, covs, new double[0], true);
  }

  /**
   * Fits a mixture of {@code settings.components()} Gaussians to the rows of {@code x} (n >= k rows
   * of d >= 1 finite coordinates) by k-means-initialised EM; {@code rng} drives the k-means seeding.
   */
  public static GaussianMixture fit(double[][] x, Settings settings, Rng rng) {
    int n = x.length;
    int k = settings.components();
    BadInputException.requireAtLeast("samples", n, 1);
    if (k > n) {
      throw BadInputException.of("components", k, "at most the number of samples (" + n + ")");
    }
    int d = x[0].length;
    BadInputException.requireAtLeast("dimension", d, 1);
    for (int i = 0; i < n; i++) {
      if (x[i].length != d) {
        throw BadInputException.of("x[" + i + "] length", x[i].length, d + " like x[0]");
      }
      for (int a = 0; a < d; a++) {
        BadInputException.requireFinite("x[" + i + "][" + a + "]", x[i][a]);
      }
    }
    GaussianMixture best = null;
    for (int run = 0; run < settings.inits(); run++) {
      GaussianMixture candidate = em(x, settings, rng);
      if (best == null || candidate.lowerBound() > best.lowerBound()) {
        best = candidate;
      }
    }
    return best;
  }

  private static GaussianMixture em(double[][] x, Settings s, Rng rng) {
    return emFromLabels(x, s, KMeans.fit(x, s.components(), rng).labels());
  }

  /** EM from the hard assignment {@code labels} (each in [0, k)) as the first responsibilities. */
  static GaussianMixture emFromLabels(double[][] x, Settings s, int[] labels) {
    int n = x.length;
    int k = s.components();
    double[][] resp = new double[n][k];
    for (int i = 0; i < n; i++) {
      resp[i][labels[i]] = 1;
    }
    Parameters p = mStep(x, resp, s.regCovar());
    for (int j = 0; j < k; j++) { // scikit-learn's _initialize divides by n, the M-step by Σ n_j
      p.weights[j] = p.counts[j] / n;
    }
    double[] bounds = new double[s.maxIterations()];
    int iterations = 0;
    boolean converged = false;
    double previous = Double.NEGATIVE_INFINITY;
    while (iterations < s.maxIterations()) {
      GaussianMixture current = new GaussianMixture(p.weights, p.means, p.covariances, null, false);
      double bound = current.eStep(x, resp);
      p = mStep(x, resp, s.regCovar());
      bounds[iterations++] = bound;
      if (Math.abs(bound - previous) < s.tol()) {
        converged = true;
        break;
      }
      previous = bound;
    }
    return new GaussianMixture(p.weights, p.means, p.covariances, Arrays.copyOf(bounds, iterations), converged);
  }

  private record Parameters(double[] counts, double[] weights, double[][] means, double[][][] covariances) {}

  private static Parameters mStep(double[][] x, double[][] resp, double reg) {
    int n = x.length;
    int k = resp[0].length;
    int d = x[0].length;
    double[] counts = new double[k];
    double[][] means = new double[k][d];
    double[][][] covs = new double[k][d][d];
    for (int i = 0; i < n; i++) {
      double[] r = resp[i];
      double[] xi = x[i];
      for (int j = 0; j < k; j++) {
        counts[j] += r[j];
        double[] m = means[j];
        for (int a = 0; a < d; a++) {
          m[a] += r[j] * xi[a];
        }
      }
    }
    double total = 0;
    for (int j = 0; j < k; j++) {
      counts[j] += TEN_EPS;
      total += counts[j];
      for (int a = 0; a < d; a++) {
        means[j][a] /= counts[j];
      }
    }
    double[] diff = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double r = resp[i][j];
        if (r == 0) {
          continue;
        }
        for (int a = 0; a < d; a++) {
          diff[a] = x[i][a] - means[j][a];
        }
        double[][] c = covs[j];
        for (int a = 0; a < d; a++) {
          double ra = r * diff[a];
          for (int b = 0; b <= a; b++) {
            c[a][b] += ra * diff[b];
          }
        }
      }
    }
    double[] weights = new double[k];
    for (int j = 0; j < k; j++) {
      weights[j] = counts[j] / total;
      double[][] c = covs[j];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b <= a; b++) {
          c[a][b] /= counts[j];
          c[b][a] = c[a][b];
        }
        c[a][a] += reg;
      }
    }
    return new Parameters(counts, weights, means, covs);
  }

  /** Writes the responsibilities of every sample to {@code resp} and returns the mean log-likelihood. */
  private double eStep(double[][] x, double[][] resp) {
    double sum = 0;
    double[] z = new double[d];
    for (int i = 0; i < x.length; i++) {
      double[] r = resp[i];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        r[j] = weightedLogDensity(j, x[i], z);
        max = Math.max(max, r[j]);
      }
      double s = 0;
      for (int j = 0; j < k; j++) {
        s += Math.exp(r[j] - max);
      }
      double norm = max + Math.log(s);
      for (int j = 0; j < k; j++) {
        r[j] = Math.exp(r[j] - norm);
      }
      sum += norm;
    }
    return sum / x.length;
  }

  /** log w_j + log N(x | μ_j, Σ_j), with z as scratch for L_j^{-1}(x - μ_j). */
  private double weightedLogDensity(int j, double[] x, double[] z) {
    double[][] l = cholesky[j];
    double[] mu = means[j];
    double quad = 0;
    for (int a = 0; a < d; a++) {
      double v = x[a] - mu[a];
      double[] row = l[a];
      for (int b = 0; b < a; b++) {
        v -= row[b] * z[b];
      }
      z[a] = v / row[a];
      quad += z[a] * z[a];
    }
    return Math.log(weights[j]) - 0.5 * (d * LOG_2PI + quad) - halfLogDet[j];
  }

  private static double[][] choleskyOf(double[][] c, int component) {
    int d = c.length;
    double[][] l = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double s = c[a][b];
        for (int m = 0; m < b; m++) {
          s -= l[a][m] * l[b][m];
        }
        if (a == b) {
          if (!(s > 0)) {
            throw BadInputException.of("covariances[" + component + "]", "not positive definite (pivot " + s + " at " + a + ")",
                "a positive-definite matrix (a collapsed component: increase reg-covar)");
          }
          l[a][a] = Math.sqrt(s);
        } else {
          l[a][b] = s / l[b][b];
        }
      }
    }
    return l;
  }

  /** log p(x) = log Σ_j w_j N(x | μ_j, Σ_j) for one point of dimension d. */
  public double logDensity(double[] x) {
    requireDimension("x", x);
    double[] z = new double[d];
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[k];
    for (int j = 0; j < k; j++) {
      terms[j] = weightedLogDensity(j, x, z);
      max = Math.max(max, terms[j]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0;
    for (int j = 0; j < k; j++) {
      s += Math.exp(terms[j] - max);
    }
    return max + Math.log(s);
  }

  /** The total log-likelihood Σ_i log p(x_i). */
  public double logLikelihood(double[][] x) {
    if (x.length == 0) {
      throw BadInputException.of("samples", 0, "at least one sample");
    }
    double sum = 0;
    for (double[] xi : x) {
      sum += logDensity(xi);
    }
    return sum;
  }

  /** The number of free parameters {@code p = k d(d + 1)/2 + k d + k - 1}. */
  public int parameterCount() {
    return k * d * (d + 1) / 2 + k * d + k - 1;
  }

  /** {@code -2 log L + 2p}. */
  public double aic(double[][] x) {
    return -2 * logLikelihood(x) + 2 * parameterCount();
  }

  /** {@code -2 log L + p ln n}. */
  public double bic(double[][] x) {
    return -2 * logLikelihood(x) + parameterCount() * Math.log(x.length);
  }

  /**
   * {@code AIC + 2p(p + 1)/(n - p - 1)}, +∞ when {@code n <= p + 1}. The reference ALP-GMM counts p with
   * the task dimension d instead of the fitted dimension d + 1; here p is the mixture's own count.
   */
  public double aicc(double[][] x) {
    int p = parameterCount();
    int n = x.length;
    if (n - p - 1 <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    return aic(x) + 2.0 * p * (p + 1) / (n - p - 1);
  }

  /** One draw: a component with probability w_j, then {@link #sample(int, Rng)}. */
  public double[] sample(Rng rng) {
    return sample(new Categorical().setWeights("mixture weights", weights, k).sample(rng), rng);
  }

  /** One draw from component j: {@code μ_j + L_j z} with z standard normal. */
  public double[] sample(int j, Rng rng) {
    if (j < 0 || j >= k) {
      throw BadInputException.of("component", j, "an index in [0, " + k + ")");
    }
    double[] z = new double[d];
    rng.fillGaussian(z);
    double[] out = means[j].clone();
    double[][] l = cholesky[j];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        out[a] += l[a][b] * z[b];
      }
    }
    return out;
  }

  /** The number of components k. */
  public int components() {
    return k;
  }

  /** The dimension d of the data. */
  public int dimension() {
    return d;
  }

  /** The mixing weights (a copy). */
  public double[] weights() {
    return weights.clone();
  }

  /** The mean of component j (a copy). */
  public double[] mean(int j) {
    return means[j].clone();
  }

  /** The covariance of component j (a copy). */
  public double[][] covariance(int j) {
    double[][] c = new double[d][];
    for (int a = 0; a < d; a++) {
      c[a] = covariances[j][a].clone();
    }
    return c;
  }

  /**
   * The mean log-likelihood per sample computed by each E-step of the fit (scikit-learn's lower bound),
   * in order; empty for a mixture built by {@link #of}.
   */
  public double[] lowerBounds() {
    return lowerBounds.clone();
  }

  /** The last lower bound of the fit (NaN for a mixture built by {@link #of}). */
  public double lowerBound() {
    return lowerBounds.length == 0 ? Double.NaN : lowerBounds[lowerBounds.length - 1];
  }

  /** The number of EM iterations of the fit. */
  public int iterations() {
    return lowerBounds.length;
  }

  /** Whether the fit stopped because the lower bound changed by less than tol. */
  public boolean converged() {
    return converged;
  }

  private void requireDimension(String parameter, double[] x) {
    if (x == null || x.length != d) {
      throw BadInputException.of(parameter + " length", x == null ? "null" : x.length, d + " (the mixture dimension)");
    }
  }
}
