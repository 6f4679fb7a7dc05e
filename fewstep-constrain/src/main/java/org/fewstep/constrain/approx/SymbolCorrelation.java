package org.fewstep.constrain.approx;

/**
 * Fischer–Paterson per-symbol correlation: for a set of pattern symbols {@code a}, adds
 * {@code Σ_a Σ_j [P_j = a][T_{i+j} = a]} to {@code match[i]} for every shift {@code i}. The text is
 * cut into windows of {@code L >= 2m} symbols (a power of two) that start {@code L - m + 1} apart;
 * one cyclic correlation of length {@code L} per window and symbol gives the {@code L - m + 1} shifts
 * starting in that window without wrap-around, so each symbol costs {@code O(n log m)}. The
 * per-symbol spectra are summed before one inverse transform per window.
 */
final class SymbolCorrelation {
  /** Doubles (FFT) or longs (NTT) of pattern spectra held at once. */
  private static final int SPECTRA_BUDGET = 1 << 22;
  /** Rounding of a double correlation is accepted only within this distance of an integer. */
  static final double ROUNDING_GUARD = 0.25;

  private SymbolCorrelation() {}

  /** The window length for text length {@code n} and pattern length {@code m}. */
  static int windowSize(int n, int m) {
    if (m > (1 << 28)) {
      return 1 << 30;
    }
    int cap = Integer.highestOneBit(n);
    if (cap < n) {
      cap <<= 1;
    }
    int min = Integer.highestOneBit(Math.max(2 * m - 1, 255)) << 1;
    if (min >= cap) {
      return cap;
    }
    // Cost per shift ~ L log L / (L - m + 1): try the first few powers of two at or above 2m.
    int best = min;
    double bestCost = Double.MAX_VALUE;
    for (int l = min; l <= cap && l <= (min << 3) && l > 0; l <<= 1) {
      double cost = (double) l * (Integer.numberOfTrailingZeros(l) + 4) / (l - m + 1);
      if (cost < bestCost) {
        bestCost = cost;
        best = l;
      }
    }
    return best;
  }

