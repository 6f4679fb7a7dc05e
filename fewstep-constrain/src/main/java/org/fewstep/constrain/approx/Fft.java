package org.fewstep.constrain.approx;

/**
 * In-place iterative radix-2 complex FFT in double precision on split real/imaginary arrays. The
 * forward transform uses {@code exp(-2 pi i jk / n)}; the inverse uses the opposite sign and divides
 * by {@code n}. Twiddle factors are computed directly with {@link Math#cos}/{@link Math#sin} (no
 * recurrence), which keeps the rounding error of a length-{@code n} transform near
 * {@code O(log n)} ulps.
 */
final class Fft {
  final int size;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  Fft(int size) {
    if (size < 1 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("FFT size " + size + " is not a power of two");
    }
    this.size = size;
    int half = Math.max(1, size / 2);
    cos = new double[half];
    sin = new double[half];
    for (int i = 0; i < half; i++) {
      double angle = 2 * Math.PI * i / size;
      cos[i] = Math.cos(angle);
      sin[i] = Math.sin(angle);
    }
    reversed = new int[size];
    int bits = Integer.numberOfTrailingZeros(size);
    for (int i = 0; i < size && bits > 0; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  void forward(double[] re, double[] im) {
    transform(re, im, -1);
  }

  void inverse(double[] re, double[] im) {
    transform(re, im, 1);
    double scale = 1.0 / size;
    for (int i = 0; i < size; i++) {
      re[i] *= scale;
      im[i] *= scale;
    }
  }

  private void transform(double[] re, double[] im, int sign) {
    int n = size;
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >>> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int j = 0, w = 0; j < half; j++, w += step) {
          double wr = cos[w];
          double wi = sign * sin[w];
          int a = start + j;
          int b = a + half;
          double vr = re[b] * wr - im[b] * wi;
          double vi = re[b] * wi + im[b] * wr;
          double ur = re[a];
          double ui = im[a];
          re[a] = ur + vr;
          im[a] = ui + vi;
          re[b] = ur - vr;
          im[b] = ui - vi;
        }
      }
    }
  }
}
