package org.fewstep.data.rl;

import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * An offline-RL data set of whole trajectories whose transitions are numbered globally: trajectory i owns
 * the indices {@code start(i) .. start(i) + length(i) - 1}, in order. Immutable.
 */
public final class TrajectoryDataset {
  private final List<Trajectory> trajectories;
  private final int[] starts;
  private final int transitions;

  private TrajectoryDataset(List<Trajectory> trajectories) {
    this.trajectories = trajectories;
    this.starts = new int[trajectories.size()];
    long total = 0;
    for (int i = 0; i < trajectories.size(); i++) {
      starts[i] = (int) total;
      total += trajectories.get(i).length();
      if (total > Integer.MAX_VALUE) {
        throw BadInputException.of("transitions", total, "at most " + Integer.MAX_VALUE);
      }
    }
    this.transitions = (int) total;
  }

  /** A data set of at least one trajectory, all with states of the same dimension. */
  public static TrajectoryDataset of(List<Trajectory> trajectories) {
    if (trajectories == null || trajectories.isEmpty()) {
      throw BadInputException.of("trajectories", trajectories == null ? "null" : "empty", "at least one trajectory");
    }
    int d = trajectories.get(0).states()[0].length;
    for (int i = 0; i < trajectories.size(); i++) {
      Trajectory t = trajectories.get(i);
      if (t == null) {
        throw BadInputException.of("trajectories[" + i + "]", "null", "a trajectory");
      }
      if (t.initialState().length != d) {
        throw BadInputException.of("trajectories[" + i + "] state dimension", t.initialState().length,
            d + " like trajectory 0");
      }
    }
    return new TrajectoryDataset(List.copyOf(trajectories));
  }

  /** Number of trajectories. */
  public int trajectoryCount() {
    return trajectories.size();
  }

  /** Number of transitions over all trajectories. */
  public int transitionCount() {
    return transitions;
  }

  /** Trajectory i. */
  public Trajectory trajectory(int i) {
    return trajectories.get(i);
  }

  /** The trajectories, in order. */
  public List<Trajectory> trajectories() {
    return trajectories;
  }

  /** The global index of the first transition of trajectory i. */
  public int start(int i) {
    return starts[i];
  }

  /** The trajectory that owns global transition {@code index}. */
  public int trajectoryOf(int index) {
    if (index < 0 || index >= transitions) {
      throw BadInputException.of("transition index", index, "in [0, " + transitions + ")");
    }
    int at = Arrays.binarySearch(starts, index); // starts are strictly increasing: every length is >= 1
    return at >= 0 ? at : -at - 2;
  }

  /** The step of global transition {@code index} inside its trajectory. */
  public int stepOf(int index) {
    return index - starts[trajectoryOf(index)];
  }

  /** The returns G_i. */
  public double[] returns() {
    double[] g = new double[trajectories.size()];
    Arrays.setAll(g, i -> trajectories.get(i).ret());
    return g;
  }

  /** The lengths T_i. */
  public int[] lengths() {
    int[] t = new int[trajectories.size()];
    Arrays.setAll(t, i -> trajectories.get(i).length());
    return t;
  }

  /** The initial states s0 of the trajectories, one row each. */
  public double[][] initialStates() {
    double[][] s = new double[trajectories.size()][];
    Arrays.setAll(s, i -> trajectories.get(i).initialState());
    return s;
  }
}
