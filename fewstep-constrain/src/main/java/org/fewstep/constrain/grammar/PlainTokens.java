package org.fewstep.constrain.grammar;

import java.util.Map;
import java.util.WeakHashMap;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * A vocabulary's tokens sorted for the JSON-string "slicer" (after llguidance's slicer, which splits
 * the vocabulary by the lexer contexts that accept most of it): a token is plain when its bytes are
 * whole UTF-8 characters, none of them a quote, a backslash or a control below U+0020. Inside a JSON
 * string body, a plain token is allowed exactly when its character count fits the room left
 * ({@link org.fewstep.constrain.ByteAutomaton#plainRoom}), so a mask there is one of the bitsets
 * {@link #upTo} plus a walk over the trie of the other tokens, which is about 3% of cl100k and o200k.
 * Built once per vocabulary and shared, like its token trie.
 */
public final class PlainTokens {
  /** By vocabulary (which the tables do not hold, so an entry goes with its vocabulary). */
  private static final Map<Vocabulary, PlainTokens> BUILT = new WeakHashMap<>();

  private final TrieIndex all;
  private final TrieIndex others;
  private final long[][] upTo;
  private final int longest;
  private final int count;

  private PlainTokens(Vocabulary vocabulary, TokenTrie trie) {
    int[] chars = new int[vocabulary.size()];
    int most = 0;
    int plain = 0;
    for (int id = 0; id < vocabulary.size(); id++) {
      chars[id] = vocabulary.isUsed(id) && !vocabulary.isSpecial(id) ? plainChars(vocabulary.bytes(id)) : -1;
      most = Math.max(most, chars[id]);
      plain += chars[id] > 0 ? 1 : 0;
    }
    this.count = plain;
    this.upTo = new long[most + 1][];
    int[][] byCount = new int[most + 1][];
    int[] sizes = new int[most + 1];
    for (int id = 0; id < chars.length; id++) {
      if (chars[id] > 0) {
        sizes[chars[id]]++;
      }
    }
    for (int k = 0; k <= most; k++) {
      byCount[k] = new int[sizes[k]];
      sizes[k] = 0;
    }
    for (int id = 0; id < chars.length; id++) {
      if (chars[id] > 0) {
        byCount[chars[id]][sizes[chars[id]]++] = id;
      }
    }
    long[] bits = new long[(vocabulary.size() + 64) >>> 6]; // with TrieIndex's spare bit
    for (int k = 0; k <= most; k++) {
      for (int id : byCount[k]) {
        bits[id >>> 6] |= 1L << id;
      }
      upTo[k] = bits.clone();
    }
    int[] c = chars;
    this.others = new TrieIndex(TokenTrie.of(vocabulary, id -> c[id] <= 0 && vocabulary.bytes(id).length > 0),
        vocabulary.size());
    this.all = new TrieIndex(trie, vocabulary.size());
    this.longest = trie.maxDepth();
  }

  /** The tables of {@code vocabulary}, whose trie is {@code trie}, built once (per trie). */
  public static synchronized PlainTokens of(Vocabulary vocabulary, TokenTrie trie) {
    PlainTokens known = BUILT.get(vocabulary);
    if (known == null || known.all.trie != trie) {
      known = new PlainTokens(vocabulary, trie);
      BUILT.put(vocabulary, known);
    }
    return known;
  }

  /**
   * The number of plain characters of {@code bytes}, or -1 when they are not whole plain characters
   * (0 for no bytes).
   */
  static int plainChars(byte[] bytes) {
    int n = 0;
    for (int i = 0; i < bytes.length; n++) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b < 0x20 || b == '"' || b == '\\') {
          return -1;
        }
        i++;
        continue;
      }
      int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
      if (length == 0 || i + length > bytes.length) {
        return -1;
      }
      int cp = b & (0xFF >>> (length + 1));
      for (int k = 1; k < length; k++) {
        int c = bytes[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return -1;
        }
        cp = cp << 6 | c & 0x3F;
      }
      if (length == 3 && (cp < 0x800 || cp >= 0xD800 && cp <= 0xDFFF) || length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) {
        return -1;
      }
      i += length;
    }
    return n;
  }

  /**
   * The phase after byte {@code b} in a string of plain characters: 0 at a character boundary, 1 to
   * 3 continuation bytes still to read, 4 to 7 after the lead bytes E0, ED, F0 and F4 (whose next
   * byte has a narrower range); -1 when {@code b} cannot come next.
   */
  static int plainPhase(int phase, int b) {
    switch (phase) {
      case 0:
        if (b < 0x80) {
          return b < 0x20 || b == '"' || b == '\\' ? -1 : 0;
        }
        if (b >= 0xC2 && b <= 0xDF) {
          return 1;
        }
        if (b == 0xE0) {
          return 4;
        }
        if (b == 0xED) {
          return 5;
        }
        if (b >= 0xE1 && b <= 0xEF) {
          return 2;
        }
        if (b == 0xF0) {
          return 6;
        }
        if (b >= 0xF1 && b <= 0xF3) {
          return 3;
        }
        return b == 0xF4 ? 7 : -1;
      case 1:
      case 2:
      case 3:
        return b >= 0x80 && b <= 0xBF ? phase - 1 : -1;
      case 4:
        return b >= 0xA0 && b <= 0xBF ? 1 : -1;
      case 5:
        return b >= 0x80 && b <= 0x9F ? 1 : -1;
      case 6:
        return b >= 0x90 && b <= 0xBF ? 2 : -1;
      default:
        return b >= 0x80 && b <= 0x8F ? 2 : -1;
    }
  }

  /** The plain tokens of at most {@code k >= 0} characters, as a bitset over token ids (do not modify). */
  long[] upTo(int k) {
    return upTo[Math.min(k, upTo.length - 1)];
  }

  /** The trie of the other tokens (of at least one byte), indexed. */
  TrieIndex others() {
    return others;
  }

  /** The vocabulary's whole trie, indexed. */
  TrieIndex all() {
    return all;
  }

  /** The longest token, in bytes: states with at least this much room are alike for every token. */
  int longest() {
    return longest;
  }

  /** Number of plain tokens. */
  public int plainCount() {
    return count;
  }

  /** Number of tokens that are not plain. */
  public int otherCount() {
    return others.trie.tokenCount();
  }
}
