package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

class KMeansTest {

  /** Three well separated blobs: every run finds them, with the inertia of the true partition. */
  @Test
  void recoversSeparatedBlobs() {
    Rng rng = new Rng(3);
    double[][] centres = {{0, 0}, {10, 0}, {0, 10}};
    double[][] points = new double[300][];
    for (int i = 0; i < 300; i++) {
      double[] c = centres[i % 3];
      points[i] = new double[] {c[0] + 0.3 * rng.nextGaussian(), c[1] + 0.3 * rng.nextGaussian()};
    }
    double truth = 0;
    for (int g = 0; g < 3; g++) {
      double mx = 0;
      double my = 0;
      for (int i = g; i < 300; i += 3) {
        mx += points[i][0] / 100;
        my += points[i][1] / 100;
      }
      for (int i = g; i < 300; i += 3) {
        truth += (points[i][0] - mx) * (points[i][0] - mx) + (points[i][1] - my) * (points[i][1] - my);
      }
    }
    for (long seed = 0; seed < 10; seed++) {
      KMeans.Result result = KMeans.fit(points, 3, new Rng(seed));
      assertThat(result.inertia()).isCloseTo(truth, org.assertj.core.data.Offset.offset(1e-9 * truth));
      for (int i = 3; i < 300; i++) {
        assertThat(result.labels()[i]).isEqualTo(result.labels()[i % 3]);
      }
      assertThat(result.sizes()).containsExactly(100, 100, 100);
    }
  }

  /** On 1-D data the best of several restarts equals the optimal clustering found by enumeration. */
  @Test
  void matchesExhaustiveOptimumInOneDimension() {
    double[] xs = {0.1, 0.4, 0.5, 2.0, 2.2, 2.9, 5.0, 5.1, 7.5, 8.0};
    double[][] points = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      points[i] = new double[] {xs[i]};
    }
    // Optimal 1-D clusters are contiguous: try every pair of cut points for k = 3.
    double best = Double.POSITIVE_INFINITY;
    for (int a = 1; a < xs.length; a++) {
      for (int b = a + 1; b < xs.length; b++) {
        best = Math.min(best, sse(xs, 0, a) + sse(xs, a, b) + sse(xs, b, xs.length));
      }
    }
    KMeans.Result result = KMeans.fit(points, 3, 10, 300, 0, new Rng(1));
    assertThat(result.inertia()).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void sameSeedSameClustering() {
    Rng data = new Rng(5);
    double[][] points = new double[50][];
    for (int i = 0; i < 50; i++) {
      points[i] = new double[] {data.nextGaussian(), data.nextGaussian(), data.nextGaussian()};
    }
    assertThat(KMeans.fit(points, 4, new Rng(9)).labels()).containsExactly(KMeans.fit(points, 4, new Rng(9)).labels());
  }

  @Test
  void refusesMoreClustersThanPointsAndRaggedRows() {
    assertThatThrownBy(() -> KMeans.fit(new double[][] {{1}, {2}}, 3, new Rng(0)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("k").hasMessageContaining("3");
    assertThatThrownBy(() -> KMeans.fit(new double[][] {{1, 2}, {2}}, 1, new Rng(0)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("points[1]");
    assertThatThrownBy(() -> KMeans.fit(new double[][] {{Double.NaN}}, 1, new Rng(0)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("finite");
  }

  private static double sse(double[] xs, int from, int to) {
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += xs[i] / (to - from);
    }
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (xs[i] - mean) * (xs[i] - mean);
    }
    return s;
  }
}
