package org.fewstep.constrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;
import org.fewstep.constrain.approx.ApproximatePattern;
import org.fewstep.constrain.grammar.Gbnf;
import org.fewstep.constrain.grammar.Grammar;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.grammar.Lark;
import org.fewstep.constrain.grammar.PlainTokens;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.constrain.schema.JsonSchema;
import org.fewstep.core.BadInputException;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * The constraints a user names: a regular expression the whole text must match, a grammar file
 * ({@code .gbnf} for llama.cpp's GBNF, {@code .lark} for the Lark-like syntax), a JSON Schema file, or
 * a pattern to follow within a number of mismatches.
 * One token trie is built per vocabulary and shared.
 */
public final class Constraints {
  private static final Map<Vocabulary, TokenTrie> TRIES = new WeakHashMap<>();

  private Constraints() {}

  /** The trie of {@code vocabulary}, built once. */
  public static synchronized TokenTrie trie(Vocabulary vocabulary) {
    return TRIES.computeIfAbsent(vocabulary, TokenTrie::of);
  }

  /**
   * Builds the tables of {@code vocabulary} that every constraint over it shares (its token trie and
   * the like), so that a constraint's construction does not pay for them.
   */
  public static void prepare(Vocabulary vocabulary) {
    PlainTokens.of(vocabulary, trie(vocabulary));
  }

  /** Text that {@code pattern} matches whole. */
  public static TokenConstraint regex(String pattern, Vocabulary vocabulary) {
    return new AutomatonConstraint(Regex.fullMatch(pattern), vocabulary, trie(vocabulary));
  }

  /** Text of the grammar in {@code file}: GBNF for {@code .gbnf}, the Lark-like syntax for {@code .lark}. */
  public static TokenConstraint grammar(Path file, Vocabulary vocabulary) {
    if (!Files.isRegularFile(file)) {
      throw BadInputException.of("grammar file", file, "an existing .gbnf or .lark file");
    }
    String name = file.getFileName().toString();
    Grammar g;
    if (name.endsWith(".gbnf")) {
      g = Gbnf.read(file);
    } else if (name.endsWith(".lark")) {
      g = Lark.read(file);
    } else {
      throw BadInputException.of("grammar file", file, "a name ending in .gbnf (llama.cpp GBNF) or .lark (Lark-like EBNF)");
    }
    return grammar(g, vocabulary);
  }

  /**
   * JSON texts valid under the JSON Schema (draft 2020-12) in {@code file}, written as
   * {@link JsonSchema} describes.
   *
   * @param whitespace between tokens: {@code compact}, {@code flexible} or a regular expression
   */
  public static TokenConstraint jsonSchema(Path file, String whitespace, Vocabulary vocabulary) {
    return grammar(JsonSchema.read(file, JsonSchema.whitespace(whitespace)), vocabulary);
  }

  /**
   * Text within {@code mismatches} bytes of {@code pattern} (Hamming distance): the whole text when
   * {@code whole} (a fuzzy template of the pattern's length), else some window of it.
   */
  public static TokenConstraint approximate(String pattern, int mismatches, boolean whole, Vocabulary vocabulary) {
    return new AutomatonConstraint(whole ? ApproximatePattern.whole(pattern, mismatches)
        : ApproximatePattern.contains(pattern, mismatches), vocabulary, trie(vocabulary));
  }

  /** Text of {@code grammar}. */
  public static TokenConstraint grammar(Grammar grammar, Vocabulary vocabulary) {
    return new GrammarConstraint(grammar, Regex::fullMatch, vocabulary, trie(vocabulary));
  }
}
