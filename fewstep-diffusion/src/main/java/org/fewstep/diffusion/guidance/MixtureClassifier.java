package org.fewstep.diffusion.guidance;

import org.fewstep.diffusion.model.GaussianMixture;

/**
 * The exact classifier of a Gaussian mixture's classes (its components' labels, or the components):
 * the posterior {@code p(l | x~)} of diffusion.md 0.7, {@link GaussianMixture#labelLogPosterior}.
 */
public final class MixtureClassifier implements NoisyClassifier {
  private final GaussianMixture mixture;
  private final int classes;

  public MixtureClassifier(GaussianMixture mixture) {
    this.mixture = mixture;
    this.classes = mixture.classes() > 0 ? mixture.classes() : mixture.components();
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public double logProbability(double[] xTilde, double noise, int label, double[] gradient) {
    return mixture.labelLogPosterior(xTilde, noise, label, gradient);
  }
}
