package org.fewstep.diffusion.schedule;

/**
 * One time of a noise schedule with everything a solver step needs:
 * {@code x_t = alpha * x0 + sigma * eps}, {@code lambda = log(alpha / sigma)} and the noise level
 * {@code noise = sigma / alpha = exp(-lambda)} of the VE coordinates {@code x / alpha} in which all
 * fewstep solvers work (k-diffusion's "sigma", DEIS's "rho").
 *
 * @param t      the schedule's time
 * @param lambda half log-SNR, {@code +inf} where sigma = 0
 * @param alpha  signal scale
 * @param sigma  noise standard deviation in model coordinates
 * @param noise  {@code sigma / alpha}
 */
public record TimePoint(double t, double lambda, double alpha, double sigma, double noise) {

  /** A point from its schedule values (noise is derived). */
  public static TimePoint of(double t, double lambda, double alpha, double sigma) {
    return new TimePoint(t, lambda, alpha, sigma, sigma / alpha);
  }
}
