package org.fewstep.core.math;

/**
 * Element-wise kernels on flat {@code double[]} batches: the linear combinations every solver
 * step reduces to ({@code out = a*x + c0*m0 + ...}). Fixed arities (no varargs) so that the hot
 * loops neither allocate nor branch; {@code out} may be the same array as any input.
 */
public final class Vectors {
  private Vectors() {}

  /** {@code out = a*x + c0*m0}. */
  public static void combine(double[] out, double a, double[] x, double c0, double[] m0) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i] + c0 * m0[i];
    }
  }

  /** {@code out = a*x + c0*m0 + c1*m1}. */
  public static void combine(double[] out, double a, double[] x, double c0, double[] m0, double c1, double[] m1) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i] + c0 * m0[i] + c1 * m1[i];
    }
  }

  /** {@code out = a*x + c0*m0 + c1*m1 + c2*m2}. */
  public static void combine(
      double[] out, double a, double[] x, double c0, double[] m0, double c1, double[] m1, double c2, double[] m2) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i] + c0 * m0[i] + c1 * m1[i] + c2 * m2[i];
    }
  }

  /** {@code out = a*x + c0*m0 + c1*m1 + c2*m2 + c3*m3}. */
  public static void combine(
      double[] out, double a, double[] x, double c0, double[] m0, double c1, double[] m1, double c2, double[] m2,
      double c3, double[] m3) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i] + c0 * m0[i] + c1 * m1[i] + c2 * m2[i] + c3 * m3[i];
    }
  }

  /**
   * {@code out = a*x + sum_j c[j]*m[j]} for {@code j < terms}: the general form for solvers whose
   * number of terms varies (its arrays are the caller's, reused across steps).
   */
  public static void combine(double[] out, double a, double[] x, double[] c, double[][] m, int terms) {
    switch (terms) {
      case 0:
        scale(out, a, x);
        return;
      case 1:
        combine(out, a, x, c[0], m[0]);
        return;
      case 2:
        combine(out, a, x, c[0], m[0], c[1], m[1]);
        return;
      case 3:
        combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2]);
        return;
      case 4:
        combine(out, a, x, c[0], m[0], c[1], m[1], c[2], m[2], c[3], m[3]);
        return;
      default:
        for (int i = 0; i < out.length; i++) {
          double v = a * x[i];
          for (int j = 0; j < terms; j++) {
            v += c[j] * m[j][i];
          }
          out[i] = v;
        }
    }
  }

  /** {@code out = a*x}. */
  public static void scale(double[] out, double a, double[] x) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a * x[i];
    }
  }

  /** {@code out += a*x}. */
  public static void addScaled(double[] out, double a, double[] x) {
    for (int i = 0; i < out.length; i++) {
      out[i] += a * x[i];
    }
  }

  /** Index of the first NaN or infinite element, or -1 if all are finite. */
  public static int firstNonFinite(double[] x) {
    // v * 0 is NaN exactly when v is NaN or infinite; four sums keep the additions independent
    double p0 = 0;
    double p1 = 0;
    double p2 = 0;
    double p3 = 0;
    int i = 0;
    for (; i + 3 < x.length; i += 4) {
      p0 += x[i] * 0.0;
      p1 += x[i + 1] * 0.0;
      p2 += x[i + 2] * 0.0;
      p3 += x[i + 3] * 0.0;
    }
    for (; i < x.length; i++) {
      p0 += x[i] * 0.0;
    }
    if (p0 + p1 + p2 + p3 == 0) {
      return -1;
    }
    for (int j = 0; j < x.length; j++) {
      if (!Double.isFinite(x[j])) {
        return j;
      }
    }
    return -1;
  }

  /** Root mean square of {@code a - b}. */
  public static double rmsDifference(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum / a.length);
  }

  /** Largest absolute element of {@code a - b}. */
  public static double maxAbsDifference(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** The mean of {@code x}; NaN when empty. */
  public static double mean(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** The sample standard deviation of {@code x} (divisor n - 1); 0 for one value, NaN when empty. */
  public static double sampleSd(double[] x) {
    if (x.length < 2) {
      return x.length == 0 ? Double.NaN : 0;
    }
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }
}
