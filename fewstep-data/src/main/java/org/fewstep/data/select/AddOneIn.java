package org.fewstep.data.select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Add-One-In, choice-based greedy incremental selection (Li et al., "Add-One-In: Incremental Sample
 * Selection for Large Language Models via a Choice-Based Greedy Paradigm", EMNLP 2025, arXiv 2503.02359;
 * reference code BIRlz/comperative_sample_selection, {@code mp_sharpley_LLM.py}; discrete-and-data.md
 * section 8 b). The selected set S starts as {@code aWs} random pool items; then, until |S| reaches the
 * budget, a window of {@code aWs} items of S and a window of {@code bWs} items of the rest R (both drawn
 * uniformly without replacement) go to a {@link Chooser}, and the candidate its reply names moves from R to
 * S. The other candidates stay in R. A reply without a valid {@code [[X]]} ({@link CandidateLabel}) changes
 * nothing and is counted.
 *
 * <p>Draws, all from {@code new Rng(seed)}: the pool indices start in an array {@code 0..n-1}; the seed set
 * is a partial Fisher-Yates over it (position i swaps with {@code i + nextInt(n - i)}), its first
 * {@code aWs} entries in that order, and R is the array of the remaining entries in their order. Each step
 * first draws the S window by a partial Fisher-Yates over the array of S (which keeps its permuted order and
 * gets each new item appended), then the R window likewise over R's array; the chosen candidate is replaced
 * in R's array by R's last entry. Windows are never larger than the sets they come from.
 *
 * <p>Departures from the reference, all fixes: the loop is seeded (the reference calls unseeded
 * {@code np.random} and leaves a {@code pdb.set_trace()} in it); checkpoints are fractions of this pool
 * (the reference hard-codes sizes of its data sets); replies are parsed strictly (see {@link CandidateLabel});
 * after {@code maxConsecutiveInvalid} invalid replies in a row the run stops with an error instead of
 * looping forever; the selection keeps its order (the reference turns it into a Python set). The
 * reference's 4 independent shards are a deployment choice: run one selection per shard.
 */
public final class AddOneIn {

  /**
   * Window sizes (the reference's {@code a_ws} and {@code b_ws}, default 10 each; the seed set has
   * {@code aWs} items), checkpoint fractions of the pool (default 10, 20, 30, 40, 50 %), the cap on
   * consecutive invalid replies (default 100) and the seed.
   */
  public record Settings(int aWs, int bWs, List<Double> checkpoints, int maxConsecutiveInvalid, long seed) {
    public static final int DEFAULT_WINDOW = 10;
    public static final List<Double> DEFAULT_CHECKPOINTS = List.of(0.1, 0.2, 0.3, 0.4, 0.5);
    public static final int DEFAULT_MAX_CONSECUTIVE_INVALID = 100;

    public Settings {
      BadInputException.requireAtLeast("a_ws (selected window size)", aWs, 1);
      BadInputException.requireAtLeast("b_ws (candidate window size)", bWs, 1);
      if (bWs > CandidateLabel.MAX_CANDIDATES) {
        throw BadInputException.of("b_ws (candidate window size)", bWs,
            "at most " + CandidateLabel.MAX_CANDIDATES + " (labels A..Z)");
      }
      checkpoints = List.copyOf(checkpoints);
      for (double f : checkpoints) {
        if (!(f > 0 && f <= 1)) {
          throw BadInputException.of("checkpoint fraction", f, "a fraction of the pool in (0, 1]");
        }
      }
      BadInputException.requireAtLeast("max consecutive invalid replies", maxConsecutiveInvalid, 1);
    }

    /** The paper's settings: windows of 10, checkpoints at 10..50 %, at most 100 invalid replies in a row. */
    public static Settings defaults(long seed) {
      return new Settings(DEFAULT_WINDOW, DEFAULT_WINDOW, DEFAULT_CHECKPOINTS, DEFAULT_MAX_CONSECUTIVE_INVALID, seed);
    }

    public Settings withWindows(int a, int b) {
      return new Settings(a, b, checkpoints, maxConsecutiveInvalid, seed);
    }

    public Settings withSeed(long s) {
      return new Settings(aWs, bWs, checkpoints, maxConsecutiveInvalid, s);
    }
  }

  /**
   * The selection reached {@code size = floor(fraction * pool size)} items after {@code chooserCalls}
   * calls; its ids are the first {@code size} of {@link Result#selected()}.
   */
  public record Checkpoint(double fraction, int size, int chooserCalls) {}

