package org.fewstep.data.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.data.embed.Embedder;

/**
 * MIG's label graph and its propagation matrix (Chen et al., "MIG: Automatic Data Selection for
 * Instruction Tuning by Maximizing Information Gain in Semantic Space", ACL 2025 Findings, section 3;
 * reference {@code mig/label.py::SimLabelGraph}; discrete-and-data.md 7(b) steps 2-3).
 *
 * <p>Nodes are labels. The edge weight is the cosine similarity {@code W_kl} of two labels when it is at
 * least {@code simThreshold} (default 0.9) and 0 otherwise; the diagonal is 1. Off-diagonal weights are
 * multiplied by {@code propWeight} (default 1.0) and every <em>column</em> is normalised to sum 1:
 * {@code P_kl = W'_kl / sum_k' W'_k'l}. A sample's label vector {@code v} (a row) spreads its mass to
 * neighbouring labels as {@code v P}. Rows of {@code P} are stored sparsely. The reference gets its diagonal
 * as {@code cos(e_k, e_k)}, 1 up to float32 rounding; here it is exactly 1. {@link #labelsOf} orders a pool's
 * labels as the reference does (sorted).
 */
public final class LabelGraph {
  /** The reference's similarity threshold. */
  public static final double DEFAULT_SIM_THRESHOLD = 0.9;
  /** The reference's weight of off-diagonal edges. */
  public static final double DEFAULT_PROP_WEIGHT = 1.0;

  private final List<String> labels;
  private final Map<String, Integer> index;
  private final int[][] rowColumns;
  private final double[][] rowValues;

  private LabelGraph(List<String> labels, int[][] rowColumns, double[][] rowValues) {
    this.labels = List.copyOf(labels);
    this.index = new HashMap<>();
    for (int k = 0; k < labels.size(); k++) {
      index.put(labels.get(k), k);
    }
    this.rowColumns = rowColumns;
    this.rowValues = rowValues;
  }

  /** The graph with no edges: {@code P} is the identity, every label keeps its own mass. */
  public static LabelGraph identity(List<String> labels) {
    int n = checkLabels(labels);
    double[][] sim = new double[n][n];
    for (int k = 0; k < n; k++) {
      sim[k][k] = 1;
    }
    return fromSimilarity(labels, sim, DEFAULT_SIM_THRESHOLD, DEFAULT_PROP_WEIGHT);
  }

  /** The graph of the labels' embeddings by {@code embedder}, with the reference's defaults. */
  public static LabelGraph fromEmbeddings(List<String> labels, Embedder embedder) {
    return fromEmbeddings(labels, embedder, DEFAULT_SIM_THRESHOLD, DEFAULT_PROP_WEIGHT);
  }

  /** The graph of the labels' embeddings (cosine of the unit vectors {@code embedder} gives). */
  public static LabelGraph fromEmbeddings(List<String> labels, Embedder embedder, double simThreshold, double propWeight) {
    int n = checkLabels(labels);
    Objects.requireNonNull(embedder, "embedder");
    double[][] e = embedder.embed(labels);
    if (e.length != n) {
      throw BadInputException.of("embeddings from " + embedder.name(), e.length + " vectors", n + " (one per label)");
    }
    double[][] sim = new double[n][n];
    for (int k = 0; k < n; k++) {
      for (int l = k; l < n; l++) {
        double c = 0;
        for (int d = 0; d < e[k].length; d++) {
          c += e[k][d] * e[l][d];
        }
        sim[k][l] = c;
        sim[l][k] = c;
      }
    }
    return fromSimilarity(labels, sim, simThreshold, propWeight);
  }

