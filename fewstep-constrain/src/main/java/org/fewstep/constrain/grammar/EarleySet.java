package org.fewstep.constrain.grammar;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable Earley item set (Earley 1970, with Aycock and Horspool's 2002 handling of nullable
 * nonterminals) after a string of terminals: a recognizer state that can be shared and branched.
 * {@link #scan} builds a new set, leaves this one as it is and caches the result, so a walk that
 * scans the same terminal again gets the same set. Items refer to the set where they started by
 * reference, so sets form a persistent tree rooted at {@link #start}. The grammar's useless
 * productions are gone ({@link Cfg}), so a set exists exactly when the terminals read so far are a
 * prefix of a string of the language.
 */
public final class EarleySet {
  private final Cfg cfg;
  private final boolean root;
  /** Items: production, dot, origin set. */
  private final int[] productions;
  private final int[] dots;
  private final EarleySet[] origins;
  private final BitSet expected = new BitSet();
  private boolean accepting;
  /** Sets after each scanned terminal; {@link #NO_SET} marks a terminal that cannot come next. */
  private final Map<Integer, EarleySet> scanned = new ConcurrentHashMap<>();
  private static final EarleySet NO_SET = new EarleySet();
  /** The lexemes a lexer may start here (expected or ignored), kept by {@link GrammarConstraint}. */
  volatile int[] lexemeStarts;

  private EarleySet() {
    this.cfg = null;
    this.root = false;
    this.productions = new int[0];
    this.dots = new int[0];
    this.origins = new EarleySet[0];
  }

  /** Builds the closure of {@code kernel} items (production, dot, origin; a null origin is this set). */
  private EarleySet(Cfg cfg, boolean root, List<int[]> kernel, List<EarleySet> kernelOrigins) {
    this.cfg = cfg;
    this.root = root;
    List<int[]> items = new ArrayList<>(kernel);
    List<EarleySet> from = new ArrayList<>(kernelOrigins);
    Set<List<Object>> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      seen.add(List.of(items.get(i)[0], items.get(i)[1], key(from.get(i))));
    }
    BitSet predicted = new BitSet();
    for (int i = 0; i < items.size(); i++) {
      int production = items.get(i)[0];
      int dot = items.get(i)[1];
      EarleySet origin = from.get(i);
      int[] rhs = cfg.rhs[production];
      if (dot == rhs.length) { // complete: step the items waiting for this nonterminal where it began
        int a = cfg.lhs[production];
        if (origin == null) { // it began here: the items of this set (the list grows as we go)
          for (int j = 0; j < items.size(); j++) {
            int[] w = items.get(j);
            int[] wr = cfg.rhs[w[0]];
            if (w[1] < wr.length && wr[w[1]] == a) {
              add(items, from, seen, w[0], w[1] + 1, from.get(j));
            }
          }
        } else {
          for (int j = 0; j < origin.productions.length; j++) {
            int[] wr = cfg.rhs[origin.productions[j]];
            if (origin.dots[j] < wr.length && wr[origin.dots[j]] == a) {
              add(items, from, seen, origin.productions[j], origin.dots[j] + 1, origin.origins[j]);
            }
          }
        }
      } else if (rhs[dot] >= 0) { // predict; step over a nullable nonterminal at once (Aycock-Horspool)
        int b = rhs[dot];
        if (!predicted.get(b)) {
          predicted.set(b);
          for (int p : cfg.productionsOf[b]) {
            add(items, from, seen, p, 0, null);
          }
        }
        if (cfg.nullable[b]) {
          add(items, from, seen, production, dot + 1, origin);
        }
      } else {
        expected.set(~rhs[dot]);
      }
    }
    int n = items.size();
    this.productions = new int[n];
    this.dots = new int[n];
    this.origins = new EarleySet[n];
    for (int i = 0; i < n; i++) {
      productions[i] = items.get(i)[0];
      dots[i] = items.get(i)[1];
      origins[i] = from.get(i) == null ? this : from.get(i);
      if (cfg.lhs[productions[i]] == 0 && dots[i] == cfg.rhs[productions[i]].length && origins[i].root) {
        accepting = true;
      }
    }
  }

  private static Object key(EarleySet origin) {
    return origin == null ? "self" : origin;
  }

  private static void add(List<int[]> items, List<EarleySet> from, Set<List<Object>> seen, int production, int dot,
      EarleySet origin) {
    if (seen.add(List.of(production, dot, key(origin)))) {
      items.add(new int[] {production, dot});
      from.add(origin);
    }
  }

  /** The set before any terminal: the start's productions predicted. */
  public static EarleySet start(Cfg cfg) {
    List<int[]> kernel = new ArrayList<>();
    List<EarleySet> origins = new ArrayList<>();
    for (int p : cfg.productionsOf[0]) {
      kernel.add(new int[] {p, 0});
      origins.add(null);
    }
    return new EarleySet(cfg, true, kernel, origins);
  }

  /** The terminals that can come next. */
  public BitSet expected() {
    return (BitSet) expected.clone();
  }

  /** Whether terminal {@code t} can come next. */
  public boolean expects(int t) {
    return expected.get(t);
  }

  /** Whether the terminals read so far are a string of the language. */
  public boolean accepting() {
    return accepting;
  }

  /** The set after terminal {@code t}, or null when the language has no such prefix. */
  public EarleySet scan(int t) {
    if (!expected.get(t)) {
      return null;
    }
    EarleySet next = scanned.computeIfAbsent(t, k -> {
      List<int[]> kernel = new ArrayList<>();
      List<EarleySet> from = new ArrayList<>();
      for (int i = 0; i < productions.length; i++) {
        int[] rhs = cfg.rhs[productions[i]];
        if (dots[i] < rhs.length && rhs[dots[i]] == ~t) {
          kernel.add(new int[] {productions[i], dots[i] + 1});
          from.add(origins[i]);
        }
      }
      return kernel.isEmpty() ? NO_SET : new EarleySet(cfg, false, kernel, from);
    });
    return next == NO_SET ? null : next;
  }

  /** Number of items. */
  public int size() {
    return productions.length;
  }
}
