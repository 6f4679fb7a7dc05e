package org.fewstep.constrain.schema;

import org.fewstep.constrain.ByteAutomaton;

/**
 * A JSON string literal: a quote, a string body read by {@code body} (JSON-encoded characters, as
 * {@link org.fewstep.constrain.regex.Regex#jsonStringBody} makes), a closing quote. A raw quote never
 * occurs inside an encoded body, so the closing quote is recognized where the body accepts; liveness
 * stays exact because every live body state can be finished and closed.
 */
final class Quoted implements ByteAutomaton {
  private static final int OPEN = 0;
  private static final int CLOSED = 1;
  private final ByteAutomaton body;

  Quoted(ByteAutomaton body) {
    this.body = body;
  }

  @Override
  public int start() {
    return body.start() == DEAD ? DEAD : OPEN;
  }

  @Override
  public int step(int state, int b) {
    if (state == OPEN) {
      return b == '"' ? body.start() + 2 : DEAD;
    }
    if (state == CLOSED) {
      return DEAD;
    }
    int s = body.step(state - 2, b);
    if (s != DEAD) {
      return s + 2;
    }
    return b == '"' && body.accepting(state - 2) ? CLOSED : DEAD;
  }

  @Override
  public boolean accepting(int state) {
    return state == CLOSED;
  }

  @Override
  public boolean mustEnd(int state) {
    return state == CLOSED;
  }

  @Override
  public int plainRoom(int state) {
    return state >= 2 ? body.plainRoom(state - 2) : -1;
  }

  @Override
  public String describe() {
    return "\"" + body.describe() + "\"";
  }
}
