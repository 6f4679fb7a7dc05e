package org.fewstep.diffusion.solver;

import org.fewstep.core.registry.Keyed;

/**
 * End-of-run order reduction of multistep solvers, the {@code final} option (diffusion.md 0.5).
 * Implementations disagree and the choice changes the numbers, so it is explicit:
 * <ul>
 *   <li>{@code official}: the rule of the solver's official code (DPM-Solver: lower10, UniPC: always);</li>
 *   <li>{@code lower10}: step i of N uses order {@code min(order, N + 1 - i)} when N &lt; 10;</li>
 *   <li>{@code lower15}: diffusers, when N &lt; 15: first order on the last step, at most second on
 *       the one before;</li>
 *   <li>{@code always}: {@code min(order, N + 1 - i)} for every N;</li>
 *   <li>{@code none}: no reduction.</li>
 * </ul>
 */
enum FinalOrder implements Keyed {
  OFFICIAL("official"),
  LOWER10("lower10"),
  LOWER15("lower15"),
  ALWAYS("always"),
  NONE("none");

  private final String key;

  FinalOrder(String key) {
    this.key = key;
  }

  @Override
  public String key() {
    return key;
  }

  /** This rule with {@code official} replaced by the solver's own rule. */
  FinalOrder resolve(FinalOrder official) {
    return this == OFFICIAL ? official : this;
  }

  /** The order of step {@code i} (1-based) of {@code steps}, warm-up included ({@code <= i}). */
  int order(int requested, int i, int steps) {
    int order = Math.min(requested, i);
    switch (this) {
      case LOWER10:
        return steps < 10 ? Math.min(order, steps + 1 - i) : order;
      case ALWAYS:
        return Math.min(order, steps + 1 - i);
      case LOWER15:
        if (steps < 15 && i == steps) {
          return 1;
        }
        return steps < 15 && i == steps - 1 ? Math.min(order, 2) : order;
      case NONE:
        return order;
      default:
        throw new IllegalStateException("resolve the official rule first");
    }
  }
}
