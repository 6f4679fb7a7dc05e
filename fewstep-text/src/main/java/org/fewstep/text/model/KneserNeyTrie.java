package org.fewstep.text.model;

import java.util.Arrays;
import org.fewstep.text.Vocabulary;

/**
 * An interpolated Kneser-Ney model packed into primitive arrays (compressed sparse rows). Its nodes
 * are the contexts seen in training, arranged as a trie read backwards: the root is the empty
 * context and the child of context h by token v is the context v h, one token further back. Node n
 * keeps its continuations w (sorted), their counts at order |h| + 1 (raw counts at the highest
 * order, continuation counts N1+(. h w) below it, raw counts for n-grams that begin with BOS), the
 * discounted weight alpha(w|h) = (c(h w) - D(c(h w))) / c(h .) and the back-off weight
 * gamma(h) = (D1 N1(h .) + D2 N2(h .) + D3+ N3+(h .)) / c(h .). Then
 * p(w|h) = alpha(w|h) + gamma(h) p(w|h') with h' = h without its oldest token, an unseen context
 * backs off entirely, and the empty context interpolates with the uniform distribution over the used ids.
 *
 * <p>An n-gram is handled as a key: its context from the most recent token back, then its last
 * token, so that keys in lexicographic order list the contexts in the trie's breadth-first order.
 */
final class KneserNeyTrie {
  /** The begin-of-sequence marker that pads contexts; never a vocabulary id. */
  static final int BOS = -1;

  final int order;
  private final double[][] discounts;
  /** Node n > 0 is child entry n - 1; a node's children are the entries childStart[n] .. childStart[n+1]. */
  private final int[] childStart;
  private final int[] childToken;
  private final int[] contStart;
  private final int[] contToken;
  private final int[] contCount;
  private final double[] contAlpha;
  private final double[] gamma;
  /** The dense lowest level: unigram Kneser-Ney interpolated with uniform, and its log (-inf for unused ids). */
  private final double[] p1;
  private final double[] logP1;

  /**
   * Builds the model from its highest-order n-grams: {@code rows} distinct keys of width
   * {@code order} in {@code keys}, in increasing order, with their counts ({@code >= 1}). The lower
   * orders are derived here, so a model trained from a corpus and one read from a file are built by
   * the same code.
   */
  KneserNeyTrie(int order, int[] keys, int[] counts, int rows, Vocabulary vocabulary, Discount discount) {
    this.order = order;
    int radix = vocabulary.size() + 1;
    int[][] levelKeys = new int[order + 1][];
    int[][] levelCounts = new int[order + 1][];
    int[] levelRows = new int[order + 1];
    levelKeys[order] = keys;
    levelCounts[order] = counts;
    levelRows[order] = rows;
    for (int k = order; k >= 2; k--) {
      lowerOrder(k, levelKeys, levelCounts, levelRows, radix);
    }
    discounts = new double[order + 1][];
    for (int k = 1; k <= order; k++) {
      long[] n = new long[5];
      for (int r = 0; r < levelRows[k]; r++) {
        int c = levelCounts[k][r];
        if (c <= 4) {
          n[c]++;
        }
      }
      discounts[k] = discount.discounts(n);
    }

    int[] levelStart = new int[order + 1];
    int nodes = 0;
    for (int k = 1; k <= order; k++) {
      levelStart[k - 1] = nodes;
      nodes += groups(levelKeys[k], k, levelRows[k], k - 1);
    }
    levelStart[order] = nodes;
    int entries = 0;
    for (int k = 1; k <= order; k++) {
      entries += levelRows[k];
    }
    childStart = new int[nodes + 1];
    childToken = new int[nodes - 1];
    contStart = new int[nodes + 1];
    contToken = new int[entries];
    contCount = new int[entries];
    contAlpha = new double[entries];
    gamma = new double[nodes];
    int[] firstRow = new int[nodes];
    int[] children = new int[nodes];
    int node = -1;
    int entry = 0;
    for (int k = 1; k <= order; k++) {
      int d = k - 1;
      int[] key = levelKeys[k];
      int parent = d == 0 ? -1 : levelStart[d - 1];
      for (int r = 0; r < levelRows[k]; r++) {
        if (r == 0 || !samePrefix(key, k, r - 1, key, k, r, d)) {
          node++;
          contStart[node] = entry;
          firstRow[node] = r;
          if (d > 0) {
            while (!samePrefix(levelKeys[d], d, firstRow[parent], key, k, r, d - 1)) {
              parent++;
            }
            childToken[node - 1] = key[r * k + d - 1];
            children[parent]++;
          }
        }
        contToken[entry] = key[r * k + d];
        contCount[entry] = levelCounts[k][r];
        entry++;
      }
    }
    contStart[nodes] = entry;
    for (int n = 0; n < nodes; n++) {
      childStart[n + 1] = childStart[n] + children[n];
    }
    for (int k = 1; k <= order; k++) {
      double[] dk = discounts[k];
      for (int n = levelStart[k - 1]; n < levelStart[k]; n++) {
        long total = 0;
        double mass = 0;
        for (int e = contStart[n]; e < contStart[n + 1]; e++) {
          total += contCount[e];
          mass += dk[Math.min(contCount[e], 3) - 1];
        }
        gamma[n] = mass / total;
        for (int e = contStart[n]; e < contStart[n + 1]; e++) {
          contAlpha[e] = (contCount[e] - dk[Math.min(contCount[e], 3) - 1]) / total;
        }
      }
    }

    int size = vocabulary.size();
    p1 = new double[size];
    logP1 = new double[size];
    double uniform = gamma[0] / vocabulary.usedCount();
    for (int w = 0; w < size; w++) {
      p1[w] = vocabulary.isUsed(w) ? uniform : 0;
    }
    for (int e = contStart[0]; e < contStart[1]; e++) {
      p1[contToken[e]] += contAlpha[e];
    }
    for (int w = 0; w < size; w++) {
      logP1[w] = Math.log(p1[w]);
    }
  }

