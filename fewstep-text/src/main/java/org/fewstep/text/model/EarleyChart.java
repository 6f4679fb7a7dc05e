package org.fewstep.text.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chart of Stolcke's (1995) probabilistic Earley parser over a prefix: one column of items per
 * position, each item {@code (dotted rule, start)} with a forward probability alpha and an inner
 * probability gamma. Prediction closes over left corners with {@code R_L} and completion over unit
 * chains with {@code R_U}, so left recursion and unit cycles cost one step each.
 *
 * <p>Scaling: alpha and gamma are divided by {@code P(token | prefix)} at every scan, so a column's
 * alphas are {@code alpha / P(prefix)} and the next-token probabilities are plain sums of alphas:
 * {@code P(w | prefix) = sum alpha} over the items that expect terminal w (the prefix probability of
 * {@code prefix w} over that of the prefix), and {@code P(end | prefix)} is the alpha of the
 * complete root item (the sentence probability over the prefix probability). Long inputs neither
 * underflow nor lose precision. Columns are immutable once built, so copies share them.
 */
final class EarleyChart {
  private final EarleyGrammar grammar;
  private Column[] columns;
  private int size;

  EarleyChart(EarleyGrammar grammar) {
    this.grammar = grammar;
    this.columns = new Column[16];
    Column start = new Column(grammar);
    if (grammar.root >= 0) {
      double p = grammar.probability[grammar.root];
      start.add(grammar.first[grammar.root], 0, p, p, null);
    }
    predict(start, 0);
    this.columns[0] = start.finish(grammar.emptyProbability);
    this.size = 1;
  }

  private EarleyChart(EarleyChart other) {
    this.grammar = other.grammar;
    this.columns = Arrays.copyOf(other.columns, Math.max(16, other.size));
    this.size = other.size;
  }

  /** A copy that shares the (immutable) columns. */
  EarleyChart copy() {
    return new EarleyChart(this);
  }

  /** Writes {@code P(token | prefix)} of every token (terminals, then the end token) into {@code out}. */
  void probabilities(double[] out) {
    System.arraycopy(columns[size - 1].probabilities, 0, out, 0, out.length);
  }

  double probability(int token) {
    return columns[size - 1].probabilities[token];
  }

  /** Consumes {@code token} (of positive probability; the end token closes the chart). */
  void push(int token) {
    if (size == columns.length) {
      columns = Arrays.copyOf(columns, 2 * size);
    }
    columns[size] = token == grammar.terminals ? null : scan(token);
    size++;
  }

  /** Keeps the columns of the first {@code tokens} tokens. */
  void truncate(int tokens) {
    size = tokens + 1;
  }

  private Column scan(int token) {
    Column previous = columns[size - 1];
    int here = size;
    double scale = previous.probabilities[token];
    Column column = new Column(grammar);
    TreeMap<Integer, List<Integer>> complete = new TreeMap<>();
    for (int k : previous.waiting.getOrDefault(~token, new int[0])) {
      column.add(previous.dotted[k] + 1, previous.start[k], previous.alpha[k] / scale, previous.gamma[k] / scale,
          complete);
    }
    complete(column, complete);
    predict(column, here);
    int rootDone = grammar.root < 0 ? -1 : column.find(grammar.first[grammar.root] + 1, 0);
    return column.finish(rootDone < 0 ? 0 : column.alpha[rootDone]);
  }

  /**
   * Completion with R_U: for the complete items of non-unit rules that start at j,
   * {@code reach(Z) = sum_Y R_U(Z, Y) gamma(Y)}, and every item of column j that waits for Z advances
   * with {@code alpha * reach(Z)} and {@code gamma * reach(Z)}. Complete items that start at j only
   * create complete items that start earlier, so j goes from the last position down.
   */
  private void complete(Column column, TreeMap<Integer, List<Integer>> pending) {
    int n = grammar.nonterminals;
    double[] inner = new double[n];
    double[] reach = new double[n];
    while (!pending.isEmpty()) {
      Map.Entry<Integer, List<Integer>> bucket = pending.pollLastEntry();
      Column from = columns[bucket.getKey()];
      List<Integer> touched = new ArrayList<>();
      for (int item : bucket.getValue()) {
        int y = grammar.lhs[grammar.ruleOf[column.dotted[item]]];
        if (inner[y] == 0) {
          touched.add(y);
        }
        inner[y] += column.gamma[item];
      }
      List<Integer> reached = new ArrayList<>();
      for (int y : touched) {
        int[] parents = grammar.unitParents[y];
        for (int i = 0; i < parents.length; i++) {
          if (reach[parents[i]] == 0) {
            reached.add(parents[i]);
          }
          reach[parents[i]] += grammar.unitParentWeights[y][i] * inner[y];
        }
        inner[y] = 0;
      }
      for (int z : reached) {
        for (int w : from.waiting.getOrDefault(z, new int[0])) {
          column.add(from.dotted[w] + 1, from.start[w], from.alpha[w] * reach[z], from.gamma[w] * reach[z], pending);
        }
        reach[z] = 0;
      }
    }
  }

