package org.fewstep.data.select;

import java.util.List;

/** A subset selector: the indices into {@code pool} of {@code budget} distinct examples, in the order chosen. */
@FunctionalInterface
public interface Selector {
  int[] select(List<Example> pool, int budget, long seed);
}
