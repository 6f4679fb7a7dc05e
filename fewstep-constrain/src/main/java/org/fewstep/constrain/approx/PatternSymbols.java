package org.fewstep.constrain.approx;

import java.util.Arrays;

/**
 * The distinct symbols of a pattern, numbered {@code 0..count-1} in order of first occurrence, with
 * their occurrence positions in the pattern (CSR layout) and the text rewritten to those numbers
 * ({@code -1} for a text symbol absent from the pattern: it can never match). Lookup is an
 * open-addressing hash table over the raw {@code int} symbols.
 */
final class PatternSymbols {
  final int count;
  /** {@code positions[start[a] .. start[a+1])}: the pattern indices holding symbol {@code a}, ascending. */
  final int[] start;
  final int[] positions;
  /** Pattern rewritten to dense ids. */
  final int[] pattern;
  /** Text rewritten to dense ids, {@code -1} where absent from the pattern. */
  final int[] text;
  /** Occurrences of each dense id in the text. */
  final int[] textCount;

  PatternSymbols(int[] rawText, int[] rawPattern) {
    int m = rawPattern.length;
    int capacity = Integer.highestOneBit(Math.max(4, 2 * m)) << 1;
    int mask = capacity - 1;
    int[] keys = new int[capacity];
    int[] ids = new int[capacity];
    Arrays.fill(ids, -1);
    pattern = new int[m];
    int distinct = 0;
    for (int j = 0; j < m; j++) {
      int key = rawPattern[j];
      int slot = hash(key) & mask;
      while (ids[slot] >= 0 && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      if (ids[slot] < 0) {
        keys[slot] = key;
        ids[slot] = distinct++;
      }
      pattern[j] = ids[slot];
    }
    count = distinct;
    start = new int[distinct + 1];
    for (int j = 0; j < m; j++) {
      start[pattern[j] + 1]++;
    }
    for (int a = 0; a < distinct; a++) {
      start[a + 1] += start[a];
    }
    positions = new int[m];
    int[] fill = Arrays.copyOf(start, distinct);
    for (int j = 0; j < m; j++) {
      positions[fill[pattern[j]]++] = j;
    }
    int n = rawText.length;
    text = new int[n];
    textCount = new int[distinct];
    for (int i = 0; i < n; i++) {
      int key = rawText[i];
      int slot = hash(key) & mask;
      int id = -1;
      while (ids[slot] >= 0) {
        if (keys[slot] == key) {
          id = ids[slot];
          break;
        }
        slot = (slot + 1) & mask;
      }
      text[i] = id;
      if (id >= 0) {
        textCount[id]++;
      }
    }
  }

  int patternCount(int a) {
    return start[a + 1] - start[a];
  }

  private static int hash(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
