package org.fewstep.data.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.data.experiment.AoiExperiment.Result;
import org.fewstep.data.experiment.AoiExperiment.Row;
import org.fewstep.data.experiment.AoiExperiment.Settings;
import org.junit.jupiter.api.Test;

/** The experiment at small scale: Add-One-In with the embedding chooser beats random selection. */
class AoiExperimentTest {

  @Test
  void smallRun() {
    Settings s = new Settings(600, 10, 16, 0.5, 120, 10, 10, List.of(0.1, 0.2), List.of(1L, 2L, 3L));
    Result r = AoiExperiment.run(s);
    assertThat(r.rows()).hasSize(4);
    assertThat(r.csv().lines()).hasSize(5);
    // calibrated once at these seeds (observed gaps: entropy +0.21 / +0.20, quality +0.20 / +0.21, clusters
    // +3.0 / +2.7, facility location +0.006 / +0.002); the margins are about half of them. Facility location
    // (representativeness) is only required not to be worse: the chooser trades some of it for quality
    // (in the full run it is 0.002 below random at 10 % and 0.002 above at 50 %).
    for (double f : List.of(0.1, 0.2)) {
      Row aoi = r.row("add-one-in", f);
      Row random = r.row("random", f);
      assertThat(aoi.entropy()).as("entropy at %s", f).isGreaterThan(random.entropy() + 0.1);
      assertThat(aoi.quality()).as("quality at %s", f).isGreaterThan(random.quality() + 0.1);
      assertThat(aoi.coverage()).as("clusters at %s", f).isGreaterThan(random.coverage() + 1.5);
      assertThat(aoi.facility()).as("facility location at %s", f).isGreaterThan(random.facility() - 0.003);
      assertThat(aoi.callsPerItem()).isEqualTo(1.0); // the embedding chooser always answers validly
    }
    assertThat(AoiExperiment.halvingSizes(2000, 10)).containsExactly(1001, 500, 250, 125, 63, 31, 16, 8, 4, 2);
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> new Settings(100, 10, 16, 0.5, 101, 10, 10, List.of(0.1), List.of(1L)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("budget = 101");
    assertThatThrownBy(() -> new Settings(100, 10, 16, 0.5, 50, 0, 10, List.of(0.1), List.of(1L)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("a_ws");
    assertThatThrownBy(() -> new Settings(100, 10, 16, 0.5, 50, 10, 10, List.of(0.1), List.of()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("seeds");
  }
}
