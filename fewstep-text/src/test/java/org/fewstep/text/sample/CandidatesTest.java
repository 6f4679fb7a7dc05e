package org.fewstep.text.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/** The linear-time selections agree with a plain sort of the whole vocabulary (ties: lower id first). */
class CandidatesTest {

  static double[] logits(int n, long seed, boolean ties) {
    Rng rng = new Rng(seed);
    double[] l = new double[n];
    for (int i = 0; i < n; i++) {
      double v = 3 * rng.nextGaussian();
      l[i] = ties ? Math.rint(2 * v) / 2 : v;
      if (i % 17 == 5) {
        l[i] = Double.NEGATIVE_INFINITY; // masked ids, as a vocabulary's gaps are
      }
    }
    return l;
  }

  static double[] softmax(double[] l) {
    double m = Arrays.stream(l).max().orElseThrow();
    double[] p = Arrays.stream(l).map(v -> Math.exp(v - m)).toArray();
    double z = Arrays.stream(p).sum();
    return Arrays.stream(p).map(v -> v / z).toArray();
  }

  static TreeSet<Integer> kept(Candidates c) {
    TreeSet<Integer> ids = new TreeSet<>();
    for (int i = 0; i < c.size(); i++) {
      ids.add(c.id(i));
    }
    return ids;
  }

  /** The reference: sort by key desc (id asc), take until the mass is reached. */
  static TreeSet<Integer> byMass(double[] key, double[] p, double mass) {
    Integer[] ids = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
    Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -key[i] + 0.0).thenComparingInt(i -> i));
    TreeSet<Integer> out = new TreeSet<>();
    double sum = 0;
    for (int j = 0; j < ids.length && sum < mass; j++) {
      out.add(ids[j]);
      sum += p[ids[j]];
    }
    return out;
  }

  @Test
  void topPAgreesWithASortOfTheVocabulary() {
    for (int n : new int[] {3, 60, 5000, 200_000}) {
      for (boolean ties : new boolean[] {false, true}) {
        double[] l = logits(n, n + (ties ? 1 : 0), ties);
        double[] p = softmax(l);
        for (double mass : new double[] {0.05, 0.5, 0.9, 0.999}) {
          Candidates c = new Candidates().reset(l);
          c.keepTopP(mass, 1);
          assertThat(kept(c)).as("n=%d ties=%s mass=%s", n, ties, mass).isEqualTo(byMass(l, p, mass));
        }
      }
    }
  }

  @Test
  void typicalPAgreesWithASortByDistanceToTheEntropy() {
    for (int n : new int[] {7, 3000, 100_000}) {
      double[] l = logits(n, 7 * n, false);
      double[] p = softmax(l);
      double h = 0;
      for (double v : p) {
        h -= v > 0 ? v * Math.log(v) : 0;
      }
      double entropy = h;
      double[] key = new double[n];
      for (int i = 0; i < n; i++) {
        key[i] = p[i] > 0 ? -Math.abs(-Math.log(p[i]) - entropy) : Double.NEGATIVE_INFINITY;
      }
      for (double mass : new double[] {0.2, 0.9}) {
        Candidates c = new Candidates().reset(l);
        c.keepTypical(mass, 1);
        assertThat(kept(c)).as("n=%d mass=%s", n, mass).isEqualTo(byMass(key, p, mass));
      }
    }
  }

  /** A tiny token can be the most typical: typical-p must not pre-filter by probability. */
  @Test
  void typicalPKeepsTinyTypicalTokens() {
    int n = 10_000;
    double[] p = new double[n];
    p[0] = 0.105;
    for (int i = 1; i <= 5000; i++) {
      p[i] = 1.7e-4;
    }
    for (int i = 5001; i < n; i++) {
      p[i] = (1 - 0.105 - 5000 * 1.7e-4) / 4999;
    }
    double[] l = Arrays.stream(p).map(Math::log).toArray();
    double[] q = softmax(l);
    double h = 0;
    for (double v : q) {
      h -= v * Math.log(v);
    }
    double entropy = h;
    double[] key = Arrays.stream(q).map(v -> -Math.abs(-Math.log(v) - entropy)).toArray();
    Candidates c = new Candidates().reset(l);
    c.keepTypical(0.9, 1);
    assertThat(kept(c)).isEqualTo(byMass(key, q, 0.9));
    assertThat(c.size()).isGreaterThan(5001);
  }

  @Test
  void topKAndMinKeep() {
    double[] l = logits(50_000, 3, true);
    double[] p = softmax(l);
    for (int k : new int[] {1, 2, 40, 1000}) {
      Candidates c = new Candidates().reset(l);
      c.keepTop(k);
      TreeSet<Integer> expected = new TreeSet<>();
      Integer[] ids = IntStream.range(0, l.length).boxed().toArray(Integer[]::new);
      Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -l[i] + 0.0).thenComparingInt(i -> i));
      expected.addAll(Arrays.asList(ids).subList(0, k));
      assertThat(kept(c)).isEqualTo(expected);
    }
    // min-keep: a tiny nucleus is widened to the 25 most likely tokens
    Candidates c = new Candidates().reset(l);
    c.keepTopP(1e-9, 25);
    assertThat(kept(c)).isEqualTo(topIds(l, 25));
    assertThat(p[topIds(l, 1).first()]).isGreaterThan(1e-9);
  }

  static TreeSet<Integer> topIds(double[] l, int k) {
    Integer[] ids = IntStream.range(0, l.length).boxed().toArray(Integer[]::new);
    Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -l[i] + 0.0).thenComparingInt(i -> i));
    return new TreeSet<>(Arrays.asList(ids).subList(0, k));
  }

  @Test
  void entropyAndProbabilitiesAfterCuts() {
    double[] l = {1, 2, 3, Double.NEGATIVE_INFINITY};
    Candidates c = new Candidates().reset(l);
    double[] p = softmax(l);
    double h = 0;
    for (double v : p) {
      h -= v > 0 ? v * Math.log(v) : 0;
    }
    assertThat(c.entropy()).isCloseTo(h, org.assertj.core.data.Offset.offset(1e-15));
    c.keepTop(2);
    assertThat(c.probability(c.indexOf(2))).isCloseTo(Math.exp(3) / (Math.exp(2) + Math.exp(3)),
        org.assertj.core.data.Offset.offset(1e-15));
    assertThat(c.indexOf(0)).isEqualTo(-1);
  }
}
