package org.fewstep.scaling.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Trace;
import org.fewstep.scaling.task.ArithmeticTask;
import org.junit.jupiter.api.Test;

/** Step-level beam search and DVTS: costs, the degenerate cases, and what an exact PRM buys. */
class BeamSearchTest {
  private static final ArithmeticTask TASK = new ArithmeticTask(new int[] {9, 14, 3, 27, 8, 41, 5, 19}, 0.35);

  @Test
  void costsFollowTheBudget() {
    Solution b = BeamSearch.beam(TASK, Prm.exact(TASK), 8, 4, 1, new Rng(1));
    assertThat(b.cost().generations()).isEqualTo(8);
    assertThat(b.cost().steps()).isEqualTo(8 * 7);
    assertThat(b.cost().rewardCalls()).isEqualTo(8 * 7);
    Solution d = BeamSearch.dvts(TASK, Prm.exact(TASK), 8, 4, 1, new Rng(1));
    assertThat(d.cost().steps()).isEqualTo(2 * 4 * 7);
    assertThat(b.trace().finished()).isTrue();
    assertThat(d.trace().finished()).isTrue();
  }

  @Test
  void withAnExactPrmAGreedyStepNeverLeavesASolvableBranchForAnUnsolvableOne() {
    // with width 8 on one subtree each kept step is the best of 8 continuations under the exact PRM:
    // a right line (P 0.65 each) is always among them unless all 8 slip (0.35^8 < 3e-4 per line)
    int solved = 0;
    for (int seed = 0; seed < 100; seed++) {
      Solution s = BeamSearch.dvts(TASK, Prm.exact(TASK), 8, 8, 1, new Rng(seed));
      solved += TASK.correct(s.trace()) ? 1 : 0;
    }
    assertThat(solved).isGreaterThanOrEqualTo(99);
  }

  @Test
  void widthOneIsBestOfNWithThePrmAsVerifier() {
    // width 1: every beam is kept and continued once, so the N beams are N independent samples and the
    // answer is the one the PRM scores highest; with the exact PRM that is "solved iff any sample is"
    double p = TASK.successProbability(TASK.start());
    int runs = 2000;
    int solved = 0;
    for (int seed = 0; seed < runs; seed++) {
      Trace t = BeamSearch.beam(TASK, Prm.exact(TASK), 4, 1, 1, new Rng(seed)).trace();
      solved += TASK.correct(t) ? 1 : 0;
    }
    double coverage = 1 - Math.pow(1 - p, 4);
    assertThat(solved / (double) runs).isCloseTo(coverage, org.assertj.core.data.Offset.offset(
        4 * Math.sqrt(coverage * (1 - coverage) / runs)));
  }

  @Test
  void badBudgets() {
    assertThatThrownBy(() -> BeamSearch.beam(TASK, Prm.exact(TASK), 6, 4, 1, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("budget N = 6: expected a multiple of the width 4");
    assertThatThrownBy(() -> BeamSearch.dvts(TASK, Prm.exact(TASK), 4, 0, 1, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("width");
  }
}
