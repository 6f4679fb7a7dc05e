package org.fewstep.scaling;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * A partial or finished solution of a {@link Task}, built step by step: the steps' texts, the
 * generator's log-probability of them, the tokens they took, and the task's own state after them
 * (opaque to the search methods). Immutable: a step returns a new trace, so particles and beams can
 * share prefixes freely.
 *
 * @param steps          the text of each step so far
 * @param stepLogProbabilities the generator's log-probability of each step
 * @param logProbability natural log of the probability of the steps under the generator (their sum)
 * @param tokens         tokens generated so far
 * @param finished       whether the solution is complete (no more steps)
 * @param answer         the final answer once finished (null before, or if the solution gives none)
 * @param state          the task's state after the steps
 */
public record Trace(List<String> steps, List<Double> stepLogProbabilities, double logProbability, int tokens, boolean finished,
    String answer, Object state) {
  public Trace {
    steps = List.copyOf(steps);
    stepLogProbabilities = List.copyOf(stepLogProbabilities);
    if (stepLogProbabilities.size() != steps.size()) {
      throw BadInputException.of("trace: step log-probabilities", stepLogProbabilities.size(), steps.size() + " (one per step)");
    }
  }

  /** The empty trace of a task in state {@code state}. */
  public static Trace start(Object state) {
    return new Trace(List.of(), List.of(), 0, 0, false, null, state);
  }

  /** This trace with one more step. */
  public Trace then(String step, double stepLogProbability, int stepTokens, boolean done, String finalAnswer, Object next) {
    List<String> s = new ArrayList<>(steps.size() + 1);
    s.addAll(steps);
    s.add(step);
    List<Double> l = new ArrayList<>(steps.size() + 1);
    l.addAll(stepLogProbabilities);
    l.add(stepLogProbability);
    return new Trace(s, l, logProbability + stepLogProbability, tokens + stepTokens, done, finalAnswer, next);
  }

  /** The number of steps taken. */
  public int length() {
    return steps.size();
  }

  /** The whole text. */
  public String text() {
    return String.join("", steps);
  }

  /** The finished solution as a {@link Sample} for the selection methods. */
  public Sample toSample() {
    if (!finished) {
      throw new BadInputException("trace: only a finished trace is a sample (" + length() + " steps so far)");
    }
    return new Sample(text(), answer, logProbability, Math.max(1, tokens));
  }
}
