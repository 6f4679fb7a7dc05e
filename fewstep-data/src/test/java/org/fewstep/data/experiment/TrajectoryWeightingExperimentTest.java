package org.fewstep.data.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.Rng;
import org.fewstep.data.experiment.TrajectoryWeightingExperiment.Result;
import org.fewstep.data.experiment.TrajectoryWeightingExperiment.Settings;
import org.fewstep.data.rl.TrajectoryDataset;
import org.fewstep.data.rl.TrajectoryWeighting;
import org.junit.jupiter.api.Test;

/** The paper's claim on the toy MDP (discrete-and-data.md section 10 (d), (f)). */
class TrajectoryWeightingExperimentTest {

  @Test
  void exactReturnOfTheOptimalPolicyIsHandComputed() {
    Settings s = Settings.defaults();
    // always right from starts 0, 2, 4 of 8 positions, horizon 12: reach 7 at step 7, 5, 3 -> 5, 7, 9 rewards
    double[][] right = new double[8][];
    for (int p = 0; p < 8; p++) {
      right[p] = new double[] {0, 1};
    }
    assertThat(TrajectoryWeightingExperiment.exactReturn(s, right)).isCloseTo(7, within(1e-12));
  }

  @Test
  void bcOnRwDataBeatsBcOnUniformDataOnEverySeed() {
    Settings s = Settings.defaults().withSeeds(1, 2, 3);
    for (long seed : s.seeds()) {
      TrajectoryDataset data = TrajectoryWeightingExperiment.dataset(s, new Rng(seed));
      double uniform = TrajectoryWeightingExperiment.cloneReturn(s, TrajectoryWeighting.uniform().weights(data));
      double rw = TrajectoryWeightingExperiment.cloneReturn(s, TrajectoryWeighting.returnWeighted(0.1).weights(data));
      assertThat(rw).as("seed %d", seed).isGreaterThan(uniform + 1.0);
    }
    Result r = TrajectoryWeightingExperiment.run(s);
    assertThat(r.row("RW-0.1").mean()).isGreaterThan(r.row("uniform").mean() + 1.0);
    assertThat(r.row("AW-0.1").mean()).isGreaterThan(r.row("uniform").mean() + 1.0);
    assertThat(r.row("Top-0.1").mean()).isGreaterThan(r.row("uniform").mean() + 1.0);
    assertThat(r.markdown()).contains("| RW-0.1 |");
    assertThat(r.csv().lines().count()).isEqualTo(1 + 4 * 3);
  }
}
