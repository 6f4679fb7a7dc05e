package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * AWRS against test vector C of decoding.md 16: p = (0.1, 0.3, 0.2, 0.4), Z_phi = 1, allowed {0, 2}.
 * Exact expectations by enumerating both passes' orders with their Plackett-Luce probabilities, and
 * the sampler itself by Monte Carlo with a fixed seed.
 */
class AwrsTest {
  static final double[] P = {0.1, 0.3, 0.2, 0.4};
  static final double[] LOG_P = {Math.log(0.1), Math.log(0.3), Math.log(0.2), Math.log(0.4)};
  static final IntPredicate ALLOWED = t -> t == 0 || t == 2;

  /** Every order of {@code items}. */
  static List<int[]> permutations(int[] items) {
    List<int[]> out = new ArrayList<>();
    permute(items.clone(), 0, out);
    return out;
  }

  private static void permute(int[] a, int k, List<int[]> out) {
    if (k == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = k; i < a.length; i++) {
      int t = a[k]; a[k] = a[i]; a[i] = t;
      permute(a, k + 1, out);
      t = a[k]; a[k] = a[i]; a[i] = t;
    }
  }

  /** Plackett-Luce probability of {@code order} under weights {@code w} (sampling without replacement). */
  static double plackettLuce(int[] order, double[] w) {
    double rest = 0;
    for (int t : order) {
      rest += w[t];
    }
    double pr = 1;
    for (int t : order) {
      pr *= w[t] / rest;
      rest -= w[t];
    }
    return pr;
  }

  @Test
  void exactEnumerationOfBothPassesGivesTestVectorC() {
    double[] ew = new double[4];
    double[] law = new double[4];
    double ew2 = 0;
    double evaluations = 0;
    double total = 0;
    for (int[] first : permutations(new int[] {0, 1, 2, 3})) {
      double p1 = plackettLuce(first, P);
      // R1 = the rejections before the first allowed token
      List<Integer> rest = new ArrayList<>(List.of(0, 1, 2, 3));
      for (int t : first) {
        if (ALLOWED.test(t)) {
          break;
        }
        rest.remove(Integer.valueOf(t));
      }
      for (int[] second : permutations(rest.stream().mapToInt(Integer::intValue).toArray())) {
        double pr = p1 * plackettLuce(second, P);
        Awrs.Draw d = Awrs.estimate(LOG_P, ALLOWED, first, second);
        double w = Math.exp(d.logWeight());
        ew[d.token()] += pr * w;
        law[d.token()] += pr;
        ew2 += pr * w * w;
        evaluations += pr * d.evaluations();
        total += pr;
      }
    }
    assertThat(total).isCloseTo(1.0, within(1e-14));
    assertThat(ew).containsExactly(new double[] {0.1, 0, 0.2, 0}, within(1e-14)); // Z p(a) c(a)
    assertThat(law).containsExactly(new double[] {1.0 / 3, 0, 2.0 / 3, 0}, within(1e-14));
    double mean = ew[0] + ew[2];
    assertThat(mean).isCloseTo(0.3, within(1e-14));
    assertThat(ew2 - mean * mean).isCloseTo(0.0644881, within(1e-7));
    assertThat(evaluations).isCloseTo(3.5663, within(1e-4));
  }

