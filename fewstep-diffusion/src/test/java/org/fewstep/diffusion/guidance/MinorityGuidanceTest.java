package org.fewstep.diffusion.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpLinearSchedule;
import org.junit.jupiter.api.Test;

/** Minority guidance (diffusion.md 9f) on a 2-D mixture with a 5 % component. */
class MinorityGuidanceTest {
  /** A common component (95 %) and a rare one (5 %), one class each. */
  private static final GaussianMixture MIXTURE = new GaussianMixture(VpLinearSchedule.standard(), new double[] {0.95, 0.05},
      new double[][] {{-0.5, 0}, {1.5, 0.5}}, new double[][] {{0.5, 0.5}, {0.2, 0.2}}, new int[] {0, 1}, Prediction.X0);

  private static double[] draws(GaussianMixture m, int n, int label, long seed) {
    return m.sample(new Rng(seed), n, label);
  }

  @Test
  void rarePointsScoreHigher() {
    Denoiser d = Denoiser.of(MIXTURE);
    TimePoint at = MinorityScore.level(MIXTURE.schedule(), MinorityScore.DEFAULT_LEVEL);
    double[] common = MinorityScore.of(d, draws(MIXTURE, 500, 0, 1), 500, at, 5, new Rng(2));
    double[] rare = MinorityScore.of(d, draws(MIXTURE, 500, 1, 3), 500, at, 5, new Rng(4));
    double meanCommon = java.util.Arrays.stream(common).average().orElseThrow();
    double meanRare = java.util.Arrays.stream(rare).average().orElseThrow();
    assertThat(meanRare).isGreaterThan(2 * meanCommon);
  }

  @Test
  void aSingleAtomReconstructsExactly() {
    GaussianMixture atom = new GaussianMixture(VpLinearSchedule.standard(), new double[] {1}, new double[][] {{0.7, -0.2}},
        new double[][] {{0, 0}}, null, Prediction.X0);
    for (double level : new double[] {0.05, 0.3, 0.6, 1.0}) {
      double[] scores = MinorityScore.of(Denoiser.of(atom), new double[] {0.7, -0.2, 0.7, -0.2}, 2,
          MinorityScore.level(atom.schedule(), level), 3, new Rng(5));
      assertThat(scores).containsOnly(0.0);
    }
  }

