package org.fewstep.text.speculative;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * The verifier of greedy drafts (Hu et al. 2025; decoding.md 3), optimal for its draft law: the
 * candidates are the set T of the k - 1 tokens of largest q, then X ~ q' = q restricted to V \ T.
 * Accept X with min(1, p(X)/q'(X)); otherwise emit Y ~ norm(p 1_T + (p - q')+ 1_{V\T}), and when
 * Y is in T the draft of that candidate continues. Its acceptance is
 * p(T) + sum_{x not in T} min(p(x), q'(x)), which equals the optimum alpha*(p, Q) for this scheme.
 *
 * <p>The candidates are T (any order; an error unless they are k - 1 tokens of largest q), then X.
 * The plan states "Y in T continues" within {@link Plan}'s one rule: after X it tries the
 * candidates of T in turn, t_j with probability w(t_j) / (w(t_j) + ... + w(t_{k-1}) + w(V\T)), w the
 * weights above, and its residual is w on V \ T. That draws Y with exactly the law norm(w), and a Y
 * in T is an accepted try.
 */
record GreedyDraftVerifier() implements Verifier {
  @Override
  public String name() {
    return "greedy-md";
  }

  @Override
  public DraftScheme scheme() {
    return DraftScheme.GREEDY;
  }

  @Override
  public Plan plan(double[] p, double[] q, int[] candidates) {
    int n = Drafts.requireLaws(p, q);
    Drafts.requireCandidates(q, candidates);
    Drafts.requireDistinct(candidates, scheme());
    int k = candidates.length;
    boolean[] inT = top(q, candidates);
    int sampled = candidates[k - 1];
    double rest = massOutside(q, inT);
    double[] w = new double[n];
    double restWeight = 0;
    for (int x = 0; x < n; x++) {
      w[x] = inT[x] ? p[x] : Math.max(0, p[x] - q[x] / rest);
      restWeight += inT[x] ? 0 : w[x];
    }
    double[] suffix = new double[k]; // suffix[j]: weight of t_j, ..., t_{k-2} and V \ T
    suffix[k - 1] = restWeight;
    for (int j = k - 2; j >= 0; j--) {
      suffix[j] = w[candidates[j]] + suffix[j + 1];
    }
    if (suffix[0] == 0) { // p = q' on V \ T and p(T) = 0: X is always accepted
      return new Plan(new int[] {k - 1}, new double[] {1}, null);
    }
    int tries = 1;
    while (tries < k && suffix[tries - 1] > 0) {
      tries++;
    }
    int[] order = new int[tries];
    double[] accept = new double[tries];
    order[0] = k - 1;
    accept[0] = Math.min(1, p[sampled] * rest / q[sampled]);
    for (int j = 0; j + 1 < tries; j++) {
      order[j + 1] = j;
      accept[j + 1] = w[candidates[j]] / suffix[j];
    }
    double[] residual = null;
    if (restWeight > 0) {
      residual = new double[n];
      for (int x = 0; x < n; x++) {
        residual[x] = inT[x] ? 0 : w[x] / restWeight;
      }
    }
    return new Plan(order, accept, residual);
  }

  /** Its acceptance with the k - 1 most likely tokens T: p(T) + sum_{x not in T} min(p(x), q'(x)). */
  static double acceptance(double[] p, double[] q, int k) {
    Drafts.requireSupport(q, k, DraftScheme.GREEDY);
    boolean[] inT = new boolean[q.length];
    for (int t : Drafts.largest(q, k - 1)) {
      inT[t] = true;
    }
    double rest = massOutside(q, inT);
    double sum = 0;
    for (int x = 0; x < p.length; x++) {
      sum += inT[x] ? p[x] : Math.min(p[x], q[x] / rest);
    }
    return sum;
  }

  /** Marks the first k - 1 candidates, requiring them to be k - 1 tokens of largest q. */
  private static boolean[] top(double[] q, int[] candidates) {
    int k = candidates.length;
    boolean[] inT = new boolean[q.length];
    double smallest = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k - 1; j++) {
      inT[candidates[j]] = true;
      smallest = Math.min(smallest, q[candidates[j]]);
    }
    for (int x = 0; x < q.length; x++) {
      if (!inT[x] && q[x] > smallest) {
        throw BadInputException.of("candidates", Arrays.toString(candidates),
            "the k - 1 tokens of largest q first (token " + x + " has larger q than one of them), then a draw"
            + " from the others (the GREEDY scheme)");
      }
    }
    return inT;
  }

  private static double massOutside(double[] q, boolean[] inT) {
    double sum = 0;
    for (int x = 0; x < q.length; x++) {
      sum += inT[x] ? 0 : q[x];
    }
    return sum;
  }
}
