package org.fewstep.diffusion;

import java.util.function.ToDoubleFunction;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/** Denoisers with known exact flows, for exactness oracles (diffusion.md 1f, 3). */
public final class TestDenoisers {
  private TestDenoisers() {}

  /** What a test denoiser writes: {@code out} for {@code n} rows of {@code x} at {@code at}. */
  @FunctionalInterface
  private interface Body {
    void denoise(double[] x, int n, TimePoint at, double[] out);
  }

  private static Denoiser denoiser(NoiseSchedule schedule, int dim, Body body) {
    return new Denoiser() {
      @Override
      public NoiseSchedule schedule() {
        return schedule;
      }

      @Override
      public int[] itemShape() {
        return new int[] {dim};
      }

      @Override
      public void denoise(double[] x, int n, TimePoint at, double[] out) {
        body.denoise(x, n, at, out);
      }
    };
  }

  /** A denoiser that returns {@code x0 = f(point)} for every element, ignoring x. */
  public static Denoiser dataOf(NoiseSchedule schedule, int dim, ToDoubleFunction<TimePoint> f) {
    return denoiser(schedule, dim, (x, n, at, out) -> java.util.Arrays.fill(out, 0, n * dim, f.applyAsDouble(at)));
  }

  /** A denoiser whose noise estimate is {@code eps = f(point)} for every element. */
  public static Denoiser noiseOf(NoiseSchedule schedule, int dim, ToDoubleFunction<TimePoint> f) {
    return denoiser(schedule, dim, (x, n, at, out) -> {
      double eps = f.applyAsDouble(at);
      for (int i = 0; i < n * dim; i++) {
        out[i] = x[i] - at.noise() * eps;
      }
    });
  }

  /**
   * Exact endpoint (VE coordinates) of {@code dx/dlambda = x0(lambda) - x} for
   * {@code x0 = c0 + c1 lambda + c2 lambda^2}: uses the antiderivative
   * {@code e^l (c0 + c1 (l - 1) + c2 (l^2 - 2l + 2))} (diffusion.md 0.7).
   */
  public static double exactPolynomialFlow(double x, double from, double to, double c0, double c1, double c2) {
    return Math.exp(-(to - from)) * x + antiderivative(to, to, c0, c1, c2) - antiderivative(from, to, c0, c1, c2);
  }

  private static double antiderivative(double l, double end, double c0, double c1, double c2) {
    return Math.exp(l - end) * (c0 + c1 * (l - 1) + c2 * (l * l - 2 * l + 2));
  }
}
