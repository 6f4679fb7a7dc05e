package org.fewstep.text.masked;

/**
 * A masked LM with a bidirectional key/value cache, for the block-wise approximate caches of
 * Fast-dLLM (Wu et al. 2025, section 3.2). {@link #refresh} runs a full forward pass and keeps every
 * layer's keys and values; {@link #logitsCached} then recomputes only positions {@code [start, end)}
 * and lets them attend to the cached keys and values of all other positions. The prefix cache
 * recomputes {@code [block start, length)}; the dual cache recomputes the current block only. The
 * cache is not updated by {@code logitsCached}; it holds the keys and values of the last refresh.
 *
 * <p>{@code logitsCached} on the sequence of the last refresh gives the same logits as
 * {@link #logits}, bit for bit.
 */
public interface CachedMaskedLm extends MaskedLm {

  /** The per-row keys and values of every layer. */
  interface Cache {}

  /** An empty cache for sequences of {@code length} positions. */
  Cache newCache(int length);

  /**
   * A full forward pass of {@code x} (one NFE): stores every position's keys and values in
   * {@code cache} and writes the logits of {@code [from, to)} into {@code out}, as {@link #logits} does.
   */
  void refresh(Cache cache, int[] x, int from, int to, double[] out);

  /**
   * A forward pass of positions {@code [start, end)} only (one NFE), reading the keys and values of the
   * other positions from {@code cache}: writes the logits of {@code [start, end)} into {@code out}.
   */
  void logitsCached(Cache cache, int[] x, int start, int end, double[] out);
}
