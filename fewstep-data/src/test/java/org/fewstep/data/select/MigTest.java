package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.embed.Embedder;
import org.fewstep.data.select.Mig.Greedy;
import org.fewstep.data.select.Mig.Settings;
import org.junit.jupiter.api.Test;

/** Oracles of discrete-and-data.md section 7 (f) for MIG (Chen et al., ACL 2025 Findings). */
class MigTest {

  private static final List<String> ABC = List.of("A", "B", "C");
  /** A~B (0.95) and B~C (0.92) pass the 0.9 threshold, A~C (0.5) does not. */
  private static final double[][] SIM_ABC = {{1, 0.95, 0.5}, {0.95, 1, 0.92}, {0.5, 0.92, 1}};

  private static Example ex(int i, double q, String... labels) {
    return new Example("e" + i, "text " + i, List.of(labels), q);
  }

  // ---- an independent dense implementation of the definitions, for brute force ----

  /** P from a similarity matrix, dense, written from the definition. */
  private static double[][] denseP(double[][] sim, double threshold, double prop) {
    int n = sim.length;
    double[][] w = new double[n][n];
    for (int k = 0; k < n; k++) {
      for (int l = 0; l < n; l++) {
        w[k][l] = k == l ? 1 : (sim[k][l] >= threshold ? prop * sim[k][l] : 0);
      }
    }
    double[][] p = new double[n][n];
    for (int l = 0; l < n; l++) {
      double col = 0;
      for (int k = 0; k < n; k++) {
        col += w[k][l];
      }
      for (int k = 0; k < n; k++) {
        p[k][l] = w[k][l] / col;
      }
    }
    return p;
  }

  /** u_i = v_i P, dense. */
  private static double[][] denseU(List<Example> pool, List<String> labels, double[][] p, boolean norm) {
    double[][] u = new double[pool.size()][labels.size()];
    for (int i = 0; i < pool.size(); i++) {
      Example e = pool.get(i);
      double v = norm ? e.quality() / e.labels().size() : e.quality();
      for (String t : e.labels()) {
        int k = labels.indexOf(t);
        for (int l = 0; l < labels.size(); l++) {
          u[i][l] += v * p[k][l];
        }
      }
    }
    return u;
  }

  private static double bruteInfo(double[][] u, List<Integer> set, Settings st) {
    double total = 0;
    for (int l = 0; l < u[0].length; l++) {
      double s = 0;
      for (int i : set) {
        s += u[i][l];
      }
      total += st.phi() == Mig.PhiKind.POW ? Math.pow(s + st.a(), st.b()) : 1 - Math.exp(-st.alpha() * s);
    }
    return total;
  }

  private static double[][] randomSim(int n, Rng rng) {
    double[][] sim = new double[n][n];
    for (int k = 0; k < n; k++) {
      sim[k][k] = 1;
      for (int l = k + 1; l < n; l++) {
        sim[k][l] = sim[l][k] = 0.8 + 0.2 * rng.nextDouble(); // about half the pairs pass 0.9
      }
    }
    return sim;
  }

  private static List<String> names(int n) {
    return IntStream.range(0, n).mapToObj(i -> "L" + i).toList();
  }

