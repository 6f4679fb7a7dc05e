package org.fewstep.text.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.LinearSystems;

/**
 * A validated PCFG compiled for Stolcke's (1995) probabilistic Earley parser: an equivalent
 * grammar without empty rules, the rules' dotted positions, and the closures of the left-corner
 * and unit relations, {@code R_L = (I - P_L)^-1} and {@code R_U = (I - P_U)^-1}, stored sparsely.
 *
 * <p>Symbols are ints: a nonterminal is its index {@code >= 0}, terminal {@code t} is {@code ~t}.
 * Empty rules are removed exactly (the probabilistic form of the textbook construction): with
 * {@code e(X) = P(X =>* empty)}, the least solution of {@code e(X) = sum_rules p prod e(Y)} (found by
 * Newton's method), nonterminal {@code X'} is X conditioned on a non-empty yield, and each rule
 * {@code X -> Y1..Yk} gives, for every choice of the nullable Yi that derive nothing, the rule
 * {@code X' -> (the other Yi')} with probability {@code p prod_erased e(Yi) prod_kept (1 - e(Yi)) /
 * (1 - e(X))}. A root rule {@code ROOT -> S'} of probability {@code 1 - e(S)} starts the parse; the
 * empty sentence has probability {@code e(S)}.
 */
final class EarleyGrammar {
  /** {@link #next} of a complete dotted rule. */
  static final int COMPLETE = Integer.MIN_VALUE;
  /** Most nullable symbols (with {@code 0 < e < 1}) on one right-hand side: each doubles the rules. */
  static final int MAX_OPTIONAL = 12;

  final int nonterminals;
  final int terminals;
  /** The root rule (the last rule; its lhs is -1), or -1 when the grammar derives only the empty sentence. */
  final int root;
  /** P(empty sentence) = e(S). */
  final double emptyProbability;
  final int[] lhs;
  final double[] probability;
  /** Whether a rule is {@code X -> Y} with Y a nonterminal: its items are never built (R_U covers them). */
  final boolean[] unit;
  /** Non-unit rules of each nonterminal. */
  final int[][] rulesOf;
  /** Dotted rule of rule r with the dot at 0 is {@code first[r]}; the dot advances by adding 1. */
  final int[] first;
  final int[] ruleOf;
  /** The symbol after the dot, or {@link #COMPLETE}. */
  final int[] next;
  /** For each Z, the Y with {@code R_L(Z, Y) > 0} and those values. */
  final int[][] leftCorners;
  final double[][] leftCornerWeights;
  /** For each Y, the Z with {@code R_U(Z, Y) > 0} and those values. */
  final int[][] unitParents;
  final double[][] unitParentWeights;

