package org.fewstep.diffusion;

import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * A {@link DiffusionModel} seen as a {@link Denoiser}: scales VE points to model coordinates,
 * calls the model (once per evaluation, batching the unconditional and conditional rows for
 * guidance) and converts its prediction to x0. With guidance scale w it is the combination
 * {@code [1 - w, w]} of the unconditional and conditional experts; without, one expert.
 */
final class ModelDenoiser implements CombinedDenoiser {
  private final DiffusionModel model;
  private final Conditioning conditioning;
  private final double scale;
  private final int size;
  private double[] input = new double[0];
  private double[] output = new double[0];
  private Conditioning batchConditioning;

  /** @param scale guidance scale; NaN for no conditioning (then {@code conditioning} is null) */
  ModelDenoiser(DiffusionModel model, Conditioning conditioning, double scale) {
    if (conditioning != null) {
      conditioning.requireLabelsBelow(model.classes(), "this model");
      BadInputException.requireFinite("guidance scale", scale);
    }
    this.model = model;
    this.conditioning = conditioning;
    this.scale = scale;
    this.size = model.itemSize();
  }

  @Override
  public NoiseSchedule schedule() {
    return model.schedule();
  }

  @Override
  public int[] itemShape() {
    return model.itemShape();
  }

  private boolean guided() {
    return conditioning != null && scale != 1.0;
  }

  @Override
  public double[] coefficients() {
    return guided() ? new double[] {1 - scale, scale} : new double[] {1};
  }

  @Override
  public void denoiseExperts(double[] x, int n, TimePoint at, double[][] outs) {
    if (!guided()) {
      denoise(x, n, at, outs[0]);
      return;
    }
    predict(x, n, at);
    int len = n * size;
    Prediction type = model.prediction();
    type.toX0(output, 0, x, at.alpha(), at.sigma(), outs[0], len);
    for (int i = 0; i < len; i++) {
      outs[1][i] = type.x0(output[len + i], x[i], at.alpha(), at.sigma());
    }
  }

  /** Calls the model on the points (and their copy for the conditional rows when guided) into {@code output}. */
  private void predict(double[] x, int n, TimePoint at) {
    int len = n * size;
    if (conditioning != null && conditioning.rows() != n) {
      throw BadInputException.of("conditioning rows", conditioning.rows(), n + " (one per sample)");
    }
    boolean guided = guided();
    int rows = guided ? 2 * n : n;
    if (input.length != rows * size) {
      input = new double[rows * size];
      output = new double[rows * size];
      batchConditioning = guided ? Conditioning.unconditional(n).concat(conditioning) : conditioning;
    }
    double alpha = at.alpha();
    for (int i = 0; i < len; i++) {
      input[i] = alpha * x[i];
    }
    if (guided) {
      System.arraycopy(input, 0, input, len, len);
    }
    model.predict(input, rows, at, batchConditioning, output);
  }

  @Override
  public void denoise(double[] x, int n, TimePoint at, double[] out) {
    int len = n * size;
    boolean guided = guided();
    predict(x, n, at);
    double alpha = at.alpha();
    Prediction type = model.prediction();
    double sigma = at.sigma();
    type.toX0(output, 0, x, alpha, sigma, out, len);
    if (guided) {
      // Guidance is linear in the prediction, so it is applied after conversion to x0.
      for (int i = 0; i < len; i++) {
        double u = out[i];
        double c = type.x0(output[len + i], x[i], alpha, sigma);
        out[i] = u + scale * (c - u);
      }
    }
  }
}
