package org.fewstep.text.token;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;

/**
 * The tokenizer of a model over a fixed list of symbols (an HMM's observations, a grammar's
 * terminals): symbol {@code i} is token id {@code i}, its bytes are its UTF-8, and an optional
 * end-of-sequence token {@value #EOS_TEXT} (special) comes last, with id {@code symbols.size()}.
 *
 * <p>{@link #encode} splits text on whitespace ({@link Character#isWhitespace}) and maps each piece
 * to its symbol, so symbols are non-empty and contain no whitespace. {@link #decode} joins the
 * symbols with single spaces and writes nothing for the end token: {@code decode(encode(s))} is
 * {@code s} with its whitespace runs collapsed to one space and its ends trimmed.
 */
public final class SymbolTokenizer implements Tokenizer {
  /** The text of the end-of-sequence token. */
  public static final String EOS_TEXT = "</s>";

  private static final int EXAMPLES = 5;

  private final List<String> symbols;
  private final Map<String, Integer> ids;
  private final Vocabulary vocabulary;

  /**
   * @param symbols the distinct symbols, in id order
   * @param withEos whether to add the end token {@value #EOS_TEXT} after them
   */
  public SymbolTokenizer(List<String> symbols, boolean withEos) {
    this.symbols = List.copyOf(symbols);
    this.ids = new HashMap<>();
    int size = symbols.size() + (withEos ? 1 : 0);
    byte[][] bytes = new byte[size][];
    boolean[] special = new boolean[size];
    for (int i = 0; i < this.symbols.size(); i++) {
      String s = this.symbols.get(i);
      if (s.isEmpty() || s.codePoints().anyMatch(Character::isWhitespace)) {
        throw BadInputException.of("symbol " + i, quote(s), "a non-empty symbol without whitespace");
      }
      if (withEos && s.equals(EOS_TEXT)) {
        throw BadInputException.of("symbol " + i, quote(s), "a symbol other than the end token " + EOS_TEXT);
      }
      Integer previous = ids.putIfAbsent(s, i);
      if (previous != null) {
        throw BadInputException.of("symbol " + i, quote(s), "a symbol distinct from symbol " + previous);
      }
      bytes[i] = s.getBytes(StandardCharsets.UTF_8);
    }
    int eos = -1;
    if (withEos) {
      eos = size - 1;
      bytes[eos] = EOS_TEXT.getBytes(StandardCharsets.UTF_8);
      special[eos] = true;
    }
    this.vocabulary = new Vocabulary(bytes, special, eos);
  }

  @Override
  public String name() {
    return "symbol";
  }

  @Override
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The symbols, in id order (without the end token). */
  public List<String> symbols() {
    return symbols;
  }

  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int begin = i;
      while (i < text.length() && !Character.isWhitespace(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      String piece = text.substring(begin, i);
      Integer id = ids.get(piece);
      if (id == null) {
        throw BadInputException.of("text piece " + out.size() + " (at character " + begin + ")", quote(piece),
            symbols.isEmpty() ? "no text (there are no symbols)"
                : "one of the " + symbols.size() + " symbols, e.g. " + examples());
      }
      out.add(id);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String decode(int[] tokens) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      vocabulary.requireToken("tokens[" + i + "]", tokens[i]);
      if (tokens[i] == vocabulary.eos()) {
        continue;
      }
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(symbols.get(tokens[i]));
    }
    return out.toString();
  }

  private String examples() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(EXAMPLES, symbols.size()); i++) {
      out.append(i == 0 ? "" : ", ").append(quote(symbols.get(i)));
    }
    return symbols.size() > EXAMPLES ? out + ", ..." : out.toString();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
