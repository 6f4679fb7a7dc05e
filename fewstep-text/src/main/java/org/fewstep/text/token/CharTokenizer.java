package org.fewstep.text.token;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.fewstep.core.BadInputException;

/**
 * One token per Unicode code point: id 0 is the end of sequence {@code </s>}, ids 1.. are the code
 * points seen in the training corpus in increasing order. A character outside the vocabulary is an
 * error that names it and its position.
 */
public final class CharTokenizer extends TokenListTokenizer {
  private final int[] codePoints;

  private CharTokenizer(int[] codePoints) {
    super(Arrays.stream(codePoints).mapToObj(Character::toString).toList());
    this.codePoints = codePoints;
  }

  /** The tokenizer of every code point that occurs in {@code lines}. */
  public static CharTokenizer fromCorpus(Iterable<String> lines) {
    TreeSet<Integer> seen = new TreeSet<>();
    for (String line : lines) {
      line.codePoints().forEach(seen::add);
    }
    return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The tokenizer whose ids 1.. are {@code tokens}: single code points in increasing order. */
  static CharTokenizer restore(List<String> tokens) {
    int[] codePoints = new int[tokens.size()];
    for (int i = 0; i < codePoints.length; i++) {
      String t = tokens.get(i);
      if (t.isEmpty() || t.codePointCount(0, t.length()) != 1 || (i > 0 && t.codePointAt(0) <= codePoints[i - 1])) {
        throw BadInputException.of("char token " + (i + 1), "'" + t + "'",
            "a single code point above the previous token's");
      }
      codePoints[i] = t.codePointAt(0);
    }
    return new CharTokenizer(codePoints);
  }

  @Override
  public String name() {
    return "char";
  }

  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int k = Arrays.binarySearch(codePoints, cp);
      if (k < 0) {
        throw unknownCharacter(cp, i);
      }
      ids[n++] = k + 1;
      i += Character.charCount(cp);
    }
    return Arrays.copyOf(ids, n);
  }
}
