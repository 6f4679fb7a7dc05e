package org.fewstep.data.select;

import org.fewstep.core.BadInputException;

/**
 * RS2's learning-rate schedule (Okanovic et al., ICLR 2024, section 4; reference PatrikOkanovic/RS2
 * {@code main.py}, PyTorch {@code CosineAnnealingLR} with {@code T_max} = all iterations, stepped per mini-batch):
 * cosine annealing over the iterations actually run, {@code T = rounds * floor(roundSize / batch)}
 * ({@code drop_last}), so the whole schedule is compressed into the reduced budget.
 *
 * <p>{@code at(i) = minLr + (lr0 - minLr) * (1 + cos(pi * i / T)) / 2} for {@code 0 <= i <= T}: batch i
 * (0-based) uses {@code at(i)}, and {@code at(T) = minLr} is the value after the last scheduler step; the last
 * batch uses {@code at(T - 1)}, within {@code (lr0 - minLr) * pi^2 / (4 T^2)} of {@code minLr}.
 */
public record CosineSchedule(double lr0, double minLr, long totalIterations) {
  /** The reference's initial learning rate. */
  public static final double DEFAULT_LR = 0.1;
  /** The reference's final learning rate. */
  public static final double DEFAULT_MIN_LR = 1e-4;

  public CosineSchedule {
    BadInputException.requirePositive("lr0", lr0);
    if (!(minLr >= 0 && minLr <= lr0)) {
      throw BadInputException.of("minLr", minLr, "a number in [0, lr0 = " + lr0 + "]");
    }
    if (totalIterations < 1) {
      throw BadInputException.of("total iterations", totalIterations, "at least 1");
    }
  }

  /** The schedule over {@code rounds} rounds of {@code roundSize} examples in batches of {@code batch}. */
  public static CosineSchedule forRounds(int rounds, int roundSize, int batch, double lr0, double minLr) {
    return new CosineSchedule(lr0, minLr, iterations(rounds, roundSize, batch));
  }

  /** {@link #forRounds(int, int, int, double, double)} with lr 0.1 down to 1e-4. */
  public static CosineSchedule forRounds(int rounds, int roundSize, int batch) {
    return forRounds(rounds, roundSize, batch, DEFAULT_LR, DEFAULT_MIN_LR);
  }

  /** {@code rounds * floor(roundSize / batch)}: SGD iterations with {@code drop_last}. */
  public static long iterations(int rounds, int roundSize, int batch) {
    return (long) BadInputException.requireAtLeast("rounds", rounds, 1) * batchesPerRound(roundSize, batch);
  }

  /** {@code floor(roundSize / batch)}, which must be at least 1. */
  public static int batchesPerRound(int roundSize, int batch) {
    BadInputException.requireAtLeast("round size", roundSize, 1);
    BadInputException.requireAtLeast("batch", batch, 1);
    if (batch > roundSize) {
      throw BadInputException.of("batch", batch, "at most the round size " + roundSize + " (drop_last would run no batch)");
    }
    return roundSize / batch;
  }

  /** The learning rate of iteration {@code i} in [0, totalIterations]. */
  public double at(long i) {
    if (i < 0 || i > totalIterations) {
      throw BadInputException.of("iteration", i, "an integer in [0, " + totalIterations + "]");
    }
    return minLr + (lr0 - minLr) * (1 + Math.cos(Math.PI * i / totalIterations)) / 2;
  }
}
