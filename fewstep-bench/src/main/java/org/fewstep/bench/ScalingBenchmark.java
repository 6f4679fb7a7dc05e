package org.fewstep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Table;
import org.fewstep.scaling.Method;
import org.fewstep.scaling.Methods;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;
import org.fewstep.scaling.coverage.PassAtK;
import org.fewstep.scaling.coverage.PowerLawFit;
import org.fewstep.scaling.search.BestOfN;

/**
 * Accuracy against budget for test-time scaling methods on a task set with honest verifiers
 * ({@code fewstep scale}): every method at every budget answers every problem, {@code runs} times,
 * with the same seed per (run, problem) for all methods; accuracy is the fraction answered correctly.
 * Alongside: coverage, the unbiased pass@k of the largest budget's samples, and its exponentiated
 * power-law fit (Large Language Monkeys).
 */
public final class ScalingBenchmark {
  private final List<Task> tasks;
  private final Function<Task, Prm> prm;
  private final long seed;
  private final int runs;

  /**
   * One cell: a method at a budget; {@code skipped} names why a method cannot spend that budget (its
   * numbers are then NaN), e.g. particle Gibbs with fewer particles than iterations need.
   */
  public record Result(String method, int budget, double accuracy, double generations, double tokens, double seconds,
      String skipped) {}

  /** Coverage of repeated sampling and its fit (null with fewer than two budgets of coverage strictly in (0, 1)). */
  public record Coverage(int[] ks, double[] coverage, double[] exact, PowerLawFit.Fit fit) {}

  public ScalingBenchmark(List<Task> tasks, Function<Task, Prm> prm, long seed, int runs) {
    org.fewstep.core.BadInputException.requireAtLeast("runs", runs, 1);
    this.tasks = tasks;
    this.prm = prm;
    this.seed = seed;
    this.runs = runs;
  }

  private long seedOf(int run, int problem) {
    return Rng.mix64(seed * 0x9E3779B97F4A7C15L + run * 1_000_003L + problem);
  }

