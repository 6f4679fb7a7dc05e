package org.fewstep.diffusion.schedule;

/**
 * The continuous cosine VP schedule of improved DDPM (Nichol and Dhariwal, ICML 2021):
 * {@code log alpha_t = log cos(((t + s)/(1 + s)) pi/2) - log cos((s/(1 + s)) pi/2)}, s = 0.008. Sampling
 * starts at T = 0.9946 by default because t = 1 is singular (the choice of the official UniPC code).
 */
public final class VpCosineSchedule extends VpSchedule {
  private static final double S = 0.008;
  private static final double LOG_ALPHA_0 = Math.log(Math.cos(S / (1 + S) * Math.PI / 2));

  public VpCosineSchedule(double tStart, double tEnd) {
    super(tStart, tEnd, 0, 1);
  }

  @Override
  public double logAlpha(double t) {
    return Math.log(Math.cos((t + S) / (1 + S) * Math.PI / 2)) - LOG_ALPHA_0;
  }

  @Override
  public double inverseLambda(double lambda) {
    double logAlpha = logAlphaOfLambda(lambda);
    return Math.acos(Math.exp(logAlpha + LOG_ALPHA_0)) * 2 * (1 + S) / Math.PI - S;
  }

  @Override
  public String spec() {
    return "vp-cosine:t-start=" + tStart() + ",t-end=" + tEnd();
  }
}
