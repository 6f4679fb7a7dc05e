package org.fewstep.core.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fewstep.core.BadInputException;

/**
 * A component spec string: {@code name} or {@code name:key=value,key=value}. The first item after
 * the colon may be a bare value ({@code gmm:mixture.json}) for a component that declares a
 * positional option. Keys are kebab-case; values contain neither ',' nor '='.
 *
 * @param name       the component name
 * @param positional the bare first value, or null
 * @param values     the key=value pairs in the order given
 */
public record Spec(String name, String positional, Map<String, String> values) {

  public Spec {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Parses {@code text}; malformed text (empty name, duplicate key, empty value) is an error. */
  public static Spec parse(String text) {
    if (text == null || text.isBlank()) {
      throw BadInputException.of("spec", "'" + text + "'", "name or name:key=value,...");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).trim();
    if (name.isEmpty()) {
      throw BadInputException.of("spec", "'" + text + "'", "a component name before ':'");
    }
    Map<String, String> values = new LinkedHashMap<>();
    String positional = null;
    if (colon >= 0) {
      String rest = trimmed.substring(colon + 1);
      String[] items = rest.split(",", -1);
      for (int i = 0; i < items.length; i++) {
        String item = items[i].trim();
        int eq = item.indexOf('=');
        if (eq < 0) {
          if (i == 0 && !item.isEmpty()) {
            positional = item;
            continue;
          }
          throw BadInputException.of("spec '" + text + "' item", "'" + item + "'", "key=value");
        }
        String key = item.substring(0, eq).trim();
        String value = item.substring(eq + 1).trim();
        if (key.isEmpty() || value.isEmpty()) {
          throw BadInputException.of("spec '" + text + "' item", "'" + item + "'", "a non-empty key and value");
        }
        if (values.put(key, value) != null) {
          throw new BadInputException("spec '" + text + "': the key '" + key + "' is given twice");
        }
      }
    }
    return new Spec(name, positional, values);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name);
    String sep = ":";
    if (positional != null) {
      out.append(sep).append(positional);
      sep = ",";
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      out.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = ",";
    }
    return out.toString();
  }
}
