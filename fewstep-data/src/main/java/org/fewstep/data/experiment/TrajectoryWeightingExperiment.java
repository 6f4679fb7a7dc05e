package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.rl.TabularBehaviourCloning;
import org.fewstep.data.rl.Trajectory;
import org.fewstep.data.rl.TrajectoryDataset;
import org.fewstep.data.rl.TrajectoryWeighting;
import org.fewstep.data.rl.TransitionWeights;

/**
 * Trajectory weighting (Hong et al., ICLR 2023; discrete-and-data.md section 10 (d)) on a tabular MDP:
 * behaviour cloning on a mixed data set, uniform vs RW-0.1 vs AW-0.1 vs Top-0.1, scored by the cloned
 * policy's exact expected return.
 *
 * <p>The MDP: positions {@code 0..L-1} on a line, actions left/right (deterministic moves, clamped at the
 * ends), reward 1 for every step spent at the right end {@code L-1}, horizon H, initial position drawn
 * uniformly from {@link Settings#starts()} (stochastic initial state, so returns differ by start and AW has
 * something to correct). The data set: a fraction {@code goodFraction} of the trajectories from a good
 * policy (right with probability {@code goodRight}), the rest from a poor one (right with probability
 * {@code poorRight}). BC is {@link TabularBehaviourCloning} on the exact transition probabilities; states no
 * trajectory visits get the uniform policy. The return is computed exactly by backward induction over the
 * horizon and averaged over the initial distribution.
 */
public final class TrajectoryWeightingExperiment {
  private TrajectoryWeightingExperiment() {}

  /** The experiment's knobs; {@link #defaults()} is the full run. */
  public record Settings(int positions, int horizon, int[] starts, int trajectories, double goodFraction,
      double poorRight, double goodRight, double alpha, double topFraction, long[] seeds) {
    public Settings {
      BadInputException.requireAtLeast("positions", positions, 2);
      BadInputException.requireAtLeast("horizon", horizon, 1);
      BadInputException.requireAtLeast("trajectories", trajectories, 1);
      if (starts == null || starts.length == 0) {
        throw BadInputException.of("starts", "none", "at least one initial position");
      }
      for (int s : starts) {
        if (s < 0 || s >= positions) {
          throw BadInputException.of("start", s, "a position in [0, " + positions + ")");
        }
      }
      for (double p : new double[] {goodFraction, poorRight, goodRight}) {
        if (!(p >= 0 && p <= 1)) {
          throw BadInputException.of("probability", p, "a number in [0, 1]");
        }
      }
      if (seeds == null || seeds.length == 0) {
        throw BadInputException.of("seeds", "none", "at least one seed");
      }
      starts = starts.clone();
      seeds = seeds.clone();
    }

    /** The full run: 8 positions, horizon 12, starts {0, 2, 4}, 200 trajectories (10 % good), 20 seeds. */
    public static Settings defaults() {
      long[] seeds = new long[20];
      Arrays.setAll(seeds, i -> i + 1);
      return new Settings(8, 12, new int[] {0, 2, 4}, 200, 0.1, 0.35, 0.9, TrajectoryWeighting.DEFAULT_TEMPERATURE,
          TrajectoryWeighting.DEFAULT_FRACTION, seeds);
    }

    /** The defaults with other seeds. */
    public Settings withSeeds(long... seeds) {
      return new Settings(positions, horizon, starts, trajectories, goodFraction, poorRight, goodRight, alpha,
          topFraction, seeds);
    }
  }

  /** One weighting's exact BC returns over the seeds. */
  public record Row(String weighting, double[] returns) {
    public double mean() {
      return org.fewstep.core.math.Vectors.mean(returns);
    }

    public double sd() {
      return org.fewstep.core.math.Vectors.sampleSd(returns);
    }
  }

