package org.fewstep.diffusion.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.core.io.Json;
import org.fewstep.core.math.SymmetricEigen;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The Gaussian score approximation of a data distribution (Wang and Vastola, arXiv 2311.12820;
 * diffusion.md 8b): the Gaussian {@code N(mu, Sigma)} with the data's mean and covariance,
 * {@code Sigma = U diag(lam) U^T} kept to its top {@code r} eigenpairs (the rest of the space is its
 * null space). In VE coordinates {@code x~ = x0 + sigma~ z} it has
 *
 * <ul>
 *   <li>the denoiser {@code D(x, sigma) = mu + Sigma (Sigma + sigma^2 I)^-1 (x - mu)} (their eq. 4),
 *   <li>the exact probability-flow map from {@code sigma_T} to {@code sigma}: with
 *       {@code c = U^T (x_T - mu)} and {@code e = x_T - mu - U c},
 *       {@code x(sigma) = mu + U diag(sqrt((sigma^2 + lam)/(sigma_T^2 + lam))) c + (sigma/sigma_T) e}
 *       (their eq. 6), applied to {@code x/alpha} with {@code sigma~ = sigma/alpha} for VP schedules.
 * </ul>
 *
 * <p>JSON form of the statistics: {@code {"mean": [d], "covariance": [[d] x d]}}.
 */
public final class GaussianApproximation {
  private static final Set<String> FIELDS = Set.of("mean", "covariance", "description");

  private final double[] mean;
  /** {@code basis[k]}: the k-th unit eigenvector (largest eigenvalue first). */
  private final double[][] basis;
  private final double[] lam;

  private GaussianApproximation(double[] mean, double[][] basis, double[] lam) {
    this.mean = mean;
    this.basis = basis;
    this.lam = lam;
  }