  @Test
  void sampledLawAndWeightsMatchTestVectorCByMonteCarlo() {
    int n = 200_000;
    Rng rng = new Rng(20250611L);
    Awrs awrs = new Awrs();
    int[] counts = new int[4];
    double[] sw = new double[4];
    double[] sw2 = new double[4];
    double sumW = 0;
    double sumW2 = 0;
    long evaluations = 0;
    for (int i = 0; i < n; i++) {
      Awrs.Draw d = awrs.sample(LOG_P, ALLOWED, rng);
      double w = Math.exp(d.logWeight());
      counts[d.token()]++;
      sw[d.token()] += w;
      sw2[d.token()] += w * w;
      sumW += w;
      sumW2 += w * w;
      evaluations += d.evaluations();
    }
    // law (1/3, 0, 2/3, 0): binomial standard error sqrt(2/9 / n) = 0.00105; 4 SE = 0.0042
    assertThat(counts[1] + counts[3]).isZero();
    assertThat(counts[0] / (double) n).isCloseTo(1.0 / 3, within(4 * Math.sqrt(2.0 / 9 / n)));
    // E[w 1{x=a}] = Z p(a) c(a), within 4 standard errors of the mean
    for (int a : new int[] {0, 2}) {
      double mean = sw[a] / n;
      double se = Math.sqrt((sw2[a] / n - mean * mean) / n);
      assertThat(mean).as("E[w 1{x=%d}]", a).isCloseTo(P[a], within(4 * se));
    }
    double mean = sumW / n;
    double variance = sumW2 / n - mean * mean;
    System.out.printf("AWRS n=%d: P(x=0) %.5f, E[w 1{x=0}] %.5f, E[w 1{x=2}] %.5f, E[w] %.5f, Var(w) %.5f, "
        + "evaluations %.4f%n", n, counts[0] / (double) n, sw[0] / n, sw[2] / n, mean, variance, evaluations / (double) n);
    assertThat(mean).isCloseTo(0.3, within(4 * Math.sqrt(variance / n)));
    assertThat(variance).isCloseTo(0.0644881, within(0.002));
    assertThat(evaluations / (double) n).isCloseTo(3.5663, within(0.01));
  }

  @Test
  void everyTokenAllowedGivesTheNormaliserAndOneTestPerPass() {
    double[] logPhi = {1.0, -2.0, 0.5, Double.NEGATIVE_INFINITY, 3.0};
    double logZ = Math.log(Math.exp(1.0) + Math.exp(-2.0) + Math.exp(0.5) + Math.exp(3.0));
    Rng rng = new Rng(3);
    Awrs awrs = new Awrs();
    for (int i = 0; i < 100; i++) {
      Awrs.Draw d = awrs.sample(logPhi, t -> true, rng);
      assertThat(d.logWeight()).isCloseTo(logZ, within(1e-14));
      assertThat(d.evaluations()).isEqualTo(2);
      assertThat(d.token()).isNotEqualTo(3); // weight zero: never visited
    }
  }