  /**
   * The selected ids in the order they were added (the seed set first), the checkpoints reached (those of
   * size at least 1 and at most the budget, in the order given), the chooser calls and the invalid replies.
   */
  public record Result(List<String> selected, List<Checkpoint> checkpoints, int chooserCalls, int invalidReplies) {
    public Result {
      selected = List.copyOf(selected);
      checkpoints = List.copyOf(checkpoints);
    }

    /** The ids selected at checkpoint {@code c}. */
    public List<String> idsAt(Checkpoint c) {
      return selected.subList(0, c.size());
    }

    /** Chooser calls per item added after the seed set ({@code aWs} items). */
    public double callsPerItem(int seedSize) {
      int added = selected.size() - seedSize;
      return added == 0 ? 0 : chooserCalls / (double) added;
    }
  }

  private AddOneIn() {}

  /** Selects {@code budget} items of {@code pool} with {@code chooser}. */
  public static Result select(List<Example> pool, int budget, Chooser chooser, Settings settings) {
    Objects.requireNonNull(chooser, "chooser");
    Objects.requireNonNull(settings, "settings");
    int n = pool.size();
    if (n == 0) {
      throw BadInputException.of("pool size", 0, "at least one example to select from");
    }
    Set<String> ids = new HashSet<>();
    for (Example e : pool) {
      if (!ids.add(e.id())) {
        throw BadInputException.of("example id", e.id(), "ids unique within the pool");
      }
    }
    int seedSize = settings.aWs();
    if (budget > n) {
      throw BadInputException.of("budget", budget, "at most the " + n + " examples of the pool");
    }
    if (budget < seedSize) {
      throw BadInputException.of("budget", budget, "at least the seed set of a_ws = " + seedSize
          + " items (or a smaller a_ws)");
    }
    Rng rng = new Rng(settings.seed());
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    partialShuffle(all, n, seedSize, rng);
    int[] chosen = new int[budget]; // S's array, permuted by the window draws
    List<String> order = new ArrayList<>(budget);
    System.arraycopy(all, 0, chosen, 0, seedSize);
    int size = seedSize;
    int[] rest = new int[n - seedSize];
    System.arraycopy(all, seedSize, rest, 0, rest.length);
    int restSize = rest.length;
    for (int i = 0; i < seedSize; i++) {
      order.add(pool.get(chosen[i]).id());
    }
    List<Checkpoint> checkpoints = new ArrayList<>();
    int[] targets = new int[settings.checkpoints().size()];
    for (int c = 0; c < targets.length; c++) {
      targets[c] = (int) Math.floor(settings.checkpoints().get(c) * n);
    }
    boolean[] reached = new boolean[targets.length];
    int calls = 0;
    int invalid = 0;
    int consecutive = 0;
    String lastInvalid = null;
    while (true) {
      for (int c = 0; c < targets.length; c++) {
        if (!reached[c] && targets[c] >= 1 && targets[c] <= size) {
          reached[c] = true;
          checkpoints.add(new Checkpoint(settings.checkpoints().get(c), targets[c], calls));
        }
      }
      if (size >= budget) {
        break;
      }
      if (consecutive >= settings.maxConsecutiveInvalid()) {
        throw BadInputException.of("chooser replies", consecutive + " invalid in a row (the last: '"
            + abbreviate(lastInvalid) + "')", "a reply with [[X]], X the label of a shown candidate");
      }
      int a = Math.min(settings.aWs(), size);
      int b = Math.min(settings.bWs(), restSize);
      partialShuffle(chosen, size, a, rng);
      partialShuffle(rest, restSize, b, rng);
      List<Example> shown = new ArrayList<>(a);
      for (int i = 0; i < a; i++) {
        shown.add(pool.get(chosen[i]));
      }
      List<Example> candidates = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        candidates.add(pool.get(rest[i]));
      }
      String reply = chooser.choose(List.copyOf(shown), List.copyOf(candidates));
      calls++;
      OptionalInt k = CandidateLabel.parse(reply, b);
      if (k.isEmpty()) {
        invalid++;
        consecutive++;
        lastInvalid = reply;
        continue;
      }
      consecutive = 0;
      int item = rest[k.getAsInt()];
      rest[k.getAsInt()] = rest[--restSize];
      chosen[size++] = item;
      order.add(pool.get(item).id());
    }
    return new Result(order, checkpoints, calls, invalid);
  }

  /** Moves a uniform sample of {@code k} of {@code a[0..m)} to {@code a[0..k)} (partial Fisher-Yates). */
  private static void partialShuffle(int[] a, int m, int k, Rng rng) {
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(m - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    String one = ChooserPrompt.oneLine(s);
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }
}
