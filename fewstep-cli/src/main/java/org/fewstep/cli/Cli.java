package org.fewstep.cli;

import org.fewstep.core.BadInputException;

/** Small checks shared by the commands. */
final class Cli {
  private Cli() {}

  /** {@code value} if it is one of {@code allowed}, else a clear error naming the option. */
  static String choice(String option, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw BadInputException.of(option, value, "one of " + String.join(", ", allowed));
  }
}
