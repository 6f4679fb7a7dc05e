package org.fewstep.scaling;

/**
 * A test-time scaling method: given a task, a reward model and a budget N (whole-solution
 * equivalents: samples, particles, beams), it spends about N generations and answers with one
 * finished solution. Same inputs and seed give the same solution.
 */
@FunctionalInterface
public interface Method {
  Solution solve(Task task, Prm prm, int budget, long seed);
}