  /**
   * The rows (uniform, RW, AW, Top-K) and the exact returns of the poor, good and optimal policies for
   * reference.
   */
  public record Result(Settings settings, List<Row> rows, double poorReturn, double goodReturn,
      double optimalReturn) {
    public Row row(String weighting) {
      return rows.stream().filter(r -> r.weighting().equals(weighting)).findFirst().orElseThrow();
    }

    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "Tabular MDP (%d positions, horizon %d, starts %s), %d trajectories "
              + "(%.0f %% good), BC exact return over %d seeds; poor policy %.3f, good policy %.3f, optimal %.3f%n%n",
          settings.positions(), settings.horizon(), Arrays.toString(settings.starts()), settings.trajectories(),
          100 * settings.goodFraction(), settings.seeds().length, poorReturn, goodReturn, optimalReturn));
      sb.append("| weighting | BC return (mean) | sd | min | max |\n|---|---|---|---|---|\n");
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f |%n", r.weighting(), r.mean(), r.sd(),
            Arrays.stream(r.returns()).min().orElse(Double.NaN), Arrays.stream(r.returns()).max().orElse(Double.NaN)));
      }
      return sb.toString();
    }

    public String csv() {
      StringBuilder sb = new StringBuilder("weighting,seed,bc_return\n");
      for (Row r : rows) {
        for (int j = 0; j < r.returns().length; j++) {
          sb.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", r.weighting(), settings.seeds()[j], r.returns()[j]));
        }
      }
      return sb.toString();
    }
  }

  /** Runs every weighting on a fresh data set per seed. */
  public static Result run(Settings settings) {
    TrajectoryWeighting[] schemes = {TrajectoryWeighting.uniform(), TrajectoryWeighting.returnWeighted(settings.alpha()),
        TrajectoryWeighting.advantageWeighted(settings.alpha()), TrajectoryWeighting.topK(settings.topFraction())};
    double[][] returns = new double[schemes.length][settings.seeds().length];
    for (int j = 0; j < settings.seeds().length; j++) {
      TrajectoryDataset data = dataset(settings, new Rng(settings.seeds()[j]));
      for (int k = 0; k < schemes.length; k++) {
        returns[k][j] = cloneReturn(settings, schemes[k].weights(data));
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < schemes.length; k++) {
      rows.add(new Row(schemes[k].toString(), returns[k]));
    }
    int n = settings.positions();
    double[][] optimal = new double[n][];
    for (int s = 0; s < n; s++) {
      optimal[s] = new double[] {0, 1};
    }
    return new Result(settings, rows, exactReturn(settings, constant(n, settings.poorRight())),
        exactReturn(settings, constant(n, settings.goodRight())), exactReturn(settings, optimal));
  }

  /** The mixed data set of one seed: good trajectories first, then poor ones. */
  public static TrajectoryDataset dataset(Settings settings, Rng rng) {
    int good = (int) Math.round(settings.goodFraction() * settings.trajectories());
    List<Trajectory> out = new ArrayList<>();
    for (int i = 0; i < settings.trajectories(); i++) {
      out.add(rollout(settings, i < good ? settings.goodRight() : settings.poorRight(), rng));
    }
    return TrajectoryDataset.of(out);
  }

  private static Trajectory rollout(Settings settings, double right, Rng rng) {
    int n = settings.positions();
    int h = settings.horizon();
    double[][] states = new double[h][];
    int[] actions = new int[h];
    double[] rewards = new double[h];
    int s = settings.starts()[rng.nextInt(settings.starts().length)];
    for (int t = 0; t < h; t++) {
      states[t] = oneHot(s, n);
      actions[t] = rng.nextDouble() < right ? 1 : 0;
      rewards[t] = reward(settings, s);
      s = next(settings, s, actions[t]);
    }
    return new Trajectory(states, actions, rewards);
  }

  /** BC on the weighted data, then its exact return. */
  public static double cloneReturn(Settings settings, TransitionWeights weights) {
    double[][] pi = TabularBehaviourCloning.policy(weights, TrajectoryWeightingExperiment::indexOf,
        settings.positions(), 2);
    return exactReturn(settings, pi);
  }

  /** The exact expected return of the stationary policy {@code pi[s][a]} by backward induction. */
  public static double exactReturn(Settings settings, double[][] pi) {
    int n = settings.positions();
    double[] v = new double[n];
    for (int t = 0; t < settings.horizon(); t++) {
      double[] next = new double[n];
      for (int s = 0; s < n; s++) {
        double value = reward(settings, s);
        for (int a = 0; a < 2; a++) {
          value += pi[s][a] * v[next(settings, s, a)];
        }
        next[s] = value;
      }
      v = next;
    }
    double mean = 0;
    for (int s : settings.starts()) {
      mean += v[s] / settings.starts().length;
    }
    return mean;
  }

  private static double[][] constant(int n, double right) {
    double[][] pi = new double[n][];
    for (int s = 0; s < n; s++) {
      pi[s] = new double[] {1 - right, right};
    }
    return pi;
  }

  private static double reward(Settings settings, int s) {
    return s == settings.positions() - 1 ? 1 : 0;
  }

  private static int next(Settings settings, int s, int a) {
    return a == 1 ? Math.min(s + 1, settings.positions() - 1) : Math.max(s - 1, 0);
  }

  private static double[] oneHot(int s, int n) {
    double[] x = new double[n];
    x[s] = 1;
    return x;
  }

  private static int indexOf(double[] oneHot) {
    for (int s = 0; s < oneHot.length; s++) {
      if (oneHot[s] == 1) {
        return s;
      }
    }
    throw BadInputException.of("state", Arrays.toString(oneHot), "a one-hot position");
  }
}