  /**
   * The approximation with mean {@code mean} and covariance {@code covariance} (symmetric, positive
   * semi-definite), keeping its {@code rank} largest eigenpairs ({@code rank = 0}: all of them).
   * Eigenvalues between {@code -1e-10 * max} and 0 are round-off of a singular matrix and count as
   * 0; a more negative one is an error.
   */
  public static GaussianApproximation of(double[] mean, double[][] covariance, int rank) {
    int d = mean.length;
    BadInputException.requireAtLeast("dimension of the mean", d, 1);
    if (covariance.length != d) {
      throw BadInputException.of("covariance rows", covariance.length, d + " (the dimension of the mean)");
    }
    for (int j = 0; j < d; j++) {
      BadInputException.requireFinite("mean[" + j + "]", mean[j]);
      if (covariance[j].length != d) {
        throw BadInputException.of("covariance row " + j + " length", covariance[j].length, d + " (the dimension of the mean)");
      }
      for (int i = 0; i < j; i++) {
        double a = covariance[i][j];
        double b = covariance[j][i];
        if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a) + Math.abs(b))) {
          throw new BadInputException("covariance is not symmetric: [" + i + "][" + j + "] = " + a + " but ["
              + j + "][" + i + "] = " + b);
        }
      }
    }
    if (rank < 0 || rank > d) {
      throw BadInputException.of("rank", rank, "0 (full) or between 1 and the dimension " + d);
    }
    SymmetricEigen eigen = SymmetricEigen.of(covariance);
    double[] values = eigen.values();
    int r = rank == 0 ? d : rank;
    double floor = -1e-10 * Math.max(values[0], 0);
    double[][] basis = new double[r][];
    double[] lam = new double[r];
    for (int k = 0; k < r; k++) {
      if (values[k] < floor || (values[k] < 0 && values[0] <= 0)) {
        throw BadInputException.of("covariance eigenvalue " + k, values[k], "a covariance (eigenvalues >= 0)");
      }
      lam[k] = Math.max(values[k], 0);
      basis[k] = eigen.vector(k);
    }
    for (int k = r; k < d; k++) {
      if (values[k] < floor) {
        throw BadInputException.of("covariance eigenvalue " + k, values[k], "a covariance (eigenvalues >= 0)");
      }
    }
    return new GaussianApproximation(mean.clone(), basis, lam);
  }

  /**
   * Fits the mean and covariance of {@code n} items of dimension {@code d} (row after row) and
   * keeps {@code rank} eigenpairs (0 = all). The covariance is the data set's own (divided by n,
   * the covariance of the empirical distribution).
   */
  public static GaussianApproximation fit(double[] data, int n, int d, int rank) {
    BadInputException.requireAtLeast("number of items to fit", n, 1);
    BadInputException.requireAtLeast("item dimension", d, 1);
    if (data.length != (long) n * d) {
      throw BadInputException.of("data length", data.length, n + " items x " + d + " = " + (long) n * d);
    }
    double[] mean = new double[d];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        double v = data[r * d + j];
        if (!Double.isFinite(v)) {
          throw BadInputException.of("data item " + r + " element " + j, v, "a finite number");
        }
        mean[j] += v;
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[][] cov = new double[d][d];
    double[] centred = new double[d];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        centred[j] = data[r * d + j] - mean[j];
      }
      for (int i = 0; i < d; i++) {
        double ci = centred[i];
        double[] row = cov[i];
        for (int j = i; j < d; j++) {
          row[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= n;
        cov[j][i] = cov[i][j];
      }
    }
    return of(mean, cov, rank);
  }

  /** The exact mean and covariance of a Gaussian mixture, {@code rank} eigenpairs kept (0 = all). */
  public static GaussianApproximation of(GaussianMixture mixture, int rank) {
    return of(mixture.mean(), mixture.covariance(), rank);
  }

  /** The mean and covariance of a data set model's items, {@code rank} eigenpairs kept (0 = all). */
  public static GaussianApproximation of(DatasetModel data, int rank) {
    int d = data.itemSize();
    double[] all = new double[data.size() * d];
    for (int k = 0; k < data.size(); k++) {
      System.arraycopy(data.item(k), 0, all, k * d, d);
    }
    return fit(all, data.size(), d, rank);
  }

  /**
   * The statistics named by {@code source}: a file ending in {@code .json} (the JSON form), a file
   * ending in {@code .npy} (samples {@code [n, ...]} to fit), or a model spec: a Gaussian mixture
   * gives its exact moments (or, with {@code samples > 0}, those fitted to that many of its draws
   * with {@code Rng(seed)}), a data set model the moments of its items.
   */
  public static GaussianApproximation from(String source, int rank, int samples, long seed) {
    if (source.endsWith(".json")) {
      return load(Path.of(source), rank);
    }
    if (!source.endsWith(".npy")) {
      DiffusionModel model = Models.registry().create(source);
      if (model instanceof GaussianMixture mixture && samples == 0) {
        return of(mixture, rank);
      }
      if (!(model instanceof GaussianMixture) && samples != 0) {
        throw BadInputException.of("stats-samples", samples, "0 for a model that is not a Gaussian mixture (" + source + ")");
      }
    }
    NdArray data = DataSource.samples(source, samples, seed);
    return fit(data.data(), data.items(), data.itemSize(), rank);
  }

  /** Reads the JSON form (see the class comment). */
  public static GaussianApproximation load(Path file, int rank) {
    String name = file.toString();
    JsonNode root = Json.read(file);
    Json.requireOnly(root, name, FIELDS);
    double[] mean = Json.numbers(Json.field(root, "mean", name), name + ": mean", -1);
    double[][] cov = Json.matrix(Json.field(root, "covariance", name), name + ": covariance", mean.length, mean.length);
    try {
      return of(mean, cov, rank);
    } catch (BadInputException e) {
      throw new BadInputException(name + ": " + e.getMessage(), e);
    }
  }

  public int dimension() {
    return mean.length;
  }

  /** Number of eigenpairs kept. */
  public int rank() {
    return lam.length;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** The kept eigenvalues of the covariance, largest first. */
  public double[] eigenvalues() {
    return lam.clone();
  }

  /** The unit eigenvector of {@code eigenvalues()[k]}. */
  public double[] eigenvector(int k) {
    return basis[k].clone();
  }

  /**
   * The data estimate {@code D(x, noise)} of {@code n} points in VE coordinates (noise =
   * {@code sigma/alpha}) into {@code out}.
   */
  public void denoise(double[] x, int n, double noise, double[] out) {
    double nu2 = noise * noise;
    int d = mean.length;
    double[] c = new double[lam.length];
    for (int r = 0; r < n; r++) {
      project(x, r * d, c);
      for (int k = 0; k < c.length; k++) {
        c[k] *= lam[k] / (lam[k] + nu2);
      }
      expand(c, out, r * d);
    }
  }

  /**
   * Moves {@code n} points in place along the exact probability-flow ODE of this Gaussian from
   * {@code from} to {@code to} (model coordinates; {@code to} may be noisier or cleaner).
   */
  public void flow(double[] x, int n, TimePoint from, TimePoint to) {
    double s = from.noise();
    double t = to.noise();
    if (!(s > 0) || !(t >= 0)) {
      throw BadInputException.of("flow noise levels", s + " -> " + t, "a start noise level > 0 and an end >= 0");
    }
    int d = mean.length;
    double[] c = new double[lam.length];
    double[] rest = new double[d];
    double inFrom = 1 / from.alpha();
    double residual = t / s;
    for (int r = 0; r < n; r++) {
      int o = r * d;
      for (int j = 0; j < d; j++) {
        x[o + j] *= inFrom;
      }
      project(x, o, c);
      // rest = e = x - mu - U c, the component in the null space of the kept covariance
      expand(c, rest, 0);
      for (int j = 0; j < d; j++) {
        rest[j] = x[o + j] - rest[j];
      }
      for (int k = 0; k < c.length; k++) {
        c[k] *= Math.sqrt((t * t + lam[k]) / (s * s + lam[k]));
      }
      expand(c, x, o);
      for (int j = 0; j < d; j++) {
        x[o + j] = to.alpha() * (x[o + j] + residual * rest[j]);
      }
    }
  }

  /** A denoiser of the schedule's points with items of shape {@code itemShape} (product = dimension). */
  public Denoiser denoiser(NoiseSchedule schedule, int... itemShape) {
    int size = 1;
    for (int e : itemShape) {
      size *= e;
    }
    if (size != mean.length) {
      throw BadInputException.of("item shape size", size, "the statistics' dimension " + mean.length);
    }
    int[] shape = itemShape.clone();
    GaussianApproximation self = this;
    return new Denoiser() {
      @Override
      public NoiseSchedule schedule() {
        return schedule;
      }

      @Override
      public int[] itemShape() {
        return shape.clone();
      }

      @Override
      public void denoise(double[] x, int n, TimePoint at, double[] out) {
        self.denoise(x, n, at.noise(), out);
      }
    };
  }

  /** {@code c = U^T (x[o..o+d) - mu)}. */
  private void project(double[] x, int o, double[] c) {
    int d = mean.length;
    for (int k = 0; k < lam.length; k++) {
      double[] u = basis[k];
      double sum = 0;
      for (int j = 0; j < d; j++) {
        sum += u[j] * (x[o + j] - mean[j]);
      }
      c[k] = sum;
    }
  }

  /** {@code out[o..o+d) = mu + U c}. */
  private void expand(double[] c, double[] out, int o) {
    int d = mean.length;
    System.arraycopy(mean, 0, out, o, d);
    for (int k = 0; k < lam.length; k++) {
      double ck = c[k];
      double[] u = basis[k];
      for (int j = 0; j < d; j++) {
        out[o + j] += ck * u[j];
      }
    }
  }
}
