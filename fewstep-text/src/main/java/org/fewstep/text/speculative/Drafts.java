package org.fewstep.text.speculative;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * Shared machinery of the verifiers: drawing candidates by a scheme, executing a plan, and the
 * checks and small vector operations the verifiers share.
 */
final class Drafts {
  /** How far the entries of a probability vector may sum from 1. */
  static final double SUM_TOLERANCE = 1e-9;

  private Drafts() {}

  /**
   * IID: k draws from q. WITHOUT_REPLACEMENT: Gumbel-top-k on log q, whose ordered draws have
   * probability prod_i q(x_i) / (1 - sum_{j<i} q(x_j)) (decoding.md 3). GREEDY: the k - 1 tokens of
   * largest q (ties: lower id), most likely first, then one draw from q restricted to the others.
   */
  static int[] draw(DraftScheme scheme, double[] q, int k, Rng rng) {
    requireLaw("q", q);
    BadInputException.requireAtLeast("k", k, 1);
    int n = q.length;
    switch (scheme) {
      case IID: {
        Categorical draft = new Categorical().setWeights("q", q, n);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
          out[i] = draft.sample(rng);
        }
        return out;
      }
      case WITHOUT_REPLACEMENT: {
        requireSupport(q, k, scheme);
        double[] logits = new double[n];
        for (int x = 0; x < n; x++) {
          logits[x] = Math.log(q[x]);
        }
        return Categorical.withoutReplacement(logits, n, k, rng);
      }
      case GREEDY: {
        requireSupport(q, k, scheme);
        int[] out = Arrays.copyOf(largest(q, k - 1), k);
        double[] rest = q.clone();
        for (int i = 0; i < k - 1; i++) {
          rest[out[i]] = 0;
        }
        out[k - 1] = new Categorical().setWeights("q outside the k - 1 most likely tokens", rest, n).sample(rng);
        return out;
      }
      default:
        throw new IllegalStateException("unknown scheme " + scheme);
    }
  }

  /**
   * One uniform per try, accepting try j when it is below {@code accept[j]}; if every try fails, one
   * residual draw (a residual token ends the speculation: accepted = -1).
   */
  static Verdict execute(Plan plan, int[] candidates, Rng rng) {
    int[] order = plan.order();
    for (int j = 0; j < order.length; j++) {
      if (order[j] < 0 || order[j] >= candidates.length) {
        throw BadInputException.of("order[" + j + "]", order[j],
            "an index into the " + candidates.length + " candidates");
      }
      if (rng.nextDouble() < plan.accept()[j]) {
        return new Verdict(candidates[order[j]], order[j]);
      }
    }
    double[] residual = plan.residual();
    if (residual == null) {
      throw new IllegalStateException("unreachable: a plan without a residual has a certain try");
    }
    return new Verdict(new Categorical().setWeights("residual", residual, residual.length).sample(rng), -1);
  }

  /** Requires p and q to be probability vectors over the same vocabulary; returns its size. */
  static int requireLaws(double[] p, double[] q) {
    requireLaw("p", p);
    requireLaw("q", q);
    if (q.length != p.length) {
      throw BadInputException.of("q length", q.length, p.length + " (the vocabulary of p)");
    }
    return p.length;
  }

  /** Requires finite entries >= 0 that sum to 1 within {@link #SUM_TOLERANCE}. */
  static void requireLaw(String what, double[] v) {
    if (v == null || v.length == 0) {
      throw BadInputException.of(what, v == null ? null : "[]", "a probability vector over the vocabulary");
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] < Double.POSITIVE_INFINITY)) {
        throw BadInputException.of(what + "[" + i + "]", v[i], "a finite probability >= 0");
      }
      sum += v[i];
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw BadInputException.of("sum of " + what, sum, "1 within " + SUM_TOLERANCE);
    }
  }

  /** Requires at least one candidate, each a token that q can draw. */
  static void requireCandidates(double[] q, int[] candidates) {
    if (candidates == null || candidates.length == 0) {
      throw BadInputException.of("candidates", candidates == null ? null : "[]", "at least one draft token");
    }
    for (int i = 0; i < candidates.length; i++) {
      int x = candidates[i];
      if (x < 0 || x >= q.length) {
        throw BadInputException.of("candidates[" + i + "]", x, "a token id in [0, " + q.length + ")");
      }
      if (!(q[x] > 0)) {
        throw BadInputException.of("candidates[" + i + "]", x, "a token with q > 0 (candidates are draws from q)");
      }
    }
  }

  /** Requires the candidates to be distinct tokens. */
  static void requireDistinct(int[] candidates, DraftScheme scheme) {
    for (int i = 0; i < candidates.length; i++) {
      for (int j = 0; j < i; j++) {
        if (candidates[i] == candidates[j]) {
          throw BadInputException.of("candidates[" + i + "]", candidates[i],
              "a token not among the earlier candidates (the " + scheme + " scheme draws distinct ones)");
        }
      }
    }
  }

  /** Requires q to have at least k tokens of positive probability (k distinct draws). */
  static void requireSupport(double[] q, int k, DraftScheme scheme) {
    int positive = 0;
    for (double v : q) {
      positive += v > 0 ? 1 : 0;
    }
    if (k > positive) {
      throw BadInputException.of("k", k, "at most " + positive + ", the number of tokens with q > 0 (the "
          + scheme + " scheme draws distinct candidates)");
    }
  }

  /** The m tokens of largest q, most likely first (ties: lower id). */
  static int[] largest(double[] q, int m) {
    int[] top = new int[m];
    int size = 0;
    for (int x = 0; x < q.length && m > 0; x++) {
      if (size == m && !(q[x] > q[top[m - 1]])) {
        continue;
      }
      int i = size < m ? size++ : m - 1;
      while (i > 0 && q[x] > q[top[i - 1]]) {
        top[i] = top[i - 1];
        i--;
      }
      top[i] = x;
    }
    return top;
  }

  /**
   * norm((r - s)+), or null when (r - s)+ is zero: then the laws r and s are equal, so a try that
   * accepts with min(1, r/s) cannot fail.
   */
  static double[] residual(double[] r, double[] s) {
    double[] w = new double[r.length];
    for (int x = 0; x < r.length; x++) {
      w[x] = Math.max(0, r[x] - s[x]);
    }
    return normalizedOrNull(w);
  }

  /** w / sum(w) in place, or null when the sum is zero. */
  static double[] normalizedOrNull(double[] w) {
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    if (sum == 0) {
      return null;
    }
    for (int x = 0; x < w.length; x++) {
      w[x] /= sum;
    }
    return w;
  }
}
