package org.fewstep.constrain.regex;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.fewstep.constrain.ByteAutomaton;

/** Test helpers: walks, strict UTF-8 decoding, and shortest accepted continuations by BFS. */
final class Walks {
  private Walks() {}

  static int walk(ByteAutomaton a, byte[] bytes) {
    int s = a.start();
    for (int i = 0; i < bytes.length && s != ByteAutomaton.DEAD; i++) {
      s = a.step(s, bytes[i] & 0xFF);
    }
    return s;
  }

  static int walk(ByteAutomaton a, String text) {
    return walk(a, text.getBytes(StandardCharsets.UTF_8));
  }

  static boolean accepts(ByteAutomaton a, String text) {
    int s = walk(a, text);
    return s != ByteAutomaton.DEAD && a.accepting(s);
  }

  static boolean acceptsBytes(ByteAutomaton a, int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    int s = walk(a, b);
    return s != ByteAutomaton.DEAD && a.accepting(s);
  }

  /** The text of strict UTF-8 {@code bytes}, or null when they are not valid UTF-8. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Shortest bytes from live {@code state} to an accepting state (BFS over all 256 bytes), or null. */
  static byte[] completion(ByteAutomaton a, int state) {
    Map<Integer, int[]> parent = new HashMap<>(); // state -> {previous state, byte}
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    parent.put(state, null);
    queue.add(state);
    while (!queue.isEmpty()) {
      int s = queue.poll();
      if (a.accepting(s)) {
        byte[] out = new byte[0];
        for (int[] p = parent.get(s); p != null; p = parent.get(p[0])) {
          out = Arrays.copyOf(out, out.length + 1);
          System.arraycopy(out, 0, out, 1, out.length - 1);
          out[0] = (byte) p[1];
        }
        return out;
      }
      for (int b = 0; b < 256; b++) {
        int t = a.step(s, b);
        if (t != ByteAutomaton.DEAD && !parent.containsKey(t)) {
          parent.put(t, new int[] {s, b});
          queue.add(t);
        }
      }
    }
    return null;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
