package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * The prefix scan at sizes the random properties do not reach: k up to 5 against brute force, a
 * head of mass 1 - 1e-12, and a 100,000-token vocabulary with k = 8 against the hypergeometric law
 * (uniform q), which also bounds its running time.
 */
class OptimalAcceptanceTest {
  @Test
  void largerKMatchesBruteForce() {
    Rng rng = new Rng(20261127);
    for (int trial = 0; trial < 12; trial++) {
      int n = 7 + trial % 2;
      int k = 4 + trial % 2;
      double[] p = Exact.randomLaw(rng, n, 1);
      double[] q = Exact.randomLaw(rng, n, k);
      for (DraftScheme scheme : DraftScheme.values()) {
        double brute = Exact.bruteForceOptimum(p, Exact.setLaw(scheme, q, k));
        assertThat(OptimalAcceptance.optimal(p, q, k, scheme)).as("%s, n = %d, k = %d", scheme, n, k)
            .isCloseTo(brute, offset(1e-12));
      }
    }
  }

  @Test
  void extremeHeadsMatchEnumeration() {
    double[][] qs = {
      {1 - 1e-12, 2.5e-13, 2.5e-13, 2.5e-13, 2.5e-13},
      {0.5 - 5e-13, 0.5 - 5e-13, 1e-12, 0, 0},
      {1e-9, 1e-9, 1e-9, 1 - 3e-9, 0}
    };
    double[] p = {0.05, 0.1, 0.2, 0.3, 0.35};
    for (double[] q : qs) {
      for (int k = 2; k <= 3; k++) {
        double brute = Exact.bruteForceOptimum(p, Exact.setLaw(DraftScheme.WITHOUT_REPLACEMENT, q, k));
        assertThat(OptimalAcceptance.optimal(p, q, k, DraftScheme.WITHOUT_REPLACEMENT)).as("%s, k = %d",
            Arrays.toString(q), k).isCloseTo(brute, offset(1e-12));
      }
    }
  }

  /** Uniform q: k draws without replacement all land in a set of m tokens with C(m, k) / C(V, k). */
  @Test
  void hundredThousandTokensEightDraftsUnderASecond() {
    int v = 100_000;
    int k = 8;
    Rng rng = new Rng(42);
    double[] p = new double[v];
    double[] q = new double[v];
    double sum = 0;
    for (int x = 0; x < v; x++) {
      p[x] = Math.exp(3 * rng.nextGaussian());
      sum += p[x];
    }
    for (int x = 0; x < v; x++) {
      p[x] /= sum;
      q[x] = 1.0 / v;
    }
    long start = System.nanoTime();
    double optimal = OptimalAcceptance.optimal(p, q, k, DraftScheme.WITHOUT_REPLACEMENT);
    double seconds = (System.nanoTime() - start) * 1e-9;

    double[] sorted = p.clone();
    Arrays.sort(sorted);
    double best = 0;
    double pA = 0;
    for (int m = 1; m <= v; m++) {
      pA += sorted[m - 1];
      double contained = 1;
      for (int i = 0; i < k; i++) {
        contained *= Math.max(0, m - i) / (double) (v - i);
      }
      best = Math.max(best, contained - pA);
    }
    assertThat(optimal).isCloseTo(1 - best, offset(1e-12));
    assertThat(optimal).isGreaterThan(OptimalAcceptance.optimal(p, q, k, DraftScheme.IID));
    assertThat(seconds).as("seconds for optimal(k = 8, |V| = 100,000)").isLessThan(1.0);
  }

  /** A Zipf draft (q ~ 1/rank^1.1) and a target near it (log-normal noise on each probability). */
  static double[][] zipfPair(int v, long seed) {
    Rng rng = new Rng(seed);
    double[] p = new double[v];
    double[] q = new double[v];
    double sp = 0;
    double sq = 0;
    for (int x = 0; x < v; x++) {
      q[x] = Math.pow(x + 1, -1.1);
      p[x] = q[x] * Math.exp(0.7 * rng.nextGaussian());
      sq += q[x];
      sp += p[x];
    }
    for (int x = 0; x < v; x++) {
      q[x] /= sq;
      p[x] /= sp;
    }
    return new double[][] {p, q};
  }

