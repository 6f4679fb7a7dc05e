package org.fewstep.text.token;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Names;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * A byte-level BPE tokenizer of the tiktoken family (r50k: GPT-2/3, p50k: Codex, cl100k: GPT-3.5/4,
 * o200k: GPT-4o), encoded and decoded by JTokkit. The vocabulary holds every id below the largest
 * one; ids JTokkit cannot decode (cl100k's and o200k's holes below their special tokens) are unused.
 * Special tokens carry their text ({@code <|endoftext|>}) and end of text is the EOS. Text is always
 * encoded as ordinary text, so special-token text in the input becomes ordinary tokens.
 *
 * <p>Instances come from {@link Tokenizers#bpe}; each encoding's vocabulary is built once, on first
 * use, and shared.
 */
public final class BpeTokenizer implements Tokenizer {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final Map<Base, BpeTokenizer> CACHE = new ConcurrentHashMap<>();

  /** The encodings: name, JTokkit type, number of ids, end of text and the special ids. */
  enum Base {
    R50K("r50k", EncodingType.R50K_BASE, 50257, 50256),
    P50K("p50k", EncodingType.P50K_BASE, 50281, 50256),
    CL100K("cl100k", EncodingType.CL100K_BASE, 100277, 100257, 100258, 100259, 100260, 100276),
    O200K("o200k", EncodingType.O200K_BASE, 200019, 199999, 200018);

    final String key;
    final EncodingType type;
    final int size;
    final int eos;
    final int[] special;

    Base(String key, EncodingType type, int size, int... special) {
      this.key = key;
      this.type = type;
      this.size = size;
      this.eos = special[0];
      this.special = special;
    }
  }

  /** The encoding names, in registry order. */
  static final List<String> NAMES = Arrays.stream(Base.values()).map(b -> b.key).toList();

  private final Base base;
  private final Encoding encoding;
  private final Vocabulary vocabulary;

  private BpeTokenizer(Base base) {
    this.base = base;
    this.encoding = REGISTRY.getEncoding(base.type);
    byte[][] bytes = new byte[base.size][];
    for (int id = 0; id < base.size; id++) {
      bytes[id] = decodable(encoding, id);
    }
    boolean[] special = new boolean[base.size];
    for (int id : base.special) {
      special[id] = true;
    }
    this.vocabulary = new Vocabulary(bytes, special, base.eos);
  }

  /** The tokenizer called {@code name} (r50k, p50k, cl100k or o200k). */
  static BpeTokenizer of(String name) {
    for (Base b : Base.values()) {
      if (b.key.equals(name)) {
        return CACHE.computeIfAbsent(b, BpeTokenizer::new);
      }
    }
    throw new BadInputException("unknown BPE tokenizer '" + name + "'" + Names.suggestion(String.valueOf(name), NAMES)
        + "; valid BPE tokenizers: " + String.join(", ", NAMES));
  }

  /** The bytes of {@code id}, or null when JTokkit has no token with that id (it throws for those). */
  private static byte[] decodable(Encoding encoding, int id) {
    IntArrayList one = new IntArrayList(1);
    one.add(id);
    try {
      return encoding.decodeBytes(one);
    } catch (RuntimeException unknownId) {
      return null;
    }
  }

  @Override
  public String name() {
    return base.key;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int[] encode(String text) {
    return encoding.encodeOrdinary(text).toArray();
  }

  @Override
  public String decode(int[] ids) {
    IntArrayList list = new IntArrayList(ids.length);
    for (int i = 0; i < ids.length; i++) {
      vocabulary.requireToken("ids[" + i + "]", ids[i]);
      list.add(ids[i]);
    }
    return new String(encoding.decodeBytes(list), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "BpeTokenizer[" + base.key + "]";
  }
}
