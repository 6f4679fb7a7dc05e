package org.fewstep.scaling.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Sample;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link SelfConsistency}, {@link MaxProbability}, {@link PerplexityConsistency},
 * {@link ReasoningPruning} and {@link Rpc}. Oracles: test vector K of the decoding brief (Sec. 16),
 * hand-computed vote tables, the identity "one distinct path per answer and no pruning gives the
 * most probable path", and the pruning rule under a fixed mixture evaluated by hand.
 */
class SelectorsTest {

  /** A sample whose mean token log-probability and sequence log-probability are both log p. */
  private static Sample path(String answer, String text, double p) {
    return new Sample(text, answer, Math.log(p), 1);
  }

  /** Test vector K: (A,t1,.30) twice, (A,t2,.10), (B,t3,.35), (B,t4,.04). */
  private static final List<Sample> K = List.of(path("A", "t1", 0.30), path("A", "t1", 0.30), path("A", "t2", 0.10),
      path("B", "t3", 0.35), path("B", "t4", 0.04));

  @Test
  void testVectorK() {
    Selection sc = SelfConsistency.select(K);
    assertThat(sc.answer()).isEqualTo("A");
    assertThat(sc.scores()).containsExactly(java.util.Map.entry("A", 3.0), java.util.Map.entry("B", 2.0));
    assertThat(sc.confidence()).isCloseTo(0.6, offset(1e-12));

    assertThat(MaxProbability.select(K).answer()).isEqualTo("B");
    assertThat(MaxProbability.select(K).scores().get("B")).isCloseTo(0.35, offset(1e-12));

    Selection pc = PerplexityConsistency.select(K);
    assertThat(pc.answer()).isEqualTo("A");
    assertThat(pc.scores().get("A")).isCloseTo(0.40, offset(1e-12));
    assertThat(pc.scores().get("B")).isCloseTo(0.39, offset(1e-12));
    assertThat(pc.confidence()).isCloseTo(0.40 / 0.79, offset(1e-12));
    assertThat(pc.confidence()).isCloseTo(0.5063, offset(5e-5));
    assertThat(pc.tied()).containsExactly("A");
  }

  @Test
  void sequenceProbabilityUsesWholePathsAndKeepsTheConfidence() {
    // the same K probabilities as sequence probabilities; token counts make the mean-token view differ
    int[] tokens = {10, 10, 40, 3, 2};
    List<Sample> seq = new ArrayList<>();
    for (int i = 0; i < K.size(); i++) {
      Sample s = K.get(i);
      seq.add(new Sample(s.text(), s.answer(), s.logProbability(), tokens[i]));
    }
    Selection pc = PerplexityConsistency.select(seq, PathProbability.SEQUENCE);
    assertThat(pc.answer()).isEqualTo("A");
    assertThat(pc.scores().get("A")).isCloseTo(0.40 / 0.35, offset(1e-12)); // relative to the best path
    assertThat(pc.confidence()).isCloseTo(0.40 / 0.79, offset(1e-12));
    // mean-token view: A = 0.3^(1/10) + 0.1^(1/40), B = 0.35^(1/3) + 0.04^(1/2)
    Selection mean = PerplexityConsistency.select(seq, PathProbability.MEAN_TOKEN);
    double a = Math.pow(0.3, 0.1) + Math.pow(0.1, 1 / 40.0);
    double b = Math.pow(0.35, 1 / 3.0) + Math.pow(0.04, 0.5);
    assertThat(mean.scores().get("A")).isCloseTo(a, offset(1e-12));
    assertThat(mean.scores().get("B")).isCloseTo(b, offset(1e-12));
  }

  @Test
  void duplicateTextsCountOnceButEachVoteCounts() {
    List<Sample> s = List.of(path("A", "same", 0.5), path("A", "same", 0.5), path("A", "same", 0.5),
        path("B", "x", 0.3), path("B", "y", 0.3));
    assertThat(PerplexityConsistency.select(s).answer()).isEqualTo("B"); // 0.6 > 0.5
    assertThat(PerplexityConsistency.select(s).scores().get("A")).isCloseTo(0.5, offset(1e-12));
    assertThat(SelfConsistency.select(s).answer()).isEqualTo("A"); // 3 votes > 2
  }

