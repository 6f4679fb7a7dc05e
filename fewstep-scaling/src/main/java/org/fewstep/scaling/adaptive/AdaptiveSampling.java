package org.fewstep.scaling.adaptive;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Cost;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * Adaptive sampling (Manvi, Singh and Ermon, "Adaptive Inference-Time Compute", 2024, section 4;
 * decoding.md 10b): samples are drawn in rounds of growing batch size; after each round the search
 * stops when the best self-evaluation so far reaches the threshold, and the answer is the sample of
 * the highest score. Sample i is drawn with {@code Rng.stream(seed, i)} at temperature
 * {@code temperature(i)}, so at a constant temperature the samples are those of
 * {@link org.fewstep.scaling.search.BestOfN} and a run draws a prefix of them.
 *
 * <p>[unverified] The exact round schedule (here {@code initialBatch}, multiplied by {@code growth}
 * each round and capped by what is left of the budget: 1, 2, 4, 8, 1 for a budget of 16), the default
 * threshold and the temperature annealing schedule could not be checked against the paper's text;
 * they are options, and {@link #firstThen} offers its "first sample cooler, later ones hotter" idea.
 */
public final class AdaptiveSampling {
  /**
   * The settings.
   *
   * @param budget       the most samples drawn, at least 1 (the paper's 16)
   * @param threshold    stop once the best score is at least this; 0 draws one round, above 1 the whole budget
   * @param initialBatch the first round's size, at least 1
   * @param growth       the factor from one round's size to the next (rounded up), finite and at least 1
   * @param temperature  the generator's temperature of sample i (0-based)
   */
  public record Settings(int budget, double threshold, int initialBatch, double growth, IntToDoubleFunction temperature) {
    /** Budget 16, threshold 0.9 [unverified], rounds 1, 2, 4, ..., temperature 1. */
    public static final Settings DEFAULT = new Settings(16, 0.9, 1, 2, constant(1));

    public Settings {
      BadInputException.requireAtLeast("adaptive sampling: budget", budget, 1);
      if (Double.isNaN(threshold)) {
        throw BadInputException.of("adaptive sampling: threshold", threshold, "a number (0 = one round, > 1 = whole budget)");
      }
      BadInputException.requireAtLeast("adaptive sampling: initial batch", initialBatch, 1);
      if (!(growth >= 1 && Double.isFinite(growth))) {
        throw BadInputException.of("adaptive sampling: batch growth", growth, "a finite number >= 1");
      }
      if (temperature == null) {
        throw BadInputException.of("adaptive sampling: temperature function", null, "a function of the sample index");
      }
    }

    public Settings withBudget(int b) {
      return new Settings(b, threshold, initialBatch, growth, temperature);
    }

    public Settings withThreshold(double t) {
      return new Settings(budget, t, initialBatch, growth, temperature);
    }

    public Settings withSchedule(int initial, double factor) {
      return new Settings(budget, threshold, initial, factor, temperature);
    }

    public Settings withTemperature(IntToDoubleFunction t) {
      return new Settings(budget, threshold, initialBatch, growth, t);
    }
  }

  /**
   * A run's outcome.
   *
   * @param solution the sample of the highest score (the lowest index among ties) and the cost
   * @param samples  how many samples were drawn
   * @param rounds   how many rounds were run
   * @param traces   the samples drawn, in index order
   * @param scores   their self-evaluations
   */
  public record Result(Solution solution, int samples, int rounds, List<Trace> traces, List<Double> scores) {
    public Result {
      traces = List.copyOf(traces);
      scores = List.copyOf(scores);
    }
  }

  private final Settings settings;

  public AdaptiveSampling(Settings settings) {
    if (settings == null) {
      throw BadInputException.of("adaptive sampling: settings", null, "settings");
    }
    this.settings = settings;
  }

  /** The temperature {@code t} for every sample. */
  public static IntToDoubleFunction constant(double t) {
    BadInputException.requirePositive("adaptive sampling: temperature", t);
    return i -> t;
  }

  /** The first sample at {@code first}, every later one at {@code rest} (the paper's annealing idea). */
  public static IntToDoubleFunction firstThen(double first, double rest) {
    BadInputException.requirePositive("adaptive sampling: first sample's temperature", first);
    BadInputException.requirePositive("adaptive sampling: later samples' temperature", rest);
    return i -> i == 0 ? first : rest;
  }

  /** The round sizes of the whole budget: each the previous times {@code growth}, the last cut to what is left. */
  public static int[] schedule(int budget, int initialBatch, double growth) {
    Settings s = new Settings(budget, 0, initialBatch, growth, constant(1)); // validates
    List<Integer> sizes = new ArrayList<>();
    int used = 0;
    double next = s.initialBatch();
    while (used < budget) {
      int size = (int) Math.min(budget - used, next);
      sizes.add(size);
      used += size;
      next = Math.min(budget, Math.ceil(next * growth));
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Samples {@code task} adaptively, scoring each finished sample once with {@code evaluator}. */
  public Result run(Task task, SelfEvaluator evaluator, long seed) {
    int[] rounds = schedule(settings.budget(), settings.initialBatch(), settings.growth());
    List<Trace> traces = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    long steps = 0;
    long tokens = 0;
    int best = -1;
    int round = 0;
    while (round < rounds.length) {
      int end = traces.size() + rounds[round];
      for (int i = traces.size(); i < end; i++) {
        Trace t = task.sample(settings.temperature().applyAsDouble(i), Rng.stream(seed, i));
        double score = evaluator.score(task, t);
        if (Double.isNaN(score)) {
          throw BadInputException.of("adaptive sampling: self-evaluation of sample " + i, score, "a number");
        }
        traces.add(t);
        scores.add(score);
        steps += t.length();
        tokens += t.tokens();
        if (best < 0 || score > scores.get(best)) {
          best = i;
        }
      }
      round++;
      if (scores.get(best) >= settings.threshold()) {
        break;
      }
    }
    int n = traces.size();
    Solution solution = new Solution(traces.get(best), new Cost(n, steps, tokens, n));
    return new Result(solution, n, round, traces, scores);
  }
}
