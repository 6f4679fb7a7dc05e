package org.fewstep.core.math;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * k-means clustering as scikit-learn's {@code KMeans} does it: k-means++ seeding (Arthur and
 * Vassilvitskii, 2007) with {@code 2 + floor(ln k)} candidate centres per step, then Lloyd
 * iterations until no assignment changes (or the squared centre shift is below {@code tol} times the
 * mean per-feature variance);
 * the best of {@code restarts} runs by inertia. Used by ISAC-style sampler choice (MetaInf), the
 * k-means initialisation of Gaussian mixtures (ALP-GMM) and SnapshotRL's status classes.
 *
 * <p>Deterministic given the {@link Rng}; ties in assignment go to the lowest centre index. An
 * empty cluster is re-seeded at the point farthest from its centre.
 */
public final class KMeans {

  /** A clustering: centres {@code [k][d]}, the label of every point, and the inertia. */
  public record Result(double[][] centres, int[] labels, double inertia) {
    /** The number of points with each label. */
    public int[] sizes() {
      int[] sizes = new int[centres.length];
      for (int label : labels) {
        sizes[label]++;
      }
      return sizes;
    }
  }

  private KMeans() {}

  /** {@link #fit(double[][], int, int, int, double, Rng)} with 1 restart, 300 iterations, tol 1e-4. */
  public static Result fit(double[][] points, int k, Rng rng) {
    return fit(points, k, 1, 300, 1e-4, rng);
  }

  /**
   * Clusters {@code points} ({@code n} rows of equal length, all finite) into {@code k <= n}
   * groups, keeping the best of {@code restarts} seeded runs.
   */
  public static Result fit(double[][] points, int k, int restarts, int maxIterations, double tol, Rng rng) {
    int n = points.length;
    BadInputException.requireAtLeast("points", n, 1);
    BadInputException.requireAtLeast("k", k, 1);
    if (k > n) {
      throw BadInputException.of("k", k, "at most the number of points (" + n + ")");
    }
    BadInputException.requireAtLeast("restarts", restarts, 1);
    BadInputException.requireAtLeast("max-iterations", maxIterations, 1);
    int d = points[0].length;
    for (int i = 0; i < n; i++) {
      if (points[i].length != d) {
        throw BadInputException.of("points[" + i + "]", points[i].length + " coordinates", d + " like points[0]");
      }
      for (double x : points[i]) {
        if (!Double.isFinite(x)) {
          throw BadInputException.of("points[" + i + "]", x, "finite coordinates");
        }
      }
    }
    double scale = 0;
    double[] mean = new double[d];
    for (double[] p : points) {
      for (int j = 0; j < d; j++) {
        mean[j] += p[j] / n;
      }
    }
    for (double[] p : points) {
      scale += distance2(p, mean) / n;
    }
    double shiftTol = tol * scale / d; // scikit-learn: tol times the mean per-feature variance
    Result best = null;
    for (int r = 0; r < restarts; r++) {
      Result run = lloyd(points, seed(points, k, rng), maxIterations, shiftTol);
      if (best == null || run.inertia() < best.inertia()) {
        best = run;
      }
    }
    return best;
  }

  /** k-means++ seeding with greedy candidate choice, as scikit-learn's {@code _kmeans_plusplus}. */
  static double[][] seed(double[][] points, int k, Rng rng) {
    int n = points.length;
    int trials = 2 + (int) Math.log(k);
    double[][] centres = new double[k][];
    centres[0] = points[rng.nextInt(n)].clone();
    double[] closest = new double[n];
    double potential = 0;
    for (int i = 0; i < n; i++) {
      closest[i] = distance2(points[i], centres[0]);
      potential += closest[i];
    }
    double[] candidateClosest = new double[n];
    Categorical draw = new Categorical();
    for (int c = 1; c < k; c++) {
      int bestCandidate = -1;
      double bestPotential = Double.POSITIVE_INFINITY;
      double[] bestClosest = null;
      for (int t = 0; t < trials; t++) {
        int candidate = potential > 0 ? draw.setWeights("k-means++ distances", closest, n).sample(rng) : rng.nextInt(n);
        double candidatePotential = 0;
        for (int i = 0; i < n; i++) {
          candidateClosest[i] = Math.min(closest[i], distance2(points[i], points[candidate]));
          candidatePotential += candidateClosest[i];
        }
        if (candidatePotential < bestPotential) {
          bestPotential = candidatePotential;
          bestCandidate = candidate;
          bestClosest = candidateClosest.clone();
        }
      }
      centres[c] = points[bestCandidate].clone();
      closest = bestClosest;
      potential = bestPotential;
    }
    return centres;
  }

  private static Result lloyd(double[][] points, double[][] centres, int maxIterations, double shiftTol) {
    int n = points.length;
    int k = centres.length;
    int d = points[0].length;
    int[] labels = new int[n];
    java.util.Arrays.fill(labels, -1);
    for (int iter = 0; iter < maxIterations; iter++) {
      boolean changed = assign(points, centres, labels);
      double[][] sums = new double[k][d];
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (int j = 0; j < d; j++) {
          sums[labels[i]][j] += points[i][j];
        }
      }
      double shift = 0;
      for (int c = 0; c < k; c++) {
        double[] next;
        if (counts[c] == 0) {
          next = points[farthest(points, centres, labels)].clone();
        } else {
          next = sums[c];
          for (int j = 0; j < d; j++) {
            next[j] /= counts[c];
          }
        }
        shift += distance2(next, centres[c]);
        centres[c] = next;
      }
      if (!changed || shift <= shiftTol) {
        break;
      }
    }
    assign(points, centres, labels);
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      inertia += distance2(points[i], centres[labels[i]]);
    }
    return new Result(centres, labels, inertia);
  }

  private static boolean assign(double[][] points, double[][] centres, int[] labels) {
    boolean changed = false;
    for (int i = 0; i < points.length; i++) {
      int best = 0;
      double bestDistance = distance2(points[i], centres[0]);
      for (int c = 1; c < centres.length; c++) {
        double dist = distance2(points[i], centres[c]);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      changed |= labels[i] != best;
      labels[i] = best;
    }
    return changed;
  }

  private static int farthest(double[][] points, double[][] centres, int[] labels) {
    int far = 0;
    double farDistance = -1;
    for (int i = 0; i < points.length; i++) {
      double dist = distance2(points[i], centres[labels[i]]);
      if (dist > farDistance) {
        farDistance = dist;
        far = i;
      }
    }
    return far;
  }

  private static double distance2(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double t = a[j] - b[j];
      s += t * t;
    }
    return s;
  }
}
