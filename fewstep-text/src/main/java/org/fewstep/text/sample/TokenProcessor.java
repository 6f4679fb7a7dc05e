package org.fewstep.text.sample;

/**
 * One link of a sampling chain (llama.cpp's sampler interface): it rescales or cuts the
 * {@link Candidates} of a step, and may keep state that the chosen token updates (penalty history,
 * the annealing position, mirostat's target). {@link #copy} gives an independent copy of that state,
 * for forked sequences and CNTP trials.
 */
public interface TokenProcessor {

  /** The spec key this processor comes from, e.g. {@code top-p}. */
  String name();

  /** Rescales or cuts the candidates of this step. */
  void apply(Candidates candidates);

  /** Records the token chosen at this step. */
  default void accept(int token) {}

  /** A copy with independent state ({@code this} for a stateless processor). */
  TokenProcessor copy();
}
