package org.fewstep.diffusion.schedule;

/**
 * A forward noising process {@code q(x_t | x_0) = N(alpha_t x_0, sigma_t^2 I)} with exact
 * conversions between the time t and alpha, sigma and the half log-SNR
 * {@code lambda = log(alpha/sigma)}, which strictly decreases in t. Carries the default sampling
 * range {@code tStart > tEnd} (diffusion.md 0.1-0.2).
 */
public interface NoiseSchedule {
  /** The spec that rebuilds this schedule from the registry. */
  String spec();

  /** {@code log alpha_t}; 0 for variance-exploding schedules. */
  double logAlpha(double t);

  /** {@code sigma_t}. */
  double sigma(double t);

  /** {@code lambda_t = log alpha_t - log sigma_t}. */
  double lambda(double t);

  /** The time whose half log-SNR is {@code lambda}. */
  double inverseLambda(double lambda);

  /** Where sampling starts by default (the noisiest time). */
  double tStart();

  /** Where sampling ends by default. */
  double tEnd();

  /** Whether {@code alpha^2 + sigma^2 = 1}. */
  boolean variancePreserving();

  /**
   * Standard deviation of the prior draw at {@link #tStart()}: {@code x_T = priorScale * z}
   * (1 for VP schedules, as the official DPM-Solver code assumes; {@code sigma(tStart)} for VE).
   */
  double priorScale();

  /** The time label the network was trained with (a DDPM index for discrete schedules). */
  default double networkTime(double t) {
    return t;
  }

  /**
   * The lambdas where {@code logAlpha} or {@link #inverseLambda} has a kink, ascending: a discrete
   * schedule's entries, between which it interpolates linearly. Quadrature splits there (each piece
   * is smooth). Empty for a smooth schedule, the default.
   */
  default double[] lambdaKnots() {
    return new double[0];
  }

  /** All values at time t. */
  default TimePoint at(double t) {
    return TimePoint.of(t, lambda(t), Math.exp(logAlpha(t)), sigma(t));
  }

  /** All values at the time whose half log-SNR is {@code lambda}. */
  default TimePoint atLambda(double lambda) {
    return at(inverseLambda(lambda));
  }
}
