package org.fewstep.scaling.search;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Cost;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * Repeated sampling (Brown et al., "Large Language Monkeys", 2024; decoding.md 12): N independent
 * solutions of a task from the generator, sample i drawn with {@code Rng.stream(seed, i)} so that a
 * larger N only adds samples (coverage and every selection are then monotone in N along one
 * seed). What to answer with is up to a selector (reward, log-probability, votes, RPC).
 */
public final class BestOfN {
  private BestOfN() {}

  /** The samples and what they cost. */
  public record Samples(List<Trace> traces, Cost cost) {}

  /** {@code n} solutions of {@code task} at {@code temperature}. */
  public static Samples sample(Task task, int n, double temperature, long seed) {
    BadInputException.requireAtLeast("best-of-N: n (samples)", n, 1);
    List<Trace> out = new ArrayList<>(n);
    long steps = 0;
    long tokens = 0;
    for (int i = 0; i < n; i++) {
      Trace t = task.sample(temperature, Rng.stream(seed, i));
      out.add(t);
      steps += t.length();
      tokens += t.tokens();
    }
    return new Samples(out, new Cost(n, steps, tokens, 0));
  }
}
