package org.fewstep.diffusion.schedule;

import org.fewstep.core.BadInputException;

/**
 * A variance-exploding schedule, {@code alpha = 1}. Two parameterisations of time:
 * EDM's {@code sigma(t) = t} (Karras et al., NeurIPS 2022; t from 80 to 0.002) and the score-SDE VE
 * {@code sigma(t) = sigmaMin (sigmaMax/sigmaMin)^t} (Song et al., ICLR 2021; t from 1 to 1e-5).
 */
public final class VeSchedule implements NoiseSchedule {
  private final boolean edm;
  private final double sigmaMin;
  private final double sigmaMax;
  private final double tStart;
  private final double tEnd;

  private VeSchedule(boolean edm, double sigmaMin, double sigmaMax, double tStart, double tEnd) {
    if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
      throw new BadInputException("sigma-min = " + sigmaMin + ", sigma-max = " + sigmaMax
          + ": expected 0 < sigma-min < sigma-max");
    }
    this.edm = edm;
    this.sigmaMin = sigmaMin;
    this.sigmaMax = sigmaMax;
    this.tStart = tStart;
    this.tEnd = tEnd;
    if (!(tStart > tEnd && tEnd > (edm ? 0 : Double.NEGATIVE_INFINITY))) {
      throw new BadInputException("t-start = " + tStart + ", t-end = " + tEnd + ": expected t-start > t-end"
          + (edm ? " > 0" : ""));
    }
  }

  /** EDM: {@code sigma = t}, sampling from sigmaMax down to sigmaMin. */
  public static VeSchedule edm(double sigmaMin, double sigmaMax) {
    return new VeSchedule(true, sigmaMin, sigmaMax, sigmaMax, sigmaMin);
  }

  /** Score-SDE VE: geometric sigma in t in [0, 1]. */
  public static VeSchedule scoreSde(double sigmaMin, double sigmaMax, double tStart, double tEnd) {
    return new VeSchedule(false, sigmaMin, sigmaMax, tStart, tEnd);
  }

  @Override
  public double logAlpha(double t) {
    return 0;
  }

  @Override
  public double sigma(double t) {
    return edm ? t : sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
  }

  @Override
  public double lambda(double t) {
    return -Math.log(sigma(t));
  }

  @Override
  public double inverseLambda(double lambda) {
    double sigma = Math.exp(-lambda);
    return edm ? sigma : Math.log(sigma / sigmaMin) / Math.log(sigmaMax / sigmaMin);
  }

  @Override
  public double tStart() {
    return tStart;
  }

  @Override
  public double tEnd() {
    return tEnd;
  }

  @Override
  public boolean variancePreserving() {
    return false;
  }

  @Override
  public double priorScale() {
    return sigma(tStart);
  }

  @Override
  public TimePoint at(double t) {
    double sigma = sigma(t);
    return new TimePoint(t, -Math.log(sigma), 1, sigma, sigma);
  }

  @Override
  public String spec() {
    return edm
        ? "edm:sigma-min=" + sigmaMin + ",sigma-max=" + sigmaMax
        : "ve:sigma-min=" + sigmaMin + ",sigma-max=" + sigmaMax + ",t-start=" + tStart + ",t-end=" + tEnd;
  }
}
