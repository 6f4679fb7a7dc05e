package org.fewstep.text.token;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Names;
import org.fewstep.text.Tokenizer;

/**
 * The tokenizers by name, and the pair a model file uses to store its tokenizer:
 * {@link #tokens} writes what {@link #restore} needs to rebuild it.
 */
public final class Tokenizers {
  private static final List<String> NAMES = List.of("cl100k", "o200k", "p50k", "r50k", "char", "word");

  private Tokenizers() {}

  /** The BPE tokenizer r50k, p50k, cl100k or o200k (shared, built once). */
  public static Tokenizer bpe(String name) {
    return BpeTokenizer.of(name);
  }

  /**
   * The tokenizer {@code name} for training on {@code corpus}: a BPE one as it is, a char or word one
   * built from the corpus (words seen fewer than {@code minCount} times are spelled by characters).
   */
  public static Tokenizer forCorpus(String name, List<String> corpus, int minCount) {
    switch (name) {
      case "char":
        return CharTokenizer.fromCorpus(corpus);
      case "word":
        return WordTokenizer.fromCorpus(corpus, minCount);
      default:
        if (!NAMES.contains(name)) {
          throw new BadInputException("unknown tokenizer '" + name + "'" + Names.suggestion(name, NAMES)
              + "; valid tokenizers: " + String.join(", ", NAMES));
        }
        return bpe(name);
    }
  }

  /** The names of the tokenizers a model file can hold: cl100k, o200k, p50k, r50k, char, word. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * What a model file stores about {@code tokenizer} besides its name: the token texts of ids
   * 1 .. size-1 for char and word tokenizers, nothing for BPE ones (their name is enough).
   */
  public static List<String> tokens(Tokenizer tokenizer) {
    if (tokenizer instanceof TokenListTokenizer list) {
      return list.tokens();
    }
    if (tokenizer instanceof BpeTokenizer) {
      return List.of();
    }
    throw BadInputException.of("tokenizer", tokenizer.name(), "one of " + String.join(", ", NAMES)
        + " (the tokenizers a model file can store)");
  }

  /** The tokenizer {@code name} with the {@code tokens} that {@link #tokens} gave. */
  public static Tokenizer restore(String name, List<String> tokens) {
    switch (name) {
      case "char":
        return CharTokenizer.restore(tokens);
      case "word":
        return WordTokenizer.restore(tokens);
      default:
        if (!NAMES.contains(name)) {
          throw new BadInputException("unknown tokenizer '" + name + "'" + Names.suggestion(name, NAMES)
              + "; valid tokenizers: " + String.join(", ", NAMES));
        }
        if (!tokens.isEmpty()) {
          throw BadInputException.of("tokens of " + name, tokens.size() + " tokens",
              "none: a BPE tokenizer is known by its name");
        }
        return bpe(name);
    }
  }
}
