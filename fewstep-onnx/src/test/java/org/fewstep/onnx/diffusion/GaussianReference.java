package org.fewstep.onnx.diffusion;

import java.nio.file.Path;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpDiscreteSchedule;

/**
 * The function the fixture graphs of {@code fixtures/make_denoiser.py} compute, written in Java
 * (float64 throughout): the exact eps / x0 / v of x0 ~ N(mu_eff, diag(s^2)) at the model's
 * timestep, where mu_eff = mu + (mean over the sequence of the conditioning row) * shift. With an
 * integer timestep the network sees the nearest training step (as {@link OnnxDiffusionModel} feeds
 * it), with a float timestep the schedule's own continuous alpha.
 */
final class GaussianReference implements DiffusionModel {
  static final int C = 2;
  static final int HW = 16;

  private final VpDiscreteSchedule schedule;
  private final SchedulerConfig config;
  private final Prediction prediction;
  private final boolean integerTimestep;
  private final double[] mu;
  private final double[] variance;
  private final double[][] shift;
  /** [K][S * D] condition rows, or null for an unconditional model. */
  private final double[][] conditions;
  private final double[] unconditional;
  private final int sequence;

  GaussianReference(SchedulerConfig config, boolean integerTimestep, Path referenceDir, NdArray conditions,
      NdArray unconditional) {
    this.config = config;
    this.schedule = config.schedule();
    this.prediction = config.prediction();
    this.integerTimestep = integerTimestep;
    this.mu = Npy.read(referenceDir.resolve("mu.npy")).data();
    double[] std = Npy.read(referenceDir.resolve("std.npy")).data();
    this.variance = new double[std.length];
    for (int i = 0; i < std.length; i++) {
      variance[i] = std[i] * std[i];
    }
    NdArray s = Npy.read(referenceDir.resolve("shift.npy"));
    this.shift = new double[s.dim(0)][s.dim(1)];
    for (int d = 0; d < s.dim(0); d++) {
      for (int c = 0; c < s.dim(1); c++) {
        shift[d][c] = s.data()[d * s.dim(1) + c];
      }
    }
    if (conditions == null) {
      this.conditions = null;
      this.unconditional = null;
      this.sequence = 0;
    } else {
      int k = conditions.dim(0);
      int rowSize = conditions.size() / k;
      this.conditions = new double[k][rowSize];
      for (int i = 0; i < k; i++) {
        System.arraycopy(conditions.data(), i * rowSize, this.conditions[i], 0, rowSize);
      }
      this.unconditional = unconditional == null ? new double[rowSize] : unconditional.data().clone();
      this.sequence = conditions.dim(1);
    }
  }

  @Override
  public VpDiscreteSchedule schedule() {
    return schedule;
  }

  @Override
  public int[] itemShape() {
    return new int[] {C, 4, 4};
  }

  @Override
  public Prediction prediction() {
    return prediction;
  }

  @Override
  public int classes() {
    return conditions == null ? 0 : conditions.length;
  }

  @Override
  public void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out) {
    double alpha;
    double sigma;
    if (integerTimestep) {
      long k = Math.max(0, Math.min(config.trainSteps() - 1, Math.round(schedule.networkTime(at.t()))));
      double logAlpha = schedule.logAlpha(config.time(k));
      alpha = Math.exp(logAlpha);
      sigma = Math.sqrt(1 - alpha * alpha);
    } else {
      alpha = at.alpha();
      sigma = at.sigma();
    }
    int size = C * HW;
    double[] meanShift = new double[C];
    for (int r = 0; r < n; r++) {
      java.util.Arrays.fill(meanShift, 0);
      if (conditions != null) {
        int label = conditioning == null ? Conditioning.NONE : conditioning.label(r);
        double[] row = label == Conditioning.NONE ? unconditional : conditions[label];
        int dims = row.length / sequence;
        for (int d = 0; d < dims; d++) {
          double m = 0;
          for (int s = 0; s < sequence; s++) {
            m += row[s * dims + d];
          }
          m /= sequence;
          for (int c = 0; c < C; c++) {
            meanShift[c] += m * shift[d][c];
          }
        }
      }
      for (int j = 0; j < size; j++) {
        int i = r * size + j;
        double m = mu[j] + meanShift[j / HW];
        double rr = (x[i] - alpha * m) / (alpha * alpha * variance[j] + sigma * sigma);
        double eps = sigma * rr;
        double x0 = m + alpha * variance[j] * rr;
        out[i] = switch (prediction) {
          case EPS -> eps;
          case X0 -> x0;
          case V -> alpha * eps - sigma * x0;
        };
      }
    }
  }
}
