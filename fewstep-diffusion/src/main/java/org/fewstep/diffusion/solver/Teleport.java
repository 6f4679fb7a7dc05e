package org.fewstep.diffusion.solver;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Analytical teleportation (Wang and Vastola, arXiv 2311.12820, section 5; diffusion.md 8b): the
 * first part of the probability-flow ODE is replaced by the exact flow of the Gaussian with the
 * data's mean and covariance, one jump from the start to a noise level {@code sigma_k} that costs
 * no model evaluation; another sampler then continues from {@code sigma_k}.
 *
 * <p>The jump target is point {@code k} of the base sampler's own grid of {@code steps} steps
 * ({@code skip}: a count, or a fraction of the steps rounded to the nearest count) or a given noise
 * level ({@code skip-to}). The continuation is, as in the official benchmark
 * ({@code edm_analytical_massprod_O2.py}), a new grid of the base sampler from {@code sigma_k} with
 * the remaining {@code steps - k} steps ({@code steps} after {@code skip-to}), or, with
 * {@code continue=tail}, the tail of the original grid. An explicit grid always continues on its tail.
 */
final class Teleport implements DiffusionSampler {
  /** How the base sampler continues after the jump. */
  enum Continuation implements org.fewstep.core.registry.Keyed {
    FRESH, TAIL;

    @Override
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String spec;
  private final DiffusionSampler base;
  private final GaussianApproximation gaussian;
  private final double skip;
  private final double skipTo;
  private final Continuation continuation;

