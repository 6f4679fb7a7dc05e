package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.rl.AdditionReasoner;
import org.fewstep.data.rl.AdditionReasoner.Problem;
import org.fewstep.data.rl.AdditionReasoner.Response;
import org.fewstep.data.rl.GvmAllocation;
import org.fewstep.data.rl.Raft;
import org.fewstep.data.rl.Raft.Allocation;

/**
 * GVM vs uniform allocation in RAFT (Yao et al., arXiv 2505.02391; discrete-and-data.md section 9 (d)):
 * an {@link AdditionReasoner} starting from its DIRECT habit is trained by {@link Raft} on a set of sums and
 * evaluated exactly (mean success probability) on those and on held-out sums. Every arm draws the same
 * number of responses per iteration; GVM's n0 = 8 estimation draws per prompt count against it (and are
 * reused as E-step data, arm "gvm"; not reused, arm "gvm-no-reuse"). Also measured, at the starting policy
 * and at the policy after the uniform arm's last iteration (first seed):
 * the variance (trace of the covariance, over repeated E-steps) of the SFT gradient estimate under the
 * uniform and the GVM split of the same E-step budget, the proxy {@code sum G^2/(n p)} GVM minimises (over
 * the prompts with {@code G p > 0} of the 8-draw estimate; for GVM at its unrounded counts {@code N w_i}), and
 * the squared norm of the estimator's mean (the signal). A reference arm "uniform-x8" draws 8 times the budget.
 */
public final class GvmExperiment {
  private GvmExperiment() {}

  /** The budget multiple of the reference arm "uniform-x8" (not an equal-budget arm: it shows whether more
   * samples, however allocated, would help at all). */
  public static final int CEILING = 8;

  /**
   * @param trainPrompts    training sums
   * @param heldOutPrompts  held-out sums
   * @param iterations      EM iterations
   * @param budgetPerPrompt responses per prompt per iteration, estimation included
   * @param n0              GVM estimation draws per prompt
   * @param learningRate    M-step step size
   * @param mSteps          M-step gradient steps per iteration
   * @param varianceRepeats repeated E-steps for the gradient variance
   * @param problemSeed     seed of the problem sets
   * @param seeds           training seeds (one run per arm and seed)
   */
  public record Settings(int trainPrompts, int heldOutPrompts, int iterations, int budgetPerPrompt, int n0,
      double learningRate, int mSteps, int varianceRepeats, long problemSeed, long[] seeds) {
    public Settings {
      BadInputException.requireAtLeast("trainPrompts", trainPrompts, 1);
      BadInputException.requireAtLeast("heldOutPrompts", heldOutPrompts, 1);
      BadInputException.requireAtLeast("varianceRepeats", varianceRepeats, 2);
      BadInputException.requireAtLeast("seeds", seeds.length, 1);
      seeds = seeds.clone();
    }

    /** The full run: 64 + 64 sums, 10 iterations of 16 responses per prompt, n0 = 8, 8 seeds. */
    public static Settings defaults() {
      return new Settings(64, 64, 10, 16, 8, 0.25, 16, 400, 2026, new long[] {1, 2, 3, 4, 5, 6, 7, 8});
    }
  }

  /** One arm at one iteration, averaged over the seeds (standard deviations across seeds). */
  public record Row(String arm, int iteration, double samplesPerPrompt, double trainAccuracy, double trainSd,
      double heldOutAccuracy, double heldOutSd) {}

  /**
   * The gradient variance at one policy ({@code where}) for the E-step budget split uniformly and by GVM.
   */
  public record Variance(String where, double uniformEmpirical, double gvmEmpirical, double uniformProxy, double gvmProxy,
      double uniformSignal, double gvmSignal) {}

  /** All rows and the variance measurement. */
  public record Result(Settings settings, List<Row> rows, List<Variance> variances) {
    /** The variance at the starting policy. */
    public Variance variance() {
      return variances.get(0);
    }

