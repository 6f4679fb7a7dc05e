package org.fewstep.diffusion.solver;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Skip;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * What all solvers share: input checks, the change to VE coordinates {@code x / alpha} and back,
 * the optional final denoising step ({@code denoise=true}: one more evaluation returning the data
 * estimate, as DPM-Solver's {@code denoise_to_zero} and k-diffusion's final step to sigma = 0),
 * timing and listener calls. A subclass implements {@link #integrate} over a grid in VE coordinates.
 */
abstract class Solver implements DiffusionSampler {
  private final String spec;
  final Skip skip;
  final double rho;
  private final boolean denoise;
  private final Thresholding thresholding;

  Solver(Settings settings) {
    this.spec = settings.spec();
    this.skip = settings.skip();
    this.rho = settings.rho();
    this.denoise = settings.denoise();
    this.thresholding = settings.thresholding();
  }

  /**
   * Options every solver has.
   *
   * @param spec         canonical spec
   * @param skip         step spacing
   * @param rho          Karras exponent (skip = karras)
   * @param denoise      finish with one extra evaluation returning the data estimate
   * @param thresholding data-estimate correction
   */
  record Settings(String spec, Skip skip, double rho, boolean denoise, Thresholding thresholding) {}

  /** Integrates {@code x} (VE coordinates, at the grid's first point) along the grid, in place. */
  abstract void integrate(Run run, double[] x, TimeGrid grid);

  @Override
  public int minSteps() {
    return 1;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public final TimeGrid grid(NoiseSchedule schedule, int steps) {
    if (steps < minSteps()) {
      throw BadInputException.of("steps", steps, "at least " + minSteps() + " for " + spec);
    }
    return plan(schedule, steps);
  }

  /** The grid for {@code steps} (at least {@link #minSteps()}): by default {@code skip} spacing. */
  TimeGrid plan(NoiseSchedule schedule, int steps) {
    return skip.grid(schedule, steps, rho);
  }

  @Override
  public final SampleResult sample(Denoiser model, int steps, NdArray x, Rng rng, StepListener listener) {
    return run(model, grid(model.schedule(), steps), x, rng, listener);
  }

  @Override
  public final SampleResult sample(Denoiser model, TimeGrid grid, NdArray x, Rng rng, StepListener listener) {
    if (grid.steps() < minSteps()) {
      throw BadInputException.of("time grid steps", grid.steps(), "at least " + minSteps() + " for " + spec);
    }
    return run(model, grid, x, rng, listener);
  }

  /** The number of steps reported to listeners (-1 if not known in advance). */
  int plannedSteps(TimeGrid grid) {
    return grid.steps();
  }

  private SampleResult run(Denoiser model, TimeGrid grid, NdArray start, Rng rng, StepListener listener) {
    long begin = System.nanoTime();
    int[] itemShape = model.itemShape();
    if (start.rank() < 1 || !Arrays.equals(start.itemShape(), itemShape)) {
      throw BadInputException.of("start batch shape", NdArray.shapeText(start.shape()),
          "[n" + (itemShape.length == 0 ? "" : ", ") + Arrays.toString(itemShape).replaceAll("[\\[\\]]", "")
              + "] for this model");
    }
    int n = start.items();
    BadInputException.requireAtLeast("number of samples", n, 1);
    int bad = Vectors.firstNonFinite(start.data());
    if (bad >= 0) {
      throw BadInputException.of("start batch element " + bad, start.data()[bad], "a finite number");
    }
    Run run = new Run(model, n, plannedSteps(grid), rng, listener, thresholding.copy());
    double[] x = start.data().clone();
    TimePoint first = grid.first();
    TimePoint last = grid.last();
    Vectors.scale(x, 1 / first.alpha(), x);
    listener.onStart(plannedSteps(grid));
    integrate(run, x, grid);
    if (denoise) {
      double[] x0 = run.buffer();
      run.x0(x, last, x0);
      x = x0;
    } else {
      Vectors.scale(x, last.alpha(), x);
    }
    listener.onFinish(run.nfe());
    return new SampleResult(NdArray.of(x, start.shape()), run.nfe(), run.stepsDone(), System.nanoTime() - begin,
        run.logWeights);
  }
}