  /**
   * Derives the keys and counts of order k - 1 from those of order k: the (k-1)-gram x2..xk gets the
   * number of distinct x1 before it (its continuation count), or, when it begins with BOS, its raw
   * count, the sum of the counts of its extensions (which all begin with BOS too).
   */
  private static void lowerOrder(int k, int[][] keys, int[][] counts, int[] rows, int radix) {
    int[] columns = new int[k - 1];
    for (int j = 0; j < k - 2; j++) {
      columns[j] = j;
    }
    columns[k - 2] = k - 1;
    int[] sorted = sortedRows(keys[k], k, rows[k], columns, radix);
    int[] lowerKeys = new int[rows[k] * (k - 1)];
    int[] lowerCounts = new int[rows[k]];
    int n = -1;
    int previous = -1;
    for (int r : sorted) {
      if (previous < 0 || !sameColumns(keys[k], k, previous, r, columns)) {
        n++;
        for (int j = 0; j < k - 1; j++) {
          lowerKeys[n * (k - 1) + j] = keys[k][r * k + columns[j]];
        }
      }
      boolean beginsWithBos = k >= 3 && keys[k][r * k + k - 3] == BOS;
      lowerCounts[n] += beginsWithBos ? counts[k][r] : 1;
      previous = r;
    }
    keys[k - 1] = lowerKeys;
    counts[k - 1] = lowerCounts;
    rows[k - 1] = n + 1;
  }

  /**
   * The row indices {@code 0 .. rows-1} of {@code keys} (rows of {@code width} ints, each in
   * [-1, radix - 1)) in lexicographic order of the given columns; a stable least-significant-column
   * radix sort.
   */
  static int[] sortedRows(int[] keys, int width, int rows, int[] columns, int radix) {
    int[] order = new int[rows];
    for (int r = 0; r < rows; r++) {
      order[r] = r;
    }
    int[] next = new int[rows];
    int[] start = new int[radix + 1];
    for (int j = columns.length - 1; j >= 0; j--) {
      int column = columns[j];
      Arrays.fill(start, 0);
      for (int r = 0; r < rows; r++) {
        start[keys[r * width + column] + 2]++;
      }
      for (int b = 1; b <= radix; b++) {
        start[b] += start[b - 1];
      }
      for (int r : order) {
        next[start[keys[r * width + column] + 1]++] = r;
      }
      int[] t = order;
      order = next;
      next = t;
    }
    return order;
  }

