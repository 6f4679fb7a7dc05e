package org.fewstep.data.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.data.experiment.MetaInfExperiment;
import org.fewstep.text.model.HiddenMarkovModel;
import org.fewstep.text.model.HmmMaskedLm;
import org.fewstep.text.model.MaskedModels;
import org.junit.jupiter.api.Test;

/** MetaInf for masked-diffusion decoders (discrete-and-data.md section 15): features, records, held-out choice. */
class MaskedMetaInfTest {
  private static HmmMaskedLm hmm(double[][] transition, double[][] emission) {
    double[] initial = new double[transition.length];
    java.util.Arrays.fill(initial, 1.0 / transition.length);
    return new HiddenMarkovModel("t", List.of("a", "b"), initial, transition, emission, null).masked();
  }

  @Test
  void adjacentStatisticsMatchClosedForms() {
    // one state: independent tokens, p(a) = 0.8; H(next | previous) = H(0.8) / log 2, MI 0
    MaskedFeatures iid = MaskedFeatures.of(hmm(new double[][] {{1}}, new double[][] {{0.8, 0.2}}), 8);
    double h = -(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2));
    assertThat(iid.conditionalEntropy()).isCloseTo(h / Math.log(2), within(1e-9));
    assertThat(iid.mutualInformation()).isCloseTo(0, within(1e-9));
    assertThat(iid.states()).isEqualTo(1);
    assertThat(iid.symbols()).isEqualTo(2);
    // two states that emit their own symbol and stay with probability 0.9 (stationary, uniform): a binary
    // Markov chain, H(next | previous) = H(0.9), MI = log 2 - H(0.9)
    MaskedFeatures chain = MaskedFeatures.of(hmm(new double[][] {{0.9, 0.1}, {0.1, 0.9}}, new double[][] {{1, 0}, {0, 1}}), 16);
    double h9 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
    assertThat(chain.conditionalEntropy()).isCloseTo(h9 / Math.log(2), within(1e-9));
    assertThat(chain.mutualInformation()).isCloseTo(1 - h9 / Math.log(2), within(1e-9));
    assertThat(chain.length()).isEqualTo(16);
  }

  @Test
  void modelsWithoutFeaturesAreAClearError() {
    assertThatThrownBy(() -> MaskedFeatures.of(MaskedModels.create("tiny-transformer"), 8)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("an HMM's exact masked model");
  }

  @Test
  void theBundledRecordsRoundTripAndNeverExceedTheBudget() {
    PerformanceTable t = PerformanceTable.bundled(PerformanceTable.MASKED);
    assertThat(t.domain()).isEqualTo(PerformanceTable.MASKED);
    assertThat(t.models()).contains("motif-hmm", "weather-hmm").hasSizeGreaterThanOrEqualTo(40);
    assertThat(t.budgets()).containsExactly(2, 4, 8, 16, 32);
    for (PerformanceTable.Row r : t.rows()) {
      assertThat(r.nfe()).as(r.situation() + " " + r.sampler()).isLessThanOrEqualTo(r.budget());
    }
    PerformanceTable back = PerformanceTable.parse(t.toCsv(), "again");
    assertThat(back.rows()).hasSize(t.rows().size());
    assertThat(back.rows().get(7).features()).isEqualTo(t.rows().get(7).features());
    // the choice's recorded NFE (the most over every recorded situation) fits the budget, at any features
    SamplerSelector s = MetaInf.defaultMaskedSelector();
    for (int budget = 2; budget <= 40; budget++) {
      for (double mi : new double[] {0, 0.3, 0.9}) {
        Choice c = s.choose(new MaskedFeatures(2 + budget % 7, 4 * budget, 1 + budget % 5, 1 - mi, mi), budget);
        assertThat(c.nfe()).isLessThanOrEqualTo(budget);
        int b = c.recordedBudget();
        assertThat(t.rows().stream().filter(r -> r.budget() == b && r.sampler().equals(c.sampler())).mapToInt(PerformanceTable.Row::nfe).max()
            .orElseThrow()).isLessThanOrEqualTo(budget);
      }
    }
    assertThatThrownBy(() -> s.choose(new MaskedFeatures(2, 8, 2, 0.5, 0.5), 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void beyondTheRecordedLengthsTheChoiceKeepsToTheBudget() {
    assertThat(MetaInf.maskedNfeBound("mdm:steps=16", 8)).isEqualTo(8);
    assertThat(MetaInf.maskedNfeBound("llada:steps=4,temperature=1", 64)).isEqualTo(4);
    assertThat(MetaInf.maskedNfeBound("fhs", 128)).isEqualTo(128);
    assertThat(MetaInf.maskedNfeBound("fast-dllm:threshold=0.9,temperature=1", 40)).isEqualTo(40);
    assertThat(MetaInf.maskedNfeBound("saber:n=2,temperature=1", 8)).isEqualTo(Integer.MAX_VALUE);
    HmmMaskedLm motif = (HmmMaskedLm) MaskedModels.create("motif-hmm");
    for (int length : new int[] {8, 32, 128, 512}) {
      for (int budget : new int[] {2, 5, 16, 32, 64, 256}) {
        for (Choice c : MetaInf.rankedMasked(MaskedFeatures.of(motif, length), budget)) {
          assertThat(MetaInf.maskedNfeBound(c.sampler(), length)).as(length + " " + budget + " " + c.sampler()).isLessThanOrEqualTo(budget);
        }
      }
    }
    assertThat(MetaInf.chooseMasked(motif, 128, 64).sampler()).isNotEqualTo("fhs");
  }

  /**
   * Leave-one-model-out on the bundled masked records. Measured (knn, the default): mean regret 0.045
   * log10 against 0.047 for the best fixed choice per budget, and every single fixed decoder at least
   * 0.11 (those that fit every budget: 0.34 and more).
   */
  @Test
  void theDefaultLearnerIsNoWorseThanTheBestFixedChoiceOnHeldOutModels() {
    MetaInfExperiment.Result r = MetaInfExperiment.run(MetaInfExperiment.Settings.MASKED);
    Map<String, MetaInfExperiment.Score> by = new HashMap<>();
    r.scores().forEach(x -> by.put(x.method(), x));
    MetaInfExperiment.Score knn = by.get("metainf-" + MetaInf.DEFAULT_LEARNER.key());
    MetaInfExperiment.Score fixed = by.get("metainf-best-fixed");
    assertThat(knn.pairs()).isEqualTo(r.totalPairs());
    assertThat(knn.meanRegret()).isLessThanOrEqualTo(fixed.meanRegret() + 0.005);
    assertThat(knn.meanRegret()).isLessThan(0.06);
    for (MetaInfExperiment.Score s : r.scores()) {
      if (s.kind().equals("fixed")) {
        assertThat(s.meanRegret()).as(s.method()).isGreaterThan(2 * knn.meanRegret());
      }
    }
    assertThat(r.markdown()).contains("masked-decoder").contains("adjacent-pair TV");
  }
}
