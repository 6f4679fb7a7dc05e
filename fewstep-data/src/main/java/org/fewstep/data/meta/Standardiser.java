package org.fewstep.data.meta;

import java.util.List;

/**
 * Feature standardisation fitted on training situations: {@code (x - mean) / std} per feature; a
 * feature constant over the training situations carries no information and maps to 0, so that
 * degenerate features leave every learner with its global answer.
 */
final class Standardiser {
  private final double[] mean;
  private final double[] scale;

  Standardiser(List<? extends MetaFeatures> training) {
    int p = training.get(0).vector().length;
    int n = training.size();
    mean = new double[p];
    scale = new double[p];
    for (MetaFeatures f : training) {
      double[] v = f.vector();
      for (int j = 0; j < p; j++) {
        mean[j] += v[j] / n;
      }
    }
    for (MetaFeatures f : training) {
      double[] v = f.vector();
      for (int j = 0; j < p; j++) {
        scale[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < p; j++) {
      double std = Math.sqrt(scale[j]);
      scale[j] = std > 1e-9 * Math.max(1, Math.abs(mean[j])) ? 1 / std : 0;
    }
  }

  double[] apply(MetaFeatures f) {
    double[] v = f.vector();
    for (int j = 0; j < v.length; j++) {
      v[j] = (v[j] - mean[j]) * scale[j];
    }
    return v;
  }

  double[][] apply(List<? extends MetaFeatures> fs) {
    return fs.stream().map(this::apply).toArray(double[][]::new);
  }
}
