package org.fewstep.constrain.regex;

import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * A Thompson NFA over bytes, built backwards from the accepting node: each node reads one byte
 * range, has epsilon edges, or is an anchor ({@code ^}: passable before the first byte only;
 * {@code $}: after the last only). Code point sets become alternations of UTF-8 byte-range chains
 * ({@link Utf8Ranges}); counted repetitions are unrolled.
 *
 * <p>Co-reachability, computed once: {@link #endLive} marks the nodes that reach acceptance through
 * epsilon and {@code $} edges alone (accepting if the input ends here), {@link #live} those that
 * reach an {@code endLive} node through epsilon and byte edges (some continuation is accepted once a
 * byte has been read, so {@code ^} no longer passes). A byte node is {@link #important} when its
 * target is live: the lazy DFA keeps only those, so each of its states has an accepting continuation.
 */
final class Nfa {
  static final int EPS = 0;
  static final int BYTES = 1;
  static final int BEGIN = 2;
  static final int END = 3;

  /** Largest NFA, in nodes, a pattern may unroll to. */
  static final int MAX_NODES = 500_000;

  int size;
  int[] kind = new int[64];
  int[] lo = new int[64];
  int[] hi = new int[64];
  /** Target of a BYTES, BEGIN or END node. */
  int[] next = new int[64];
  int[][] eps = new int[64][];
  final int accept;
  final int start;
  boolean[] endLive;
  boolean[] startEndLive;
  boolean[] live;
  boolean[] important;

  private final Encoding encoding;

  Nfa(Node root, String pattern, Encoding encoding) {
    this.encoding = encoding;
    long estimate = estimate(root);
    if (estimate > MAX_NODES) {
      throw BadInputException.of("pattern", Parser.quote(pattern), "a pattern whose automaton unrolls to at most "
          + MAX_NODES + " NFA nodes (this one needs about " + estimate + "; counted repetitions multiply what they repeat)");
    }
    accept = node(EPS, 0, 0, -1, new int[0]);
    start = build(root, accept);
    trim();
    analyse();
  }

  /** An upper bound on the nodes {@link #build} makes, saturating. */
  private long estimate(Node n) {
    if (n instanceof Node.Chars c) {
      long total = 1;
      for (int[][] seq : encoding.sequences(c.ranges())) {
        for (int[] position : seq) {
          total += position.length / 2 + 1;
        }
      }
      return total;
    }
    if (n instanceof Node.Concat c) {
      return sum(c.items());
    }
    if (n instanceof Node.Alt a) {
      return sum(a.options()) + 1;
    }
    if (n instanceof Node.Repeat r) {
      long copies = r.max() == Node.UNBOUNDED ? r.min() + 1L : r.max();
      long body = estimate(r.body());
      return saturate(copies * Math.min(body, Integer.MAX_VALUE) + copies + 1);
    }
    return 1;
  }

  private long sum(List<Node> nodes) {
    long total = 0;
    for (Node n : nodes) {
      total = saturate(total + estimate(n));
    }
    return total;
  }

  private static long saturate(long v) {
    return v < 0 || v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : v;
  }

  private int node(int k, int l, int h, int target, int[] outs) {
    if (size == kind.length) {
      int cap = size * 2;
      kind = Arrays.copyOf(kind, cap);
      lo = Arrays.copyOf(lo, cap);
      hi = Arrays.copyOf(hi, cap);
      next = Arrays.copyOf(next, cap);
      eps = Arrays.copyOf(eps, cap);
    }
    kind[size] = k;
    lo[size] = l;
    hi[size] = h;
    next[size] = target;
    eps[size] = outs;
    return size++;
  }

  /** The entry node of {@code n} followed by {@code target}. */
  private int build(Node n, int target) {
    if (n instanceof Node.Chars c) {
      List<int[][]> seqs = encoding.sequences(c.ranges());
      int[] entries = new int[seqs.size()];
      for (int i = 0; i < entries.length; i++) {
        int[][] seq = seqs.get(i);
        int t = target;
        for (int j = seq.length - 1; j >= 0; j--) {
          int[] ranges = seq[j];
          if (ranges.length == 2) {
            t = node(BYTES, ranges[0], ranges[1], t, null);
          } else {
            int[] options = new int[ranges.length / 2];
            for (int k = 0; k < options.length; k++) {
              options[k] = node(BYTES, ranges[2 * k], ranges[2 * k + 1], t, null);
            }
            t = node(EPS, 0, 0, -1, options);
          }
        }
        entries[i] = t;
      }
      return entries.length == 1 ? entries[0] : node(EPS, 0, 0, -1, entries);
    }
    if (n instanceof Node.Concat c) {
      int t = target;
      for (int i = c.items().size() - 1; i >= 0; i--) {
        t = build(c.items().get(i), t);
      }
      return t;
    }
    if (n instanceof Node.Alt a) {
      int[] entries = new int[a.options().size()];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = build(a.options().get(i), target);
      }
      return node(EPS, 0, 0, -1, entries);
    }
    if (n instanceof Node.Repeat r) {
      int t;
      if (r.max() == Node.UNBOUNDED) {
        int loop = node(EPS, 0, 0, -1, null);
        int body = build(r.body(), loop); // before indexing eps: building may reallocate it
        eps[loop] = new int[] {body, target};
        t = loop;
      } else {
        t = target;
        for (int i = r.min(); i < r.max(); i++) {
          t = node(EPS, 0, 0, -1, new int[] {build(r.body(), t), target});
        }
      }
      for (int i = 0; i < r.min(); i++) {
        t = build(r.body(), t);
      }
      return t;
    }
    Node.Anchor anchor = (Node.Anchor) n;
    return node(anchor.start() ? BEGIN : END, 0, 0, target, null);
  }

  private void trim() {
    kind = Arrays.copyOf(kind, size);
    lo = Arrays.copyOf(lo, size);
    hi = Arrays.copyOf(hi, size);
    next = Arrays.copyOf(next, size);
    eps = Arrays.copyOf(eps, size);
    for (int i = 0; i < size; i++) {
      if (eps[i] == null) {
        eps[i] = new int[0];
      }
    }
  }

  private void analyse() {
    // reverse edges, by kind of edge
    int[][] rev = reverse();
    endLive = backwards(rev, seed(accept), false, true, false);
    startEndLive = backwards(rev, seed(accept), false, true, true);
    live = backwards(rev, endLive, true, false, false);
    important = new boolean[size];
    for (int q = 0; q < size; q++) {
      important[q] = kind[q] == BYTES && live[next[q]];
    }
  }

  private boolean[] seed(int q) {
    boolean[] s = new boolean[size];
    s[q] = true;
    return s;
  }

  /** For each node, the nodes with an edge (of any kind) into it. */
  private int[][] reverse() {
    int[] count = new int[size];
    for (int q = 0; q < size; q++) {
      for (int t : eps[q]) {
        count[t]++;
      }
      if (kind[q] != EPS) {
        count[next[q]]++;
      }
    }
    int[][] rev = new int[size][];
    for (int q = 0; q < size; q++) {
      rev[q] = new int[count[q]];
      count[q] = 0;
    }
    for (int q = 0; q < size; q++) {
      for (int t : eps[q]) {
        rev[t][count[t]++] = q;
      }
      if (kind[q] != EPS) {
        rev[next[q]][count[next[q]]++] = q;
      }
    }
    return rev;
  }

  /** The nodes that reach {@code targets} through epsilon edges and the edge kinds allowed. */
  private boolean[] backwards(int[][] rev, boolean[] targets, boolean bytes, boolean end, boolean begin) {
    boolean[] seen = targets.clone();
    int[] stack = new int[size];
    int top = 0;
    for (int q = 0; q < size; q++) {
      if (seen[q]) {
        stack[top++] = q;
      }
    }
    while (top > 0) {
      int t = stack[--top];
      for (int p : rev[t]) {
        if (seen[p]) {
          continue;
        }
        int k = kind[p];
        boolean ok = k == EPS || k == BYTES && bytes || k == END && end || k == BEGIN && begin;
        if (ok) {
          seen[p] = true;
          stack[top++] = p;
        }
      }
    }
    return seen;
  }
}
