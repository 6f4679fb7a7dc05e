package org.fewstep.core.listen;

import java.util.List;

/**
 * Observes an iterative sampler: a progress bar, a trajectory recorder, a stream to a client.
 * Samplers call {@link #onStart}, then {@link #onStep} after each step, then {@link #onFinish}.
 */
@FunctionalInterface
public interface StepListener {
  /** Ignores everything. */
  StepListener NONE = event -> { };

  /** Called once before the first step; {@code steps} is -1 when not known in advance. */
  default void onStart(int steps) { }

  /** Called after each step with a reused event (see {@link StepEvent}). */
  void onStep(StepEvent event);

  /** Called once after the last step with the total number of model evaluations. */
  default void onFinish(int nfe) { }

  /** A listener that forwards every call to each of {@code listeners} in order. */
  static StepListener all(StepListener... listeners) {
    List<StepListener> list = List.of(listeners);
    return new StepListener() {
      @Override
      public void onStart(int steps) {
        list.forEach(l -> l.onStart(steps));
      }

      @Override
      public void onStep(StepEvent event) {
        for (StepListener l : list) {
          l.onStep(event);
        }
      }

      @Override
      public void onFinish(int nfe) {
        list.forEach(l -> l.onFinish(nfe));
      }
    };
  }
}
