package org.fewstep.scaling.adaptive;

import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * The exact self-evaluator of a task with a binary reward and an exact success probability
 * (decoding.md 10d). Let {@code r} be the probability that the (partial) trace ends correct and
 * {@code p0 = successProbability(start)} that of a fresh sample, drawn independently at temperature 1.
 * The fresh sample beats the trace only when it is correct and the trace ends wrong, so
 * {@code P(no win) = 1 - (1 - r) p0 = r + (1 - r)(1 - p0)}: both correct or both wrong are ties.
 * A finished wrong trace thus scores {@code 1 - p0}, high on tasks the generator rarely solves.
 */
public final class OracleSelfEvaluator implements SelfEvaluator {
  @Override
  public double score(Task task, Trace partialOrFinished) {
    double r = task.successProbability(partialOrFinished);
    double p0 = task.successProbability(task.start());
    return r + (1 - r) * (1 - p0);
  }
}
