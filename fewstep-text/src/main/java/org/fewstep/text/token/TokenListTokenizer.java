package org.fewstep.text.token;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * A tokenizer whose vocabulary is a list of strings learned from a corpus: id 0 is the end of
 * sequence {@code </s>} (special), ids 1.. are the listed tokens. Decoding concatenates the texts.
 */
abstract class TokenListTokenizer implements Tokenizer {
  /** The text of the end-of-sequence token, id 0. */
  static final String EOS_TEXT = "</s>";

  private final String[] texts;
  private final Vocabulary vocabulary;

  TokenListTokenizer(List<String> tokens) {
    texts = new String[tokens.size() + 1];
    texts[0] = EOS_TEXT;
    byte[][] bytes = new byte[texts.length][];
    bytes[0] = EOS_TEXT.getBytes(StandardCharsets.UTF_8);
    for (int id = 1; id < texts.length; id++) {
      texts[id] = tokens.get(id - 1);
      bytes[id] = texts[id].getBytes(StandardCharsets.UTF_8);
    }
    boolean[] special = new boolean[texts.length];
    special[0] = true;
    vocabulary = new Vocabulary(bytes, special, 0);
  }

  /** The token texts of ids 1 .. size-1, in id order (what {@link Tokenizers#restore} takes back). */
  final List<String> tokens() {
    return List.of(Arrays.copyOfRange(texts, 1, texts.length));
  }

  @Override
  public final Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public final String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      vocabulary.requireToken("ids[" + i + "]", ids[i]);
      out.append(texts[ids[i]]);
    }
    return out.toString();
  }

  /** The error for a code point of {@code text} at char index {@code index} that has no token. */
  final BadInputException unknownCharacter(int codePoint, int index) {
    return BadInputException.of("character at index " + index,
        "'" + Character.toString(codePoint) + "' (" + String.format("U+%04X", codePoint) + ")",
        "one of the " + (vocabulary.size() - 1) + " tokens of the " + name() + " tokenizer's vocabulary");
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + vocabulary.size() + " tokens]";
  }
}
