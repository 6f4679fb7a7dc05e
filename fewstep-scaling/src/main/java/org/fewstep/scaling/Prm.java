package org.fewstep.scaling;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * A process reward model: a score in [0, 1] of a partial solution, read as the probability that it
 * ends correct. {@link #exact} is the task's own probability; {@link #noisy} blurs it on the logit
 * scale by a fixed Gaussian error per distinct prefix, a PRM of controlled quality.
 */
@FunctionalInterface
public interface Prm {
  double score(Trace partial);

  /** The perfect PRM: {@link Task#successProbability}. */
  static Prm exact(Task task) {
    return task::successProbability;
  }

  /** {@link #noisy(Task, double, double, long)} with a floor of 1e-6: finished solutions keep a near-certain verdict. */
  static Prm noisy(Task task, double sigma, long seed) {
    return noisy(task, sigma, 1e-6, seed);
  }

  /**
   * {@code sigmoid(logit(p) + sigma z)} with {@code p} the exact probability clipped to
   * {@code [floor, 1 - floor]} and {@code z} a standard normal fixed by the prefix's text and
   * {@code seed}: the same prefix always gets the same score, different prefixes independent errors.
   * A floor well above 0 (e.g. 0.05) makes the verdict on finished solutions fallible too, as a real
   * reward model's is.
   */
  static Prm noisy(Task task, double sigma, double floor, long seed) {
    if (!(sigma >= 0 && Double.isFinite(sigma))) {
      throw BadInputException.of("noisy PRM sigma", sigma, "a finite number >= 0");
    }
    if (!(floor > 0 && floor < 0.5)) {
      throw BadInputException.of("noisy PRM floor", floor, "a probability in (0, 0.5)");
    }
    return partial -> {
      double p = Math.min(1 - floor, Math.max(floor, task.successProbability(partial)));
      long key = Rng.mix64(seed ^ Rng.mix64(task.name().hashCode() * 0x9E3779B97F4A7C15L + partial.text().hashCode())
          ^ partial.length());
      double z = new Rng(key).nextGaussian();
      return 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + sigma * z)));
    };
  }
}
