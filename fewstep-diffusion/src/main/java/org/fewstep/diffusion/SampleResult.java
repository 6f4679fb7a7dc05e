package org.fewstep.diffusion;

import org.fewstep.core.NdArray;

/**
 * The outcome of one sampling run.
 *
 * @param samples    the samples at the end of the grid, in model coordinates ({@code [n, ...]})
 * @param nfe        number of denoiser evaluations (one per batched call, guidance included)
 * @param steps      number of solver steps taken
 * @param nanos      wall time of the run
 * @param logWeights the samples' normalised log importance weights (log-sum-exp 0) when a
 *                   weighted sampler returns them unresampled; null when the samples are equally
 *                   weighted
 */
public record SampleResult(NdArray samples, int nfe, int steps, long nanos, double[] logWeights) {
  public SampleResult(NdArray samples, int nfe, int steps, long nanos) {
    this(samples, nfe, steps, nanos, null);
  }

  public SampleResult {
    logWeights = logWeights == null ? null : logWeights.clone();
  }

  @Override
  public double[] logWeights() {
    return logWeights == null ? null : logWeights.clone();
  }

  /** The weighted mean of element j of the items (the plain mean when equally weighted). */
  public double mean(int j) {
    double[] x = samples.data();
    int n = samples.items();
    int size = x.length / n;
    double m = 0;
    for (int i = 0; i < n; i++) {
      m += weight(i) * x[i * size + j];
    }
    return m;
  }

  /** The weighted variance of element j of the items. */
  public double variance(int j) {
    double[] x = samples.data();
    int n = samples.items();
    int size = x.length / n;
    double m = mean(j);
    double v = 0;
    for (int i = 0; i < n; i++) {
      double d = x[i * size + j] - m;
      v += weight(i) * d * d;
    }
    return v;
  }

  private double weight(int i) {
    return logWeights == null ? 1.0 / samples.items() : Math.exp(logWeights[i]);
  }
}
