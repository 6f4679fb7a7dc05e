package org.fewstep.scaling.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;
import org.fewstep.scaling.search.BestOfN;
import org.fewstep.scaling.task.ArithmeticTask;
import org.junit.jupiter.api.Test;

/** Adaptive sampling and the oracle self-evaluator (decoding.md 10f) on the exact arithmetic reasoner. */
class AdaptiveSamplingTest {
  private static final AdaptiveSampling.Settings BASE = AdaptiveSampling.Settings.DEFAULT;
  private static final OracleSelfEvaluator ORACLE = new OracleSelfEvaluator();
  private static final List<Task> TASKS = ArithmeticTask.problems(60, 3);

  @Test
  void scheduleGrowsAndSumsToTheBudget() {
    assertThat(AdaptiveSampling.schedule(16, 1, 2)).containsExactly(1, 2, 4, 8, 1);
    assertThat(AdaptiveSampling.schedule(15, 1, 2)).containsExactly(1, 2, 4, 8);
    assertThat(AdaptiveSampling.schedule(1, 1, 2)).containsExactly(1);
    assertThat(AdaptiveSampling.schedule(5, 1, 1)).containsExactly(1, 1, 1, 1, 1);
    assertThat(AdaptiveSampling.schedule(10, 3, 1.5)).containsExactly(3, 5, 2);
    assertThat(AdaptiveSampling.schedule(4, 8, 2)).containsExactly(4);
    for (int budget = 1; budget <= 40; budget++) {
      for (int initial = 1; initial <= 5; initial++) {
        for (double growth : new double[] {1, 1.3, 2, 3}) {
          int[] s = AdaptiveSampling.schedule(budget, initial, growth);
          assertThat(IntStream.of(s).sum()).isEqualTo(budget);
          assertThat(IntStream.of(s).min().getAsInt()).isGreaterThanOrEqualTo(1);
          for (int r = 1; r < s.length - 1; r++) {
            assertThat(s[r]).isGreaterThanOrEqualTo(s[r - 1]);
          }
        }
      }
    }
  }

  @Test
  void thresholdZeroAlwaysDrawsExactlyOneSample() {
    AdaptiveSampling a = new AdaptiveSampling(BASE.withThreshold(0));
    for (int k = 0; k < TASKS.size(); k++) {
      AdaptiveSampling.Result r = a.run(TASKS.get(k), ORACLE, 100 + k);
      assertThat(r.samples()).isEqualTo(1);
      assertThat(r.rounds()).isEqualTo(1);
      assertThat(r.solution().cost().generations()).isEqualTo(1);
      assertThat(r.solution().cost().rewardCalls()).isEqualTo(1);
      assertThat(r.solution().trace()).isEqualTo(BestOfN.sample(TASKS.get(k), 1, 1, 100 + k).traces().get(0));
    }
  }

  @Test
  void thresholdAboveOneAlwaysDrawsTheWholeBudgetAsBestOfN() {
    for (double tau : new double[] {1.0000001, 2, Double.POSITIVE_INFINITY}) {
      AdaptiveSampling a = new AdaptiveSampling(BASE.withThreshold(tau));
      for (int k = 0; k < 20; k++) {
        Task task = TASKS.get(k);
        AdaptiveSampling.Result r = a.run(task, ORACLE, 200 + k);
        BestOfN.Samples all = BestOfN.sample(task, 16, 1, 200 + k);
        assertThat(r.samples()).isEqualTo(16);
        assertThat(r.rounds()).isEqualTo(5);
        assertThat(r.traces()).isEqualTo(all.traces());
        assertThat(r.solution().cost().steps()).isEqualTo(all.cost().steps());
        assertThat(r.solution().cost().tokens()).isEqualTo(all.cost().tokens());
        assertThat(r.solution().cost().generations()).isEqualTo(16);
        assertThat(r.solution().cost().rewardCalls()).isEqualTo(16);
      }
    }
  }

