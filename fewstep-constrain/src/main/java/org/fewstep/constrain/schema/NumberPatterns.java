package org.fewstep.constrain.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Regular expressions (in the subset {@link org.fewstep.constrain.regex.Regex} compiles) for the JSON
 * number literals whose value lies in a range, for the {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum} and {@code exclusiveMaximum} keywords of JSON Schema.
 *
 * <p>Literals follow the JSON number grammar (RFC 8259, section 6) in canonical spelling: no leading
 * zeros, no {@code +}, and never a minus sign on a zero value ({@code -0}, {@code -0.00}). A range
 * becomes the classic split of an integer interval by digit count and common prefix, plus, at the
 * two boundary integer parts, a comparison of the fraction digits with those of the bound. Every
 * regex returned can be concatenated as is: an alternation at the top is wrapped in {@code (?:...)}.
 */
final class NumberPatterns {
  /** Canonical JSON integers: {@code 0} or a non-zero digit string with an optional minus sign. */
  static final String ANY_INTEGER = "(?:0|-?[1-9][0-9]*)";

  /**
   * JSON numbers with optional fraction and exponent, without the negative zeros
   * ({@code -0}, {@code -0.0}, {@code -0e5}, {@code -0.00E-1}).
   */
  static final String ANY_NUMBER = "(?:(?:0|-?[1-9][0-9]*)(?:\\.[0-9]+)?|-?0\\.[0-9]*[1-9][0-9]*)(?:[eE][+-]?[0-9]+)?";

  private static final String ANY_FRACTION = "(?:\\.[0-9]+)?";

  private NumberPatterns() {}

