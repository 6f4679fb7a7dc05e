package org.fewstep.scaling.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Resampling;
import org.fewstep.scaling.Prm;
import org.fewstep.scaling.Solution;
import org.fewstep.scaling.Trace;
import org.fewstep.scaling.task.ArithmeticTask;
import org.junit.jupiter.api.Test;

/** Particle filtering and Gibbs (decoding.md 11f) on the exact arithmetic reasoner. */
class ParticleFilterTest {
  private static final ParticleFilter.Settings BASE = ParticleFilter.Settings.DEFAULT;

  @Test
  void paperWeightsAreTheSoftmaxOfLogits() {
    // decoding.md 16, vector I
    assertThat(ParticleFilter.paperWeights(new double[] {0.9, 0.5, 0.1}, 1)).containsExactly(
        new double[] {0.890110, 0.098901, 0.010989}, within(1e-6));
    assertThat(ParticleFilter.paperWeights(new double[] {0.9, 0.5, 0.1}, 0.5)).containsExactly(
        new double[] {0.987656, 0.012193, 0.000151}, within(1e-6));
    // a very hot softmax resamples uniformly
    assertThat(ParticleFilter.paperWeights(new double[] {0.9, 0.5, 0.1}, 1e9)).containsExactly(
        new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, within(1e-8));
  }

  @Test
  void oneParticleIsPlainSampling() {
    ArithmeticTask task = new ArithmeticTask(new int[] {5, 8, 13, 21}, 0.5);
    ParticleFilter pf = new ParticleFilter(BASE.withParticles(1));
    int n = 6000;
    int correct = 0;
    for (int seed = 0; seed < n; seed++) {
      Solution s = pf.run(task, Prm.exact(task), new Rng(seed));
      assertThat(s.cost().generations()).isEqualTo(1);
      assertThat(s.cost().steps()).isEqualTo(3);
      correct += task.correct(s.trace()) ? 1 : 0;
    }
    double p = task.successProbability(task.start());
    assertThat(correct / (double) n).isCloseTo(p, within(4 * Math.sqrt(p * (1 - p) / n)));
  }

  @Test
  void ratioWeightsWithTheExactPrmTargetTheLawOfSuccessfulTraces() {
    // two lines with error rate 0.9: a success is two right lines (0.01) or a slip and its exact undoing
    // (100 * (0.9 / 100)^2 = 0.0081), so P(first line right | success) = 0.01 / 0.0181
    ArithmeticTask task = new ArithmeticTask(new int[] {3, 4, 5}, 0.9);
    // (the weight of the slipped branch rests on ~ 0.0008 N rare successes: N = 200 000 gives a standard error ~ 0.009)
    ParticleFilter pf = new ParticleFilter(new ParticleFilter.Settings(200_000, 1, ParticleFilter.Weights.RATIO,
        ParticleFilter.Aggregation.LAST, Resampling.SYSTEMATIC, true, ParticleFilter.Selection.SAMPLE, 1));
    List<ParticleFilter.Weighted> particles = pf.particles(task, Prm.exact(task), new Rng(4));
    double total = 0;
    double firstRight = 0;
    for (ParticleFilter.Weighted w : particles) {
      double weight = Math.exp(w.logWeight());
      total += weight;
      if (weight > 0) {
        assertThat(task.correct(w.trace())).isTrue(); // failures carry no weight
      }
      firstRight += w.trace().steps().get(0).matches("(?s).*\\D7\n") ? weight : 0; // its result is 7
    }
    assertThat(firstRight / total).isCloseTo(0.01 / 0.0181, within(0.03));
  }

  @Test
  void gibbsWithOneIterationIsTheFilterAndSearchesAreSeeded() {
    ArithmeticTask task = new ArithmeticTask(new int[] {12, 7, 30, 4, 9, 15}, 0.5);
    ParticleFilter pf = new ParticleFilter(BASE.withParticles(8));
    Prm prm = Prm.noisy(task, 0.5, 3);
    Solution a = pf.run(task, prm, new Rng(5));
    Solution g = pf.gibbs(task, prm, 1, 1, new Rng(5));
    assertThat(g.trace().text()).isEqualTo(a.trace().text());
    assertThat(g.cost()).isEqualTo(a.cost());
    assertThat(pf.run(task, prm, new Rng(5)).trace()).isEqualTo(a.trace());
    Solution more = pf.gibbs(task, prm, 3, 1, new Rng(5));
    assertThat(more.cost().generations()).isEqualTo(8 + 7 + 7);
    Solution pt = pf.tempering(task, prm, 2, 1, new double[] {1, 2, 4}, new Rng(5));
    assertThat(pt.cost().generations()).isEqualTo(3 * (8 + 7));
    assertThat(pt.trace().finished()).isTrue();
  }

  @Test
  void filteringBeatsBestOfNAtTheSameBudget() {
    // 11 lines at error rate 0.35: one sample succeeds with p ~ 0.01; best-of-4 with a perfect verifier
    // succeeds with ~ 1 - (1 - p)^4, the filter with the exact PRM with 4 particles far more often
    ArithmeticTask task = new ArithmeticTask(new int[] {9, 14, 3, 27, 8, 41, 5, 19, 33, 2, 11, 6}, 0.35);
    double p = task.successProbability(task.start());
    ParticleFilter pf = new ParticleFilter(BASE.withParticles(4));
    int runs = 300;
    int wins = 0;
    for (int seed = 0; seed < runs; seed++) {
      wins += task.correct(pf.run(task, Prm.exact(task), new Rng(seed)).trace()) ? 1 : 0;
    }
    double bestOf4 = 1 - Math.pow(1 - p, 4);
    assertThat(wins / (double) runs).as("best-of-4 %s", bestOf4).isGreaterThan(bestOf4 + 0.3);
  }

  @Test
  void keepingFinishedParticlesOutOfThePoolAlsoWorks() {
    ArithmeticTask task = new ArithmeticTask(new int[] {3, 4, 5, 6}, 0.3);
    ParticleFilter pf = new ParticleFilter(new ParticleFilter.Settings(6, 1, ParticleFilter.Weights.PAPER,
        ParticleFilter.Aggregation.PRODUCT, Resampling.STRATIFIED, false, ParticleFilter.Selection.ARGMAX, 0.8));
    Solution s = pf.run(task, Prm.exact(task), new Rng(1));
    assertThat(s.trace().finished()).isTrue();
    assertThat(s.cost().steps()).isEqualTo(6 * 3);
    assertThat(s.cost().rewardCalls()).isEqualTo(1 + 6 * 3);
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> BASE.withParticles(0)).isInstanceOf(BadInputException.class).hasMessageContaining("particles");
    assertThatThrownBy(() -> BASE.withSoftmaxTemperature(0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("softmax temperature");
    ArithmeticTask task = new ArithmeticTask(new int[] {3, 4, 5}, 0.3);
    ParticleFilter pf = new ParticleFilter(BASE.withParticles(4));
    assertThatThrownBy(() -> pf.gibbs(task, Prm.exact(task), 2, 4, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("reference particles");
    assertThatThrownBy(() -> pf.run(task, t -> Double.NaN, new Rng(0))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("reward");
    Trace unfinished = task.start();
    assertThatThrownBy(unfinished::toSample).isInstanceOf(BadInputException.class).hasMessageContaining("finished");
  }
}
