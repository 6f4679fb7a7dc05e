package org.fewstep.constrain.schema;

import java.util.List;

/**
 * Regular expressions (in the subset {@link org.fewstep.constrain.regex.Regex} compiles) for the
 * JSON Schema {@code format} values we can constrain: {@code date}, {@code time}, {@code date-time},
 * {@code email}, {@code uuid} and {@code uri}.
 *
 * <p>Each regex is sound for format validation as the networknt json-schema-validator (2.0.8, with
 * format assertions on) performs it: every string it matches passes that validator. Where the
 * validator is more lenient than the standard (a space between date and time, a local part with
 * quoted strings or non-ASCII letters, brackets, empty ports), the regex keeps to the common,
 * standard subset; where it is stricter (the offset range of {@code date-time}, a known top-level
 * domain for {@code email}), the regex follows it. Every regex returned can be concatenated as is.
 */
final class Formats {
  /** The format names {@link #regex} knows. */
  static final List<String> NAMES = List.of("date", "time", "date-time", "email", "uuid", "uri");

  // ---------------------------------------------------------------- RFC 3339, section 5.6

  private static final String MONTH_DAY = "(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
      + "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
      + "|02-(?:0[1-9]|1[0-9]|2[0-8])";

  /** Gregorian leap years 0000-9999: divisible by 4 but not by 100, or by 400 (0000 included). */
  private static final String LEAP_YEAR = "[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00";

  /** full-date with real month lengths; years 0000-9999 (java.time's LocalDate, which the validator uses). */
  static final String DATE = "(?:[0-9]{4}-(?:" + MONTH_DAY + ")|(?:" + LEAP_YEAR + ")-02-29)";

  private static final String HMS = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]";

  /** At most nine fraction digits: java.time (and ethlo ITU) refuse finer than nanoseconds. */
  private static final String SECFRAC = "(?:\\.[0-9]{1,9})?";

  /**
   * full-time: a time-offset is required; offsets up to +-23:59; the leap second 60 only where the
   * time is 23:59 in UTC, here written with offset Z, z, +00:00 or -00:00.
   */
  static final String TIME = "(?:" + HMS + SECFRAC + "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
      + "|23:59:60" + SECFRAC + "(?:[Zz]|[+-]00:00))";

  /**
   * date-time: the validator (ethlo ITU) takes offsets in -18:00..+18:00 only and refuses the
   * unknown-offset form -00:00; leap seconds are left out (it accepts them only on real leap-second
   * dates).
   */
  static final String DATE_TIME = "(?:" + DATE + "[Tt]" + HMS + SECFRAC
      + "(?:[Zz]|\\+(?:(?:0[0-9]|1[0-7]):[0-5][0-9]|18:00)|-(?:00:(?:0[1-9]|[1-5][0-9])|(?:0[1-9]|1[0-7]):[0-5][0-9]|18:00)))";

  // ---------------------------------------------------------------- RFC 4122, section 3

  /** 8-4-4-4-12 hexadecimal digits of either case (any version and variant). */
  static final String UUID = "(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})";

  // ---------------------------------------------------------------- RFC 5321, section 4.1.2

  private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";

  /**
   * Dot-atom local part of at most 64 octets (RFC 5321, 4.5.3.1.1): up to three dots, each atom
   * bounded so that the total stays within 64.
   */
  private static final String LOCAL_PART = "(?:" + ATEXT + "{1,64}"
      + "|" + ATEXT + "{1,31}\\." + ATEXT + "{1,32}"
      + "|" + ATEXT + "{1,20}\\." + ATEXT + "{1,20}\\." + ATEXT + "{1,22}"
      + "|" + ATEXT + "{1,15}\\." + ATEXT + "{1,15}\\." + ATEXT + "{1,15}\\." + ATEXT + "{1,16})";

  /** A domain label of at most 48 characters, so that four of them and a top-level domain fit in 253. */
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,46}[A-Za-z0-9])?";

  /** Common top-level domains; the validator accepts a dotted domain only under a known one. */
  static final List<String> TOP_LEVEL_DOMAINS = List.of("ai", "app", "at", "au", "be", "biz", "br", "ca", "ch",
      "cloud", "cn", "co", "com", "de", "dev", "dk", "edu", "email", "es", "fi", "fr", "gov", "hk", "ie", "in", "info",
      "int", "io", "it", "jp", "kr", "me", "mil", "mx", "net", "nl", "no", "nz", "online", "org", "pl", "pt", "ru", "se",
      "sg", "site", "tech", "uk", "us", "xyz", "za");

  static final String EMAIL = "(?:" + LOCAL_PART + "@(?:" + LABEL + "\\.){1,4}(?:"
      + String.join("|", TOP_LEVEL_DOMAINS) + "))";

  // ---------------------------------------------------------------- RFC 3986, section 3

  private static final String PCT = "%[0-9A-Fa-f]{2}";

  /** pchar: unreserved, sub-delims, ':' and '@', or a percent-encoded octet. */
  private static final String PCHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|" + PCT + ")";

  private static final String SEGMENTS = "(?:/" + PCHAR + "*)*";

  /**
   * A non-empty reg-name (which includes the dotted IPv4 form) with optional userinfo and port. (The
   * URI regex also takes an empty authority before a path, as in {@code file:///etc/hosts}.)
   */
  private static final String AUTHORITY = "(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|" + PCT + ")*@)?"
      + "(?:[A-Za-z0-9._~!$&'()*+,;=-]|" + PCT + ")+(?::[0-9]{1,5})?";

  /**
   * An absolute URI: scheme ":" hier-part (an authority, or a path that is non-empty), then optional query
   * and fragment; no IP-literal hosts, ASCII only, no brackets in the query (the validator's rules).
   */
  static final String URI = "(?:[A-Za-z][A-Za-z0-9+.-]*:"
      + "(?://(?:" + AUTHORITY + SEGMENTS + "|(?:/" + PCHAR + "*)+)" + "|/(?:" + PCHAR + "+" + SEGMENTS + ")?|" + PCHAR + "+" + SEGMENTS + ")"
      + "(?:\\?(?:" + PCHAR + "|[/?])*)?(?:#(?:" + PCHAR + "|[/?])*)?)";

  private Formats() {}

  /**
   * The regex for the strings of format {@code format}.
   *
   * @throws IllegalArgumentException for a format outside {@link #NAMES}
   */
  static String regex(String format) {
    if (format == null) {
      throw new IllegalArgumentException("format null is not supported; supported: " + NAMES);
    }
    return switch (format) {
      case "date" -> DATE;
      case "time" -> TIME;
      case "date-time" -> DATE_TIME;
      case "email" -> EMAIL;
      case "uuid" -> UUID;
      case "uri" -> URI;
      default -> throw new IllegalArgumentException("format \"" + format + "\" is not supported; supported: " + NAMES);
    };
  }
}
