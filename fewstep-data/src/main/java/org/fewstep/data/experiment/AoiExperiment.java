package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Vectors;
import org.fewstep.data.embed.Embedder;
import org.fewstep.data.select.AddOneIn;
import org.fewstep.data.select.EmbeddingChooser;
import org.fewstep.data.select.Example;

/**
 * Add-One-In (Li et al., EMNLP 2025; discrete-and-data.md section 8) with the {@link EmbeddingChooser}
 * against uniform random selection at equal budgets, on a synthetic pool: unit vectors in
 * {@code dimension} dimensions around {@code clusters} random centres, cluster sizes falling by half from
 * one cluster to the next (for 2 000 items: 1 001, 500, 250, ..., 2), and a quality score per item drawn
 * uniformly from [0, 1] independently of its cluster. At each checkpoint (a fraction of the pool) both
 * selections are measured: clusters covered, the entropy of the selected cluster histogram divided by
 * ln(clusters), mean quality, and the facility-location value (1/n) sum over the pool of the largest cosine
 * to a selected item; for Add-One-In also the chooser calls per item added after the seed set. Means and
 * standard deviations over the seeds; seed s draws the pool from {@code Rng.stream(s, 0)}, the random
 * selection from {@code Rng.stream(s, 1)} and runs Add-One-In with seed s.
 */
public final class AoiExperiment {
  private AoiExperiment() {}

  /** Pool shape, cluster spread (noise scale around the unit centre), budget, windows, checkpoints, seeds. */
  public record Settings(int poolSize, int clusters, int dimension, double noise, int budget, int aWs, int bWs,
      List<Double> checkpoints, List<Long> seeds) {
    public Settings {
      BadInputException.requireAtLeast("pool size", poolSize, 2);
      BadInputException.requireAtLeast("clusters", clusters, 1);
      BadInputException.requireAtLeast("dimension", dimension, 1);
      BadInputException.requirePositive("noise", noise);
      checkpoints = List.copyOf(checkpoints);
      seeds = List.copyOf(seeds);
      if (seeds.isEmpty()) {
        throw BadInputException.of("seeds", "[]", "at least one seed");
      }
      new AddOneIn.Settings(aWs, bWs, checkpoints, 1, 0); // validates windows and fractions
      if (budget > poolSize || budget < aWs) {
        throw BadInputException.of("budget", budget, "between a_ws = " + aWs + " and the pool size " + poolSize);
      }
    }

    /** The full run: 2 000 items, 10 clusters in 16 dimensions, budget 50 %, windows 10, 5 seeds. */
    public static Settings defaults() {
      return new Settings(2000, 10, 16, 0.5, 1000, 10, 10, AddOneIn.Settings.DEFAULT_CHECKPOINTS,
          List.of(1L, 2L, 3L, 4L, 5L));
    }
  }

  /** One method at one checkpoint: means and standard deviations over the seeds. */
  public record Row(String method, double fraction, int size, double coverage, double coverageSd, double entropy,
      double entropySd, double quality, double qualitySd, double facility, double facilitySd, double callsPerItem) {}

  /** The rows, Add-One-In and random alternating per checkpoint. */
  public record Result(Settings settings, List<Row> rows) {
    public Result {
      rows = List.copyOf(rows);
    }

    /** The row of {@code method} ("add-one-in" or "random") at {@code fraction}. */
    public Row row(String method, double fraction) {
      return rows.stream().filter(r -> r.method().equals(method) && r.fraction() == fraction).findFirst()
          .orElseThrow(() -> BadInputException.of("row", method + " at " + fraction, "a method and checkpoint of the run"));
    }

