package org.fewstep.text;

/**
 * Text to token ids and back. {@code decode(encode(s)).equals(s)} for every text the tokenizer can
 * encode; text it cannot encode (a character outside a char vocabulary) is a clear error.
 */
public interface Tokenizer {

  /** The registry name: cl100k, o200k, p50k, r50k, char, word or symbol. */
  String name();

  /** The tokens and their bytes. */
  Vocabulary vocabulary();

  /** Token ids of {@code text}; special-token text is encoded as ordinary text. */
  int[] encode(String text);

  /**
   * The text of {@code ids}: the tokens' bytes as UTF-8 for byte-level tokenizers (special tokens give
   * their textual form); the symbol tokenizer joins its symbols with spaces and drops the end token.
   */
  String decode(int[] ids);
}
