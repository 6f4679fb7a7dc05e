package org.fewstep.scaling;

/**
 * A method's answer to one task: the finished trace it chose and what choosing it cost.
 *
 * @param trace the chosen solution
 * @param cost  the compute spent
 */
public record Solution(Trace trace, Cost cost) {}
