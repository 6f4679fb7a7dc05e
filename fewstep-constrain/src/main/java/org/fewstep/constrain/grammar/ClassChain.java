package org.fewstep.constrain.grammar;

import org.fewstep.constrain.ByteAutomaton;

/**
 * Where an automaton's state depends only on how many bytes of a class it has read: from state
 * {@code s0}, the chain {@code s0, s1, s2, ...} with byte sets {@code K1 ⊇ K2 ⊇ ...} such that every
 * byte of {@code Kj} leads from {@code s(j-1)} to {@code sj} ({@code Kj} is the largest set of bytes
 * of {@code K(j-1)} with one target). A loop like {@code [^/]*} is a chain of one state, a bounded
 * run like {@code [A-Za-z0-9]{1,64}} a chain of counts. A mask walk that is on the chain at depth d
 * (byte i of its path in {@code Ki}) takes a subtree whole when all bytes below are in the class of
 * its deepest token's length, that length is within the chain and no state on the way accepts: all
 * its tokens live, none ends the lexeme. Only ASCII bytes are chained; subtrees with other bytes are
 * walked. The chain is followed lazily, as deep as the walk asks.
 */
final class ClassChain {
  /** The fewest bytes of a class worth following: narrower classes take few subtrees whole. */
  static final int MIN_CLASS = 4;

  private final StepTable a;
  private final int maxDepth;
  /** The chain known so far: states and classes at depths 0..known. */
  private int known;
  /** Whether the chain ends at {@link #known} (no byte of the class keeps the automaton live). */
  private boolean ended;
  private final int[] states;
  private final long[] low;
  private final long[] high;
  private final boolean[] accepts;
  /** The deepest j' <= j whose state accepts, 0 when none (depth 0 is not counted). */
  private final int[] lastAccepting;
  private final int[] targets = new int[128];
  private final int[] distinct = new int[128];
  private final int[] counts = new int[128];

  ClassChain(StepTable a, int s0, int maxDepth) {
    this.a = a;
    this.maxDepth = maxDepth;
    this.states = new int[maxDepth + 1];
    this.low = new long[maxDepth + 1];
    this.high = new long[maxDepth + 1];
    this.accepts = new boolean[maxDepth + 1];
    this.lastAccepting = new int[maxDepth + 1];
    states[0] = s0;
    low[0] = -1L;
    high[0] = -1L;
  }

  private static boolean inSet(long lo, long hi, int b) {
    return b < 64 ? (lo >>> b & 1) != 0 : (hi >>> (b - 64) & 1) != 0;
  }

  /**
   * The deepest a chain that is not a loop is followed: each step costs a move per ASCII byte, and
   * deeper subtrees are few (a walk goes into them and takes their smaller subtrees whole).
   */
  static final int MAX_COUNTED = 24;

  /** Follows the chain to depth {@code d} if it goes that far; whether it does. */
  private boolean reach(int d) {
    while (known < d && !ended) {
      if (known >= MAX_COUNTED) {
        ended = true;
        break;
      }
      int j = known;
      if (j > 0 && states[j] == states[j - 1] && low[j] == low[j - 1] && high[j] == high[j - 1]) {
        // a loop over the same class: every later step is the same
        for (int k = j + 1; k <= maxDepth; k++) {
          states[k] = states[j];
          low[k] = low[j];
          high[k] = high[j];
          accepts[k] = accepts[j];
          lastAccepting[k] = accepts[k] ? k : lastAccepting[k - 1];
        }
        known = maxDepth;
        break;
      }
      int n = 0;
      int best = -1;
      for (int b = 0; b < 128; b++) {
        int t = inSet(low[j], high[j], b) ? a.step(states[j], b) : ByteAutomaton.DEAD;
        targets[b] = t;
        if (t == ByteAutomaton.DEAD) {
          continue;
        }
        int i = 0;
        while (i < n && distinct[i] != t) {
          i++;
        }
        if (i == n) {
          distinct[n] = t;
          counts[n++] = 0;
        }
        counts[i]++;
        if (best < 0 || counts[i] > counts[best]) {
          best = i;
        }
      }
      if (best < 0 || counts[best] < MIN_CLASS) {
        ended = true;
        break;
      }
      int t = distinct[best];
      long l = 0;
      long h = 0;
      for (int b = 0; b < 128; b++) {
        if (targets[b] == t) {
          if (b < 64) {
            l |= 1L << b;
          } else {
            h |= 1L << (b - 64);
          }
        }
      }
      states[j + 1] = t;
      low[j + 1] = l;
      high[j + 1] = h;
      accepts[j + 1] = a.accepting(t);
      lastAccepting[j + 1] = accepts[j + 1] ? j + 1 : lastAccepting[j];
      known = j + 1;
    }
    return d <= known;
  }

  /** Whether the path byte {@code b} at depth {@code d >= 1} keeps a walk on the chain. */
  boolean on(int d, int b) {
    return b < 128 && (d <= known || d <= maxDepth && reach(d)) && inSet(low[d], high[d], b);
  }

  /**
   * Whether every token below a node on the chain at depth {@code d}, going {@code h} bytes deeper
   * over the ASCII bytes {@code belowLow}, {@code belowHigh}, is live and ends no lexeme on the way.
   */
  boolean covers(int d, int h, long belowLow, long belowHigh) {
    int deepest = d + h;
    if (deepest > known && (deepest > maxDepth || ended || !reach(deepest))) {
      return false;
    }
    return (belowLow & ~low[deepest]) == 0 && (belowHigh & ~high[deepest]) == 0 && lastAccepting[deepest] <= d;
  }
}