  @Test
  void quantileClassesHaveEqualSizes() {
    Rng rng = new Rng(9);
    for (int n : new int[] {10, 101, 1003}) {
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = rng.nextInt(7); // many ties
      }
      for (int classes : new int[] {2, 3, 10}) {
        int[] labels = MinorityScore.labels(scores, classes);
        int[] sizes = new int[classes];
        for (int l : labels) {
          sizes[l]++;
        }
        int min = java.util.Arrays.stream(sizes).min().orElseThrow();
        int max = java.util.Arrays.stream(sizes).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            if (scores[i] < scores[j]) {
              assertThat(labels[i]).isLessThanOrEqualTo(labels[j]);
            }
          }
        }
      }
    }
  }

  @Test
  void exactClassifierAtScaleOneIsTheConditionalDenoiser() {
    Denoiser guided = new ClassifierGuidance(Denoiser.of(MIXTURE), new MixtureClassifier(MIXTURE), 1.0, 1);
    Rng rng = new Rng(11);
    int n = 50;
    double[] x = new double[2 * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * rng.nextGaussian();
    }
    int[] ones = new int[n];
    java.util.Arrays.fill(ones, 1);
    Denoiser conditional = Denoiser.conditional(MIXTURE, Conditioning.labels(ones));
    for (double t : new double[] {0.01, 0.2, 0.5, 0.9}) {
      TimePoint at = MIXTURE.schedule().at(t);
      double[] a = new double[2 * n];
      double[] b = new double[2 * n];
      guided.denoise(x, n, at, a);
      conditional.denoise(x, n, at, b);
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).as("t = %s element %d", t, i).isCloseTo(b[i], within(1e-9 * (1 + Math.abs(b[i]))));
      }
    }
  }

  @Test
  void classifierGradientMatchesFiniteDifferences() {
    double[] data = draws(MIXTURE, 400, Conditioning.NONE, 13);
    int[] labels = new int[400];
    for (int i = 0; i < 400; i++) {
      labels[i] = data[2 * i] > 0.5 ? 1 : 0;
    }
    MlpClassifier c = MlpClassifier.train(data, 400, labels, 2, 0.01, 100, new MlpClassifier.Settings(16, 200, 32, 1e-2, 0),
        new Rng(14));
    double[] x = {0.3, -0.4};
    double[] g = new double[2];
    for (double noise : new double[] {0.05, 0.7, 5}) {
      c.logProbability(x, noise, 1, g);
      for (int j = 0; j < 2; j++) {
        double h = 1e-6;
        double[] up = x.clone();
        double[] down = x.clone();
        up[j] += h;
        down[j] -= h;
        double fd = (c.logProbability(up, noise, 1, null) - c.logProbability(down, noise, 1, null)) / (2 * h);
        assertThat(g[j]).isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
      }
    }
  }

  @Test
  void guidanceRaisesTheRareComponentsMass() {
    int n = 3000;
    NdArray data = NdArray.of(draws(MIXTURE, n, Conditioning.NONE, 21), n, 2);
    MinorityGuidance.Settings settings = new MinorityGuidance.Settings(10, MinorityScore.DEFAULT_LEVEL, 5,
        MlpClassifier.Settings.DEFAULT);
    Denoiser d = Denoiser.of(MIXTURE);
    MinorityGuidance.Fitted fitted = MinorityGuidance.fit(d, data, settings, new Rng(22));
    assertThat(fitted.validationAccuracy()).as("validation accuracy").isGreaterThan(0.15); // chance is 0.1 (150 held-out points, noised at every level)
    int samples = 2000;
    double previous = -1;
    double[] fractions = new double[4];
    double[] scales = {0, 0.5, 1, 2}; // beyond w = 2 the rare fraction falls: samples go to the common component's far tails
    for (int s = 0; s < scales.length; s++) {
      Denoiser guided = MinorityGuidance.guide(d, fitted.classifier(), scales[s]);
      double[] x = Diffusion.sampler("unipc").sample(guided, 20, Diffusion.prior(MIXTURE, samples, 23), new Rng(24),
          StepListener.NONE).samples().data();
      int rare = 0;
      for (int i = 0; i < samples; i++) {
        rare += MIXTURE.component(new double[] {x[2 * i], x[2 * i + 1]}) == 1 ? 1 : 0;
      }
      fractions[s] = rare / (double) samples;
      assertThat(fractions[s]).as("rare fraction at w = %s (%s)", scales[s], java.util.Arrays.toString(fractions))
          .isGreaterThan(previous);
      previous = fractions[s];
    }
    assertThat(fractions[0]).as("unguided").isCloseTo(0.05, within(0.02));
    assertThat(fractions[3]).as("w = 2").isGreaterThan(0.25);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> MinorityScore.labels(new double[] {1, 2, 3}, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("number of classes");
    assertThatThrownBy(() -> MinorityScore.labels(new double[] {1, 2, 3}, 4)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("at most the number of data points");
    assertThatThrownBy(() -> new ClassifierGuidance(Denoiser.of(MIXTURE), new MixtureClassifier(MIXTURE), -1, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("guidance scale");
    assertThatThrownBy(() -> new ClassifierGuidance(Denoiser.of(MIXTURE), new MixtureClassifier(MIXTURE), 1, 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("target class");
    assertThatThrownBy(() -> MinorityScore.of(Denoiser.of(MIXTURE), new double[0], 0, MIXTURE.schedule().at(0.5), 5, new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("number of data points");
    assertThatThrownBy(() -> MinorityScore.level(MIXTURE.schedule(), 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("level");
    assertThatThrownBy(() -> Diffusion.sampler("minority:gmm-2d,scale=-1")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("scale");
  }
}
