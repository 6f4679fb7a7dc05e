package org.fewstep.text.speculative;

import java.util.Arrays;
import java.util.Comparator;
import org.fewstep.core.BadInputException;

/**
 * The best acceptance any exact verifier can reach for a draft scheme, and the acceptance of the
 * verifiers that have a closed form (Hu et al. 2025; decoding.md 3).
 *
 * <p>For k candidates S with joint law Q, the optimal transport between p and Q with membership cost
 * has, by duality (max-flow = min-cut), the value alpha*(p, Q) = 1 - max_A [Q(S in A) - p(A)] over
 * subsets A of the vocabulary. The maximizing A is a prefix of the tokens sorted by increasing
 * p/q (tokens with q = 0 never help), so one scan over the sorted tokens finds it.
 */
public final class OptimalAcceptance {
  /** Step of the trapezoid rule in log time (its error is below 1e-14 at this step). */
  private static final double STEP = 0.2;
  /** Probability left out at each end of the integral. */
  private static final double TAIL = 1e-17;

  private OptimalAcceptance() {}

  /**
   * alpha*(p, Q) for k candidates drawn from q by {@code scheme}. IID: Q(S in A) = q(A)^k.
   * WITHOUT_REPLACEMENT: Q(S in A) is the chance that the first k arrivals of the exponential race
   * (token x arrives at Exp(q(x)), the order of sampling without replacement) are all in A, an
   * integral computed by a dynamic program over the prefix (see {@link #containedWithoutReplacement}).
   * GREEDY: the closed form p(T) + sum_{x not in T} min(p(x), q'(x)) of the greedy-md verifier,
   * which attains it. For k = 1 every scheme is one draw from q and this is 1 - TV(p, q).
   */
  public static double optimal(double[] p, double[] q, int k, DraftScheme scheme) {
    Drafts.requireLaws(p, q);
    BadInputException.requireAtLeast("k", k, 1);
    if (scheme == null) {
      throw BadInputException.of("scheme", null, "IID, WITHOUT_REPLACEMENT or GREEDY");
    }
    if (scheme == DraftScheme.GREEDY) {
      return GreedyDraftVerifier.acceptance(p, q, k);
    }
    if (scheme == DraftScheme.WITHOUT_REPLACEMENT) {
      Drafts.requireSupport(q, k, scheme);
    }
    int[] order = byRatio(p, q);
    double[] contained = scheme == DraftScheme.IID || k == 1
        ? containedIid(q, order, k)
        : containedWithoutReplacement(q, order, k);
    double best = 0; // A = {}
    double pA = 0;
    for (int i = 1; i <= order.length; i++) {
      pA += p[order[i - 1]];
      best = Math.max(best, contained[i] - pA);
    }
    return 1 - best;
  }

  /** Whether {@link #expectedAcceptance} has a closed form for {@code v}. */
  public static boolean hasClosedForm(Verifier v) {
    return v instanceof StandardVerifier || v instanceof KSeqVerifier || v instanceof GreedyDraftVerifier;
  }

  /**
   * The probability that the verifier {@code v} accepts one of k candidates drawn by its scheme,
   * where it has a closed form: standard (k = 1) sum_x min(p(x), q(x)); spectr 1 - (1 - beta(rho*))^k;
   * greedy-md p(T) + sum_{x not in T} min(p(x), q'(x)). Recursive rejection sampling (rrs, rrs-wor)
   * has none here: its acceptance depends on the draws, which tests enumerate.
   */
  public static double expectedAcceptance(Verifier v, double[] p, double[] q, int k) {
    Drafts.requireLaws(p, q);
    BadInputException.requireAtLeast("k", k, 1);
    if (v instanceof StandardVerifier) {
      if (k != 1) {
        throw BadInputException.of("k", k, "1: standard verifies one draft");
      }
      return StandardVerifier.acceptance(p, q);
    }
    if (v instanceof KSeqVerifier) {
      return KSeqVerifier.acceptance(p, q, k);
    }
    if (v instanceof GreedyDraftVerifier) {
      return GreedyDraftVerifier.acceptance(p, q, k);
    }
    throw BadInputException.of("verifier", v == null ? null : v.name(),
        "standard, spectr or greedy-md: rrs and rrs-wor have no closed-form acceptance (enumerate their draws)");
  }

