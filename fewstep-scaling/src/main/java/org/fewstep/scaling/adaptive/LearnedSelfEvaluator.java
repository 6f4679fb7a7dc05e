package org.fewstep.scaling.adaptive;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.LinearSystems;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * A small trained self-evaluator, the CPU stand-in for the paper's fine-tuned self-evaluation token
 * (Manvi, Singh and Ermon, "Adaptive Inference-Time Compute", 2024, section 3; decoding.md 10b): a
 * logistic regression on features any {@link Trace} carries, fitted by Newton's method (L2 penalty
 * {@value #RIDGE} on the standardised weights, none on the intercept). Training data: for each task,
 * samples at temperature 1 and every prefix of each (one step onwards, the finished trace included),
 * each labelled 1 when the sample wins or ties against an independent fresh sample of the task (both
 * correct, both wrong, or only it correct) and 0 when only the fresh one is correct. The paper labels
 * with a reward model's comparisons on real prompts ([unverified] exact construction).
 *
 * <p>Features, with {@code m} the mean step log-probability, {@code s} the smallest and {@code l} the last step
 * log-probability, and {@code f} 1 for a finished trace: {@code m}, {@code m^2}, {@code log(1e-3 - m)}, the mean
 * token log-probability, the total log-probability, the number of steps, {@code s}, {@code l}, {@code f}, and
 * {@code f} times {@code m}, {@code m^2}, {@code log(1e-3 - m)}, the total and {@code s} (a finished trace is read
 * apart from a partial one). On a task whose slips are improbable steps (such as
 * {@link org.fewstep.scaling.task.ArithmeticTask}) a low {@code s} flags a slip, and the level of {@code m} on a
 * clean trace hints at the task's difficulty.
 */
public final class LearnedSelfEvaluator implements SelfEvaluator {
  /** The L2 penalty of the standardised weights. */
  public static final double RIDGE = 1e-3;
  /** The number of features. */
  public static final int FEATURES = 14;
  private final double[] mean;
  private final double[] scale;
  private final double[] weights;

  private LearnedSelfEvaluator(double[] mean, double[] scale, double[] weights) {
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
  }

  /** The raw features of a trace (see the class comment). */
  public static double[] features(Trace t) {
    int steps = Math.max(1, t.length());
    int tokens = Math.max(1, t.tokens());
    double m = t.logProbability() / steps;
    double lm = Math.log(1e-3 - m);
    double lp = t.logProbability();
    double f = t.finished() ? 1 : 0;
    double smallest = 0;
    for (double step : t.stepLogProbabilities()) {
      smallest = Math.min(smallest, step);
    }
    double last = t.length() == 0 ? 0 : t.stepLogProbabilities().get(t.length() - 1);
    return new double[] {m, m * m, lm, lp / tokens, lp, t.length(), smallest, last, f, f * m, f * m * m, f * lm, f * lp,
        f * smallest};
  }

  /** The intercept followed by the weights of the standardised features. */
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double score(Task task, Trace partialOrFinished) {
    double[] x = features(partialOrFinished);
    double z = weights[0];
    for (int j = 0; j < FEATURES; j++) {
      z += weights[j + 1] * (x[j] - mean[j]) / scale[j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Fits the evaluator on {@code samplesPerTask} samples of each task. Task j's sample i uses
   * {@code Rng.stream(mix64(seed + j), 2i)} and its fresh opponent {@code Rng.stream(mix64(seed + j), 2i + 1)}.
   */
  public static LearnedSelfEvaluator train(List<Task> tasks, int samplesPerTask, long seed) {
    if (tasks == null || tasks.isEmpty()) {
      throw BadInputException.of("learned self-evaluator: training tasks", tasks == null ? null : "[]", "at least one task");
    }
    BadInputException.requireAtLeast("learned self-evaluator: samples per task", samplesPerTask, 1);
    List<double[]> rows = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    for (int j = 0; j < tasks.size(); j++) {
      Task task = tasks.get(j);
      long base = Rng.mix64(seed + j);
      for (int i = 0; i < samplesPerTask; i++) {
        Rng rng = Rng.stream(base, 2L * i);
        List<Trace> prefixes = new ArrayList<>();
        Trace t = task.start();
        while (!t.finished()) {
          t = task.step(t, 1, rng);
          prefixes.add(t);
        }
        boolean fresh = task.correct(task.sample(1, Rng.stream(base, 2L * i + 1)));
        double label = task.correct(t) || !fresh ? 1 : 0;
        for (Trace p : prefixes) {
          rows.add(features(p));
          labels.add(label);
        }
      }
    }
    return fit(rows, labels);
  }

  /** Standardises the features and fits the logistic regression by Newton's method. */
  static LearnedSelfEvaluator fit(List<double[]> rows, List<Double> labels) {
    int n = rows.size();
    int d = FEATURES + 1;
    double[] mean = new double[FEATURES];
    double[] scale = new double[FEATURES];
    for (double[] r : rows) {
      for (int j = 0; j < FEATURES; j++) {
        mean[j] += r[j] / n;
      }
    }
    for (double[] r : rows) {
      for (int j = 0; j < FEATURES; j++) {
        scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < FEATURES; j++) {
      scale[j] = scale[j] > 1e-24 ? Math.sqrt(scale[j]) : 1;
    }
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      x[i][0] = 1;
      for (int j = 0; j < FEATURES; j++) {
        x[i][j + 1] = (rows.get(i)[j] - mean[j]) / scale[j];
      }
    }
    double[] w = new double[d];
    for (int iteration = 0; iteration < 100; iteration++) {
      double[] gradient = new double[d];
      double[][] hessian = new double[d][d];
      for (int i = 0; i < n; i++) {
        double z = 0;
        for (int j = 0; j < d; j++) {
          z += w[j] * x[i][j];
        }
        double p = 1 / (1 + Math.exp(-z));
        double v = Math.max(p * (1 - p), 1e-12);
        for (int a = 0; a < d; a++) {
          gradient[a] += (labels.get(i) - p) * x[i][a];
          for (int b = 0; b < d; b++) {
            hessian[a][b] += v * x[i][a] * x[i][b];
          }
        }
      }
      for (int a = 1; a < d; a++) {
        gradient[a] -= RIDGE * n * w[a];
        hessian[a][a] += RIDGE * n;
      }
      hessian[0][0] += 1e-9 * n;
      double[] delta = LinearSystems.solve(hessian, gradient, d);
      double size = 0;
      for (int j = 0; j < d; j++) {
        w[j] += delta[j];
        size = Math.max(size, Math.abs(delta[j]));
      }
      if (size < 1e-10) {
        break;
      }
    }
    return new LearnedSelfEvaluator(mean, scale, w);
  }
}
