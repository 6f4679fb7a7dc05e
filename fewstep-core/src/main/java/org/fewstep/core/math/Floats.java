package org.fewstep.core.math;

/**
 * float32 model outputs (ONNX Runtime's logits and denoiser outputs) read into fewstep's float64
 * arrays. Widening is exact, so the SIMD path (when the JVM has {@code jdk.incubator.vector}, as for
 * {@link Softmax}) and the scalar one give the same bits.
 */
public final class Floats {
  private Floats() {}

  /**
   * Widens {@code src[from, from + n)} into {@code dst[at, at + n)} and returns the largest value
   * read, NaN if any is NaN: one comparison ({@code !(max < +Infinity)}) then tells a caller whether
   * every value was finite or {@code -Infinity}, without a branch per element.
   */
  public static float widen(float[] src, int from, double[] dst, int at, int n) {
    return Softmax.vectorized() ? VectorFloats.widen(src, from, dst, at, n) : scalarWiden(src, from, dst, at, n);
  }

  static float scalarWiden(float[] src, int from, double[] dst, int at, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float f = src[from + i];
      max = Math.max(max, f);
      dst[at + i] = f;
    }
    return max;
  }

  /** The index of the first NaN or {@code +Infinity} in {@code src[from, from + n)}, or -1. */
  public static int firstNotBelowInfinity(float[] src, int from, int n) {
    for (int i = 0; i < n; i++) {
      if (!(src[from + i] < Float.POSITIVE_INFINITY)) {
        return i;
      }
    }
    return -1;
  }
}
