package org.fewstep.data.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.fewstep.core.BadInputException;

/** Section 15(f): no learner ever chooses a sampler whose NFE exceeds the budget. */
class BudgetProperties {
  private static final SamplerSelector[] SELECTORS = java.util.Arrays.stream(Learner.values())
      .map(l -> SamplerSelector.fit(PerformanceTable.bundled(), l, Learner.Settings.DEFAULT)).toArray(SamplerSelector[]::new);

  @Property(tries = 300, seed = "15")
  void theChoiceNeverExceedsTheBudget(@ForAll @IntRange(min = 1, max = 60) int budget, @ForAll @IntRange(min = 1, max = 1024) int dimension,
      @ForAll @DoubleRange(min = 0.01, max = 10) double std, @ForAll @DoubleRange(min = 0, max = 2) double ratio,
      @ForAll @IntRange(min = 0, max = 100) int classes, @ForAll @DoubleRange(min = 0, max = 10) double guidance) {
    SituationFeatures f = new SituationFeatures(dimension, std, ratio, classes, guidance);
    for (SamplerSelector s : SELECTORS) {
      if (budget < 5) {
        assertThatThrownBy(() -> s.choose(f, budget)).isInstanceOf(BadInputException.class);
        continue;
      }
      Choice c = s.choose(f, budget);
      assertThat(c.nfe()).isLessThanOrEqualTo(budget);
      assertThat(c.recordedBudget()).isLessThanOrEqualTo(budget);
      assertThat(c.steps()).isEqualTo(DiffusionCandidates.stepsWithin(c.sampler(), c.recordedBudget()));
    }
  }
}
