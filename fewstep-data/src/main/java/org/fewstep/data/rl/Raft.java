package org.fewstep.data.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.rl.AdditionReasoner.Problem;
import org.fewstep.data.rl.AdditionReasoner.Response;

/**
 * RAFT / EM training of an {@link AdditionReasoner} with GVM or uniform sample allocation (Yao et al.,
 * arXiv 2505.02391, Alg. 1-2; reference scripts RLHFlow/GVM {@code em/run_em.sh}). Each iteration:
 * <ol>
 *   <li>Estimation (GVM only): {@code n0} draws per prompt; {@code p_i} = accepted / n0 and {@code G_i} =
 *       mean of {@code ||grad(-log p_theta(y | x_i))||_2} over the accepted draws (0 if none);
 *       {@link GvmAllocation#allocate} then splits the remaining budget (uniformly in the rare iteration where
 *       no prompt had an accepted draw, where the rule is undefined).
 *   <li>E-step: draw {@code n_i} responses per prompt with the current policy; keep the verified ones.
 *   <li>M-step (SFT): {@code mSteps} full-batch gradient steps on the loss averaged over each prompt's
 *       accepted responses, then over the prompts that have any.
 * </ol>
 * Budget accounting: every iteration draws {@code budgetPerPrompt * m} responses under either allocation.
 * Under GVM the {@code n0 * m} estimation draws are part of it and, with {@code reuseEstimation}, their
 * accepted responses join the E-step data; the allocated budget is {@code (budgetPerPrompt - n0) * m}.
 */
public final class Raft {
  private Raft() {}

  /**
   * How the per-iteration budget is spread. {@code GVM_ORACLE} is not the paper's method but its ceiling: the
   * GVM rule fed the exact acceptance rates ({@link AdditionReasoner#successProbability}) and gradient norms
   * from {@link #ORACLE_DRAWS} draws per prompt that are neither counted nor used as data, the whole budget
   * going to the E-step.
   */
  public enum Allocation { UNIFORM, GVM, GVM_ORACLE }

  /** Draws per prompt behind the oracle's gradient norms (free: not counted, not training data). */
  public static final int ORACLE_DRAWS = 64;

  /**
   * @param iterations      EM iterations (10 in the scripts)
   * @param budgetPerPrompt responses drawn per prompt per iteration on average, estimation included
   * @param n0              GVM estimation draws per prompt (8 in the scripts), less than budgetPerPrompt
   * @param reuseEstimation whether GVM's estimation draws are also E-step data
   * @param learningRate    M-step step size
   * @param mSteps          M-step gradient steps per iteration
   * @param gvm             the allocation rule's constants
   */
  public record Settings(int iterations, int budgetPerPrompt, int n0, boolean reuseEstimation, double learningRate,
      int mSteps, GvmAllocation.Settings gvm) {
    public Settings {
      BadInputException.requireAtLeast("iterations", iterations, 1);
      BadInputException.requireAtLeast("n0", n0, 1);
      BadInputException.requireAtLeast("budgetPerPrompt", budgetPerPrompt, n0 + 1);
      BadInputException.requirePositive("learningRate", learningRate);
      BadInputException.requireAtLeast("mSteps", mSteps, 1);
      Objects.requireNonNull(gvm, "gvm");
    }
  }

  /** The estimation stage's output: acceptance rates, gradient norms, and the accepted draws. */
  public record Estimate(double[] acceptRates, double[] gradNorms, List<List<Response>> accepted) {}

  /** After one iteration: samples drawn so far, exact accuracies, the allocation used and the policy reached. */
  public record Iteration(int iteration, long samplesDrawn, double trainAccuracy, double heldOutAccuracy, int[] counts,
      AdditionReasoner policy) {}

