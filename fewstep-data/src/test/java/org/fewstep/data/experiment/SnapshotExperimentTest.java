package org.fewstep.data.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.data.experiment.SnapshotExperiment.Result;
import org.fewstep.data.experiment.SnapshotExperiment.Settings;
import org.junit.jupiter.api.Test;

/** The paper's claim in the toy (discrete-and-data.md section 12 (d)): snapshot starts reach the threshold sooner. */
class SnapshotExperimentTest {

  @Test
  void snapshotStartsReachTheThresholdInFewerEnvironmentSteps() {
    Settings s = Settings.defaults().with(40_000, 10_000, 1, 2, 3, 4, 5);
    Result r = SnapshotExperiment.run(s);
    double original = r.row("original").meanSteps();
    for (String method : new String[] {"SnapshotRL", "SC only", "STT only", "S3RL"}) {
      assertThat(r.row(method).reached()).as(method).isEqualTo(5);
      assertThat(r.row(method).meanSteps()).as(method).isLessThan(0.7 * original);
      assertThat(r.row(method).meanFinalReturn()).as(method).isEqualTo(1.0);
    }
    assertThat(r.markdown()).contains("| S3RL |");
    assertThat(r.csv().lines().count()).isEqualTo(1 + 5 * 5);
  }
}