  /**
   * Compiles a grammar that is validated (probabilities per lhs sum to 1, every nonterminal
   * reachable from the start 0 and generating, subcritical).
   */
  EarleyGrammar(int nonterminals, int terminals, int[] lhs, int[][] rhs, double[] prob, int[] line, String source) {
    this.terminals = terminals;
    // the empty-free grammar over the nonterminals that derive some non-empty string, plus the root
    boolean[] nullable = fixpoint(nonterminals, lhs, rhs, false);
    boolean[] nonEmpty = fixpoint(nonterminals, lhs, rhs, true);
    double[] e = emptyProbabilities(nonterminals, lhs, rhs, prob, nullable, nonEmpty);
    int[] renumber = new int[nonterminals];
    int count = 0;
    for (int x = 0; x < nonterminals; x++) {
      renumber[x] = nonEmpty[x] ? count++ : -1;
    }
    this.nonterminals = count;
    Map<List<Integer>, Double> rules = new LinkedHashMap<>();
    for (int r = 0; r < lhs.length; r++) {
      if (nonEmpty[lhs[r]]) {
        expand(rhs[r], prob[r] / (1 - e[lhs[r]]), e, renumber, renumber[lhs[r]], rules, source + " line " + line[r]);
      }
    }
    this.emptyProbability = e[0];
    int size = rules.size() + (nonEmpty[0] ? 1 : 0);
    this.lhs = new int[size];
    this.probability = new double[size];
    this.unit = new boolean[size];
    int[][] right = new int[size][];
    int r = 0;
    for (Map.Entry<List<Integer>, Double> rule : rules.entrySet()) {
      List<Integer> key = rule.getKey();
      this.lhs[r] = key.get(0);
      right[r] = key.subList(1, key.size()).stream().mapToInt(Integer::intValue).toArray();
      probability[r] = rule.getValue();
      unit[r] = right[r].length == 1 && right[r][0] >= 0;
      r++;
    }
    this.root = nonEmpty[0] ? size - 1 : -1;
    if (root >= 0) {
      this.lhs[root] = -1;
      right[root] = new int[] {renumber[0]};
      probability[root] = 1 - e[0];
    }
    // dotted rules: rule i with the dot before symbol d is first[i] + d
    this.first = new int[size];
    int dotted = 0;
    for (int i = 0; i < size; i++) {
      first[i] = dotted;
      dotted += right[i].length + 1;
    }
    this.ruleOf = new int[dotted];
    this.next = new int[dotted];
    for (int i = 0; i < size; i++) {
      for (int d = 0; d <= right[i].length; d++) {
        ruleOf[first[i] + d] = i;
        next[first[i] + d] = d < right[i].length ? right[i][d] : COMPLETE;
      }
    }
    // the left-corner and unit relations and their closures
    List<List<Integer>> byLhs = new ArrayList<>();
    for (int x = 0; x < count; x++) {
      byLhs.add(new ArrayList<>());
    }
    double[][] leftCorner = new double[count][count];
    double[][] unitStep = new double[count][count];
    for (int i = 0; i < size; i++) {
      if (i == root) {
        continue;
      }
      int x = this.lhs[i];
      int y = right[i][0];
      if (!unit[i]) {
        byLhs.get(x).add(i);
      }
      if (y >= 0) {
        leftCorner[x][y] += probability[i];
        unitStep[x][y] += unit[i] ? probability[i] : 0;
      }
    }
    this.rulesOf = new int[count][];
    for (int x = 0; x < count; x++) {
      rulesOf[x] = byLhs.get(x).stream().mapToInt(Integer::intValue).toArray();
    }
    double[][] rl = closure(leftCorner);
    double[][] ru = closure(unitStep);
    this.leftCorners = new int[count][];
    this.leftCornerWeights = new double[count][];
    this.unitParents = new int[count][];
    this.unitParentWeights = new double[count][];
    for (int x = 0; x < count; x++) {
      leftCorners[x] = nonzero(rl[x]);
      leftCornerWeights[x] = values(rl[x], leftCorners[x]);
      double[] column = new double[count];
      for (int z = 0; z < count; z++) {
        column[z] = ru[z][x];
      }
      unitParents[x] = nonzero(column);
      unitParentWeights[x] = values(column, unitParents[x]);
    }
  }

