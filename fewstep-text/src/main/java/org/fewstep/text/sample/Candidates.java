package org.fewstep.text.sample;

import java.util.Arrays;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;


/**
 * The working set of a sampling step (llama.cpp's candidate array): token ids with their logits,
 * which processors rescale or cut, and the probabilities of what remains. It starts as the whole
 * vocabulary and shrinks; all of its arrays are reused from step to step, so a step on a 200k
 * vocabulary allocates nothing.
 *
 * <p>Every selection is deterministic: ties in a key are broken by position (lower first), so a
 * seed gives the same tokens however a selection is computed.
 */
public final class Candidates {
  private static final int SMALL = 48;
  private static final int HEAP_LIMIT = 4096;

  private int[] ids = new int[0];
  private double[] logits = new double[0];
  private int size;
  private boolean identity;
  private final Categorical distribution = new Categorical();
  private double[] probabilities = new double[0];
  private boolean normalized;
  private int[] positions = new int[0];
  private double[] keys = new double[0];
  private int[] scratchIds = new int[0];
  private double[] scratchLogits = new double[0];

  /** Loads a full logit row: candidate i is token i. NaN or no possible token is an error. */
  public Candidates reset(double[] row) {
    int n = row.length;
    org.fewstep.core.math.Softmax.max("logits", row, n);
    if (logits.length < n) {
      ids = new int[n];
      logits = new double[n];
      probabilities = new double[n];
      positions = new int[n];
      keys = new double[n];
      scratchIds = new int[n];
      scratchLogits = new double[n];
    }
    System.arraycopy(row, 0, logits, 0, n);
    size = n;
    identity = true;
    normalized = false;
    return this;
  }

  /** Number of candidates left. */
  public int size() {
    return size;
  }

  /** Token id of candidate {@code i}. */
  public int id(int i) {
    return identity ? i : ids[i];
  }

  /** Logit of candidate {@code i}. */
  public double logit(int i) {
    return logits[i];
  }

  /** Sets the logit of candidate {@code i}. */
  public void setLogit(int i, double value) {
    logits[i] = value;
    normalized = false;
  }

  /** Multiplies every logit by {@code factor}. */
  public void scale(double factor) {
    for (int i = 0; i < size; i++) {
      logits[i] *= factor;
    }
    normalized = false;
  }

