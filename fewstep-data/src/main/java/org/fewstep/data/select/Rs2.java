package org.fewstep.data.select;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * RS2, Repeated Random Sampling of random Subsets (Okanovic et al., "Repeated Random Sampling for
 * Minimizing the Time-to-Accuracy of Learning", ICLR 2024; reference code PatrikOkanovic/RS2,
 * {@code deepcore/methods/uniform_no_replacement.py} and {@code uniform.py}): every round trains on a fresh
 * uniformly random subset of {@code roundSize} of the {@code n} examples.
 *
 * <p>Round size: {@code Math.round(fraction * n)} (nearest, halves up); the reference truncates,
 * {@code int(fraction * N)}, so e.g. fraction 0.15 of 10 examples gives 2 here and 1 there. A size of 0 is
 * an error. {@link #ofRoundSize} fixes the size directly.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@link Mode#WITHOUT_REPLACEMENT} (the paper's recommended variant): a random permutation of all
 *       indices; round k takes the next contiguous chunk. When fewer than a round remain, the round takes
 *       the remainder, the indices are reshuffled, and the round is topped up with the first indices of the
 *       new permutation that are not already in it (those skipped stay in the new pass, later). So every
 *       pass is a permutation: the concatenated rounds, cut into blocks of {@code n}, are permutations of
 *       {@code 0..n-1}. This is the clean version of the reference, whose wrap-around chunk uses the
 *       off-by-one modulus {@code (end + size) mod (N+1)} and reuses the head of the old permutation.
 *   <li>{@link Mode#WITH_REPLACEMENT} (across rounds): each round draws its indices uniformly without
 *       replacement inside the round, independently across rounds ({@code Uniform}, {@code replace=False},
 *       re-selected each round).
 *   <li>{@link Mode#STATIC}: the same random subset every round (the reference's {@code per_epoch=False}
 *       baseline); it equals round 0 of {@link Mode#WITH_REPLACEMENT}.
 * </ul>
 *
 * <p>Balance ({@link #balanced}): the round size is split over the classes in proportion to their sizes by
 * largest remainders (class c gets {@code floor(roundSize * n_c / n)}, and the leftover slots go to the
 * largest remainders {@code roundSize * n_c mod n}, ties to the smaller label), so the quotas sum to the round
 * size exactly; DeepCore instead rounds {@code fraction * n_c} per class, whose sum can differ. Each class is
 * then sampled on its own in the chosen mode, and the round is shuffled so batches mix the classes. A class
 * with quota 0 is never sampled.
 *
 * <p>Deterministic per seed; an instance is immutable, a {@link Rounds} cursor is not thread-safe.
 */
public final class Rs2 {
  /** How rounds relate to each other. */
  public enum Mode { WITHOUT_REPLACEMENT, WITH_REPLACEMENT, STATIC }

  /**
   * Selection ratio r in (0, 1] (the reference's {@code fraction}, default 0.1), mode and seed.
   */
  public record Settings(double fraction, Mode mode, long seed) {
    /** The reference's default selection ratio. */
    public static final double DEFAULT_FRACTION = 0.1;

    public Settings {
      if (!(fraction > 0 && fraction <= 1)) {
        throw BadInputException.of("fraction", fraction, "a number in (0, 1]");
      }
      Objects.requireNonNull(mode, "mode");
    }

    /** Fraction 0.1, without replacement. */
    public static Settings defaults(long seed) {
      return new Settings(DEFAULT_FRACTION, Mode.WITHOUT_REPLACEMENT, seed);
    }
  }

  private static final long SHUFFLE_STREAM = 0x5EED5EEDL;

  private final int n;
  private final int roundSize;
  private final Mode mode;
  private final long seed;
  private final int[][] groups;
  private final int[] quotas;
  private final long[] groupSeeds;

  private Rs2(int n, int roundSize, Mode mode, long seed, int[][] groups, int[] quotas) {
    this.n = n;
    this.roundSize = roundSize;
    this.mode = mode;
    this.seed = seed;
    this.groups = groups;
    this.quotas = quotas;
    this.groupSeeds = new long[groups.length];
    for (int g = 0; g < groups.length; g++) {
      groupSeeds[g] = Rng.stream(seed, g).nextLong();
    }
  }

  /** RS2 over {@code n} examples. */
  public static Rs2 create(int n, Settings settings) {
    BadInputException.requireAtLeast("n", n, 1);
    return ofRoundSize(n, roundSize(n, settings.fraction()), settings.mode(), settings.seed());
  }

  /** RS2 over {@code n} examples with a per-round budget of {@code roundSize} examples. */
  public static Rs2 ofRoundSize(int n, int roundSize, Mode mode, long seed) {
    BadInputException.requireAtLeast("n", n, 1);
    checkRoundSize(n, roundSize);
    Objects.requireNonNull(mode, "mode");
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    return new Rs2(n, roundSize, mode, seed, new int[][] {all}, new int[] {roundSize});
  }

  /** Class-stratified RS2: {@code labels[i] >= 0} is the class of example i, one label per example. */
  public static Rs2 balanced(int n, int[] labels, Settings settings) {
    BadInputException.requireAtLeast("n", n, 1);
    if (labels.length != n) {
      throw BadInputException.of("labels length", labels.length, n + " (one label per example)");
    }
    int size = roundSize(n, settings.fraction());
    Map<Integer, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0) {
        throw BadInputException.of("labels[" + i + "]", labels[i], "a class label >= 0");
      }
      counts.merge(labels[i], 1, Integer::sum);
    }
    int classes = counts.size();
    int[] classLabels = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    int[][] groups = new int[classes][];
    for (int c = 0; c < classes; c++) {
      groups[c] = new int[counts.get(classLabels[c])];
    }
    int[] fill = new int[classes];
    for (int i = 0; i < n; i++) {
      int c = Arrays.binarySearch(classLabels, labels[i]);
      groups[c][fill[c]++] = i;
    }
    return new Rs2(n, size, settings.mode(), settings.seed(), groups, quotas(size, n, groups));
  }

  /** {@code Math.round(fraction * n)}, required to lie in [1, n]. */
  public static int roundSize(int n, double fraction) {
    BadInputException.requireAtLeast("n", n, 1);
    new Settings(fraction, Mode.STATIC, 0); // validates the fraction
    long size = Math.round(fraction * n);
    checkRoundSize(n, size);
    return (int) size;
  }

  private static void checkRoundSize(int n, long size) {
    if (size < 1) {
      throw BadInputException.of("round size", size, "at least 1 example per round (raise the fraction)");
    }
    if (size > n) {
      throw BadInputException.of("round size", size, "a budget of at most the " + n + " examples available");
    }
  }

  private static int[] quotas(int size, int n, int[][] groups) {
    int classes = groups.length;
    int[] quota = new int[classes];
    long[] remainder = new long[classes];
    int assigned = 0;
    for (int c = 0; c < classes; c++) {
      long share = (long) size * groups[c].length;
      quota[c] = (int) (share / n);
      remainder[c] = share % n;
      assigned += quota[c];
    }
    Integer[] order = new Integer[classes];
    Arrays.setAll(order, c -> c);
    Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : a - b);
    for (int j = 0; assigned < size; j++, assigned++) {
      quota[order[j]]++;
    }
    return quota;
  }

  /** Number of examples. */
  public int size() {
    return n;
  }

  /** Examples per round. */
  public int roundSize() {
    return roundSize;
  }

  /** The mode. */
  public Mode mode() {
    return mode;
  }

  /** Examples per round of each class (sorted by label); a single entry when not balanced. */
  public int[] classQuotas() {
    return quotas.clone();
  }

  /**
   * The indices of round {@code k >= 0}. Without replacement this replays rounds 0..k (O(k * roundSize + n));
   * use {@link #rounds()} to walk many rounds.
   */
  public int[] round(int k) {
    BadInputException.requireAtLeast("round", k, 0);
    if (mode != Mode.WITHOUT_REPLACEMENT) {
      return independentRound(mode == Mode.STATIC ? 0 : k);
    }
    Rounds rounds = rounds();
    for (int j = 0; j < k; j++) {
      rounds.next();
    }
    return rounds.next();
  }

  /** A cursor over rounds 0, 1, 2, ... (infinite). */
  public Rounds rounds() {
    return new Rounds();
  }

  private int[] independentRound(int k) {
    int[] out = new int[roundSize];
    int at = 0;
    for (int g = 0; g < groups.length; g++) {
      int[] members = groups[g];
      int[] local = new int[members.length];
      Arrays.setAll(local, i -> i);
      Rng rng = Rng.stream(groupSeeds[g], k);
      for (int i = 0; i < quotas[g]; i++) { // partial Fisher-Yates
        int j = i + rng.nextInt(members.length - i);
        int t = local[i];
        local[i] = local[j];
        local[j] = t;
        out[at++] = members[local[i]];
      }
    }
    return mix(out, k);
  }

  private int[] mix(int[] out, int k) {
    if (groups.length > 1) {
      Rng.stream(seed ^ SHUFFLE_STREAM, k).shuffle(out);
    }
    return out;
  }


  /** Sequential cursor over the rounds; {@link #next()} never ends. */
  public final class Rounds implements Iterator<int[]> {
    private final Pass[] passes;
    private int k;

    private Rounds() {
      passes = new Pass[groups.length];
      if (mode == Mode.WITHOUT_REPLACEMENT) {
        for (int g = 0; g < groups.length; g++) {
          passes[g] = new Pass(groups[g].length, groupSeeds[g]);
        }
      }
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    /** The next round's indices. */
    @Override
    public int[] next() {
      int round = k++;
      if (mode != Mode.WITHOUT_REPLACEMENT) {
        return independentRound(mode == Mode.STATIC ? 0 : round);
      }
      int[] out = new int[roundSize];
      int at = 0;
      for (int g = 0; g < groups.length; g++) {
        at = passes[g].take(quotas[g], groups[g], out, at);
      }
      return mix(out, round);
    }
  }

  /** One group's walk through successive permutations of its local indices 0..m-1. */
  private static final class Pass {
    private final int m;
    private final long groupSeed;
    private final boolean[] inRound;
    private int pass;
    private int[] order;
    private int pos;

    Pass(int m, long groupSeed) {
      this.m = m;
      this.groupSeed = groupSeed;
      this.inRound = new boolean[m];
      this.order = permutation(0);
    }

    private int[] permutation(int p) {
      int[] perm = new int[m];
      Arrays.setAll(perm, i -> i);
      Rng.stream(groupSeed, p).shuffle(perm);
      return perm;
    }

    int take(int quota, int[] members, int[] out, int at) {
      int avail = m - pos;
      if (avail >= quota) {
        for (int i = 0; i < quota; i++) {
          out[at++] = members[order[pos++]];
        }
        return at;
      }
      for (int i = pos; i < m; i++) { // the remainder of this pass
        inRound[order[i]] = true;
        out[at++] = members[order[i]];
      }
      int need = quota - avail;
      int[] next = permutation(++pass);
      int[] reordered = new int[m];
      int front = 0;
      int back = need;
      for (int local : next) { // first `need` not already in the round go first; the rest keep their order
        if (front < need && !inRound[local]) {
          reordered[front++] = local;
        } else {
          reordered[back++] = local;
        }
      }
      for (int i = pos; i < m; i++) {
        inRound[order[i]] = false;
      }
      order = reordered;
      for (pos = 0; pos < need; pos++) {
        out[at++] = members[order[pos]];
      }
      return at;
    }
  }
}
