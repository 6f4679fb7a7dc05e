package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.data.select.AddOneIn.Checkpoint;
import org.fewstep.data.select.AddOneIn.Result;
import org.fewstep.data.select.AddOneIn.Settings;
import org.junit.jupiter.api.Test;

/** Oracles of discrete-and-data.md section 8 (f) for Add-One-In (Li et al., EMNLP 2025). */
class AddOneInTest {

  private static List<Example> pool(int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example("e" + i, "example " + i, List.of("c" + (i % 3)), 1));
    }
    return out;
  }

  /** Records every call and replies [[X]] for a random shown label, or garbage with probability 0.3. */
  private static final class NoisyChooser implements Chooser {
    final Rng rng = new Rng(99);
    final List<List<Example>> candidates = new ArrayList<>();
    final List<List<Example>> shown = new ArrayList<>();
    final List<String> replies = new ArrayList<>();
    int invalid;

    @Override
    public String choose(List<Example> selected, List<Example> window) {
      shown.add(selected);
      candidates.add(window);
      String reply;
      double u = rng.nextDouble();
      if (u < 0.1) {
        reply = "[[" + (char) ('A' + window.size()) + "]] is out of range";
        invalid++;
      } else if (u < 0.2) {
        reply = "I pick [C] because ..."; // single brackets: invalid
        invalid++;
      } else if (u < 0.3) {
        reply = "[[9]]"; // the reference would pick a candidate by negative indexing
        invalid++;
      } else {
        reply = "The best is [[" + CandidateLabel.of(rng.nextInt(window.size())) + "]]; also [[A]] was close";
      }
      replies.add(reply);
      return reply;
    }
  }

  @Test
  void eachValidReplyAddsExactlyItsCandidateAndInvalidRepliesNothing() {
    List<Example> pool = pool(300);
    NoisyChooser chooser = new NoisyChooser();
    Result r = AddOneIn.select(pool, 120, chooser, Settings.defaults(5));

    assertThat(r.selected()).hasSize(120).doesNotHaveDuplicates();
    assertThat(r.invalidReplies()).isEqualTo(chooser.invalid).isPositive();
    assertThat(r.chooserCalls()).isEqualTo(chooser.replies.size()).isEqualTo(110 + chooser.invalid);
    // replay: S = the seed set, then for each valid reply the candidate it names, nothing else
    List<String> replay = new ArrayList<>(r.selected().subList(0, 10));
    for (int call = 0; call < chooser.replies.size(); call++) {
      List<Example> window = chooser.candidates.get(call);
      java.util.Set<String> before = new HashSet<>(replay);
      assertThat(chooser.shown.get(call)).hasSize(10).allMatch(e -> before.contains(e.id()));
      assertThat(window).hasSize(10).noneMatch(e -> before.contains(e.id()));
      var k = CandidateLabel.parse(chooser.replies.get(call), window.size());
      k.ifPresent(i -> replay.add(window.get(i).id()));
    }
    assertThat(replay).isEqualTo(r.selected());
  }

  @Test
  void theFirstDoubleBracketPairDecides() {
    assertThat(CandidateLabel.parse("[[C]] because it is new", 10)).hasValue(2);
    assertThat(CandidateLabel.parse("[[J]]", 10)).hasValue(9);
    assertThat(CandidateLabel.parse("I choose [[B]]\n[[A]]", 10)).hasValue(1);
    assertThat(CandidateLabel.parse("maybe [[K]], no: [[B]]", 10)).isEmpty(); // the first bracket pair decides
    for (String bad : new String[] {"[[K]]", "[[9]]", "[[@]]", "[[c]]", "[C]", "[[CC]]", "[[ C ]]", "", "C"}) {
      assertThat(CandidateLabel.parse(bad, 10)).as(bad).isEmpty();
    }
    assertThat(CandidateLabel.parse(null, 10)).isEmpty();
    assertThat(CandidateLabel.parse("[[B]]", 1)).isEmpty();
    assertThat(CandidateLabel.answer(25)).isEqualTo("[[Z]]");
  }

  /** Facility location of the window's union, gain of candidate b: sum_v max(0, sim(v, b) - max_a sim(v, a)). */
  private static double facilityGain(double[][] x, int[] shown, int[] candidates, int b) {
    double gain = 0;
    int[] ground = new int[shown.length + candidates.length];
    System.arraycopy(shown, 0, ground, 0, shown.length);
    System.arraycopy(candidates, 0, ground, shown.length, candidates.length);
    for (int v : ground) {
      double cover = Double.NEGATIVE_INFINITY;
      for (int a : shown) {
        cover = Math.max(cover, dot(x[v], x[a]));
      }
      gain += Math.max(0, dot(x[v], x[b]) - cover);
    }
    return gain;
  }

  private static int argmaxGain(double[][] x, int[] shown, int[] candidates) {
    int best = 0;
    double bestGain = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.length; i++) {
      double g = facilityGain(x, shown, candidates, candidates[i]);
      if (g > bestGain) {
        bestGain = g;
        best = i;
      }
    }
    return best;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[][] unitVectors(int n, int d, long seed) {
    Rng rng = new Rng(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        row[j] = rng.nextGaussian();
        norm += row[j] * row[j];
      }
      for (int j = 0; j < d; j++) {
        row[j] /= Math.sqrt(norm);
      }
    }
    return x;
  }

  @Test
  void withAFacilityLocationOracleChooserItIsWindowedStochasticGreedy() {
    int n = 400;
    int budget = 150;
    int aWs = 6;
    int bWs = 8;
    long seed = 17;
    double[][] x = unitVectors(n, 5, 3);
    List<Example> pool = pool(n);
    Chooser oracle = (shown, candidates) -> {
      int[] s = shown.stream().mapToInt(e -> Integer.parseInt(e.id().substring(1))).toArray();
      int[] c = candidates.stream().mapToInt(e -> Integer.parseInt(e.id().substring(1))).toArray();
      return CandidateLabel.answer(argmaxGain(x, s, c));
    };
    Result r = AddOneIn.select(pool, budget, oracle, Settings.defaults(seed).withWindows(aWs, bWs));

    // hand-written windowed stochastic greedy with the draws documented on AddOneIn
    Rng rng = new Rng(seed);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    for (int i = 0; i < aWs; i++) {
      java.util.Collections.swap(all, i, i + rng.nextInt(n - i));
    }
    List<Integer> s = new ArrayList<>(all.subList(0, aWs));
    List<Integer> rest = new ArrayList<>(all.subList(aWs, n));
    List<Integer> expected = new ArrayList<>(s);
    while (s.size() < budget) {
      for (int i = 0; i < aWs; i++) {
        java.util.Collections.swap(s, i, i + rng.nextInt(s.size() - i));
      }
      for (int i = 0; i < bWs; i++) {
        java.util.Collections.swap(rest, i, i + rng.nextInt(rest.size() - i));
      }
      int[] shown = s.subList(0, aWs).stream().mapToInt(Integer::intValue).toArray();
      int[] cands = rest.subList(0, bWs).stream().mapToInt(Integer::intValue).toArray();
      int k = argmaxGain(x, shown, cands);
      int item = rest.get(k);
      rest.set(k, rest.get(rest.size() - 1));
      rest.remove(rest.size() - 1);
      s.add(item);
      expected.add(item);
    }
    assertThat(r.selected()).isEqualTo(expected.stream().map(i -> "e" + i).toList());
    assertThat(r.chooserCalls()).isEqualTo(budget - aWs);
    assertThat(r.invalidReplies()).isZero();
    assertThat(r.callsPerItem(aWs)).isEqualTo(1.0);
  }

  /**
   * Knows S only through what the interface shows (the shown windows and its own picks, all valid) and
   * picks the candidate of the class least represented in what it knows (ties to the first).
   */
  private static final class LeastRepresentedClass implements Chooser {
    final java.util.Set<String> known = new HashSet<>();
    final Map<String, Integer> count = new HashMap<>();

    private void learn(Example e) {
      if (known.add(e.id())) {
        count.merge(e.labels().get(0), 1, Integer::sum);
      }
    }

    @Override
    public String choose(List<Example> shown, List<Example> candidates) {
      shown.forEach(this::learn);
      int best = 0;
      for (int i = 1; i < candidates.size(); i++) {
        if (count.getOrDefault(candidates.get(i).labels().get(0), 0)
            < count.getOrDefault(candidates.get(best).labels().get(0), 0)) {
          best = i;
        }
      }
      learn(candidates.get(best));
      return CandidateLabel.answer(best);
    }
  }

  @Test
  void leastRepresentedClassChooserMakesClassProportionsUniform() {
    // 4 classes of 700, 300, 200 and 150 items (52, 22, 15, 11 %); budget 400 (100 per class if uniform)
    int[] sizes = {700, 300, 200, 150};
    List<Example> pool = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        pool.add(new Example("c" + c + "-" + i, "item", List.of("c" + c), 1));
      }
    }
    Chooser first = (shown, candidates) -> "[[A]]"; // a uniformly random candidate: random selection
    double[] uniform = {0.25, 0.25, 0.25, 0.25};
    long[] balanced = classCounts(AddOneIn.select(pool, 400, new LeastRepresentedClass(), Settings.defaults(8)));
    long[] random = classCounts(AddOneIn.select(pool, 400, first, Settings.defaults(8)));
    // 400 items, Pearson chi-square against uniform with 3 degrees of freedom
    assertThat(GoodnessOfFit.chiSquarePValue(balanced, uniform)).as("balanced %s", java.util.Arrays.toString(balanced))
        .isGreaterThan(0.5);
    assertThat(GoodnessOfFit.chiSquarePValue(random, uniform)).as("random %s", java.util.Arrays.toString(random))
        .isLessThan(1e-9);
  }

  private static long[] classCounts(Result r) {
    long[] counts = new long[4];
    for (String id : r.selected()) {
      counts[id.charAt(1) - '0']++;
    }
    return counts;
  }

  @Test
  void checkpointsArePrefixesAtFloorOfTheFractions() {
    List<Example> pool = pool(205);
    NoisyChooser chooser = new NoisyChooser();
    Result r = AddOneIn.select(pool, 102, chooser, Settings.defaults(2));
    assertThat(r.checkpoints()).extracting(Checkpoint::size).containsExactly(20, 41, 61, 82, 102);
    assertThat(r.checkpoints()).extracting(Checkpoint::fraction).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
    assertThat(r.checkpoints()).extracting(Checkpoint::chooserCalls).isSorted();
    assertThat(r.checkpoints().get(4).chooserCalls()).isEqualTo(r.chooserCalls());
    assertThat(r.idsAt(r.checkpoints().get(1))).isEqualTo(r.selected().subList(0, 41));
    // a checkpoint beyond the budget is not reached
    assertThat(AddOneIn.select(pool, 50, chooser, Settings.defaults(2)).checkpoints())
        .extracting(Checkpoint::size).containsExactly(20, 41);
  }

  @Test
  void reproducibleWithTheSeedAndDifferentAcrossSeeds() {
    List<Example> pool = pool(200);
    Chooser chooser = (s, c) -> "[[" + CandidateLabel.of(c.size() - 1) + "]]";
    Result a = AddOneIn.select(pool, 60, chooser, Settings.defaults(11));
    Result b = AddOneIn.select(pool, 60, chooser, Settings.defaults(11));
    Result c = AddOneIn.select(pool, 60, chooser, Settings.defaults(12));
    assertThat(a).isEqualTo(b);
    assertThat(c.selected()).isNotEqualTo(a.selected());
  }

  @Test
  void selectingTheWholePoolShrinksTheCandidateWindow() {
    List<Example> pool = pool(25);
    List<Integer> windowSizes = new ArrayList<>();
    Result r = AddOneIn.select(pool, 25, (s, c) -> {
      windowSizes.add(c.size());
      return "[[A]]";
    }, Settings.defaults(1));
    assertThat(r.selected()).containsExactlyInAnyOrderElementsOf(pool.stream().map(Example::id).toList());
    assertThat(windowSizes).startsWith(10, 10, 10, 10, 10, 10).endsWith(3, 2, 1).hasSize(15);
  }

  @Test
  void aChooserThatNeverAnswersEndsWithAClearError() {
    int[] calls = {0};
    Chooser broken = (s, c) -> {
      calls[0]++;
      return "I cannot decide.";
    };
    assertThatThrownBy(() -> AddOneIn.select(pool(100), 20, broken, Settings.defaults(1)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("100 invalid in a row")
        .hasMessageContaining("I cannot decide.");
    assertThat(calls[0]).isEqualTo(100);
  }

  @Test
  void badInputIsAClearError() {
    Chooser any = (s, c) -> "[[A]]";
    assertThatThrownBy(() -> AddOneIn.select(pool(30), 31, any, Settings.defaults(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("budget = 31")
        .hasMessageContaining("at most the 30 examples");
    assertThatThrownBy(() -> AddOneIn.select(List.of(), 0, any, Settings.defaults(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("pool size = 0");
    assertThatThrownBy(() -> AddOneIn.select(pool(30), 5, any, Settings.defaults(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("seed set of a_ws = 10");
    assertThatThrownBy(() -> Settings.defaults(1).withWindows(0, 10))
        .isInstanceOf(BadInputException.class).hasMessageContaining("a_ws");
    assertThatThrownBy(() -> Settings.defaults(1).withWindows(10, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("b_ws (candidate window size) = 0");
    assertThatThrownBy(() -> Settings.defaults(1).withWindows(10, 27))
        .isInstanceOf(BadInputException.class).hasMessageContaining("labels A..Z");
    assertThatThrownBy(() -> new Settings(10, 10, List.of(0.1, 1.5), 100, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("checkpoint fraction = 1.5");
    List<Example> twins = List.of(new Example("x", "a", List.of(), 1), new Example("x", "b", List.of(), 1));
    assertThatThrownBy(() -> AddOneIn.select(twins, 1, any, Settings.defaults(1).withWindows(1, 1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("example id = x");
  }
}
