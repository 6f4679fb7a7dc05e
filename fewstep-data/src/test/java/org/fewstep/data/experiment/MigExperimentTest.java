package org.fewstep.data.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.data.experiment.MigExperiment.Result;
import org.fewstep.data.experiment.MigExperiment.Row;
import org.fewstep.data.experiment.MigExperiment.Settings;
import org.junit.jupiter.api.Test;

/** MIG's qualitative claim at small scale: more information than random at equal budget, no worse downstream. */
class MigExperimentTest {

  @Test
  void migBeatsRandomOnInformationAndMatchesItDownstream() {
    Result r = MigExperiment.run(new Settings(30, 0.1, 5, 1));
    System.out.println(r.markdown());
    Row mig = r.row("MIG (first-order, reference)");
    Row random = r.row("random (5 seeds)");
    assertThat(r.budget()).isEqualTo(18);
    assertThat(mig.information()).isGreaterThan(random.information() + 3 * random.informationSd());
    assertThat(mig.covered()).isEqualTo(10);
    assertThat(mig.balancedAccuracy()).isGreaterThanOrEqualTo(random.balancedAccuracy() - 0.02);
    assertThat(r.csv().lines().count()).isEqualTo(1 + r.rows().size());
  }
}
