package org.fewstep.core.registry;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * An enum whose constants are spelled in specs by a short key ({@code time-uniform},
 * {@code squaredcos-cap-v2}): one place for the lookup and its error message.
 */
public interface Keyed {
  /** The spelling in specs. */
  String key();

  /**
   * The constant of {@code type} spelled {@code key}.
   *
   * @throws BadInputException naming the parameter, the value and the valid keys
   */
  static <E extends Enum<E> & Keyed> E of(Class<E> type, String parameter, String key) {
    for (E e : type.getEnumConstants()) {
      if (e.key().equals(key)) {
        return e;
      }
    }
    throw BadInputException.of(parameter, key, "one of " + Arrays.toString(keys(type)));
  }

  /** All keys of {@code type}, in declaration order (for option declarations). */
  static <E extends Enum<E> & Keyed> String[] keys(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Keyed::key).toArray(String[]::new);
  }
}
