package org.fewstep.core.math;

import org.fewstep.core.BadInputException;

/**
 * The double-precision softmax kernel behind every categorical draw (decoding.md 0.1): the maximum
 * of a logit vector and {@code out[i] = exp(x[i] - shift)} with its sum, in blocks whose partial
 * sums let a sampler find an inverse-CDF position without a second full pass.
 *
 * <p>The exponential is fewstep's own (a Cody-Waite reduction and a degree-13 Taylor polynomial
 * evaluated with fused multiply-adds, within 1 ulp of {@link Math#exp}), so that its SIMD version
 * (used when the JVM runs with {@code --add-modules jdk.incubator.vector}) and the scalar version
 * give the same bits: a seed gives the same tokens on every machine, with or without the Vector
 * API. Sums are accumulated in 8 fixed interleaved partial sums for the same reason. Arguments
 * below -708 (relative weight under 1e-307) give 0.
 */
public final class Softmax {
  /** Elements per block of partial sums. */
  public static final int BLOCK = 1024;

  static final double LOG2E = 1.4426950408889634;
  /** ln 2 split so that {@code k * LN2_HI} is exact for |k| < 2^20 (fdlibm's constants). */
  static final double LN2_HI = 6.93147180369123816490e-01;
  static final double LN2_LO = 1.90821492927058770002e-10;
  /** Adding this rounds a double of magnitude < 2^51 to an integer kept in the low mantissa bits. */
  static final double SHIFT = 0x1.8p52;
  static final long SHIFT_BITS = 0x4338000000000000L;
  static final double UNDERFLOW = -708.0;
  /** 1/k! for k = 0..13. */
  static final double[] TAYLOR = new double[14];

  static {
    double factorial = 1;
    for (int k = 0; k < TAYLOR.length; k++) {
      factorial *= Math.max(1, k);
      TAYLOR[k] = 1.0 / factorial;
    }
  }

  private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("fewstep.vector"));

  private Softmax() {}

  /** Whether the SIMD kernel is in use (the JVM has the Vector API and fewstep.vector is not false). */
  public static boolean vectorized() {
    return VECTOR;
  }

  /** exp(x) as the kernel computes it (for x < -708 the result is 0). */
  public static double exp(double x) {
    if (x < UNDERFLOW) {
      return 0.0;
    }
    double t = x * LOG2E + SHIFT;
    double k = t - SHIFT;
    double r = x - k * LN2_HI;
    r = r - k * LN2_LO;
    double p = TAYLOR[13];
    for (int i = 12; i >= 0; i--) {
      p = Math.fma(p, r, TAYLOR[i]);
    }
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (SHIFT_BITS - 1023L)) << 52);
  }

  /**
   * The largest of {@code x[0..n)}; a NaN is an error naming {@code what} and the index, and so is a
   * vector with no finite maximum (all {@code -Infinity}, or a {@code +Infinity}).
   */
  public static double max(String what, double[] x, int n) {
    double m = VECTOR ? VectorSoftmax.max(x, n) : scalarMax(x, n);
    if (Double.isNaN(m) || !(m < Double.POSITIVE_INFINITY) || m == Double.NEGATIVE_INFINITY) {
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(x[i])) {
          throw BadInputException.of(what + "[" + i + "]", "NaN", "a number (the model produced NaN)");
        }
      }
      if (m == Double.POSITIVE_INFINITY) {
        throw BadInputException.of(what, "+Infinity", "finite logits (the model overflowed)");
      }
      throw BadInputException.of(what, "all -Infinity", "at least one possible token");
    }
    return m;
  }

  /**
   * {@code out[i] = exp((x[i] - shift) * scale)} for {@code i < n} ({@code scale} = 1 / temperature);
   * writes the sum of each block of {@link #BLOCK} elements into {@code blockSums} (length at least
   * {@code blocks(n)}) and returns the total, which equals the sequential sum of the block sums.
   */
  public static double expShifted(double[] x, int n, double shift, double scale, double[] out, double[] blockSums) {
    if (VECTOR) {
      VectorSoftmax.expShifted(x, n, shift, scale, out, blockSums);
    } else {
      scalarExpShifted(x, n, shift, scale, out, blockSums);
    }
    double total = 0;
    for (int b = 0, nb = blocks(n); b < nb; b++) {
      total += blockSums[b];
    }
    return total;
  }

  /** Number of blocks of {@code n} elements. */
  public static int blocks(int n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  /** log sum exp of {@code x[0..n)} in double with max shift ({@code work} has length at least n). */
  public static double logSumExp(String what, double[] x, int n, double[] work) {
    double m = max(what, x, n);
    double[] sums = new double[blocks(n)];
    return m + Math.log(expShifted(x, n, m, 1.0, work, sums));
  }

  static double scalarMax(double[] x, int n) {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = x[i];
      if (!(v <= m)) { // also true for NaN, which then propagates
        m = v;
        if (Double.isNaN(v)) {
          return v;
        }
      }
    }
    return m;
  }

  static void scalarExpShifted(double[] x, int n, double shift, double scale, double[] out, double[] blockSums) {
    double[] lanes = new double[8];
    for (int start = 0, b = 0; start < n; start += BLOCK, b++) {
      java.util.Arrays.fill(lanes, 0.0);
      int end = Math.min(n, start + BLOCK);
      for (int i = start; i < end; i++) {
        double e = exp((x[i] - shift) * scale);
        out[i] = e;
        lanes[(i - start) & 7] += e;
      }
      blockSums[b] = reduce(lanes);
    }
  }

  /**
   * The total of the weights {@code w[0..n)} that rank before {@code w[i]} in the order (weight
   * descending, index ascending): the mass of the more likely tokens, which decides whether token i
   * is in a nucleus. One pass, summed in the kernels' 8 fixed partial sums.
   */
  public static double massBefore(double[] w, int n, int i) {
    return VECTOR ? VectorSoftmax.massBefore(w, n, i) : scalarMassBefore(w, n, i);
  }

  static double scalarMassBefore(double[] w, int n, int i) {
    double[] lanes = new double[8];
    double wi = w[i];
    for (int j = 0; j < i; j++) {
      lanes[j & 7] += w[j] >= wi ? w[j] : 0.0;
    }
    for (int j = i + 1; j < n; j++) {
      lanes[j & 7] += w[j] > wi ? w[j] : 0.0;
    }
    return reduce(lanes);
  }

  /** The fixed-order sum of 8 partial sums shared by both kernels. */
  static double reduce(double[] lanes) {
    return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  }
}