  /**
   * The canonical JSON integer literals {@code n} with {@code lo <= n <= hi} ({@code null}: no bound
   * on that side), or {@code null} when no integer qualifies.
   */
  static String integer(BigInteger lo, BigInteger hi) {
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      return null;
    }
    if (lo == null && hi == null) {
      return ANY_INTEGER;
    }
    List<String> alts = new ArrayList<>();
    // negative integers: "-" then a magnitude in [max(1, -hi), -lo]
    if (lo == null || lo.signum() < 0) {
      BigInteger magLo = hi != null && hi.signum() < 0 ? hi.negate() : BigInteger.ONE;
      BigInteger magHi = lo == null ? null : lo.negate();
      alts.add("-" + group(naturals(magLo, magHi)));
    }
    // non-negative integers in [max(0, lo), hi]
    if (hi == null || hi.signum() >= 0) {
      BigInteger from = lo != null && lo.signum() > 0 ? lo : BigInteger.ZERO;
      alts.add(0, naturals(from, hi));
    }
    return group(join(alts));
  }

  /**
   * The JSON number literals without exponent ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?}, trailing fraction
   * zeros allowed, no negative zero) whose exact value {@code x} satisfies {@code lo <= x} (or
   * {@code lo < x} when {@code loExclusive}) and {@code x <= hi} (or {@code x < hi}); a {@code null}
   * bound is absent. Returns {@code null} when no literal qualifies.
   */
  static String decimal(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {
    List<String> alts = new ArrayList<>();
    // non-negative values: lower bound max(lo, 0), upper bound hi
    if (hi == null || hi.signum() >= 0) {
      String s = lo == null || lo.signum() < 0
          ? unsigned(BigDecimal.ZERO, false, hi, hiExclusive)
          : unsigned(lo, loExclusive, hi, hiExclusive);
      if (s != null) {
        alts.add(s);
      }
    }
    // negative values x: the magnitude -x is above max(0, -hi) (strictly above 0) and below -lo
    if (lo == null || lo.signum() < 0) {
      String s = hi != null && hi.signum() < 0
          ? unsigned(hi.negate(), hiExclusive, lo == null ? null : lo.negate(), loExclusive)
          : unsigned(BigDecimal.ZERO, true, lo == null ? null : lo.negate(), loExclusive);
      if (s != null) {
        alts.add("-" + group(s));
      }
    }
    return alts.isEmpty() ? null : group(join(alts));
  }

  /**
   * Unsigned literals with value in the interval from {@code lo >= 0} to {@code hi} (null: unbounded),
   * each end exclusive or not; null when empty.
   */
  private static String unsigned(BigDecimal lo, boolean loEx, BigDecimal hi, boolean hiEx) {
    if (hi != null) {
      int c = lo.compareTo(hi);
      if (c > 0 || c == 0 && (loEx || hiEx)) {
        return null;
      }
    }
    BigInteger loInt = lo.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    String loFrac = fractionDigits(lo, loInt);
    BigInteger hiInt = hi == null ? null : hi.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    String hiFrac = hi == null ? "" : fractionDigits(hi, hiInt);

    List<String> alts = new ArrayList<>();
    if (hiInt != null && loInt.equals(hiInt)) {
      String f = fraction(loFrac, loEx, true, hiFrac, hiEx, true);
      return f == null ? null : loInt + f;
    }
    // the integer part at the lower end: fraction >= (>) the bound's fraction; when that is every
    // fraction, the lower end joins the middle range
    BigInteger middleFrom = loInt.add(BigInteger.ONE);
    if (loFrac.isEmpty() && !loEx) {
      middleFrom = loInt;
    } else {
      String f = fraction(loFrac, loEx, true, "", false, false);
      if (f != null) {
        alts.add(loInt + f);
      }
    }
    BigInteger middleTo = hiInt == null ? null : hiInt.subtract(BigInteger.ONE);
    if (middleTo == null || middleFrom.compareTo(middleTo) <= 0) {
      alts.add(group(naturals(middleFrom, middleTo)) + ANY_FRACTION);
    }
    if (hiInt != null) {
      String f = fraction("", false, false, hiFrac, hiEx, true);
      if (f != null) {
        alts.add(hiInt + f);
      }
    }
    return alts.isEmpty() ? null : join(alts);
  }

  /** The digits after the point of {@code v >= 0} (whose floor is {@code floor}), trailing zeros stripped. */
  private static String fractionDigits(BigDecimal v, BigInteger floor) {
    BigDecimal f = v.subtract(new BigDecimal(floor));
    if (f.signum() == 0) {
      return "";
    }
    f = f.stripTrailingZeros();
    String digits = f.unscaledValue().toString();
    return "0".repeat(f.scale() - digits.length()) + digits;
  }

  // ---------------------------------------------------------------- fraction comparisons

  /**
   * The optional fraction part ({@code ""}, or {@code \.} and digits D) whose value 0.D is above the
   * fraction {@code a} (when {@code lowTight}) and below {@code b} (when {@code highTight}), each with
   * its exclusivity; {@code a} and {@code b} are digit strings without trailing zeros ("" is 0).
   * Returns the suffix regex (possibly "" for "no fraction only"), or null when empty.
   */
  private static String fraction(String a, boolean aEx, boolean lowTight, String b, boolean bEx, boolean highTight) {
    Fraction f = new Fraction(a, aEx, b, bEx);
    boolean bare = f.endOk(0, lowTight, highTight);
    String digits = f.digits(0, lowTight, highTight);
    if (digits == null) {
      return bare ? "" : null;
    }
    return bare ? "(?:\\." + group(digits) + ")?" : "\\." + group(digits);
  }

  /**
   * Digit strings D compared with two bounds as zero-padded digit sequences (which orders them as
   * the fractions 0.D). A walk over positions keeps whether D still equals the lower bound so far
   * ({@code lt}) and the upper bound so far ({@code ht}).
   */
  private record Fraction(String a, boolean aEx, String b, boolean bEx) {
    private int digitOf(String s, int i) {
      return i < s.length() ? s.charAt(i) - '0' : 0;
    }

    /** Whether D may end at position i (the rest read as zeros) given the tight flags. */
    boolean endOk(int i, boolean lt, boolean ht) {
      if (lt) { // D equals a so far: the rest of a must be zero, and equality needs an inclusive bound
        if (i < a.length() || aEx) {
          return false;
        }
      }
      if (ht) { // D equals b so far: equal when the rest of b is zero
        if (i >= b.length() && bEx) {
          return false;
        }
      }
      return true;
    }

    /** The digits from position i on, at least one, with the given tight flags; null when none fit. */
    String digits(int i, boolean lt, boolean ht) {
      if ((!lt || i >= a.length()) && (!ht || i >= b.length())) {
        return tail(i, lt, ht);
      }
      List<String> alts = new ArrayList<>();
      int low = lt ? digitOf(a, i) : 0;
      int high = ht ? digitOf(b, i) : 9;
      if (lt && ht && low == high) {
        alts.add(low + rest(i + 1, true, true));
      } else {
        int from = low;
        int to = high;
        if (lt) {
          String r = rest(i + 1, true, false);
          if (r != null) {
            alts.add(low + r);
          }
          from++;
        }
        if (from <= to - (ht ? 1 : 0)) {
          alts.add(digitClass(from, to - (ht ? 1 : 0)) + "[0-9]*");
        }
        if (ht) {
          String r = rest(i + 1, false, true);
          if (r != null) {
            alts.add(high + r);
          }
        }
      }
      return alts.isEmpty() ? null : join(alts);
    }

    /** After one more digit: ending there or going on; null when neither is possible. */
    private String rest(int i, boolean lt, boolean ht) {
      boolean end = endOk(i, lt, ht);
      String more = digits(i, lt, ht);
      if (more == null) {
        return end ? "" : null;
      }
      if (!end) {
        return group(more);
      }
      return more.equals("0+") ? "0*" : more.equals("[0-9]+") ? "[0-9]*" : "(?:" + more + ")?";
    }

    /** At least one digit, where each bound still tight has no digits left (reads as zeros from here on). */
    private String tail(int i, boolean lt, boolean ht) {
      boolean lowOpen = !lt || !aEx; // lower bound already exceeded, or met inclusively by any digits
      if (ht) { // every further digit must be 0 (a non-zero one exceeds b)
        if (bEx) {
          return null;
        }
        return lowOpen ? "0+" : null; // a = b here (both exhausted): only an inclusive pair works
      }
      return lowOpen ? "[0-9]+" : "0*[1-9][0-9]*";
    }
  }

  // ---------------------------------------------------------------- integer ranges

  /** Canonical non-negative integers in [from, to] (to null: unbounded), from <= to; no outer group. */
  private static String naturals(BigInteger from, BigInteger to) {
    if (from.signum() == 0 && to == null) {
      return "0|[1-9][0-9]*";
    }
    String f = from.toString();
    String t = to == null ? null : to.toString();
    if (t != null && t.length() == f.length()) {
      return sameLength(f, t);
    }
    List<String> alts = new ArrayList<>();
    int d = f.length(); // from here on, to has more digits than from (or is unbounded)
    if (from.signum() == 0 || !from.equals(BigInteger.TEN.pow(d - 1))) {
      alts.add(sameLength(f, "9".repeat(d))); // the rest of from's digit count
      d++;
    }
    // whole digit counts from d on: [1-9] and d-1 to (last-1) more digits
    if (t == null) {
      alts.add("[1-9]" + atLeast(d - 1));
      return join(alts);
    }
    int last = t.chars().allMatch(c -> c == '9') ? t.length() : t.length() - 1;
    if (d <= last) {
      alts.add("[1-9]" + between(d - 1, last - 1));
    }
    if (last < t.length()) {
      alts.add(sameLength("1" + "0".repeat(t.length() - 1), t));
    }
    return join(alts);
  }

  /** Digit strings s of one length with x <= s <= y (x <= y); no outer group. */
  private static String sameLength(String x, String y) {
    int n = x.length();
    int p = 0;
    while (p < n && x.charAt(p) == y.charAt(p)) {
      p++;
    }
    if (p == n) {
      return x;
    }
    String prefix = x.substring(0, p);
    int x1 = x.charAt(p) - '0';
    int y1 = y.charAt(p) - '0';
    String xs = x.substring(p + 1);
    String ys = y.substring(p + 1);
    int k = n - p - 1;
    boolean lowFull = xs.chars().allMatch(c -> c == '0');
    boolean highFull = ys.chars().allMatch(c -> c == '9');
    List<String> alts = new ArrayList<>();
    if (!lowFull) {
      alts.add(x1 + group(sameLength(xs, "9".repeat(k))));
    }
    int from = lowFull ? x1 : x1 + 1;
    int to = highFull ? y1 : y1 - 1;
    if (from <= to) {
      alts.add(digitClass(from, to) + exactly(k));
    }
    if (!highFull) {
      alts.add(y1 + group(sameLength("0".repeat(k), ys)));
    }
    return prefix + (prefix.isEmpty() ? join(alts) : group(join(alts)));
  }

  // ---------------------------------------------------------------- small regex helpers

  private static String digitClass(int from, int to) {
    if (from == to) {
      return Integer.toString(from);
    }
    return "[" + from + (to == from + 1 ? "" : "-") + to + "]";
  }

  private static String exactly(int k) {
    return k == 0 ? "" : k == 1 ? "[0-9]" : "[0-9]{" + k + "}";
  }

  private static String between(int min, int max) {
    if (min == max) {
      return exactly(min);
    }
    return min == 0 && max == 1 ? "[0-9]?" : "[0-9]{" + min + "," + max + "}";
  }

  private static String atLeast(int k) {
    return k == 0 ? "[0-9]*" : k == 1 ? "[0-9]+" : "[0-9]{" + k + ",}";
  }

  private static String join(List<String> alts) {
    return String.join("|", alts);
  }

  /** {@code re} wrapped in {@code (?:...)} when it has an alternation at the top level. */
  static String group(String re) {
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return "(?:" + re + ")";
      }
    }
    return re;
  }
}
