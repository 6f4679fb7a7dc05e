package org.fewstep.constrain;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.IntPredicate;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * A slice of a vocabulary: the tokens whose bytes are one or more whole UTF-8 characters of a class,
 * with, for every r, the mask of those of at most r characters, and a {@link TokenTrie} of all the
 * other tokens. A mask in a state where every string of the class stays live takes the slice's
 * tokens at once and walks only the rest (the slicer of llguidance, decoding.md 15.2, in our own
 * form). Two slices are built per vocabulary, once, and shared:
 * <ul>
 *   <li>{@link #PLAIN}: JSON-string characters other than the quote, the backslash and the controls
 *       below U+0020 (194 033 of o200k's 200 019 tokens; the rest is a trie of 12 000 nodes): free
 *       text inside a JSON string;
 *   <li>{@link #ALNUM}: ASCII letters and digits: identifiers, e-mail local parts, codes.
 * </ul>
 */
public final class TokenSlice {
  /** The classes. */
  public enum Kind {
    PLAIN(cp -> cp >= 0x20 && cp != '"' && cp != '\\' && (cp < 0xD800 || cp > 0xDFFF)),
    ALNUM(cp -> cp >= '0' && cp <= '9' || cp >= 'A' && cp <= 'Z' || cp >= 'a' && cp <= 'z');

    final IntPredicate chars;

    Kind(IntPredicate chars) {
      this.chars = chars;
    }
  }

  /** The kinds in the order a mask tries them. */
  public static final Kind[] KINDS = Kind.values();

  private static final Map<Vocabulary, Map<Kind, TokenSlice>> SLICES = new WeakHashMap<>();

  private final Kind kind;
  private final long[][] upTo;
  private final TokenTrie others;

  private TokenSlice(Vocabulary vocabulary, Kind kind) {
    this.kind = kind;
    int words = (vocabulary.size() + 63) >>> 6;
    int[] chars = new int[vocabulary.size()];
    int longest = 0;
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int t = 0; t < chars.length; t++) {
      chars[t] = vocabulary.isUsed(t) && !vocabulary.isSpecial(t) ? chars(vocabulary.bytes(t), utf8, kind.chars) : -1;
      longest = Math.max(longest, chars[t]);
    }
    this.upTo = new long[longest + 1][words];
    for (int t = 0; t < chars.length; t++) {
      if (chars[t] >= 0) {
        upTo[chars[t]][t >>> 6] |= 1L << t;
      }
    }
    for (int r = 1; r <= longest; r++) {
      for (int w = 0; w < words; w++) {
        upTo[r][w] |= upTo[r - 1][w];
      }
    }
    this.others = TokenTrie.of(vocabulary, t -> chars[t] < 0);
  }

  /** The slice of {@code kind} of {@code vocabulary}, built on first use. */
  public static synchronized TokenSlice of(Vocabulary vocabulary, Kind kind) {
    return SLICES.computeIfAbsent(vocabulary, v -> new HashMap<>()).computeIfAbsent(kind, k -> new TokenSlice(vocabulary, k));
  }

  /** The plain slice of {@code vocabulary}. */
  public static TokenSlice of(Vocabulary vocabulary) {
    return of(vocabulary, Kind.PLAIN);
  }

  /** Number of characters of {@code bytes} if they are whole characters of the class, else -1 (empty: -1). */
  static int chars(byte[] bytes, CharsetDecoder utf8, IntPredicate allowed) {
    if (bytes.length == 0) {
      return -1;
    }
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!allowed.test(cp)) {
        return -1;
      }
      i += Character.charCount(cp);
      n++;
    }
    return n;
  }

  /** The most characters of a token in the slice. */
  public int longest() {
    return upTo.length - 1;
  }

  /** The slice's tokens of at most {@code room} characters, as mask words (read only). */
  public long[] upTo(int room) {
    return upTo[Math.min(room, upTo.length - 1)];
  }

  /** The trie of the tokens outside the slice. */
  public TokenTrie others() {
    return others;
  }

  /**
   * Whether every string of the slice's characters of at most {@link #longest} characters stays live
   * when read from {@code state} of {@code a}: a search over pairs (automaton state, position inside
   * a UTF-8 character) in order of characters read, which stops at the first dead step.
   */
  public boolean allLive(ByteAutomaton a, int state) {
    int limit = longest();
    // pairs packed as (automaton state << 3 | phase); phase: 0 at a character boundary, else bytes still expected
    Map<Long, Integer> depth = new HashMap<>();
    ArrayDeque<long[]> queue = new ArrayDeque<>();
    queue.add(new long[] {pack(state, 0, 0), 0});
    depth.put(pack(state, 0, 0), 0);
    while (!queue.isEmpty()) {
      long[] e = queue.poll();
      int s = (int) (e[0] >> 8);
      int phase = (int) (e[0] & 0xFF);
      int d = (int) e[1];
      if (phase == 0 && d >= limit) {
        continue;
      }
      for (int b = 0; b < 256; b++) {
        int next = nextPhase(phase, b);
        if (next < 0) {
          continue;
        }
        int t = a.step(s, b);
        if (t == ByteAutomaton.DEAD) {
          return false;
        }
        int nd = next == 0 ? d + 1 : d;
        long key = pack(t, next, 0);
        Integer seen = depth.get(key);
        if (seen == null || seen > nd) {
          depth.put(key, nd);
          queue.add(new long[] {key, nd});
        }
      }
    }
    return true;
  }

  private static long pack(int state, int phase, int unused) {
    return (long) state << 8 | phase;
  }

  /**
   * The byte phases of a character of the class: 0 at a boundary; for a multi-byte character the
   * phase remembers the lead byte's constraint on what follows (1..3 continuation bytes; 4..7 the
   * restricted second bytes after E0, ED, F0, F4). -1 when {@code b} cannot come next.
   */
  private int nextPhase(int phase, int b) {
    if (kind == Kind.ALNUM) {
      return phase == 0 && kind.chars.test(b) ? 0 : -1;
    }
    switch (phase) {
      case 0:
        if (b < 0x80) {
          return kind.chars.test(b) ? 0 : -1;
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
        return b >= 0x80 && b <= 0xBF ? 0 : -1;
      case 2:
        return b >= 0x80 && b <= 0xBF ? 1 : -1;
      case 3:
        return b >= 0x80 && b <= 0xBF ? 2 : -1;
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
}
