package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.data.select.Rs2.Mode;
import org.fewstep.data.select.Rs2.Settings;
import org.junit.jupiter.api.Test;

/** Oracles of discrete-and-data.md section 6 (f) for RS2 (Okanovic et al., ICLR 2024). */
class Rs2Test {

  private static int[][] walk(Rs2 rs2, int rounds) {
    Rs2.Rounds cursor = rs2.rounds();
    int[][] out = new int[rounds][];
    for (int k = 0; k < rounds; k++) {
      out[k] = cursor.next();
    }
    return out;
  }

  private static boolean distinct(int[] a) {
    return Arrays.stream(a).distinct().count() == a.length;
  }

  @Test
  void roundSizeRoundsToNearest() {
    assertThat(Rs2.roundSize(1000, 0.1)).isEqualTo(100);
    assertThat(Rs2.roundSize(10, 0.15)).isEqualTo(2); // the reference's int() would give 1
    assertThat(Rs2.roundSize(7, 1.0)).isEqualTo(7);
    assertThat(Rs2.create(50, Settings.defaults(1)).roundSize()).isEqualTo(5);
  }

  @Test
  void withoutReplacementEveryPassIsAPermutationAndRoundsHaveNoDuplicates() {
    for (int[] shape : new int[][] {{103, 10}, {100, 30}, {17, 16}, {20, 7}, {9, 9}, {50, 1}}) {
      int n = shape[0];
      int size = shape[1];
      Rs2 rs2 = Rs2.ofRoundSize(n, size, Mode.WITHOUT_REPLACEMENT, 42);
      int passes = 12;
      int rounds = (passes * n + size - 1) / size;
      int[][] r = walk(rs2, rounds);
      int[] stream = new int[rounds * size];
      for (int k = 0; k < rounds; k++) {
        assertThat(r[k]).hasSize(size);
        assertThat(distinct(r[k])).as("round %d of n=%d size=%d", k, n, size).isTrue();
        System.arraycopy(r[k], 0, stream, k * size, size);
      }
      for (int p = 0; p < passes; p++) { // between two reshuffles no index repeats and all are seen
        int[] block = Arrays.copyOfRange(stream, p * n, (p + 1) * n);
        Arrays.sort(block);
        int[] expected = new int[n];
        Arrays.setAll(expected, i -> i);
        assertThat(block).as("pass %d of n=%d size=%d", p, n, size).isEqualTo(expected);
      }
    }
  }

  @Test
  void withoutReplacementCoversAllWithinCeilOneOverRRounds() {
    Rs2 rs2 = Rs2.create(200, new Settings(0.1, Mode.WITHOUT_REPLACEMENT, 7));
    int[][] r = walk(rs2, 50);
    int window = (int) Math.ceil(1 / 0.1);
    for (int start = 0; start + window <= 50; start += window) {
      boolean[] seen = new boolean[200];
      for (int k = start; k < start + window; k++) {
        for (int i : r[k]) {
          assertThat(seen[i]).as("index %d repeated within a pass", i).isFalse();
          seen[i] = true;
        }
      }
      for (boolean s : seen) {
        assertThat(s).isTrue();
      }
    }
  }

  @Test
  void passesAreReshuffledNotRepeated() {
    Rs2 rs2 = Rs2.ofRoundSize(40, 10, Mode.WITHOUT_REPLACEMENT, 3);
    int[][] r = walk(rs2, 8);
    assertThat(r[4]).isNotEqualTo(r[0]);
    assertThat(r[5]).isNotEqualTo(r[1]);
  }

  @Test
  void randomAccessMatchesCursor() {
    for (Mode mode : Mode.values()) {
      Rs2 rs2 = Rs2.ofRoundSize(23, 5, mode, 11);
      int[][] r = walk(rs2, 20);
      for (int k : new int[] {0, 4, 5, 19}) {
        assertThat(rs2.round(k)).isEqualTo(r[k]);
      }
    }
  }

