package org.fewstep.constrain.sample;

import java.util.function.IntPredicate;
import org.fewstep.constrain.ConstraintState;
import org.fewstep.core.Rng;
import org.fewstep.core.math.SumTree;
import org.fewstep.core.math.Softmax;

/**
 * Adaptive weighted rejection sampling of one token (Lipkin, LeBrun et al. 2025, decoding.md 7(b),
 * the paper's estimator). Local target pi(x) proportional to phi(x) c(x), with phi the next-token
 * weights and c the constraint. Pass 1 visits the tokens in the order of Gumbel keys
 * {@code log phi(x) + G_x} (an exact draw without replacement) and tests {@code c} until one passes:
 * that token is an exact draw from pi, found after a handful of tests instead of a full mask. Pass 2
 * visits V minus the rejected set R1 in a fresh key order until a token passes, rejecting R2. The
 * weight
 * <pre>  log w = log Z_phi + log(1 - sum_{r in R1} p(r)) - log(|R1| + |R2| + 1)</pre>
 * is properly weighted: E[w 1{x = a}] = Z_phi p(a) c(a), so E[w] is the local normaliser
 * sum_x phi(x) c(x) that SMC needs (decoding.md 7(b) "Use inside SMC"). Here
 * {@code Z_phi (1 - sum_{R1} p) = phi(V \ R1)} is summed directly over the unrejected tokens, which
 * keeps it exact when the rejected mass is close to 1. When no token passes the draw has no token and
 * weight 0 ({@code -Infinity}).
 *
 * <p>Visiting orders are drawn one token at a time from a {@link SumTree} of the weights: repeated
 * draws without replacement give the Plackett-Luce order, the law of the Gumbel key order, for one
 * pass over the vocabulary per pass and O(log |V|) per visited token. Tokens of weight zero are never
 * visited. Every call of {@link ConstraintState#allows} counts
 * as an evaluation, the accepted token's second test in pass 2 included (as test vector C counts).
 * Not thread-safe (one workspace); reuse one instance per thread.
 */
public final class Awrs {
  /**
   * One weighted draw.
   *
   * @param token       the accepted token, or -1 when no token passes (weight 0)
   * @param logWeight   natural log of the weight w ({@code -Infinity} when no token passes)
   * @param evaluations number of constraint tests made, both passes
   * @param rejected    |R1|, the tokens rejected before the accepted one in pass 1
   */
  public record Draw(int token, double logWeight, int evaluations, int rejected) {
    /** Whether a token passed the constraint. */
    public boolean accepted() {
      return token >= 0;
    }
  }

  private double[] work = new double[0];
  private double[] sums = new double[0];

  /**
   * One draw from the weights {@code logWeights} (natural-log phi, {@code -Infinity} = impossible;
   * pass log-probabilities for Z_phi = 1) under the constraint state {@code state}.
   */
  public Draw sample(double[] logWeights, ConstraintState state, Rng rng) {
    return sample(logWeights, state::allows, rng);
  }

  /** As {@link #sample(double[], ConstraintState, Rng)} with the constraint as a token predicate. */
  public Draw sample(double[] logWeights, IntPredicate allows, Rng rng) {
    int n = logWeights.length;
    double max = Softmax.max("log weights", logWeights, n); // NaN and no-possible-token checks
    if (work.length < n) {
      work = new double[n];
      sums = new double[n];
    }
    System.arraycopy(logWeights, 0, work, 0, n);
    return run(logWeights, allows, new TreeOrder(work, n, max, rng), () -> new TreeOrder(work, n, max, rng));
  }

  /**
   * The estimator as a pure function of the two visiting orders (decoding.md 0.3): tests enumerate
   * orders with their Plackett-Luce probabilities and get exact expectations. {@code firstOrder}
   * lists the tokens of positive weight in pass-1 order (visited until one passes), {@code secondOrder}
   * those outside the pass-1 rejections in pass-2 order; tokens absent from an order are not visited.
   */
  public static Draw estimate(double[] logWeights, IntPredicate allows, int[] firstOrder, int[] secondOrder) {
    Awrs a = new Awrs();
    a.work = logWeights.clone();
    a.sums = new double[logWeights.length];
    return a.run(logWeights, allows, new ArrayOrder(firstOrder), () -> new ArrayOrder(secondOrder));
  }

  /** A source of tokens in visiting order; -1 when exhausted. */
  private interface Order {
    int next();
  }

  /**
   * Both passes. {@code work} holds a copy of the weights; the first pass marks rejected tokens
   * {@code -Infinity} in it, so it then holds phi restricted to V \ R1 for the weight and pass 2.
   */
  private Draw run(double[] logWeights, IntPredicate allows, Order first, java.util.function.Supplier<Order> second) {
    int evaluations = 0;
    int rejected = 0;
    int token = -1;
    for (int t = first.next(); t >= 0; t = first.next()) {
      evaluations++;
      if (allows.test(t)) {
        token = t;
        break;
      }
      rejected++;
      work[t] = Double.NEGATIVE_INFINITY;
    }
    if (token < 0) {
      return new Draw(-1, Double.NEGATIVE_INFINITY, evaluations, rejected);
    }
    // phi(V \ R1) before pass 2 touches the workspace
    int n = logWeights.length;
    double logRemaining = Softmax.logSumExp("unrejected log weights", work, n, sums);
    int secondRejected = 0;
    Order order = second.get();
    for (int t = order.next(); t >= 0; t = order.next()) {
      evaluations++;
      if (allows.test(t)) {
        break;
      }
      secondRejected++;
    }
    double logWeight = logRemaining - Math.log(rejected + secondRejected + 1.0);
    return new Draw(token, logWeight, evaluations, rejected);
  }

  /** Given orders (for exact enumeration). */
  private static final class ArrayOrder implements Order {
    private final int[] order;
    private int i;

    ArrayOrder(int[] order) {
      this.order = order;
    }

    @Override
    public int next() {
      return i < order.length ? order[i++] : -1;
    }
  }

  /**
   * The Plackett-Luce order over the weights {@code exp(keys - shift)} (the law of the Gumbel key
   * order), drawn one token at a time from a {@link SumTree}: O(n) to build, O(log n) per token, so a
   * pass that stops after a few tokens costs one pass over the vocabulary.
   */
  private static final class TreeOrder implements Order {
    private final SumTree tree;
    private final Rng rng;

    TreeOrder(double[] keys, int n, double shift, Rng rng) {
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        weights[i] = Math.exp(keys[i] - shift);
      }
      this.tree = new SumTree(weights, n);
      this.rng = rng;
    }

    @Override
    public int next() {
      int t = tree.sample(rng);
      if (t >= 0) {
        tree.set(t, 0);
      }
      return t;
    }
  }
}
