package org.fewstep.text.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.core.registry.Spec;
import org.fewstep.text.generate.Decoders;
import org.junit.jupiter.api.Test;

/**
 * Each processor against its closed form: the law the chain samples from (200,000 draws, Pearson
 * chi-square p-value above 1e-4 with a fixed seed) and the processed probabilities themselves (to
 * 1e-12). The closed forms are computed here from the definitions, independently of Candidates.
 */
class SamplingChainTest {
  /** Ten tokens with distinct logits, unsorted. */
  static final double[] LOGITS = {0.3, 2.0, -1.0, 1.2, 0.0, -3.0, 1.7, -0.5, 0.9, -2.2};
  static final int DRAWS = 200_000;

  static double[] softmax(double[] logits) {
    double max = Arrays.stream(logits).max().orElseThrow();
    double[] p = new double[logits.length];
    double z = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      z += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= z;
    }
    return p;
  }

  /** p restricted to {@code keep} and renormalized. */
  static double[] restrict(double[] p, boolean[] keep) {
    double[] q = new double[p.length];
    double z = 0;
    for (int i = 0; i < p.length; i++) {
      if (keep[i]) {
        q[i] = p[i];
        z += p[i];
      }
    }
    for (int i = 0; i < p.length; i++) {
      q[i] /= z;
    }
    return q;
  }

  /** Ids sorted by decreasing probability. */
  static Integer[] order(double[] p) {
    Integer[] ids = new Integer[p.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    Arrays.sort(ids, (a, b) -> Double.compare(p[b], p[a]));
    return ids;
  }

  static Sampling sampling(String spec) {
    return Sampling.from(Decoders.registry().component("sample").parse(Spec.parse("sample:" + spec)));
  }

  /** The processed law as the chain computes it, as a dense vector. */
  static double[] processed(SamplerChain chain, double[] logits) {
    Candidates c = chain.apply(logits);
    double[] q = new double[logits.length];
    for (int i = 0; i < c.size(); i++) {
      q[c.id(i)] = c.probability(i);
    }
    return q;
  }

  static void assertSamplesFrom(String spec, double[] expected) {
    assertSamplesFrom(spec, new int[0], expected);
  }

  static void assertSamplesFrom(String spec, int[] history, double[] expected) {
    SamplerChain chain = sampling(spec).chain(history, null);
    double[] q = processed(chain, LOGITS);
    for (int i = 0; i < q.length; i++) {
      assertThat(q[i]).as("%s: probability of token %d", spec, i).isCloseTo(expected[i], offset(1e-12));
    }
    long[] counts = new long[LOGITS.length];
    Rng rng = new Rng(spec.hashCode());
    for (int k = 0; k < DRAWS; k++) {
      counts[chain.sample(LOGITS, rng)]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, expected)).as(spec).isGreaterThan(1e-4);
  }

  @Test
  void plainSamplingIsTheSoftmax() {
    assertSamplesFrom("temperature=1", softmax(LOGITS));
  }

  @Test
  void temperatureDividesTheLogits() {
    double[] scaled = Arrays.stream(LOGITS).map(l -> l / 0.6).toArray();
    assertSamplesFrom("temperature=0.6", softmax(scaled));
    double[] hot = Arrays.stream(LOGITS).map(l -> l / 2.5).toArray();
    assertSamplesFrom("temperature=2.5", softmax(hot));
  }

  @Test
  void temperatureZeroIsGreedy() {
    double[] onehot = new double[LOGITS.length];
    onehot[1] = 1;
    assertSamplesFrom("temperature=0", onehot);
  }

  @Test
  void topKKeepsTheKMostLikely() {
    double[] p = softmax(LOGITS);
    Integer[] ids = order(p);
    boolean[] keep = new boolean[p.length];
    for (int j = 0; j < 4; j++) {
      keep[ids[j]] = true;
    }
    assertSamplesFrom("top-k=4", restrict(p, keep));
  }

  @Test
  void topPKeepsTheSmallestNucleus() {
    double[] p = softmax(LOGITS);
    Integer[] ids = order(p);
    for (double mass : new double[] {0.5, 0.8, 0.95}) {
      boolean[] keep = new boolean[p.length];
      double sum = 0;
      for (int j = 0; sum < mass; j++) {
        keep[ids[j]] = true;
        sum += p[ids[j]];
      }
      assertSamplesFrom("top-p=" + mass, restrict(p, keep));
    }
  }

  @Test
  void minPKeepsTokensAboveAFractionOfTheBest() {
    double[] p = softmax(LOGITS);
    double max = Arrays.stream(p).max().orElseThrow();
    boolean[] keep = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      keep[i] = p[i] >= 0.2 * max;
    }
    assertSamplesFrom("min-p=0.2", restrict(p, keep));
  }

  @Test
  void typicalPKeepsTheTokensClosestToTheEntropy() {
    double[] p = softmax(LOGITS);
    double h = 0;
    for (double v : p) {
      h -= v * Math.log(v);
    }
    double entropy = h;
    Integer[] ids = new Integer[p.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    Arrays.sort(ids, (a, b) -> Double.compare(Math.abs(-Math.log(p[a]) - entropy), Math.abs(-Math.log(p[b]) - entropy)));
    boolean[] keep = new boolean[p.length];
    double sum = 0;
    for (int j = 0; sum < 0.6; j++) {
      keep[ids[j]] = true;
      sum += p[ids[j]];
    }
    assertSamplesFrom("typical-p=0.6", restrict(p, keep));
  }

  @Test
  void logitBiasAddsToChosenLogits() {
    double[] biased = LOGITS.clone();
    biased[5] += 4;
    biased[1] -= 1.5;
    assertSamplesFrom("logit-bias=5:4;1:-1.5", softmax(biased));
  }

  @Test
  void penaltiesFollowTheirDefinitions() {
    // history 1, 1, 2, 6 (window 64): token 1 twice, 2 once, 6 once
    SamplerChain chain = sampling("repeat-penalty=1.3,frequency-penalty=0.4,presence-penalty=0.25")
        .chain(new int[] {1, 1, 2, 6}, null);
    double[] expected = LOGITS.clone();
    expected[1] = 2.0 / 1.3 - 2 * 0.4 - 0.25;
    expected[2] = -1.0 * 1.3 - 0.4 - 0.25;
    expected[6] = 1.7 / 1.3 - 0.4 - 0.25;
    double[] q = processed(chain, LOGITS);
    double[] p = softmax(expected);
    for (int i = 0; i < q.length; i++) {
      assertThat(q[i]).isCloseTo(p[i], offset(1e-12));
    }
    assertSamplesFrom("repeat-penalty=1.3,frequency-penalty=0.4,presence-penalty=0.25", new int[] {1, 1, 2, 6}, p);
    // the window: with repeat-last-n=2 only the last two tokens (2 and 6) count
    SamplerChain windowed = sampling("repeat-penalty=2,repeat-last-n=2").chain(new int[] {1, 1, 2, 6}, null);
    double[] w = LOGITS.clone();
    w[2] = -2.0;
    w[6] = 0.85;
    double[] qw = processed(windowed, LOGITS);
    double[] pw = softmax(w);
    for (int i = 0; i < qw.length; i++) {
      assertThat(qw[i]).isCloseTo(pw[i], offset(1e-12));
    }
    // accepting a token updates the history
    windowed.accept(3);
    double[] w2 = LOGITS.clone();
    w2[6] = 0.85;
    w2[3] = 0.6;
    double[] q2 = processed(windowed, LOGITS);
    double[] p2 = softmax(w2);
    for (int i = 0; i < q2.length; i++) {
      assertThat(q2[i]).isCloseTo(p2[i], offset(1e-12));
    }
  }

  @Test
  void chainOrderIsLlamaCppsUnlessTemperatureFirst() {
    // top-p on the untempered law, then temperature: the nucleus differs from tempering first
    assertThat(sampling("top-k=5,top-p=0.9,min-p=0.1,typical-p=0.95,temperature=0.7,repeat-penalty=1.1,"
        + "logit-bias=1:1").chain(new int[0], null).names())
        .containsExactly("logit-bias", "penalties", "top-k", "typical-p", "top-p", "min-p", "temperature");
    assertThat(sampling("top-p=0.9,temperature=0.7,temperature-first=true").chain(new int[0], null).names())
        .containsExactly("temperature", "top-p");
    double[] p = softmax(LOGITS);
    Integer[] ids = order(p);
    boolean[] keep = new boolean[p.length];
    double sum = 0;
    for (int j = 0; sum < 0.7; j++) {
      keep[ids[j]] = true;
      sum += p[ids[j]];
    }
    double[] tempered = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      tempered[i] = keep[i] ? LOGITS[i] / 0.5 : Double.NEGATIVE_INFINITY;
    }
    assertSamplesFrom("top-p=0.7,temperature=0.5", softmax(tempered));
  }

  @Test
  void mirostatV2TruncatesBySurpriseAndMovesMu() {
    // mu starts at 2 tau = 3 bits: keep tokens with -log2 p <= 3, i.e. p >= 1/8
    double[] p = softmax(LOGITS);
    boolean[] keep = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      keep[i] = p[i] >= 0.125;
    }
    double[] q = restrict(p, keep);
    assertSamplesFrom("mirostat=2,mirostat-tau=1.5,mirostat-eta=0.2", q);

    MirostatV2 m = new MirostatV2(1.5, 0.2);
    Candidates c = new Candidates().reset(LOGITS);
    m.apply(c);
    assertThat(c.size()).isEqualTo(3);
    int token = c.id(c.sample(new Rng(4)));
    m.accept(token);
    double surprise = -Math.log(q[token]) / Math.log(2);
    assertThat(m.mu()).isCloseTo(3 - 0.2 * (surprise - 1.5), offset(1e-12));
    MirostatV2 copy = (MirostatV2) m.copy();
    m.apply(c.reset(LOGITS));
    m.accept(c.id(0));
    assertThat(copy.mu()).isCloseTo(3 - 0.2 * (surprise - 1.5), offset(1e-12));
  }

  /**
   * Chains with only top-p / min-p truncations draw by rejection without building the set; their law
   * must equal the materialized chain's (which the tests above check against closed forms).
   */
  @Test
  void rejectionDrawEqualsTheMaterializedChain() {
    for (String spec : new String[] {"top-p=0.6", "top-p=0.3,min-keep=3", "min-p=0.3", "top-p=0.9,min-p=0.25",
        "top-p=0.7,temperature=1.7", "top-p=0.7,temperature=0.4,temperature-first=true",
        "top-p=0.8,repeat-penalty=1.5,logit-bias=1:-1;9:2"}) {
      SamplerChain chain = sampling(spec).chain(new int[] {1, 3}, null);
      double[] q = processed(chain, LOGITS);
      long[] counts = new long[LOGITS.length];
      Rng rng = new Rng(spec.hashCode());
      for (int k = 0; k < DRAWS; k++) {
        counts[chain.sample(LOGITS, rng)]++;
      }
      assertThat(GoodnessOfFit.chiSquarePValue(counts, q)).as(spec).isGreaterThan(1e-4);
      int token = chain.sample(LOGITS, rng);
      assertThat(chain.logProbability(token)).as(spec).isCloseTo(Math.log(q[token]), offset(1e-12));
    }
  }

  /** Both top-p paths decide membership by the same rule, so they agree at exact boundaries. */
  @Test
  void topPPathsAgreeAtExactBoundaries() {
    double[] uniform = new double[10];
    SamplerChain chain = sampling("top-p=0.8").chain(new int[0], null);
    // 8 of 10 equal tokens hold exactly 0.8 (a sum of normalized 0.1s would fall just short)
    assertThat(chain.apply(uniform).size()).isEqualTo(8);
    long[] counts = new long[10];
    Rng rng = new Rng(3);
    for (int k = 0; k < 80_000; k++) {
      int t = chain.sample(uniform, rng);
      counts[t]++;
      if (k < 20) {
        assertThat(chain.logProbability(t)).isCloseTo(Math.log(1 / 8.0), offset(1e-15));
      }
    }
    assertThat(counts[8] + counts[9]).isZero();
    // random rational distributions whose cumulative sums hit p exactly
    Rng r = new Rng(5);
    for (int c = 0; c < 200; c++) {
      int n = 2 + r.nextInt(30);
      double[] logits = new double[n];
      for (int i = 0; i < n; i++) {
        logits[i] = Math.log(1 + r.nextInt(4));
      }
      double total = Arrays.stream(logits).map(Math::exp).sum();
      double p = Math.rint(Math.exp(logits[0]) + Math.exp(logits[1 % n])) / total;
      if (!(p > 0 && p <= 1)) {
        continue;
      }
      Candidates cand = new Candidates().reset(logits);
      cand.keepTopP(p, 1);
      org.fewstep.core.math.Categorical member = new org.fewstep.core.math.Categorical().setLogits("l", logits, n);
      java.util.Set<Integer> kept = new java.util.HashSet<>();
      for (int i = 0; i < cand.size(); i++) {
        kept.add(cand.id(i));
      }
      for (int i = 0; i < n; i++) {
        assertThat(kept.contains(i)).as("case %d token %d", c, i).isEqualTo(member.massBefore(i) < p);
      }
    }
  }

  /** A high final temperature spreads the mass outside a nucleus chosen untempered: the draw falls back. */
  @Test
  void rejectionDrawFallsBackWhenTheSetHasLittleTemperedMass() {
    double[] logits = new double[1000];
    logits[0] = 10; // p_0 = 0.957: the top-p 0.9 set is {0}; at T = 10 it holds 0.27 % of the draw's mass
    SamplerChain chain = sampling("top-p=0.9,temperature=10").chain(new int[0], null);
    Rng rng = new Rng(1);
    for (int k = 0; k < 2000; k++) {
      assertThat(chain.sample(logits, rng)).isZero();
    }
  }

  @Test
  void minPKeepsMinKeepTokens() {
    double[] p = softmax(LOGITS);
    Integer[] ids = order(p);
    boolean[] keep = new boolean[p.length];
    for (int j = 0; j < 3; j++) {
      keep[ids[j]] = true; // min-p 0.9 alone keeps only the best token
    }
    assertSamplesFrom("min-p=0.9,min-keep=3", restrict(p, keep));
    SamplerChain chain = sampling("min-p=0.9,min-keep=3").chain(new int[0], null);
    assertThat(chain.apply(LOGITS).size()).isEqualTo(3);
  }

  @Test
  void logitBiasCanBanAToken() {
    double[] banned = LOGITS.clone();
    banned[1] = Double.NEGATIVE_INFINITY;
    assertSamplesFrom("logit-bias=1:-inf", softmax(banned));
    // a long penalty window is allocated as the sequence grows, not up front
    SamplerChain chain = sampling("repeat-penalty=1.2,repeat-last-n=2147483647").chain(new int[] {1, 2}, null);
    assertThat(chain.apply(LOGITS).size()).isEqualTo(LOGITS.length);
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> sampling("top-p=0")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("top-p").hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> sampling("top-p=1.5")).hasMessageContaining("top-p");
    assertThatThrownBy(() -> sampling("top-k=-1")).hasMessageContaining("top-k");
    assertThatThrownBy(() -> sampling("min-p=1")).hasMessageContaining("min-p");
    assertThatThrownBy(() -> sampling("temperature=-1")).hasMessageContaining("temperature");
    assertThatThrownBy(() -> sampling("mirostat=2,top-k=40")).hasMessageContaining("mirostat = 2 replaces");
    assertThatThrownBy(() -> sampling("mirostat=1")).hasMessageContaining("mirostat");
    assertThatThrownBy(() -> sampling("logit-bias=12")).hasMessageContaining("TOKEN_ID:BIAS");
    assertThatThrownBy(() -> sampling("top-q=0.5")).hasMessageContaining("unknown option 'top-q'")
        .hasMessageContaining("did you mean");
    assertThatThrownBy(() -> Decoders.create("nucleus:p=0.9")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("nucleus");
    assertThat(Sampling.parseBias("3:-100; 7:2.5")).isEqualTo(Map.of(3, -100.0, 7, 2.5));
  }
}