    /** A markdown table: accuracy per arm and iteration, then the variance. */
    public String markdown() {
      StringBuilder b = new StringBuilder();
      b.append("| arm | iteration | samples / prompt | train accuracy | held-out accuracy |\n");
      b.append("|---|---:|---:|---:|---:|\n");
      for (Row r : rows) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.4f ± %.4f | %.4f ± %.4f |%n", r.arm(), r.iteration(),
            r.samplesPerPrompt(), r.trainAccuracy(), r.trainSd(), r.heldOutAccuracy(), r.heldOutSd()));
      }
      b.append("\n| policy | allocation of the E-step budget | gradient variance (empirical) | sum G^2/(n p) |"
          + " squared norm of the mean gradient |\n|---|---|---:|---:|---:|\n");
      for (Variance v : variances) {
        b.append(String.format(Locale.ROOT, "| %s | uniform | %.5f | %.2f | %.4f |%n", v.where(), v.uniformEmpirical(),
            v.uniformProxy(), v.uniformSignal()));
        b.append(String.format(Locale.ROOT, "| %s | gvm | %.5f | %.2f | %.4f |%n", v.where(), v.gvmEmpirical(), v.gvmProxy(),
            v.gvmSignal()));
      }
      return b.toString();
    }

    /** CSV: arm, iteration, samples per prompt, accuracies and their standard deviations. */
    public String csv() {
      StringBuilder b = new StringBuilder("arm,iteration,samples_per_prompt,train_accuracy,train_sd,heldout_accuracy,heldout_sd\n");
      for (Row r : rows) {
        b.append(String.format(Locale.ROOT, "%s,%d,%.1f,%.6f,%.6f,%.6f,%.6f%n", r.arm(), r.iteration(), r.samplesPerPrompt(),
            r.trainAccuracy(), r.trainSd(), r.heldOutAccuracy(), r.heldOutSd()));
      }
      return b.toString();
    }

    /** The mean training accuracy of {@code arm} after {@code iteration}. */
    public double trainAccuracy(String arm, int iteration) {
      return find(arm, iteration).trainAccuracy();
    }

    /** The mean held-out accuracy of {@code arm} after {@code iteration}. */
    public double heldOutAccuracy(String arm, int iteration) {
      return find(arm, iteration).heldOutAccuracy();
    }

    private Row find(String arm, int iteration) {
      return rows.stream().filter(r -> r.arm().equals(arm) && r.iteration() == iteration).findFirst()
          .orElseThrow(() -> BadInputException.of("arm/iteration", arm + "/" + iteration, "one of the result's rows"));
    }
  }

  /** Runs the experiment. */
  public static Result run(Settings s) {
    List<Problem> all = AdditionReasoner.problems(s.trainPrompts() + s.heldOutPrompts(), s.problemSeed());
    List<Problem> train = all.subList(0, s.trainPrompts());
    List<Problem> heldOut = all.subList(s.trainPrompts(), all.size());
    AdditionReasoner start = AdditionReasoner.initial();
    GvmAllocation.Settings gvm = GvmAllocation.Settings.defaults();
    Raft.Settings reuse = new Raft.Settings(s.iterations(), s.budgetPerPrompt(), s.n0(), true, s.learningRate(), s.mSteps(), gvm);
    Raft.Settings noReuse = new Raft.Settings(s.iterations(), s.budgetPerPrompt(), s.n0(), false, s.learningRate(), s.mSteps(), gvm);
    List<Row> rows = new ArrayList<>();
    List<Raft.Iteration> first = Raft.train(start, train, heldOut, Allocation.UNIFORM, reuse, s.seeds()[0]);
    AdditionReasoner end = first.get(first.size() - 1).policy();
    rows.addAll(arm("uniform", start, train, heldOut, Allocation.UNIFORM, reuse, s));
    rows.addAll(arm("gvm", start, train, heldOut, Allocation.GVM, reuse, s));
    rows.addAll(arm("gvm-no-reuse", start, train, heldOut, Allocation.GVM, noReuse, s));
    Raft.Settings large = new Raft.Settings(s.iterations(), CEILING * s.budgetPerPrompt(), s.n0(), true, s.learningRate(),
        s.mSteps(), gvm);
    rows.addAll(arm("uniform-x" + CEILING, start, train, heldOut, Allocation.UNIFORM, large, s));
    return new Result(s, rows, List.of(variance("start", start, train, s),
        variance("uniform, iteration " + s.iterations(), end, train, s)));
  }

  private static List<Row> arm(String name, AdditionReasoner start, List<Problem> train, List<Problem> heldOut, Allocation a,
      Raft.Settings rs, Settings s) {
    int k = s.seeds().length;
    double[][] tr = new double[s.iterations() + 1][k];
    double[][] ho = new double[s.iterations() + 1][k];
    double[] drawn = new double[s.iterations() + 1];
    for (int j = 0; j < k; j++) {
      List<Raft.Iteration> its = Raft.train(start, train, heldOut, a, rs, s.seeds()[j]);
      for (Raft.Iteration it : its) {
        tr[it.iteration()][j] = it.trainAccuracy();
        ho[it.iteration()][j] = it.heldOutAccuracy();
        drawn[it.iteration()] = it.samplesDrawn() / (double) train.size();
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t <= s.iterations(); t++) {
      rows.add(new Row(name, t, drawn[t], mean(tr[t]), sd(tr[t]), mean(ho[t]), sd(ho[t])));
    }
    return rows;
  }

  /** Gradient variance at {@code policy}, E-step budget (budgetPerPrompt - n0) * m split both ways. */
  private static Variance variance(String where, AdditionReasoner policy, List<Problem> train, Settings s) {
    int m = train.size();
    Rng rng = Rng.stream(s.problemSeed(), 0x6A4DL);
    Raft.Estimate e = Raft.estimate(policy, train, s.n0(), rng);
    int budget = (s.budgetPerPrompt() - s.n0()) * m;
    int[] uniform = GvmAllocation.uniform(m, budget);
    int[] gvm = GvmAllocation.allocate(e.gradNorms(), e.acceptRates(), budget, GvmAllocation.Settings.defaults());
    double[] u = empirical(policy, train, uniform, s.varianceRepeats(), rng);
    double[] v = empirical(policy, train, gvm, s.varianceRepeats(), rng);
    return new Variance(where, u[0], v[0],
        GvmAllocation.varianceProxy(e.gradNorms(), e.acceptRates(), toDouble(uniform)),
        GvmAllocation.varianceProxy(e.gradNorms(), e.acceptRates(), scaled(
            GvmAllocation.ratios(e.gradNorms(), e.acceptRates(), budget, GvmAllocation.Settings.defaults()), budget)),
        u[1], v[1]);
  }

  /** {trace of the covariance of the SFT gradient over repeated E-steps, squared norm of its mean}. */
  private static double[] empirical(AdditionReasoner policy, List<Problem> train, int[] counts, int repeats, Rng rng) {
    int d = AdditionReasoner.PARAMETERS;
    double[] sum = new double[d];
    double[] sumSq = new double[d];
    for (int r = 0; r < repeats; r++) {
      List<List<Response>> data = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        data.add(new ArrayList<>());
      }
      Raft.eStep(policy, train, counts, rng, data);
      double[] g = Raft.sftGradient(policy, train, data);
      for (int q = 0; q < d; q++) {
        sum[q] += g[q];
        sumSq[q] += g[q] * g[q];
      }
    }
    double v = 0;
    double signal = 0;
    for (int q = 0; q < d; q++) {
      double mean = sum[q] / repeats;
      v += (sumSq[q] - repeats * mean * mean) / (repeats - 1);
      signal += mean * mean;
    }
    return new double[] {v, signal};
  }

  private static double[] scaled(double[] ratios, int budget) {
    double[] out = new double[ratios.length];
    for (int i = 0; i < ratios.length; i++) {
      out[i] = ratios[i] * budget;
    }
    return out;
  }

  private static double[] toDouble(int[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double sd(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }

  /**
   * Prints the full run's markdown; two optional arguments override the M-step's learning rate and steps
   * (e.g. {@code 4 1}: one large gradient step per iteration instead of an SFT fit).
   */
  public static void main(String[] args) {
    Settings d = Settings.defaults();
    if (args.length >= 2) {
      d = new Settings(d.trainPrompts(), d.heldOutPrompts(), d.iterations(), d.budgetPerPrompt(), d.n0(),
          Double.parseDouble(args[0]), Integer.parseInt(args[1]), d.varianceRepeats(), d.problemSeed(), d.seeds());
    }
    System.out.print(run(d).markdown());
  }
}