  /**
   * The graph of a given symmetric-or-not similarity matrix {@code sim[k][l]} (its diagonal is ignored
   * and taken as 1).
   *
   * @param simThreshold an edge joins k and l when {@code sim[k][l] >= simThreshold}
   * @param propWeight   the factor on every off-diagonal edge weight, {@code >= 0}
   */
  public static LabelGraph fromSimilarity(List<String> labels, double[][] sim, double simThreshold, double propWeight) {
    int n = checkLabels(labels);
    BadInputException.requireFinite("simThreshold", simThreshold);
    if (!(propWeight >= 0) || !Double.isFinite(propWeight)) {
      throw BadInputException.of("propWeight", propWeight, "a finite weight >= 0");
    }
    if (sim.length != n) {
      throw BadInputException.of("similarity rows", sim.length, n + " (one per label)");
    }
    double[][] w = new double[n][n];
    for (int k = 0; k < n; k++) {
      if (sim[k].length != n) {
        throw BadInputException.of("similarity row " + k + " length", sim[k].length, n + " (one per label)");
      }
      for (int l = 0; l < n; l++) {
        double s = sim[k][l];
        if (k != l && Double.isNaN(s)) {
          throw BadInputException.of("similarity[" + k + "][" + l + "]", s, "a number");
        }
        w[k][l] = k == l ? 1 : s >= simThreshold ? s * propWeight : 0;
      }
    }
    double[] column = new double[n];
    for (int k = 0; k < n; k++) {
      for (int l = 0; l < n; l++) {
        column[l] += w[k][l];
      }
    }
    int[][] cols = new int[n][];
    double[][] vals = new double[n][];
    for (int k = 0; k < n; k++) {
      int nnz = 0;
      for (int l = 0; l < n; l++) {
        if (w[k][l] != 0) {
          nnz++;
        }
      }
      cols[k] = new int[nnz];
      vals[k] = new double[nnz];
      for (int l = 0, j = 0; l < n; l++) {
        if (w[k][l] != 0) {
          cols[k][j] = l;
          vals[k][j++] = w[k][l] / column[l];
        }
      }
    }
    return new LabelGraph(labels, cols, vals);
  }

  /** The distinct labels of {@code pool}, sorted (the reference's node order). */
  public static List<String> labelsOf(List<Example> pool) {
    return pool.stream().flatMap(e -> e.labels().stream()).distinct().sorted().toList();
  }

  private static int checkLabels(List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      throw BadInputException.of("labels", labels, "at least one label");
    }
    if (labels.stream().distinct().count() != labels.size()) {
      throw BadInputException.of("labels", labels, "distinct labels");
    }
    return labels.size();
  }

  /** The labels, in node order. */
  public List<String> labels() {
    return labels;
  }

  /** Number of labels. */
  public int size() {
    return labels.size();
  }

  /** The node of {@code label}, or -1. */
  public int indexOf(String label) {
    return index.getOrDefault(label, -1);
  }

  /** The propagation matrix {@code P} as a dense array (for tests and small graphs). */
  public double[][] propagation() {
    int n = size();
    double[][] p = new double[n][n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < rowColumns[k].length; j++) {
        p[k][rowColumns[k][j]] = rowValues[k][j];
      }
    }
    return p;
  }

  /**
   * {@code v P} for the sparse row vector with value {@code values[j]} at label {@code nodes[j]}; the
   * result is sparse, with its labels in increasing order.
   */
  public SparseVector propagate(int[] nodes, double[] values) {
    Map<Integer, Double> acc = new java.util.TreeMap<>();
    for (int j = 0; j < nodes.length; j++) {
      int k = nodes[j];
      for (int t = 0; t < rowColumns[k].length; t++) {
        acc.merge(rowColumns[k][t], values[j] * rowValues[k][t], Double::sum);
      }
    }
    List<Integer> keys = new ArrayList<>(acc.keySet());
    int[] idx = new int[keys.size()];
    double[] val = new double[keys.size()];
    for (int j = 0; j < idx.length; j++) {
      idx[j] = keys.get(j);
      val[j] = acc.get(idx[j]);
    }
    return new SparseVector(idx, val);
  }

  /** A sparse vector over the labels: {@code values[j]} at label {@code indices[j]}, indices increasing. */
  public record SparseVector(int[] indices, double[] values) {
    /** The sum of the entries. */
    public double sum() {
      double s = 0;
      for (double v : values) {
        s += v;
      }
      return s;
    }

    /** The dense vector of length {@code n}. */
    public double[] dense(int n) {
      double[] out = new double[n];
      for (int j = 0; j < indices.length; j++) {
        out[indices[j]] = values[j];
      }
      return out;
    }
  }
}
