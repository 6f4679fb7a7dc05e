package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * The Earley recognizer against a fixed-point CYK oracle on random small grammars (empty rules,
 * left and right recursion, unit cycles and useless rules included): membership of every string up to
 * length 7 over two terminals, and prefix viability (a set exists exactly when some string of the
 * language starts with the terminals read, by a prefix-derivation fixed point).
 */
class EarleySetTest {

  /** Whether nonterminal a derives w[i, j), for all a, i, j, by iterating to the least fixed point. */
  static boolean[][][] cyk(int nonterminals, List<int[]> productions, int[] w) {
    int n = w.length;
    boolean[][][] d = new boolean[nonterminals][n + 1][n + 1];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int[] p : productions) {
        for (int i = 0; i <= n; i++) {
          // reach[k] = the rhs prefix read so far can derive w[i, k)
          boolean[] reach = new boolean[n + 1];
          reach[i] = true;
          for (int s = 1; s < p.length; s++) {
            boolean[] next = new boolean[n + 1];
            for (int k = i; k <= n; k++) {
              if (!reach[k]) {
                continue;
              }
              if (p[s] < 0) {
                if (k < n && w[k] == ~p[s]) {
                  next[k + 1] = true;
                }
              } else {
                for (int m = k; m <= n; m++) {
                  next[m] |= d[p[s]][k][m];
                }
              }
            }
            reach = next;
          }
          for (int j = i; j <= n; j++) {
            if (reach[j] && !d[p[0]][i][j]) {
              d[p[0]][i][j] = true;
              changed = true;
            }
          }
        }
      }
    }
    return d;
  }

  static boolean member(int nonterminals, List<int[]> productions, int[] w) {
    return cyk(nonterminals, productions, w)[0][0][w.length];
  }

  static int[] bits(int value, int length) {
    int[] w = new int[length];
    for (int i = 0; i < length; i++) {
      w[i] = (value >>> i) & 1;
    }
    return w;
  }

  static EarleySet walk(Cfg cfg, int[] w) {
    EarleySet s = EarleySet.start(cfg);
    for (int t : w) {
      if (s == null) {
        return null;
      }
      s = s.scan(t);
    }
    return s;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void agreesWithCykOnRandomGrammars() {
    Random random = new Random(17);
    int grammars = 0;
    while (grammars < 60) {
      int nonterminals = 2 + random.nextInt(3);
      List<int[]> productions = new ArrayList<>();
      int count = nonterminals + random.nextInt(2 * nonterminals);
      for (int k = 0; k < count; k++) {
        int length = random.nextInt(4);
        int[] p = new int[length + 1];
        p[0] = k < nonterminals ? k : random.nextInt(nonterminals);
        for (int s = 1; s <= length; s++) {
          p[s] = random.nextInt(3) == 0 ? random.nextInt(nonterminals) : ~random.nextInt(2);
        }
        productions.add(p);
      }
      Cfg cfg;
      try {
        cfg = new Cfg(nonterminals, 2, productions, "random");
      } catch (BadInputException empty) {
        continue; // the start derives nothing: tested below
      }
      grammars++;
      for (int length = 0; length <= 7; length++) {
        for (int v = 0; v < 1 << length; v++) {
          int[] w = bits(v, length);
          EarleySet s = walk(cfg, w);
          boolean member = member(nonterminals, productions, w);
          assertThat(s != null && s.accepting()).as("grammar %s, w %s", productions.size(), java.util.Arrays.toString(w))
              .isEqualTo(member);
          assertThat(s != null).as("grammar %s, prefix %s", productions.size(), java.util.Arrays.toString(w))
              .isEqualTo(viable(nonterminals, productions, w));
        }
      }
    }
  }

  /**
   * Whether some string of the language starts with {@code w}: {@code pre[a][i]} = a derives
   * {@code w[i..n) v} for some v, over the generating productions only, to the least fixed point.
   */
  static boolean viable(int nonterminals, List<int[]> productions, int[] w) {
    boolean[] generating = new boolean[nonterminals];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int[] p : productions) {
        boolean all = true;
        for (int k = 1; k < p.length; k++) {
          all &= p[k] < 0 || generating[p[k]];
        }
        if (all && !generating[p[0]]) {
          generating[p[0]] = changed = true;
        }
      }
    }
    List<int[]> useful = new ArrayList<>();
    for (int[] p : productions) {
      boolean all = generating[p[0]];
      for (int k = 1; k < p.length; k++) {
        all &= p[k] < 0 || generating[p[k]];
      }
      if (all) {
        useful.add(p);
      }
    }
    int n = w.length;
    boolean[][][] d = cyk(nonterminals, useful, w);
    boolean[][] pre = new boolean[nonterminals][n + 1];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int[] p : useful) {
        for (int i = 0; i <= n; i++) {
          if (pre[p[0]][i]) {
            continue;
          }
          boolean found = false;
          boolean[] reach = new boolean[n + 1];
          reach[i] = true;
          for (int s = 1; s < p.length && !found; s++) {
            found = reach[n];
            boolean[] next = new boolean[n + 1];
            for (int k = i; k <= n && !found; k++) {
              if (!reach[k]) {
                continue;
              }
              if (p[s] < 0) {
                if (k < n && w[k] == ~p[s]) {
                  next[k + 1] = true;
                }
              } else {
                found = k < n && pre[p[s]][k];
                for (int m = k; m <= n; m++) {
                  next[m] |= d[p[s]][k][m];
                }
              }
            }
            reach = next;
          }
          if (found || reach[n]) {
            pre[p[0]][i] = changed = true;
          }
        }
      }
    }
    return generating[0] && pre[0][0];
  }

  @Test
  void aGrammarWithoutStringsIsAnError() {
    List<int[]> productions = List.of(new int[] {0, 1}, new int[] {1, 0});
    assertThatThrownBy(() -> new Cfg(2, 1, productions, "loop.gbnf")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("loop.gbnf").hasMessageContaining("empty");
  }

  @Test
  void setsAreSharedAndScansCached() {
    // S -> a S b | empty
    Cfg cfg = new Cfg(1, 2, List.of(new int[] {0, ~0, 0, ~1}, new int[] {0}), "anbn");
    EarleySet start = EarleySet.start(cfg);
    assertThat(start.accepting()).isTrue();
    assertThat(start.scan(0)).isSameAs(start.scan(0));
    assertThat(start.scan(1)).isNull();
    EarleySet a = start.scan(0);
    assertThat(a.accepting()).isFalse();
    assertThat(a.scan(1).accepting()).isTrue();
    assertThat(a.scan(0).scan(1).scan(1).accepting()).isTrue();
    assertThat(a.scan(0).scan(1).scan(1).expected().isEmpty()).isTrue();
  }
}
