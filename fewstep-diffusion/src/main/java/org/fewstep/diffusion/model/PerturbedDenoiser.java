package org.fewstep.diffusion.model;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * A denoiser with a controlled error added to its data estimate, to give an exact model the
 * approximation error of a trained network (diffusion.md 0.7, caveat). With a fixed random
 * direction {@code u} (unit RMS per element, from the seed) and size {@code e}:
 * <ul>
 *   <li>{@code bias}: {@code x0 + e u};</li>
 *   <li>{@code smooth}: {@code x0 + e sin(frequency lambda + phase) u}, a smooth error that changes
 *       with the noise level (phase from the seed);</li>
 *   <li>{@code scale}: {@code (1 + e) x0};</li>
 *   <li>{@code noise}: {@code x0 + e z} with fresh Gaussian z at every call (deterministic sequence).</li>
 * </ul>
 */
public final class PerturbedDenoiser implements Denoiser {
  /** Error shapes. */
  public enum Kind { BIAS, SMOOTH, SCALE, NOISE }

  private final Denoiser inner;
  private final Kind kind;
  private final double size;
  private final double frequency;
  private final double phase;
  private final double[] direction;
  private final long seed;
  private long calls;

  public PerturbedDenoiser(Denoiser inner, Kind kind, double size, double frequency, long seed) {
    BadInputException.requireFinite("error size", size);
    BadInputException.requireFinite("error frequency", frequency);
    this.inner = inner;
    this.kind = kind;
    this.size = size;
    this.frequency = frequency;
    this.seed = seed;
    Rng rng = new Rng(seed);
    this.phase = 2 * Math.PI * rng.nextDouble();
    this.direction = new double[inner.itemSize()];
    rng.fillGaussian(direction);
    double sum = 0;
    for (double v : direction) {
      sum += v * v;
    }
    double rms = Math.sqrt(sum / direction.length);
    for (int i = 0; i < direction.length; i++) {
      direction[i] /= rms;
    }
  }

  @Override
  public NoiseSchedule schedule() {
    return inner.schedule();
  }

  @Override
  public int[] itemShape() {
    return inner.itemShape();
  }

  @Override
  public void denoise(double[] x, int n, TimePoint at, double[] out) {
    inner.denoise(x, n, at, out);
    int d = direction.length;
    switch (kind) {
      case SCALE:
        for (int i = 0; i < n * d; i++) {
          out[i] *= 1 + size;
        }
        return;
      case NOISE: {
        Rng rng = Rng.stream(seed, calls++);
        for (int i = 0; i < n * d; i++) {
          out[i] += size * rng.nextGaussian();
        }
        return;
      }
      default: {
        double amplitude = kind == Kind.BIAS ? size : size * Math.sin(frequency * at.lambda() + phase);
        for (int i = 0; i < n * d; i++) {
          out[i] += amplitude * direction[i % d];
        }
      }
    }
  }
}
