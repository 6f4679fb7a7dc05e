package org.fewstep.data.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.rl.AdditionReasoner.Problem;
import org.fewstep.data.rl.AdditionReasoner.Response;
import org.fewstep.data.rl.Raft.Allocation;
import org.junit.jupiter.api.Test;

/** The GVM-RAFT loop: estimation stage, SFT gradient, budget accounting. */
class RaftTest {
  private static final List<Problem> PROMPTS = AdditionReasoner.problems(12, 5);

  @Test
  void estimationStageIsAcceptedOverN0AndTheMeanNormOfTheAccepted() {
    AdditionReasoner policy = AdditionReasoner.initial();
    Raft.Estimate e = Raft.estimate(policy, PROMPTS, 8, new Rng(77));
    Rng replay = new Rng(77);
    for (int i = 0; i < PROMPTS.size(); i++) {
      Problem x = PROMPTS.get(i);
      int accepted = 0;
      double norms = 0;
      for (int k = 0; k < 8; k++) {
        Response y = policy.sample(x, replay);
        if (y.answer() == x.sum()) {
          accepted++;
          double[] g = policy.negLogProbabilityGradient(x, y);
          norms += Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
        }
      }
      assertThat(e.acceptRates()[i]).isEqualTo(accepted / 8.0);
      assertThat(e.gradNorms()[i]).isCloseTo(accepted == 0 ? 0 : norms / accepted, within(1e-12));
      assertThat(e.accepted().get(i)).hasSize(accepted);
    }
  }

  @Test
  void sftGradientIsTheGradientOfThePerPromptAveragedLoss() {
    AdditionReasoner policy = AdditionReasoner.initial().moved(0.3, new double[] {0, 1, -1, 0, 0.5, 2, 0, -1, 1, 0, 0, 1});
    List<List<Response>> data = new ArrayList<>();
    for (int i = 0; i < PROMPTS.size(); i++) {
      data.add(new ArrayList<>());
    }
    int[] counts = new int[PROMPTS.size()];
    Arrays.fill(counts, 12);
    counts[0] = 0; // a prompt without data is left out of the average
    Raft.eStep(policy, PROMPTS, counts, new Rng(4), data);
    double[] g = Raft.sftGradient(policy, PROMPTS, data);
    double h = 1e-5;
    for (int k = 0; k < AdditionReasoner.PARAMETERS; k++) {
      double[] e = new double[AdditionReasoner.PARAMETERS];
      e[k] = 1;
      double fd = (loss(policy.moved(h, e), data) - loss(policy.moved(-h, e), data)) / (2 * h);
      assertThat(g[k]).as("parameter %d", k).isCloseTo(fd, within(1e-7));
    }
  }

  private static double loss(AdditionReasoner policy, List<List<Response>> data) {
    double total = 0;
    int used = 0;
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i).isEmpty()) {
        continue;
      }
      used++;
      double s = 0;
      for (Response y : data.get(i)) {
        s -= policy.logProbability(PROMPTS.get(i), y);
      }
      total += s / data.get(i).size();
    }
    return total / used;
  }

  @Test
  void everyAllocationDrawsTheSameBudget() {
    // GVM's n0 estimation draws count; the oracle's statistics are free, so its whole budget is E-step draws
    Raft.Settings s = new Raft.Settings(3, 16, 8, true, 0.25, 2, GvmAllocation.Settings.defaults());
    List<Problem> heldOut = AdditionReasoner.problems(4, 6);
    for (Allocation a : Allocation.values()) {
      List<Raft.Iteration> its = Raft.train(AdditionReasoner.initial(), PROMPTS, heldOut, a, s, 9);
      assertThat(its).hasSize(4);
      for (Raft.Iteration it : its) {
        assertThat(it.samplesDrawn()).isEqualTo(16L * PROMPTS.size() * it.iteration());
        if (it.iteration() > 0) {
          assertThat(Arrays.stream(it.counts()).sum()).isEqualTo((a == Allocation.GVM ? 8 : 16) * PROMPTS.size());
        }
      }
      assertThat(its.get(0).trainAccuracy()).isCloseTo(AdditionReasoner.initial().accuracy(PROMPTS), within(0.0));
    }
  }

  @Test
  void badSettingsAreAClearError() {
    assertThatThrownBy(() -> new Raft.Settings(10, 8, 8, true, 0.25, 2, GvmAllocation.Settings.defaults()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("budgetPerPrompt = 8");
    assertThatThrownBy(() -> new Raft.Settings(10, 16, 8, true, 0, 2, GvmAllocation.Settings.defaults()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("learningRate = 0");
  }
}
