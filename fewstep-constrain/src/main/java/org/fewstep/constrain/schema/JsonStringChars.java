package org.fewstep.constrain.schema;

import org.fewstep.constrain.ByteAutomaton;

/**
 * The inside of a JSON string literal holding {@code min} to {@code max} characters (code points, as
 * JSON Schema's minLength and maxLength count them): raw UTF-8 (shortest form, no surrogates, no
 * quote, backslash or control character), two-character escapes, or {@code \}{@code uXXXX} for a
 * non-surrogate code point, the language of {@code Regex.jsonStringBody("[^]{min,max}", false)}.
 * Built directly as a counter times the phase inside a character, so a large {@code maxLength} costs
 * no unrolled automaton: state = count * PHASES + phase.
 */
final class JsonStringChars implements ByteAutomaton {
  /** At a character boundary. */
  private static final int BOUNDARY = 0;
  /** 1, 2 or 3 continuation bytes (80..BF) still to read. */
  private static final int MORE1 = 1;
  private static final int MORE2 = 2;
  private static final int MORE3 = 3;
  /** After E0 (next A0..BF), ED (next 80..9F), F0 (next 90..BF), F4 (next 80..8F). */
  private static final int AFTER_E0 = 4;
  private static final int AFTER_ED = 5;
  private static final int AFTER_F0 = 6;
  private static final int AFTER_F4 = 7;
  /** After a backslash. */
  private static final int ESCAPE = 8;
  /** After backslash-u: 4 hex digits to read; after a first digit D: the second must be 0..7. */
  private static final int HEX4 = 9;
  private static final int AFTER_D = 10;
  private static final int HEX2 = 11;
  private static final int HEX1 = 12;
  private static final int HEX3 = 13;
  private static final int PHASES = 14;

  private final int min;
  private final int max;
  /** The largest count kept: max, or min when unbounded (counts above min are alike). */
  private final int cap;

  /** @param max the most characters, or -1 for no bound */
  JsonStringChars(int min, int max) {
    this.min = min;
    this.max = max;
    this.cap = max < 0 ? min : max;
  }

  @Override
  public int start() {
    return 0;
  }

  @Override
  public int step(int state, int b) {
    int count = state / PHASES;
    int phase = state % PHASES;
    int next = switch (phase) {
      case BOUNDARY -> startChar(b);
      case MORE1 -> cont(b) ? -2 : DEAD;
      case MORE2 -> cont(b) ? MORE1 : DEAD;
      case MORE3 -> cont(b) ? MORE2 : DEAD;
      case AFTER_E0 -> b >= 0xA0 && b <= 0xBF ? MORE1 : DEAD;
      case AFTER_ED -> b >= 0x80 && b <= 0x9F ? MORE1 : DEAD;
      case AFTER_F0 -> b >= 0x90 && b <= 0xBF ? MORE2 : DEAD;
      case AFTER_F4 -> b >= 0x80 && b <= 0x8F ? MORE2 : DEAD;
      case ESCAPE -> b == 'u' ? HEX4 : "\"\\/bfnrt".indexOf(b) >= 0 ? -2 : DEAD;
      case HEX4 -> b == 'd' || b == 'D' ? AFTER_D : hex(b) ? HEX3 : DEAD;
      case AFTER_D -> b >= '0' && b <= '7' ? HEX2 : DEAD;
      case HEX3 -> hex(b) ? HEX2 : DEAD;
      case HEX2 -> hex(b) ? HEX1 : DEAD;
      default -> hex(b) ? -2 : DEAD; // HEX1
    };
    if (next == DEAD) {
      return DEAD;
    }
    if (phase == BOUNDARY && max >= 0 && count >= max) {
      return DEAD; // no room for another character
    }
    if (next == -2) { // a character completed
      return Math.min(count + 1, cap) * PHASES + BOUNDARY;
    }
    return count * PHASES + next;
  }

  /** The phase after the first byte of a character; -2 when that byte is the whole character. */
  private static int startChar(int b) {
    if (b == '\\') {
      return ESCAPE;
    }
    if (b < 0x20 || b == '"') {
      return DEAD;
    }
    if (b < 0x80) {
      return -2;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      return MORE1;
    }
    if (b == 0xE0) {
      return AFTER_E0;
    }
    if (b == 0xED) {
      return AFTER_ED;
    }
    if (b >= 0xE1 && b <= 0xEF) {
      return MORE2;
    }
    if (b == 0xF0) {
      return AFTER_F0;
    }
    if (b >= 0xF1 && b <= 0xF3) {
      return MORE3;
    }
    return b == 0xF4 ? AFTER_F4 : DEAD;
  }

  private static boolean cont(int b) {
    return b >= 0x80 && b <= 0xBF;
  }

  private static boolean hex(int b) {
    return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
  }

  @Override
  public boolean accepting(int state) {
    return state % PHASES == BOUNDARY && state / PHASES >= min;
  }

  @Override
  public boolean mustEnd(int state) {
    return accepting(state) && max >= 0 && state / PHASES >= max;
  }

  /**
   * The characters that may still follow {@code state} at a character boundary ({@link
   * Integer#MAX_VALUE} without a maximum), or -1 inside a character. This automaton accepts at
   * boundaries, so it is not itself a {@link #plainRoom} automaton; {@link Quoted} is, through it.
   */
  int room(int state) {
    if (state % PHASES != BOUNDARY) {
      return -1;
    }
    return max < 0 ? Integer.MAX_VALUE : max - state / PHASES;
  }

  /** Whether the minimum is met at {@code state}: all such boundary states differ only in their room. */
  boolean minimumMet(int state) {
    return state / PHASES >= min;
  }

  @Override
  public String describe() {
    return "json-string-chars{" + min + "," + (max < 0 ? "" : max) + "}";
  }
}
