package org.fewstep.constrain.grammar;

import java.util.Arrays;
import org.fewstep.constrain.ByteAutomaton;

/**
 * A lexeme's automaton as a table filled in as walks go: one row of 256 moves per state met, so that
 * a mask walk reads an array where it would otherwise make an interface call (a walk meets several
 * kinds of automata, and the call site would be megamorphic). Cells hold the next state plus 2 (1
 * for DEAD) and 0 while unknown, so a row seen before its cells are written reads as unknown: the
 * table may be filled by several threads without locks and only ever loses work. States past
 * {@link #MAX_STATE}, and new states once {@link #MAX_ROWS} rows are kept, are stepped directly.
 */
final class StepTable {
  /** The largest state kept in the table. */
  static final int MAX_STATE = 1 << 16;
  /** The most rows kept (1 KiB each); states met after that are stepped directly. */
  static final int MAX_ROWS = 4096;

  final ByteAutomaton automaton;
  private int[][] rows = new int[16][];
  /** Acceptance per state: 0 unknown, 1 no, 2 yes. */
  private byte[] accepts = new byte[16];
  private int rowCount;

  StepTable(ByteAutomaton automaton) {
    this.automaton = automaton;
  }

  int step(int state, int b) {
    int[][] r = rows;
    if (state < r.length) {
      int[] row = r[state];
      if (row != null) {
        int v = row[b];
        if (v != 0) {
          return v - 2;
        }
      }
    }
    return learn(state, b);
  }

  private int learn(int state, int b) {
    int next = automaton.step(state, b);
    if (state <= MAX_STATE) {
      int[][] r = rows;
      if (state >= r.length) {
        r = Arrays.copyOf(r, Math.max(2 * r.length, state + 1));
        rows = r;
      }
      int[] row = r[state];
      if (row == null) {
        if (rowCount >= MAX_ROWS) {
          return next;
        }
        rowCount++;
        row = new int[256];
        r[state] = row;
      }
      row[b] = next + 2;
    }
    return next;
  }

  boolean accepting(int state) {
    byte[] a = accepts;
    if (state < a.length) {
      byte v = a[state];
      if (v != 0) {
        return v == 2;
      }
    }
    boolean yes = automaton.accepting(state);
    if (state <= MAX_STATE) {
      if (state >= a.length) {
        a = Arrays.copyOf(a, Math.max(2 * a.length, state + 1));
        accepts = a;
      }
      a[state] = (byte) (yes ? 2 : 1);
    }
    return yes;
  }
}
