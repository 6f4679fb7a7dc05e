package org.fewstep.data.curriculum;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * A deterministic corridor where exploration is hard, for SnapshotRL experiments: positions
 * {@code 0..length}, actions 0 = left and 1 = right (one step). Position {@code length} is the goal (terminal,
 * reward 1); position 0, a few steps from the start, is terminal too with reward {@code distractorReward}: a pit
 * at 0 (a random walk from start s reaches the goal first only with probability s / length), a distractor when
 * positive (an epsilon-greedy learner soon prefers it and almost never walks the whole way). The episode starts at
 * a position drawn uniformly from {@code 1..startSpread}; the default time limit is {@code timeLimit} steps.
 * All other rewards are 0.
 */
public final class Corridor implements RestorableEnvironment<Corridor.Snapshot> {
  /** The whole state: position, elapsed steps, time limit, the episode's return so far, whether it ended. */
  public record Snapshot(int position, int elapsed, int timeLimit, double episodeReturn, boolean done) {}

  private final int length;
  private final int startSpread;
  private final double distractorReward;
  private final int defaultTimeLimit;
  private int position;
  private int elapsed;
  private int limit;
  private double episodeReturn;
  private boolean done = true;

  /** A corridor of {@code length >= 3} steps with starts {@code 1..startSpread}. */
  public Corridor(int length, int startSpread, double distractorReward, int timeLimit) {
    BadInputException.requireAtLeast("length", length, 3);
    if (startSpread < 1 || startSpread >= length) {
      throw BadInputException.of("start spread", startSpread, "in [1, " + (length - 1) + "] (starts 1..spread)");
    }
    BadInputException.requireFinite("distractor reward", distractorReward);
    BadInputException.requireAtLeast("time limit", timeLimit, 1);
    this.length = length;
    this.startSpread = startSpread;
    this.distractorReward = distractorReward;
    this.defaultTimeLimit = timeLimit;
  }

  /** The goal position (also the number of positions minus one). */
  public int length() {
    return length;
  }

  /** The highest start position. */
  public int startSpread() {
    return startSpread;
  }

  /** The default time limit. */
  public int defaultTimeLimit() {
    return defaultTimeLimit;
  }

  /**
   * The always-right teacher with its exact discounted value {@code Q(s, right) = gamma^(length - s - 1)}
   * (reward 1 on reaching the goal {@code length - s} steps later; the time limit is ignored). It is the
   * optimal policy when {@code gamma^(length - 2) > distractorReward}.
   */
  public TeacherPolicy rightTeacher(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw BadInputException.of("gamma", gamma, "a discount in (0, 1]");
    }
    return new TeacherPolicy() {
      @Override
      public int action(int observation) {
        return 1;
      }

      @Override
      public double value(int observation) {
        return Math.pow(gamma, length - observation - 1);
      }
    };
  }

  @Override
  public int stateCount() {
    return length + 1;
  }

  @Override
  public int actionCount() {
    return 2;
  }

  @Override
  public int reset(Rng rng) {
    return start(1 + rng.nextInt(startSpread));
  }

  /** Starts an episode at {@code position} (in {@code 1..length-1}) with the default time limit. */
  public int start(int position) {
    if (position < 1 || position >= length) {
      throw BadInputException.of("start position", position, "in [1, " + (length - 1) + "]");
    }
    this.position = position;
    elapsed = 0;
    limit = defaultTimeLimit;
    episodeReturn = 0;
    done = false;
    return position;
  }

  @Override
  public Step step(int action) {
    if (done) {
      throw new IllegalStateException("step after the end of the episode: call reset or restore");
    }
    if (action != 0 && action != 1) {
      throw BadInputException.of("action", action, "0 (left) or 1 (right)");
    }
    position += action == 1 ? 1 : -1;
    elapsed++;
    boolean terminated = position == 0 || position == length;
    double reward = position == length ? 1 : position == 0 ? distractorReward : 0;
    episodeReturn += reward;
    boolean truncated = !terminated && elapsed >= limit;
    done = terminated || truncated;
    return new Step(position, reward, terminated, truncated);
  }

  @Override
  public int observation() {
    return position;
  }

  @Override
  public int elapsedSteps() {
    return elapsed;
  }

  @Override
  public int timeLimit() {
    return limit;
  }

  @Override
  public void setTimeLimit(int limit) {
    BadInputException.requireAtLeast("time limit", limit, 1);
    this.limit = limit;
  }

  /** The return of the current episode so far. */
  public double episodeReturn() {
    return episodeReturn;
  }

  @Override
  public Snapshot snapshot() {
    return new Snapshot(position, elapsed, limit, episodeReturn, done);
  }

  @Override
  public void restore(Snapshot s) {
    if (s == null) {
      throw BadInputException.of("snapshot", "null", "a snapshot of this corridor");
    }
    if (s.position() < 0 || s.position() > length) {
      throw BadInputException.of("snapshot position", s.position(), "in [0, " + length + "]");
    }
    position = s.position();
    elapsed = s.elapsed();
    limit = s.timeLimit();
    episodeReturn = s.episodeReturn();
    done = s.done();
  }
}
