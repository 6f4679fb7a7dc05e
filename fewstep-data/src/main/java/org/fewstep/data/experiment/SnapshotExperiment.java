package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.curriculum.Corridor;
import org.fewstep.data.curriculum.RestorableEnvironment;
import org.fewstep.data.curriculum.SnapshotStarts;
import org.fewstep.data.curriculum.SnapshotStarts.Variant;

/**
 * SnapshotRL / S3RL (Zhao et al., arXiv 2403.00673; discrete-and-data.md section 12 (d)) with a tabular
 * epsilon-greedy Q-learning student on a {@link Corridor} whose left end is a pit (terminal, reward
 * {@code distractorReward} = 0) two to four steps from the start and whose goal is 30 steps away: the original
 * environment vs
 * snapshot starts from the always-right teacher (SnapshotRL, SC only, STT only, S3RL). Measured on the
 * original environment every {@code evalInterval} steps: the greedy policy's mean return over all start
 * positions (deterministic, ties to the lowest action); reported are the environment steps until it first
 * reaches {@code threshold} (runs that never do count as the whole budget and are listed as misses) and the
 * final return. The teacher's own collection steps are not counted (as in the paper).
 *
 * <p>Scaled to the toy: the paper's MuJoCo episodes are 1000 steps, its snapshot phase 100 000 of 1M steps
 * and its truncation 100 steps; here episodes are at most {@code timeLimit} = 200 steps, the snapshot phase is
 * {@code snapshotTimesteps} of {@code totalSteps} and the truncation is {@code truncateStep} = 20 (the same 10 %
 * of an episode). Teacher collection keeps the paper's 10 episodes, snapshots every 10 steps and 6 clusters.
 */
public final class SnapshotExperiment {
  private SnapshotExperiment() {}

  /** The knobs; {@link #defaults()} is the full run. */
  public record Settings(int length, int startSpread, double distractorReward, int timeLimit, double gamma,
      double learningRate, double epsilon, long totalSteps, long snapshotTimesteps, int truncateStep,
      int evalInterval, double threshold, long[] seeds) {
    public Settings {
      BadInputException.requirePositive("learning rate", learningRate);
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw BadInputException.of("epsilon", epsilon, "a probability in [0, 1]");
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw BadInputException.of("gamma", gamma, "a discount in (0, 1]");
      }
      if (totalSteps < 1 || snapshotTimesteps < 0 || snapshotTimesteps > totalSteps) {
        throw BadInputException.of("snapshot timesteps / total steps", snapshotTimesteps + " / " + totalSteps,
            "0 <= snapshot timesteps <= total steps, total >= 1");
      }
      BadInputException.requireAtLeast("truncate step", truncateStep, 1);
      BadInputException.requireAtLeast("eval interval", evalInterval, 1);
      if (seeds == null || seeds.length == 0) {
        throw BadInputException.of("seeds", "none", "at least one seed");
      }
      seeds = seeds.clone();
    }

    /**
     * The full run: corridor 30, starts 1..4, pit reward 0, time limit 200, Q-learning with learning rate 0.5,
     * epsilon 0.1, gamma 0.99; 40 000 steps of which the first 10 000 start from snapshots (truncate 20);
     * evaluation every 250 steps, threshold 1 (every start reaches the goal); 20 seeds.
     */
    public static Settings defaults() {
      long[] seeds = new long[20];
      Arrays.setAll(seeds, i -> i + 1);
      return new Settings(30, 4, 0.0, 200, 0.99, 0.5, 0.1, 40_000, 10_000, 20, 250, 1.0, seeds);
    }

