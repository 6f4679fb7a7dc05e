package org.fewstep.constrain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;
import org.fewstep.constrain.grammar.Gbnf;
import org.fewstep.constrain.grammar.Grammar;
import org.fewstep.constrain.grammar.GrammarConstraint;
import org.fewstep.constrain.grammar.Lark;
import org.fewstep.constrain.grammar.PlainTokens;
import org.fewstep.constrain.regex.Regex;
import org.fewstep.core.BadInputException;
import org.fewstep.text.TokenTrie;
import org.fewstep.text.Vocabulary;

/**
 * The constraints a user names: a regular expression the whole text must match, or a grammar file
 * ({@code .gbnf} for llama.cpp's GBNF, {@code .lark} for the Lark-like syntax). One token trie is
 * built per vocabulary and shared.
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

  /** Text of {@code grammar}. */
  public static TokenConstraint grammar(Grammar grammar, Vocabulary vocabulary) {
    return new GrammarConstraint(grammar, Regex::fullMatch, vocabulary, trie(vocabulary));
  }
}