  /** Tokens with q > 0 by increasing p/q, as the scan orders them. */
  static int[] ascendingRatio(double[] p, double[] q) {
    return IntStream.range(0, p.length).boxed()
        .sorted(Comparator.comparingDouble(x -> p[x] / q[x])).mapToInt(Integer::intValue).toArray();
  }

  /** k = 2 in closed form: Q(S in A) = sum_{x in A} q(x) (q(A) - q(x)) / (1 - q(x)). */
  @Test
  void twoDraftsOnAZipfVocabularyMatchTheClosedForm() {
    double[][] pq = zipfPair(100_000, 9);
    double[] p = pq[0];
    double[] q = pq[1];
    int[] order = ascendingRatio(p, q);
    double best = 0;
    double a = 0;
    double pA = 0;
    double sumRatio = 0; // sum q/(1 - q)
    double sumSquareRatio = 0; // sum q^2/(1 - q)
    for (int x : order) {
      a += q[x];
      pA += p[x];
      sumRatio += q[x] / (1 - q[x]);
      sumSquareRatio += q[x] * q[x] / (1 - q[x]);
      best = Math.max(best, a * sumRatio - sumSquareRatio - pA);
    }
    assertThat(OptimalAcceptance.optimal(p, q, 2, DraftScheme.WITHOUT_REPLACEMENT)).isCloseTo(1 - best, offset(1e-12));
  }

  /** k = 3 by summing over ordered pairs for every prefix (O(m^2) each, on 300 tokens). */
  @Test
  void threeDraftsOnAZipfVocabularyMatchPairSums() {
    double[][] pq = zipfPair(300, 10);
    double[] p = pq[0];
    double[] q = pq[1];
    int[] order = ascendingRatio(p, q);
    double best = 0;
    double a = 0;
    double pA = 0;
    for (int m = 1; m <= order.length; m++) {
      a += q[order[m - 1]];
      pA += p[order[m - 1]];
      double contained = 0;
      for (int i = 0; i < m; i++) {
        double qx = q[order[i]];
        for (int j = 0; j < m; j++) {
          double qy = q[order[j]];
          contained += i == j ? 0 : qx * qy / (1 - qx) * (a - qx - qy) / (1 - qx - qy);
        }
      }
      best = Math.max(best, contained - pA);
    }
    assertThat(OptimalAcceptance.optimal(p, q, 3, DraftScheme.WITHOUT_REPLACEMENT)).isCloseTo(1 - best, offset(1e-12));
  }

  @Test
  void oneDraftIsOneMinusTotalVariation() {
    double[] p = {0.5, 0.3, 0.2, 0};
    double[] q = {0.2, 0.1, 0.3, 0.4};
    for (DraftScheme scheme : DraftScheme.values()) {
      assertThat(OptimalAcceptance.optimal(p, q, 1, scheme)).isCloseTo(0.5, offset(1e-15));
    }
  }

  @Test
  void errors() {
    double[] p = {0.5, 0.5, 0};
    double[] q = {0.5, 0.5, 0};
    assertThatThrownBy(() -> OptimalAcceptance.optimal(p, q, 3, DraftScheme.WITHOUT_REPLACEMENT))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("k = 3: expected at most 2, the number of tokens with q > 0");
    assertThatThrownBy(() -> OptimalAcceptance.optimal(p, q, 3, DraftScheme.GREEDY))
        .hasMessageStartingWith("k = 3: expected at most 2");
    assertThat(OptimalAcceptance.optimal(p, q, 3, DraftScheme.IID)).isEqualTo(1);
    assertThatThrownBy(() -> OptimalAcceptance.optimal(p, q, 0, DraftScheme.IID)).hasMessage("k = 0: expected an"
        + " integer >= 1");
    assertThatThrownBy(() -> OptimalAcceptance.optimal(p, q, 1, null)).hasMessageStartingWith("scheme = null");
    assertThatThrownBy(() -> OptimalAcceptance.expectedAcceptance(Verifiers.of("rrs"), p, q, 2))
        .hasMessage("verifier = rrs: expected standard, spectr or greedy-md: rrs and rrs-wor have no closed-form"
            + " acceptance (enumerate their draws)");
    assertThatThrownBy(() -> OptimalAcceptance.expectedAcceptance(Verifiers.of("standard"), p, q, 2))
        .hasMessageStartingWith("k = 2: expected 1");
  }
}
