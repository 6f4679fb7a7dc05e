package org.fewstep.constrain;

import org.fewstep.text.Vocabulary;

/**
 * A constraint on the text a language model generates, seen through its vocabulary: which tokens
 * may come next after a prefix. The text is the concatenation of the tokens' bytes; the language is a
 * set of byte strings (a regular expression's, a grammar's, a JSON Schema's). Ordinary tokens are
 * allowed when the text with their bytes is still a prefix of some string of the language; the
 * vocabulary's end token when the text is a string of the language; other special tokens never.
 */
public interface TokenConstraint {

  /** The vocabulary whose tokens this constraint allows or not. */
  Vocabulary vocabulary();

  /** The state before any token. */
  ConstraintState start();

  /** A short description for messages and listings, e.g. {@code regex:[0-9]+}. */
  String describe();

  /** Throws unless {@code model} reads this constraint's vocabulary (same ids, bytes and end token). */
  default void requireVocabularyOf(org.fewstep.text.LanguageModel model) {
    Vocabulary c = vocabulary();
    Vocabulary m = model.vocabulary();
    if (c != m && (c.size() != m.size() || !c.sameAs(m))) {
      throw org.fewstep.core.BadInputException.of("constraint vocabulary", c + " of " + describe(),
          "the vocabulary of model " + model.name() + ", " + m + " (same ids, bytes and end token)");
    }
  }
}
