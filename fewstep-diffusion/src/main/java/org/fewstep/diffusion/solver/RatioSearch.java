package org.fewstep.diffusion.solver;

import java.util.function.DoubleUnaryOperator;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * DC-Solver's ratio search (Zhao et al., ECCV 2024, Sec. 3; diffusion.md 5b) as a history transform: at
 * every step after the warm-up it picks the ratio whose compensated step lands closest (mean
 * squared error in model coordinates, over the batch) to the reference state at the step's time,
 * then applies that ratio and lets the solver go on. The official code runs 40 AdamW iterations
 * from ratio 1; this one minimises the same one-dimensional loss directly: a scan of
 * {@code scan} equally spaced ratios on {@code [min, max]} and ratio 1, then golden-section search
 * within one scan spacing of the best of them. Ratio 1 is kept unless something beats it, so the
 * chosen loss never exceeds the loss at ratio 1.
 */
final class RatioSearch implements HistoryTransform {
  private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

  private final int order;
  private final double[][] reference;
  private final DcTuning.Search options;
  private final double[] ratios;
  private final double[] lossAtOne;
  private final double[] loss;
  private double[] original;
  private double[] state;

  /**
   * @param order     interpolation order ({@code dc-order})
   * @param reference the reference state at every grid point (VE coordinates; index 0 unused)
   * @param options   the search interval and tolerances
   */
  RatioSearch(int order, double[][] reference, DcTuning.Search options) {
    this.order = order;
    this.reference = reference;
    this.options = options;
    int steps = reference.length - 1;
    this.ratios = new double[steps];
    this.lossAtOne = new double[steps];
    this.loss = new double[steps];
  }

  @Override
  public int depth() {
    return order + 1;
  }

  double[] ratios() {
    return ratios.clone();
  }

  /** Per step: the search loss at ratio 1 (NaN during the warm-up). */
  double[] lossAtOne() {
    return lossAtOne.clone();
  }

  /** Per step: the search loss at the chosen ratio (NaN during the warm-up). */
  double[] loss() {
    return loss.clone();
  }

  @Override
  public void beforeStep(int step, TimeGrid grid, double[][] history, int available, Trial trial) {
    ratios[step - 1] = 1;
    lossAtOne[step - 1] = Double.NaN;
    loss[step - 1] = Double.NaN;
    if (available < order + 1) {
      return;
    }
    int size = history[0].length;
    if (original == null) {
      original = new double[size];
      state = new double[size];
    }
    System.arraycopy(history[0], 0, original, 0, size);
    double alpha = grid.point(step).alpha();
    double[] target = reference[step];
    DoubleUnaryOperator f = rho -> {
      // every trial interpolates the uncompensated outputs
      System.arraycopy(original, 0, history[0], 0, size);
      if (rho != 1) {
        DynamicCompensation.compensate(history, grid, step, order, rho, state);
        System.arraycopy(state, 0, history[0], 0, size);
      }
      trial.run(state);
      double sum = 0;
      for (int i = 0; i < size; i++) {
        double d = alpha * (state[i] - target[i]);
        sum += d * d;
      }
      return sum / size;
    };
    double one = f.applyAsDouble(1);
    double best = 1;
    double bestLoss = one;
    double min = options.min();
    double max = options.max();
    double width = (max - min) / (options.scan() - 1);
    for (int k = 0; k < options.scan(); k++) {
      double rho = min + k * width;
      double v = f.applyAsDouble(rho);
      if (v < bestLoss) {
        best = rho;
        bestLoss = v;
      }
    }
    // golden-section search within one scan spacing of the best ratio so far
    double a = Math.max(best - width, min);
    double b = Math.min(best + width, max);
    double c = b - GOLDEN * (b - a);
    double d = a + GOLDEN * (b - a);
    double fc = f.applyAsDouble(c);
    double fd = f.applyAsDouble(d);
    while (b - a > options.tolerance()) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - GOLDEN * (b - a);
        fc = f.applyAsDouble(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + GOLDEN * (b - a);
        fd = f.applyAsDouble(d);
      }
    }
    if (Math.min(fc, fd) < bestLoss) {
      best = fc < fd ? c : d;
      bestLoss = Math.min(fc, fd);
    }
    ratios[step - 1] = best;
    lossAtOne[step - 1] = one;
    loss[step - 1] = bestLoss;
    // leave the history compensated with the chosen ratio, as the solver will use it
    System.arraycopy(original, 0, history[0], 0, size);
    if (best != 1) {
      DynamicCompensation.compensate(history, grid, step, order, best, state);
      System.arraycopy(state, 0, history[0], 0, size);
    }
  }
}
