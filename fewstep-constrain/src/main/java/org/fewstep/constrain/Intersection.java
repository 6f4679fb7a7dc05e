package org.fewstep.constrain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fewstep.core.BadInputException;

/**
 * The strings two {@link ByteAutomaton}s both accept: the product automaton, built lazily. A pair of
 * live states can still have no common accepting continuation, so a product state counts as live
 * only after a search of the pairs it reaches finds one that accepts in both; the answer is
 * cached. This keeps {@link #DEAD} exact, as the contract requires (e.g. a JSON string's characters
 * intersected with a schema's {@code pattern}). Safe for concurrent use: new states and moves are
 * made under a lock; a known move is one array read, with acquire/release ordering on its cell.
 */
public final class Intersection implements ByteAutomaton {
  /** The most product states made before a step throws. */
  public static final int MAX_STATES = 200_000;

  private final ByteAutomaton a;
  private final ByteAutomaton b;
  private final Map<Long, Integer> ids = new HashMap<>();
  private final List<long[]> pairs = new ArrayList<>();
  private final Map<Long, Boolean> live = new HashMap<>();
  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(int[].class);
  /** Known moves: {@code rows[state][byte]} holds the next state + 2 (1 for DEAD), 0 when unknown. */
  private volatile int[][] rows = new int[64][];
  /** The pair of each state, written before the state is first returned. */
  private volatile int[] firsts = new int[64];
  private volatile int[] seconds = new int[64];
  private final int start;

  public Intersection(ByteAutomaton a, ByteAutomaton b) {
    this.a = a;
    this.b = b;
    int sa = a.start();
    int sb = b.start();
    synchronized (this) {
      this.start = sa == DEAD || sb == DEAD || !live(sa, sb) ? DEAD : id(sa, sb);
    }
  }

  private static long key(int p, int q) {
    return ((long) p << 32) | (q & 0xFFFFFFFFL);
  }

  private int id(int p, int q) {
    return ids.computeIfAbsent(key(p, q), k -> {
      if (pairs.size() >= MAX_STATES) {
        throw BadInputException.of("intersection of " + a.describe() + " and " + b.describe(), "more than "
            + MAX_STATES + " product states", "a smaller product (simplify one side)");
      }
      pairs.add(new long[] {p, q});
      int id = pairs.size() - 1;
      if (id == firsts.length) {
        firsts = Arrays.copyOf(firsts, 2 * id);
        seconds = Arrays.copyOf(seconds, 2 * id);
      }
      firsts[id] = p;
      seconds[id] = q;
      return id;
    });
  }

  /**
   * Whether some string from (p, q) is accepted by both: first by trying a witness (a shortest string
   * one side accepts from its state, fed to the other), then by a search over the pairs reached;
   * cached.
   */
  private boolean live(int p, int q) {
    Boolean known = live.get(key(p, q));
    if (known != null) {
      return known;
    }
    if (accepts(b, q, shortest(a, p, shortestA)) || accepts(a, p, shortest(b, q, shortestB))) {
      live.put(key(p, q), true);
      return true;
    }
    Set<Long> seen = new HashSet<>();
    ArrayDeque<long[]> pending = new ArrayDeque<>();
    pending.add(new long[] {p, q});
    seen.add(key(p, q));
    boolean found = false;
    while (!pending.isEmpty() && !found) {
      long[] pq = pending.poll();
      int x = (int) pq[0];
      int y = (int) pq[1];
      Boolean cached = live.get(key(x, y));
      if (cached != null) {
        if (cached) {
          found = true;
        }
        continue;
      }
      if (a.accepting(x) && b.accepting(y)) {
        found = true;
        break;
      }
      for (int c = 0; c < 256; c++) {
        int nx = a.step(x, c);
        if (nx == DEAD) {
          continue;
        }
        int ny = b.step(y, c);
        if (ny != DEAD && seen.add(key(nx, ny))) {
          if (seen.size() > MAX_STATES) {
            throw BadInputException.of("intersection of " + a.describe() + " and " + b.describe(), "more than "
                + MAX_STATES + " product states", "a smaller product (simplify one side)");
          }
          pending.add(new long[] {nx, ny});
        }
      }
    }
    if (found) {
      live.put(key(p, q), true);
    } else {
      for (long k : seen) { // nothing reachable from here accepts in both: all of it is dead
        live.put(k, false);
      }
    }
    return found;
  }

