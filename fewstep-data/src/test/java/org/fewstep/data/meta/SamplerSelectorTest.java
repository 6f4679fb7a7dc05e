package org.fewstep.data.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.experiment.MetaInfExperiment;
import org.junit.jupiter.api.Test;

class SamplerSelectorTest {
  private static final Learner.Settings SETTINGS = Learner.Settings.DEFAULT;

  /** Section 15(f): leave-one-out on a table from a known rule; accuracy and regret bounds per learner. */
  @Test
  void learnersRecoverAKnownRuleOnHeldOutSituations() {
    PerformanceTable table = SyntheticTables.table(120, 0.02, 11);
    MetaInfExperiment.Result r = MetaInfExperiment.run(new MetaInfExperiment.Settings(table, List.of(Learner.values()), SETTINGS));
    Map<String, MetaInfExperiment.Score> by = new java.util.HashMap<>();
    r.scores().forEach(s -> by.put(s.method(), s));
    assertThat(r.totalPairs()).isEqualTo(240);
    // the rule's best candidate is the nearest centre: the feature-aware learners find it
    for (String m : List.of("metainf-knn", "metainf-alors", "metainf-regression")) {
      assertThat(by.get(m).accuracy()).as(m).isGreaterThanOrEqualTo(0.85);
      assertThat(by.get(m).meanRegret()).as(m).isLessThanOrEqualTo(0.02);
    }
    assertThat(by.get("metainf-isac").accuracy()).isGreaterThanOrEqualTo(0.7);
    assertThat(by.get("metainf-isac").meanRegret()).isLessThanOrEqualTo(0.1);
    // a fixed choice is right in about a quarter (budget 10) or half (budget 5) of the pairs
    assertThat(by.get("metainf-best-fixed").accuracy()).isLessThan(0.5);
    for (String c : SyntheticTables.CANDIDATES) {
      assertThat(by.get(c).meanRegret()).as(c).isGreaterThan(5 * by.get("metainf-knn").meanRegret());
    }
    assertThat(r.markdown()).contains("metainf-knn").contains("| c0");
    assertThat(r.csv().lines().count()).isEqualTo(1 + 5 + 4);
    assertThat(r.byBudget()).containsOnlyKeys(5, 10);
    assertThat(r.byBudget().get(5)).extracting(MetaInfExperiment.Score::pairs).containsOnly(120);
    assertThat(r.markdown()).contains("at NFE budget");
  }

