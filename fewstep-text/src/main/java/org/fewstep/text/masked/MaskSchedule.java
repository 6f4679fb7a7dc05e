package org.fewstep.text.masked;

import java.util.Locale;

/**
 * The masking schedule {@code alpha(t)} of a masked diffusion: the probability that a token is still
 * unmasked at time t, falling from {@code alpha(0) = 1} to {@code alpha(1) = 0}. Generation runs from
 * t = 1 (all masked) to t = 0. A time-agnostic model never sees t, so the schedule only decides how
 * many tokens a time-stepped sampler reveals per step (and the times FHS reports).
 */
public enum MaskSchedule {
  /** {@code alpha(t) = 1 - t} (LLaDA, MDLM's log-linear noise). */
  LINEAR {
    @Override
    public double alpha(double t) {
      return 1 - t;
    }

    @Override
    public double time(double alpha) {
      return 1 - alpha;
    }
  },
  /** {@code alpha(t) = cos(pi t / 2)} (the cosine schedule of MaskGIT and MD4). */
  COSINE {
    @Override
    public double alpha(double t) {
      return Math.cos(Math.PI / 2 * t);
    }

    @Override
    public double time(double alpha) {
      return 2 / Math.PI * Math.acos(alpha);
    }
  };

  /** The probability that a token is unmasked at time t. */
  public abstract double alpha(double t);

  /** The inverse of {@link #alpha}. */
  public abstract double time(double alpha);

  /** The registry name: {@code linear} or {@code cosine}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The schedule named {@code key}. */
  public static MaskSchedule of(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }
}
