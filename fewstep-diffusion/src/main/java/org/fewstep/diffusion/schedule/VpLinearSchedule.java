package org.fewstep.diffusion.schedule;

/**
 * The continuous linear VP schedule of score SDEs (Song et al., ICLR 2021):
 * {@code beta(t) = beta0 + t (beta1 - beta0)}, {@code log alpha_t = -(beta1 - beta0) t^2 / 4 - beta0 t / 2},
 * with the closed-form inverse of lambda used by the official DPM-Solver code.
 */
public final class VpLinearSchedule extends VpSchedule {
  private final double beta0;
  private final double beta1;

  public VpLinearSchedule(double beta0, double beta1, double tStart, double tEnd) {
    super(tStart, tEnd, 0, Double.MAX_VALUE);
    this.beta0 = beta0;
    this.beta1 = beta1;
  }

  /** ScoreSDE defaults: beta0 = 0.1, beta1 = 20, t from 1 to 1e-3. */
  public static VpLinearSchedule standard() {
    return new VpLinearSchedule(0.1, 20, 1, 1e-3);
  }

  @Override
  public double logAlpha(double t) {
    return -0.25 * t * t * (beta1 - beta0) - 0.5 * t * beta0;
  }

  @Override
  public double inverseLambda(double lambda) {
    double tmp = 2 * (beta1 - beta0) * logOnePlusExp(-2 * lambda);
    double delta = beta0 * beta0 + tmp;
    return tmp / (Math.sqrt(delta) + beta0) / (beta1 - beta0);
  }

  @Override
  public String spec() {
    return "vp-linear:beta0=" + beta0 + ",beta1=" + beta1 + ",t-start=" + tStart() + ",t-end=" + tEnd();
  }
}
