package org.fewstep.constrain.regex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.core.BadInputException;

/**
 * The subset construction of an {@link Nfa}, run on demand: a DFA state is the set of important
 * NFA nodes (byte nodes with a live target) reached by the bytes read, with a flag for acceptance;
 * states are numbered in the order they are first reached, and transitions are cached in one int
 * row per state indexed by byte class (the bytes that no NFA range tells apart share a class).
 *
 * <p>Since the sets hold live nodes only, every state has an accepting continuation, and a byte that
 * no member reads gives {@link #DEAD}: a step is DEAD exactly when no string of the language has the
 * prefix read. The start state is the closure through epsilon and {@code ^} edges; later closures
 * follow epsilon edges alone, and {@code $} counts only for acceptance.
 *
 * <p>Thread safety: new states and transitions are made under a lock; a cached transition is read
 * without locking, with acquire/release ordering on its cell so that the state it names (made before
 * the cell was written) is seen whole.
 */
final class LazyDfa implements ByteAutomaton {
  private static final int UNKNOWN = -2;
  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(int[].class);

  private final String pattern;
  private final String description;
  private final Nfa nfa;
  private final int maxStates;
  private final int[] classOf = new int[256];
  private final int[] representative;
  private final int start;

  private final Object lock = new Object();
  private volatile State[] states = new State[16];
  // guarded by lock
  private int count;
  private final Map<Key, Integer> ids = new HashMap<>();
  private final int[] mark;
  private final int[] stack;
  private final int[] found;
  private int stamp;

  /** A DFA state: its important NFA nodes (sorted), acceptance, and cached moves per byte class. */
  private static final class State {
    final int[] members;
    final boolean accepting;
    final int[] next;

    State(int[] members, boolean accepting, int classes) {
      this.members = members;
      this.accepting = accepting;
      this.next = new int[classes];
      Arrays.fill(next, UNKNOWN);
    }
  }

  private static final class Key {
    final int[] members;
    final boolean accepting;
    final int hash;

    Key(int[] members, boolean accepting) {
      this.members = members;
      this.accepting = accepting;
      this.hash = Arrays.hashCode(members) * 2 + (accepting ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.accepting == accepting && Arrays.equals(k.members, members);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  LazyDfa(Nfa nfa, String pattern, String description, int maxStates) {
    this.nfa = nfa;
    this.pattern = pattern;
    this.description = description;
    this.maxStates = maxStates;
    this.mark = new int[nfa.size];
    this.stack = new int[nfa.size];
    this.found = new int[nfa.size];
    boolean[] boundary = new boolean[257];
    for (int q = 0; q < nfa.size; q++) {
      if (nfa.important[q]) {
        boundary[nfa.lo[q]] = true;
        boundary[nfa.hi[q] + 1] = true;
      }
    }
    int c = -1;
    int[] reps = new int[256];
    for (int b = 0; b < 256; b++) {
      if (b == 0 || boundary[b]) {
        reps[++c] = b;
      }
      classOf[b] = c;
    }
    this.representative = Arrays.copyOf(reps, c + 1);
    synchronized (lock) {
      this.start = closure(new int[] {nfa.start}, 1, true);
    }
  }

  /** Number of byte classes (the width of a transition row). */
  int classes() {
    return representative.length;
  }

  /** Number of DFA states made so far. */
  int stateCount() {
    synchronized (lock) {
      return count;
    }
  }

  @Override
  public int start() {
    return start;
  }

  @Override
  public int step(int state, int b) {
    if ((b & ~0xFF) != 0) {
      throw BadInputException.of("byte", b, "a byte value 0..255");
    }
    State s = state(state);
    int c = classOf[b];
    int v = (int) CELL.getAcquire(s.next, c);
    if (v != UNKNOWN) {
      return v;
    }
    synchronized (lock) {
      v = s.next[c];
      if (v == UNKNOWN) {
        v = move(s, representative[c]);
        CELL.setRelease(s.next, c, v);
      }
      return v;
    }
  }

  @Override
  public boolean accepting(int state) {
    return state(state).accepting;
  }

  @Override
  public boolean mustEnd(int state) {
    State s = state(state);
    return s.accepting && s.members.length == 0;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  private State state(int id) {
    State[] arr = states;
    if (id >= 0 && id < arr.length && arr[id] != null) {
      return arr[id];
    }
    synchronized (lock) {
      if (id >= 0 && id < count) {
        return states[id];
      }
      throw BadInputException.of("state", id, "a live state of " + description + " (0.." + (count - 1) + ")");
    }
  }

  /** The state after byte {@code b} from {@code s} (under the lock). */
  private int move(State s, int b) {
    int[] seeds = new int[s.members.length];
    int n = 0;
    for (int q : s.members) {
      if (nfa.lo[q] <= b && b <= nfa.hi[q]) {
        seeds[n++] = nfa.next[q];
      }
    }
    return n == 0 ? DEAD : closure(seeds, n, false);
  }

  /**
   * The state of the closure of {@code seeds[0..n)}: through epsilon edges, and {@code ^} edges
   * when {@code atStart}; DEAD when it holds no important node and does not accept.
   */
  private int closure(int[] seeds, int n, boolean atStart) {
    int tag = ++stamp;
    int top = 0;
    int k = 0;
    boolean accepting = false;
    for (int i = 0; i < n; i++) {
      if (mark[seeds[i]] != tag) {
        mark[seeds[i]] = tag;
        stack[top++] = seeds[i];
      }
    }
    while (top > 0) {
      int q = stack[--top];
      if (!atStart && !nfa.live[q]) {
        continue; // nothing reachable from here is live
      }
      if (nfa.important[q]) {
        found[k++] = q;
      }
      accepting |= atStart ? nfa.startEndLive[q] : nfa.endLive[q];
      int kind = nfa.kind[q];
      if (kind == Nfa.EPS) {
        for (int t : nfa.eps[q]) {
          if (mark[t] != tag) {
            mark[t] = tag;
            stack[top++] = t;
          }
        }
      } else if (kind == Nfa.BEGIN && atStart && mark[nfa.next[q]] != tag) {
        mark[nfa.next[q]] = tag;
        stack[top++] = nfa.next[q];
      }
    }
    if (k == 0 && !accepting) {
      return DEAD;
    }
    int[] members = Arrays.copyOf(found, k);
    Arrays.sort(members);
    Key key = new Key(members, accepting);
    Integer id = ids.get(key);
    if (id != null) {
      return id;
    }
    if (count >= maxStates) {
      throw BadInputException.of("pattern", Parser.quote(pattern), "a pattern whose automaton needs at most " + maxStates
          + " DFA states (this one needs more: e.g. a counted repetition after an unbounded one, like (a|b)*a(a|b){20})");
    }
    State[] arr = states;
    if (count == arr.length) {
      arr = Arrays.copyOf(arr, arr.length * 2);
    }
    arr[count] = new State(members, accepting, representative.length);
    states = arr; // the cell written after this publishes the new state to lock-free readers
    ids.put(key, count);
    return count++;
  }
}
