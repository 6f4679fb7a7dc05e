package org.fewstep.scaling.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;
import org.fewstep.scaling.search.BestOfN;
import org.fewstep.scaling.task.ArithmeticTask;
import org.junit.jupiter.api.Test;

/** Early pruning (decoding.md 10f) on the exact arithmetic reasoner. */
class EarlyPruningTest {
  private static final IntToDoubleFunction ONE = AdaptiveSampling.constant(1);
  private static final OracleSelfEvaluator ORACLE = new OracleSelfEvaluator();
  private static final List<Task> TASKS = ArithmeticTask.problems(60, 5);

  @Test
  void keepsExactlyCeilFnOfTheHighestScoringSamples() {
    double[] fractions = {0.1, 0.25, 0.3, 0.5, 0.7, 0.75, 1};
    int[] expected = {1, 3, 3, 5, 7, 8, 10};
    for (int f = 0; f < fractions.length; f++) {
      EarlyPruning.Settings s = new EarlyPruning.Settings(10, fractions[f], 2, ONE);
      assertThat(s.kept()).isEqualTo(expected[f]);
      for (int k = 0; k < 20; k++) {
        EarlyPruning.Result r = new EarlyPruning(s).run(TASKS.get(k), ORACLE, 40 + k);
        assertThat(r.kept()).hasSize(expected[f]).isSorted();
        double lowestKept = r.kept().stream().mapToDouble(i -> r.pruneScores().get(i)).min().orElseThrow();
        for (int i = 0; i < 10; i++) {
          if (!r.kept().contains(i)) {
            assertThat(r.pruneScores().get(i)).isLessThanOrEqualTo(lowestKept);
          }
        }
      }
    }
    assertThat(new EarlyPruning.Settings(7, 0.01, 1, ONE).kept()).isEqualTo(1);
    assertThat(new EarlyPruning.Settings(16, 0.25, 1, ONE).kept()).isEqualTo(4);
  }

  @Test
  void keptSamplesFinishAsBestOfNAndTheCostCountsThePrunedWork() {
    int n = 8;
    int at = 2;
    for (int k = 0; k < 30; k++) {
      Task task = TASKS.get(k);
      EarlyPruning.Result r = new EarlyPruning(new EarlyPruning.Settings(n, 0.5, at, ONE)).run(task, ORACLE, 60 + k);
      List<Trace> full = BestOfN.sample(task, n, 1, 60 + k).traces();
      long steps = 0;
      long tokens = 0;
      long calls = n;
      for (int i = 0; i < n; i++) {
        Trace prefix = task.start();
        Rng rng = Rng.stream(60 + k, i);
        while (!prefix.finished() && prefix.length() < at) {
          prefix = task.step(prefix, 1, rng);
        }
        assertThat(r.pruneScores().get(i)).isEqualTo(ORACLE.score(task, prefix));
        Trace counted = r.kept().contains(i) ? full.get(i) : prefix;
        steps += counted.length();
        tokens += counted.tokens();
        calls += r.kept().contains(i) && !prefix.finished() ? 1 : 0;
      }
      for (int j = 0; j < r.kept().size(); j++) {
        assertThat(r.finalScores().get(j)).isEqualTo(ORACLE.score(task, full.get(r.kept().get(j))));
      }
      assertThat(r.solution().trace()).isIn(r.kept().stream().map(full::get).toList());
      assertThat(r.solution().cost().steps()).isEqualTo(steps);
      assertThat(r.solution().cost().tokens()).isEqualTo(tokens);
      assertThat(r.solution().cost().rewardCalls()).isEqualTo(calls);
      assertThat(r.solution().cost().generations()).isEqualTo(n);
    }
  }

  @Test
  void withTheOracleAndNoPruningTheChoiceIsBestOfNByReward() {
    int solved = 0;
    for (int k = 0; k < TASKS.size(); k++) {
      Task task = TASKS.get(k);
      EarlyPruning.Result r = new EarlyPruning(new EarlyPruning.Settings(12, 1, 1, ONE)).run(task, ORACLE, 90 + k);
      boolean any = BestOfN.sample(task, 12, 1, 90 + k).traces().stream().anyMatch(task::correct);
      solved += any ? 1 : 0;
      assertThat(task.correct(r.solution().trace())).isEqualTo(any);
    }
    assertThat(solved).isGreaterThan(30);
  }

  /**
   * 16 samples pruned after 2 steps on {@code ArithmeticTask.problems(200, 7)}. Measured: no pruning 66.0 %, keep
   * half 64.5 % with 64 % of the tokens, keep a quarter 57.5 % with 46 %; pruning blindly to a quarter (the
   * first 4, then choosing by oracle) gives the 4-sample coverage, lower.
   */
  @Test
  void oraclePruningLosesLittleAndSavesTokens() {
    List<Task> tasks = ArithmeticTask.problems(200, 7);
    SelfEvaluator blind = (task, t) -> t.finished() ? ORACLE.score(task, t) : 0.5;
    double[] acc = new double[4];
    double[] tokens = new double[4];
    double[] fractions = {1, 0.5, 0.25, 0.25};
    for (int f = 0; f < 4; f++) {
      EarlyPruning p = new EarlyPruning(new EarlyPruning.Settings(16, fractions[f], 2, ONE));
      for (int k = 0; k < tasks.size(); k++) {
        EarlyPruning.Result r = p.run(tasks.get(k), f == 3 ? blind : ORACLE, 1000 + k);
        acc[f] += tasks.get(k).correct(r.solution().trace()) ? 1 : 0;
        tokens[f] += r.solution().cost().tokens();
      }
    }
    assertThat(acc[0] / 200).isEqualTo(0.675);
    assertThat(acc[1] / 200).isBetween(0.63, 0.66);
    assertThat(tokens[1] / tokens[0]).isBetween(0.6, 0.7);
    assertThat(acc[2] / 200).isBetween(0.55, 0.60);
    assertThat(tokens[2] / tokens[0]).isBetween(0.42, 0.5);
    assertThat(acc[2] - acc[3]).isGreaterThanOrEqualTo(6); // the oracle's pruning beats blind pruning
  }

  @Test
  void deterministicPerSeed() {
    EarlyPruning p = new EarlyPruning(new EarlyPruning.Settings(9, 0.4, 3, AdaptiveSampling.firstThen(0.7, 1.2)));
    EarlyPruning.Result a = p.run(TASKS.get(3), ORACLE, 11);
    EarlyPruning.Result b = p.run(TASKS.get(3), ORACLE, 11);
    assertThat(a).isEqualTo(b);
    assertThat(p.run(TASKS.get(3), ORACLE, 12).pruneScores()).isNotEqualTo(a.pruneScores());
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> new EarlyPruning.Settings(0, 0.5, 1, ONE)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("samples = 0");
    for (double f : new double[] {0, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> new EarlyPruning.Settings(8, f, 1, ONE)).isInstanceOf(BadInputException.class)
          .hasMessageContaining("keep fraction = " + f).hasMessageContaining("(0, 1]");
    }
    assertThatThrownBy(() -> new EarlyPruning.Settings(8, 0.5, 0, ONE)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("prune after steps = 0");
    assertThatThrownBy(() -> new EarlyPruning.Settings(8, 0.5, 1, null)).isInstanceOf(BadInputException.class);
  }
}
