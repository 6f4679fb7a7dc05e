package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.data.corpus.Fortunes;
import org.fewstep.data.embed.Embedder;
import org.fewstep.data.embed.MiniLm;
import org.fewstep.data.select.Example;
import org.fewstep.data.select.LabelGraph;
import org.fewstep.data.select.Mig;

/**
 * MIG (discrete-and-data.md 7) on the bundled fortune files: one label per category file, embeddings by
 * all-MiniLM-L6-v2 ({@link MiniLm}). At an equal budget it compares MIG (the reference's first-order greedy
 * and the exact-gain greedy) with uniform random subsets (several seeds) and with the top items by quality.
 *
 * <p>Splits, per category and seeded: 20 % reference, 20 % test, the rest the pool selected from.
 * Quality (the paper uses Deita model scores; we have none): {@code q_i = max(0, cos(e_i, c_y))}, the cosine
 * of the item's embedding to the normalised mean embedding of its category on the <em>reference</em> split,
 * i.e. how typical of its category a fortune is. It is cheap and uses no pool or test item to score another,
 * but it is a proxy of typicality, not of quality as a person would judge it.
 *
 * <p>Measures of a subset: Phi (MIG's information with the defaults, on the pool's label graph), categories
 * covered, the entropy of its category mix (bits), the mean pairwise cosine distance of its embeddings, its
 * mean quality, and downstream the accuracy (and balanced accuracy, the mean per-category recall) on the test
 * split of a nearest-centroid classifier whose centroids are the selected items' mean embeddings per
 * category (a category without a selected item is never predicted). The whole pool gives the ceiling row.
 */
public final class MigExperiment {
  private MigExperiment() {}

  /**
   * @param perCategory  entries per category file (the first ones; 0 for all)
   * @param fraction     budget as a fraction of the pool
   * @param randomSeeds  random subsets averaged
   * @param seed         the split's and the random subsets' seed
   */
  public record Settings(int perCategory, double fraction, int randomSeeds, long seed) {
    public Settings {
      BadInputException.requireAtLeast("perCategory", perCategory, 0);
      if (!(fraction > 0 && fraction <= 1)) {
        throw BadInputException.of("fraction", fraction, "a budget fraction in (0, 1]");
      }
      BadInputException.requireAtLeast("randomSeeds", randomSeeds, 1);
    }

    /** The full run: every entry, budget 10 % of the pool, 10 random seeds, seed 1. */
    public static Settings defaults() {
      return new Settings(0, 0.1, 10, 1);
    }
  }

  /** One method's measures (random: means over seeds; the {@code Sd} fields are their standard deviations). */
  public record Row(String method, double information, double informationSd, double covered, double entropyBits,
      double diversity, double quality, double accuracy, double accuracySd, double balancedAccuracy,
      double balancedAccuracySd, double seconds) {}