  /** Every method spec at every budget. */
  public List<Result> run(List<String> specs, int[] budgets) {
    List<Result> out = new ArrayList<>();
    for (String spec : specs) {
      Method method = Methods.method(spec);
      for (int n : budgets) {
        String skipped = infeasible(method, n);
        if (skipped != null) {
          out.add(new Result(spec, n, Double.NaN, Double.NaN, Double.NaN, 0, skipped));
          continue;
        }
        long begin = System.nanoTime();
        double correct = 0;
        double generations = 0;
        double tokens = 0;
        for (int r = 0; r < runs; r++) {
          for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            Solution s = method.solve(task, prm.apply(task), n, seedOf(r, i));
            correct += task.correct(s.trace()) ? 1 : 0;
            generations += s.cost().generations();
            tokens += s.cost().tokens();
          }
        }
        double count = runs * (double) tasks.size();
        out.add(new Result(spec, n, correct / count, generations / count, tokens / count, (System.nanoTime() - begin) / 1e9,
            null));
      }
    }
    return out;
  }

  /**
   * Why {@code method} cannot spend budget {@code n}, or null: it is tried once on the first problem,
   * and a budget it refuses (a clear error about N) is a cell to skip, not a failed benchmark.
   */
  private String infeasible(Method method, int n) {
    Task task = tasks.get(0);
    try {
      method.solve(task, prm.apply(task), n, seedOf(0, 0));
      return null;
    } catch (org.fewstep.core.BadInputException e) {
      if (e.getMessage().contains("budget N")) {
        return e.getMessage();
      }
      throw e;
    }
  }

  /**
   * Coverage at each budget: the unbiased pass@k from {@code max(budgets)} samples per problem (the
   * samples best-of-N draws, run 0), the exact {@code mean(1 - (1 - p)^k)} from the tasks' success
   * probabilities, and the power-law fit of the estimate.
   */
  public Coverage coverage(int[] budgets) {
    int n = 0;
    for (int b : budgets) {
      n = Math.max(n, b);
    }
    int[] ns = new int[tasks.size()];
    int[] cs = new int[tasks.size()];
    double[] exact = new double[budgets.length];
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      ns[i] = n;
      for (Trace t : BestOfN.sample(task, n, 1, seedOf(0, i)).traces()) {
        cs[i] += task.correct(t) ? 1 : 0;
      }
      double p = task.successProbability(task.start());
      for (int j = 0; j < budgets.length; j++) {
        exact[j] += (1 - Math.pow(1 - p, budgets[j])) / tasks.size();
      }
    }
    double[] coverage = PassAtK.coverageCurve(ns, cs, budgets);
    double[] ks = new double[budgets.length];
    for (int j = 0; j < ks.length; j++) {
      ks[j] = budgets[j];
    }
    int fittable = 0;
    for (double c : coverage) {
      fittable += c > 0 && c < 1 ? 1 : 0;
    }
    return new Coverage(budgets.clone(), coverage, exact, fittable >= 2 ? PowerLawFit.fit(ks, coverage) : null);
  }

  /** Long form: method, budget, accuracy, mean generations and tokens per problem, seconds. */
  public static Table table(List<Result> results) {
    Table t = new Table("method", "budget", "accuracy", "generations", "tokens", "seconds");
    for (Result r : results) {
      if (r.skipped() == null) {
        t.add(r.method(), r.budget(), r.accuracy(), r.generations(), r.tokens(), String.format(java.util.Locale.ROOT, "%.2f",
            r.seconds()));
      }
    }
    return t;
  }

  /** Wide: one row per method, one accuracy column per budget; coverage rows first. */
  public static Table grid(List<Result> results, int[] budgets, Coverage coverage) {
    String[] columns = new String[budgets.length + 1];
    columns[0] = "method";
    for (int j = 0; j < budgets.length; j++) {
      columns[j + 1] = "N=" + budgets[j];
    }
    Table t = new Table(columns).doubleFormat("%.3f");
    if (coverage != null) {
      Object[] est = new Object[budgets.length + 1];
      Object[] ex = new Object[budgets.length + 1];
      est[0] = "coverage (pass@k)";
      ex[0] = "coverage (exact)";
      for (int j = 0; j < budgets.length; j++) {
        est[j + 1] = coverage.coverage()[j];
        ex[j + 1] = coverage.exact()[j];
      }
      t.add(est);
      t.add(ex);
    }
    Map<String, Object[]> rows = new LinkedHashMap<>();
    for (Result r : results) {
      Object[] row = rows.computeIfAbsent(r.method(), k -> {
        Object[] cells = new Object[budgets.length + 1];
        cells[0] = k;
        java.util.Arrays.fill(cells, 1, cells.length, "-");
        return cells;
      });
      for (int j = 0; j < budgets.length; j++) {
        if (budgets[j] == r.budget() && r.skipped() == null) {
          row[j + 1] = r.accuracy();
        }
      }
    }
    rows.values().forEach(t::add);
    return t;
  }

  /**
   * Accuracy against budget, one line per method (and coverage), x logarithmic, into {@code png}; and
   * accuracy against the mean tokens generated per problem into {@code png} with {@code -tokens} before
   * its extension. Returns the second file.
   */
  public static Path plot(List<Result> results, Coverage coverage, Path png, String title) {
    Map<String, List<Result>> byMethod = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.skipped() == null) {
        byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Plots.Series> byBudget = new ArrayList<>();
    List<Plots.Series> byTokens = new ArrayList<>();
    if (coverage != null) {
      double[] ks = java.util.Arrays.stream(coverage.ks()).asDoubleStream().toArray();
      byBudget.add(new Plots.Series("coverage (pass@k)", ks, coverage.coverage()));
    }
    for (Map.Entry<String, List<Result>> e : byMethod.entrySet()) {
      double[] accuracy = e.getValue().stream().mapToDouble(Result::accuracy).toArray();
      byBudget.add(new Plots.Series(e.getKey(), e.getValue().stream().mapToDouble(Result::budget).toArray(), accuracy));
      byTokens.add(new Plots.Series(e.getKey(), e.getValue().stream().mapToDouble(Result::tokens).toArray(), accuracy));
    }
    Plots.logX(png, title, "budget N (generations)", "accuracy", byBudget);
    String name = png.getFileName().toString();
    int dot = name.lastIndexOf('.');
    Path tokens = png.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + "-tokens" + (dot < 0 ? "" : name.substring(dot)));
    Plots.logX(tokens, title, "tokens generated per problem", "accuracy", byTokens);
    return tokens;
  }
}