  /** The tokens with q > 0 by increasing p/q. */
  private static int[] byRatio(double[] p, double[] q) {
    double[] ratio = new double[p.length];
    Integer[] ids = new Integer[p.length];
    int m = 0;
    for (int x = 0; x < p.length; x++) {
      if (q[x] > 0) {
        ratio[x] = p[x] / q[x];
        ids[m++] = x;
      }
    }
    Arrays.sort(ids, 0, m, Comparator.comparingDouble(x -> ratio[x]));
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = ids[i];
    }
    return order;
  }

  /** Q(S in A_i) = q(A_i)^k for the prefixes A_i of {@code order}. */
  private static double[] containedIid(double[] q, int[] order, int k) {
    double[] contained = new double[order.length + 1];
    double a = 0;
    for (int i = 1; i <= order.length; i++) {
      a += q[order[i - 1]];
      contained[i] = Math.pow(a, k);
    }
    return contained;
  }

  /**
   * Q(S in A_i) for k >= 2 draws without replacement, for every prefix A_i of {@code order}. Token x
   * arrives at an independent Exp(q(x)) time; the arrival order is the order of draws without
   * replacement, so Q(S in A) = E[exp(-b tau)], tau the k-th arrival in A and b = q(V \ A), the
   * chance that no token outside A arrives first. Hence Q(S in A) = integral of exp(-b t) f(t) dt
   * with f the density of tau, d/dt P(N_A(t) >= k), N_A(t) a Poisson-binomial count with success
   * probabilities 1 - exp(-q(x) t). For each time t a dynamic program over the sorted tokens carries
   * P(N = j) and its time derivative for j < k and the density, so one pass gives every prefix.
   *
   * <p>The integrand exp(-b t) f(t) is at most the density of the k-th arrival over the whole
   * vocabulary, so one time grid serves every prefix: from t_lo with P(tau <= t_lo) <= t_lo^k / k!
   * <= TAIL to t_hi where that arrival (at most a Gamma(k) time over the mass r outside the k - 1
   * most likely tokens) is later with chance below TAIL. In log time the integrand is analytic and
   * vanishes at both ends, where the trapezoid rule converges geometrically. Cost: O(|V| k) per node,
   * about 45 nodes for k = 8 and 120 for k = 2.
   */
  static double[] containedWithoutReplacement(double[] q, int[] order, int k) {
    int m = order.length;
    double[] outside = new double[m + 1]; // b_i = q(V \ A_i), summed from the end
    for (int i = m - 1; i >= 0; i--) {
      outside[i] = outside[i + 1] + q[order[i]];
    }
    double logFactorial = 0;
    for (int j = 2; j <= k; j++) {
      logFactorial += Math.log(j);
    }
    double sLo = (logFactorial + Math.log(TAIL)) / k;
    double sHi = Math.log(gammaTailPoint(k) / massOutsideLargest(q, k - 1));
    int nodes = (int) Math.ceil((sHi - sLo) / STEP) + 1;
    double[] contained = new double[m + 1];
    double[] prob = new double[k]; // P(N = j), j < k
    double[] rate = new double[k]; // d/dt P(N = j)
    for (int node = 0; node < nodes; node++) {
      double t = Math.exp(sLo + node * STEP);
      Arrays.fill(prob, 0);
      Arrays.fill(rate, 0);
      prob[0] = 1;
      double density = 0;
      for (int i = 0; i < m; i++) {
        double qx = q[order[i]];
        double x = qx * t;
        double stay = Math.exp(-x);
        double arrive = x < 1e-3 ? x * (1 - x / 2 * (1 - x / 3 * (1 - x / 4 * (1 - x / 5)))) : 1 - stay;
        double speed = qx * stay; // d arrive / dt
        density += rate[k - 1] * arrive + prob[k - 1] * speed;
        for (int j = k - 1; j > 0; j--) {
          rate[j] = rate[j] * stay + rate[j - 1] * arrive + speed * (prob[j - 1] - prob[j]);
          prob[j] = prob[j] * stay + prob[j - 1] * arrive;
        }
        rate[0] = rate[0] * stay - speed * prob[0];
        prob[0] *= stay;
        contained[i + 1] += STEP * t * Math.exp(-outside[i + 1] * t) * density;
      }
    }
    contained[m] = 1; // A holds every token of positive q, and there are at least k of them
    return contained;
  }

  /** The smallest x (in steps of 1/2) with P(Gamma(k, 1) > x) = P(Poisson(x) < k) <= TAIL. */
  private static double gammaTailPoint(int k) {
    for (double x = k; ; x += 0.5) {
      double logTerm = -x;
      double tail = 0;
      for (int j = 0; j < k; j++) {
        tail += Math.exp(logTerm);
        logTerm += Math.log(x) - Math.log(j + 1);
      }
      if (tail <= TAIL) {
        return x;
      }
    }
  }

  /** q's mass outside its {@code m} most likely tokens, summed directly (no 1 - sum cancellation). */
  private static double massOutsideLargest(double[] q, int m) {
    boolean[] top = new boolean[q.length];
    for (int t : Drafts.largest(q, m)) {
      top[t] = true;
    }
    double sum = 0;
    for (int x = 0; x < q.length; x++) {
      sum += top[x] ? 0 : q[x];
    }
    return sum;
  }
}
