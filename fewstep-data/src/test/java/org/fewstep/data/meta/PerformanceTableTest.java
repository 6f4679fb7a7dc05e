package org.fewstep.data.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpLinearSchedule;
import org.junit.jupiter.api.Test;

class PerformanceTableTest {
  private static final String HEADER = String.join(",", PerformanceTable.COLUMNS);

  @Test
  void csvRoundTripsIncludingQuotedSpecs() {
    PerformanceTable t = SyntheticTables.table(5, 0.1, 2);
    List<PerformanceTable.Row> rows = new java.util.ArrayList<>(t.rows());
    PerformanceTable.Row r = rows.get(0);
    rows.set(0, new PerformanceTable.Row(r.situation(), r.model(), r.features(), "unipc:order=3,variant=bh1", r.budget(), r.steps(),
        r.nfe(), r.rmse(), r.seconds()));
    PerformanceTable back = PerformanceTable.parse(new PerformanceTable(rows).toCsv(), "test");
    assertThat(back.rows()).hasSize(rows.size());
    assertThat(back.rows().get(0).sampler()).isEqualTo("unipc:order=3,variant=bh1");
    assertThat(back.rows().get(3).rmse()).isCloseTo(rows.get(3).rmse(), org.assertj.core.data.Offset.offset(1e-6 * rows.get(3).rmse()));
    assertThat(back.budgets()).containsExactly(5, 10);
  }

  @Test
  void theBundledRecordsCoverEveryCandidateAndBudgetWithinItsNfe() {
    PerformanceTable t = PerformanceTable.bundled();
    assertThat(t.budgets()).containsExactlyElementsOf(DiffusionCandidates.BUDGETS);
    assertThat(t.models()).contains("gmm-2d", "gmm-16d", "gmm-64d", "digits");
    assertThat(t.situations().size()).isGreaterThanOrEqualTo(100);
    for (int b : t.budgets()) {
      PerformanceTable.Slice s = t.slice(b); // complete situations x candidates, or it throws
      assertThat(java.util.Arrays.stream(s.nfe()).max().orElseThrow()).isLessThanOrEqualTo(b);
    }
    assertThat(t.slice(20).candidates()).containsExactlyInAnyOrderElementsOf(DiffusionCandidates.CANDIDATES);
  }

  @Test
  void malformedTablesAreClearErrors() {
    assertThatThrownBy(() -> PerformanceTable.parse("", "t.csv")).isInstanceOf(BadInputException.class).hasMessageContaining("t.csv")
        .hasMessageContaining("header");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n", "t.csv")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("at least one measurement");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER.replace("guidance", "resolution") + "\n", "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("unknown: resolution");
    String good = "s,m,2,1.0,0.5,0,0,ddim,5,5,5,0.1,0.01";
    assertThat(PerformanceTable.parse(HEADER + "\n" + good + "\n", "t.csv").rows()).hasSize(1);
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n" + good + "\ns,m,2,1.0\n", "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("t.csv line 3").hasMessageContaining("13 cells");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n" + good.replace("0.1,0.01", "abc,0.01"), "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("line 2, rmse").hasMessageContaining("abc");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n" + good.replace("ddim,5,5,5", "ddim,5,5,6"), "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("nfe").hasMessageContaining("at most the budget 5");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n" + good.replace("1.0,0.5", "-1,0.5"), "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("data_std");
    assertThatThrownBy(() -> PerformanceTable.parse(HEADER + "\n\"s,m,2", "t.csv"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("closed quotes");
    // a sampler measured on one situation but not another at the same budget
    String other = "s2,m2,2,1.0,0.5,0,0,dpmpp,5,5,5,0.1,0.01";
    PerformanceTable holes = PerformanceTable.parse(HEADER + "\n" + good + "\n" + other + "\n", "t.csv");
    assertThatThrownBy(() -> holes.slice(5)).isInstanceOf(BadInputException.class).hasMessageContaining("no row for situation");
    assertThatThrownBy(() -> holes.slice(7)).isInstanceOf(BadInputException.class).hasMessageContaining("a recorded budget [5]");
  }

  @Test
  void featuresFollowTheirDefinitions() {
    // two points 0 and 1 in 1-D: std 0.5, nearest-neighbour distance 1, ratio 1 / (0.5 sqrt 2)
    SituationFeatures two = SituationFeatures.fromData(new double[][] {{0}, {1}}, 3, 2.5);
    assertThat(two.dataStd()).isEqualTo(0.5);
    assertThat(two.neighbourRatio()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(two.vector()).containsExactly(0, Math.log(0.5), two.neighbourRatio(), Math.log(4), 2.5);
    // duplicated points: ratio 0
    assertThat(SituationFeatures.fromData(new double[][] {{0, 0}, {0, 0}, {1, 1}, {1, 1}}, 0, 0).neighbourRatio()).isZero();
    SituationFeatures gmm = SituationFeatures.of(Diffusion.model("gmm-2d"), null);
    assertThat(gmm.dimension()).isEqualTo(2);
    assertThat(gmm.classes()).isEqualTo(8);
    assertThat(gmm.guidance()).isZero();
    assertThat(gmm.dataStd()).isBetween(0.9, 1.2); // 8 points on a circle, std 0.1 each
    assertThat(gmm.neighbourRatio()).isLessThan(0.1); // sharp clusters
    assertThat(SituationFeatures.of(Diffusion.model("digits:per-class=5"), 2.0).dimension()).isEqualTo(784);
  }

  @Test
  void featuresOfAModelWithoutKnownDataAreAClearError() {
    DiffusionModel opaque = new DiffusionModel() {
      @Override
      public NoiseSchedule schedule() {
        return VpLinearSchedule.standard();
      }

      @Override
      public int[] itemShape() {
        return new int[] {3};
      }

      @Override
      public Prediction prediction() {
        return Prediction.of("x0");
      }

      @Override
      public void predict(double[] x, int n, TimePoint at, Conditioning conditioning, double[] out) {}
    };
    assertThatThrownBy(() -> SituationFeatures.of(opaque, null)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("model").hasMessageContaining("known data");
    assertThatThrownBy(() -> new SituationFeatures(0, 1, 0, 0, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("dimension");
    assertThatThrownBy(() -> new SituationFeatures(2, 1, 0, 0, -1)).isInstanceOf(BadInputException.class).hasMessageContaining("guidance");
  }
}