  /** Number of distinct prefixes of {@code length} columns among the sorted rows. */
  private static int groups(int[] keys, int width, int rows, int length) {
    int count = 0;
    for (int r = 0; r < rows; r++) {
      if (r == 0 || !samePrefix(keys, width, r - 1, keys, width, r, length)) {
        count++;
      }
    }
    return count;
  }

  private static boolean samePrefix(int[] a, int widthA, int rowA, int[] b, int widthB, int rowB, int length) {
    for (int j = 0; j < length; j++) {
      if (a[rowA * widthA + j] != b[rowB * widthB + j]) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameColumns(int[] keys, int width, int rowA, int rowB, int[] columns) {
    for (int column : columns) {
      if (keys[rowA * width + column] != keys[rowB * width + column]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Finds the trie nodes of the context whose tokens, from the most recent back, are
   * {@code recent[0..order-2]} (BOS where the sequence has not started): {@code path[d]} is the
   * node of the last d tokens. Returns the depth of the longest context seen in training.
   */
  int walk(int[] recent, int[] path) {
    int node = 0;
    path[0] = 0;
    for (int d = 1; d < order; d++) {
      int i = Arrays.binarySearch(childToken, childStart[node], childStart[node + 1], recent[d - 1]);
      if (i < 0) {
        return d - 1;
      }
      node = i + 1;
      path[d] = node;
    }
    return order - 1;
  }

  /** p(w | context), by the recursion p = alpha + gamma p' from the empty context up. */
  double probability(int[] path, int depth, int w) {
    double p = p1[w];
    for (int d = 1; d <= depth; d++) {
      int n = path[d];
      int e = Arrays.binarySearch(contToken, contStart[n], contStart[n + 1], w);
      p = (e >= 0 ? contAlpha[e] : 0) + gamma[n] * p;
    }
    return p;
  }

  /**
   * Writes log p(w | context) for every w. Expanding the recursion, p(w|h) = G p1(w) + sum_d W_d
   * alpha_d(w) with W_d the product of the gammas of the contexts longer than d and G = W_0; the
   * continuations of a context are a subset of those of its suffix, so every sparse term lies in
   * the continuations of the one-token context. One dense pass writes log G + log p1(w), then the
   * entries of that one list are overwritten with the log of the full sum. {@code weights} is
   * scratch of length {@code order}.
   */
  void logProbabilities(int[] path, int depth, double[] out, double[] weights, int[] cursor) {
    weights[depth] = 1;
    for (int d = depth; d >= 1; d--) {
      weights[d - 1] = weights[d] * gamma[path[d]];
    }
    double g = weights[0];
    double logG = Math.log(g);
    for (int w = 0; w < out.length; w++) {
      out[w] = logG + logP1[w];
    }
    if (depth == 0) {
      return;
    }
    for (int d = 2; d <= depth; d++) {
      cursor[d] = contStart[path[d]];
    }
    int first = path[1];
    double w1 = weights[1];
    for (int e = contStart[first]; e < contStart[first + 1]; e++) {
      int w = contToken[e];
      double p = g * p1[w] + w1 * contAlpha[e];
      for (int d = 2; d <= depth; d++) {
        int c = cursor[d];
        if (c < contStart[path[d] + 1] && contToken[c] == w) {
          p += weights[d] * contAlpha[c];
          cursor[d] = c + 1;
        }
      }
      out[w] = Math.log(p);
    }
  }

  /** The discounts {D1, D2, D3+} of order {@code k}. */
  double[] discounts(int k) {
    return discounts[k].clone();
  }

  /** Receives the highest-order n-grams, as keys of width {@code order}, in increasing key order. */
  interface GramSink {
    void accept(int[] key, int count);
  }

  /** Visits the highest-order n-grams and their raw counts in increasing key order. */
  void forEachGram(GramSink sink) {
    visit(0, 0, new int[order], sink);
  }

  private void visit(int node, int depth, int[] key, GramSink sink) {
    if (depth == order - 1) {
      for (int e = contStart[node]; e < contStart[node + 1]; e++) {
        key[depth] = contToken[e];
        sink.accept(key, contCount[e]);
      }
      return;
    }
    for (int i = childStart[node]; i < childStart[node + 1]; i++) {
      key[depth] = childToken[i];
      visit(i + 1, depth + 1, key, sink);
    }
  }

  /** Number of n-grams of every order together (the length of the continuation arrays). */
  int entries() {
    return contToken.length;
  }
}
