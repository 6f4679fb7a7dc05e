package org.fewstep.data.meta;

import java.util.Arrays;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.KMeans;
import org.fewstep.core.math.SymmetricEigen;

/**
 * The algorithm-selection learners of MetaInf's comparison (section 15(c)-(d)). Each maps the
 * standardised features {@code z [n][p]} and the log10 errors {@code y [n][m]} of n training
 * situations and m candidates of one budget to a predictor of a new situation's m log errors.
 * Constant (degenerate) features leave every learner with the training mean of each candidate,
 * hence the globally best candidate.
 */
public enum Learner {
  /** The baseline: the candidate with the lowest mean log error, whatever the features. */
  BEST_FIXED("best-fixed"),
  /** The mean log errors of the k nearest training situations (Euclidean, standardised; ties at the k-th distance included). */
  KNN("knn"),
  /** ISAC (Kadioglu et al., ECAI 2010): k-means on the features, the mean log errors of the nearest centre's cluster. */
  ISAC("isac"),
  /**
   * ALORS (Misir and Sebag, AIJ 2017): a rank-r factorisation {@code Y - mean = U V^T} of the
   * centred situation x candidate matrix (top eigenvectors of {@code Y_c^T Y_c}), and a ridge
   * regression from features to the latent rows U.
   */
  ALORS("alors"),
  /** A ridge regression of each candidate's log error on the features. */
  REGRESSION("regression");

  /**
   * Learner options: neighbours of kNN, clusters of ISAC (at most the distinct training points),
   * rank of ALORS, the ridge penalty of ALORS and the regression, the seed of k-means.
   */
  public record Settings(int neighbours, int clusters, int rank, double ridge, long seed) {
    public static final Settings DEFAULT = new Settings(5, 6, 3, 1.0, 0);

    public Settings {
      BadInputException.requireAtLeast("neighbours", neighbours, 1);
      BadInputException.requireAtLeast("clusters", clusters, 1);
      BadInputException.requireAtLeast("rank", rank, 1);
      BadInputException.requirePositive("ridge", ridge);
    }
  }

  /** A fitted predictor of one budget's candidates' log errors. */
  interface Predictor {
    double[] predict(double[] z);
  }

  private final String key;

  Learner(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The learner named {@code key} (best-fixed, knn, isac, alors, regression). */
  public static Learner of(String key) {
    for (Learner l : values()) {
      if (l.key.equals(key.toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw BadInputException.of("learner", key, "one of best-fixed, knn, isac, alors, regression");
  }

  Predictor fit(double[][] z, double[][] y, Settings settings) {
    int n = y.length;
    int m = y[0].length;
    double[] mean = columnMeans(y);
    switch (this) {
      case BEST_FIXED:
        return x -> mean.clone();
      case KNN:
        return x -> {
          double[] d = new double[n];
          for (int i = 0; i < n; i++) {
            d[i] = distance2(x, z[i]);
          }
          double[] sorted = d.clone();
          Arrays.sort(sorted);
          double kth = sorted[Math.min(settings.neighbours(), n) - 1];
          double[] out = new double[m];
          int count = 0;
          for (int i = 0; i < n; i++) {
            if (d[i] <= kth) {
              count++;
              for (int c = 0; c < m; c++) {
                out[c] += y[i][c];
              }
            }
          }
          for (int c = 0; c < m; c++) {
            out[c] /= count;
          }
          return out;
        };
      case ISAC: {
        int distinct = (int) Arrays.stream(z).map(Arrays::toString).distinct().count();
        int k = Math.min(settings.clusters(), distinct);
        KMeans.Result clusters = KMeans.fit(z, k, 10, 300, 1e-4, new Rng(settings.seed()));
        double[][] centreMeans = new double[k][m];
        int[] sizes = clusters.sizes();
        for (int i = 0; i < n; i++) {
          int l = clusters.labels()[i];
          for (int c = 0; c < m; c++) {
            centreMeans[l][c] += y[i][c] / sizes[l];
          }
        }
        double[][] centres = clusters.centres();
        return x -> {
          int best = 0;
          for (int l = 1; l < k; l++) {
            if (distance2(x, centres[l]) < distance2(x, centres[best])) {
              best = l;
            }
          }
          return centreMeans[best].clone();
        };
      }
      case ALORS: {
        int r = Math.min(settings.rank(), m);
        double[][] gram = new double[m][m];
        for (double[] row : y) {
          for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
              gram[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]);
            }
          }
        }
        SymmetricEigen eigen = SymmetricEigen.of(gram);
        double[][] v = new double[r][];
        double[][] weights = new double[r][];
        for (int q = 0; q < r; q++) {
          v[q] = eigen.vector(q);
          double[] u = new double[n];
          for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
              u[i] += (y[i][c] - mean[c]) * v[q][c];
            }
          }
          weights[q] = Ridge.fit(z, u, settings.ridge());
        }
        return x -> {
          double[] out = mean.clone();
          for (int q = 0; q < r; q++) {
            double u = Ridge.predict(weights[q], x);
            for (int c = 0; c < m; c++) {
              out[c] += u * v[q][c];
            }
          }
          return out;
        };
      }
      case REGRESSION: {
        double[][] weights = new double[m][];
        for (int c = 0; c < m; c++) {
          double[] column = new double[n];
          for (int i = 0; i < n; i++) {
            column[i] = y[i][c];
          }
          weights[c] = Ridge.fit(z, column, settings.ridge());
        }
        return x -> {
          double[] out = new double[m];
          for (int c = 0; c < m; c++) {
            out[c] = Ridge.predict(weights[c], x);
          }
          return out;
        };
      }
      default:
        throw new AssertionError(this);
    }
  }

  private static double[] columnMeans(double[][] y) {
    double[] mean = new double[y[0].length];
    for (double[] row : y) {
      for (int c = 0; c < row.length; c++) {
        mean[c] += row[c] / y.length;
      }
    }
    return mean;
  }

  private static double distance2(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
  }
}
