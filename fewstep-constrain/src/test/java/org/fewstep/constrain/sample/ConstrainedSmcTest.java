package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.fewstep.constrain.AutomatonConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Resampling;
import org.junit.jupiter.api.Test;

/**
 * SMC with AWRS proposals on test vector D: Z = P(L) = 0.0254745 and Q(00000) = 0.35612, estimated
 * over many seeds (means within 4 standard errors).
 */
class ConstrainedSmcTest {
  static final int[] ZEROS = {0, 0, 0, 0, 0, Binary.EOS};

  /** Mean and standard error of the Z estimate over {@code runs} seeds. */
  static double[] zOverSeeds(ConstrainedSmc smc, int runs) {
    double s = 0;
    double s2 = 0;
    for (int seed = 0; seed < runs; seed++) {
      double z = smc.run(new Rng(seed)).z();
      s += z;
      s2 += z * z;
    }
    double mean = s / runs;
    return new double[] {mean, Math.sqrt((s2 / runs - mean * mean) / runs)};
  }

  /**
   * E[w 1{x = a}] for each token a of one AWRS step after {@code previous} in {@code state}, exactly:
   * both passes' visiting orders enumerated with their Plackett-Luce probabilities.
   */
  static double[] stepExpectations(org.fewstep.constrain.ConstraintState state, int previous) {
    double[] p = {Binary.MODEL.p(previous, 0), Binary.MODEL.p(previous, 1), Binary.MODEL.p(previous, 2)};
    double[] logP = Arrays.stream(p).map(Math::log).toArray();
    double[] out = new double[3];
    for (int[] first : AwrsTest.permutations(new int[] {0, 1, 2})) {
      java.util.List<Integer> rest = new java.util.ArrayList<>(java.util.List.of(0, 1, 2));
      for (int t : first) {
        if (state.allows(t)) {
          break;
        }
        rest.remove(Integer.valueOf(t));
      }
      for (int[] second : AwrsTest.permutations(rest.stream().mapToInt(Integer::intValue).toArray())) {
        Awrs.Draw d = Awrs.estimate(logP, state::allows, first, second);
        if (d.accepted()) {
          out[d.token()] += AwrsTest.plackettLuce(first, p) * AwrsTest.plackettLuce(second, p) * Math.exp(d.logWeight());
        }
      }
    }
    return out;
  }

  @Test
  void oneParticleIsProperlyWeightedForEveryStringByExactEnumeration() {
    // steps draw fresh keys, so E[prod_t w_t 1{x_t = s_t}] is the product of the steps' expectations
    double z = 0;
    for (int[] s : Binary.strings()) {
      org.fewstep.constrain.ConstraintState state = Binary.L.start();
      double expected = 1;
      int previous = -1;
      for (int t : s) {
        double[] e = stepExpectations(state, previous);
        for (int a = 0; a < 3; a++) { // properly weighted: E[w 1{x = a}] = p(a) c(a)
          assertThat(e[a]).isCloseTo(state.allows(a) ? Binary.MODEL.p(previous, a) : 0.0, within(1e-14));
        }
        expected *= e[t];
        state = state.advance(t);
        previous = t;
      }
      // the weighted particle targets P restricted to L: E[w 1{x = s}] = P(s)
      assertThat(expected).as(Binary.key(s)).isCloseTo(Binary.p(Binary.MODEL, s), within(1e-14));
      z += expected;
    }
    assertThat(z).isCloseTo(0.0254745, within(1e-12));
  }

  @Test
  void theZEstimateIsUnbiasedWithEitherResamplingAndWithout() {
    assertThat(Binary.z()).isCloseTo(0.0254745, within(1e-9));
    for (Resampling scheme : List.of(Resampling.MULTINOMIAL, Resampling.SYSTEMATIC)) {
      for (double threshold : new double[] {0.0, 0.5, 1.0}) {
        ConstrainedSmc smc = new ConstrainedSmc(Binary.MODEL, Binary.L).particles(4).essThreshold(threshold)
            .resampling(scheme);
        double[] m = zOverSeeds(smc, 10000);
        System.out.printf("SMC N=4 %s threshold %.1f: mean Z over 10000 seeds %.6f +- %.6f (exact %.7f)%n", scheme,
            threshold, m[0], m[1], Binary.z());
        assertThat(m[0]).as("%s threshold %s: %s +- %s", scheme, threshold, m[0], m[1])
            .isCloseTo(Binary.z(), within(4 * m[1]));
      }
    }
  }

