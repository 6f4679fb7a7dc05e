package org.fewstep.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** Keyed enums: lookup by spelling, keys in declaration order, and the error for a wrong spelling. */
class KeyedTest {
  enum Colour implements Keyed {
    DARK_RED("dark-red"), BLUE("blue");

    private final String key;

    Colour(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  @Test
  void lookupKeysAndErrors() {
    assertThat(Keyed.of(Colour.class, "colour", "dark-red")).isEqualTo(Colour.DARK_RED);
    assertThat(Keyed.keys(Colour.class)).containsExactly("dark-red", "blue");
    assertThatThrownBy(() -> Keyed.of(Colour.class, "colour", "DARK_RED"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("colour = DARK_RED: expected one of [dark-red, blue]");
  }
}
