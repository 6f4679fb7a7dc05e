package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.model.HmmMaskedLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LSD and LSD+ (discrete-and-data.md 5 f), with exact output distributions on a short sticky HMM. */
class LsdTest {
  private static final HmmMaskedLm STICKY = MaskedTestModels.sticky();

  @TempDir
  Path dir;

  @Test
  void uniformParametersAreThePlainAncestralSamplerBitForBit() {
    Path file = dir.resolve("uniform.json");
    LsdParameters.uniform(5).save(file);
    List<MaskedSample> lsd = MaskedGeneration.of(STICKY, MaskedDecoders.create("lsd:" + file)).length(12).rows(20).seed(3).run();
    List<MaskedSample> mdm = MaskedGeneration.of(STICKY, MaskedDecoders.create("mdm:steps=5")).length(12).rows(20).seed(3).run();
    for (int r = 0; r < 20; r++) {
      assertThat(lsd.get(r).tokens()).containsExactly(mdm.get(r).tokens());
      assertThat(lsd.get(r).nfe()).isEqualTo(mdm.get(r).nfe());
    }
  }

  @Test
  void learnedCoefficientsLowerTheHeldOutLossAndTheExactDistanceToTheJoint() {
    LsdTraining.Result lsd = new LsdTraining().seed(1).train(STICKY, 3, 5);
    LsdParameters uniform = LsdParameters.uniform(3);
    // on the held-out states of the plain student the loss is lower with the learned coefficients
    double before = LsdTraining.loss(STICKY, uniform.coefficients(), uniform, 5, 400, 77);
    double after = LsdTraining.loss(STICKY, lsd.parameters().coefficients(), uniform, 5, 400, 77);
    assertThat(after).isLessThan(before);
    double[] joint = STICKY.joint(5);
    double tvUniform = GoodnessOfFit.totalVariation(joint, StudentDistribution.of(STICKY, uniform, 5));
    double tvLsd = GoodnessOfFit.totalVariation(joint, StudentDistribution.of(STICKY, lsd.parameters(), 5));
    // exact distributions, so the (small) gain is not noise: 0.2110 -> 0.2106
    assertThat(tvLsd).isLessThan(tvUniform);
    assertThat(lsd.parameters().coefficients()[0]).isEqualTo(1.0);
  }

  @Test
  void aLearnedGridLowersTheHeldOutMismatchAndTheExactDistance() {
    LsdTraining.Result plus = new LsdTraining().seed(1).learnTimes(true).train(STICKY, 3, 5);
    double[] m = plus.mismatches();
    for (int s = 1; s < m.length; s++) {
      assertThat(m[s]).isLessThanOrEqualTo(m[s - 1]);
    }
    LsdParameters uniform = LsdParameters.uniform(3);
    assertThat(LsdTraining.mismatch(STICKY, plus.parameters(), 5, 400, 78))
        .isLessThan(LsdTraining.mismatch(STICKY, uniform, 5, 400, 78));
    double[] times = plus.parameters().times();
    assertThat(times[0]).isEqualTo(1.0);
    assertThat(times[3]).isEqualTo(0.0);
    assertThat(times).isSortedAccordingTo((a, b) -> Double.compare(b, a)).doesNotHaveDuplicates();
    double[] joint = STICKY.joint(5);
    assertThat(GoodnessOfFit.totalVariation(joint, StudentDistribution.of(STICKY, plus.parameters(), 5)))
        .isLessThan(GoodnessOfFit.totalVariation(joint, StudentDistribution.of(STICKY, uniform, 5)) - 0.005);
  }

  @Test
  void theExactStudentDistributionMatchesSampling() {
    LsdParameters p = new LsdParameters(new double[] {1, 0.7, 0.2, 0}, new double[] {1, 0.8, 1.3}, "-", 0, 0);
    Path file = dir.resolve("p.json");
    p.save(file);
    long[] counts = new long[(int) Math.pow(3, 4)];
    for (MaskedSample s : MaskedGeneration.of(STICKY, MaskedDecoders.create("lsd:" + file)).length(4).rows(30_000).seed(5).batch(64).run()) {
      counts[STICKY.index(s.tokens())]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, StudentDistribution.of(STICKY, p, 4))).isGreaterThan(1e-3);
  }

  @Test
  void parametersRoundTripAndBadFilesAreClearErrors() throws Exception {
    LsdParameters p = new LsdTraining().seed(2).iterations(3).learnTimes(true).sweeps(2).train(STICKY, 4, 6).parameters();
    Path file = dir.resolve("lsd.json");
    p.save(file);
    LsdParameters back = LsdParameters.load(file);
    assertThat(back.times()).containsExactly(p.times());
    assertThat(back.coefficients()).containsExactly(p.coefficients());
    assertThat(back.model()).isEqualTo("sticky");
    Path again = dir.resolve("again.json");
    back.save(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"fewstep-lsd\", \"version\": 1, \"times\": [1, 0.6, 0.7, 0], \"coefficients\": [1, 1, 1]}");
    assertThatThrownBy(() -> LsdParameters.load(bad)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("times[2]").hasMessageContaining("less than");
    Files.writeString(bad, "{\"format\": \"fewstep-lsd\", \"version\": 1, \"times\": [1, 0.5, 0], \"coefficients\": [1, -2]}");
    assertThatThrownBy(() -> LsdParameters.load(bad)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("coefficients[1]").hasMessageContaining("> 0");
    Files.writeString(bad, "{\"format\": \"other\", \"version\": 1, \"times\": [1, 0], \"coefficients\": [1]}");
    assertThatThrownBy(() -> LsdParameters.load(bad)).isInstanceOf(BadInputException.class).hasMessageContaining("fewstep-lsd");
    Files.writeString(bad, "{\"format\": \"fewstep-lsd\", \"version\": 1, \"times\": [1, 0.5], \"coefficients\": [1]}");
    assertThatThrownBy(() -> LsdParameters.load(bad)).isInstanceOf(BadInputException.class).hasMessageContaining("times");
    assertThatThrownBy(() -> new LsdTraining().rate(0)).isInstanceOf(BadInputException.class).hasMessageContaining("rate");
    assertThatThrownBy(() -> new LsdTraining().train(STICKY, 0, 5)).isInstanceOf(BadInputException.class).hasMessageContaining("steps");
  }
}
