package org.fewstep.data.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.data.select.LabelGraph.SparseVector;

/**
 * MIG, Maximizing Information Gain in semantic space (Chen et al., "MIG: Automatic Data Selection for
 * Instruction Tuning by Maximizing Information Gain in Semantic Space", ACL 2025 Findings, section 3;
 * reference {@code mig/sampler.py::MIGSampler}; discrete-and-data.md 7(b)).
 *
 * <p>Item i carries labels {@code T_i} and a quality {@code q_i}. Its label vector is {@code v_i[k] = q_i}
 * on {@code k in T_i} ({@code q_i / |T_i|} with {@code norm}, off by default), propagated over the
 * {@link LabelGraph} as {@code u_i = v_i P}. The information of a set S is
 * {@code Phi(S) = sum_l phi(s_l)}, {@code s = sum_{i in S} u_i}, with {@code phi(x) = (x + a)^b}
 * (a = 1e-6, b = 0.8, "pow", the default) or {@code phi(x) = 1 - exp(-alpha x)} (alpha = 1, "exp").
 *
 * <p>Greedy selection, one item a round until the budget:
 * <ul>
 *   <li>{@link Greedy#FIRST_ORDER} (the reference's): score each remaining item by {@code u_i . phi'(s)};
 *   <li>{@link Greedy#EXACT}: score by the true marginal gain {@code Phi(S + i) - Phi(S)}.
 * </ul>
 * The best score wins, ties to the lowest item index (as {@code torch.argmax}). Item vectors are sparse, so a
 * round costs O(N nnz); the reference is dense on a GPU and its {@code batch_size} only chunks that product.
 *
 * <p>Differences from the reference, none of which the notes list as a bug: arithmetic is in double (the
 * reference runs float32); an item's repeated label counts once, also in {@code q / |T|} (the reference
 * writes the same cell twice but divides by the list's length); {@code norm} is off by default as in the
 * reference's CLI (its {@code MIGSampler} constructor alone defaults it on); a budget equal to the pool
 * is allowed.
 */
public final class Mig {

  /** The concave information function phi. */
  public enum PhiKind { POW, EXP }

  /** Which gain the greedy maximises. */
  public enum Greedy { FIRST_ORDER, EXACT }

  /**
   * Options.
   *
   * @param phi    pow ({@code (x + a)^b}) or exp ({@code 1 - e^{-alpha x}})
   * @param a      pow's offset, {@code > 0}
   * @param b      pow's exponent, in (0, 1] (1: linear, no diversity effect)
   * @param alpha  exp's rate, {@code > 0}
   * @param norm   divide the quality over the item's labels ({@code q / |T|})
   * @param greedy first-order (reference) or exact gain
   */
  public record Settings(PhiKind phi, double a, double b, double alpha, boolean norm, Greedy greedy) {
    public Settings {
      Objects.requireNonNull(phi, "phi");
      Objects.requireNonNull(greedy, "greedy");
      BadInputException.requirePositive("a", a);
      if (!(b > 0 && b <= 1)) {
        throw BadInputException.of("b", b, "an exponent in (0, 1] (phi must be concave and increasing)");
      }
      BadInputException.requirePositive("alpha", alpha);
    }

    /** The reference's defaults: pow with a = 1e-6, b = 0.8; alpha = 1; no norm; first-order greedy. */
    public static Settings defaults() {
      return new Settings(PhiKind.POW, 1e-6, 0.8, 1.0, false, Greedy.FIRST_ORDER);
    }

    public Settings withGreedy(Greedy g) {
      return new Settings(phi, a, b, alpha, norm, g);
    }

    public Settings withPow(double newA, double newB) {
      return new Settings(PhiKind.POW, newA, newB, alpha, norm, greedy);
    }

    public Settings withExp(double newAlpha) {
      return new Settings(PhiKind.EXP, a, b, newAlpha, norm, greedy);
    }

    public Settings withNorm(boolean n) {
      return new Settings(phi, a, b, alpha, n, greedy);
    }

    /** phi(x). */
    public double phi(double x) {
      return phi == PhiKind.POW ? Math.pow(x + a, b) : -Math.expm1(-alpha * x);
    }

    /** phi'(x). */
    public double phiPrime(double x) {
      return phi == PhiKind.POW ? b * Math.pow(x + a, b - 1) : alpha * Math.exp(-alpha * x);
    }
  }

  /**
   * The outcome: the selected items in the order picked, each pick's score (first-order or exact gain)
   * and the exact information {@code Phi} after each pick.
   */
  public record Selection(int[] order, double[] scores, double[] information) {
    /** {@code Phi} of the whole selection. */
    public double finalInformation() {
      return information.length == 0 ? Double.NaN : information[information.length - 1];
    }
  }