  @Test
  void withTheOracleTheChoiceIsCorrectWheneverAnyDrawnSampleIs() {
    int solvedSomewhere = 0;
    for (double tau : new double[] {2, 0.9, 0.5}) {
      AdaptiveSampling a = new AdaptiveSampling(BASE.withThreshold(tau));
      for (int k = 0; k < TASKS.size(); k++) {
        Task task = TASKS.get(k);
        AdaptiveSampling.Result r = a.run(task, ORACLE, 300 + k);
        boolean any = r.traces().stream().anyMatch(task::correct);
        solvedSomewhere += any ? 1 : 0;
        assertThat(task.correct(r.solution().trace())).as("task %d, tau %s", k, tau).isEqualTo(any);
        // the choice is the argmax of the scores, the first among ties
        int best = 0;
        for (int i = 1; i < r.scores().size(); i++) {
          best = r.scores().get(i) > r.scores().get(best) ? i : best;
        }
        assertThat(r.solution().trace()).isSameAs(r.traces().get(best));
      }
    }
    assertThat(solvedSomewhere).isGreaterThan(40); // the check is not vacuous
  }

  @Test
  void stopsAfterTheFirstRoundWhoseBestReachesTheThreshold() {
    double[] sequence = {0.1, 0.2, 0.3, 0.5, 0.95, 0.4, 0.97, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2};
    int[] calls = {0};
    SelfEvaluator scripted = (task, trace) -> sequence[calls[0]++];
    AdaptiveSampling.Result r = new AdaptiveSampling(BASE.withThreshold(0.9)).run(TASKS.get(0), scripted, 5);
    // rounds 1, 2, 4: the best (0.97 at index 6) reaches 0.9 in the third round, which is finished
    assertThat(r.samples()).isEqualTo(7);
    assertThat(r.rounds()).isEqualTo(3);
    assertThat(r.solution().trace()).isSameAs(r.traces().get(6));
    assertThat(calls[0]).isEqualTo(7);
    calls[0] = 0;
    r = new AdaptiveSampling(BASE.withThreshold(0.5)).run(TASKS.get(0), scripted, 5);
    assertThat(r.samples()).isEqualTo(7); // 0.3 after two rounds, 0.97 in the third
    calls[0] = 0;
    r = new AdaptiveSampling(BASE.withThreshold(0.3)).run(TASKS.get(0), scripted, 5);
    assertThat(r.samples()).isEqualTo(3);
    assertThat(r.solution().trace()).isSameAs(r.traces().get(2));
  }

  @Test
  void oracleScoreIsTheWinOrTieProbability() {
    ArithmeticTask task = new ArithmeticTask(new int[] {12, 30, 7, 44, 9}, 0.3);
    double p0 = task.successProbability(task.start());
    assertThat(ORACLE.score(task, task.start())).isCloseTo(p0 + (1 - p0) * (1 - p0), within(1e-12));
    // a Monte Carlo duel of a partial trace's completions against fresh samples
    Rng rng = new Rng(42);
    Trace partial = task.step(task.step(task.start(), 1, rng), 1, rng);
    int n = 100_000;
    int noWin = 0;
    for (int i = 0; i < n; i++) {
      Trace done = partial;
      while (!done.finished()) {
        done = task.step(done, 1, rng);
      }
      boolean fresh = task.correct(task.sample(1, rng));
      noWin += task.correct(done) || !fresh ? 1 : 0;
    }
    double score = ORACLE.score(task, partial);
    assertThat((double) noWin / n).isCloseTo(score, within(4 * Math.sqrt(score * (1 - score) / n) + 1e-9));
    // finished: 1 if correct, 1 - p0 if wrong
    for (int s = 0; s < 50; s++) {
      Trace t = task.sample(1, new Rng(s));
      assertThat(ORACLE.score(task, t)).isCloseTo(task.correct(t) ? 1 : 1 - p0, within(1e-12));
    }
  }