  @Test
  void withReplacementInclusionFrequencyIsR() {
    int n = 50;
    double r = 0.2;
    int rounds = 4000;
    Rs2 rs2 = Rs2.create(n, new Settings(r, Mode.WITH_REPLACEMENT, 5));
    long[] counts = new long[n];
    int repeatsBetweenConsecutive = 0;
    int[] previous = null;
    Rs2.Rounds cursor = rs2.rounds();
    for (int k = 0; k < rounds; k++) {
      int[] round = cursor.next();
      assertThat(distinct(round)).isTrue();
      for (int i : round) {
        counts[i]++;
      }
      if (previous != null) {
        int[] prev = previous;
        repeatsBetweenConsecutive += (int) Arrays.stream(round).filter(i -> Arrays.stream(prev).anyMatch(j -> j == i)).count();
      }
      previous = round;
    }
    double[] uniform = new double[n];
    Arrays.fill(uniform, 1.0 / n);
    // Counts are Binomial(4000, 0.2): Pearson's statistic against uniform is conservative here (within-round
    // sampling without replacement lowers the variance by 1 - r); reject below p = 1e-3.
    assertThat(GoodnessOfFit.chiSquarePValue(counts, uniform)).isGreaterThan(1e-3);
    double sd = Math.sqrt(rounds * r * (1 - r));
    for (long c : counts) {
      assertThat(Math.abs(c - rounds * r)).isLessThan(5 * sd); // binomial, 5 standard deviations
    }
    // independence across rounds: about r * size items of a round reappear in the next one
    double expectedRepeats = (rounds - 1) * 10 * r;
    assertThat(Math.abs(repeatsBetweenConsecutive - expectedRepeats)).isLessThan(5 * Math.sqrt(expectedRepeats));
  }

  @Test
  void staticRepeatsOneSubset() {
    Rs2 rs2 = Rs2.create(100, new Settings(0.1, Mode.STATIC, 9));
    int[][] r = walk(rs2, 10);
    for (int[] round : r) {
      assertThat(round).isEqualTo(r[0]);
    }
    assertThat(distinct(r[0])).isTrue();
    assertThat(Rs2.create(100, new Settings(0.1, Mode.STATIC, 10)).round(0)).isNotEqualTo(r[0]);
  }

  @Test
  void sameSeedSameSequenceOtherSeedDifferent() {
    for (Mode mode : new Mode[] {Mode.WITHOUT_REPLACEMENT, Mode.WITH_REPLACEMENT}) {
      int[][] a = walk(Rs2.create(97, new Settings(0.1, mode, 123)), 30);
      int[][] b = walk(Rs2.create(97, new Settings(0.1, mode, 123)), 30);
      int[][] c = walk(Rs2.create(97, new Settings(0.1, mode, 124)), 30);
      assertThat(a).isDeepEqualTo(b);
      assertThat(Arrays.deepEquals(a, c)).isFalse();
    }
  }

