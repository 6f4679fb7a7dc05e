package org.fewstep.data.rl;

import org.fewstep.core.BadInputException;

/**
 * One episode of an offline-RL data set: at step t the agent was in {@code states[t]} (a feature vector),
 * took the discrete action {@code actions[t]} and received {@code rewards[t]}. {@code states[0]} is the
 * initial state s0. The arrays are copied on the way in and out.
 */
public record Trajectory(double[][] states, int[] actions, double[] rewards) {

  public Trajectory {
    if (states == null || actions == null || rewards == null) {
      throw BadInputException.of("trajectory", "null arrays", "states, actions and rewards");
    }
    int n = states.length;
    BadInputException.requireAtLeast("trajectory length", n, 1);
    if (actions.length != n || rewards.length != n) {
      throw BadInputException.of("trajectory arrays", n + " states, " + actions.length + " actions, "
          + rewards.length + " rewards", "one state, action and reward per step");
    }
    int d = states[0].length;
    double[][] copy = new double[n][];
    for (int t = 0; t < n; t++) {
      if (states[t].length != d) {
        throw BadInputException.of("states[" + t + "]", states[t].length + " features", d + " like states[0]");
      }
      for (double x : states[t]) {
        BadInputException.requireFinite("states[" + t + "]", x);
      }
      BadInputException.requireFinite("rewards[" + t + "]", rewards[t]);
      copy[t] = states[t].clone();
    }
    states = copy;
    actions = actions.clone();
    rewards = rewards.clone();
  }

  /** Number of transitions T. */
  public int length() {
    return actions.length;
  }

  /** The undiscounted return G = sum of the rewards. */
  public double ret() {
    double g = 0;
    for (double r : rewards) {
      g += r;
    }
    return g;
  }

  /** The initial state s0 (a copy). */
  public double[] initialState() {
    return states[0].clone();
  }

  /** The state at step t (a copy). */
  public double[] state(int t) {
    return states[t].clone();
  }

  /** The action at step t. */
  public int action(int t) {
    return actions[t];
  }

  /** The reward at step t. */
  public double reward(int t) {
    return rewards[t];
  }

  @Override
  public double[][] states() {
    double[][] out = new double[states.length][];
    for (int t = 0; t < states.length; t++) {
      out[t] = states[t].clone();
    }
    return out;
  }

  @Override
  public int[] actions() {
    return actions.clone();
  }

  @Override
  public double[] rewards() {
    return rewards.clone();
  }
}