  /** ALORS and the regression reproduce a rank-1 table linear in a feature exactly. */
  @Test
  void alorsAndRegressionAreExactOnALinearRankOneTable() {
    double[] a = {-2, -1, -3};
    double[] b = {1, -1, 0.5};
    List<PerformanceTable.Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      double g = 0.3 * i;
      for (int c = 0; c < 3; c++) {
        rows.add(new PerformanceTable.Row("s" + i, "s" + i, new SituationFeatures(4, 1, 0.5, 2, g), "c" + c, 8, 8, 8,
            Math.pow(10, a[c] + b[c] * g), 0));
      }
    }
    PerformanceTable table = new PerformanceTable(rows);
    Learner.Settings tiny = new Learner.Settings(5, 6, 1, 1e-10, 0);
    for (Learner l : List.of(Learner.ALORS, Learner.REGRESSION)) {
      SamplerSelector s = SamplerSelector.fit(table, l, tiny);
      for (double g : new double[] {0.1, 1.7, 3.1}) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
          if (a[c] + b[c] * g < a[best] + b[best] * g) {
            best = c;
          }
        }
        Choice choice = s.choose(new SituationFeatures(4, 1, 0.5, 2, g), 8);
        assertThat(choice.sampler()).as(l + " at " + g).isEqualTo("c" + best);
        assertThat(Math.log10(choice.predictedRmse())).isCloseTo(a[best] + b[best] * g, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void aSingleCandidateIsAlwaysChosen() {
    PerformanceTable table = SyntheticTables.table(30, 0.1, 3).filter(r -> r.sampler().equals("c1"));
    for (Learner l : Learner.values()) {
      SamplerSelector s = SamplerSelector.fit(table, l, SETTINGS);
      for (double u = 0; u <= 1; u += 0.25) {
        assertThat(s.choose(SyntheticTables.features(u, 1 - u), 10).sampler()).isEqualTo("c1");
        assertThat(s.choose(SyntheticTables.features(u, u), 7).sampler()).isEqualTo("c1");
      }
    }
  }

  @Test
  void degenerateFeaturesFallBackToTheGloballyBestCandidate() {
    Rng rng = new Rng(5);
    SituationFeatures same = SyntheticTables.features(0.5, 0.5);
    double[] offset = {0.3, -0.2, 0.1, 0.0}; // c1 is best on average
    List<PerformanceTable.Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      for (int c = 0; c < 4; c++) {
        // per situation the best varies (noise 0.3), but on average c1 wins
        rows.add(new PerformanceTable.Row("s" + i, "s" + i, same, "c" + c, 10, 10, 10, Math.pow(10, -2 + offset[c] + 0.3 * rng.nextGaussian()), 0));
      }
    }
    PerformanceTable table = new PerformanceTable(rows);
    PerformanceTable.Slice slice = table.slice(10);
    int global = 0;
    double[] mean = new double[4];
    for (double[] row : slice.logError()) {
      for (int c = 0; c < 4; c++) {
        mean[c] += row[c];
      }
    }
    for (int c = 1; c < 4; c++) {
      global = mean[c] < mean[global] ? c : global;
    }
    assertThat(global).isEqualTo(1);
    for (Learner l : Learner.values()) {
      SamplerSelector s = SamplerSelector.fit(table, l, SETTINGS);
      assertThat(s.choose(same, 10).sampler()).as(l.key()).isEqualTo("c1");
      assertThat(s.choose(SyntheticTables.features(0.1, 0.9), 12).sampler()).as(l.key()).isEqualTo("c1");
    }
  }

  @Test
  void deterministicGivenTheSeed() {
    PerformanceTable table = SyntheticTables.table(60, 0.2, 8);
    for (Learner l : Learner.values()) {
      SamplerSelector s1 = SamplerSelector.fit(table, l, new Learner.Settings(5, 6, 3, 1, 42));
      SamplerSelector s2 = SamplerSelector.fit(table, l, new Learner.Settings(5, 6, 3, 1, 42));
      for (int i = 0; i < 50; i++) {
        SituationFeatures f = SyntheticTables.features(i / 50.0, (i * 7 % 50) / 50.0);
        assertThat(s1.choose(f, 10)).isEqualTo(s2.choose(f, 10));
      }
    }
  }

  @Test
  void aBudgetBetweenRecordedOnesUsesTheLowerOneAndABudgetBelowAllIsAnError() {
    SamplerSelector s = SamplerSelector.fit(SyntheticTables.table(30, 0.02, 1), Learner.KNN, SETTINGS);
    Choice c = s.choose(SyntheticTables.features(0.9, 0.9), 9);
    assertThat(c.recordedBudget()).isEqualTo(5);
    assertThat(c.sampler()).isIn("c0", "c1");
    assertThat(c.nfe()).isLessThanOrEqualTo(9);
    assertThat(s.choose(SyntheticTables.features(0.9, 0.9), 10).sampler()).isEqualTo("c3");
    assertThatThrownBy(() -> s.choose(SyntheticTables.features(0.9, 0.9), 4))
        .isInstanceOf(BadInputException.class).hasMessageContaining("NFE budget").hasMessageContaining("at least 5");
  }

  @Test
  void badSettingsAndNamesAreClearErrors() {
    assertThatThrownBy(() -> Learner.of("forest")).isInstanceOf(BadInputException.class).hasMessageContaining("knn");
    assertThatThrownBy(() -> new Learner.Settings(0, 6, 3, 1, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("neighbours");
    assertThatThrownBy(() -> new Learner.Settings(5, 6, 3, 0, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("ridge");
    assertThat(Learner.of("ALORS")).isEqualTo(Learner.ALORS);
  }
}
