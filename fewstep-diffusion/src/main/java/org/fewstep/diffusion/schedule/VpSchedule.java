package org.fewstep.diffusion.schedule;

import org.fewstep.core.BadInputException;

/**
 * Common part of the variance-preserving schedules: sigma and lambda from {@code log alpha}
 * ({@code sigma = sqrt(1 - alpha^2)}, with expm1 for accuracy near t = 0).
 */
abstract class VpSchedule implements NoiseSchedule {
  private final double tStart;
  private final double tEnd;

  VpSchedule(double tStart, double tEnd, double tMin, double tMax) {
    if (!(tStart > tEnd) || tEnd <= tMin || tStart > tMax) {
      throw new BadInputException(getClass().getSimpleName() + ": t-start = " + tStart + ", t-end = " + tEnd
          + ": expected " + tMin + " < t-end < t-start <= " + tMax);
    }
    this.tStart = tStart;
    this.tEnd = tEnd;
  }

  @Override
  public final double sigma(double t) {
    return Math.sqrt(-Math.expm1(2 * logAlpha(t)));
  }

  @Override
  public final double lambda(double t) {
    double logAlpha = logAlpha(t);
    return logAlpha - 0.5 * Math.log(-Math.expm1(2 * logAlpha));
  }

  @Override
  public final double tStart() {
    return tStart;
  }

  @Override
  public final double tEnd() {
    return tEnd;
  }

  @Override
  public final boolean variancePreserving() {
    return true;
  }

  @Override
  public final double priorScale() {
    return 1;
  }

  /** {@code log alpha} from lambda: {@code -log(1 + exp(-2 lambda)) / 2}. */
  static double logAlphaOfLambda(double lambda) {
    return -0.5 * logOnePlusExp(-2 * lambda);
  }

  /** {@code log(1 + exp(a))} without overflow. */
  static double logOnePlusExp(double a) {
    return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
  }
}
