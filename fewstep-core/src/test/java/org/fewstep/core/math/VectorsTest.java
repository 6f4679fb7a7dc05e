package org.fewstep.core.math;

import static org.assertj.core.api.Assertions.assertThat;

import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Vectors}. Oracles: a plain reference loop written here for each linear combination
 * (random data, fixed seed, lengths that are not multiples of 4), hand-placed NaN/Inf positions for
 * {@link Vectors#firstNonFinite}, and hand-computed norms.
 */
class VectorsTest {
  private static final int LENGTH = 37;
  private static final double TOL = 1e-14;

  private final Rng rng = new Rng(2718);

  private double[] random() {
    double[] v = new double[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      v[i] = 4 * rng.nextDouble() - 2;
    }
    return v;
  }

  /** out[i] = a x[i] + sum_j c[j] m[j][i] for j < terms, by a plain loop. */
  private static double[] reference(double a, double[] x, double[] c, double[][] m, int terms) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double v = a * x[i];
      for (int j = 0; j < terms; j++) {
        v += c[j] * m[j][i];
      }
      out[i] = v;
    }
    return out;
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(TOL));
    }
  }

  @Test
  void fixedArityOverloadsMatchThePlainLoop() {
    double a = 0.7;
    double[] x = random();
    double[] c = {-1.3, 0.4, 2.2, -0.9};
    double[][] m = {random(), random(), random(), random()};
    double[] out = new double[LENGTH];

    Vectors.combine(out, a, x, c[0], m[0]);
    assertClose(out, reference(a, x, c, m, 1));
    Vectors.combine(out, a, x, c[0], m[0], c[1], m[1]);
    assertClose(out, reference(a, x, c, m, 2));
    Vectors.combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2]);
    assertClose(out, reference(a, x, c, m, 3));
    Vectors.combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2], c[3], m[3]);
    assertClose(out, reference(a, x, c, m, 4));
  }

  /** out may be the same array as x or as one of the m's. */
  @Test
  void fixedArityOverloadsAllowAliasing() {
    double a = -1.1;
    double[] c = {0.3, -0.6, 1.5, 0.25};
    for (int terms = 1; terms <= 4; terms++) {
      double[] x = random();
      double[][] m = {random(), random(), random(), random()};
      double[] expected = reference(a, x, c, m, terms);
      callFixed(terms, x, a, x, c, m); // out aliases x
      assertClose(x, expected);

      double[] x2 = random();
      double[][] m2 = {random(), random(), random(), random()};
      double[] expected2 = reference(a, x2, c, m2, terms);
      double[] last = m2[terms - 1];
      callFixed(terms, last, a, x2, c, m2); // out aliases the last m
      assertClose(last, expected2);
    }
  }

  private static void callFixed(int terms, double[] out, double a, double[] x, double[] c, double[][] m) {
    switch (terms) {
      case 1:
        Vectors.combine(out, a, x, c[0], m[0]);
        break;
      case 2:
        Vectors.combine(out, a, x, c[0], m[0], c[1], m[1]);
        break;
      case 3:
        Vectors.combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2]);
        break;
      default:
        Vectors.combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2], c[3], m[3]);
    }
  }

  /** The general form for terms 0..6 ignores c[j], m[j] for j >= terms (here all nonzero). */
  @Test
  void generalFormMatchesThePlainLoopForZeroToSixTerms() {
    double a = 1.9;
    double[] c = {0.5, -0.25, 1.75, -2.0, 0.125, 3.0, 9.0, -7.0};
    double[][] m = new double[8][];
    for (int j = 0; j < 8; j++) {
      m[j] = random();
    }
    for (int terms = 0; terms <= 6; terms++) {
      double[] x = random();
      double[] out = new double[LENGTH];
      Vectors.combine(out, a, x, c, m, terms);
      assertClose(out, reference(a, x, c, m, terms));

      double[] expected = reference(a, x, c, m, terms);
      Vectors.combine(x, a, x, c, m, terms); // aliasing x
      assertClose(x, expected);
    }
  }

  @Test
  void scaleAndAddScaled() {
    double[] x = {1, -2, 3.5};
    double[] out = {10, 20, 30};
    Vectors.scale(out, -2, x);
    assertThat(out).containsExactly(-2, 4, -7);
    Vectors.addScaled(out, 0.5, x);
    assertThat(out).containsExactly(-1.5, 3, -5.25);
  }

  @Test
  void firstNonFiniteFindsNanAndInfinitiesAtEveryIndex() {
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int length = 1; length <= 11; length++) {
      for (int at = 0; at < length; at++) {
        for (double v : bad) {
          double[] x = new double[length];
          for (int i = 0; i < length; i++) {
            x[i] = i * 1.5 - 4;
          }
          x[at] = v;
          assertThat(Vectors.firstNonFinite(x)).as("length %d, %s at %d", length, v, at).isEqualTo(at);
          if (at + 1 < length) {
            x[length - 1] = Double.NaN; // a later one does not matter
            assertThat(Vectors.firstNonFinite(x)).isEqualTo(at);
          }
        }
      }
    }
  }

  @Test
  void firstNonFiniteReturnsMinusOneForFiniteArrays() {
    assertThat(Vectors.firstNonFinite(new double[0])).isEqualTo(-1);
    assertThat(Vectors.firstNonFinite(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 0.0}))
        .isEqualTo(-1);
    double[] big = new double[1001];
    for (int i = 0; i < big.length; i++) {
      big[i] = (i % 2 == 0 ? 1 : -1) * Double.MAX_VALUE; // finite, and v * 0 stays +-0
    }
    assertThat(Vectors.firstNonFinite(big)).isEqualTo(-1);
    big[997] = Double.NEGATIVE_INFINITY;
    assertThat(Vectors.firstNonFinite(big)).isEqualTo(997);
  }

  @Test
  void differencesOnKnownValues() {
    double[] a = {1, 2, 3, 4};
    double[] b = {0, 0, 0, 0};
    assertThat(Vectors.rmsDifference(a, b)).isEqualTo(Math.sqrt(7.5)); // (1 + 4 + 9 + 16) / 4
    assertThat(Vectors.maxAbsDifference(a, b)).isEqualTo(4);
    assertThat(Vectors.rmsDifference(new double[] {3, -1}, new double[] {0, 3})).isEqualTo(Math.sqrt(12.5)); // (9 + 16) / 2
    assertThat(Vectors.maxAbsDifference(new double[] {1, -5, 3}, new double[] {0, 0, 4})).isEqualTo(5);
    assertThat(Vectors.rmsDifference(a, a)).isZero();
    assertThat(Vectors.maxAbsDifference(a, a)).isZero();
  }

  /** A difference metric must not hide a NaN. */
  @Test
  void differencesPropagateNan() {
    double[] a = {1, Double.NaN, 3};
    double[] b = {1, 2, 3};
    assertThat(Vectors.rmsDifference(a, b)).isNaN();
    assertThat(Vectors.maxAbsDifference(a, b)).isNaN();
  }
}
