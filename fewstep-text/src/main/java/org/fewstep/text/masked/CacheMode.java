package org.fewstep.text.masked;

/**
 * Fast-dLLM's block-wise approximate key/value cache (Wu et al. 2025, section 3.2): refreshed with a
 * full forward pass when a new block starts, then reused for the block's other steps.
 */
public enum CacheMode {
  /** Every step is a full forward pass. */
  NONE,
  /** Positions before the block are cached; the block and everything after it are recomputed. */
  PREFIX,
  /** Positions before and after the block are cached; only the block is recomputed. */
  DUAL
}