    public String markdown() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "Add-One-In (embedding chooser, windows %d/%d) vs random; pool %d in %d "
          + "clusters (sizes halving), %d seeds, mean ± sd%n%n", settings.aWs(), settings.bWs(), settings.poolSize(),
          settings.clusters(), settings.seeds().size()));
      out.append("| method | % of pool | items | clusters covered | cluster entropy / ln K | mean quality "
          + "| facility location | chooser calls / item |\n");
      out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Row r : rows) {
        out.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %.1f ± %.1f | %.3f ± %.3f | %.3f ± %.3f | %.4f ± %.4f | %s |%n",
            r.method(), 100 * r.fraction(), r.size(), r.coverage(), r.coverageSd(), r.entropy(), r.entropySd(),
            r.quality(), r.qualitySd(), r.facility(), r.facilitySd(),
            Double.isNaN(r.callsPerItem()) ? "-" : String.format(Locale.ROOT, "%.2f", r.callsPerItem())));
      }
      return out.toString();
    }

    public String csv() {
      StringBuilder out = new StringBuilder("method,fraction,items,coverage,coverage_sd,entropy,entropy_sd,quality,"
          + "quality_sd,facility,facility_sd,calls_per_item\n");
      for (Row r : rows) {
        out.append(String.format(Locale.ROOT, "%s,%.2f,%d,%.4f,%.4f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%s%n", r.method(),
            r.fraction(), r.size(), r.coverage(), r.coverageSd(), r.entropy(), r.entropySd(), r.quality(), r.qualitySd(),
            r.facility(), r.facilitySd(), Double.isNaN(r.callsPerItem()) ? "" : String.format(Locale.ROOT, "%.4f", r.callsPerItem())));
      }
      return out.toString();
    }
  }

  /** The synthetic pool of one seed: vectors, cluster of each item, and the examples (text "item-i"). */
  record Pool(double[][] vectors, int[] cluster, List<Example> examples) {}

  static Pool pool(Settings s, long seed) {
    Rng rng = Rng.stream(seed, 0);
    int n = s.poolSize();
    int k = s.clusters();
    int d = s.dimension();
    double[][] centres = new double[k][];
    for (int c = 0; c < k; c++) {
      centres[c] = new double[d];
      rng.fillGaussian(centres[c]);
      normalize(centres[c]);
    }
    int[] sizes = halvingSizes(n, k);
    double[][] x = new double[n][];
    int[] cluster = new int[n];
    List<Example> examples = new ArrayList<>(n);
    int i = 0;
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < sizes[c]; j++, i++) {
        double[] v = new double[d];
        rng.fillGaussian(v);
        for (int t = 0; t < d; t++) {
          v[t] = centres[c][t] + s.noise() * v[t] / Math.sqrt(d);
        }
        normalize(v);
        x[i] = v;
        cluster[i] = c;
        examples.add(new Example("item-" + i, "item-" + i, List.of("cluster-" + c), rng.nextDouble()));
      }
    }
    return new Pool(x, cluster, examples);
  }

  /** Sizes proportional to 2^-c, c = 0..k-1, split by largest remainders (ties to the larger cluster). */
  static int[] halvingSizes(int n, int k) {
    double[] w = new double[k];
    double total = 0;
    for (int c = 0; c < k; c++) {
      w[c] = Math.pow(0.5, c);
      total += w[c];
    }
    int[] sizes = new int[k];
    double[] rem = new double[k];
    int assigned = 0;
    for (int c = 0; c < k; c++) {
      double share = n * w[c] / total;
      sizes[c] = (int) Math.floor(share);
      rem[c] = share - sizes[c];
      assigned += sizes[c];
    }
    while (assigned < n) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (rem[c] > rem[best]) {
          best = c;
        }
      }
      sizes[best]++;
      rem[best] = -1;
      assigned++;
    }
    return sizes;
  }

  /** Runs both methods on every seed. */
  public static Result run(Settings s) {
    int m = s.checkpoints().size();
    Map<String, double[][][]> stats = new HashMap<>(); // method -> [checkpoint][metric][seed]
    for (String method : List.of("add-one-in", "random")) {
      stats.put(method, new double[m][5][s.seeds().size()]);
    }
    int[] sizes = new int[m];
    for (int si = 0; si < s.seeds().size(); si++) {
      long seed = s.seeds().get(si);
      Pool pool = pool(s, seed);
      Embedder embedder = new VectorEmbedder(pool.vectors());
      AddOneIn.Result aoi = AddOneIn.select(pool.examples(), s.budget(), new EmbeddingChooser(embedder),
          new AddOneIn.Settings(s.aWs(), s.bWs(), s.checkpoints(), AddOneIn.Settings.DEFAULT_MAX_CONSECUTIVE_INVALID, seed));
      int[] aoiOrder = aoi.selected().stream().mapToInt(id -> Integer.parseInt(id.substring(5))).toArray();
      int[] randomOrder = randomOrder(s.poolSize(), s.budget(), Rng.stream(seed, 1));
      for (int c = 0; c < m; c++) {
        sizes[c] = (int) Math.floor(s.checkpoints().get(c) * s.poolSize());
        int reachedCalls = -1;
        for (AddOneIn.Checkpoint cp : aoi.checkpoints()) {
          if (cp.fraction() == s.checkpoints().get(c)) {
            reachedCalls = cp.chooserCalls();
          }
        }
        if (sizes[c] < 1 || sizes[c] > s.budget()) {
          throw BadInputException.of("checkpoint fraction", s.checkpoints().get(c),
              "a fraction whose floor(fraction * pool) is between 1 and the budget " + s.budget());
        }
        int added = sizes[c] - s.aWs();
        measure(stats.get("add-one-in")[c], si, pool, aoiOrder, sizes[c], s.clusters(),
            added > 0 ? reachedCalls / (double) added : Double.NaN);
        measure(stats.get("random")[c], si, pool, randomOrder, sizes[c], s.clusters(), Double.NaN);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < m; c++) {
      for (String method : List.of("add-one-in", "random")) {
        double[][] v = stats.get(method)[c];
        rows.add(new Row(method, s.checkpoints().get(c), sizes[c], Vectors.mean(v[0]), Vectors.sampleSd(v[0]),
            Vectors.mean(v[1]), Vectors.sampleSd(v[1]), Vectors.mean(v[2]), Vectors.sampleSd(v[2]), Vectors.mean(v[3]),
            Vectors.sampleSd(v[3]), Vectors.mean(v[4])));
      }
    }
    return new Result(s, rows);
  }

  private static int[] randomOrder(int n, int budget, Rng rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = 0; i < budget; i++) {
      int j = i + rng.nextInt(n - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return java.util.Arrays.copyOf(a, budget);
  }

  private static void measure(double[][] out, int seed, Pool pool, int[] order, int size, int clusters, double calls) {
    int[] hist = new int[clusters];
    double quality = 0;
    for (int i = 0; i < size; i++) {
      hist[pool.cluster()[order[i]]]++;
      quality += pool.examples().get(order[i]).quality();
    }
    int covered = 0;
    double entropy = 0;
    for (int h : hist) {
      if (h > 0) {
        covered++;
        double p = h / (double) size;
        entropy -= p * Math.log(p);
      }
    }
    out[0][seed] = covered;
    out[1][seed] = clusters > 1 ? entropy / Math.log(clusters) : 0;
    out[2][seed] = quality / size;
    out[3][seed] = facilityLocation(pool.vectors(), order, size);
    out[4][seed] = calls;
  }

  /** (1/n) sum over the pool of the largest cosine to the first {@code size} items of {@code order}. */
  static double facilityLocation(double[][] x, int[] order, int size) {
    double total = 0;
    for (double[] v : x) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < size; i++) {
        best = Math.max(best, dot(v, x[order[i]]));
      }
      total += best;
    }
    return total / x.length;
  }



  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void normalize(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
  }

  /** The embedder of the synthetic pool: text "item-i" is vector i. */
  record VectorEmbedder(double[][] vectors) implements Embedder {
    @Override
    public String name() {
      return "synthetic";
    }

    @Override
    public int dimension() {
      return vectors[0].length;
    }

    @Override
    public double[][] embed(List<String> texts) {
      return texts.stream().map(t -> vectors[Integer.parseInt(t.substring(5))].clone()).toArray(double[][]::new);
    }
  }
}
