package org.fewstep.data.rl;

import java.util.Objects;
import java.util.function.ToIntFunction;
import org.fewstep.core.BadInputException;

/**
 * Behaviour cloning for a finite state and action space: the policy at state s is the action frequency of
 * the transitions at s, each counted with its sampling probability (the limit of cloning from infinitely
 * many weighted draws). Rule for a state that no transition of positive probability visits: the uniform
 * distribution over the actions.
 */
public final class TabularBehaviourCloning {
  private TabularBehaviourCloning() {}

  /**
   * The cloned policy {@code pi[s][a]} from {@code weights}; {@code stateIndex} maps a state vector to its
   * index in {@code [0, stateCount)}, actions must lie in {@code [0, actionCount)}.
   */
  public static double[][] policy(TransitionWeights weights, ToIntFunction<double[]> stateIndex, int stateCount,
      int actionCount) {
    Objects.requireNonNull(weights, "weights");
    BadInputException.requireAtLeast("state count", stateCount, 1);
    BadInputException.requireAtLeast("action count", actionCount, 1);
    double[][] pi = new double[stateCount][actionCount];
    TrajectoryDataset data = weights.data();
    for (int i = 0; i < data.trajectoryCount(); i++) {
      Trajectory tr = data.trajectory(i);
      double p = weights.perTransition(i);
      double[][] states = tr.states();
      for (int t = 0; t < tr.length(); t++) {
        int s = stateIndex.applyAsInt(states[t]);
        int a = tr.action(t);
        if (s < 0 || s >= stateCount) {
          throw BadInputException.of("state index of trajectory " + i + " step " + t, s, "in [0, " + stateCount + ")");
        }
        if (a < 0 || a >= actionCount) {
          throw BadInputException.of("action of trajectory " + i + " step " + t, a, "in [0, " + actionCount + ")");
        }
        pi[s][a] += p;
      }
    }
    for (double[] row : pi) {
      double total = 0;
      for (double v : row) {
        total += v;
      }
      for (int a = 0; a < actionCount; a++) {
        row[a] = total > 0 ? row[a] / total : 1.0 / actionCount;
      }
    }
    return pi;
  }
}