  @Test
  void onePathPerAnswerWithoutPruningIsTheMostProbablePath() {
    Rng rng = new Rng(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(12);
      List<Sample> s = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        s.add(new Sample("path " + i, "answer " + i, -5 * rng.nextDouble(), 1 + rng.nextInt(30)));
      }
      for (PathProbability mode : PathProbability.values()) {
        Selection pc = PerplexityConsistency.select(s, mode);
        Selection best = MaxProbability.select(s, mode);
        assertThat(pc.answer()).isEqualTo(best.answer());
        assertThat(pc.confidence()).isCloseTo(best.confidence(), offset(1e-12));
      }
    }
  }

  @Test
  void tiesGoToTheAnswerSeenFirstAndAreReported() {
    List<Sample> s = List.of(path("B", "1", 0.2), path("A", "2", 0.2), path("A", "3", 0.2), path("B", "4", 0.2));
    Selection sc = SelfConsistency.select(s);
    assertThat(sc.answer()).isEqualTo("B");
    assertThat(sc.tied()).containsExactly("B", "A");
    assertThat(sc.confidence()).isEqualTo(0.5);
    assertThat(PerplexityConsistency.select(s).answer()).isEqualTo("B");
    assertThat(MaxProbability.select(s).tied()).containsExactly("B", "A");
  }

  @Test
  void nullAnswersNeverWin() {
    List<Sample> s = List.of(path(null, "1", 0.9), path(null, "2", 0.8), path(null, "3", 0.7), path("A", "4", 0.1));
    assertThat(SelfConsistency.select(s).answer()).isEqualTo("A");
    assertThat(SelfConsistency.select(s).confidence()).isEqualTo(1.0);
    assertThat(PerplexityConsistency.select(s).answer()).isEqualTo("A");
    assertThat(MaxProbability.select(s).answer()).isEqualTo("A");
    Selection none = SelfConsistency.select(List.of(path(null, "1", 0.5)));
    assertThat(none.answer()).isNull();
    assertThat(none.confidence()).isZero();
    assertThat(none.scores()).isEmpty();
  }

  @Test
  void weightedVotingSumsWeights() {
    List<Sample> s = List.of(path("A", "1", 0.5), path("A", "2", 0.5), path("B", "3", 0.5));
    Selection w = SelfConsistency.select(s, new double[] {0.1, 0.2, 0.5});
    assertThat(w.answer()).isEqualTo("B");
    assertThat(w.confidence()).isCloseTo(0.5 / 0.8, offset(1e-12));
    Selection zero = SelfConsistency.select(s, new double[] {0, 0, 0});
    assertThat(zero.answer()).isEqualTo("A");
    assertThat(zero.confidence()).isEqualTo(0.5);
  }

  @Test
  void pruningRuleUnderAFixedMixture() {
    // high component (k 10, lambda 0.9), low (k 10, lambda 0.3): the posterior switches near 0.5
    var m = new WeibullMixture(0.5, 10, 0.9, 10, 0.3);
    assertThat(ReasoningPruning.prune(m, new double[] {0.3, 0.31, 0.9})).containsExactly(true, true, false);
    // all three are low by posterior, but 0.3 is above the mean 0.29 and 0.29 equals it
    assertThat(ReasoningPruning.prune(m, new double[] {0.3, 0.29, 0.28})).containsExactly(false, false, true);
    // below the mean 1.25 but high by posterior: kept
    assertThat(ReasoningPruning.prune(m, new double[] {0.85, 0.9, 2.0})).containsExactly(false, false, false);
  }

  /** 24 low paths answer A (sum 6.36) outweigh 6 high paths answer B (sum 5.46) until A is pruned. */
  @Test
  void prunedPathsContributeNothing() {
    List<Sample> s = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      s.add(path("A", "low " + i, 0.15 + 0.01 * i));
    }
    for (int i = 0; i < 6; i++) {
      s.add(path("B", "high " + i, 0.86 + 0.02 * i));
    }
    assertThat(PerplexityConsistency.select(s).answer()).isEqualTo("A");
    var pruning = ReasoningPruning.of(PathProbability.MEAN_TOKEN.of(s));
    for (int i = 0; i < 30; i++) {
      assertThat(pruning.pruned()[i]).as("path %d", i).isEqualTo(i < 24);
    }
    Selection rpc = Rpc.select(s);
    assertThat(rpc.answer()).isEqualTo("B");
    assertThat(rpc.scores().get("A")).isZero();
    assertThat(rpc.scores().get("B")).isCloseTo(5.46, offset(1e-12));
    assertThat(rpc.confidence()).isEqualTo(1.0);
  }

  @Test
  void fewOrEqualPathsAreNeverPrunedBelowTheBest() {
    assertThat(ReasoningPruning.of(new double[] {0.4}).pruned()).containsExactly(false);
    assertThat(ReasoningPruning.of(new double[] {0.4}).mixture()).isNull();
    assertThat(ReasoningPruning.of(new double[] {0.4, 0.4, 0.4}).pruned()).containsExactly(false, false, false);
    // two distinct values: the fit runs (as in the official code); the better path always survives
    assertThat(ReasoningPruning.of(new double[] {0.2, 0.7}).pruned()[1]).isFalse();
    assertThat(Rpc.select(List.of(path("A", "1", 0.6))).answer()).isEqualTo("A");
    // an underflowed path (p = 0) below the mean is pruned and left out of the fit
    assertThat(ReasoningPruning.of(new double[] {0, 0.5, 0.6, 0.7}).pruned()[0]).isTrue();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> SelfConsistency.select(List.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("samples = an empty list");
    assertThatThrownBy(() -> Rpc.select(List.of())).isInstanceOf(BadInputException.class).hasMessageContaining("samples");
    assertThatThrownBy(() -> PerplexityConsistency.select(List.of())).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> MaxProbability.select(null)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> SelfConsistency.select(K, new double[] {1, 1, -0.5, 1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("weights[2] = -0.5");
    assertThatThrownBy(() -> SelfConsistency.select(K, new double[] {1, Double.NaN, 1, 1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("weights[1]");
    assertThatThrownBy(() -> SelfConsistency.select(K, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("weights length = 2: expected 5");
    assertThatThrownBy(() -> ReasoningPruning.of(new double[] {0.5, -0.1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("path probabilities[1]");
  }
}
