package org.fewstep.data.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.data.curriculum.GaussianMixture.Criterion;
import org.junit.jupiter.api.Test;

/** Section 11 (b, f): ALP-GMM's sampling law, schedule and defaults (Portelas et al., CoRL 2019). */
class AlpGmmTest {
  private static final double TINY = 1e-8;

  /** Four components over (task in [0,1]^2, alp), far apart in task space, with point-like covariances. */
  private static GaussianMixture fourComponents(double[] alps) {
    double[][] tasks = {{0.2, 0.2}, {0.8, 0.2}, {0.5, 0.8}, {0.2, 0.8}};
    double[][] means = new double[4][];
    double[][][] covs = new double[4][][];
    for (int j = 0; j < 4; j++) {
      means[j] = new double[] {tasks[j][0], tasks[j][1], alps[j]};
      covs[j] = new double[][] {{TINY, 0, 0}, {0, TINY, 0}, {0, 0, TINY}};
    }
    // weights deliberately unlike the ALPs: the choice must ignore them
    return GaussianMixture.of(new double[] {0.1, 0.2, 0.3, 0.4}, means, covs);
  }

  private static int nearestCentre(double[] task, GaussianMixture g) {
    int best = 0;
    for (int j = 1; j < g.components(); j++) {
      double[] m = g.mean(j);
      double[] b = g.mean(best);
      if (Math.hypot(task[0] - m[0], task[1] - m[1]) < Math.hypot(task[0] - b[0], task[1] - b[1])) {
        best = j;
      }
    }
    return best;
  }

  @Test
  void componentsAreChosenInProportionToTheirMeanAlp() {
    double[] alps = {0.1, 0.3, 0.6, 0.0};
    GaussianMixture g = fourComponents(alps);
    TaskBox box = TaskBox.unit(2);
    Rng rng = new Rng(21);
    int n = 20_000;
    long[] counts = new long[4];
    for (int i = 0; i < n; i++) {
      counts[nearestCentre(AlpGmm.sampleTask(g, box, rng), g)]++;
    }
    assertThat(counts[3]).isZero(); // mean ALP 0: never chosen
    double p = GoodnessOfFit.chiSquarePValue(counts, new double[] {0.1, 0.3, 0.6, 0.0});
    assertThat(p).as("chi-square p of %s", java.util.Arrays.toString(counts)).isGreaterThan(1e-3);
    // the oracle can fail: weights-proportional choice is rejected on the same draws
    assertThat(GoodnessOfFit.chiSquarePValue(counts, new double[] {0.1, 0.2, 0.3, 0.4})).isLessThan(1e-10);
  }

