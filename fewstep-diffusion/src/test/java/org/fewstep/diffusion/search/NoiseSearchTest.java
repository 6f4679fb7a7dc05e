package org.fewstep.diffusion.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.VpLinearSchedule;
import org.junit.jupiter.api.Test;

/** Noise search (diffusion.md 12): the best-of-N law, nesting, beam search's degenerate case, determinism, errors. */
class NoiseSearchTest {
  /** E[max of N standard normals] for N = 2, 4, 8, 16. */
  private static final double[] EXPECTED_MAX = {0.5642, 1.0294, 1.4236, 1.7660};

  @Test
  void bestOfNReproducesTheExpectedMaximumOfNormals() {
    // data N(0, 1): every deterministic solver maps the noise z linearly, x = a z; the verifier x / a is then z ~ N(0, 1)
    DiffusionModel model = new GaussianMixture(VpLinearSchedule.standard(), new double[] {1}, new double[][] {{0}},
        new double[][] {{1}}, null, Prediction.X0);
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler ddim = Diffusion.sampler("ddim");
    double a = ddim.sample(denoiser, 5, NdArray.of(new double[] {1}, 1, 1), new Rng(0), StepListener.NONE).samples().data()[0];
    assertThat(a).isPositive();
    Verifier z = x -> x[0] / a;
    int reps = 4000;
    // standard deviation of the maximum is below 0.83 for N >= 2: standard error < 0.0131, tolerance 4 SE
    for (int i = 0; i < 4; i++) {
      int n = 2 << i;
      double sum = 0;
      for (int seed = 0; seed < reps; seed++) {
        SearchResult r = NoiseSearch.bestOfN(ddim, denoiser, 5, n, seed, z);
        sum += r.bestScore();
        assertThat(r.verifierCalls()).isEqualTo(n);
        assertThat(r.evaluations()).isEqualTo(5L * n);
      }
      assertThat(sum / reps).as("N = %d", n).isCloseTo(EXPECTED_MAX[i], offset(0.053));
    }
  }

  @Test
  void bestScoreIsNonDecreasingInTheBudget() {
    DiffusionModel model = Diffusion.model("gmm-2d");
    Verifier reward = x -> x[0] - 0.5 * x[1];
    double previous = Double.NEGATIVE_INFINITY;
    double[] table = NoiseSearch.bestOfN(Diffusion.sampler("unipc"), Denoiser.of(model), 6, 16, 42, reward).scores();
    int increases = 0;
    for (int n = 1; n <= 16; n++) {
      SearchResult r = NoiseSearch.bestOfN(Diffusion.sampler("unipc"), Denoiser.of(model), 6, n, 42, reward);
      for (int i = 0; i < n; i++) {
        assertThat(r.scores()[i]).isEqualTo(table[i]);
      }
      assertThat(r.bestScore()).isGreaterThanOrEqualTo(previous);
      assertThat(r.best().data()).isEqualTo(java.util.Arrays.copyOfRange(r.samples().data(), 2 * r.bestIndex(),
          2 * r.bestIndex() + 2));
      increases += r.bestScore() > previous ? 1 : 0;
      previous = r.bestScore();
    }
    assertThat(increases).isGreaterThan(1);
  }

  @Test
  void beamOfOneWithOneChildIsOnePlainTrajectory() {
    DiffusionModel model = Diffusion.model("gmm-2d");
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler ddim = Diffusion.sampler("ddim");
    SearchResult beam = NoiseSearch.beam(ddim, denoiser, 12, 3, 1, 1, 1.0, 7, x -> x[0]);
    double[] plain = ddim.sample(denoiser, 12, Diffusion.prior(model, 1, 7), new Rng(0), StepListener.NONE).samples().data();
    assertThat(Vectors.maxAbsDifference(beam.best().data(), plain)).isLessThan(1e-12);
    assertThat(beam.nfe()).isEqualTo(12 + 2);
    assertThat(beam.verifierCalls()).isEqualTo(3);
    // and best-of-1 is the same trajectory in one run
    SearchResult one = NoiseSearch.bestOfN(ddim, denoiser, 12, 1, 7, x -> x[0]);
    assertThat(Vectors.maxAbsDifference(one.best().data(), plain)).isZero();
  }

