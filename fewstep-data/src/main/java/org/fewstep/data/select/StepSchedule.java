package org.fewstep.data.select;

import org.fewstep.core.BadInputException;

/**
 * RS2's StepLR alternative (Okanovic et al., ICLR 2024; reference PatrikOkanovic/RS2 {@code main.py}, PyTorch
 * {@code StepLR} with step size {@code len(loader) * step_size}, gamma 0.1, stepped per mini-batch):
 * {@code at(i) = lr0 * gamma^floor(i / stepIterations)}.
 */
public record StepSchedule(double lr0, double gamma, long stepIterations) {
  /** The reference's decay factor. */
  public static final double DEFAULT_GAMMA = 0.1;

  public StepSchedule {
    BadInputException.requirePositive("lr0", lr0);
    if (!(gamma > 0 && gamma <= 1)) {
      throw BadInputException.of("gamma", gamma, "a number in (0, 1]");
    }
    if (stepIterations < 1) {
      throw BadInputException.of("step iterations", stepIterations, "at least 1");
    }
  }

  /** Decay every {@code stepRounds} rounds of {@code floor(roundSize / batch)} batches. */
  public static StepSchedule forRounds(int stepRounds, int roundSize, int batch, double lr0, double gamma) {
    return new StepSchedule(lr0, gamma, CosineSchedule.iterations(stepRounds, roundSize, batch));
  }

  /** The learning rate of iteration {@code i >= 0}. */
  public double at(long i) {
    if (i < 0) {
      throw BadInputException.of("iteration", i, "an integer >= 0");
    }
    return lr0 * Math.pow(gamma, (double) (i / stepIterations));
  }
}
