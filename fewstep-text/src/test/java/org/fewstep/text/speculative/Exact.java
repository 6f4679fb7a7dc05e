package org.fewstep.text.speculative;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fewstep.core.Rng;

/**
 * Oracles by exact enumeration (decoding.md 0.3), written from the definitions and independent of
 * the code under test: the candidate tuples of a scheme with their probabilities, a verifier's
 * output law through the plan formula, and the optimal acceptance by brute force over subsets and by
 * max-flow (Edmonds-Karp).
 */
final class Exact {
  private Exact() {}

  /** One candidate tuple and its probability under the scheme. */
  record Draw(int[] candidates, double probability) {}

  /** Every candidate tuple of positive probability. */
  static List<Draw> draws(DraftScheme scheme, double[] q, int k) {
    List<Draw> out = new ArrayList<>();
    int n = q.length;
    if (scheme == DraftScheme.GREEDY) {
      Integer[] ids = new Integer[n];
      for (int x = 0; x < n; x++) {
        ids[x] = x;
      }
      Arrays.sort(ids, Comparator.comparingDouble((Integer x) -> -q[x]).thenComparingInt(x -> x));
      int[] tuple = new int[k];
      boolean[] inT = new boolean[n];
      for (int j = 0; j < k - 1; j++) {
        tuple[j] = ids[j];
        inT[ids[j]] = true;
      }
      double rest = 0;
      for (int x = 0; x < n; x++) {
        rest += inT[x] ? 0 : q[x];
      }
      for (int x = 0; x < n; x++) {
        if (!inT[x] && q[x] > 0) {
          tuple[k - 1] = x;
          out.add(new Draw(tuple.clone(), q[x] / rest));
        }
      }
      return out;
    }
    enumerate(scheme == DraftScheme.WITHOUT_REPLACEMENT, q, new int[k], 0, 1.0, out);
    return out;
  }

  private static void enumerate(boolean distinct, double[] q, int[] tuple, int depth, double prob, List<Draw> out) {
    if (depth == tuple.length) {
      out.add(new Draw(tuple.clone(), prob));
      return;
    }
    double remaining = 0; // q of the tokens not drawn yet, summed directly
    for (int y = 0; y < q.length; y++) {
      remaining += distinct && contains(tuple, depth, y) ? 0 : q[y];
    }
    for (int x = 0; x < q.length; x++) {
      if (q[x] > 0 && !(distinct && contains(tuple, depth, x))) {
        tuple[depth] = x;
        enumerate(distinct, q, tuple, depth + 1, prob * (distinct ? q[x] / remaining : q[x]), out);
      }
    }
  }

  private static boolean contains(int[] tuple, int length, int x) {
    for (int i = 0; i < length; i++) {
      if (tuple[i] == x) {
        return true;
      }
    }
    return false;
  }

  /** The law of the emitted token for these candidates, by the formula of {@link Plan}. */
  static double[] planLaw(Plan plan, int[] candidates, int n) {
    double[] law = new double[n];
    double reach = 1;
    for (int j = 0; j < plan.order().length; j++) {
      law[candidates[plan.order()[j]]] += reach * plan.accept()[j];
      reach *= 1 - plan.accept()[j];
    }
    if (plan.residual() != null) {
      for (int x = 0; x < n; x++) {
        law[x] += reach * plan.residual()[x];
      }
    }
    return law;
  }

  /** The chance that some try accepts (the draft continues). */
  static double planAcceptance(Plan plan) {
    double fail = 1;
    for (double a : plan.accept()) {
      fail *= 1 - a;
    }
    return 1 - fail;
  }

  /** The emitted token's law averaged over the candidates' draws by the verifier's scheme. */
  static double[] law(Verifier v, double[] p, double[] q, int k) {
    double[] law = new double[p.length];
    for (Draw d : draws(v.scheme(), q, k)) {
      double[] given = planLaw(v.plan(p, q, d.candidates()), d.candidates(), p.length);
      for (int x = 0; x < p.length; x++) {
        law[x] += d.probability() * given[x];
      }
    }
    return law;
  }

