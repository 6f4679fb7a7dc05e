package org.fewstep.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Solver overhead per step, excluding the model: a 4x64x64 latent, batch 2 (32 768 doubles), with a
 * denoiser that does nothing, so the time is the solver's own arithmetic (combinations of state
 * and history buffers, finiteness check, bookkeeping). The time grid is made once in the set-up (as
 * a caller sampling many batches would). Scores are per step: a run of 20 (or 40) steps divided by
 * its step count. With {@code -prof gc}, the buffers allocated once per call show as
 * {@code alloc(20) = C/20 + a} and {@code alloc(40) = C/40 + a} bytes per step, so the allocation
 * inside the step loop is {@code a = 2 alloc(40) - alloc(20)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SolverStepBenchmark {
  @Param({"ddim", "euler", "heun", "dpmpp", "dpmpp:order=3", "dpm-solver", "unipc", "unipc:order=3", "deis", "pndm"})
  public String sampler;

  private DiffusionSampler solver;
  private Denoiser model;
  private NdArray start;
  private TimeGrid grid20;
  private TimeGrid grid40;

  @Setup
  public void setUp() {
    solver = Diffusion.sampler(sampler);
    NoiseSchedule schedule = Schedules.create("vp-linear");
    model = new Denoiser() {
      @Override
      public NoiseSchedule schedule() {
        return schedule;
      }

      @Override
      public int[] itemShape() {
        return new int[] {4, 64, 64};
      }

      @Override
      public void denoise(double[] x, int n, TimePoint at, double[] out) {
        // no model: leave the estimate as it is
      }
    };
    double[] noise = new double[2 * 4 * 64 * 64];
    new Rng(0).fillGaussian(noise);
    start = NdArray.of(noise, 2, 4, 64, 64);
    grid20 = solver.grid(schedule, 20);
    grid40 = solver.grid(schedule, 40);
  }

  @Benchmark
  @OperationsPerInvocation(20)
  public SampleResult steps20() {
    return solver.sample(model, grid20, start, new Rng(1), StepListener.NONE);
  }

  @Benchmark
  @OperationsPerInvocation(40)
  public SampleResult steps40() {
    return solver.sample(model, grid40, start, new Rng(1), StepListener.NONE);
  }
}
