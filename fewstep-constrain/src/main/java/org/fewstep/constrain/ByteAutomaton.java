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

  /**
   * How many more plain characters may follow {@code state}, where {@code state} sits at a character
   * boundary inside a JSON string body; -1 (the default) when unknown or not such a state. A plain
   * character is a code point other than the quote, the backslash and the controls below U+0020,
   * written as shortest-form UTF-8 (no surrogates). Token masks use this to allow the plain tokens
   * of a string by counting their characters instead of walking them, the idea of llguidance's
   * "slicer" and XGrammar's context-independent tokens. A result {@code r >= 0} promises:
   * <ul>
   *   <li>a nonempty string of {@code n} plain characters stays live from {@code state} exactly when
   *       {@code n <= r} ({@link Integer#MAX_VALUE}: always);
   *   <li>no nonempty prefix of a plain string (whole characters or not) leads from {@code state} to
   *       an accepting state: the language cannot end inside plain text (a string body is closed by
   *       a quote).
   * </ul>
   */
  default int plainRoom(int state) {
    return -1;
  }

  /**
   * Whether {@code state}, whose {@link #plainRoom} is {@code r >= 0}, is interchangeable with every
   * other such state of this automaton for short strings: for any {@code L}, all states with this
   * property and a room of at least {@code L} keep the same byte strings of at most {@code L} bytes
   * live, and accept after the same ones. Masks then share one cache entry among all those states (a
   * string's character count no longer matters once it is far from the bound). False by default.
   */
  default boolean plainAlike(int state) {
    return false;
  }

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
}