  private static List<Example> randomPool(int items, List<String> labels, Rng rng, double qScale) {
    List<Example> pool = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      int count = 1 + rng.nextInt(Math.min(3, labels.size()));
      List<String> t = new ArrayList<>();
      while (t.size() < count) {
        String l = labels.get(rng.nextInt(labels.size()));
        if (!t.contains(l)) {
          t.add(l);
        }
      }
      pool.add(new Example("e" + i, "", t, qScale * (0.2 + rng.nextDouble())));
    }
    return pool;
  }

  // ---- the label graph ----

  @Test
  void propagationMatrixOfTheHandExample() {
    LabelGraph g = LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, 1.0);
    // columns: A = 1 + 0.95, B = 0.95 + 1 + 0.92, C = 0.92 + 1
    double[][] expected = {
        {1 / 1.95, 0.95 / 2.87, 0},
        {0.95 / 1.95, 1 / 2.87, 0.92 / 1.92},
        {0, 0.92 / 2.87, 1 / 1.92}};
    double[][] p = g.propagation();
    for (int k = 0; k < 3; k++) {
      assertThat(p[k]).containsExactly(expected[k], within(1e-15));
    }
  }

  @Test
  void propWeightScalesOnlyOffDiagonalEdgesAndColumnsSumToOne() {
    double[][] p = LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, 0.5).propagation();
    assertThat(p[0][0]).isCloseTo(1 / (1 + 0.5 * 0.95), within(1e-15));
    assertThat(p[1][0]).isCloseTo(0.5 * 0.95 / (1 + 0.5 * 0.95), within(1e-15));
    double[][] q = LabelGraph.fromSimilarity(names(8), randomSim(8, new Rng(3)), 0.9, 1.0).propagation();
    for (int l = 0; l < 8; l++) {
      double col = 0;
      for (int k = 0; k < 8; k++) {
        col += q[k][l];
      }
      assertThat(col).isCloseTo(1.0, within(1e-14));
    }
  }

  @Test
  void graphFromEmbeddingsUsesTheirCosines() {
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    double[][] vectors = {{1, 0}, {c, s}, {0, 1}}; // cos(A,B) = 0.955, cos(B,C) = 0.296, cos(A,C) = 0
    Embedder fixed = new Embedder() {
      @Override public String name() {
        return "fixed";
      }

      @Override public int dimension() {
        return 2;
      }

      @Override public double[][] embed(List<String> texts) {
        return texts.stream().map(t -> vectors[ABC.indexOf(t)]).toArray(double[][]::new);
      }
    };
    double[][] sim = {{1, c, 0}, {c, 1, s}, {0, s, 1}};
    double[][] fromEmb = LabelGraph.fromEmbeddings(ABC, fixed).propagation();
    double[][] fromSim = LabelGraph.fromSimilarity(ABC, sim, 0.9, 1.0).propagation();
    for (int k = 0; k < 3; k++) {
      assertThat(fromEmb[k]).containsExactly(fromSim[k], within(1e-15));
    }
    assertThat(fromEmb[0][1]).isCloseTo(c / (1 + c), within(1e-15));
    assertThat(fromEmb[2][1]).isZero();
  }

  @Test
  void labelsOfAPoolAreDistinctAndSorted() {
    List<Example> pool = List.of(ex(0, 1, "b", "a"), ex(1, 1, "c", "b"));
    assertThat(LabelGraph.labelsOf(pool)).containsExactly("a", "b", "c");
  }

  // ---- oracle (4): hand-computed first two picks ----

  @Test
  void handExampleFirstTwoPicksOfBothGreedies() {
    // u0 = 2 P[A], u1 = P[C], u2 = 1.5 P[A], u3 = 0.5 P[B]; sums 1.688, 0.841, 1.266, 0.657
    List<Example> pool = List.of(ex(0, 2, "A"), ex(1, 1, "C"), ex(2, 1.5, "A"), ex(3, 0.5, "B"));
    LabelGraph g = LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, 1.0);
    Mig.Selection first = Mig.create(g, Settings.defaults()).select(pool, 2);
    // round 1: phi'(0) = 0.8 * 1e-6^-0.2 = 12.679 on every label, so the largest mass, item 0, wins
    // round 2: label C still has mass 0 (gradient 12.679, the others ~0.8): item 1 (first-order 6.882)
    assertThat(first.order()).containsExactly(0, 1);
    assertThat(first.scores()[0]).isCloseTo(21.39811125, within(1e-7));
    assertThat(first.scores()[1]).isCloseTo(6.88221923, within(1e-7));
    assertThat(first.information()[1]).isCloseTo(2.5999172109, within(1e-9));
    // the exact gain of round 2 prefers item 2 (0.98224) to item 1 (0.86049): item 1's gain on C is far
    // smaller than its linearisation at 0, where phi' is 12.679
    Mig.Selection exact = Mig.create(g, Settings.defaults().withGreedy(Greedy.EXACT)).select(pool, 2);
    assertThat(exact.order()).containsExactly(0, 2);
    assertThat(exact.scores()[1]).isCloseTo(0.9822398056, within(1e-9));
    assertThat(exact.information()[0]).isCloseTo(1.7394260763, within(1e-9));
  }

  // ---- brute force: exact greedy takes the true argmax of the marginal gain every round ----

  @Test
  void exactGreedyPicksTheBruteForceArgmaxEveryRound() {
    Rng rng = new Rng(2024);
    for (int trial = 0; trial < 40; trial++) {
      int labelsN = 2 + rng.nextInt(5);
      List<String> labels = names(labelsN);
      double[][] sim = randomSim(labelsN, rng);
      boolean norm = trial % 2 == 1;
      Settings st = (trial % 3 == 0 ? Settings.defaults().withExp(0.5 + rng.nextDouble()) : Settings.defaults())
          .withNorm(norm).withGreedy(Greedy.EXACT);
      List<Example> pool = randomPool(3 + rng.nextInt(6), labels, rng, 1.0);
      double[][] u = denseU(pool, labels, denseP(sim, 0.9, 1.0), norm);
      Mig.Selection sel = Mig.create(LabelGraph.fromSimilarity(labels, sim, 0.9, 1.0), st).select(pool, pool.size());
      List<Integer> chosen = new ArrayList<>();
      for (int round = 0; round < pool.size(); round++) {
        double base = bruteInfo(u, chosen, st);
        int best = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pool.size(); i++) {
          if (chosen.contains(i)) {
            continue;
          }
          List<Integer> with = new ArrayList<>(chosen);
          with.add(i);
          double gain = bruteInfo(u, with, st) - base;
          if (gain > bestGain + 1e-12) {
            bestGain = gain;
            best = i;
          }
        }
        assertThat(sel.order()[round]).as("trial %d round %d", trial, round).isEqualTo(best);
        assertThat(sel.scores()[round]).isCloseTo(bestGain, within(1e-10));
        chosen.add(best);
        assertThat(sel.information()[round]).isCloseTo(bruteInfo(u, chosen, st), within(1e-10));
      }
    }
  }

  @Test
  void firstOrderGreedyPicksTheArgmaxOfTheLinearisedGain() {
    Rng rng = new Rng(77);
    for (int trial = 0; trial < 30; trial++) {
      List<String> labels = names(3 + rng.nextInt(4));
      double[][] sim = randomSim(labels.size(), rng);
      Settings st = Settings.defaults();
      List<Example> pool = randomPool(8, labels, rng, 1.0);
      double[][] u = denseU(pool, labels, denseP(sim, 0.9, 1.0), false);
      Mig.Selection sel = Mig.create(LabelGraph.fromSimilarity(labels, sim, 0.9, 1.0), st).select(pool, 5);
      double[] s = new double[labels.size()];
      boolean[] taken = new boolean[pool.size()];
      for (int round = 0; round < 5; round++) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pool.size(); i++) {
          double score = 0;
          for (int l = 0; l < s.length; l++) {
            score += u[i][l] * 0.8 * Math.pow(s[l] + 1e-6, -0.2);
          }
          if (!taken[i] && score > bestScore * (1 + 1e-12)) {
            bestScore = score;
            best = i;
          }
        }
        assertThat(sel.order()[round]).isEqualTo(best);
        assertThat(sel.scores()[round]).isCloseTo(bestScore, within(1e-9 * bestScore));
        taken[best] = true;
        for (int l = 0; l < s.length; l++) {
          s[l] += u[best][l];
        }
      }
    }
  }

  // ---- oracle (1): b = 1 is top-k by the fixed score sum_l u_i[l] ----

  @Test
  void linearPhiIsTopKByPropagatedMass() {
    Rng rng = new Rng(11);
    List<String> labels = names(6);
    double[][] sim = randomSim(6, rng);
    List<Example> pool = randomPool(40, labels, rng, 1.0);
    double[][] u = denseU(pool, labels, denseP(sim, 0.9, 1.0), false);
    double[] mass = Arrays.stream(u).mapToDouble(r -> Arrays.stream(r).sum()).toArray();
    int[] expected = IntStream.range(0, 40).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -mass[i]).thenComparing(i -> i))
        .limit(12).mapToInt(Integer::intValue).toArray();
    LabelGraph g = LabelGraph.fromSimilarity(labels, sim, 0.9, 1.0);
    for (Greedy greedy : Greedy.values()) {
      Settings st = Settings.defaults().withPow(1e-6, 1.0).withGreedy(greedy);
      assertThat(Mig.create(g, st).select(pool, 12).order()).as("%s", greedy).containsExactly(expected);
    }
  }

  // ---- oracle (2): identity graph, equal scores, disjoint labels: round-robin coverage ----

  @Test
  void identityGraphCoversEveryLabelBeforeRepeating() {
    List<String> labels = List.of("A", "B", "C", "D");
    List<Example> pool = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pool.add(ex(i, 1.0, labels.get(i / 3))); // items 0-2 A, 3-5 B, 6-8 C, 9-11 D
    }
    LabelGraph g = LabelGraph.identity(labels);
    for (Settings st : List.of(Settings.defaults(), Settings.defaults().withGreedy(Greedy.EXACT),
        Settings.defaults().withExp(1.0), Settings.defaults().withExp(1.0).withGreedy(Greedy.EXACT))) {
      assertThat(Mig.create(g, st).select(pool, 12).order()).as("%s", st)
          .containsExactly(0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11);
    }
  }

  // ---- oracle (3): a duplicate gains strictly less the second time ----

  @Test
  void secondCopyOfADuplicateGainsLess() {
    LabelGraph g = LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, 1.0);
    List<Example> pool = List.of(ex(0, 1.3, "A", "B"), ex(1, 1.3, "A", "B"), ex(2, 0.7, "C"));
    for (Settings st : List.of(Settings.defaults(), Settings.defaults().withExp(1.0))) {
      Mig mig = Mig.create(g, st);
      double empty = mig.information(pool, new int[0]);
      double one = mig.information(pool, new int[] {0});
      double two = mig.information(pool, new int[] {0, 1});
      assertThat(two - one).isLessThan(one - empty).isPositive();
      Mig.Selection sel = mig.withGreedy(Greedy.EXACT).select(pool, 3);
      assertThat(sel.order()[0]).isZero();
      int copy = sel.order()[1] == 1 ? 1 : 2; // the round that took the second copy
      assertThat(sel.order()[copy]).isEqualTo(1);
      assertThat(sel.scores()[copy]).isLessThan(sel.scores()[0]);
    }
  }

  // ---- oracle (5): the greedies agree when the first-order term dominates; exact Phi is monotone ----

  @Test
  void greediesAgreeWhenItemsAreSmallAndExactInformationIsMonotone() {
    Rng rng = new Rng(5);
    for (int trial = 0; trial < 10; trial++) {
      List<String> labels = names(5);
      double[][] sim = randomSim(5, rng);
      // exp phi with alpha 1 and masses ~1e-3: phi(s + u) - phi(s) = u phi'(s) (1 - O(1e-3))
      List<Example> pool = randomPool(30, labels, rng, 1e-3);
      LabelGraph g = LabelGraph.fromSimilarity(labels, sim, 0.9, 1.0);
      Settings st = Settings.defaults().withExp(1.0);
      Mig.Selection fo = Mig.create(g, st).select(pool, 15);
      Mig.Selection ex = Mig.create(g, st.withGreedy(Greedy.EXACT)).select(pool, 15);
      assertThat(ex.order()).as("trial %d", trial).containsExactly(fo.order());
      Mig.Selection big = Mig.create(g, Settings.defaults().withGreedy(Greedy.EXACT)).select(randomPool(30, labels, rng, 1), 30);
      for (int r = 1; r < 30; r++) {
        assertThat(big.information()[r]).isGreaterThanOrEqualTo(big.information()[r - 1]);
      }
    }
  }

  // ---- oracle (6): determinism and ties to the lowest index ----

  @Test
  void deterministicAndTiesGoToTheLowestIndex() {
    List<Example> same = IntStream.range(0, 6).mapToObj(i -> ex(i, 1.0, "A", "C")).toList();
    LabelGraph g = LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, 1.0);
    for (Greedy greedy : Greedy.values()) {
      Mig mig = Mig.create(g, Settings.defaults().withGreedy(greedy));
      assertThat(mig.select(same, 6).order()).containsExactly(0, 1, 2, 3, 4, 5);
    }
    Rng rng = new Rng(9);
    List<String> labels = names(7);
    double[][] sim = randomSim(7, rng);
    List<Example> pool = randomPool(50, labels, rng, 1.0);
    Mig mig = Mig.create(LabelGraph.fromSimilarity(labels, sim, 0.9, 1.0), Settings.defaults());
    Mig.Selection a = mig.select(pool, 20);
    Mig.Selection b = mig.select(pool, 20);
    assertThat(a.order()).containsExactly(b.order());
    assertThat(a.scores()).containsExactly(b.scores());
  }

  // ---- bad input ----

  @Test
  void badInputsAreClearErrors() {
    LabelGraph g = LabelGraph.identity(ABC);
    Mig mig = Mig.create(g, Settings.defaults());
    List<Example> pool = List.of(ex(0, 1, "A"), ex(1, 1, "B"));
    assertThatThrownBy(() -> mig.select(pool, 3)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("budget").hasMessageContaining("3").hasMessageContaining("[1, 2]");
    assertThatThrownBy(() -> mig.select(pool, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("budget");
    assertThatThrownBy(() -> mig.select(List.of(ex(0, 1, "A"), ex(1, 1)), 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("labels of e1").hasMessageContaining("at least one label");
    assertThatThrownBy(() -> mig.select(List.of(ex(0, 1, "Z")), 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("Z").hasMessageContaining("label graph");
    assertThatThrownBy(() -> LabelGraph.identity(List.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("at least one label");
    assertThatThrownBy(() -> LabelGraph.fromSimilarity(ABC, new double[2][3], 0.9, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("similarity rows");
    assertThatThrownBy(() -> LabelGraph.fromSimilarity(ABC, SIM_ABC, 0.9, -1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("propWeight");
    assertThatThrownBy(() -> Settings.defaults().withPow(1e-6, 1.5)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("b").hasMessageContaining("(0, 1]");
  }
}