  /** Estimation stage: {@code n0} draws per prompt; p = accepted / n0, G = mean gradient norm of the accepted. */
  public static Estimate estimate(AdditionReasoner policy, List<Problem> prompts, int n0, Rng rng) {
    BadInputException.requireAtLeast("n0", n0, 1);
    int m = prompts.size();
    double[] p = new double[m];
    double[] g = new double[m];
    List<List<Response>> kept = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      Problem x = prompts.get(i);
      List<Response> ok = new ArrayList<>();
      double norms = 0;
      for (int k = 0; k < n0; k++) {
        Response y = policy.sample(x, rng);
        if (x.correct(y)) {
          ok.add(y);
          norms += norm(policy.negLogProbabilityGradient(x, y));
        }
      }
      p[i] = ok.size() / (double) n0;
      g[i] = ok.isEmpty() ? 0 : norms / ok.size();
      kept.add(ok);
    }
    return new Estimate(p, g, kept);
  }

  /** E-step: {@code counts[i]} draws for prompt i, the verified ones kept (appended to {@code into}). */
  public static void eStep(AdditionReasoner policy, List<Problem> prompts, int[] counts, Rng rng, List<List<Response>> into) {
    for (int i = 0; i < prompts.size(); i++) {
      Problem x = prompts.get(i);
      for (int k = 0; k < counts[i]; k++) {
        Response y = policy.sample(x, rng);
        if (x.correct(y)) {
          into.get(i).add(y);
        }
      }
    }
  }

  /**
   * The SFT loss gradient: mean over prompts with accepted responses of the mean over them of
   * {@code grad(-log p_theta(y | x_i))}; all zeros when nothing was accepted.
   */
  public static double[] sftGradient(AdditionReasoner policy, List<Problem> prompts, List<List<Response>> accepted) {
    double[] g = new double[policy.parameterCount()];
    int used = 0;
    for (List<Response> a : accepted) {
      used += a.isEmpty() ? 0 : 1;
    }
    for (int i = 0; i < prompts.size(); i++) {
      List<Response> a = accepted.get(i);
      for (Response y : a) {
        policy.addNegLogProbabilityGradient(prompts.get(i), y, 1.0 / (a.size() * (double) used), g);
      }
    }
    return g;
  }

  /** Trains {@code start} on {@code train}, reporting exact accuracies after each iteration (iteration 0: the start). */
  public static List<Iteration> train(AdditionReasoner start, List<Problem> train, List<Problem> heldOut, Allocation allocation,
      Settings s, long seed) {
    Objects.requireNonNull(allocation, "allocation");
    int m = train.size();
    BadInputException.requireAtLeast("training prompts", m, 1);
    Rng rng = new Rng(seed);
    AdditionReasoner policy = start;
    List<Iteration> out = new ArrayList<>();
    long drawn = 0;
    out.add(new Iteration(0, 0, policy.accuracy(train), policy.accuracy(heldOut), new int[m], policy));
    for (int t = 1; t <= s.iterations(); t++) {
      List<List<Response>> data = new ArrayList<>(m);
      for (int i = 0; i < m; i++) {
        data.add(new ArrayList<>());
      }
      int[] counts;
      if (allocation == Allocation.UNIFORM) {
        counts = GvmAllocation.uniform(m, s.budgetPerPrompt() * m);
      } else if (allocation == Allocation.GVM_ORACLE) {
        Estimate e = estimate(policy, train, ORACLE_DRAWS, rng);
        double[] p = new double[m];
        for (int i = 0; i < m; i++) {
          p[i] = policy.successProbability(train.get(i));
        }
        int budget = s.budgetPerPrompt() * m;
        counts = hasWeight(new Estimate(p, e.gradNorms(), e.accepted()))
            ? GvmAllocation.allocate(e.gradNorms(), p, budget, s.gvm()) : GvmAllocation.uniform(m, budget);
      } else {
        Estimate e = estimate(policy, train, s.n0(), rng);
        drawn += (long) s.n0() * m;
        int budget = (s.budgetPerPrompt() - s.n0()) * m;
        counts = hasWeight(e) ? GvmAllocation.allocate(e.gradNorms(), e.acceptRates(), budget, s.gvm())
            : GvmAllocation.uniform(m, budget);
        if (s.reuseEstimation()) {
          for (int i = 0; i < m; i++) {
            data.get(i).addAll(e.accepted().get(i));
          }
        }
      }
      eStep(policy, train, counts, rng, data);
      for (int c : counts) {
        drawn += c;
      }
      for (int k = 0; k < s.mSteps(); k++) {
        policy = policy.moved(-s.learningRate(), sftGradient(policy, train, data));
      }
      out.add(new Iteration(t, drawn, policy.accuracy(train), policy.accuracy(heldOut), counts, policy));
    }
    return out;
  }

  private static boolean hasWeight(Estimate e) {
    for (int i = 0; i < e.acceptRates().length; i++) {
      if (e.acceptRates()[i] > 0 && e.gradNorms()[i] > 0) {
        return true;
      }
    }
    return false;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
