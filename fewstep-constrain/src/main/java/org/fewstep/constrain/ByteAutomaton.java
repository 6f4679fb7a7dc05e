package org.fewstep.constrain;

/**
 * A language of byte strings read one byte at a time, with states numbered by ints (a DFA, usually
 * built lazily as it is walked). {@link #step} returns {@link #DEAD} exactly when no string of the
 * language starts with the bytes read: a live state always has an accepting continuation, so a token
 * mask built on it never admits a token the language cannot finish.
 */
public interface ByteAutomaton {
  /** The state of a prefix that no string of the language has. */
  int DEAD = -1;

  /** The state of the empty prefix ({@link #DEAD} for the empty language). */
  int start();

  /** The state after byte {@code b} (0..255) from a live {@code state}, or {@link #DEAD}. */
  int step(int state, int b);

  /** Whether the bytes read to reach {@code state} form a string of the language. */
  boolean accepting(int state);

  /** Whether {@code state} is accepting and no byte leads to a live state. */
  boolean mustEnd(int state);

  /** The pattern or definition, for messages. */
  String describe();

  /** The state after {@code bytes} read from the start, or {@link #DEAD} once no string of the language has them. */
  default int walk(byte[] bytes) {
    int s = start();
    for (int i = 0; i < bytes.length && s != DEAD; i++) {
      s = step(s, bytes[i] & 0xFF);
    }
    return s;
  }

  /** Whether {@code bytes} are a string of the language. */
  default boolean accepts(byte[] bytes) {
    int s = walk(bytes);
    return s != DEAD && accepting(s);
  }

  /** Whether the UTF-8 bytes of {@code text} are a string of the language. */
  default boolean accepts(String text) {
    return accepts(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * For a state inside the body of a JSON string: how many plain characters may follow, or -1 when
   * the automaton does not say (the default). Plain characters are the code points other than the
   * quote, the backslash and the controls below U+0020, written as valid UTF-8 ({@link TokenSlice}).
   * A value r >= 0 promises that a string of plain characters read from {@code state} stays live
   * exactly when it has at most r of them ({@code Integer.MAX_VALUE}: any number), so a token mask
   * can take every plain token of at most r characters at once, as llguidance's slicer does, and walk
   * only the other tokens.
   */
  default int plainRoom(int state) {
    return -1;
  }
}