  @Test
  void noAllowedTokenGivesWeightZeroAfterTestingEveryPossibleToken() {
    Awrs.Draw d = new Awrs().sample(new double[] {0, Double.NEGATIVE_INFINITY, -1, -2}, t -> t == 1, new Rng(1));
    assertThat(d.accepted()).isFalse();
    assertThat(d.token()).isEqualTo(-1);
    assertThat(d.logWeight()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(d.evaluations()).isEqualTo(3);
  }

  @Test
  void theSameSeedGivesTheSameDraws() {
    Awrs a = new Awrs();
    Awrs b = new Awrs();
    Rng r1 = new Rng(99);
    Rng r2 = new Rng(99);
    for (int i = 0; i < 1000; i++) {
      assertThat(a.sample(LOG_P, ALLOWED, r1)).isEqualTo(b.sample(LOG_P, ALLOWED, r2));
    }
  }

  @Test
  void aLargeVocabularyNeedsFewTestsAndStaysProperlyWeighted() {
    // 50 000 tokens, Zipf-like weights; the constraint allows the even ids: about half the mass
    int v = 50_000;
    double[] logP = new double[v];
    double total = 0;
    for (int t = 0; t < v; t++) {
      total += 1.0 / (t + 1);
    }
    double allowedMass = 0;
    for (int t = 0; t < v; t++) {
      logP[t] = -Math.log(t + 1) - Math.log(total);
      allowedMass += t % 2 == 0 ? Math.exp(logP[t]) : 0;
    }
    Awrs awrs = new Awrs();
    Rng rng = new Rng(11);
    int n = 400;
    double sumW = 0;
    double sumW2 = 0;
    long evaluations = 0;
    for (int i = 0; i < n; i++) {
      Awrs.Draw d = awrs.sample(logP, t -> t % 2 == 0, rng);
      assertThat(d.token() % 2).isZero();
      double w = Math.exp(d.logWeight());
      sumW += w;
      sumW2 += w * w;
      evaluations += d.evaluations();
    }
    double mean = sumW / n;
    double se = Math.sqrt((sumW2 / n - mean * mean) / n);
    System.out.printf("AWRS |V|=%d: mean evaluations %.2f, E[w] %.4f +- %.4f (exact %.4f)%n", v,
        evaluations / (double) n, mean, se, allowedMass);
    assertThat(mean).isCloseTo(allowedMass, within(4 * se));
    assertThat(evaluations / (double) n).isLessThan(10.0); // vs 50 000 for a full mask
  }

  /** Recursive AWRS is properly weighted: exact enumeration of its one visiting order (test vector C). */
  @Test
  void recursiveEstimatorIsExactlyProperlyWeighted() {
    double[] ew = new double[4];
    double[] law = new double[4];
    double evaluations = 0;
    for (int[] order : permutations(new int[] {0, 1, 2, 3})) {
      double pr = plackettLuce(order, P);
      Awrs.Draw d = Awrs.estimateRecursive(LOG_P, ALLOWED, order);
      ew[d.token()] += pr * Math.exp(d.logWeight());
      law[d.token()] += pr;
      evaluations += pr * d.evaluations();
    }
    assertThat(ew).containsExactly(new double[] {0.1, 0, 0.2, 0}, within(1e-14));
    assertThat(law).containsExactly(new double[] {1.0 / 3, 0, 2.0 / 3, 0}, within(1e-14));
    assertThat(evaluations).isLessThan(3.5663); // fewer tests than the paper's two passes
  }

  /** Each estimator, by Monte Carlo: the token law is pi and E[w 1{x=a}] = Z p(a) c(a) (4 standard errors). */
  @Test
  void everyEstimatorIsProperlyWeightedByMonteCarlo() {
    double[] peaked = {Math.log(0.75), Math.log(0.05), Math.log(0.15), Math.log(0.05)}; // AUTO goes geometric
    for (double[] logP : new double[][] {LOG_P, peaked}) {
      for (Awrs.Estimator e : new Awrs.Estimator[] {Awrs.Estimator.RECURSIVE, Awrs.Estimator.GEOMETRIC, Awrs.Estimator.AUTO}) {
        for (int maxAccepts : new int[] {2, 4}) {
          Awrs awrs = new Awrs(e, maxAccepts, Integer.MAX_VALUE);
          Rng rng = new Rng(5 + maxAccepts);
          int n = 100_000;
          double[] sw = new double[4];
          double[] sw2 = new double[4];
          int[] counts = new int[4];
          for (int i = 0; i < n; i++) {
            Awrs.Draw d = awrs.sample(logP, ALLOWED, rng);
            double w = Math.exp(d.logWeight());
            counts[d.token()]++;
            sw[d.token()] += w;
            sw2[d.token()] += w * w;
          }
          double allowed = Math.exp(logP[0]) + Math.exp(logP[2]);
          assertThat(counts[0] / (double) n).as("%s law", e)
              .isCloseTo(Math.exp(logP[0]) / allowed, within(4 * Math.sqrt(0.25 / n)));
          for (int a : new int[] {0, 2}) {
            double mean = sw[a] / n;
            double se = Math.sqrt((sw2[a] / n - mean * mean) / n);
            assertThat(mean).as("%s maxAccepts %d E[w 1{x=%d}]", e, maxAccepts, a).isCloseTo(Math.exp(logP[a]), within(4 * se + 1e-12));
          }
        }
      }
    }
  }

  @Test
  void noneDrawsFromPiWithoutAWeightAndCapsKillDraws() {
    Awrs none = new Awrs(Awrs.Estimator.NONE, 2, Integer.MAX_VALUE);
    Rng rng = new Rng(8);
    int zero = 0;
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      Awrs.Draw d = none.sample(LOG_P, ALLOWED, rng);
      assertThat(d.logWeight()).isNaN();
      zero += d.token() == 0 ? 1 : 0;
    }
    assertThat(zero / (double) n).isCloseTo(1.0 / 3, within(4 * Math.sqrt(2.0 / 9 / n)));
    // only token 3 passes and it is the least likely: with at most 2 rejections most draws die
    double[] logPhi = {0, -0.1, -0.2, -5};
    Awrs capped = new Awrs(Awrs.Estimator.RECURSIVE, 2, 2);
    int dead = 0;
    for (int i = 0; i < 1000; i++) {
      dead += capped.sample(logPhi, t -> t == 3, rng).accepted() ? 0 : 1;
    }
    assertThat(dead).isGreaterThan(900);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Awrs(Awrs.Estimator.GEOMETRIC, 1, 10))
        .hasMessageContaining("maxAccepts");
  }
}
