package org.fewstep.constrain.approx;

/**
 * In-place iterative number-theoretic transform modulo the prime {@code p = 998244353 = 119 * 2^23 + 1}
 * with primitive root 3: exact integer arithmetic for lengths up to {@code 2^23}. A cyclic
 * convolution computed with it equals the integer convolution whenever every true value is below
 * {@code p}, which holds for match counts ({@code <= m < p}).
 */
final class Ntt {
  static final long MOD = 998_244_353L;
  static final long ROOT = 3;
  static final int MAX_SIZE = 1 << 23;

  final int size;
  private final long[] roots;
  private final long[] inverseRoots;
  private final int[] reversed;
  private final long inverseSize;

  Ntt(int size) {
    if (size < 1 || Integer.bitCount(size) != 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("NTT size " + size + " is not a power of two <= 2^23");
    }
    this.size = size;
    int half = Math.max(1, size / 2);
    roots = new long[half];
    inverseRoots = new long[half];
    long w = pow(ROOT, (MOD - 1) / size);
    long wInv = pow(w, MOD - 2);
    long a = 1;
    long b = 1;
    for (int i = 0; i < half; i++) {
      roots[i] = a;
      inverseRoots[i] = b;
      a = a * w % MOD;
      b = b * wInv % MOD;
    }
    reversed = new int[size];
    int bits = Integer.numberOfTrailingZeros(size);
    for (int i = 0; i < size && bits > 0; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
    inverseSize = pow(size, MOD - 2);
  }

  static long pow(long base, long exponent) {
    long result = 1;
    long b = base % MOD;
    for (long e = exponent; e > 0; e >>= 1) {
      if ((e & 1) == 1) {
        result = result * b % MOD;
      }
      b = b * b % MOD;
    }
    return result;
  }

  void forward(long[] a) {
    transform(a, roots);
  }

  void inverse(long[] a) {
    transform(a, inverseRoots);
    for (int i = 0; i < size; i++) {
      a[i] = a[i] * inverseSize % MOD;
    }
  }

  private void transform(long[] a, long[] table) {
    int n = size;
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (i < j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >>> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int j = 0, w = 0; j < half; j++, w += step) {
          int x = start + j;
          int y = x + half;
          long u = a[x];
          long v = a[y] * table[w] % MOD;
          long sum = u + v;
          a[x] = sum >= MOD ? sum - MOD : sum;
          long diff = u - v;
          a[y] = diff < 0 ? diff + MOD : diff;
        }
      }
    }
  }
}
