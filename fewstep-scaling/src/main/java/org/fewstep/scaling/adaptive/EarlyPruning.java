package org.fewstep.scaling.adaptive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Cost;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * Early pruning (Manvi, Singh and Ermon, "Adaptive Inference-Time Compute", 2024; decoding.md 10b): N
 * samples are generated step by step; once every sample has taken {@code pruneAfterSteps} steps (or
 * finished earlier) all are self-evaluated and only the {@code ceil(f N)} highest-scoring ones (the
 * lowest indices among ties) go on to the end; the answer is the finished sample of the highest final
 * score. The pruning position is a step index, the unit of {@link Task}; the paper prunes at a token
 * position (64 or 128 tokens, [unverified]). Sample i uses {@code Rng.stream(seed, i)} for all its
 * steps, so a kept sample ends exactly as the best-of-N sample i would.
 */
public final class EarlyPruning {
  /**
   * The settings.
   *
   * @param samples         N, at least 1
   * @param keepFraction    f in (0, 1]: ceil(f N) samples survive (with f N rounded to 1e-9 first)
   * @param pruneAfterSteps the step index where the partial samples are scored, at least 1
   * @param temperature     the generator's temperature of sample i
   */
  public record Settings(int samples, double keepFraction, int pruneAfterSteps, IntToDoubleFunction temperature) {
    public Settings {
      BadInputException.requireAtLeast("early pruning: samples", samples, 1);
      if (!(keepFraction > 0 && keepFraction <= 1)) {
        throw BadInputException.of("early pruning: keep fraction", keepFraction, "a fraction in (0, 1]");
      }
      BadInputException.requireAtLeast("early pruning: prune after steps", pruneAfterSteps, 1);
      if (temperature == null) {
        throw BadInputException.of("early pruning: temperature function", null, "a function of the sample index");
      }
    }

    /** ceil(f N), at least 1. */
    public int kept() {
      double fn = Math.rint(keepFraction * samples * 1e9) / 1e9;
      return Math.max(1, Math.min(samples, (int) Math.ceil(fn)));
    }
  }

  /**
   * A run's outcome.
   *
   * @param solution     the kept sample of the highest final score (the lowest index among ties) and the cost
   * @param kept         the indices of the samples that went on, ascending
   * @param pruneScores  every sample's score at the pruning position
   * @param finalScores  the kept samples' final scores, in the order of {@code kept}
   */
  public record Result(Solution solution, List<Integer> kept, List<Double> pruneScores, List<Double> finalScores) {
    public Result {
      kept = List.copyOf(kept);
      pruneScores = List.copyOf(pruneScores);
      finalScores = List.copyOf(finalScores);
    }
  }

  private final Settings settings;

  public EarlyPruning(Settings settings) {
    if (settings == null) {
      throw BadInputException.of("early pruning: settings", null, "settings");
    }
    this.settings = settings;
  }

  /**
   * Runs the method. Cost: generations = N samples started, steps and tokens of all of them (the
   * pruned ones' partial work included), reward calls = N at the pruning position plus one per kept
   * sample that was still unfinished there.
   */
  public Result run(Task task, SelfEvaluator evaluator, long seed) {
    int n = settings.samples();
    Trace[] traces = new Trace[n];
    Rng[] rngs = new Rng[n];
    double[] scores = new double[n];
    long steps = 0;
    long tokens = 0;
    for (int i = 0; i < n; i++) {
      rngs[i] = Rng.stream(seed, i);
      Trace t = task.start();
      double temperature = settings.temperature().applyAsDouble(i);
      while (!t.finished() && t.length() < settings.pruneAfterSteps()) {
        t = task.step(t, temperature, rngs[i]);
      }
      traces[i] = t;
      steps += t.length();
      tokens += t.tokens();
      scores[i] = checked(evaluator.score(task, t), i);
    }
    long calls = n;
    List<Integer> kept = IntStream.range(0, n).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
        .limit(settings.kept()).sorted().toList();
    List<Double> finals = new ArrayList<>(kept.size());
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i : kept) {
      Trace t = traces[i];
      double score = scores[i];
      if (!t.finished()) {
        Trace partial = t;
        double temperature = settings.temperature().applyAsDouble(i);
        while (!t.finished()) {
          t = task.step(t, temperature, rngs[i]);
        }
        steps += t.length() - partial.length();
        tokens += t.tokens() - partial.tokens();
        score = checked(evaluator.score(task, t), i);
        calls++;
        traces[i] = t;
      }
      finals.add(score);
      if (best < 0 || score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    List<Double> prune = new ArrayList<>(n);
    for (double s : scores) {
      prune.add(s);
    }
    Solution solution = new Solution(traces[best], new Cost(n, steps, tokens, calls));
    return new Result(solution, kept, prune, finals);
  }

  private static double checked(double score, int i) {
    if (Double.isNaN(score)) {
      throw BadInputException.of("early pruning: self-evaluation of sample " + i, score, "a number");
    }
    return score;
  }
}