  /** The outcome. */
  public record Result(Settings settings, int items, int pool, int test, int budget, int categories, int graphEdges,
      double embedSeconds, List<Row> rows) {

    /** The row of {@code method}. */
    public Row row(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).findFirst()
          .orElseThrow(() -> BadInputException.of("method", method, "one of the result's rows"));
    }

    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "MIG on fortunes: %d items in %d categories, pool %d, test %d, budget %d "
          + "(%.0f %%), label-graph edges %d, embedding %.1f s%n%n", items, categories, pool, test, budget,
          100 * settings.fraction(), graphEdges, embedSeconds));
      sb.append("| method | Phi | categories | entropy (bits) | mean pairwise distance | mean quality "
          + "| accuracy | balanced accuracy | select s |\n");
      sb.append("|---|---|---|---|---|---|---|---|---|\n");
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.3f | %.4f | %.4f | %s | %s | %.3f |%n", r.method(),
            pm(r.information(), r.informationSd(), 2), r.covered(), r.entropyBits(), r.diversity(), r.quality(),
            pm(r.accuracy(), r.accuracySd(), 4), pm(r.balancedAccuracy(), r.balancedAccuracySd(), 4), r.seconds()));
      }
      return sb.toString();
    }

    public String csv() {
      StringBuilder sb = new StringBuilder("method,information,information_sd,categories,entropy_bits,diversity,"
          + "quality,accuracy,accuracy_sd,balanced_accuracy,balanced_accuracy_sd,select_seconds,pool,budget\n");
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.2f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%d,%d%n",
            r.method(), r.information(), r.informationSd(), r.covered(), r.entropyBits(), r.diversity(), r.quality(),
            r.accuracy(), r.accuracySd(), r.balancedAccuracy(), r.balancedAccuracySd(), r.seconds(), pool, budget));
      }
      return sb.toString();
    }

    private static String pm(double mean, double sd, int digits) {
      String f = "%." + digits + "f";
      return Double.isNaN(sd) ? String.format(Locale.ROOT, f, mean)
          : String.format(Locale.ROOT, f + " ± " + f, mean, sd);
    }
  }

  /** Runs the experiment with all-MiniLM-L6-v2. */
  public static Result run(Settings settings) {
    return run(settings, MiniLm.create());
  }

  /** Runs the experiment with {@code embedder}. */
  public static Result run(Settings settings, Embedder embedder) {
    List<String> cats = Fortunes.CATEGORIES;
    List<Example> all = new ArrayList<>();
    for (String c : cats) {
      List<Example> entries = Fortunes.category(c);
      all.addAll(settings.perCategory() > 0 ? entries.subList(0, Math.min(settings.perCategory(), entries.size())) : entries);
    }
    long t0 = System.nanoTime();
    double[][] emb = embedder.embed(all.stream().map(Example::text).toList());
    double embedSeconds = (System.nanoTime() - t0) / 1e9;
    int k = cats.size();
    int[] label = all.stream().mapToInt(e -> cats.indexOf(e.labels().get(0))).toArray();

    // splits per category: 20 % reference, 20 % test, rest pool
    List<Integer> ref = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    List<Integer> poolIdx = new ArrayList<>();
    Rng split = Rng.stream(settings.seed(), 0);
    for (int c = 0; c < k; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (label[i] == c) {
          members.add(i);
        }
      }
      for (int i = members.size() - 1; i > 0; i--) {
        int j = split.nextInt(i + 1);
        Integer t = members.get(i);
        members.set(i, members.get(j));
        members.set(j, t);
      }
      int nRef = (int) Math.round(0.2 * members.size());
      int nTest = (int) Math.round(0.2 * members.size());
      ref.addAll(members.subList(0, nRef));
      test.addAll(members.subList(nRef, nRef + nTest));
      poolIdx.addAll(members.subList(nRef + nTest, members.size()));
    }
    double[][] refCentroid = centroids(emb, label, ref, k);
    List<Example> pool = new ArrayList<>();
    for (int i : poolIdx) {
      Example e = all.get(i);
      double q = Math.max(0, dot(emb[i], refCentroid[label[i]]));
      pool.add(new Example(e.id(), e.text(), e.labels(), q));
    }
    int budget = (int) Math.max(1, Math.round(settings.fraction() * pool.size()));

    LabelGraph graph = LabelGraph.fromEmbeddings(cats, embedder);
    double[][] p = graph.propagation();
    int edges = 0;
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        edges += p[a][b] > 0 ? 1 : 0;
      }
    }
    Mig mig = Mig.create(graph, Mig.Settings.defaults());
    Eval eval = new Eval(emb, label, poolIdx, test, k, pool, mig);

    List<Row> rows = new ArrayList<>();
    for (Mig.Greedy g : Mig.Greedy.values()) {
      long s0 = System.nanoTime();
      int[] sel = mig.withGreedy(g).select(pool, budget).order();
      double secs = (System.nanoTime() - s0) / 1e9;
      rows.add(eval.row(g == Mig.Greedy.FIRST_ORDER ? "MIG (first-order, reference)" : "MIG (exact gain)", List.of(sel), secs));
    }
    List<int[]> randoms = new ArrayList<>();
    long s0 = System.nanoTime();
    for (int r = 0; r < settings.randomSeeds(); r++) {
      Rng rng = Rng.stream(settings.seed(), 1 + r);
      int[] perm = new int[pool.size()];
      Arrays.setAll(perm, i -> i);
      for (int i = 0; i < budget; i++) {
        int j = i + rng.nextInt(perm.length - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      randoms.add(Arrays.copyOf(perm, budget));
    }
    rows.add(eval.row("random (" + settings.randomSeeds() + " seeds)", randoms,
        (System.nanoTime() - s0) / 1e9 / settings.randomSeeds()));
    s0 = System.nanoTime();
    Integer[] byQuality = new Integer[pool.size()];
    Arrays.setAll(byQuality, i -> i);
    Arrays.sort(byQuality, (a, b) -> pool.get(a).quality() != pool.get(b).quality()
        ? Double.compare(pool.get(b).quality(), pool.get(a).quality()) : a - b);
    int[] top = Arrays.stream(byQuality).limit(budget).mapToInt(Integer::intValue).toArray();
    rows.add(eval.row("top quality", List.of(top), (System.nanoTime() - s0) / 1e9));
    int[] everything = new int[pool.size()];
    Arrays.setAll(everything, i -> i);
    rows.add(eval.row("whole pool (" + pool.size() + ")", List.<int[]>of(everything), 0));
    return new Result(settings, all.size(), pool.size(), test.size(), budget, k, edges, embedSeconds, rows);
  }

  /** Measures of subsets of the pool (indices into the pool). */
  private record Eval(double[][] emb, int[] label, List<Integer> poolIdx, List<Integer> test, int k,
      List<Example> pool, Mig mig) {

    Row row(String method, List<int[]> selections, double seconds) {
      int m = selections.size();
      double[][] v = new double[m][];
      for (int s = 0; s < m; s++) {
        v[s] = measures(selections.get(s));
      }
      double[] mean = new double[v[0].length];
      double[] sd = new double[v[0].length];
      for (int j = 0; j < mean.length; j++) {
        for (double[] x : v) {
          mean[j] += x[j] / m;
        }
        for (double[] x : v) {
          sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
        }
        sd[j] = m > 1 ? Math.sqrt(sd[j] / (m - 1)) : Double.NaN;
      }
      return new Row(method, mean[0], sd[0], mean[1], mean[2], mean[3], mean[4], mean[5], sd[5], mean[6], sd[6], seconds);
    }

    /** Phi, categories covered, entropy, mean pairwise distance, mean quality, accuracy, balanced accuracy. */
    double[] measures(int[] sel) {
      double info = mig.information(pool, sel);
      int[] counts = new int[k];
      double quality = 0;
      List<Integer> global = new ArrayList<>();
      for (int i : sel) {
        int g = poolIdx.get(i);
        global.add(g);
        counts[label[g]]++;
        quality += pool.get(i).quality() / sel.length;
      }
      int covered = 0;
      double entropy = 0;
      for (int c : counts) {
        if (c > 0) {
          covered++;
          double f = (double) c / sel.length;
          entropy -= f * Math.log(f) / Math.log(2);
        }
      }
      double[] sum = new double[emb[0].length];
      for (int g : global) {
        for (int d = 0; d < sum.length; d++) {
          sum[d] += emb[g][d];
        }
      }
      int n = sel.length;
      // mean over pairs i != j of 1 - cos = 1 - (|sum|^2 - n) / (n (n - 1)) for unit vectors
      double diversity = n < 2 ? 0 : 1 - (dot(sum, sum) - n) / ((double) n * (n - 1));
      double[][] cent = centroids(emb, label, global, k);
      int correct = 0;
      int[] perClass = new int[k];
      int[] perClassCorrect = new int[k];
      for (int t : test) {
        int best = -1;
        double bestCos = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          if (cent[c] != null) {
            double cos = dot(emb[t], cent[c]);
            if (cos > bestCos) {
              bestCos = cos;
              best = c;
            }
          }
        }
        perClass[label[t]]++;
        if (best == label[t]) {
          correct++;
          perClassCorrect[label[t]]++;
        }
      }
      double balanced = 0;
      int classes = 0;
      for (int c = 0; c < k; c++) {
        if (perClass[c] > 0) {
          balanced += (double) perClassCorrect[c] / perClass[c];
          classes++;
        }
      }
      return new double[] {info, covered, entropy, diversity, quality, (double) correct / test.size(), balanced / classes};
    }
  }

  /** Normalised mean embedding per category over {@code members}; null for a category without one. */
  private static double[][] centroids(double[][] emb, int[] label, List<Integer> members, int k) {
    double[][] c = new double[k][];
    for (int i : members) {
      if (c[label[i]] == null) {
        c[label[i]] = new double[emb[i].length];
      }
      for (int d = 0; d < emb[i].length; d++) {
        c[label[i]][d] += emb[i][d];
      }
    }
    for (double[] v : c) {
      if (v != null) {
        double norm = Math.sqrt(dot(v, v));
        for (int d = 0; d < v.length; d++) {
          v[d] /= norm;
        }
      }
    }
    return c;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
