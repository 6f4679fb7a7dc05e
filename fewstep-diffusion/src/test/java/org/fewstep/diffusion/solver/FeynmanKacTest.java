package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.VeSchedule;
import org.junit.jupiter.api.Test;

/**
 * Feynman-Kac correctors against the closed-form targets of diffusion.md 10f: 1-D Gaussian experts
 * under a VE schedule (sigma 0.002..80), whose geometric, product and tempered targets are Gaussians.
 * Each case also runs the same SDE without weights and requires it to miss the target, so the test
 * fails if the weights are ignored. N = 20 000 particles, 400 logSNR-uniform steps; the FKC moments
 * are averaged over 4 seeds, because resampling makes single runs spread by about 0.03-0.05 on the
 * mean (the genealogy of the particles collapses at low noise). The tolerance 0.03 covers that
 * Monte-Carlo error of the average and the Euler-Maruyama bias of this grid.
 */
class FeynmanKacTest {
  private static final VeSchedule SCHEDULE = VeSchedule.edm(0.002, 80);
  private static final int PARTICLES = 20_000;
  private static final int STEPS = 400;
  private static final int SEEDS = 4;

  private static Denoiser gaussian(double mean, double std) {
    return Denoiser.of(new GaussianMixture(SCHEDULE, new double[] {1}, new double[][] {{mean}}, new double[][] {{std}}, null,
        Prediction.X0));
  }

  private static SampleResult run(String spec, Denoiser model, long seed) {
    NdArray start = NdArray.of(noise(seed), PARTICLES, 1);
    return Diffusion.sampler(spec).sample(model, STEPS, start, new Rng(seed), StepListener.NONE);
  }

  private static double[] noise(long seed) {
    Rng rng = new Rng(seed ^ 0xF00D);
    double[] x = new double[PARTICLES];
    for (int i = 0; i < x.length; i++) {
      x[i] = 80 * rng.nextGaussian();
    }
    return x;
  }

  private static void assertTarget(String what, Denoiser model, String options, double mean, double variance,
      double plainMean, double plainVariance) {
    double fkcMean = 0;
    double fkcVariance = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      SampleResult fkc = run("fkc:skip=logsnr,final-resample=false" + options, model, seed);
      fkcMean += fkc.mean(0) / SEEDS;
      fkcVariance += fkc.variance(0) / SEEDS;
    }
    assertThat(fkcMean).as(what + " FKC mean").isCloseTo(mean, within(0.03));
    assertThat(fkcVariance).as(what + " FKC variance").isCloseTo(variance, within(0.03));
    SampleResult plain = run("fkc:skip=logsnr,weights=false" + options, model, 1);
    assertThat(plain.logWeights()).isNull();
    assertThat(Math.abs(plain.mean(0) - mean) + Math.abs(plain.variance(0) - variance))
        .as(what + " without weights is off the target").isGreaterThan(0.08);
    assertThat(plain.mean(0)).as(what + " plain mean (diffusion.md 10d)").isCloseTo(plainMean, within(0.03));
    assertThat(plain.variance(0)).as(what + " plain variance (diffusion.md 10d)").isCloseTo(plainVariance, within(0.03));
  }

  @Test
  void guidanceReachesTheGeometricTarget() {
    // q_u = N(0, 1), q_c = N(1, 0.25), beta = 3: precision -2 * 1 + 3 * 4 = 10, mean 12 / 10
    Denoiser cfg = Denoiser.combination(new double[] {-2, 3}, gaussian(0, 1), gaussian(1, 0.5));
    assertTarget("cfg", cfg, "", 1.2, 0.1, 1.314, 0.067);
  }

  @Test
  void productOfExpertsReachesTheProduct() {
    // N(-1, 1) x N(2, 0.5): precision 1 + 2 = 3, mean (-1 + 4) / 3
    Denoiser product = Denoiser.combination(new double[] {1, 1}, gaussian(-1, 1), gaussian(2, Math.sqrt(0.5)));
    assertTarget("product", product, "", 1.0, 1.0 / 3, 0.841, 0.228);
  }

  @Test
  void annealingReachesTheTemperedDensity() {
    // N(0, 1)^2 = N(0, 0.5)
    assertTarget("anneal", gaussian(0, 1), ",beta=2", 0.0, 0.5, 0.0, 0.34);
  }

  @Test
  void guidanceThroughTheModelDenoiserIsTheSameCombination() {
    // a labelled mixture's guided denoiser exposes its unconditional and conditional experts
    GaussianMixture mixture = new GaussianMixture(SCHEDULE, new double[] {0.5, 0.5}, new double[][] {{-1}, {1}},
        new double[][] {{0.5}, {0.5}}, new int[] {0, 1}, Prediction.EPS);
    int[] labels = new int[PARTICLES];
    java.util.Arrays.fill(labels, 1);
    var guided = Denoiser.guided(mixture, org.fewstep.diffusion.Conditioning.labels(labels), 2.5);
    assertThat(guided.coefficients()).containsExactly(-1.5, 2.5);
    double[] x = noise(3);
    double[] direct = new double[PARTICLES];
    double[][] experts = new double[2][PARTICLES];
    var at = SCHEDULE.at(1.3);
    guided.denoise(x, PARTICLES, at, direct);
    guided.denoiseExperts(x, PARTICLES, at, experts);
    double[] combined = new double[PARTICLES];
    guided.combine(x, experts, combined);
    for (int i = 0; i < PARTICLES; i++) {
      assertThat(combined[i]).isCloseTo(direct[i], within(1e-12 * (1 + Math.abs(direct[i]))));
    }
  }

  @Test
  void equallyWeightedOutputAndDeterminism() {
    Denoiser product = Denoiser.combination(new double[] {1, 1}, gaussian(-1, 1), gaussian(2, Math.sqrt(0.5)));
    SampleResult a = run("fkc", product, 5);
    SampleResult b = run("fkc", product, 5);
    assertThat(a.logWeights()).isNull();
    assertThat(a.samples().data()).isEqualTo(b.samples().data());
    assertThat(a.nfe()).isEqualTo(STEPS);
    assertThat(a.mean(0)).isCloseTo(1.0, within(0.04));
    SampleResult every = run("fkc:every=1,resampling=stratified", product, 5);
    assertThat(every.mean(0)).isCloseTo(1.0, within(0.04));
  }

  @Test
  void badOptionsAreClearErrors() {
    assertThatThrownBy(() -> Diffusion.sampler("fkc:ess=1.5")).isInstanceOf(BadInputException.class).hasMessageContaining("ess");
    assertThatThrownBy(() -> Diffusion.sampler("fkc:resampling=best")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("resampling");
    assertThatThrownBy(() -> Diffusion.sampler("fkc:clamp=-1")).isInstanceOf(BadInputException.class).hasMessageContaining("clamp");
    assertThatThrownBy(() -> Denoiser.combination(new double[] {1}, gaussian(0, 1), gaussian(1, 1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("one coefficient per expert");
    assertThatThrownBy(() -> Denoiser.combination(new double[] {1, Double.NaN}, gaussian(0, 1), gaussian(1, 1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("coefficient 1");
  }
}
