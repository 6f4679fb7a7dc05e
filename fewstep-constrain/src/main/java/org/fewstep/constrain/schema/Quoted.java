package org.fewstep.constrain.schema;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.Intersection;

/**
 * A JSON string literal: a quote, a string body read by {@code body} (JSON-encoded characters, as
 * {@link org.fewstep.constrain.regex.Regex#jsonStringBody} makes), a closing quote. A raw quote never
 * occurs inside an encoded body, so the closing quote is recognized where the body accepts; liveness
 * stays exact because every live body state can be finished and closed.
 */
final class Quoted implements ByteAutomaton {
  private static final int OPEN = 0;
  private static final int CLOSED = 1;
  private final ByteAutomaton body;
  /** Whether every string body can be extended to one the body accepts (see {@link #open}). */
  private final boolean open;

  Quoted(ByteAutomaton body) {
    this(body, false);
  }

  private Quoted(ByteAutomaton body, boolean open) {
    this.body = body;
    this.open = open;
  }

  /**
   * A string literal whose {@code body} rejects finitely many strings (names other than a schema's,
   * say): every string body can be extended to one it accepts, so plain text never ends it. The body
   * is read alongside unbounded {@link JsonStringChars}, which says where characters end and so
   * where {@link #plainRoom} is unbounded.
   */
  static Quoted open(ByteAutomaton body) {
    return new Quoted(new Intersection(body, new JsonStringChars(0, -1)), true);
  }

  @Override
  public int start() {
    return body.start() == DEAD ? DEAD : OPEN;
  }

  @Override
  public int step(int state, int b) {
    if (state == OPEN) {
      return b == '"' ? body.start() + 2 : DEAD;
    }
    if (state == CLOSED) {
      return DEAD;
    }
    int s = body.step(state - 2, b);
    if (s != DEAD) {
      return s + 2;
    }
    return b == '"' && body.accepting(state - 2) ? CLOSED : DEAD;
  }

  @Override
  public boolean accepting(int state) {
    return state == CLOSED;
  }

  @Override
  public boolean mustEnd(int state) {
    return state == CLOSED;
  }

  /**
   * The room of the body at {@code state}: for {@link JsonStringChars}, its count against the bound;
   * for an intersection, the room of one side where the other accepts every string body from its
   * state (a pattern already matched, as a search pattern is after its match); for another body, no
   * bound where it accepts every string body. Plain characters never close the string, so this
   * literal accepts only after the quote.
   */
  @Override
  public int plainRoom(int state) {
    if (state < 2) {
      return -1;
    }
    if (body instanceof JsonStringChars chars) {
      return chars.room(state - 2);
    }
    if (open) { // at a character boundary, any plain text can follow
      Intersection x = (Intersection) body;
      return ((JsonStringChars) x.second()).room(x.secondState(state - 2)) >= 0 ? Integer.MAX_VALUE : -1;
    }
    return (int) analysis(state - 2);
  }

  /**
   * States whose body has met its minimum length and accepts whatever a pattern adds differ only
   * in their room, so they are alike for strings shorter than their room.
   */
  @Override
  public boolean plainAlike(int state) {
    if (state < 2) {
      return false;
    }
    if (body instanceof JsonStringChars chars) {
      return chars.room(state - 2) >= 0 && chars.minimumMet(state - 2);
    }
    return !open && (analysis(state - 2) & ALIKE) != 0; // an open body's few states are cached one by one
  }

  private static final long ALIKE = 1L << 32;
  private static final long UNIVERSAL = 1L << 33;
  private static final long UNKNOWN = 0xFFFFFFFFL;
  private final Map<Integer, Long> analyses = new ConcurrentHashMap<>();
  private final Map<ByteAutomaton, Map<Integer, Boolean>> universals = new ConcurrentHashMap<>();

  /** Room (low 32 bits, -1 unknown), {@link #ALIKE} and {@link #UNIVERSAL} of the body at {@code s}. */
  private long analysis(int s) {
    Long known = analyses.get(s);
    if (known == null) {
      known = analyze(body, s);
      analyses.put(s, known);
    }
    return known;
  }

  private long analyze(ByteAutomaton a, int s) {
    if (a instanceof JsonStringChars chars) {
      int room = chars.room(s);
      if (room < 0) {
        return UNKNOWN;
      }
      boolean met = chars.minimumMet(s);
      return (room & 0xFFFFFFFFL) | (met ? ALIKE : 0) | (met && room == Integer.MAX_VALUE ? UNIVERSAL : 0);
    }
    if (a instanceof Intersection x) {
      long first = analyze(x.first(), x.firstState(s));
      if ((first & UNIVERSAL) != 0) { // the product lives and accepts as the second side does
        return analyze(x.second(), x.secondState(s));
      }
      long second = analyze(x.second(), x.secondState(s));
      return (second & UNIVERSAL) != 0 ? first & 0xFFFFFFFFL : UNKNOWN;
    }
    return universal(a, s) ? (Integer.MAX_VALUE | ALIKE | UNIVERSAL) : UNKNOWN;
  }

  /** The most (phase, state) pairs {@link #universal} visits before it answers no. */
  private static final int MAX_PAIRS = 1024;
  private static final JsonStringChars ANY_BODY = new JsonStringChars(0, -1);

  /**
   * Whether {@code a} accepts every JSON string body from {@code s}: a search of the pairs of a
   * character phase ({@link JsonStringChars} unbounded, whose states are its phases) and a state of
   * {@code a} that every body byte string reaches; each must be live, and accepting at boundaries.
   * Cached per automaton and state; a search that grows past {@link #MAX_PAIRS} answers no.
   */
  private boolean universal(ByteAutomaton a, int s) {
    Map<Integer, Boolean> known = universals.computeIfAbsent(a, k -> new ConcurrentHashMap<>());
    Boolean answer = known.get(s);
    if (answer == null) {
      answer = search(a, s);
      known.put(s, answer);
    }
    return answer;
  }

  private static boolean search(ByteAutomaton a, int s) {
    if (!a.accepting(s)) {
      return false;
    }
    Set<Long> seen = new HashSet<>();
    ArrayDeque<long[]> pending = new ArrayDeque<>();
    seen.add((long) s);
    pending.add(new long[] {ANY_BODY.start(), s});
    while (!pending.isEmpty()) {
      long[] at = pending.poll();
      for (int b = 0; b < 256; b++) {
        int phase = ANY_BODY.step((int) at[0], b);
        if (phase == DEAD) {
          continue;
        }
        int next = a.step((int) at[1], b);
        if (next == DEAD || ANY_BODY.accepting(phase) && !a.accepting(next)) {
          return false;
        }
        if (seen.add((long) phase << 32 | (next & 0xFFFFFFFFL))) {
          if (seen.size() > MAX_PAIRS) {
            return false;
          }
          pending.add(new long[] {phase, next});
        }
      }
    }
    return true;
  }

  @Override
  public String describe() {
    return "\"" + body.describe() + "\"";
  }
}
