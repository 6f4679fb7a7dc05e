package org.fewstep.diffusion.schedule;

import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Keyed;

/**
 * How a solver spaces its steps between {@code tStart} and {@code tEnd} (diffusion.md 0.4): uniform
 * in time, uniform in log-SNR, uniform in sqrt(t), or Karras et al.'s rho-power spacing of the noise
 * level {@code sigma/alpha}. Points are computed as the official DPM-Solver code does (torch's
 * linspace; logSNR points mapped back to t through the schedule's inverse).
 */
public enum Skip implements Keyed {
  TIME_UNIFORM("time-uniform"),
  LOGSNR("logsnr"),
  TIME_QUADRATIC("time-quadratic"),
  KARRAS("karras");

  /** Karras et al.'s default exponent. */
  public static final double DEFAULT_RHO = 7;

  private final String key;

  Skip(String key) {
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  public static Skip of(String key) {
    return Keyed.of(Skip.class, "skip", key);
  }

  /** A grid of {@code steps} steps over the schedule's default range. */
  public TimeGrid grid(NoiseSchedule schedule, int steps, double rho) {
    return grid(schedule, schedule.tStart(), schedule.tEnd(), steps, rho);
  }

  /** A grid of {@code steps} steps from {@code tStart} to {@code tEnd}. */
  public TimeGrid grid(NoiseSchedule schedule, double tStart, double tEnd, int steps, double rho) {
    return TimeGrid.of(schedule, times(schedule, tStart, tEnd, steps, rho));
  }

  /** The {@code steps + 1} times of this spacing. */
  public double[] times(NoiseSchedule schedule, double tStart, double tEnd, int steps, double rho) {
    BadInputException.requireAtLeast("steps", steps, 1);
    double[] t = new double[steps + 1];
    switch (this) {
      case TIME_UNIFORM:
        return linspace(tStart, tEnd, steps + 1);
      case TIME_QUADRATIC: {
        double[] r = linspace(Math.sqrt(tStart), Math.sqrt(tEnd), steps + 1);
        for (int i = 0; i <= steps; i++) {
          t[i] = r[i] * r[i];
        }
        return t;
      }
      case LOGSNR: {
        double[] lambdas = linspace(schedule.lambda(tStart), schedule.lambda(tEnd), steps + 1);
        for (int i = 0; i <= steps; i++) {
          t[i] = schedule.inverseLambda(lambdas[i]);
        }
        return t;
      }
      default: {
        BadInputException.requirePositive("rho", rho);
        double max = Math.pow(Math.exp(-schedule.lambda(tStart)), 1 / rho);
        double min = Math.pow(Math.exp(-schedule.lambda(tEnd)), 1 / rho);
        for (int i = 0; i <= steps; i++) {
          double noise = Math.pow(max + (double) i / steps * (min - max), rho);
          t[i] = schedule.inverseLambda(-Math.log(noise));
        }
        t[0] = tStart;
        t[steps] = tEnd;
        return t;
      }
    }
  }

  /** {@code torch.linspace(start, end, count)}, including its symmetric evaluation order. */
  public static double[] linspace(double start, double end, int count) {
    double[] out = new double[count];
    if (count == 1) {
      out[0] = start;
      return out;
    }
    double step = (end - start) / (count - 1);
    int halfway = count / 2;
    for (int i = 0; i < count; i++) {
      out[i] = i < halfway ? start + step * i : end - step * (count - i - 1);
    }
    return out;
  }
}
