package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.model.HmmMaskedLm;
import org.junit.jupiter.api.Test;

/** FHS and the time-stepped ancestral sampler against the exact joint of the motif HMM (discrete-and-data.md 1 f). */
class FirstHittingSamplerTest {
  private static final HmmMaskedLm MOTIF = MaskedTestModels.motif();

  private static long[] counts(String decoder, int length, int rows, long seed) {
    long[] counts = new long[(int) Math.pow(MOTIF.symbols(), length)];
    for (MaskedSample s : MaskedGeneration.of(MOTIF, MaskedDecoders.create(decoder)).length(length).rows(rows).seed(seed).batch(64).run()) {
      counts[MOTIF.index(s.tokens())]++;
    }
    return counts;
  }

  /** The product of the one-position marginals of an all-masked sequence: what one parallel step samples. */
  private static double[] productOfMarginals(int length) {
    int vocab = MOTIF.vocabSize();
    double[][] out = {new double[length * vocab]};
    MOTIF.logits(new int[][] {MaskedTestModels.masks(length, MOTIF.maskId())}, 0, length, out);
    double[] p = new double[(int) Math.pow(MOTIF.symbols(), length)];
    for (int k = 0; k < p.length; k++) {
      double prob = 1;
      for (int i = length - 1, rest = k; i >= 0; i--, rest /= MOTIF.symbols()) {
        prob *= Math.exp(out[0][i * vocab + rest % MOTIF.symbols()]);
      }
      p[k] = prob;
    }
    return p;
  }

  @Test
  void fhsSamplesTheExactJointWithOneCallPerToken() {
    List<MaskedSample> samples = MaskedGeneration.of(MOTIF, MaskedDecoders.create("fhs")).length(3).rows(40_000).seed(1).batch(64).run();
    long[] counts = new long[216];
    for (MaskedSample s : samples) {
      assertThat(s.nfe()).isEqualTo(3);
      counts[MOTIF.index(s.tokens())]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, MOTIF.joint(3))).isGreaterThan(1e-3);
  }

  @Test
  void manyStepAncestralMatchesTheJointAndOneStepSamplesTheProductOfMarginals() {
    double[] joint = MOTIF.joint(3);
    assertThat(GoodnessOfFit.chiSquarePValue(counts("mdm:steps=1000", 3, 40_000, 2), joint)).isGreaterThan(1e-3);
    long[] oneStep = counts("mdm:steps=1", 3, 40_000, 3);
    double[] product = productOfMarginals(3);
    assertThat(GoodnessOfFit.chiSquarePValue(oneStep, product)).isGreaterThan(1e-3);
    assertThat(GoodnessOfFit.chiSquarePValue(oneStep, joint)).isLessThan(1e-12);
    assertThat(GoodnessOfFit.totalVariation(product, joint)).isGreaterThan(0.1);
  }

  @Test
  void theFirstRevealTimeFollowsItsBetaLawAndItsPositionIsUniform() {
    int length = 6;
    List<Double> firstTimes = new ArrayList<>();
    long[] firstPosition = new long[length];
    MaskedGeneration.of(MOTIF, MaskedDecoders.create("fhs")).length(length).rows(20_000).seed(7).batch(64)
        .listener(step -> {
          if (step.nfe() == 1) {
            firstTimes.add(step.time());
            firstPosition[step.committed()[0]]++;
          }
        }).run();
    // P(tau <= z) = z^n with n = 6 masked at t = 1 (linear schedule): Kolmogorov-Smirnov at alpha = 0.01
    double[] t = firstTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double d = 0;
    for (int i = 0; i < t.length; i++) {
      double cdf = Math.pow(t[i], length);
      d = Math.max(d, Math.max((i + 1.0) / t.length - cdf, cdf - (double) i / t.length));
    }
    assertThat(d).isLessThan(1.63 / Math.sqrt(t.length));
    double[] uniform = new double[length];
    java.util.Arrays.fill(uniform, 1.0 / length);
    assertThat(GoodnessOfFit.chiSquarePValue(firstPosition, uniform)).isGreaterThan(1e-3);
  }

  @Test
  void revealTimesDecreaseToZeroUnderTheCosineScheduleToo() {
    List<Double> times = new ArrayList<>();
    MaskedGeneration.of(MOTIF, MaskedDecoders.create("fhs:schedule=cosine")).length(8).seed(3)
        .listener(step -> times.add(step.time())).run();
    assertThat(times).hasSize(8).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(times.get(0)).isLessThan(1).isGreaterThan(0);
  }

  @Test
  void cachingSkipsOnlyCallsAfterStepsThatChangedNothing() {
    List<MaskedSample> cached = MaskedGeneration.of(MOTIF, MaskedDecoders.create("mdm:steps=64")).length(8).rows(50).seed(4).run();
    List<MaskedSample> uncached = MaskedGeneration.of(MOTIF, MaskedDecoders.create("mdm:steps=64,caching=false")).length(8).rows(50).seed(4).run();
    int fewer = 0;
    for (int r = 0; r < 50; r++) {
      // the model draws no random numbers, so reusing its output where nothing changed gives the same tokens
      assertThat(uncached.get(r).tokens()).containsExactly(cached.get(r).tokens());
      assertThat(cached.get(r).nfe()).isBetween(1, 8);
      assertThat(uncached.get(r).nfe()).isBetween(cached.get(r).nfe(), 64);
      fewer += cached.get(r).nfe() < uncached.get(r).nfe() ? 1 : 0;
    }
    assertThat(fewer).isGreaterThan(40);
  }

  @Test
  void theSameSeedGivesTheSameTokensWhateverTheBatch() {
    for (String decoder : List.of("fhs", "mdm:steps=10")) {
      List<MaskedSample> one = MaskedGeneration.of(MOTIF, MaskedDecoders.create(decoder)).length(10).rows(6).seed(9).batch(1).run();
      List<MaskedSample> all = MaskedGeneration.of(MOTIF, MaskedDecoders.create(decoder)).length(10).rows(6).seed(9).batch(6).run();
      for (int r = 0; r < 6; r++) {
        assertThat(all.get(r).tokens()).containsExactly(one.get(r).tokens());
      }
    }
  }
}
