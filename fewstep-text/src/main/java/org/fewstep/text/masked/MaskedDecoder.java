package org.fewstep.text.masked;

import org.fewstep.core.Rng;

/**
 * A masked-diffusion decoder: turns the masked positions of a sequence into tokens with as few
 * forward passes as it can. {@link #start} begins one row; {@link MaskedGeneration} then feeds each
 * row's {@link MaskedRun} the logits it asks for, batching rows that ask for the same positions.
 * Decoders are immutable; all per-row state lives in the run. Build them with {@link MaskedDecoders}.
 */
public interface MaskedDecoder {

  /** The spec this decoder was built from, e.g. {@code fast-dllm:threshold=0.9}. */
  String spec();

  /** The key/value cache the decoder asks for (block decoders only). */
  default CacheMode cache() {
    return CacheMode.NONE;
  }

  /** LLaDA's classifier-free guidance scale w (0: none); needs a prompt. */
  default double guidance() {
    return 0;
  }

  /** With a cache: also refresh it every this many steps inside a block (0: only at a new block). */
  default int refreshEvery() {
    return 0;
  }

  /**
   * Begins decoding {@code x} (modified in place) whose positions {@code [start, end)} are all
   * masked; positions outside stay as they are (the prompt).
   *
   * @param model    gives the vocabulary size and the mask id (the run never calls it)
   * @param rng      this row's random numbers
   * @param row      the row index for events
   * @param listener receives every step
   */
  MaskedRun start(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener);
}
