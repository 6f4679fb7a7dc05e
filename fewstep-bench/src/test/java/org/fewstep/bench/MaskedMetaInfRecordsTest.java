package org.fewstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.data.meta.PerformanceTable;
import org.junit.jupiter.api.Test;

class MaskedMetaInfRecordsTest {
  private static final MaskedMetaInfRecords.Settings SMALL = new MaskedMetaInfRecords.Settings(2, 200, true,
      List.of("fhs", "mdm:steps=2", "mdm:steps=8", "fast-dllm:threshold=0.9,temperature=1"), List.of(2, 4, 8), List.of(8), 3);

  @Test
  void recordsFitTheBudgetAreDeterministicAndOrderTheDecoders() {
    PerformanceTable a = MaskedMetaInfRecords.run(SMALL, name -> {});
    PerformanceTable b = MaskedMetaInfRecords.run(SMALL, name -> {});
    assertThat(a.models()).containsExactly("motif-hmm", "weather-hmm", "random-hmm-0", "random-hmm-1");
    Map<String, Integer> worst = new HashMap<>();
    for (int i = 0; i < a.rows().size(); i++) {
      PerformanceTable.Row r = a.rows().get(i);
      assertThat(r.nfe()).isLessThanOrEqualTo(r.budget());
      assertThat(r.rmse()).isEqualTo(b.rows().get(i).rmse());
      worst.merge(r.sampler(), r.nfe(), Math::max);
    }
    // a candidate is recorded at a budget exactly when its NFE fits it in every situation
    for (int budget : SMALL.budgets()) {
      for (String spec : SMALL.candidates()) {
        boolean recorded = a.rows().stream().anyMatch(r -> r.budget() == budget && r.sampler().equals(spec));
        assertThat(recorded).as(spec + " at " + budget).isEqualTo(worst.get(spec) <= budget);
      }
    }
    assertThat(a.slice(2).candidates()).containsExactly("mdm:steps=2");
    assertThat(a.slice(8).candidates()).contains("fhs", "mdm:steps=8");
    // motif-hmm's tokens are strongly correlated: two parallel steps are far from the law, one token a step is not
    assertThat(tv(a, "motif-hmm L=8", "mdm:steps=2")).isGreaterThan(2 * tv(a, "motif-hmm L=8", "fhs"));
  }

  private static double tv(PerformanceTable t, String situation, String spec) {
    return t.rows().stream().filter(r -> r.situation().equals(situation) && r.sampler().equals(spec)).findFirst().orElseThrow().rmse();
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> new MaskedMetaInfRecords.Settings(1, 1, false, List.of("fhs"), List.of(2), List.of(8), 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("samples");
    assertThatThrownBy(() -> new MaskedMetaInfRecords.Settings(1, 4, false, List.of("nosuch"), List.of(2), List.of(8), 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("nosuch");
  }
}
