package org.fewstep.text.masked;

/** Receives every step of a masked decoder (for progress, traces and streaming). */
@FunctionalInterface
public interface MaskedListener {
  /** A listener that ignores every step. */
  MaskedListener NONE = step -> {};

  /** Called after each step of each row. */
  void onStep(MaskedStep step);
}
