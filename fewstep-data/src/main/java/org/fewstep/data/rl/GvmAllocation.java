package org.fewstep.data.rl;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * GVM sample allocation (Yao et al., "Optimizing Chain-of-Thought Reasoners via Gradient Variance
 * Minimization in Rejection Sampling and RL", arXiv 2505.02391, Prop. 1 and Alg. 2; reference code
 * RLHFlow/GVM {@code em/stage_2_calc_sample_size.py}): a budget of {@code N} responses is split over the
 * prompts so as to minimise the variance {@code sum_i G_i^2 / (n_i p_i)} of the per-prompt-averaged
 * gradient, where {@code p_i} is the prompt's acceptance rate and {@code G_i} the mean gradient norm of its
 * accepted responses.
 *
 * <p>Weights (Alg. 2): {@code w_i = G_i / sqrt(p_i + alpha / p_i^(beta - 1))}, and {@code w_i = 0} when
 * {@code G_i = 0} or {@code p_i = 0}; defaults alpha = 1e-3, beta = 2. With alpha = 0 this is the
 * unconstrained optimum {@code n_i ∝ G_i / sqrt(p_i)}; the regulariser turns the weight of hard prompts
 * down below {@code p = alpha^(1/beta)} (for beta = 2, {@code sqrt(alpha)}). The weights are normalised,
 * then two optional filters zero some of them: prompts with {@code p_i > filterThreshold} (default 1, none)
 * and prompts whose expected accepted count {@code p_i w_i N} is below {@code filterInsufficient} (default 0,
 * none); the survivors are renormalised. Integer counts: {@code n_i = round(N w_i)} (half to even, as
 * NumPy), then +1 on the largest residuals (or -1 on the smallest) until {@code sum n_i = N} exactly, so
 * {@code |n_i - N w_i| < 1}; ties go to the lower index.
 *
 * <p>Differences from the reference: its filter switch is {@code filter_threshold > 0} with default 0, so
 * a threshold of exactly 0 cannot be asked for; here the default is 1 and every threshold in [0, 1] is
 * applied as written. When every weight is zero (nothing accepted anywhere, or everything filtered) the
 * reference divides by zero and writes NaN ratios; here that is a {@link BadInputException}.
 */
public final class GvmAllocation {
  private GvmAllocation() {}

  /**
   * The rule's constants.
   *
   * @param alpha              regulariser weight, >= 0 (default 1e-3)
   * @param beta               regulariser exponent, finite (default 2)
   * @param filterThreshold    prompts with acceptance rate above it get no samples (default 1: none dropped)
   * @param filterInsufficient prompts with expected accepted count {@code p w N} below it get none (default 0)
   */
  public record Settings(double alpha, double beta, double filterThreshold, double filterInsufficient) {
    public Settings {
      if (!(alpha >= 0) || Double.isInfinite(alpha)) {
        throw BadInputException.of("alpha", alpha, "a finite number >= 0");
      }
      BadInputException.requireFinite("beta", beta);
      BadInputException.requireFinite("filterThreshold", filterThreshold);
      if (!(filterInsufficient >= 0) || Double.isInfinite(filterInsufficient)) {
        throw BadInputException.of("filterInsufficient", filterInsufficient, "a finite number >= 0");
      }
    }

    /** alpha = 1e-3, beta = 2, no filters: the paper's and scripts' defaults. */
    public static Settings defaults() {
      return new Settings(1e-3, 2, 1.0, 0);
    }

    /** These settings with another alpha. */
    public Settings withAlpha(double a) {
      return new Settings(a, beta, filterThreshold, filterInsufficient);
    }
  }

  /** The unnormalised weights {@code G / sqrt(p + alpha / p^(beta-1))}, 0 where G or p is 0. */
  public static double[] weights(double[] gradNorms, double[] acceptRates, Settings settings) {
    check(gradNorms, acceptRates);
    double[] w = new double[gradNorms.length];
    for (int i = 0; i < w.length; i++) {
      double g = gradNorms[i];
      double p = acceptRates[i];
      w[i] = g == 0 || p == 0 ? 0 : g / Math.sqrt(p + settings.alpha() / Math.pow(p, settings.beta() - 1));
    }
    return w;
  }

  /**
   * The allocation ratios (summing to 1): normalised weights after the two filters, which need the budget
   * {@code budget} for the expected accepted count.
   */
  public static double[] ratios(double[] gradNorms, double[] acceptRates, int budget, Settings settings) {
    BadInputException.requireAtLeast("budget", budget, 0);
    double[] w = normalise(weights(gradNorms, acceptRates, settings));
    for (int i = 0; i < w.length; i++) {
      double p = acceptRates[i];
      if (p > settings.filterThreshold() || p * w[i] * budget < settings.filterInsufficient()) {
        w[i] = 0;
      }
    }
    return normalise(w);
  }

