package org.fewstep.constrain;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * A {@link TokenConstraint} followed token by token, with rollback: the incremental matcher a
 * decoder keeps beside its model state. It holds the state after each consumed token, so
 * {@link #rollback} of n tokens (a speculative rejection) is n pops.
 */
public final class ConstraintMatcher {
  private final TokenConstraint constraint;
  private final List<ConstraintState> states = new ArrayList<>();

  public ConstraintMatcher(TokenConstraint constraint) {
    this.constraint = constraint;
    states.add(constraint.start());
  }

  /** The state after the tokens consumed so far. */
  public ConstraintState state() {
    return states.get(states.size() - 1);
  }

  /** Number of tokens consumed. */
  public int length() {
    return states.size() - 1;
  }

  /** Consumes {@code token}; an error naming it when the constraint does not allow it (nothing changes). */
  public void advance(int token) {
    states.add(state().advance(token));
  }

  /** Drops the last {@code n} consumed tokens ({@code 0 <= n <= length()}). */
  public void rollback(int n) {
    if (n < 0 || n > length()) {
      throw BadInputException.of("rollback", n, "a number of tokens in [0, " + length() + "]");
    }
    states.subList(states.size() - n, states.size()).clear();
  }

  /** Whether the text so far is a string of the language. */
  public boolean canEnd() {
    return state().canEnd();
  }

  /** Whether only the end may follow. */
  public boolean mustEnd() {
    return state().mustEnd();
  }

  /** The constraint followed. */
  public TokenConstraint constraint() {
    return constraint;
  }
}
