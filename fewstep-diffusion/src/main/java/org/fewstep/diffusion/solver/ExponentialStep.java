package org.fewstep.diffusion.solver;

import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The arithmetic shared by every exponential-integrator solver (DPM-Solver, DPM-Solver++, UniPC,
 * DEIS, DDIM): one step from s to t in VE coordinates ({@code x / alpha}) is
 *
 * <pre>x_t = a x_s - beta * sum_k hh phi_k(hh) T_k</pre>
 *
 * where {@code T_1} is the model output at s, {@code T_2, T_3} are its scaled finite differences
 * (diffusion.md 1b) and {@code phi_k} are the phi functions of exponential integrators
 * ({@code phi_1(z) = (e^z - 1)/z}, {@code phi_{k+1}(z) = (phi_k(z) - 1/k!)/z}). With
 * {@code h = lambda_t - lambda_s}:
 * <ul>
 *   <li>data prediction (DPM-Solver++): {@code hh = -h}, {@code a = sigma~_t / sigma~_s = e^-h},
 *       {@code beta = 1};</li>
 *   <li>noise prediction (DPM-Solver): {@code hh = h}, {@code a = 1}, {@code beta = sigma~_t}.</li>
 * </ul>
 * This is the variation-of-constants form of the probability-flow ODE (diffusion.md 0.3) divided by
 * alpha_t, so no solver needs alpha.
 *
 * @param h    the step in half log-SNR, {@code lambda_t - lambda_s > 0}
 * @param hh   {@code -h} (data) or {@code h} (noise)
 * @param a    coefficient of the state
 * @param beta scale of the model terms
 */
record ExponentialStep(double h, double hh, double a, double beta) {

  static ExponentialStep data(TimePoint s, TimePoint t) {
    double h = t.lambda() - s.lambda();
    return new ExponentialStep(h, -h, t.noise() / s.noise(), 1);
  }

  /**
   * The deterministic part of the SDE-DPM-Solver++ step with noise fraction {@code eta}
   * (k-diffusion's generalisation of Lu et al.'s SDE solver): a data step with h replaced by
   * {@code h (1 + eta)}; the caller adds {@code sigma~_t sqrt(1 - exp(-2 eta h)) z}.
   */
  static ExponentialStep dataSde(TimePoint s, TimePoint t, double eta) {
    double h = (t.lambda() - s.lambda()) * (1 + eta);
    return new ExponentialStep(h, -h, Math.exp(-h), 1);
  }

  static ExponentialStep noise(TimePoint s, TimePoint t) {
    double h = t.lambda() - s.lambda();
    return new ExponentialStep(h, h, 1, t.noise());
  }

  /** Weight {@code -beta hh phi_k(hh)} of the k-th Taylor term ({@code k = 1}: the model output). */
  double weight(int k) {
    return -beta * hh * phi(k, hh);
  }

  /** {@code expm1(hh)}, UniPC's B(h) for the "bh2" variant. */
  double expm1() {
    return Math.expm1(hh);
  }

  /**
   * {@code phi_k(z)} for k >= 1, by its Taylor series for small |z| (where the recurrence would
   * cancel) and by the recurrence from {@code expm1} otherwise.
   */
  static double phi(int k, double z) {
    if (Math.abs(z) < 0.5) {
      // phi_k(z) = sum_j z^j / (j + k)!
      double term = 1;
      for (int i = 2; i <= k; i++) {
        term /= i;
      }
      double sum = 0;
      for (int j = 0; j < 40 && term != 0; j++) {
        sum += term;
        term *= z / (j + k + 1);
        if (Math.abs(term) < 1e-18 * Math.abs(sum)) {
          sum += term;
          break;
        }
      }
      return sum;
    }
    double phi = Math.expm1(z) / z;
    double factorial = 1;
    for (int i = 1; i < k; i++) {
      phi = (phi - 1 / factorial) / z;
      factorial *= i + 1;
    }
    return phi;
  }
}