  @Test
  void deterministicPerSeedAndTemperaturesFollowTheSampleIndex() {
    AdaptiveSampling a = new AdaptiveSampling(BASE.withThreshold(0.97).withTemperature(AdaptiveSampling.firstThen(0.6, 1.4)));
    Task task = TASKS.get(7);
    AdaptiveSampling.Result r1 = a.run(task, ORACLE, 77);
    AdaptiveSampling.Result r2 = a.run(task, ORACLE, 77);
    assertThat(r1.traces()).isEqualTo(r2.traces());
    assertThat(r1.scores()).isEqualTo(r2.scores());
    assertThat(r1.solution()).isEqualTo(r2.solution());
    AdaptiveSampling full = new AdaptiveSampling(BASE.withThreshold(2).withTemperature(AdaptiveSampling.firstThen(0.6, 1.4)));
    List<Trace> traces = full.run(task, ORACLE, 77).traces();
    assertThat(traces.get(0)).isEqualTo(task.sample(0.6, Rng.stream(77, 0)));
    for (int i = 1; i < 16; i++) {
      assertThat(traces.get(i)).isEqualTo(task.sample(1.4, Rng.stream(77, i)));
    }
    assertThat(full.run(task, ORACLE, 78).traces()).isNotEqualTo(traces);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> BASE.withBudget(0)).isInstanceOf(BadInputException.class).hasMessageContaining("budget = 0");
    assertThatThrownBy(() -> BASE.withThreshold(Double.NaN)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("threshold = NaN");
    assertThatThrownBy(() -> BASE.withSchedule(0, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("initial batch = 0");
    assertThatThrownBy(() -> BASE.withSchedule(1, 0.5)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("growth = 0.5");
    assertThatThrownBy(() -> BASE.withTemperature(null)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> AdaptiveSampling.firstThen(0, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("= 0.0");
    assertThatThrownBy(() -> new AdaptiveSampling(BASE).run(TASKS.get(0), (t, x) -> Double.NaN, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("NaN");
  }

  /**
   * decoding.md 10c asks for >= 70 % of the best-of-16 gain with <= 2 samples on average. On
   * {@code ArithmeticTask.problems(200, 7)} (1 sample 23.5 %, best-of-16 by oracle 67.5 %) the oracle cannot
   * reach it at temperature 1: its rule "resample while p0 > 1 - tau" is the greedy optimum, and the measured
   * trade-off is 59 % of the gain at 2.16 samples (one at a time) and 50 % at 2.02 (rounds 1, 2, 4, ...). Only
   * the paper's annealing (first sample at 0.7) gets there, because the cooler generator is itself more
   * accurate here: 122 % of the gain with 1.41 samples. The bounds below are the measured numbers with a
   * tolerance of 0.03 in the gain fraction and 0.05 in the samples.
   */
  @Test
  void oracleAdaptiveSamplingRecoversMostOfTheBestOf16Gain() {
    List<Task> tasks = ArithmeticTask.problems(200, 7);
    double acc1 = 0;
    double accN = 0;
    for (int k = 0; k < tasks.size(); k++) {
      Task t = tasks.get(k);
      List<Trace> s = BestOfN.sample(t, 16, 1, 1000 + k).traces();
      acc1 += t.correct(s.get(0)) ? 1 : 0;
      accN += s.stream().anyMatch(t::correct) ? 1 : 0;
    }
    assertThat(acc1 / 200).isCloseTo(0.235, within(1e-9));
    assertThat(accN / 200).isCloseTo(0.675, within(1e-9));
    // measured: one sample a round at threshold 0.88 recovers 59 % of the gain with 2.16 samples on average;
    // doubling rounds at 0.84, 50 % with 2.02 (the paper's 74 % at 1.2 samples starts from 84 % accuracy)
    double[] sequential = measure(tasks, BASE.withThreshold(0.88).withSchedule(1, 1), acc1, accN);
    assertThat(sequential[1]).isBetween(2.1, 2.2);
    assertThat(sequential[0]).isBetween(0.56, 0.62);
    double[] doubling = measure(tasks, BASE.withThreshold(0.84), acc1, accN);
    assertThat(doubling[0]).isBetween(0.47, 0.53);
    assertThat(doubling[1]).isBetween(1.97, 2.07);
    double[] all = measure(tasks, BASE.withThreshold(1), acc1, accN);
    assertThat(all[0]).isEqualTo(1.0); // stopping only at a correct sample is best-of-16 by oracle
    assertThat(all[1]).isLessThan(16);
    double[] annealed = measure(tasks, BASE.withThreshold(0.88).withTemperature(AdaptiveSampling.firstThen(0.7, 1)), acc1, accN);
    assertThat(annealed[0]).isGreaterThanOrEqualTo(1.0);
    assertThat(annealed[1]).isLessThanOrEqualTo(1.5);
  }

  /** The fraction of the best-of-16 gain and the mean samples. */
  private static double[] measure(List<Task> tasks, AdaptiveSampling.Settings settings, double acc1, double accN) {
    AdaptiveSampling a = new AdaptiveSampling(settings);
    double acc = 0;
    double samples = 0;
    for (int k = 0; k < tasks.size(); k++) {
      AdaptiveSampling.Result r = a.run(tasks.get(k), ORACLE, 1000 + k);
      acc += tasks.get(k).correct(r.solution().trace()) ? 1 : 0;
      samples += r.samples();
    }
    return new double[] {(acc - acc1) / (accN - acc1), samples / tasks.size()};
  }
}