  /**
   * @param skip   steps to skip: an integer count >= 0 or a fraction in (0, 1); ignored with skipTo
   * @param skipTo the noise level {@code sigma/alpha} to jump to, or NaN to use {@code skip}
   */
  Teleport(String spec, DiffusionSampler base, GaussianApproximation gaussian, double skip, double skipTo,
      Continuation continuation) {
    if (!(skip >= 0) || (skip >= 1 && skip != Math.rint(skip)) || Double.isInfinite(skip)) {
      throw BadInputException.of(spec + ": skip", skip, "a step count (integer >= 0) or a fraction in (0, 1)");
    }
    if (!Double.isNaN(skipTo) && !(skipTo > 0 && Double.isFinite(skipTo))) {
      throw BadInputException.of(spec + ": skip-to", skipTo, "a noise level > 0");
    }
    if (!Double.isNaN(skipTo) && continuation == Continuation.TAIL) {
      throw new BadInputException(spec + ": continue=tail needs a skip count of the grid, not skip-to");
    }
    this.spec = spec;
    this.base = base;
    this.gaussian = gaussian;
    this.skip = skip;
    this.skipTo = skipTo;
    this.continuation = continuation;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public int minSteps() {
    return base.minSteps();
  }

  /** The points the run passes through: the start, then the continuation's grid. */
  @Override
  public TimeGrid grid(NoiseSchedule schedule, int steps) {
    if (!Double.isNaN(skipTo)) {
      return withStart(schedule.at(schedule.tStart()), continuation(schedule, steps));
    }
    TimeGrid full = base.grid(schedule, steps);
    int k = skipped(steps);
    return k == 0 ? full : withStart(full.first(), continuation(schedule, full, steps, k));
  }

  private static TimeGrid withStart(TimePoint start, TimeGrid rest) {
    TimePoint[] points = new TimePoint[rest.steps() + 2];
    points[0] = start;
    for (int i = 0; i <= rest.steps(); i++) {
      points[i + 1] = rest.point(i);
    }
    return TimeGrid.of(points);
  }

  @Override
  public SampleResult sample(Denoiser model, int steps, NdArray x, Rng rng, StepListener listener) {
    BadInputException.requireAtLeast(spec + ": steps", steps, 1);
    int k = skipped(steps);
    if (Double.isNaN(skipTo) && k == 0) {
      return base.sample(model, steps, x, rng, listener);
    }
    long begin = System.nanoTime();
    NoiseSchedule schedule = model.schedule();
    TimePoint from;
    TimeGrid rest;
    if (Double.isNaN(skipTo)) {
      TimeGrid full = base.grid(schedule, steps);
      from = full.first();
      rest = continuation(schedule, full, steps, k);
    } else {
      from = schedule.at(schedule.tStart());
      rest = continuation(schedule, steps);
    }
    NdArray jumped = jump(model, x, from, rest.first());
    SampleResult result = continuation == Continuation.TAIL
        ? base.sample(model, rest, jumped, rng, listener)
        : base.sample(new LateStart(model, startingAt(schedule, rest.first().t())), rest.steps(), jumped, rng, listener);
    return new SampleResult(result.samples(), result.nfe(), result.steps(), System.nanoTime() - begin);
  }

  @Override
  public SampleResult sample(Denoiser model, TimeGrid grid, NdArray x, Rng rng, StepListener listener) {
    if (!Double.isNaN(skipTo)) {
      throw new BadInputException(spec + ": skip-to needs a step count; with an explicit grid give skip (a count or fraction)");
    }
    int k = skipped(grid.steps());
    if (k == 0) {
      return base.sample(model, grid, x, rng, listener);
    }
    long begin = System.nanoTime();
    TimeGrid rest = TimeGrid.of(Arrays.copyOfRange(points(grid), k, grid.steps() + 1));
    SampleResult result = base.sample(model, rest, jump(model, x, grid.first(), rest.first()), rng, listener);
    return new SampleResult(result.samples(), result.nfe(), result.steps(), System.nanoTime() - begin);
  }

  /** The number of grid steps that the jump replaces (0 with skip-to). */
  private int skipped(int steps) {
    if (!Double.isNaN(skipTo)) {
      return 0;
    }
    int k = skip < 1 ? (int) Math.round(skip * steps) : (int) skip;
    if (k > steps - base.minSteps()) {
      throw BadInputException.of(spec + ": skip", skip == k ? Integer.toString(k) : skip + " (" + k + " of " + steps + " steps)",
          "at most " + (steps - base.minSteps()) + " steps of " + steps + " (the base sampler needs "
              + base.minSteps() + " after the jump)");
    }
    return k;
  }

  /** The grid the base sampler continues on after skipping {@code k} of the {@code full} grid's steps. */
  private TimeGrid continuation(NoiseSchedule schedule, TimeGrid full, int steps, int k) {
    if (continuation == Continuation.TAIL) {
      return TimeGrid.of(Arrays.copyOfRange(points(full), k, steps + 1));
    }
    return base.grid(startingAt(schedule, full.point(k).t()), steps - k);
  }

  /** The base sampler's grid of {@code steps} steps from noise level {@code skipTo}. */
  private TimeGrid continuation(NoiseSchedule schedule, int steps) {
    double from = schedule.at(schedule.tStart()).noise();
    double to = schedule.at(schedule.tEnd()).noise();
    if (!(skipTo < from && skipTo > to)) {
      throw BadInputException.of(spec + ": skip-to", skipTo,
          "a noise level sigma/alpha between the end " + to + " and the start " + from + " of the sampling range");
    }
    double t = schedule.inverseLambda(-Math.log(skipTo));
    return base.grid(startingAt(schedule, t), steps);
  }

  /** The start batch moved exactly along the Gaussian's flow from {@code from} to {@code to}. */
  private NdArray jump(Denoiser model, NdArray x, TimePoint from, TimePoint to) {
    if (gaussian.dimension() != model.itemSize()) {
      throw new BadInputException(spec + ": the Gaussian statistics have dimension " + gaussian.dimension()
          + " but the model's items have " + model.itemSize() + " elements");
    }
    if (x.rank() < 1 || x.itemSize() != model.itemSize()) {
      throw BadInputException.of(spec + ": start batch shape", NdArray.shapeText(x.shape()),
          "[n, ...] with items of " + model.itemSize() + " elements");
    }
    double[] data = x.data().clone();
    gaussian.flow(data, x.items(), from, to);
    return NdArray.of(data, x.shape());
  }

  private static TimePoint[] points(TimeGrid grid) {
    TimePoint[] points = new TimePoint[grid.steps() + 1];
    for (int i = 0; i <= grid.steps(); i++) {
      points[i] = grid.point(i);
    }
    return points;
  }

  /** {@code schedule} with its sampling range starting at {@code start} (everything else delegated). */
  private static NoiseSchedule startingAt(NoiseSchedule schedule, double start) {
    return new NoiseSchedule() {
      @Override
      public String spec() {
        return schedule.spec();
      }

      @Override
      public double logAlpha(double t) {
        return schedule.logAlpha(t);
      }

      @Override
      public double sigma(double t) {
        return schedule.sigma(t);
      }

      @Override
      public double lambda(double t) {
        return schedule.lambda(t);
      }

      @Override
      public double inverseLambda(double lambda) {
        return schedule.inverseLambda(lambda);
      }

      @Override
      public double tStart() {
        return start;
      }

      @Override
      public double tEnd() {
        return schedule.tEnd();
      }

      @Override
      public boolean variancePreserving() {
        return schedule.variancePreserving();
      }

      @Override
      public double priorScale() {
        return schedule.priorScale();
      }

      @Override
      public double networkTime(double t) {
        return schedule.networkTime(t);
      }

      @Override
      public double[] lambdaKnots() {
        return schedule.lambdaKnots();
      }

      @Override
      public TimePoint at(double t) {
        return schedule.at(t);
      }

      @Override
      public TimePoint atLambda(double lambda) {
        return schedule.atLambda(lambda);
      }
    };
  }

  /** {@code model} seen through another schedule view (a later start); evaluations are delegated. */
  private record LateStart(Denoiser model, NoiseSchedule schedule) implements Denoiser {
    @Override
    public int[] itemShape() {
      return model.itemShape();
    }

    @Override
    public int itemSize() {
      return model.itemSize();
    }

    @Override
    public void denoise(double[] x, int n, TimePoint at, double[] out) {
      model.denoise(x, n, at, out);
    }
  }
}