  /** The verifier's acceptance averaged over the candidates' draws. */
  static double acceptance(Verifier v, double[] p, double[] q, int k) {
    double sum = 0;
    for (Draw d : draws(v.scheme(), q, k)) {
      sum += d.probability() * planAcceptance(v.plan(p, q, d.candidates()));
    }
    return sum;
  }

  /** The law of the candidate set as a bit mask of members (duplicates and order forgotten). */
  static double[] setLaw(DraftScheme scheme, double[] q, int k) {
    double[] law = new double[1 << q.length];
    for (Draw d : draws(scheme, q, k)) {
      int mask = 0;
      for (int x : d.candidates()) {
        mask |= 1 << x;
      }
      law[mask] += d.probability();
    }
    return law;
  }

  /** Q(S in A) for the subset mask {@code a}. */
  static double contained(double[] setLaw, int a) {
    double sum = 0;
    for (int s = 0; s < setLaw.length; s++) {
      sum += (s & ~a) == 0 ? setLaw[s] : 0;
    }
    return sum;
  }

  /** 1 - max over all subsets A of [Q(S in A) - p(A)]. */
  static double bruteForceOptimum(double[] p, double[] setLaw) {
    double best = 0;
    for (int a = 0; a < setLaw.length; a++) {
      double pA = 0;
      for (int x = 0; x < p.length; x++) {
        pA += (a >> x & 1) == 1 ? p[x] : 0;
      }
      best = Math.max(best, contained(setLaw, a) - pA);
    }
    return 1 - best;
  }

  /**
   * The optimal transport with membership cost as a max-flow: source -> token y (capacity p(y)) ->
   * set S (unbounded, if y in S) -> sink (capacity Q(S)). Edmonds-Karp on a capacity matrix.
   */
  static double maxFlow(double[] p, double[] setLaw) {
    int n = p.length;
    int sets = setLaw.length;
    int size = n + sets + 2;
    int source = size - 2;
    int sink = size - 1;
    double[][] cap = new double[size][size];
    for (int y = 0; y < n; y++) {
      cap[source][y] = p[y];
    }
    for (int s = 0; s < sets; s++) {
      cap[n + s][sink] = setLaw[s];
      for (int y = 0; y < n; y++) {
        if ((s >> y & 1) == 1) {
          cap[y][n + s] = 2; // more than any flow
        }
      }
    }
    double flow = 0;
    int[] parent = new int[size];
    while (true) {
      Arrays.fill(parent, -1);
      parent[source] = source;
      ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(source));
      while (!queue.isEmpty() && parent[sink] < 0) {
        int u = queue.poll();
        for (int v = 0; v < size; v++) {
          if (parent[v] < 0 && cap[u][v] > 1e-15) {
            parent[v] = u;
            queue.add(v);
          }
        }
      }
      if (parent[sink] < 0) {
        return flow;
      }
      double push = Double.POSITIVE_INFINITY;
      for (int v = sink; v != source; v = parent[v]) {
        push = Math.min(push, cap[parent[v]][v]);
      }
      for (int v = sink; v != source; v = parent[v]) {
        cap[parent[v]][v] -= push;
        cap[v][parent[v]] += push;
      }
      flow += push;
    }
  }

  /**
   * A random probability vector with at least {@code positive} positive entries: each entry is zero
   * with chance 1/4, tiny (about 1e-9) with chance 1/8, else uniform in (0.001, 1.001), normalized.
   */
  static double[] randomLaw(Rng rng, int n, int positive) {
    while (true) {
      double[] v = new double[n];
      int count = 0;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int kind = rng.nextInt(8);
        v[i] = kind < 2 ? 0 : kind == 2 ? 1e-9 * (rng.nextDouble() + 0.01) : rng.nextDouble() + 1e-3;
        count += v[i] > 0 ? 1 : 0;
        sum += v[i];
      }
      if (count >= Math.max(1, positive)) {
        for (int i = 0; i < n; i++) {
          v[i] /= sum;
        }
        return v;
      }
    }
  }

  static double maxAbsDifference(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
