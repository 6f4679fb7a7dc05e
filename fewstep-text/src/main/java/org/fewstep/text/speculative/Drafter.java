package org.fewstep.text.speculative;

import org.fewstep.core.Rng;

/**
 * Proposes draft continuations of the sequence: a smaller model ({@link ModelDrafter}) or a match
 * in the context itself ({@link PromptLookupDrafter}). A drafter follows the sequence: after each
 * round it is told the tokens emitted.
 */
interface Drafter {

  /** Up to {@code drafts} drafts of at most {@code k} tokens after the current context. */
  DraftTree propose(int k, int drafts, DraftScheme scheme, Rng rng);

  /** The tokens emitted in the round (the accepted drafts and the final token). */
  void commit(int[] emitted);

  /** Draft-model evaluations so far (positions scored). */
  long calls();

  /** The tokens the drafter conditions on: the prompt and every emitted token. */
  int[] context();

  /** Frees the drafter's own model state, if it has one. */
  default void close() {}
}
