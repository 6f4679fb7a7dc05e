package org.fewstep.diffusion.guidance;

import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Classifier guidance (Dhariwal and Nichol, 2021; diffusion.md 0.6) in data-estimate form: the score
 * gains {@code w grad_x~ log p(l | x~)}, so the denoiser becomes
 * {@code D_w(x~) = D(x~) + w sigma~^2 grad_x~ log p(l | x~)} (VE coordinates, where
 * {@code score = (D - x~) / sigma~^2}). With the exact classifier and w = 1 it is the exact
 * conditional denoiser of class l. Any solver runs on top.
 */
public final class ClassifierGuidance implements Denoiser {
  private final Denoiser base;
  private final NoisyClassifier classifier;
  private final double scale;
  private final int label;

  public ClassifierGuidance(Denoiser base, NoisyClassifier classifier, double scale, int label) {
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw BadInputException.of("guidance scale", scale, "a finite number >= 0");
    }
    if (label < 0 || label >= classifier.classes()) {
      throw BadInputException.of("target class", label, "a class in [0, " + (classifier.classes() - 1) + "]");
    }
    this.base = base;
    this.classifier = classifier;
    this.scale = scale;
    this.label = label;
  }

  @Override
  public NoiseSchedule schedule() {
    return base.schedule();
  }

  @Override
  public int[] itemShape() {
    return base.itemShape();
  }

  @Override
  public void denoise(double[] x, int n, TimePoint at, double[] out) {
    base.denoise(x, n, at, out);
    if (scale == 0) {
      return;
    }
    int size = itemSize();
    double[] item = new double[size];
    double[] gradient = new double[size];
    double factor = scale * at.noise() * at.noise();
    for (int r = 0; r < n; r++) {
      System.arraycopy(x, r * size, item, 0, size);
      classifier.logProbability(item, at.noise(), label, gradient);
      for (int j = 0; j < size; j++) {
        out[r * size + j] += factor * gradient[j];
      }
    }
  }
}
