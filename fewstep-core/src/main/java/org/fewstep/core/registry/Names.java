package org.fewstep.core.registry;

import java.util.Collection;

/** "Did you mean" suggestions for mistyped names and keys. */
public final class Names {
  private Names() {}

  /**
   * {@code " (did you mean 'x'?)"} for the closest candidate within edit distance 2, or else the
   * first candidate that extends what was typed; empty if none.
   */
  public static String suggestion(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String c : candidates) {
      if (best == null && typed.length() >= 2 && c.startsWith(typed)) {
        best = c;
      }
      int d = distance(typed.toLowerCase(), c.toLowerCase());
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
