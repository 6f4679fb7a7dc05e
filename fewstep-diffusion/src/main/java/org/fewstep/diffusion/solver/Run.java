package org.fewstep.diffusion.solver;

import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepEvent;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.CombinedDenoiser;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The state of one sampling call that every solver shares: it evaluates the denoiser (counting
 * evaluations, applying thresholding, rejecting NaN/Inf with the step and noise level in the
 * message), draws per-row Gaussian noise and reports finished steps to the listener.
 */
final class Run {
  final Denoiser model;
  final int n;
  final int itemSize;
  /** {@code n * itemSize}: the length of every state buffer. */
  final int size;
  private final int steps;
  private final Rng[] rows;
  /** Randomness that is not per row (SMC resampling), split after the rows' generators. */
  final Rng shared;
  private final StepListener listener;
  private final Thresholding thresholding;
  private final StepEvent event = new StepEvent();
  private int nfe;
  /** Set by a weighted sampler that returns unresampled particles: their normalised log weights. */
  double[] logWeights;
  private int step;

  Run(Denoiser model, int n, int steps, Rng rng, StepListener listener, Thresholding thresholding) {
    this.model = model;
    this.n = n;
    this.itemSize = model.itemSize();
    this.size = n * itemSize;
    this.steps = steps;
    this.rows = new Rng[n];
    for (int i = 0; i < n; i++) {
      rows[i] = rng.split();
    }
    this.shared = rng.split();
    this.listener = listener;
    this.thresholding = thresholding;
  }

  /** A new state-sized buffer (allocate before the step loop). */
  double[] buffer() {
    return new double[size];
  }

  /** The data estimate D(x, at) into {@code out}. */
  void x0(double[] x, TimePoint at, double[] out) {
    model.denoise(x, n, at, out);
    nfe++;
    check(out, at);
    thresholding.apply(out, n, itemSize);
  }

  /** Each expert's data estimate of a combined denoiser into {@code outs[k]}: one evaluation. */
  void experts(CombinedDenoiser combined, double[] x, TimePoint at, double[][] outs) {
    combined.denoiseExperts(x, n, at, outs);
    nfe++;
    for (double[] out : outs) {
      check(out, at);
    }
  }

  /** The noise estimate {@code (x - D(x, at)) / noise} into {@code out}. */
  void eps(double[] x, TimePoint at, double[] out) {
    model.denoise(x, n, at, out);
    nfe++;
    check(out, at);
    double inverse = 1 / at.noise();
    for (int i = 0; i < size; i++) {
      out[i] = (x[i] - out[i]) * inverse;
    }
  }

  /** Fills {@code out} with standard normal draws, row i from its own generator. */
  void gaussian(double[] out) {
    for (int r = 0; r < n; r++) {
      Rng rng = rows[r];
      for (int i = r * itemSize; i < (r + 1) * itemSize; i++) {
        out[i] = rng.nextGaussian();
      }
    }
  }

  /** Reports that a step ended at {@code at} with state {@code x} (and estimate, may be null). */
  void stepDone(TimePoint at, double[] x, double[] estimate) {
    step++;
    listener.onStep(event.update(step, steps, nfe, at.t(), at.noise(), x, estimate));
  }

  int nfe() {
    return nfe;
  }

  int stepsDone() {
    return step;
  }

  private void check(double[] out, TimePoint at) {
    int bad = Vectors.firstNonFinite(out);
    if (bad >= 0) {
      throw new BadInputException(String.format(Locale.ROOT,
          "the model returned %s at step %d of %s (t = %.6g, sigma = %.6g, sigma/alpha = %.6g), sample %d, element %d",
          out[bad], step + 1, steps < 0 ? "?" : Integer.toString(steps), at.t(), at.sigma(), at.noise(),
          bad / itemSize, bad % itemSize));
    }
  }
}
