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
 * <p>Besides this paper estimator ({@link Estimator#PAPER}), the official library's later estimators
 * are offered (genlm-control, {@code sampler/token.py}, described here in our words):
 * <ul>
 *   <li>{@link Estimator#RECURSIVE}: one pass. A token visited when the unvisited mass is M has
 *       conditional share q = phi(x)/M of being the first with-replacement draw, so
 *       E f = q f(x) + (1 - q) E[f | not x]: each rejection multiplies the weight by (1 - q), and at
 *       the accepted token the tail is estimated by testing the next token in the order
 *       (weight factor 1 if it passes, q if not).
 *   <li>{@link Estimator#GEOMETRIC}: replays a with-replacement run from without-replacement passes:
 *       before each visited token, Geometric(1 - rejected share) - 1 "phantom" draws land on tokens
 *       already rejected; rounds restart the key order (rejected tokens removed, accepted ones
 *       kept) until {@code maxAccepts} accepts, and the weight is Z_phi min(K - 1, A) / (A + R - 1)
 *       (inverse binomial sampling with K = maxAccepts, A accepts, R rejects).
 *   <li>{@link Estimator#AUTO}: geometric when maxAccepts > 2 or the top token has p >= 2/3 (then
 *       it needs fewer tests), recursive otherwise; the official default.
 *   <li>{@link Estimator#NONE}: pass 1 only, for decoding, where the weight is not needed.
 * </ul>
 * {@code maxRejects} caps the rejections as the official option does: a draw that reaches it gets
 * weight 0 (a bias towards killing particles, traded for time). Unlike the official code, the
 * unvisited mass is read from the visiting tree's sums rather than as 1 minus the rejected mass, so
 * a constraint that leaves only a tiny share of the mass is not cut off by a tolerance.
 *
 * <p>Visiting orders are drawn one token at a time from a {@link SumTree} of the weights: repeated
 * draws without replacement give the Plackett-Luce order, the law of the Gumbel key order, for one
 * pass over the vocabulary per pass and O(log |V|) per visited token. Tokens of weight zero are never
 * visited. Every call of {@link ConstraintState#allows} counts
 * as an evaluation, the accepted token's second test in pass 2 included (as test vector C counts).
 * Not thread-safe (one workspace); reuse one instance per thread.
 */
public final class Awrs {
  /** How the weight is estimated (see the class comment). */
  public enum Estimator {
    PAPER, RECURSIVE, GEOMETRIC, AUTO, NONE
  }

  /** Above this top-token probability AUTO picks the geometric estimator (fewer expected tests). */
  static final double GEOMETRIC_THRESHOLD = 2.0 / 3.0;

  private final Estimator estimator;
  private final int maxAccepts;
  private final int maxRejects;

  /** The paper's estimator, no cap on rejections. */
  public Awrs() {
    this(Estimator.PAPER, 2, Integer.MAX_VALUE);
  }

  /**
   * @param maxAccepts accepts the geometric estimator waits for (at least 2; more lowers variance)
   * @param maxRejects the most rejections before the draw gets weight 0 (at least 2;
   *                   {@code Integer.MAX_VALUE} for no cap)
   */
  public Awrs(Estimator estimator, int maxAccepts, int maxRejects) {
    if (estimator == null) {
      throw org.fewstep.core.BadInputException.of("estimator", null, "one of " + java.util.Arrays.toString(Estimator.values()));
    }
    this.estimator = estimator;
    this.maxAccepts = org.fewstep.core.BadInputException.requireAtLeast("maxAccepts", maxAccepts, 2);
    this.maxRejects = org.fewstep.core.BadInputException.requireAtLeast("maxRejects", maxRejects, 2);
  }

  /** The estimator this sampler uses. */
  public Estimator estimator() {
    return estimator;
  }
  /**
   * One weighted draw.
   *
   * @param token       the accepted token, or -1 when no token passes (weight 0)
   * @param logWeight   natural log of the weight w ({@code -Infinity} when no token passes; NaN with
   *                    {@link Estimator#NONE}, which estimates none)
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
    Estimator e = estimator;
    if (e == Estimator.AUTO) {
      double top = Math.exp(max - Softmax.logSumExp("log weights", logWeights, n, sums));
      e = maxAccepts > 2 || top >= GEOMETRIC_THRESHOLD ? Estimator.GEOMETRIC : Estimator.RECURSIVE;
    }
    return switch (e) {
      case RECURSIVE -> recursive(logWeights, allows, new TreeOrder(work, n, max, rng));
      case GEOMETRIC -> geometric(logWeights, allows, n, max, rng);
      case NONE -> firstPass(allows, new TreeOrder(work, n, max, rng));
      default -> run(logWeights, allows, new TreeOrder(work, n, max, rng), () -> new TreeOrder(work, n, max, rng));
    };
  }

  /** Pass 1 alone: an exact draw from pi, no weight. */
  private Draw firstPass(IntPredicate allows, Order order) {
    int evaluations = 0;
    for (int t = order.next(); t >= 0; t = order.next()) {
      evaluations++;
      if (allows.test(t)) {
        return new Draw(t, Double.NaN, evaluations, evaluations - 1);
      }
    }
    return new Draw(-1, Double.NEGATIVE_INFINITY, evaluations, evaluations);
  }

  /** The recursive estimator over one visiting order (weights relative to the order's masses). */
  private Draw recursive(double[] logWeights, IntPredicate allows, Order order) {
    double logZ = Softmax.logSumExp("log weights", logWeights, logWeights.length, sums);
    double logMultiplier = 0;
    int evaluations = 0;
    int rejects = 0;
    int t = order.next();
    while (t >= 0) {
      double q = Math.min(1.0, order.lastWeight() / order.remainingBefore());
      int next = order.next();
      boolean last = next < 0;
      evaluations++;
      if (allows.test(t)) {
        if (rejects == maxRejects - 1) {
          return new Draw(t, logZ + logMultiplier, evaluations, rejects);
        }
        double tail = 0;
        if (!last) {
          evaluations++;
          tail = allows.test(next) ? 0 : Math.log(q);
        }
        return new Draw(t, logZ + logMultiplier + tail, evaluations, rejects);
      }
      if (last || rejects == maxRejects - 1) {
        return new Draw(-1, Double.NEGATIVE_INFINITY, evaluations, rejects + 1);
      }
      rejects++;
      logMultiplier += Math.log1p(-q);
      t = next;
    }
    return new Draw(-1, Double.NEGATIVE_INFINITY, evaluations, rejects);
  }

  /** The geometric estimator: rounds of fresh key orders over the unrejected tokens, phantom rejections between. */
  private Draw geometric(double[] logWeights, IntPredicate allows, int n, double max, Rng rng) {
    double logZ = Softmax.logSumExp("log weights", logWeights, n, sums);
    TreeOrder order = new TreeOrder(work, n, max, rng);
    double total = order.remaining();
    java.util.Set<Integer> accepted = new java.util.HashSet<>();
    int evaluations = 0;
    long rejects = 0;
    int accepts = 0;
    int first = -1;
    int firstRejected = 0;
    rounds:
    for (int round = 0; round < maxAccepts && rejects < maxRejects; round++) {
      if (round > 0) {
        order = new TreeOrder(work, n, max, rng);
      }
      for (int t = order.next(); t >= 0; t = order.next()) {
        double rejectedShare = 1 - order.remainingBefore() / total; // mass already rejected, as a share
        if (rejectedShare > 0) {
          rejects += phantoms(rejectedShare, rng);
        }
        if (rejects >= maxRejects) {
          break rounds;
        }
        boolean ok = accepted.contains(t);
        if (!ok) {
          evaluations++;
          ok = allows.test(t);
        }
        if (ok) {
          accepted.add(t);
          accepts++;
          if (first < 0) {
            first = t;
            firstRejected = (int) Math.min(Integer.MAX_VALUE, rejects);
          }
          continue rounds;
        }
        rejects++;
        work[t] = Double.NEGATIVE_INFINITY;
      }
    }
    if (accepts == 0) {
      return new Draw(-1, Double.NEGATIVE_INFINITY, evaluations, (int) Math.min(Integer.MAX_VALUE, rejects));
    }
    rejects = Math.min(rejects, maxRejects);
    double denominator = accepts + rejects - 1.0;
    double estimate = denominator <= 0 ? 1 : Math.min(maxAccepts - 1, accepts) / denominator;
    return new Draw(first, logZ + Math.log(estimate), evaluations, firstRejected);
  }

  /** Draws that land on already rejected tokens before a fresh one: Geometric(1 - share) - 1. */
  private static long phantoms(double rejectedShare, Rng rng) {
    if (rejectedShare >= 1) {
      return Long.MAX_VALUE / 4;
    }
    double u = 1 - rng.nextDouble(); // in (0, 1]
    return (long) Math.floor(Math.log(u) / Math.log(rejectedShare));
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
    return a.run(logWeights, allows, new ArrayOrder(firstOrder, logWeights), () -> new ArrayOrder(secondOrder, logWeights));
  }

  /** The recursive estimator as a pure function of its visiting order (for exact enumeration). */
  public static Draw estimateRecursive(double[] logWeights, IntPredicate allows, int[] order) {
    Awrs a = new Awrs(Estimator.RECURSIVE, 2, Integer.MAX_VALUE);
    a.sums = new double[logWeights.length];
    return a.recursive(logWeights, allows, new ArrayOrder(order, logWeights));
  }

  /**
   * A source of tokens in visiting order ({@link #next} is -1 when exhausted) that remembers, for the
   * token last returned, its weight and the unvisited weight just before it was drawn.
   */
  private abstract static class Order {
    double last;
    double before;

    abstract int next();

    /** Weight (relative to the order's scale) of the unvisited tokens. */
    abstract double remaining();

    double lastWeight() {
      return last;
    }

    double remainingBefore() {
      return before;
    }
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
  private static final class ArrayOrder extends Order {
    private final int[] order;
    private final double[] weights;
    private double remaining;
    private int i;

    ArrayOrder(int[] order, double[] logWeights) {
      this.order = order;
      this.weights = new double[order.length];
      for (int k = 0; k < order.length; k++) {
        weights[k] = Math.exp(logWeights[order[k]]);
        remaining += weights[k];
      }
    }

    @Override
    int next() {
      if (i >= order.length) {
        return -1;
      }
      before = remaining;
      last = weights[i];
      remaining -= last;
      return order[i++];
    }

    @Override
    double remaining() {
      return remaining;
    }
  }

  /**
   * The Plackett-Luce order over the weights {@code exp(keys - shift)} (the law of the Gumbel key
   * order), drawn one token at a time from a {@link SumTree}: O(n) to build, O(log n) per token, so a
   * pass that stops after a few tokens costs one pass over the vocabulary.
   */
  private static final class TreeOrder extends Order {
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
    int next() {
      int t = tree.sample(rng);
      if (t >= 0) {
        before = tree.total();
        last = tree.weight(t);
        tree.set(t, 0);
      }
      return t;
    }

    @Override
    double remaining() {
      return tree.total();
    }
  }
}