  @Test
  void theZEstimateIsUnbiasedWithEveryAwrsEstimator() {
    for (Awrs.Estimator e : new Awrs.Estimator[] {Awrs.Estimator.PAPER, Awrs.Estimator.RECURSIVE, Awrs.Estimator.GEOMETRIC}) {
      double[] m = zOverSeeds(new ConstrainedSmc(Binary.MODEL, Binary.L).particles(4).estimator(e), 10000);
      assertThat(m[0]).as("%s: %s +- %s", e, m[0], m[1]).isCloseTo(Binary.z(), within(4 * m[1]));
    }
    assertThatThrownBy(() -> new ConstrainedSmc(Binary.MODEL, Binary.L).estimator(Awrs.Estimator.NONE))
        .hasMessageContaining("estimator");
  }

  @Test
  void weightedParticlesConvergeToTheConditional() {
    double q = Binary.q().get("00000</s>");
    assertThat(q).isCloseTo(0.35612, within(1e-5));
    int runs = 40;
    double s = 0;
    double s2 = 0;
    double zs = 0;
    for (int seed = 0; seed < runs; seed++) {
      ConstrainedSmc.Result r = new ConstrainedSmc(Binary.MODEL, Binary.L).particles(500).run(new Rng(1000 + seed));
      double estimate = r.probability(t -> Arrays.equals(t, ZEROS));
      s += estimate;
      s2 += estimate * estimate;
      zs += r.z();
      for (ConstrainedSmc.Particle p : r.particles()) {
        assertThat(p.finished()).isTrue();
        assertThat(Binary.q()).containsKey(Binary.key(p.tokens()));
      }
    }
    double mean = s / runs;
    double se = Math.sqrt((s2 / runs - mean * mean) / runs);
    System.out.printf("SMC N=500: mean Q(00000) over %d seeds %.5f +- %.5f (exact %.5f), mean Z %.6f%n", runs, mean, se,
        q, zs / runs);
    // self-normalised: bias O(1/N) = O(0.002), well inside the tolerance
    assertThat(mean).isCloseTo(q, within(Math.max(4 * se, 0.005)));
    assertThat(zs / runs).isCloseTo(Binary.z(), within(0.001));
  }

  @Test
  void theSameSeedGivesTheSameResult() {
    ConstrainedSmc smc = new ConstrainedSmc(Binary.MODEL, Binary.L).particles(16);
    ConstrainedSmc.Result a = smc.run(new Rng(7));
    ConstrainedSmc.Result b = smc.run(new Rng(7));
    assertThat(a.logZ()).isEqualTo(b.logZ());
    for (int i = 0; i < 16; i++) {
      assertThat(a.particles().get(i).tokens()).isEqualTo(b.particles().get(i).tokens());
      assertThat(a.particles().get(i).logWeight()).isEqualTo(b.particles().get(i).logWeight());
    }
    assertThat(a.evaluations()).isPositive();
  }

  @Test
  void allParticlesDeadIsAClearError() {
    Binary.Bigram stuck = new Binary.Bigram(new double[][] {{0.7, 0.25, 0.05}, {0.0, 0.9, 0.1}, {0.45, 0.45, 0.1}});
    AutomatonConstraint onlyZeros = new AutomatonConstraint(new Binary.Language(false), Binary.VOCABULARY);
    assertThatThrownBy(() -> new ConstrainedSmc(stuck, onlyZeros).particles(8).run(new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("particles alive after 2 tokens");
    assertThatThrownBy(() -> new ConstrainedSmc(Binary.MODEL, Binary.L).maxTokens(5).run(new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("max tokens 5");
  }
}