  /**
   * Double-precision FFT, two symbols per complex transform. Returns {@code false} (leaving
   * {@code match} partly updated) if some value was not within {@link #ROUNDING_GUARD} of an
   * integer.
   */
  static boolean addFft(PatternSymbols ps, int[] symbols, int count, int n, int m, int[] match) {
    if (count == 0) {
      return true;
    }
    int size = windowSize(n, m);
    Fft fft = new Fft(size);
    int mask = size - 1;
    int step = size - m + 1;
    int shifts = n - m + 1;
    int pairs = (count + 1) / 2;
    int groupPairs = Math.max(1, SPECTRA_BUDGET / (4 * size));
    double[] xr = new double[size];
    double[] xi = new double[size];
    double[] accR = new double[size];
    double[] accI = new double[size];
    int[] text = ps.text;
    for (int g0 = 0; g0 < pairs; g0 += groupPairs) {
      int g = Math.min(groupPairs, pairs - g0);
      double[][] ar = new double[g][size];
      double[][] ai = new double[g][size];
      double[][] br = new double[g][size];
      double[][] bi = new double[g][size];
      int[] first = new int[g];
      int[] second = new int[g];
      for (int q = 0; q < g; q++) {
        int idx = 2 * (g0 + q);
        first[q] = symbols[idx];
        second[q] = idx + 1 < count ? symbols[idx + 1] : -1;
        java.util.Arrays.fill(xr, 0);
        java.util.Arrays.fill(xi, 0);
        for (int p = ps.start[first[q]]; p < ps.start[first[q] + 1]; p++) {
          xr[ps.positions[p]] = 1;
        }
        if (second[q] >= 0) {
          for (int p = ps.start[second[q]]; p < ps.start[second[q] + 1]; p++) {
            xi[ps.positions[p]] = 1;
          }
        }
        fft.forward(xr, xi);
        double[] qar = ar[q];
        double[] qai = ai[q];
        double[] qbr = br[q];
        double[] qbi = bi[q];
        for (int k = 0; k < size; k++) {
          int r = (size - k) & mask;
          // Pa = (X[k] + conj X[-k]) / 2, Pb = (X[k] - conj X[-k]) / 2i; keep their conjugates cA, cB.
          double paR = 0.5 * (xr[k] + xr[r]);
          double paI = 0.5 * (xi[k] - xi[r]);
          double pbR = 0.5 * (xi[k] + xi[r]);
          double pbI = -0.5 * (xr[k] - xr[r]);
          double caR = paR;
          double caI = -paI;
          double cbR = pbR;
          double cbI = -pbI;
          // A = (cA - i cB) / 2 multiplies Y[k]; B = (cA + i cB) / 2 multiplies conj Y[-k].
          qar[k] = 0.5 * (caR + cbI);
          qai[k] = 0.5 * (caI - cbR);
          qbr[k] = 0.5 * (caR - cbI);
          qbi[k] = 0.5 * (caI + cbR);
        }
      }
      for (int s = 0; s < shifts; s += step) {
        java.util.Arrays.fill(accR, 0);
        java.util.Arrays.fill(accI, 0);
        int avail = Math.min(size, n - s);
        for (int q = 0; q < g; q++) {
          int a = first[q];
          int b = second[q];
          for (int u = 0; u < avail; u++) {
            int t = text[s + u];
            xr[u] = t == a ? 1 : 0;
            xi[u] = t == b ? 1 : 0;
          }
          for (int u = avail; u < size; u++) {
            xr[u] = 0;
            xi[u] = 0;
          }
          fft.forward(xr, xi);
          double[] qar = ar[q];
          double[] qai = ai[q];
          double[] qbr = br[q];
          double[] qbi = bi[q];
          for (int k = 0; k < size; k++) {
            int r = (size - k) & mask;
            double yr = xr[k];
            double yi = xi[k];
            double zr = xr[r];
            double zi = -xi[r];
            accR[k] += qar[k] * yr - qai[k] * yi + qbr[k] * zr - qbi[k] * zi;
            accI[k] += qar[k] * yi + qai[k] * yr + qbr[k] * zi + qbi[k] * zr;
          }
        }
        fft.inverse(accR, accI);
        int end = Math.min(step, shifts - s);
        for (int i = 0; i < end; i++) {
          double v = accR[i];
          double rounded = Math.rint(v);
          if (!(Math.abs(v - rounded) < ROUNDING_GUARD)) {
            return false;
          }
          match[s + i] += (int) rounded;
        }
      }
    }
    return true;
  }

  /** Exact NTT modulo 998244353, one transform per symbol and window; needs {@code L <= 2^23}. */
  static void addNtt(PatternSymbols ps, int[] symbols, int count, int n, int m, int[] match) {
    if (count == 0) {
      return;
    }
    int size = windowSize(n, m);
    Ntt ntt = new Ntt(size);
    long mod = Ntt.MOD;
    int step = size - m + 1;
    int shifts = n - m + 1;
    int group = Math.max(1, SPECTRA_BUDGET / size);
    long[] x = new long[size];
    long[] acc = new long[size];
    int[] text = ps.text;
    for (int g0 = 0; g0 < count; g0 += group) {
      int g = Math.min(group, count - g0);
      long[][] spectra = new long[g][];
      for (int q = 0; q < g; q++) {
        long[] spec = new long[size];
        int a = symbols[g0 + q];
        for (int p = ps.start[a]; p < ps.start[a + 1]; p++) {
          spec[m - 1 - ps.positions[p]] = 1;
        }
        ntt.forward(spec);
        spectra[q] = spec;
      }
      for (int s = 0; s < shifts; s += step) {
        java.util.Arrays.fill(acc, 0);
        int avail = Math.min(size, n - s);
        for (int q = 0; q < g; q++) {
          int a = symbols[g0 + q];
          for (int u = 0; u < avail; u++) {
            x[u] = text[s + u] == a ? 1 : 0;
          }
          java.util.Arrays.fill(x, avail, size, 0);
          ntt.forward(x);
          long[] spec = spectra[q];
          for (int k = 0; k < size; k++) {
            long v = acc[k] + spec[k] * x[k] % mod;
            acc[k] = v >= mod ? v - mod : v;
          }
        }
        ntt.inverse(acc);
        int end = Math.min(step, shifts - s);
        for (int i = 0; i < end; i++) {
          match[s + i] += (int) acc[i + m - 1];
        }
      }
    }
  }
}