    /** The same with other seeds and budget. */
    public Settings with(long totalSteps, long snapshotTimesteps, long... seeds) {
      return new Settings(length, startSpread, distractorReward, timeLimit, gamma, learningRate, epsilon, totalSteps,
          snapshotTimesteps, truncateStep, evalInterval, threshold, seeds);
    }
  }

  /** One student run. */
  public record Run(long stepsToThreshold, boolean reached, double finalReturn) {}

  /** One method (original environment or a snapshot variant) over the seeds. */
  public record Row(String method, List<Run> runs) {
    /** Mean steps to threshold, a miss counting as the whole budget. */
    public double meanSteps() {
      return runs.stream().mapToLong(Run::stepsToThreshold).average().orElse(Double.NaN);
    }

    /** Median steps to threshold, a miss counting as the whole budget. */
    public double medianSteps() {
      long[] s = runs.stream().mapToLong(Run::stepsToThreshold).sorted().toArray();
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    /** Runs that reached the threshold. */
    public long reached() {
      return runs.stream().filter(Run::reached).count();
    }

    /** Mean final return on the original environment. */
    public double meanFinalReturn() {
      return runs.stream().mapToDouble(Run::finalReturn).average().orElse(Double.NaN);
    }
  }

  /** The rows: original, SnapshotRL, SC, STT, S3RL. */
  public record Result(Settings settings, List<Row> rows) {
    public Row row(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "Corridor %d (starts 1..%d, pit reward %.2f, limit %d), tabular Q-learning "
              + "(lr %.2f, eps %.2f, gamma %.2f), %d steps (%d from snapshots, truncate %d), threshold %.2f, %d seeds%n%n",
          settings.length(), settings.startSpread(), settings.distractorReward(), settings.timeLimit(),
          settings.learningRate(), settings.epsilon(), settings.gamma(), settings.totalSteps(),
          settings.snapshotTimesteps(), settings.truncateStep(), settings.threshold(), settings.seeds().length));
      sb.append("| method | reached | steps to threshold (mean) | median | final return |\n|---|---|---|---|---|\n");
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "| %s | %d/%d | %.0f | %.0f | %.3f |%n", r.method(), r.reached(),
            r.runs().size(), r.meanSteps(), r.medianSteps(), r.meanFinalReturn()));
      }
      return sb.toString();
    }

    public String csv() {
      StringBuilder sb = new StringBuilder("method,seed,steps_to_threshold,reached,final_return\n");
      for (Row r : rows) {
        for (int j = 0; j < r.runs().size(); j++) {
          Run run = r.runs().get(j);
          sb.append(String.format(Locale.ROOT, "%s,%d,%d,%b,%.6f%n", r.method(), settings.seeds()[j],
              run.stepsToThreshold(), run.reached(), run.finalReturn()));
        }
      }
      return sb.toString();
    }
  }

  /** Runs the original environment and the four snapshot variants on every seed. */
  public static Result run(Settings settings) {
    List<Row> rows = new ArrayList<>();
    rows.add(row(settings, null));
    for (Variant v : Variant.values()) {
      rows.add(row(settings, v));
    }
    return new Result(settings, rows);
  }

  private static Row row(Settings settings, Variant variant) {
    List<Run> runs = new ArrayList<>();
    for (long seed : settings.seeds()) {
      runs.add(student(settings, variant, seed));
    }
    return new Row(variant == null ? "original" : name(variant), runs);
  }

  /** The method name used in the table. */
  public static String name(Variant v) {
    return switch (v) {
      case SNAPSHOT_RL -> "SnapshotRL";
      case SC -> "SC only";
      case STT -> "STT only";
      case S3RL -> "S3RL";
    };
  }

  /** One Q-learning run; {@code variant == null} trains on the original environment only. */
  public static Run student(Settings settings, Variant variant, long seed) {
    Corridor env = new Corridor(settings.length(), settings.startSpread(), settings.distractorReward(),
        settings.timeLimit());
    Rng rng = Rng.stream(seed, 0);
    SnapshotStarts<Corridor.Snapshot> starts = variant == null ? null : SnapshotStarts.create(env,
        env.rightTeacher(settings.gamma()),
        SnapshotStarts.Settings.of(variant, settings.truncateStep(), settings.snapshotTimesteps()), Rng.stream(seed, 1));
    double[][] q = new double[env.stateCount()][env.actionCount()];
    long reachedAt = -1;
    double last = 0;
    boolean done = true;
    int obs = 0;
    for (long step = 1; step <= settings.totalSteps(); step++) {
      if (done) {
        obs = starts != null ? starts.reset(rng) : env.reset(rng);
      }
      int a = rng.nextDouble() < settings.epsilon() ? rng.nextInt(2) : greedy(q[obs], rng);
      RestorableEnvironment.Step s = starts != null ? starts.step(a) : env.step(a);
      double target = s.reward() + (s.terminated() ? 0 : settings.gamma() * Math.max(q[s.observation()][0],
          q[s.observation()][1]));
      q[obs][a] += settings.learningRate() * (target - q[obs][a]);
      obs = s.observation();
      done = s.done();
      if (step % settings.evalInterval() == 0 || step == settings.totalSteps()) {
        last = evaluate(settings, q);
        if (reachedAt < 0 && last >= settings.threshold() - 1e-12) {
          reachedAt = step;
        }
      }
    }
    return new Run(reachedAt < 0 ? settings.totalSteps() : reachedAt, reachedAt >= 0, last);
  }

  private static int greedy(double[] qs, Rng rng) {
    return qs[0] == qs[1] ? rng.nextInt(2) : qs[0] > qs[1] ? 0 : 1;
  }

  /** The greedy policy's mean return over the start positions on the original corridor (ties: left). */
  public static double evaluate(Settings settings, double[][] q) {
    Corridor env = new Corridor(settings.length(), settings.startSpread(), settings.distractorReward(),
        settings.timeLimit());
    double total = 0;
    for (int start = 1; start <= settings.startSpread(); start++) {
      int obs = env.start(start);
      while (true) {
        RestorableEnvironment.Step s = env.step(q[obs][1] > q[obs][0] ? 1 : 0);
        obs = s.observation();
        if (s.done()) {
          break;
        }
      }
      total += env.episodeReturn();
    }
    return total / settings.startSpread();
  }
}
