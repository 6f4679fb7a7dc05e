package org.fewstep.core.registry;

import java.util.List;
import java.util.Locale;
import org.fewstep.core.BadInputException;

/**
 * One declared option of a registered component: its key, type, default and allowed values.
 * A null default means the option is unset unless given ({@link Options#isSet}); a required option
 * must be given.
 *
 * @param key          kebab-case key, e.g. {@code order}
 * @param kind         value type
 * @param defaultValue default as text, or null
 * @param choices      allowed values of a {@link Kind#CHOICE} option
 * @param min          smallest allowed number (numbers only)
 * @param max          largest allowed number (numbers only)
 * @param required     whether the option must be given
 * @param positional   whether the option may be given as the bare first value of a spec
 * @param help         one line for {@code fewstep list}
 */
public record Option(
    String key, Kind kind, String defaultValue, List<String> choices, double min, double max,
    boolean required, boolean positional, String help) {

  /** Option value types. */
  public enum Kind { INT, REAL, BOOL, CHOICE, TEXT }

  public Option {
    choices = List.copyOf(choices);
  }

  public static Option integer(String key, Integer defaultValue, int min, int max, String help) {
    return new Option(key, Kind.INT, defaultValue == null ? null : defaultValue.toString(), List.of(), min, max, false, false, help);
  }

  public static Option real(String key, Double defaultValue, double min, double max, String help) {
    return new Option(key, Kind.REAL, defaultValue == null ? null : formatReal(defaultValue), List.of(), min, max, false, false, help);
  }

  public static Option flag(String key, boolean defaultValue, String help) {
    return new Option(key, Kind.BOOL, Boolean.toString(defaultValue), List.of("true", "false"), 0, 0, false, false, help);
  }

  public static Option choice(String key, String defaultValue, String help, String... choices) {
    return new Option(key, Kind.CHOICE, defaultValue, List.of(choices), 0, 0, false, false, help);
  }

  public static Option text(String key, String defaultValue, String help) {
    return new Option(key, Kind.TEXT, defaultValue, List.of(), 0, 0, false, false, help);
  }

  /** This option, required and allowed as the spec's bare first value. */
  public Option asRequiredPositional() {
    return new Option(key, kind, defaultValue, choices, min, max, true, true, help);
  }

  /** Checks {@code value} (from spec {@code component}) and returns its canonical text. */
  String validate(String component, String value) {
    String where = component + ":" + key;
    switch (kind) {
      case INT: {
        long v;
        try {
          v = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw BadInputException.of(where, value, "an integer" + range());
        }
        if (v < min || v > max) {
          throw BadInputException.of(where, value, "an integer" + range());
        }
        return Long.toString(v);
      }
      case REAL: {
        double v;
        try {
          v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw BadInputException.of(where, value, "a number" + range());
        }
        if (Double.isNaN(v) || v < min || v > max) {
          throw BadInputException.of(where, value, "a number" + range());
        }
        return value;
      }
      case BOOL: {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("on") || v.equals("yes") || v.equals("1")) {
          return "true";
        }
        if (v.equals("false") || v.equals("off") || v.equals("no") || v.equals("0")) {
          return "false";
        }
        throw BadInputException.of(where, value, "true or false");
      }
      case CHOICE: {
        for (String c : choices) {
          if (c.equalsIgnoreCase(value)) {
            return c;
          }
        }
        throw BadInputException.of(where, value, "one of " + choices);
      }
      default:
        return value;
    }
  }

  /** Type and range for help texts, e.g. {@code int in [1, 3]}. */
  public String describeType() {
    switch (kind) {
      case INT:
        return "int" + range();
      case REAL:
        return "real" + range();
      case BOOL:
        return "true|false";
      case CHOICE:
        return String.join("|", choices);
      default:
        return "text";
    }
  }

  private String range() {
    if (kind == Kind.INT) {
      boolean low = min > Integer.MIN_VALUE;
      boolean high = max < Integer.MAX_VALUE;
      if (low && high) {
        return " in [" + (long) min + ", " + (long) max + "]";
      }
      return low ? " >= " + (long) min : high ? " <= " + (long) max : "";
    }
    if (Double.isInfinite(min) && Double.isInfinite(max)) {
      return "";
    }
    // a minimum of Double.MIN_VALUE stands for "greater than 0"
    return " in " + (min == Double.MIN_VALUE ? "(0" : "[" + bound(min)) + ", " + bound(max) + "]";
  }

  private static String bound(double v) {
    return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : formatReal(v);
  }

  static String formatReal(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