  /** Position of token {@code id} among the candidates, or -1 when it was cut. */
  public int indexOf(int id) {
    if (identity) {
      return id >= 0 && id < size ? id : -1;
    }
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  /** Probability of candidate {@code i} under softmax of the current logits. */
  public double probability(int i) {
    normalize();
    return probabilities[i];
  }

  /** log-probability of candidate {@code i} under softmax of the current logits. */
  public double logProbability(int i) {
    normalize();
    return distribution.logProbability(i);
  }

  /** Position of the largest logit (the lowest position among ties). */
  public int argmax() {
    int best = 0;
    for (int i = 1; i < size; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Natural-log entropy of softmax of the current logits. */
  public double entropy() {
    normalize();
    double h = 0;
    for (int i = 0; i < size; i++) {
      double p = probabilities[i];
      if (p > 0) {
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** Draws a candidate position from softmax of the current logits (exact, double precision). */
  public int sample(Rng rng) {
    normalize();
    return distribution.sample(rng);
  }

  /** Keeps only candidate {@code i}. */
  public void keepOnly(int i) {
    keepPositions(new int[] {i}, 1);
  }

  /**
   * Keeps the {@code k} largest logits (ties: lower position first), in no particular order: one
   * pass with a bounded heap for small k (a candidate rarely beats the k-th best, so the pass is
   * mostly a comparison), quickselect otherwise.
   */
  public void keepTop(int k) {
    if (k >= size) {
      return;
    }
    if (k <= HEAP_LIMIT) {
      keepPositions(positions, heapTop(k));
      return;
    }
    System.arraycopy(logits, 0, keys, 0, size);
    for (int i = 0; i < size; i++) {
      positions[i] = i;
    }
    int cut = selectTop(k);
    keepPositions(positions, cut);
  }

  /**
   * Keeps the candidates whose logit is at least {@code threshold}, or the {@code minKeep} best if
   * fewer pass (min-p).
   */
  public void keepLogitsAtLeast(double threshold, int minKeep) {
    int count = 0;
    for (int i = 0; i < size; i++) {
      positions[count] = i;
      count += logits[i] >= threshold ? 1 : 0;
    }
    if (count < Math.min(Math.max(minKeep, 1), size)) {
      keepTop(Math.max(minKeep, 1));
      return;
    }
    keepPositions(positions, count);
  }

  /**
   * Top-p (Holtzman et al. 2020, nucleus sampling): keeps the smallest set of most likely
   * candidates whose probability reaches {@code mass}, and at least {@code minKeep}. Candidate i is
   * in the set exactly when the mass ranked before it, {@link Categorical#massBefore}, is below
   * {@code mass} — the rule the rejection draw of {@link NucleusDraw} applies, so both give the same
   * set to the last bit. A quickselect on mass finds the cut; the rule then settles the tokens at it.
   * Linear expected time, no sort of the vocabulary.
   */
  public void keepTopP(double mass, int minKeep) {
    normalize();
    // A candidate with p < (1 - mass) / (size - 1) is never needed: all of them together hold less
    // than 1 - mass, so the candidates ranked above reach mass without them (llama3.java's pre-filter;
    // valid because top-p ranks by probability).
    double floor = size > 1 ? (1 - mass) / (size - 1) : 0;
    int want = Math.min(minKeep, size);
    int n = 0;
    for (int i = 0; i < size; i++) {
      positions[n] = i;
      n += probabilities[i] >= floor ? 1 : 0;
    }
    if (n < want) { // only with minKeep beyond the pre-filter: select among all
      n = 0;
      for (int i = 0; i < size; i++) {
        positions[n++] = i;
      }
    }
    for (int j = 0; j < n; j++) {
      keys[j] = distribution.weight(positions[j]); // the order massBefore ranks by
    }
    int cut = settle(n, selectMass(n, mass), mass, want);
    keepPositions(positions, cut);
  }

  /**
   * Typical-p (Meister et al. 2023, locally typical sampling): keeps the smallest set of candidates,
   * taken by increasing |-log p - H| (H the entropy), whose probability reaches {@code mass}, and at
   * least {@code minKeep}. No pre-filter: a tiny token can be the most typical.
   */
  public void keepTypical(double mass, int minKeep) {
    double h = entropy();
    int want = Math.min(minKeep, size);
    for (int i = 0; i < size; i++) {
      double p = probabilities[i];
      positions[i] = i;
      keys[i] = p > 0 ? -Math.abs(-Math.log(p) - h) : Double.NEGATIVE_INFINITY;
    }
    int cut = selectMass(size, mass);
    if (cut < want) {
      sortRange(cut, size);
      cut = want;
    }
    keepPositions(positions, cut);
  }

  /**
   * Moves the cut of a top-p selection (positions[0..cut) kept, all ranked before the rest) until
   * the last kept candidate is in the nucleus by the exact rule and the first excluded one is not.
   * Rounding of the selection's partial sums can only misplace the cut by a token or two.
   */
  private int settle(int n, int cut, double mass, int want) {
    while (true) {
      if (cut > want) {
        int last = lo(0, cut);
        if (distribution.massBefore(positions[last]) >= mass) {
          swap(last, cut - 1);
          cut--;
          continue;
        }
      }
      if (cut < n) {
        int first = hi(cut, n);
        if (cut < want || distribution.massBefore(positions[first]) < mass) {
          swap(first, cut);
          cut++;
          continue;
        }
      }
      return cut;
    }
  }

  /** Index in [from, to) of the entry ranked last by (key desc, position asc). */
  private int lo(int from, int to) {
    int best = from;
    for (int j = from + 1; j < to; j++) {
      if (before(best, j)) {
        best = j;
      }
    }
    return best;
  }

  /** Index in [from, to) of the entry ranked first by (key desc, position asc). */
  private int hi(int from, int to) {
    int best = from;
    for (int j = from + 1; j < to; j++) {
      if (before(j, best)) {
        best = j;
      }
    }
    return best;
  }

  /** Sorts the candidates by decreasing logit (ties: lower position first); for small sets. */
  public void sortDescending() {
    System.arraycopy(logits, 0, keys, 0, size);
    for (int i = 0; i < size; i++) {
      positions[i] = i;
    }
    sortRange(0, size);
    keepPositions(positions, size);
  }

  /** The current logits as a live view (the first {@link #size()} entries). */
  double[] logitArray() {
    return logits;
  }

  // ---- selection machinery over positions[0..n) with keys[0..n) aligned to them ----

  /**
   * The k best positions by (logit desc, position asc) into positions[0..k) through a min-heap of
   * the k best so far, whose root is the worst of them; returns k.
   */
  private int heapTop(int k) {
    int filled = 0;
    for (int i = 0; i < size; i++) {
      double v = logits[i];
      if (filled < k) {
        int c = filled++;
        while (c > 0) { // sift up: a worse entry rises to the root
          int parent = (c - 1) >>> 1;
          if (!worse(v, i, keys[parent], positions[parent])) {
            break;
          }
          keys[c] = keys[parent];
          positions[c] = positions[parent];
          c = parent;
        }
        keys[c] = v;
        positions[c] = i;
      } else if (worse(keys[0], positions[0], v, i)) {
        int c = 0;
        while (true) { // sift down from the root
          int child = 2 * c + 1;
          if (child >= k) {
            break;
          }
          if (child + 1 < k && worse(keys[child + 1], positions[child + 1], keys[child], positions[child])) {
            child++;
          }
          if (!worse(keys[child], positions[child], v, i)) {
            break;
          }
          keys[c] = keys[child];
          positions[c] = positions[child];
          c = child;
        }
        keys[c] = v;
        positions[c] = i;
      }
    }
    return k;
  }

  /** Whether (a, pa) ranks after (b, pb): a lower logit, or the same logit at a later position. */
  private static boolean worse(double a, int pa, double b, int pb) {
    return a < b || (a == b && pa > pb);
  }

  /** Moves the k largest (key, -position) to positions[0..k); returns k. */
  private int selectTop(int k) {
    int lo = 0;
    int hi = size;
    while (hi - lo > SMALL) {
      int m = partition(lo, hi);
      if (m == k) {
        return k;
      } else if (m > k) {
        hi = m;
      } else {
        lo = m + 1;
      }
    }
    sortRange(lo, hi);
    return k;
  }

  /** Moves a minimal prefix in decreasing key order whose probability reaches mass to the front. */
  private int selectMass(int n, double mass) {
    int lo = 0;
    int hi = n;
    double need = mass;
    while (hi - lo > SMALL) {
      int m = partition(lo, hi);
      double high = 0;
      for (int j = lo; j < m; j++) {
        high += probabilities[positions[j]];
      }
      double withPivot = high + probabilities[positions[m]];
      if (high >= need && m > lo) {
        hi = m;
      } else if (withPivot >= need) {
        return m + 1;
      } else {
        need -= withPivot;
        lo = m + 1;
      }
    }
    sortRange(lo, hi);
    int cut = lo;
    double sum = 0;
    while (cut < hi) {
      sum += probabilities[positions[cut++]];
      if (sum >= need) {
        break;
      }
    }
    return cut;
  }

  /**
   * Hoare-style partition of [lo, hi) around a median-of-three pivot under the strict order
   * (key desc, position asc): afterwards [lo, m) precede the pivot, which sits at m, and (m, hi)
   * follow it. Returns m.
   */
  private int partition(int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    int a = lo;
    int b = mid;
    int c = hi - 1;
    int pivot = before(a, b) ? (before(b, c) ? b : (before(a, c) ? c : a)) : (before(a, c) ? a : (before(b, c) ? c : b));
    swap(pivot, hi - 1);
    double pk = keys[hi - 1];
    int pp = positions[hi - 1];
    int store = lo;
    // branchless Lomuto: always swap j with store, advance store when j precedes the pivot (the
    // outcome of the comparison is random, so a branch on it would mispredict half the time)
    for (int j = lo; j < hi - 1; j++) {
      double kj = keys[j];
      int pj = positions[j];
      boolean precedes = kj > pk | (kj == pk & pj < pp);
      keys[j] = keys[store];
      positions[j] = positions[store];
      keys[store] = kj;
      positions[store] = pj;
      store += precedes ? 1 : 0;
    }
    swap(store, hi - 1);
    return store;
  }

  private boolean before(int x, int y) {
    return keys[x] > keys[y] || (keys[x] == keys[y] && positions[x] < positions[y]);
  }

  private void swap(int x, int y) {
    double k = keys[x];
    keys[x] = keys[y];
    keys[y] = k;
    int p = positions[x];
    positions[x] = positions[y];
    positions[y] = p;
  }

  /** Insertion/merge-free sort of [lo, hi) in (key desc, position asc) order. */
  private void sortRange(int lo, int hi) {
    if (hi - lo <= SMALL) {
      for (int i = lo + 1; i < hi; i++) {
        for (int j = i; j > lo && before(j, j - 1); j--) {
          swap(j, j - 1);
        }
      }
      return;
    }
    int m = partition(lo, hi);
    sortRange(lo, m);
    sortRange(m + 1, hi);
  }

  /** Compacts the candidates to the positions {@code chosen[0..count)}, in that order. */
  private void keepPositions(int[] chosen, int count) {
    for (int j = 0; j < count; j++) {
      int p = chosen[j];
      scratchIds[j] = identity ? p : ids[p];
      scratchLogits[j] = logits[p];
    }
    int[] t = ids;
    ids = scratchIds;
    scratchIds = t;
    double[] l = logits;
    logits = scratchLogits;
    scratchLogits = l;
    size = count;
    identity = false;
    normalized = false;
  }

  private void normalize() {
    if (!normalized) {
      distribution.setLogits("logits", logits, size);
      distribution.probabilities(probabilities);
      normalized = true;
    }
  }

  @Override
  public String toString() {
    int shown = Math.min(size, 8);
    int[] head = new int[shown];
    for (int i = 0; i < shown; i++) {
      head[i] = id(i);
    }
    return "Candidates[size=" + size + ", ids=" + Arrays.toString(head) + (size > shown ? "...]" : "]");
  }
}
