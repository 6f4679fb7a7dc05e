package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.AutomatonConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.junit.jupiter.api.Test;

/**
 * ASAp against the oracles of decoding.md 6(f) on test vector D: Z = 0.0254745, Q(00000) = 0.35612,
 * locally constrained decoding 0.73684 on 00000 (TV 0.3807 to Q).
 */
class AsapTest {
  static final int[] ZEROS = {0, 0, 0, 0, 0, Binary.EOS};

  @Test
  void theFirstSampleFollowsLocallyConstrainedDecoding() {
    Map<String, Double> gcd = Binary.gcd();
    Asap fresh = new Asap(Binary.MODEL, Binary.L);
    assertThat(fresh.rootEfg()).isEqualTo(1.0);
    for (int[] s : Binary.strings()) {
      assertThat(fresh.probability(s)).as(Binary.key(s)).isCloseTo(gcd.get(Binary.key(s)), within(1e-15));
    }
    assertThat(fresh.nodes()).isEqualTo(1); // probability() leaves the trie as it is
    // Monte Carlo: the first sample of 4000 fresh samplers, 00000 at 0.73684 (standard error 0.0070)
    int n = 4000;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
      Asap.Sample s = new Asap(Binary.MODEL, Binary.L).sample(Rng.stream(17, i));
      zeros += java.util.Arrays.equals(s.tokens(), ZEROS) ? 1 : 0;
    }
    assertThat(zeros / (double) n).isCloseTo(0.7 / 0.95, within(4 * Math.sqrt(0.7368 * 0.2632 / n)));
  }

  @Test
  void theCumulativeEmpiricalLawApproachesQWhileLocalDecodingStaysAway() {
    Map<String, Double> q = Binary.q();
    Asap asap = new Asap(Binary.MODEL, Binary.L);
    Rng rng = new Rng(2024);
    Map<String, Integer> counts = new HashMap<>();
    double[] tv = new double[3];
    int[] at = {200, 2000, 20000};
    for (int i = 1, k = 0; i <= 20000; i++) {
      Asap.Sample s = asap.sample(rng);
      assertThat(s.finished()).isTrue();
      counts.merge(Binary.key(s.tokens()), 1, Integer::sum);
      if (i == at[k]) {
        tv[k++] = Binary.tv(q, counts);
      }
    }
    System.out.printf("ASAp cumulative TV to Q: %.4f @200, %.4f @2000, %.4f @20000%n", tv[0], tv[1], tv[2]);
    assertThat(tv[1]).isLessThan(tv[0]);
    assertThat(tv[2]).isLessThan(0.02);
    // locally constrained decoding on the same budget stays at TV ~ 0.3807
    List<Completion> gcd = Generation.of(Binary.MODEL).decoder(new LocallyConstrainedDecoder(Binary.L))
        .samples(20000).seed(2024).run();
    Map<String, Integer> gcdCounts = new HashMap<>();
    gcd.forEach(c -> gcdCounts.merge(Binary.key(c.ids()), 1, Integer::sum));
    double gcdTv = Binary.tv(q, gcdCounts);
    System.out.printf("GCD TV to Q @20000: %.4f%n", gcdTv);
    assertThat(gcdTv).isCloseTo(0.3807, within(0.015));
  }

  @Test
  void oneFullyExpandedFiniteLanguageGivesZAtTheRootAndQPerSample() {
    Asap asap = new Asap(Binary.MODEL, Binary.L);
    Rng rng = new Rng(8);
    int samples = 0;
    while (asap.nodes() < 37) { // root, 0, 00, 000, 0000, 00000, and 1 + 2 + 4 + 8 + 16 under 1
      asap.sample(rng);
      samples++;
    }
    System.out.printf("ASAp full expansion after %d samples, %d model calls%n", samples, asap.modelCalls());
    assertThat(asap.modelCalls()).isEqualTo(37);
    assertThat(asap.rootEfg()).isCloseTo(Binary.z(), within(1e-12));
    assertThat(asap.rootEfg()).isCloseTo(0.0254745, within(1e-9));
    double total = 0;
    for (int[] s : Binary.strings()) {
      double p = asap.probability(s);
      assertThat(p).as(Binary.key(s)).isCloseTo(Binary.q().get(Binary.key(s)), within(1e-12));
      total += p;
    }
    assertThat(total).isCloseTo(1.0, within(1e-12));
    for (int[] w : Binary.prefixes()) {
      assertThat(asap.efg(w)).as("EFG %s", Binary.key(w)).isCloseTo(Binary.efg(w), within(1e-12));
    }
  }

  @Test
  void efgHatNeverFallsBelowTheExactEfgAndNeverRises() {
    List<int[]> prefixes = new ArrayList<>(Binary.prefixes());
    prefixes.add(new int[] {0, 1}); // ruled out by the constraint
    prefixes.add(new int[] {0, 0, 0, 0, 0, Binary.EOS, 0}); // nothing after the end
    Asap asap = new Asap(Binary.MODEL, Binary.L);
    Rng rng = new Rng(31);
    double[] last = new double[prefixes.size()];
    java.util.Arrays.fill(last, 1.0);
    for (int i = 0; i < 300; i++) {
      asap.sample(rng);
      for (int k = 0; k < prefixes.size(); k++) {
        int[] w = prefixes.get(k);
        double hat = asap.efg(w);
        assertThat(hat).as("sample %d EFG^ %s", i, Binary.key(w)).isGreaterThanOrEqualTo(Binary.efg(w) - 1e-15);
        assertThat(hat).as("sample %d EFG^ %s", i, Binary.key(w)).isLessThanOrEqualTo(last[k] + 1e-15);
        last[k] = hat;
      }
    }
    assertThat(asap.efg(0, 1)).isZero();
    assertThat(asap.efg(ZEROS)).isEqualTo(1.0); // the end child of a string of L
  }

  @Test
  void theSameSeedGivesTheSameSamples() {
    Asap a = new Asap(Binary.MODEL, Binary.L);
    Asap b = new Asap(Binary.MODEL, Binary.L);
    Rng ra = new Rng(5);
    Rng rb = new Rng(5);
    for (int i = 0; i < 500; i++) {
      assertThat(a.sample(ra).tokens()).isEqualTo(b.sample(rb).tokens());
    }
    assertThat(a.rootEfg()).isEqualTo(b.rootEfg());
  }

  @Test
  void theDecoderKeepsItsTrieAcrossGenerations() {
    AsapDecoder decoder = new AsapDecoder(Binary.L);
    Generation g = Generation.of(Binary.MODEL).decoder(decoder).samples(400).seed(3).logprobs(0);
    Map<String, Integer> counts = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (Completion c : g.run()) {
        assertThat(c.finish()).isEqualTo(Completion.Finish.EOS);
        assertThat(c.tokens().get(0).logprob()).isCloseTo(Math.log(Binary.TABLE[0][c.ids()[0]]), within(1e-12));
        counts.merge(Binary.key(c.ids()), 1, Integer::sum);
      }
    }
    Asap trie = decoder.sampler(Binary.MODEL, new int[0]);
    assertThat(trie.rootEfg()).isLessThan(0.2); // tightened from 1 towards Z = 0.025
    assertThat(Binary.tv(Binary.q(), counts)).isLessThan(0.1);
    // a cut at the token budget returns a shorter, unfinished completion
    Completion cut = Generation.of(Binary.MODEL).decoder(new AsapDecoder(Binary.L)).maxTokens(3).seed(1).run().get(0);
    assertThat(cut.finish()).isEqualTo(Completion.Finish.LENGTH);
    assertThat(cut.ids()).hasSize(3);
  }

  @Test
  void aLanguageOfProbabilityZeroIsAClearError() {
    Binary.Bigram stuck = new Binary.Bigram(new double[][] {{0.7, 0.25, 0.05}, {0.0, 0.9, 0.1}, {0.45, 0.45, 0.1}});
    AutomatonConstraint onlyZeros = new AutomatonConstraint(new Binary.Language(false), Binary.VOCABULARY);
    Asap asap = new Asap(stuck, onlyZeros);
    assertThatThrownBy(() -> asap.sample(new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("probability of the language of 00000");
    assertThat(asap.rootEfg()).isZero();
  }
}