  @Test
  void searchesAreDeterministicForASeed() {
    DiffusionModel model = Diffusion.model("gmm-2d");
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler unipc = Diffusion.sampler("unipc");
    Verifier reward = x -> -Math.abs(x[0] - 0.7);
    SearchResult a = NoiseSearch.beam(unipc, denoiser, 12, 3, 2, 3, 1.0, 5, reward);
    SearchResult b = NoiseSearch.beam(unipc, denoiser, 12, 3, 2, 3, 1.0, 5, reward);
    SearchResult c = NoiseSearch.beam(unipc, denoiser, 12, 3, 2, 3, 1.0, 6, reward);
    assertThat(a.samples().data()).isEqualTo(b.samples().data());
    assertThat(a.scores()).isEqualTo(b.scores());
    assertThat(c.samples().data()).isNotEqualTo(a.samples().data());
    assertThat(a.samples().items()).isEqualTo(6);
    assertThat(a.verifierCalls()).isEqualTo(18);
    assertThat(a.evaluations()).isEqualTo(6L * (12 + 2));
    SearchResult facade = Diffusion.bestOfN("gmm-2d", "unipc", 6, 4, 5, reward);
    assertThat(facade.samples().data())
        .isEqualTo(NoiseSearch.bestOfN(unipc, denoiser, 6, 4, 5, reward).samples().data());
    assertThat(Diffusion.beamSearch("gmm-2d", "unipc", 12, 3, 2, 3, 5, reward).samples().data())
        .isEqualTo(a.samples().data());
  }

  @Test
  void beamSearchRaisesTheReward() {
    // gmm-2d: 8 modes on a circle; the reward is the first coordinate. Over 30 seeds the beam search
    // (2 beams, 4 children, 4 checkpoints) must beat one plain trajectory and best-of-2 on average
    DiffusionModel model = Diffusion.model("gmm-2d");
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler unipc = Diffusion.sampler("unipc");
    Verifier reward = x -> x[0];
    double plain = 0;
    double beam = 0;
    for (int seed = 0; seed < 30; seed++) {
      plain += NoiseSearch.bestOfN(unipc, denoiser, 12, 1, seed, reward).bestScore() / 30;
      beam += NoiseSearch.beam(unipc, denoiser, 12, 4, 2, 4, 1.0, seed, reward).bestScore() / 30;
    }
    assertThat(beam).as("plain %s", plain).isGreaterThan(plain + 0.5);
  }

  @Test
  void beamSearchDominatesBestOfItsChildrenCount() {
    // diffusion.md 12f: beam search (1 beam, b children) rewards at least as well as best-of-b. On N(0, 1)
    // data DDIM is linear and increasing in the noise, at the checkpoint preview as at the end, so the
    // beam kept at the first checkpoint is best-of-b's candidate (same noises), and the last segment
    // only adds children to choose from: pathwise, beam >= best-of-b, strictly on average
    DiffusionModel model = new GaussianMixture(VpLinearSchedule.standard(), new double[] {1}, new double[][] {{0}},
        new double[][] {{1}}, null, Prediction.X0);
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler ddim = Diffusion.sampler("ddim");
    Verifier reward = x -> x[0];
    int b = 4;
    double gain = 0;
    for (int seed = 0; seed < 500; seed++) {
      double best = NoiseSearch.bestOfN(ddim, denoiser, 10, b, seed, reward).bestScore();
      double beam = NoiseSearch.beam(ddim, denoiser, 10, 2, 1, b, 1.0, seed, reward).bestScore();
      assertThat(beam).as("seed %d", seed).isGreaterThanOrEqualTo(best - 1e-12);
      gain += (beam - best) / 500;
    }
    assertThat(gain).isGreaterThan(0.05);
  }

  @Test
  void badInput() {
    DiffusionModel model = Diffusion.model("gmm-2d");
    Denoiser denoiser = Denoiser.of(model);
    DiffusionSampler ddim = Diffusion.sampler("ddim");
    assertThatThrownBy(() -> NoiseSearch.bestOfN(ddim, denoiser, 5, 0, 1, x -> x[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("n (candidates) = 0");
    assertThatThrownBy(() -> NoiseSearch.beam(ddim, denoiser, 5, 2, 0, 2, 1, 1, x -> x[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("beams = 0");
    assertThatThrownBy(() -> NoiseSearch.beam(ddim, denoiser, 5, 2, 1, 0, 1, 1, x -> x[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("children = 0");
    assertThatThrownBy(() -> NoiseSearch.beam(ddim, denoiser, 5, 2, 1, 2, 0, 1, x -> x[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("renoise");
    assertThatThrownBy(() -> NoiseSearch.beam(ddim, denoiser, 5, 6, 1, 2, 1, 1, x -> x[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("checkpoints = 6").hasMessageContaining("at most 5");
    assertThatThrownBy(() -> NoiseSearch.bestOfN(ddim, denoiser, 5, 3, 1, x -> Double.NaN))
        .isInstanceOf(BadInputException.class).hasMessageContaining("verifier score of candidate 0");
  }
}
