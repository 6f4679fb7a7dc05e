package org.fewstep.data.curriculum;

import org.fewstep.core.Rng;

/**
 * An episodic environment with finite states and actions whose whole state can be saved and restored, as
 * SnapshotRL needs (Zhao et al., arXiv 2403.00673; discrete-and-data.md section 12): a snapshot holds
 * everything that decides the future, including the elapsed-step counter and the time limit, so restoring it
 * and repeating the same actions repeats the same observations and rewards exactly.
 *
 * @param <S> the immutable snapshot type
 */
public interface RestorableEnvironment<S> {

  /** One transition: the next observation, the reward, whether the episode terminated or hit the time limit. */
  record Step(int observation, double reward, boolean terminated, boolean truncated) {
    /** Terminated or truncated. */
    public boolean done() {
      return terminated || truncated;
    }
  }

  /** Number of observations (states), observations are {@code 0..stateCount-1}. */
  int stateCount();

  /** Number of actions, {@code 0..actionCount-1}. */
  int actionCount();

  /** Starts an episode from the original initial-state distribution with the default time limit. */
  int reset(Rng rng);

  /** Takes an action; the episode is truncated when the elapsed steps reach the time limit. */
  Step step(int action);

  /** The current observation. */
  int observation();

  /** Steps taken in the current episode (counting from the original start, also after a restore). */
  int elapsedSteps();

  /** The current time limit (an episode is truncated when {@link #elapsedSteps()} reaches it). */
  int timeLimit();

  /** Changes the current episode's time limit (reset restores the default). */
  void setTimeLimit(int limit);

  /** The whole state. */
  S snapshot();

  /** Puts the environment into a saved state (the snapshot itself is not changed). */
  void restore(S snapshot);
}
