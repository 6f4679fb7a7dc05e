package org.fewstep.data.meta;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.model.DatasetModel;
import org.fewstep.diffusion.model.GaussianMixture;

/**
 * What MetaInf knows about a diffusion sampling situation (section 15(d): model, guidance scale,
 * resolution), all computable at run time from a model with known data: the dimension, the RMS
 * standard deviation of the data per element, the neighbour ratio (mean nearest-neighbour distance
 * among {@value #PROBE} data points over {@code dataStd * sqrt(2 d)}, the distance of two independent
 * draws of an isotropic Gaussian of that spread: near 0 for sharp, well separated clusters, near 1
 * for a diffuse cloud), the number of class labels, and the guidance scale (0 for an unguided,
 * unconditional run). The NFE budget is not a feature: selectors learn one model per budget.
 */
public record SituationFeatures(int dimension, double dataStd, double neighbourRatio, int classes, double guidance)
    implements MetaFeatures {
  /** The CSV column names of the features, in {@link #vector()} order. */
  public static final List<String> NAMES = List.of("dimension", "data_std", "neighbour_ratio", "classes", "guidance");

  /** Data points drawn (or taken) to compute the spread statistics. */
  public static final int PROBE = 256;

  public SituationFeatures {
    BadInputException.requireAtLeast("dimension", dimension, 1);
    if (!(dataStd > 0) || Double.isInfinite(dataStd)) {
      throw BadInputException.of("data_std", dataStd, "a finite number > 0");
    }
    if (!(neighbourRatio >= 0) || Double.isInfinite(neighbourRatio)) {
      throw BadInputException.of("neighbour_ratio", neighbourRatio, "a finite number >= 0");
    }
    if (classes < 0) {
      throw BadInputException.of("classes", classes, "an integer >= 0");
    }
    if (!(guidance >= 0) || Double.isInfinite(guidance)) {
      throw BadInputException.of("guidance", guidance, "a finite scale >= 0 (0 = unguided)");
    }
  }

  @Override
  public List<Object> cells() {
    return List.of(dimension, dataStd, neighbourRatio, classes, guidance);
  }

  /** The numeric feature vector the learners see: log dimension, log data std, neighbour ratio, log(1 + classes), guidance. */
  @Override
  public double[] vector() {
    return new double[] {Math.log(dimension), Math.log(dataStd), neighbourRatio, Math.log1p(classes), guidance};
  }

  /**
   * The features of a model sampled with classifier-free guidance {@code guidance} (null: unguided).
   * Gaussian mixtures are probed with {@value #PROBE} exact draws (seed 0); data set models with up
   * to {@value #PROBE} items spread evenly over the data.
   *
   * @throws BadInputException for a model whose data fewstep cannot see (e.g. an ONNX network)
   */
  public static SituationFeatures of(DiffusionModel model, Double guidance) {
    double[][] points;
    if (model instanceof GaussianMixture gmm) {
      int d = gmm.dimension();
      double[] flat = gmm.sample(new Rng(0), PROBE, Conditioning.NONE);
      points = new double[PROBE][];
      for (int i = 0; i < PROBE; i++) {
        points[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
      }
    } else if (model instanceof DatasetModel data) {
      int m = Math.min(PROBE, data.size());
      points = new double[m][];
      for (int i = 0; i < m; i++) {
        points[i] = data.item((int) ((long) i * data.size() / m));
      }
    } else {
      throw BadInputException.of("model", model.getClass().getSimpleName(),
          "a model with known data for MetaInf's features: a Gaussian mixture (gmm-2d, gmm-16d, gmm-64d, gmm:FILE) or a data set (digits)");
    }
    if (guidance != null) {
      BadInputException.requireFinite("guidance", guidance);
    }
    return fromData(points, model.classes(), guidance == null ? 0 : guidance);
  }

  /** The features of data points (rows of equal length, at least 2) with {@code classes} labels. */
  public static SituationFeatures fromData(double[][] points, int classes, double guidance) {
    int m = BadInputException.requireAtLeast("data points", points.length, 2);
    int d = points[0].length;
    double variance = 0;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (double[] p : points) {
        mean += p[j];
      }
      mean /= m;
      for (double[] p : points) {
        variance += (p[j] - mean) * (p[j] - mean);
      }
    }
    double std = Math.sqrt(variance / ((double) m * d));
    double nearest = 0;
    for (int a = 0; a < m; a++) {
      double best = Double.POSITIVE_INFINITY;
      for (int b = 0; b < m; b++) {
        if (b != a) {
          double s = 0;
          for (int j = 0; j < d; j++) {
            double t = points[a][j] - points[b][j];
            s += t * t;
          }
          best = Math.min(best, s);
        }
      }
      nearest += Math.sqrt(best);
    }
    double ratio = std > 0 ? nearest / m / (std * Math.sqrt(2.0 * d)) : 0;
    return new SituationFeatures(d, std, ratio, classes, guidance);
  }
}
