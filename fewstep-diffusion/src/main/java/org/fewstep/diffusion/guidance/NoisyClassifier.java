package org.fewstep.diffusion.guidance;

/**
 * A classifier of noisy points {@code p(l | x~, sigma~)} in VE coordinates ({@code x~ = x / alpha},
 * noise level {@code sigma~}), with the gradient that classifier guidance needs.
 */
public interface NoisyClassifier {
  /** Number of classes. */
  int classes();

  /**
   * {@code log p(label | x~)} of one item at noise level {@code noise}, and its gradient in x~.
   *
   * @param xTilde   one item (not modified)
   * @param gradient receives {@code grad_x~ log p(label | x~)} (length of the item), or null
   */
  double logProbability(double[] xTilde, double noise, int label, double[] gradient);
}