  @Test
  void allZeroMeanAlpsGiveAUniformChoice() {
    GaussianMixture g = fourComponents(new double[] {0, 0, 0, 0});
    Rng rng = new Rng(22);
    long[] counts = new long[4];
    for (int i = 0; i < 8_000; i++) {
      counts[nearestCentre(AlpGmm.sampleTask(g, TaskBox.unit(2), rng), g)]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, new double[] {0.25, 0.25, 0.25, 0.25})).isGreaterThan(1e-3);
  }

  @Test
  void oneTaskInFiveIsUniformAfterTheBootstrap() {
    // one point-like Gaussian at (0.5, 0.5): a proposal farther than 0.01 from it is a uniform draw
    // (a uniform draw lands inside with probability π 1e-4, folded into the expected rate)
    GaussianMixture point = GaussianMixture.of(new double[] {1}, new double[][] {{0.5, 0.5, 0.2}},
        new double[][][] {{{TINY, 0, 0}, {0, TINY, 0}, {0, 0, TINY}}});
    AlpGmm teacher = AlpGmm.withDefaults(TaskBox.unit(2), 1);
    teacher.installMixture(point, 250);
    Rng rng = new Rng(23);
    int n = 40_000;
    int far = 0;
    for (int i = 0; i < n; i++) {
      double[] t = teacher.propose(rng);
      far += Math.hypot(t[0] - 0.5, t[1] - 0.5) > 0.01 ? 1 : 0;
    }
    double rate = 0.2 * (1 - Math.PI * 1e-4);
    double sd = Math.sqrt(n * rate * (1 - rate));
    assertThat(Math.abs(far - n * rate)).as("far = %d", far).isLessThan(4 * sd); // binomial, 4 sd
  }

  @Test
  void proposalsStayInsideTheBox() {
    TaskBox box = TaskBox.of(new double[] {-1, 3}, new double[] {2, 3.5});
    // wide Gaussians centred near and beyond the faces: many raw draws fall outside
    GaussianMixture wide = GaussianMixture.of(new double[] {0.5, 0.5},
        new double[][] {{2.5, 3.6, 0.3}, {-1.2, 3.0, 0.1}},
        new double[][][] {{{2, 0.1, 0}, {0.1, 0.5, 0}, {0, 0, 0.01}}, {{1, 0, 0}, {0, 1, 0}, {0, 0, 0.01}}});
    AlpGmm teacher = AlpGmm.withDefaults(box, 3);
    teacher.installMixture(wide, 500);
    Rng rng = new Rng(24);
    int onFace = 0;
    for (int i = 0; i < 20_000; i++) {
      double[] t = teacher.propose(rng);
      assertThat(box.contains(t)).as("proposal %d = %s", i, java.util.Arrays.toString(t)).isTrue();
      onFace += t[0] == 2 || t[0] == -1 || t[1] == 3 || t[1] == 3.5 ? 1 : 0;
    }
    assertThat(onFace).isGreaterThan(5_000); // clipping was exercised
    AlpGmm fresh = AlpGmm.withDefaults(box, 3);
    for (int i = 0; i < 2_000; i++) { // bootstrap draws too
      assertThat(box.contains(fresh.propose(rng))).isTrue();
    }
  }

  @Test
  void refitsEveryFitRateEpisodesOnTheLastWindowWithTheLowestCriterion() {
    TaskBox box = TaskBox.unit(2);
    AlpGmm teacher = AlpGmm.withDefaults(box, 7);
    ToyEnv env = ToyEnv.paper();
    AbsoluteLearningProgress alp = new AbsoluteLearningProgress(2);
    List<double[]> vectors = new ArrayList<>();
    Rng rng = new Rng(25);
    for (int e = 1; e <= 750; e++) {
      double[] task = teacher.propose(rng);
      // a reward with learning progress in the lower-left quarter
      double reward = task[0] < 0.5 && task[1] < 0.5 ? Math.min(1, env.episode(new double[] {0.05, 0.05}) * 3 + 0.3 * task[0]) : 0.1 * task[1];
      teacher.feedback(task, reward);
      double a = alp.add(task, reward);
      vectors.add(new double[] {task[0], task[1], a});
      assertThat(teacher.fits()).isEqualTo(e / 250);
      assertThat(teacher.mixture() == null).isEqualTo(e < 250);
      if (e % 250 == 0) {
        double[][] window = vectors.subList(e - 250, e).toArray(new double[0][]);
        GaussianMixture expected = null;
        double best = Double.POSITIVE_INFINITY;
        for (int k = 2; k <= 10; k++) {
          GaussianMixture g = GaussianMixture.fit(window, GaussianMixture.Settings.defaults(k), Rng.stream(7, k));
          if (g.aic(window) < best) {
            best = g.aic(window);
            expected = g;
          }
        }
        GaussianMixture got = teacher.mixture();
        assertThat(got.components()).isEqualTo(expected.components());
        assertThat(got.aic(window)).isEqualTo(best);
        for (int j = 0; j < got.components(); j++) {
          assertThat(got.mean(j)).containsExactly(expected.mean(j));
        }
      }
    }
  }

  @Test
  void theBootstrapIsUniformAndConsumesNoCoin() {
    // during the first 250 episodes a proposal is exactly TaskBox.uniform on the same generator
    AlpGmm teacher = AlpGmm.withDefaults(TaskBox.unit(3), 1);
    Rng a = new Rng(26);
    Rng b = new Rng(26);
    for (int e = 0; e < 250; e++) {
      double[] t = teacher.propose(a);
      assertThat(t).containsExactly(TaskBox.unit(3).uniform(b));
      teacher.feedback(t, 0.5);
    }
  }

  @Test
  void sameSeedsSameCurriculum() {
    double[][] first = run(5);
    double[][] second = run(5);
    for (int i = 0; i < first.length; i++) {
      assertThat(first[i]).containsExactly(second[i]);
    }
  }

  private static double[][] run(long seed) {
    AlpGmm teacher = AlpGmm.withDefaults(TaskBox.unit(2), seed);
    ToyEnv env = ToyEnv.paper();
    Rng rng = new Rng(seed);
    double[][] out = new double[600][];
    for (int e = 0; e < 600; e++) {
      out[e] = teacher.propose(rng);
      teacher.feedback(out[e], env.episode(out[e]));
    }
    return out;
  }

  @Test
  void defaultsAreThePapers() {
    AlpGmm.Settings s = AlpGmm.Settings.defaults(0);
    assertThat(s.fitRate()).isEqualTo(250);
    assertThat(s.minComponents()).isEqualTo(2);
    assertThat(s.maxComponents()).isEqualTo(10);
    assertThat(s.criterion()).isEqualTo(Criterion.AIC);
    assertThat(s.randomTaskRatio()).isEqualTo(0.2);
    assertThat(s.regCovar()).isEqualTo(1e-6);
    assertThat(s.tol()).isEqualTo(1e-3);
    assertThat(s.maxIterations()).isEqualTo(100);
    assertThat(s.emInits()).isEqualTo(1);
    assertThat(AbsoluteLearningProgress.WARM_UP).isEqualTo(5);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> TaskBox.of(new double[] {0, 1}, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("maxs[1] = 1.0").hasMessageContaining("> mins[1]");
    assertThatThrownBy(() -> TaskBox.of(new double[] {0, 2}, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("maxs[1]");
    assertThatThrownBy(() -> TaskBox.of(new double[] {0, Double.NaN}, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("mins[1] = NaN");
    assertThatThrownBy(() -> TaskBox.of(new double[] {0}, new double[] {1, 1}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("maxs length = 2");
    AlpGmm teacher = AlpGmm.withDefaults(TaskBox.unit(2), 1);
    assertThatThrownBy(() -> teacher.feedback(new double[] {0.5, 0.5}, 1.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reward = 1.5").hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> teacher.feedback(new double[] {0.5, 0.5}, -0.01))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reward = -0.01");
    assertThatThrownBy(() -> teacher.feedback(new double[] {0.5, 0.5}, Double.NaN))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reward = NaN");
    assertThatThrownBy(() -> teacher.feedback(new double[] {0.5, Double.NaN}, 0.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task[1] = NaN");
    assertThatThrownBy(() -> teacher.feedback(new double[] {1.2, 0.5}, 0.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task[0] = 1.2");
    assertThatThrownBy(() -> teacher.feedback(new double[] {0.5}, 0.5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task length = 1");
    assertThat(teacher.episodes()).isZero(); // nothing recorded by the rejected calls
    assertThatThrownBy(() -> new RandomTeacher(TaskBox.unit(1)).feedback(new double[] {0.5}, 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("reward = 2.0");
    AlpGmm.Settings d = AlpGmm.Settings.defaults(0);
    assertThatThrownBy(() -> new AlpGmm.Settings(250, 2, 10, Criterion.AIC, 1.2, 1e-6, 1e-3, 100, 1, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("random-task-ratio = 1.2");
    assertThatThrownBy(() -> new AlpGmm.Settings(8, 2, 10, Criterion.AIC, 0.2, 1e-6, 1e-3, 100, 1, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("fit-rate = 8");
    assertThat(d.withCriterion(Criterion.BIC).criterion()).isEqualTo(Criterion.BIC);
  }
}