  private final LabelGraph graph;
  private final Settings settings;

  private Mig(LabelGraph graph, Settings settings) {
    this.graph = graph;
    this.settings = settings;
  }

  /** MIG over {@code graph} with {@code settings}. */
  public static Mig create(LabelGraph graph, Settings settings) {
    return new Mig(Objects.requireNonNull(graph, "graph"), Objects.requireNonNull(settings, "settings"));
  }

  /** The same MIG with another greedy. */
  public Mig withGreedy(Greedy greedy) {
    return new Mig(graph, settings.withGreedy(greedy));
  }

  public LabelGraph graph() {
    return graph;
  }

  public Settings settings() {
    return settings;
  }

  /** The propagated vector {@code u_i = v_i P} of every example; its labels must be graph nodes. */
  public List<SparseVector> vectors(List<Example> pool) {
    List<SparseVector> out = new ArrayList<>(pool.size());
    for (Example e : pool) {
      out.add(vector(e));
    }
    return out;
  }

  private SparseVector vector(Example e) {
    List<String> labels = e.labels().stream().distinct().toList();
    if (labels.isEmpty()) {
      throw BadInputException.of("labels of " + e.id(), "[]", "at least one label (MIG scores items by their labels)");
    }
    int[] nodes = new int[labels.size()];
    double[] values = new double[labels.size()];
    double value = settings.norm() ? e.quality() / labels.size() : e.quality();
    for (int j = 0; j < nodes.length; j++) {
      nodes[j] = graph.indexOf(labels.get(j));
      if (nodes[j] < 0) {
        throw BadInputException.of("label of " + e.id(), labels.get(j), "one of the label graph's " + graph.size() + " labels");
      }
      values[j] = value;
    }
    return graph.propagate(nodes, values);
  }

  /** {@code Phi} of the examples at {@code selected} (indices into {@code pool}). */
  public double information(List<Example> pool, int[] selected) {
    List<SparseVector> u = vectors(pool);
    double[] s = new double[graph.size()];
    for (int i : selected) {
      add(s, u.get(i));
    }
    return information(s);
  }

  /** {@code Phi} for label masses {@code s}: {@code sum_l phi(s_l)}. */
  public double information(double[] s) {
    double total = 0;
    for (double x : s) {
      total += settings.phi(x);
    }
    return total;
  }

  /** Greedy selection of {@code budget} examples from {@code pool}. */
  public Selection select(List<Example> pool, int budget) {
    Objects.requireNonNull(pool, "pool");
    checkBudget(pool.size(), budget);
    return selectVectors(vectors(pool), budget);
  }

  /** Greedy selection of {@code budget} items given their propagated vectors. */
  public Selection selectVectors(List<SparseVector> items, int budget) {
    int n = items.size();
    checkBudget(n, budget);
    int labels = graph.size();
    double[] s = new double[labels];
    double[] grad = new double[labels];
    double[] phiS = new double[labels];
    for (int l = 0; l < labels; l++) {
      grad[l] = settings.phiPrime(0);
      phiS[l] = settings.phi(0);
    }
    double info = information(s);
    boolean[] taken = new boolean[n];
    int[] order = new int[budget];
    double[] scores = new double[budget];
    double[] infos = new double[budget];
    boolean exact = settings.greedy() == Greedy.EXACT;
    for (int round = 0; round < budget; round++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (taken[i]) {
          continue;
        }
        SparseVector u = items.get(i);
        int[] idx = u.indices();
        double[] val = u.values();
        double score = 0;
        if (exact) {
          for (int j = 0; j < idx.length; j++) {
            score += settings.phi(s[idx[j]] + val[j]) - phiS[idx[j]];
          }
        } else {
          for (int j = 0; j < idx.length; j++) {
            score += val[j] * grad[idx[j]];
          }
        }
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      taken[best] = true;
      order[round] = best;
      scores[round] = bestScore;
      SparseVector u = items.get(best);
      for (int j = 0; j < u.indices().length; j++) {
        int l = u.indices()[j];
        s[l] += u.values()[j];
        double before = phiS[l];
        phiS[l] = settings.phi(s[l]);
        grad[l] = settings.phiPrime(s[l]);
        info += phiS[l] - before;
      }
      infos[round] = info;
    }
    return new Selection(order, scores, infos);
  }

  private static void checkBudget(int n, int budget) {
    if (n < 1) {
      throw BadInputException.of("pool", "empty", "at least one item to select from");
    }
    if (budget < 1 || budget > n) {
      throw BadInputException.of("budget", budget, "a number of items in [1, " + n + "] (the pool's size)");
    }
  }

  private static void add(double[] s, SparseVector u) {
    for (int j = 0; j < u.indices().length; j++) {
      s[u.indices()[j]] += u.values()[j];
    }
  }
}
