package org.fewstep.constrain.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * A context-free grammar in the plain form the Earley recognizer reads: productions
 * {@code lhs -> rhs} over nonterminals {@code 0 .. nonterminals-1} and terminals written
 * {@code ~t} (negative ints) for terminal ids {@code t >= 0}; nonterminal 0 is the start. On
 * construction, productions that cannot derive a terminal string are removed (so every prefix the
 * recognizer keeps alive can be completed), and the nullable nonterminals are found; a grammar whose
 * start derives nothing is an error.
 */
public final class Cfg {
  final int nonterminals;
  final int terminals;
  final int[] lhs;
  final int[][] rhs;
  /** Productions of each nonterminal. */
  final int[][] productionsOf;
  final boolean[] nullable;
  final String source;

  /**
   * @param nonterminals number of nonterminals (0 is the start)
   * @param terminals    number of terminal ids
   * @param productions  each {@code [lhs, rhs...]} with terminals as {@code ~t}
   * @param source       where the grammar came from, for messages
   */
  public Cfg(int nonterminals, int terminals, List<int[]> productions, String source) {
    this.source = source;
    boolean[] generating = new boolean[nonterminals];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int[] p : productions) {
        if (!generating[p[0]] && allGenerating(p, generating)) {
          generating[p[0]] = true;
          changed = true;
        }
      }
    }
    if (!generating[0]) {
      throw BadInputException.of(source + ": the language", "empty", "a grammar whose start rule derives at least one string");
    }
    List<int[]> kept = new ArrayList<>();
    for (int[] p : productions) {
      if (generating[p[0]] && allGenerating(p, generating)) {
        kept.add(p);
      }
    }
    this.nonterminals = nonterminals;
    this.terminals = terminals;
    this.lhs = new int[kept.size()];
    this.rhs = new int[kept.size()][];
    int[] counts = new int[nonterminals];
    for (int i = 0; i < kept.size(); i++) {
      lhs[i] = kept.get(i)[0];
      rhs[i] = Arrays.copyOfRange(kept.get(i), 1, kept.get(i).length);
      counts[lhs[i]]++;
    }
    this.productionsOf = new int[nonterminals][];
    for (int a = 0; a < nonterminals; a++) {
      productionsOf[a] = new int[counts[a]];
      counts[a] = 0;
    }
    for (int i = 0; i < lhs.length; i++) {
      productionsOf[lhs[i]][counts[lhs[i]]++] = i;
    }
    this.nullable = new boolean[nonterminals];
    changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < lhs.length; i++) {
        if (!nullable[lhs[i]] && allNullable(rhs[i])) {
          nullable[lhs[i]] = true;
          changed = true;
        }
      }
    }
  }

  private static boolean allGenerating(int[] p, boolean[] generating) {
    for (int k = 1; k < p.length; k++) {
      if (p[k] >= 0 && !generating[p[k]]) {
        return false;
      }
    }
    return true;
  }

  private boolean allNullable(int[] symbols) {
    for (int s : symbols) {
      if (s < 0 || !nullable[s]) {
        return false;
      }
    }
    return true;
  }

  /**
   * This grammar with each terminal {@code t} that {@code matchesEmpty[t]} replaced by a new
   * nonterminal {@code -> t | empty}: the recognizer then scans only non-empty terminals, and a
   * terminal's empty match is the nonterminal's empty production.
   */
  public Cfg withEmptyTerminals(boolean[] matchesEmpty) {
    int next = nonterminals;
    int[] wrapper = new int[terminals];
    java.util.Arrays.fill(wrapper, -1);
    List<int[]> out = new ArrayList<>();
    for (int t = 0; t < terminals; t++) {
      if (matchesEmpty[t]) {
        wrapper[t] = next++;
        out.add(new int[] {wrapper[t], ~t});
        out.add(new int[] {wrapper[t]});
      }
    }
    for (int i = 0; i < lhs.length; i++) {
      int[] p = new int[rhs[i].length + 1];
      p[0] = lhs[i];
      for (int k = 0; k < rhs[i].length; k++) {
        int s = rhs[i][k];
        p[k + 1] = s < 0 && wrapper[~s] >= 0 ? wrapper[~s] : s;
      }
      out.add(p);
    }
    return new Cfg(next, terminals, out, source);
  }

  /** Number of terminal ids. */
  public int terminals() {
    return terminals;
  }

  /** Whether the start derives the empty string. */
  public boolean acceptsEmpty() {
    return nullable[0];
  }
}