  @Test
  void balancedRoundsFollowLargestRemainderQuotas() {
    int[] labels = new int[20]; // classes 3 (7 examples), 5 (7), 8 (6)
    for (int i = 0; i < 20; i++) {
      labels[i] = i < 7 ? 3 : i < 14 ? 5 : 8;
    }
    // round size 5: shares 1.75, 1.75, 1.5 -> 1, 1, 1 + leftover 2 to the largest remainders -> 2, 2, 1
    for (Mode mode : Mode.values()) {
      Rs2 rs2 = Rs2.balanced(20, labels, new Settings(0.25, mode, 17));
      assertThat(rs2.classQuotas()).containsExactly(2, 2, 1);
      int[][] r = walk(rs2, 42);
      int[][] perClass = new int[3][20];
      for (int[] round : r) {
        assertThat(round).hasSize(5);
        assertThat(distinct(round)).isTrue();
        int[] count = new int[3];
        for (int i : round) {
          count[labels[i] == 3 ? 0 : labels[i] == 5 ? 1 : 2]++;
        }
        assertThat(count).containsExactly(2, 2, 1);
      }
      if (mode == Mode.WITHOUT_REPLACEMENT) { // class 8 (6 examples, 1 per round): each 6 rounds is a pass
        for (int start = 0; start + 6 <= 42; start += 6) {
          long seen = Arrays.stream(Arrays.copyOfRange(r, start, start + 6)).flatMapToInt(Arrays::stream)
              .filter(i -> labels[i] == 8).distinct().count();
          assertThat(seen).isEqualTo(6);
        }
      }
    }
    int[] skewed = new int[100];
    Arrays.fill(skewed, 70, 100, 1);
    assertThat(Rs2.balanced(100, skewed, Settings.defaults(1)).classQuotas()).containsExactly(7, 3);
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> new Settings(0, Mode.STATIC, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("fraction");
    assertThatThrownBy(() -> new Settings(1.5, Mode.STATIC, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new Settings(Double.NaN, Mode.STATIC, 1)).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> Rs2.create(0, Settings.defaults(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("n = 0");
    assertThatThrownBy(() -> Rs2.create(4, Settings.defaults(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("round size = 0");
    assertThatThrownBy(() -> Rs2.ofRoundSize(10, 11, Mode.STATIC, 1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("round size = 11").hasMessageContaining("at most the 10 examples");
    assertThatThrownBy(() -> Rs2.balanced(5, new int[4], Settings.defaults(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("labels length = 4");
    assertThatThrownBy(() -> Rs2.balanced(20, new int[20], Settings.defaults(1)).round(-1))
        .isInstanceOf(BadInputException.class);
    int[] negative = new int[20];
    negative[3] = -1;
    assertThatThrownBy(() -> Rs2.balanced(20, negative, Settings.defaults(1))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("labels[3] = -1");
  }

  /**
   * Convex case: SGD on strongly convex least squares with RS2 rounds and the compressed cosine schedule ends
   * near the full-data optimum; with a static subset it ends near that subset's own optimum, measurably
   * farther from the full-data one.
   */
  @Test
  void rs2SgdReachesFullDataOptimumWhileStaticReachesSubsetOptimum() {
    int n = 1000;
    int d = 4;
    Rng rng = new Rng(2024);
    double[][] x = new double[n][d];
    double[] y = new double[n];
    double[] truth = {1.0, -2.0, 0.5, 3.0};
    for (int i = 0; i < n; i++) {
      rng.fillGaussian(x[i]);
      y[i] = dot(x[i], truth) + rng.nextGaussian();
    }
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    double[] full = leastSquares(x, y, all);
    int rounds = 400;
    int batch = 10;
    Rs2 rs2 = Rs2.create(n, new Settings(0.1, Mode.WITHOUT_REPLACEMENT, 1));
    Rs2 stat = Rs2.create(n, new Settings(0.1, Mode.STATIC, 1));
    CosineSchedule schedule = CosineSchedule.forRounds(rounds, rs2.roundSize(), batch);
    double[] wRs2 = sgd(x, y, rs2, rounds, batch, schedule);
    double[] wStatic = sgd(x, y, stat, rounds, batch, schedule);
    double[] subset = leastSquares(x, y, stat.round(0));
    double gap = dist(subset, full);
    assertThat(gap).isGreaterThan(0.1);
    assertThat(dist(wRs2, full)).isLessThan(gap / 4);
    assertThat(dist(wStatic, subset)).isLessThan(gap / 4);
    assertThat(dist(wStatic, full)).isGreaterThan(gap / 2);
  }

  private static double[] sgd(double[][] x, double[] y, Rs2 sampler, int rounds, int batch, CosineSchedule lr) {
    int d = x[0].length;
    double[] w = new double[d];
    long it = 0;
    Rs2.Rounds cursor = sampler.rounds();
    int perRound = CosineSchedule.batchesPerRound(sampler.roundSize(), batch);
    for (int k = 0; k < rounds; k++) {
      int[] round = cursor.next();
      for (int b = 0; b < perRound; b++) {
        double[] grad = new double[d];
        for (int j = b * batch; j < (b + 1) * batch; j++) {
          int i = round[j];
          double residual = dot(x[i], w) - y[i];
          for (int c = 0; c < d; c++) {
            grad[c] += residual * x[i][c] / batch;
          }
        }
        double step = lr.at(it++);
        for (int c = 0; c < d; c++) {
          w[c] -= step * grad[c];
        }
      }
    }
    assertThat(it).isEqualTo(lr.totalIterations());
    return w;
  }

  private static double[] leastSquares(double[][] x, double[] y, int[] rows) {
    int d = x[0].length;
    double[][] a = new double[d][d + 1];
    for (int i : rows) {
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          a[r][c] += x[i][r] * x[i][c];
        }
        a[r][d] += x[i][r] * y[i];
      }
    }
    for (int p = 0; p < d; p++) { // Gauss-Jordan; the normal matrix is positive definite
      for (int r = 0; r < d; r++) {
        if (r != p) {
          double f = a[r][p] / a[p][p];
          for (int c = p; c <= d; c++) {
            a[r][c] -= f * a[p][c];
          }
        }
      }
    }
    double[] w = new double[d];
    for (int r = 0; r < d; r++) {
      w[r] = a[r][d] / a[r][r];
    }
    return w;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }
}
