package org.fewstep.scaling.coverage;

import org.fewstep.core.BadInputException;

/**
 * The verification gap of Large Language Monkeys (Brown et al. 2024; brief decoding.md 12(b)): the accuracy of a selection
 * method (majority vote, a reward model, ...) that must pick one of the first {@code k} samples of each problem,
 * next to the coverage at {@code k}, the fraction of problems with a correct sample among those same first
 * {@code k}. Coverage here is the empirical one of the first {@code k} samples (not the {@link PassAtK}
 * estimator), so accuracy never exceeds it and an oracle selector reaches it exactly.
 */
public final class VerificationGap {
  private VerificationGap() {}

  /** Chooses one sample for a problem. */
  @FunctionalInterface
  public interface Selector {
    /** The index, in {@code [0, k)}, of the sample chosen for {@code problem} among its first {@code k}. */
    int choose(int problem, int k);
  }

  /**
   * Accuracy and coverage at each {@code ks[j]}.
   *
   * @param ks       the budgets
   * @param accuracy fraction of problems whose chosen sample is correct
   * @param coverage fraction of problems with a correct sample among the first {@code k}
   */
  public record Curve(int[] ks, double[] accuracy, double[] coverage) {
    /** {@code coverage[j] - accuracy[j]}. */
    public double gap(int j) {
      return coverage[j] - accuracy[j];
    }
  }

  /**
   * Evaluates {@code selector} on {@code correct[problem][sample]} at each budget in {@code ks}; every
   * problem needs at least {@code max(ks)} samples.
   */
  public static Curve evaluate(boolean[][] correct, int[] ks, Selector selector) {
    if (correct == null || correct.length == 0) {
      throw BadInputException.of("problems", correct == null ? "null" : 0, "at least one problem");
    }
    if (ks == null || ks.length == 0) {
      throw BadInputException.of("ks", ks == null ? "null" : "[]", "at least one k");
    }
    if (selector == null) {
      throw new BadInputException("selector: expected a function, got null");
    }
    int fewest = Integer.MAX_VALUE;
    for (int p = 0; p < correct.length; p++) {
      if (correct[p] == null) {
        throw BadInputException.of("correct[" + p + "]", "null", "a row of correctness flags");
      }
      fewest = Math.min(fewest, correct[p].length);
    }
    double[] accuracy = new double[ks.length];
    double[] coverage = new double[ks.length];
    for (int j = 0; j < ks.length; j++) {
      int k = ks[j];
      if (k < 1 || k > fewest) {
        throw BadInputException.of("k", k, "an integer in [1, " + fewest + "] (the fewest samples of a problem)");
      }
      int solved = 0;
      int chosenRight = 0;
      for (int p = 0; p < correct.length; p++) {
        for (int s = 0; s < k; s++) {
          if (correct[p][s]) {
            solved++;
            break;
          }
        }
        int choice = selector.choose(p, k);
        if (choice < 0 || choice >= k) {
          throw BadInputException.of("selected sample of problem " + p + " at k = " + k, choice,
              "an index in [0, " + k + ")");
        }
        chosenRight += correct[p][choice] ? 1 : 0;
      }
      accuracy[j] = (double) chosenRight / correct.length;
      coverage[j] = (double) solved / correct.length;
    }
    return new Curve(ks.clone(), accuracy, coverage);
  }
}
