package org.fewstep.scaling.adaptive;

import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * A capability-aware self-evaluation (Manvi, Singh and Ermon, "Adaptive Inference-Time Compute", 2024;
 * decoding.md 10): the predicted probability that a fresh sample of the same generator would NOT do
 * better than this partial or finished solution, its win-or-tie probability. A high score means
 * restarting is unlikely to help, either because the solution is good or because the task is beyond
 * the generator; the paper reads it off the probability of one predefined token.
 */
@FunctionalInterface
public interface SelfEvaluator {
  /** The win-or-tie probability of {@code partialOrFinished} against a fresh sample, in [0, 1]. */
  double score(Task task, Trace partialOrFinished);

  /**
   * The self-evaluation a process reward model implies, the {@link OracleSelfEvaluator} formula
   * {@code r + (1 - r)(1 - p0)} with {@code r} the PRM's score of the trace and {@code p0} its score
   * of the empty solution; with {@link org.fewstep.scaling.Prm#exact} it is the oracle.
   */
  static SelfEvaluator fromPrm(org.fewstep.scaling.Prm prm) {
    return (task, trace) -> {
      double r = prm.score(trace);
      double p0 = prm.score(task.start());
      return r + (1 - r) * (1 - p0);
    };
  }
}
