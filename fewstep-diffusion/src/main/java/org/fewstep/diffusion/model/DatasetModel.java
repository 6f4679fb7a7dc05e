package org.fewstep.diffusion.model;

import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The exact optimal denoiser of a finite data set {@code d_1..d_K} (the empirical distribution,
 * a mixture of deltas; diffusion.md 0.7): at noise level {@code nu = sigma/alpha},
 * {@code x0 = sum_k softmax_k(-|x - d_k|^2 / (2 nu^2)) d_k} in VE coordinates. Conditioning on a
 * label restricts the softmax to the items of that class. Its samples are training items (the
 * exact denoiser memorises), which makes it a model with a known answer and real image structure.
 *
 * <p>Data are held in float32 (the denoiser is exact for that data set). A call costs two passes
 * over the data, split into fixed chunks that run in parallel; the result does not depend on the
 * number of threads.
 */
public final class DatasetModel implements DiffusionModel {
  private static final int CHUNK = 256;
  private static final int BLOCK = 4;

  private final NoiseSchedule schedule;
  private final int[] itemShape;
  private final int dim;
  private final int count;
  private final float[] data;
  private final double[] halfNorms;
  private final int[] labels;
  private final int classes;
  private final Prediction prediction;

  /**
   * @param data   {@code count * prod(itemShape)} values, item after item
   * @param labels one class per item, or null
   */
  public DatasetModel(NoiseSchedule schedule, int[] itemShape, float[] data, int[] labels, Prediction prediction) {
    int d = 1;
    for (int e : itemShape) {
      d *= e;
    }
    if (d == 0 || data.length == 0 || data.length % d != 0) {
      throw BadInputException.of("data length", data.length, "a positive multiple of the item size " + d);
    }
    this.schedule = schedule;
    this.itemShape = itemShape.clone();
    this.dim = d;
    this.count = data.length / d;
    this.data = data;
    this.halfNorms = new double[count];
    for (int k = 0; k < count; k++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double v = data[k * d + j];
        s += v * v;
      }
      halfNorms[k] = 0.5 * s;
    }
    int max = -1;
    if (labels != null) {
      if (labels.length != count) {
        throw BadInputException.of("labels", labels.length, count + " (one per item)");
      }
      for (int l : labels) {
        max = Math.max(max, l);
      }
    }
    this.labels = labels;
    this.classes = max + 1;
    this.prediction = prediction;
  }

  @Override
  public NoiseSchedule schedule() {
    return schedule;
  }

  @Override
  public int[] itemShape() {
    return itemShape.clone();
  }

  @Override
  public Prediction prediction() {
    return prediction;
  }

  @Override
  public int classes() {
    return classes;
  }

  /** Number of data items. */
  public int size() {
    return count;
  }

  /** Item {@code k} as doubles. */
  public double[] item(int k) {
    double[] out = new double[dim];
    for (int j = 0; j < dim; j++) {
      out[j] = data[k * dim + j];
    }
    return out;
  }

  @Override
  public void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out) {
    double[] xTilde = new double[n * dim];
    for (int i = 0; i < n * dim; i++) {
      xTilde[i] = x[i] / at.alpha();
    }
    double inverseVariance = 1 / (at.noise() * at.noise());
    // pass 1: logits[r][k] = (x_r . d_k - |d_k|^2 / 2) / nu^2 (the |x_r|^2 term cancels in the softmax)
    double[] logits = new double[n * count];
    int chunks = (count + CHUNK - 1) / CHUNK;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int end = Math.min(count, (c + 1) * CHUNK);
      for (int k = c * CHUNK; k < end; k++) {
        int base = k * dim;
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
          int rows = Math.min(BLOCK, n - r0);
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          int o0 = r0 * dim;
          int o1 = rows > 1 ? o0 + dim : o0;
          int o2 = rows > 2 ? o0 + 2 * dim : o0;
          int o3 = rows > 3 ? o0 + 3 * dim : o0;
          for (int j = 0; j < dim; j++) {
            double v = data[base + j];
            s0 += v * xTilde[o0 + j];
            s1 += v * xTilde[o1 + j];
            s2 += v * xTilde[o2 + j];
            s3 += v * xTilde[o3 + j];
          }
          int at0 = r0 * count + k;
          logits[at0] = (s0 - halfNorms[k]) * inverseVariance;
          if (rows > 1) {
            logits[at0 + count] = (s1 - halfNorms[k]) * inverseVariance;
          }
          if (rows > 2) {
            logits[at0 + 2 * count] = (s2 - halfNorms[k]) * inverseVariance;
          }
          if (rows > 3) {
            logits[at0 + 3 * count] = (s3 - halfNorms[k]) * inverseVariance;
          }
        }
      }
    });
    // softmax per row, restricted to the row's class
    for (int r = 0; r < n; r++) {
      int label = conditioning == null ? Conditioning.NONE : conditioning.label(r);
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < count; k++) {
        if (label != Conditioning.NONE && labels != null && labels[k] != label) {
          logits[r * count + k] = Double.NEGATIVE_INFINITY;
        }
        max = Math.max(max, logits[r * count + k]);
      }
      if (max == Double.NEGATIVE_INFINITY) {
        throw BadInputException.of("label of row " + r, label, "a class that has data items");
      }
      double total = 0;
      for (int k = 0; k < count; k++) {
        double w = Math.exp(logits[r * count + k] - max);
        logits[r * count + k] = w;
        total += w;
      }
      for (int k = 0; k < count; k++) {
        logits[r * count + k] /= total;
      }
    }
    // pass 2: x0_r = sum_k w_rk d_k, one task per row, k in order
    double[] x0 = new double[n * dim];
    IntStream.range(0, n).parallel().forEach(r -> {
      int o = r * dim;
      for (int k = 0; k < count; k++) {
        double w = logits[r * count + k];
        if (w == 0) {
          continue;
        }
        int base = k * dim;
        for (int j = 0; j < dim; j++) {
          x0[o + j] += w * data[base + j];
        }
      }
    });
    for (int i = 0; i < n * dim; i++) {
      out[i] = prediction.fromX0(x0[i], x[i], at.alpha(), at.sigma());
    }
  }
}
