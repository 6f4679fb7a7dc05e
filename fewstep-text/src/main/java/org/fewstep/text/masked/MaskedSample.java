package org.fewstep.text.masked;

import org.fewstep.text.Tokenizer;

/**
 * One decoded row.
 *
 * @param row           the row index (its random numbers are {@code Rng.stream(seed, row)})
 * @param tokens        the generated tokens (the prompt excluded)
 * @param nfe           forward passes of this row
 * @param fullForwards  of those, full passes (all of them without a cache; cache refreshes with one)
 * @param remasked      positions re-masked along the way
 */
public record MaskedSample(int row, int[] tokens, int nfe, int fullForwards, int remasked) {

  /** The generated text. */
  public String text(Tokenizer tokenizer) {
    return tokenizer.decode(tokens);
  }
}