  /**
   * Prediction with R_L: the items that were scanned or completed into the column
   * (and the root) and wait for Z seed {@code sum alpha}; every non-unit rule {@code Y -> nu} is
   * predicted with {@code alpha = sum_Z seed(Z) R_L(Z, Y) P(Y -> nu)} and {@code gamma = P(Y -> nu)}.
   */
  private void predict(Column column, int here) {
    int n = grammar.nonterminals;
    double[] seed = new double[n];
    for (int i = 0; i < column.size; i++) {
      int d = column.dotted[i];
      int rule = grammar.ruleOf[d];
      if (grammar.next[d] >= 0 && (d != grammar.first[rule] || rule == grammar.root)) {
        seed[grammar.next[d]] += column.alpha[i];
      }
    }
    double[] predicted = new double[n];
    for (int z = 0; z < n; z++) {
      if (seed[z] != 0) {
        int[] corners = grammar.leftCorners[z];
        for (int i = 0; i < corners.length; i++) {
          predicted[corners[i]] += seed[z] * grammar.leftCornerWeights[z][i];
        }
      }
    }
    for (int y = 0; y < n; y++) {
      if (predicted[y] != 0) {
        for (int rule : grammar.rulesOf[y]) {
          double p = grammar.probability[rule];
          column.add(grammar.first[rule], here, predicted[y] * p, p, null);
        }
      }
    }
  }

  /** The items of one position; built by {@code add}, then frozen by {@code finish}. */
  private static final class Column {
    private final EarleyGrammar grammar;
    private int size;
    private int[] dotted = new int[16];
    private int[] start = new int[16];
    private double[] alpha = new double[16];
    private double[] gamma = new double[16];
    private Map<Long, Integer> index = new HashMap<>();
    /** After {@code finish}: the items that expect each symbol. */
    private Map<Integer, int[]> waiting;
    /** After {@code finish}: {@code P(token | prefix)} per token id. */
    private double[] probabilities;

    Column(EarleyGrammar grammar) {
      this.grammar = grammar;
    }

    private long key(int d, int from) {
      return (long) from * grammar.next.length + d;
    }

    int find(int d, int from) {
      return index.getOrDefault(key(d, from), -1);
    }

    /**
     * Adds to item {@code (d, from)}, creating it if new; a new complete item of a (non-root)
     * rule joins {@code pending} under its start.
     */
    void add(int d, int from, double a, double g, TreeMap<Integer, List<Integer>> pending) {
      int i = find(d, from);
      if (i >= 0) {
        alpha[i] += a;
        gamma[i] += g;
        return;
      }
      if (size == dotted.length) {
        dotted = Arrays.copyOf(dotted, 2 * size);
        start = Arrays.copyOf(start, 2 * size);
        alpha = Arrays.copyOf(alpha, 2 * size);
        gamma = Arrays.copyOf(gamma, 2 * size);
      }
      dotted[size] = d;
      start[size] = from;
      alpha[size] = a;
      gamma[size] = g;
      index.put(key(d, from), size);
      if (grammar.next[d] == EarleyGrammar.COMPLETE && grammar.ruleOf[d] != grammar.root) {
        pending.computeIfAbsent(from, k -> new ArrayList<>()).add(size);
      }
      size++;
    }

    /** Groups the items by the symbol they expect and normalizes the next-token distribution. */
    Column finish(double endMass) {
      Map<Integer, List<Integer>> groups = new HashMap<>();
      probabilities = new double[grammar.terminals + 1];
      double total = endMass;
      for (int i = 0; i < size; i++) {
        int symbol = grammar.next[dotted[i]];
        if (symbol != EarleyGrammar.COMPLETE) {
          groups.computeIfAbsent(symbol, k -> new ArrayList<>()).add(i);
          if (symbol < 0) {
            probabilities[~symbol] += alpha[i];
            total += alpha[i];
          }
        }
      }
      probabilities[grammar.terminals] = endMass;
      for (int t = 0; t < probabilities.length; t++) {
        probabilities[t] /= total;
      }
      waiting = new HashMap<>();
      groups.forEach((symbol, items) -> waiting.put(symbol, items.stream().mapToInt(Integer::intValue).toArray()));
      index = null;
      return this;
    }
  }
}