  private final Map<Integer, byte[]> shortestA = new HashMap<>();
  private final Map<Integer, byte[]> shortestB = new HashMap<>();
  /** The most states a search for a shortest witness visits before it gives up. */
  private static final int MAX_WITNESS_STATES = 4096;

  /** A shortest string {@code x} accepts from {@code s} (cached), or null when none is found quickly. */
  private static byte[] shortest(ByteAutomaton x, int s, Map<Integer, byte[]> cache) {
    if (cache.containsKey(s)) {
      return cache.get(s);
    }
    Map<Integer, Integer> parent = new HashMap<>();
    Map<Integer, Integer> via = new HashMap<>();
    ArrayDeque<Integer> pending = new ArrayDeque<>();
    parent.put(s, s);
    pending.add(s);
    byte[] found = null;
    while (!pending.isEmpty() && found == null && parent.size() <= MAX_WITNESS_STATES) {
      int u = pending.poll();
      if (x.accepting(u)) {
        int length = 0;
        for (int v = u; v != s; v = parent.get(v)) {
          length++;
        }
        found = new byte[length];
        for (int v = u, i = length - 1; v != s; v = parent.get(v), i--) {
          found[i] = (byte) (int) via.get(v);
        }
        break;
      }
      for (int c = 0; c < 256; c++) {
        int v = x.step(u, c);
        if (v != DEAD && !parent.containsKey(v)) {
          parent.put(v, u);
          via.put(v, c);
          pending.add(v);
        }
      }
    }
    cache.put(s, found);
    return found;
  }

  /** Whether {@code x} accepts {@code w} from state {@code s} ({@code w} null: no). */
  private static boolean accepts(ByteAutomaton x, int s, byte[] w) {
    if (w == null) {
      return false;
    }
    for (byte c : w) {
      s = x.step(s, c & 0xFF);
      if (s == DEAD) {
        return false;
      }
    }
    return x.accepting(s);
  }

  @Override
  public int start() {
    return start;
  }

  @Override
  public int step(int state, int c) {
    int[][] known = rows;
    if (state < known.length) {
      int[] row = known[state];
      if (row != null) {
        int v = (int) CELL.getAcquire(row, c);
        if (v != 0) {
          return v - 2;
        }
      }
    }
    return stepSlowly(state, c);
  }

  private synchronized int stepSlowly(int state, int c) {
    int[][] known = rows;
    if (state >= known.length) {
      known = Arrays.copyOf(known, Math.max(2 * known.length, state + 1));
    }
    int[] row = known[state];
    if (row == null) {
      row = new int[256];
      known[state] = row;
    }
    rows = known;
    int v = (int) CELL.getAcquire(row, c);
    if (v != 0) {
      return v - 2;
    }
    long[] pq = pairs.get(state);
    int nx = a.step((int) pq[0], c);
    int ny = nx == DEAD ? DEAD : b.step((int) pq[1], c);
    int out = ny == DEAD || !live(nx, ny) ? DEAD : id(nx, ny);
    CELL.setRelease(row, c, out + 2);
    return out;
  }

  @Override
  public boolean accepting(int state) {
    return a.accepting(firstState(state)) && b.accepting(secondState(state));
  }

  /** The first automaton. */
  public ByteAutomaton first() {
    return a;
  }

  /** The second automaton. */
  public ByteAutomaton second() {
    return b;
  }

  /** The first automaton's state in product state {@code state}. */
  public int firstState(int state) {
    return firsts[state];
  }

  /** The second automaton's state in product state {@code state}. */
  public int secondState(int state) {
    return seconds[state];
  }

  @Override
  public boolean mustEnd(int state) {
    if (!accepting(state)) {
      return false;
    }
    for (int c = 0; c < 256; c++) {
      if (step(state, c) != DEAD) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String describe() {
    return "(" + a.describe() + ") & (" + b.describe() + ")";
  }
}