  /** The GVM sample counts: non-negative, summing to {@code budget} exactly. */
  public static int[] allocate(double[] gradNorms, double[] acceptRates, int budget, Settings settings) {
    return integerise(ratios(gradNorms, acceptRates, budget, settings), budget);
  }

  /** The uniform allocation of vanilla RAFT: {@code budget / prompts} each, the remainder to the first prompts. */
  public static int[] uniform(int prompts, int budget) {
    BadInputException.requireAtLeast("prompts", prompts, 1);
    BadInputException.requireAtLeast("budget", budget, 0);
    int[] n = new int[prompts];
    for (int i = 0; i < prompts; i++) {
      n[i] = budget / prompts + (i < budget % prompts ? 1 : 0);
    }
    return n;
  }

  /**
   * Largest-remainder integerisation of {@code ratios} (non-negative, summing to 1) into counts summing to
   * {@code budget}: nearest integers (half to even), then the shortfall or excess fixed on the largest
   * (smallest) residuals {@code budget * r_i - n_i}, ties to the lower index.
   */
  public static int[] integerise(double[] ratios, int budget) {
    BadInputException.requireAtLeast("budget", budget, 0);
    if (ratios.length == 0) {
      throw BadInputException.of("ratios length", 0, "at least one prompt");
    }
    double[] scaled = new double[ratios.length];
    int[] n = new int[ratios.length];
    long total = 0;
    for (int i = 0; i < ratios.length; i++) {
      double r = ratios[i];
      if (!(r >= 0) || Double.isInfinite(r)) {
        throw BadInputException.of("ratios[" + i + "]", r, "a finite number >= 0");
      }
      scaled[i] = r * budget;
      n[i] = (int) Math.rint(scaled[i]);
      total += n[i];
    }
    long error = budget - total;
    if (Math.abs(error) > ratios.length) {
      throw BadInputException.of("ratios sum", Arrays.stream(ratios).sum(), "1 (normalised ratios)");
    }
    Integer[] order = new Integer[ratios.length];
    Arrays.setAll(order, i -> i);
    int sign = error > 0 ? 1 : -1;
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(sign * (scaled[b] - n[b]), sign * (scaled[a] - n[a]));
      return c != 0 ? c : Integer.compare(a, b);
    });
    for (int j = 0; j < Math.abs(error); j++) {
      n[order[j]] += sign;
    }
    return n;
  }

  /**
   * The variance proxy the allocation minimises, {@code sum_i G_i^2 / (n_i p_i)} over the prompts with
   * {@code G_i p_i > 0} (infinite if such a prompt gets no samples).
   */
  public static double varianceProxy(double[] gradNorms, double[] acceptRates, double[] counts) {
    check(gradNorms, acceptRates);
    if (counts.length != gradNorms.length) {
      throw BadInputException.of("counts length", counts.length, gradNorms.length + " (one per prompt)");
    }
    double v = 0;
    for (int i = 0; i < counts.length; i++) {
      double g = gradNorms[i];
      double p = acceptRates[i];
      if (g * p > 0) {
        v += counts[i] > 0 ? g * g / (counts[i] * p) : Double.POSITIVE_INFINITY;
      }
    }
    return v;
  }

  private static double[] normalise(double[] w) {
    double total = 0;
    for (double x : w) {
      total += x;
    }
    if (!(total > 0)) {
      throw new BadInputException("GVM allocation: every prompt has weight 0 (no accepted sample with a nonzero"
          + " gradient, or all filtered out): expected at least one prompt with G > 0 and p > 0");
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= total;
    }
    return w;
  }

  private static void check(double[] gradNorms, double[] acceptRates) {
    if (gradNorms.length != acceptRates.length) {
      throw BadInputException.of("acceptRates length", acceptRates.length, gradNorms.length + " (one per prompt, as gradNorms)");
    }
    if (gradNorms.length == 0) {
      throw BadInputException.of("prompts", 0, "at least one prompt");
    }
    for (int i = 0; i < gradNorms.length; i++) {
      double g = gradNorms[i];
      if (!(g >= 0) || Double.isInfinite(g)) {
        throw BadInputException.of("gradNorms[" + i + "]", g, "a finite number >= 0");
      }
      double p = acceptRates[i];
      if (!(p >= 0 && p <= 1)) {
        throw BadInputException.of("acceptRates[" + i + "]", p, "a probability in [0, 1]");
      }
    }
  }
}
