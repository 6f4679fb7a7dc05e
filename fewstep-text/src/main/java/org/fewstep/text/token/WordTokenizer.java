package org.fewstep.text.token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fewstep.core.BadInputException;

/**
 * Words, punctuation and spaces as tokens, with single code points as the fallback. Text is split
 * into pieces (see {@link #pieces}); the vocabulary is id 0 = end of sequence {@code </s>}, then, in
 * sorted order, every code point of the corpus and every piece seen at least {@code minCount} times.
 * A piece outside the vocabulary is spelled with its code points, so any text made of the corpus's
 * characters encodes, and decoding (concatenation) gives the text back exactly.
 */
public final class WordTokenizer extends TokenListTokenizer {
  private final Map<String, Integer> ids = new HashMap<>();

  private WordTokenizer(List<String> tokens) {
    super(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i + 1);
    }
  }

  /** The tokenizer of {@code lines}: their code points and their pieces seen at least {@code minCount} times. */
  public static WordTokenizer fromCorpus(Iterable<String> lines, int minCount) {
    BadInputException.requireAtLeast("minCount", minCount, 1);
    Map<String, Integer> counts = new HashMap<>();
    TreeSet<String> tokens = new TreeSet<>();
    for (String line : lines) {
      line.codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
      for (String piece : pieces(line)) {
        counts.merge(piece, 1, Integer::sum);
      }
    }
    counts.forEach((piece, count) -> {
      if (count >= minCount) {
        tokens.add(piece);
      }
    });
    return new WordTokenizer(new ArrayList<>(tokens));
  }

  /** The tokenizer whose ids 1.. are {@code tokens}: distinct pieces in increasing order. */
  static WordTokenizer restore(List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (!pieces(t).equals(List.of(t)) || (i > 0 && t.compareTo(tokens.get(i - 1)) <= 0)) {
        throw BadInputException.of("word token " + (i + 1), "'" + t + "'",
            "a single piece (word, punctuation or space run) sorting after the previous token");
      }
    }
    return new WordTokenizer(tokens);
  }

  /**
   * Splits {@code text} into pieces whose concatenation is {@code text}: an optional single space and
   * a maximal run of letters, digits and apostrophes ({@code '} and {@code ’}); an optional single
   * space and one other non-whitespace character; or a run of whitespace, which leaves its last space
   * to the next piece when a non-whitespace character follows it.
   */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      int start = i;
      if (spaceBeforeWord(text, i)) {
        i++;
      }
      int cp = text.codePointAt(i);
      if (isWordChar(cp)) {
        while (i < n && isWordChar(cp = text.codePointAt(i))) {
          i += Character.charCount(cp);
        }
      } else if (!Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
      } else {
        while (i < n && Character.isWhitespace(cp = text.codePointAt(i)) && !spaceBeforeWord(text, i)) {
          i += Character.charCount(cp);
        }
      }
      out.add(text.substring(start, i));
    }
    return out;
  }

  private static boolean isWordChar(int cp) {
    return Character.isLetterOrDigit(cp) || cp == '\'' || cp == '\u2019';
  }

  /** Whether the char at {@code i} is a space that joins the non-whitespace piece after it. */
  private static boolean spaceBeforeWord(String text, int i) {
    return text.charAt(i) == ' ' && i + 1 < text.length() && !Character.isWhitespace(text.codePointAt(i + 1));
  }

  @Override
  public String name() {
    return "word";
  }

  @Override
  public int[] encode(String text) {
    int[] out = new int[text.length()];
    int n = 0;
    int offset = 0;
    for (String piece : pieces(text)) {
      Integer id = ids.get(piece);
      if (id != null) {
        out[n++] = id;
      } else {
        for (int i = 0; i < piece.length(); ) {
          int cp = piece.codePointAt(i);
          Integer single = ids.get(Character.toString(cp));
          if (single == null) {
            throw unknownCharacter(cp, offset + i);
          }
          out[n++] = single;
          i += Character.charCount(cp);
        }
      }
      offset += piece.length();
    }
    return Arrays.copyOf(out, n);
  }
}
