package org.fewstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.data.meta.PerformanceTable;
import org.junit.jupiter.api.Test;

class MetaInfRecordsTest {
  private static final MetaInfRecords.Settings SMALL = new MetaInfRecords.Settings(3, 4, false, List.of("ddim", "dpmpp", "heun"),
      List.of(5, 10, 20), 7);

  @Test
  void recordsFitTheBudgetConvergeAndAreDeterministic() {
    PerformanceTable a = MetaInfRecords.run(SMALL, name -> {});
    PerformanceTable b = MetaInfRecords.run(SMALL, name -> {});
    assertThat(a.situations()).hasSize(3);
    assertThat(a.rows()).hasSize(3 * 3 * 3);
    for (int i = 0; i < a.rows().size(); i++) {
      PerformanceTable.Row r = a.rows().get(i);
      assertThat(r.nfe()).isLessThanOrEqualTo(r.budget());
      assertThat(r.rmse()).isEqualTo(b.rows().get(i).rmse());
      assertThat(r.features()).isEqualTo(b.rows().get(i).features());
    }
    // heun costs 2 NFE a step: 2, 5 and 10 steps in budgets 5, 10, 20
    assertThat(a.slice(5).steps()[2]).isEqualTo(2);
    assertThat(a.slice(20).steps()[2]).isEqualTo(10);
    // every sampler converges to the exact endpoint: 4x the NFE, a smaller error
    for (String s : a.situations()) {
      for (String spec : SMALL.candidates()) {
        double e5 = rmse(a, s, spec, 5);
        double e20 = rmse(a, s, spec, 20);
        assertThat(e20).as(s + " " + spec).isLessThan(e5);
      }
    }
  }

  private static double rmse(PerformanceTable t, String situation, String spec, int budget) {
    return t.rows().stream().filter(r -> r.situation().equals(situation) && r.sampler().equals(spec) && r.budget() == budget)
        .findFirst().orElseThrow().rmse();
  }

  @Test
  void stepsWithinFollowsEachSamplersCost() {
    assertThat(MetaInfRecords.stepsWithin("ddim", 7)).isEqualTo(7);
    assertThat(MetaInfRecords.stepsWithin("heun", 7)).isEqualTo(3);
    assertThat(MetaInfRecords.stepsWithin("dpmpp:order=3", 2)).isZero();
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> new MetaInfRecords.Settings(1, 0, false, List.of("ddim"), List.of(5), 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("noises");
    assertThatThrownBy(() -> new MetaInfRecords.Settings(1, 4, false, List.of("nosuch"), List.of(5), 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("nosuch");
    assertThatThrownBy(() -> new MetaInfRecords.Settings(1, 4, false, List.of(), List.of(5), 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("at least one");
  }
}