  /**
   * The symbolic fixpoint: with {@code nonEmpty}, the nonterminals that derive some non-empty
   * string; otherwise the nullable ones (those that derive the empty string).
   */
  private static boolean[] fixpoint(int nonterminals, int[] lhs, int[][] rhs, boolean nonEmpty) {
    boolean[] yes = new boolean[nonterminals];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < lhs.length; r++) {
        if (yes[lhs[r]]) {
          continue;
        }
        boolean holds = !nonEmpty;
        for (int s : rhs[r]) {
          if (nonEmpty) {
            holds |= s < 0 || yes[s];
          } else {
            holds &= s >= 0 && yes[s];
          }
        }
        if (holds) {
          yes[lhs[r]] = true;
          changed = true;
        }
      }
    }
    return yes;
  }

  /**
   * {@code e(X) = P(X =>* empty)}: 0 for non-nullable X, 1 for X that derive only the empty string,
   * and otherwise the least fixed point of {@code e = f(e)}, {@code f_X(e) = sum_{X -> a} p prod_{Y in
   * a} e(Y)}, by Newton's method from 0, which increases monotonically to it (Etessami and
   * Yannakakis 2009); its Jacobian is below the expected-children matrix, so {@code I - J} is
   * invertible for a subcritical grammar.
   */
  private static double[] emptyProbabilities(int nonterminals, int[] lhs, int[][] rhs, double[] prob,
      boolean[] nullable, boolean[] nonEmpty) {
    double[] e = new double[nonterminals];
    int[] variable = new int[nonterminals];
    int n = 0;
    for (int x = 0; x < nonterminals; x++) {
      variable[x] = nullable[x] && nonEmpty[x] ? n++ : -1;
      e[x] = nullable[x] && !nonEmpty[x] ? 1 : 0;
    }
    for (int iteration = 0; iteration < 100 && n > 0; iteration++) {
      double[][] a = new double[n][n];
      double[] b = new double[n];
      for (int x = 0; x < nonterminals; x++) {
        if (variable[x] >= 0) {
          a[variable[x]][variable[x]] = 1;
          b[variable[x]] = -e[x];
        }
      }
      for (int r = 0; r < lhs.length; r++) {
        int x = variable[lhs[r]];
        if (x < 0) {
          continue;
        }
        b[x] += prob[r] * product(rhs[r], e, -1);
        for (int q = 0; q < rhs[r].length; q++) {
          int y = rhs[r][q] >= 0 ? variable[rhs[r][q]] : -1;
          if (y >= 0) {
            a[x][y] -= prob[r] * product(rhs[r], e, q);
          }
        }
      }
      double[] step = LinearSystems.solve(a, b, n);
      double change = 0;
      for (int x = 0; x < nonterminals; x++) {
        if (variable[x] >= 0) {
          e[x] += step[variable[x]];
          change = Math.max(change, Math.abs(step[variable[x]]));
        }
      }
      if (change <= 1e-15) {
        break;
      }
    }
    return e;
  }

  /** {@code prod e(symbol)} over the right-hand side except position {@code skip}; terminals give 0. */
  private static double product(int[] rhs, double[] e, int skip) {
    double p = 1;
    for (int q = 0; q < rhs.length; q++) {
      if (q != skip) {
        p *= rhs[q] >= 0 ? e[rhs[q]] : 0;
      }
    }
    return p;
  }

  /** Adds the empty-free rules of {@code lhs -> rhs} (weight {@code p / (1 - e(lhs))}) to {@code rules}. */
  private static void expand(int[] rhs, double weight, double[] e, int[] renumber, int lhs,
      Map<List<Integer>, Double> rules, String where) {
    int[] optional = Arrays.stream(rhs).filter(s -> s >= 0 && e[s] > 0 && e[s] < 1).toArray();
    if (optional.length > MAX_OPTIONAL) {
      throw BadInputException.of(where + ": nullable symbols on one right-hand side", optional.length,
          "at most " + MAX_OPTIONAL + " (each one doubles the rules the parser needs)");
    }
    for (int mask = 0; mask < 1 << optional.length; mask++) {
      List<Integer> rule = new ArrayList<>();
      rule.add(lhs);
      double p = weight;
      int bit = 0;
      for (int s : rhs) {
        if (s < 0 || e[s] == 0) {
          rule.add(s < 0 ? s : renumber[s]);
        } else if (e[s] < 1) {
          boolean keep = (mask >> bit++ & 1) != 0;
          p *= keep ? 1 - e[s] : e[s];
          if (keep) {
            rule.add(renumber[s]);
          }
        }
      }
      if (rule.size() > 1) {
        rules.merge(rule, p, Double::sum);
      }
    }
  }

  /**
   * {@code (I - P)^-1} for a nonnegative {@code P} of spectral radius below 1, with exact zeros
   * where {@code P} has no path (so no item is built from rounding noise).
   */
  private static double[][] closure(double[][] p) {
    int n = p.length;
    boolean[][] path = new boolean[n][n];
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        path[i][j] = i == j || p[i][j] > 0;
        a[i][j] = (i == j ? 1 : 0) - p[i][j];
      }
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          path[i][j] |= path[i][k] && path[k][j];
        }
      }
    }
    double[][] out = new double[n][n];
    double[] unitVector = new double[n];
    for (int j = 0; j < n; j++) {
      unitVector[j] = 1;
      double[] column = LinearSystems.solve(a, unitVector, n);
      unitVector[j] = 0;
      for (int i = 0; i < n; i++) {
        out[i][j] = path[i][j] ? column[i] : 0;
      }
    }
    return out;
  }

  private static int[] nonzero(double[] row) {
    int[] out = new int[row.length];
    int k = 0;
    for (int i = 0; i < row.length; i++) {
      if (row[i] > 0) {
        out[k++] = i;
      }
    }
    return Arrays.copyOf(out, k);
  }

  private static double[] values(double[] row, int[] at) {
    double[] out = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      out[i] = row[at[i]];
    }
    return out;
  }
}
