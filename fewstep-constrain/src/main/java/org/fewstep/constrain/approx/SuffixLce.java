package org.fewstep.constrain.approx;

/**
 * Deterministic longest-common-extension queries on one integer string: suffix array by prefix
 * doubling with radix sorting (Manber–Myers, {@code O(N log N)}), LCP array by Kasai et al.'s
 * algorithm ({@code O(N)}), and a range-minimum structure over the LCP array that answers in
 * {@code O(1)}: a sparse table over blocks of 64 plus, inside a block, one 64-bit mask per position
 * of the increasing-minimum stack ending there.
 */
final class SuffixLce {
  private final int length;
  private final int[] rank;
  private final int[] lcp;
  private final long[] stackMask;
  private final int[][] sparse;

  /** {@code s[i]} must lie in {@code [0, alphabet)}. */
  SuffixLce(int[] s, int alphabet) {
    length = s.length;
    int[] sa = suffixArray(s, alphabet);
    rank = new int[length];
    for (int r = 0; r < length; r++) {
      rank[sa[r]] = r;
    }
    lcp = new int[length];
    int h = 0;
    for (int i = 0; i < length; i++) {
      int r = rank[i];
      if (r == 0) {
        h = 0;
        continue;
      }
      int j = sa[r - 1];
      while (i + h < length && j + h < length && s[i + h] == s[j + h]) {
        h++;
      }
      lcp[r] = h;
      if (h > 0) {
        h--;
      }
    }
    stackMask = new long[length];
    int blocks = (length + 63) >>> 6;
    int[] blockMin = new int[blocks];
    for (int b = 0; b < blocks; b++) {
      int start = b << 6;
      int end = Math.min(length, start + 64);
      long stack = 0;
      int min = Integer.MAX_VALUE;
      for (int i = start; i < end; i++) {
        int v = lcp[i];
        while (stack != 0 && lcp[start + 63 - Long.numberOfLeadingZeros(stack)] >= v) {
          stack &= ~Long.highestOneBit(stack);
        }
        stack |= 1L << (i - start);
        stackMask[i] = stack;
        min = Math.min(min, v);
      }
      blockMin[b] = min;
    }
    int levels = 1;
    while ((1 << levels) <= blocks) {
      levels++;
    }
    sparse = new int[levels][];
    sparse[0] = blockMin;
    for (int k = 1; k < levels; k++) {
      int span = 1 << k;
      int[] prev = sparse[k - 1];
      int[] cur = new int[blocks - span + 1];
      for (int b = 0; b + span <= blocks; b++) {
        cur[b] = Math.min(prev[b], prev[b + (span >>> 1)]);
      }
      sparse[k] = cur;
    }
  }

  /** Length of the longest common prefix of the suffixes at {@code x != y}. */
  int lce(int x, int y) {
    int rx = rank[x];
    int ry = rank[y];
    return rx < ry ? min(rx + 1, ry) : min(ry + 1, rx);
  }

  /** Minimum of {@code lcp[lo..hi]}, {@code lo <= hi}. */
  private int min(int lo, int hi) {
    int bl = lo >>> 6;
    int bh = hi >>> 6;
    if (bl == bh) {
      return inBlock(lo, hi);
    }
    int result = Math.min(inBlock(lo, (bl << 6) + 63), inBlock(bh << 6, hi));
    if (bl + 1 < bh) {
      int from = bl + 1;
      int count = bh - from;
      int k = 31 - Integer.numberOfLeadingZeros(count);
      int[] level = sparse[k];
      result = Math.min(result, Math.min(level[from], level[bh - (1 << k)]));
    }
    return result;
  }

  private int inBlock(int lo, int hi) {
    long mask = stackMask[hi] & (-1L << (lo & 63));
    return lcp[(lo & ~63) + Long.numberOfTrailingZeros(mask)];
  }

  /** Suffix array of {@code s} over {@code [0, alphabet)} by prefix doubling with counting sorts. */
  static int[] suffixArray(int[] s, int alphabet) {
    int n = s.length;
    int[] sa = new int[n];
    if (n == 0) {
      return sa;
    }
    int[] rank = new int[n];
    int[] next = new int[n];
    int[] order = new int[n];
    int[] count = new int[Math.max(alphabet, n) + 1];
    for (int i = 0; i < n; i++) {
      count[s[i]]++;
    }
    for (int c = 1; c < alphabet; c++) {
      count[c] += count[c - 1];
    }
    for (int i = n - 1; i >= 0; i--) {
      sa[--count[s[i]]] = i;
    }
    int classes = 1;
    rank[sa[0]] = 0;
    for (int r = 1; r < n; r++) {
      if (s[sa[r]] != s[sa[r - 1]]) {
        classes++;
      }
      rank[sa[r]] = classes - 1;
    }
    for (int k = 1; classes < n; k <<= 1) {
      // Order by the second key rank[i + k] (missing = smallest), then stable counting sort by rank[i].
      int p = 0;
      for (int i = n - k; i < n; i++) {
        order[p++] = i;
      }
      for (int r = 0; r < n; r++) {
        if (sa[r] >= k) {
          order[p++] = sa[r] - k;
        }
      }
      java.util.Arrays.fill(count, 0, classes + 1, 0);
      for (int i = 0; i < n; i++) {
        count[rank[i]]++;
      }
      for (int c = 1; c < classes; c++) {
        count[c] += count[c - 1];
      }
      for (int r = n - 1; r >= 0; r--) {
        int i = order[r];
        sa[--count[rank[i]]] = i;
      }
      next[sa[0]] = 0;
      classes = 1;
      for (int r = 1; r < n; r++) {
        int a = sa[r - 1];
        int b = sa[r];
        int a2 = a + k < n ? rank[a + k] : -1;
        int b2 = b + k < n ? rank[b + k] : -1;
        if (rank[a] != rank[b] || a2 != b2) {
          classes++;
        }
        next[b] = classes - 1;
      }
      int[] t = rank;
      rank = next;
      next = t;
    }
    return sa;
  }

  int length() {
    return length;
  }
}
