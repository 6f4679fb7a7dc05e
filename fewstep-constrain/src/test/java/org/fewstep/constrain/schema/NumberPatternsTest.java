package org.fewstep.constrain.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.regex.Regex;
import org.junit.jupiter.api.Test;

/**
 * Brute-force oracles for {@link NumberPatterns}: every candidate literal (canonical ones in a window
 * and near the bounds, plus malformed spellings) is accepted by the compiled regex exactly when it is
 * a canonical literal whose value, read by {@link BigInteger} or {@link BigDecimal}, is in range.
 */
class NumberPatternsTest {
  static final Pattern CANONICAL_INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");
  static final Pattern CANONICAL_DECIMAL = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?");
  static final List<String> MALFORMED = List.of("", "-", "+1", "-0", "00", "01", "-01", "007", "1.0", "1e2", "1E2",
      " 1", "1 ", "--1", "0x1", "1-", "-0.0", "-0.000", ".5", "5.", "0.", "-.5", "00.5", "01.5", "1..2", "1.2.3",
      "+0.5", "0.5e1", "- 1", "1,5", "١");

  // ------------------------------------------------------------------ integer

  static boolean integerExpected(String lit, BigInteger lo, BigInteger hi) {
    if (!CANONICAL_INTEGER.matcher(lit).matches() || lit.equals("-0")) {
      return false;
    }
    BigInteger n = new BigInteger(lit);
    return (lo == null || lo.compareTo(n) <= 0) && (hi == null || n.compareTo(hi) <= 0);
  }

  static void checkInteger(BigInteger lo, BigInteger hi, Iterable<String> candidates) {
    String re = NumberPatterns.integer(lo, hi);
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      assertThat(re).as("[%s, %s]", lo, hi).isNull();
      return;
    }
    assertThat(re).as("[%s, %s]", lo, hi).isNotNull();
    ByteAutomaton a = Regex.fullMatch(re);
    for (String lit : candidates) {
      assertThat(a.accepts(lit)).as("%s for [%s, %s] by %s", lit, lo, hi, re).isEqualTo(integerExpected(lit, lo, hi));
    }
  }

  static List<String> integerWindow() {
    List<String> out = new ArrayList<>(MALFORMED);
    for (int n = -1200; n <= 1200; n++) {
      out.add(Integer.toString(n));
    }
    return out;
  }

  static BigInteger big(Integer n) {
    return n == null ? null : BigInteger.valueOf(n);
  }

  @Test
  void integerRangesAroundSmallBoundsMatchTheOracle() {
    List<String> window = integerWindow();
    Integer[] bounds = {null, -1200, -1000, -999, -256, -100, -99, -37, -10, -9, -1, 0, 1, 5, 9, 10, 37, 99, 100,
        123, 255, 256, 999, 1000, 1001, 1200};
    for (Integer lo : bounds) {
      for (Integer hi : bounds) {
        checkInteger(big(lo), big(hi), window);
      }
    }
  }

  @Test
  void integerRangesOnAGridMatchTheOracle() {
    List<String> window = integerWindow();
    Random rng = new Random(20250101);
    for (int i = 0; i < 300; i++) {
      int lo = rng.nextInt(1001);
      int hi = rng.nextInt(10) == 0 ? lo : rng.nextInt(1001);
      checkInteger(big(lo), big(hi), window);
      checkInteger(big(-hi), big(lo), window);
    }
  }

  @Test
  void integerRangesWithHugeBoundsMatchTheOracle() {
    Random rng = new Random(77);
    for (int i = 0; i < 120; i++) {
      BigInteger lo = randomBig(rng);
      BigInteger hi = rng.nextInt(6) == 0 ? null : randomBig(rng);
      if (hi != null && lo.compareTo(hi) > 0 && rng.nextBoolean()) {
        BigInteger t = lo;
        lo = hi;
        hi = t;
      }
      if (rng.nextInt(6) == 0) {
        lo = null;
      }
      Set<String> candidates = new LinkedHashSet<>(MALFORMED);
      for (BigInteger b : Arrays.asList(lo, hi)) {
        if (b != null) {
          for (int d = -3; d <= 3; d++) {
            candidates.add(b.add(BigInteger.valueOf(d)).toString());
            candidates.add(b.negate().add(BigInteger.valueOf(d)).toString());
          }
          candidates.add(b + "0");
          candidates.add(b.toString().substring(1));
        }
      }
      for (int k = 0; k < 200; k++) {
        candidates.add(randomBig(rng).toString());
      }
      for (int n = -30; n <= 30; n++) {
        candidates.add(Integer.toString(n));
      }
      checkInteger(lo, hi, candidates);
    }
  }

  /** A random integer of 1 to 32 digits, either sign, sometimes a power of ten or one less. */
  static BigInteger randomBig(Random rng) {
    int digits = 1 + rng.nextInt(32);
    BigInteger v;
    switch (rng.nextInt(4)) {
      case 0 -> v = BigInteger.TEN.pow(digits - 1);
      case 1 -> v = BigInteger.TEN.pow(digits).subtract(BigInteger.ONE);
      default -> {
        StringBuilder sb = new StringBuilder().append(1 + rng.nextInt(9));
        for (int i = 1; i < digits; i++) {
          sb.append(rng.nextInt(10));
        }
        v = new BigInteger(sb.toString());
      }
    }
    return rng.nextBoolean() ? v.negate() : v;
  }

  @Test
  void integerRegexesAreCompact() {
    assertThat(NumberPatterns.integer(BigInteger.ZERO, BigInteger.valueOf(255)))
        .isEqualTo("(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2(?:[0-4][0-9]|5[0-5]))");
    assertThat(NumberPatterns.integer(null, null)).isEqualTo(NumberPatterns.ANY_INTEGER);
    assertThat(NumberPatterns.integer(BigInteger.ONE, null)).isEqualTo("[1-9][0-9]*");
    assertThat(NumberPatterns.integer(BigInteger.valueOf(100), null)).isEqualTo("[1-9][0-9]{2,}");
    assertThat(NumberPatterns.integer(null, BigInteger.valueOf(-1))).isEqualTo("-[1-9][0-9]*");
    assertThat(NumberPatterns.integer(BigInteger.TWO, BigInteger.ONE)).isNull();
    String huge = NumberPatterns.integer(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30));
    assertThat(huge).hasSizeLessThan(120);
    ByteAutomaton a = Regex.fullMatch(huge);
    assertThat(a.accepts("1" + "0".repeat(30))).isTrue();
    assertThat(a.accepts("1" + "0".repeat(29) + "1")).isFalse();
    assertThat(a.accepts("-" + "9".repeat(30))).isTrue();
    assertThat(a.accepts("-" + "1" + "0".repeat(30))).isTrue();
    assertThat(a.accepts("-" + "1" + "0".repeat(29) + "1")).isFalse();
  }

  // ------------------------------------------------------------------ decimal

  static boolean decimalExpected(String lit, BigDecimal lo, boolean loEx, BigDecimal hi, boolean hiEx) {
    if (!CANONICAL_DECIMAL.matcher(lit).matches()) {
      return false;
    }
    BigDecimal x = new BigDecimal(lit);
    if (lit.startsWith("-") && x.signum() == 0) {
      return false;
    }
    if (lo != null && (loEx ? x.compareTo(lo) <= 0 : x.compareTo(lo) < 0)) {
      return false;
    }
    return hi == null || (hiEx ? x.compareTo(hi) < 0 : x.compareTo(hi) <= 0);
  }

  /** null, or a decimal in [-20, 20] with 0 to 3 significant fraction digits and maybe trailing zeros. */
  static BigDecimal randomBound(Random rng) {
    if (rng.nextInt(5) == 0) {
      return null;
    }
    int scale = rng.nextInt(4);
    long bound = 20 * (long) Math.pow(10, scale);
    BigDecimal v = BigDecimal.valueOf(rng.nextLong(-bound, bound + 1), scale);
    return rng.nextInt(4) == 0 ? v.setScale(scale + 1 + rng.nextInt(2)) : v;
  }

  /** A canonical literal near the bounds' scale: maybe signed, 0-4 fraction digits biased to zeros. */
  static String randomLiteral(Random rng) {
    StringBuilder sb = new StringBuilder();
    if (rng.nextInt(3) == 0) {
      sb.append('-');
    }
    sb.append(rng.nextInt(3) == 0 ? 0 : rng.nextInt(8) == 0 ? rng.nextInt(1000) : rng.nextInt(22));
    int fraction = rng.nextInt(5);
    if (fraction > 0) {
      sb.append('.');
      for (int i = 0; i < fraction; i++) {
        sb.append(rng.nextInt(3) == 0 ? 0 : rng.nextInt(10));
      }
    }
    return sb.toString();
  }

  /** The bound itself in several spellings, its neighbours by 1, 0.1, 0.01 ... 0.00001. */
  static void addNeighbours(Set<String> out, BigDecimal b) {
    if (b == null) {
      return;
    }
    for (BigDecimal v : List.of(b, b.negate())) {
      out.add(v.toPlainString());
      out.add(v.stripTrailingZeros().toPlainString());
      out.add(v.setScale(Math.max(v.scale(), 0) + 2).toPlainString());
      for (int k = 0; k <= 5; k++) {
        BigDecimal step = BigDecimal.ONE.movePointLeft(k);
        out.add(v.add(step).toPlainString());
        out.add(v.subtract(step).toPlainString());
      }
    }
  }

  @Property(seed = "31415926", tries = 400)
  void decimalRangesMatchTheOracle(@ForAll long seed) {
    Random rng = new Random(seed);
    BigDecimal lo = randomBound(rng);
    BigDecimal hi = randomBound(rng);
    if (lo != null && hi != null && lo.compareTo(hi) > 0 && rng.nextInt(4) != 0) {
      BigDecimal t = lo;
      lo = hi;
      hi = t;
    }
    if (lo != null && hi != null && rng.nextInt(8) == 0) {
      hi = lo.setScale(lo.scale() + rng.nextInt(2));
    }
    boolean loEx = rng.nextBoolean();
    boolean hiEx = rng.nextBoolean();
    Set<String> candidates = new LinkedHashSet<>(MALFORMED);
    candidates.addAll(List.of("0", "0.0", "0.000", "0.001", "-0.001", "1", "-1", "20", "-20", "21", "-21"));
    addNeighbours(candidates, lo);
    addNeighbours(candidates, hi);
    for (int i = 0; i < 300; i++) {
      candidates.add(randomLiteral(rng));
    }
    checkDecimal(lo, loEx, hi, hiEx, candidates);
  }

  static void checkDecimal(BigDecimal lo, boolean loEx, BigDecimal hi, boolean hiEx, Iterable<String> candidates) {
    String re = NumberPatterns.decimal(lo, loEx, hi, hiEx);
    String range = (loEx ? "(" : "[") + lo + ", " + hi + (hiEx ? ")" : "]");
    boolean empty = lo != null && hi != null && (lo.compareTo(hi) > 0 || lo.compareTo(hi) == 0 && (loEx || hiEx));
    if (empty) {
      assertThat(re).as(range).isNull();
      return;
    }
    assertThat(re).as(range).isNotNull();
    ByteAutomaton a = Regex.fullMatch(re);
    for (String lit : candidates) {
      assertThat(a.accepts(lit)).as("%s in %s by %s", lit, range, re)
          .isEqualTo(decimalExpected(lit, lo, loEx, hi, hiEx));
    }
  }

  static BigDecimal dec(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  @Test
  void decimalBoundaryExamples() {
    String re = NumberPatterns.decimal(BigDecimal.ZERO, true, null, false);
    ByteAutomaton a = Regex.fullMatch(re);
    for (String s : List.of("0", "0.0", "0.000", "-0.001", "-1")) {
      assertThat(a.accepts(s)).as("%s by %s", s, re).isFalse();
    }
    for (String s : List.of("0.001", "0.1", "1", "123.000")) {
      assertThat(a.accepts(s)).as("%s by %s", s, re).isTrue();
    }
    re = NumberPatterns.decimal(null, false, dec("2.5"), false);
    a = Regex.fullMatch(re);
    for (String s : List.of("2.5", "2.50", "2.4999", "2", "-1000.75", "0", "0.0")) {
      assertThat(a.accepts(s)).as("%s by %s", s, re).isTrue();
    }
    for (String s : List.of("2.5001", "2.51", "3", "-0", "-0.0")) {
      assertThat(a.accepts(s)).as("%s by %s", s, re).isFalse();
    }
    assertThat(NumberPatterns.decimal(dec("1.5"), true, dec("1.50"), false)).isNull();
    assertThat(NumberPatterns.decimal(dec("2"), false, dec("1.99"), false)).isNull();
    assertThat(NumberPatterns.decimal(dec("0"), false, dec("0"), true)).isNull();
    // a single value, any spelling of it
    checkDecimal(dec("-1.50"), false, dec("-1.5"), false, List.of("-1.5", "-1.50", "-1.500", "-1.05", "-1", "1.5"));
    // huge and tiny bounds
    checkDecimal(dec("1E+30"), true, null, false, List.of("1" + "0".repeat(30), "1" + "0".repeat(30) + ".0",
        "1" + "0".repeat(30) + ".0001", "9".repeat(30), "1" + "0".repeat(31)));
    checkDecimal(dec("-1E-12"), true, dec("1E-12"), true, List.of("0", "0.000000000001", "0.0000000000009",
        "-0.0000000000009999", "-0.000000000001", "-0.0000000000010000"));
  }

  @Test
  void anyNumberIsTheJsonNumberGrammarWithoutNegativeZero() {
    ByteAutomaton a = Regex.fullMatch(NumberPatterns.ANY_NUMBER);
    for (String s : List.of("0", "-1", "1.5", "0.0", "1e5", "1E+5", "-2.5e-3", "0e0", "-0.5", "-0.05E2", "10.00")) {
      assertThat(a.accepts(s)).as(s).isTrue();
    }
    for (String s : List.of("-0", "-0.0", "-0e1", "-0.00E-2", "01", "+1", ".5", "1.", "1e", "1e+", "Infinity", "")) {
      assertThat(a.accepts(s)).as(s).isFalse();
    }
    ByteAutomaton i = Regex.fullMatch(NumberPatterns.ANY_INTEGER);
    for (String s : integerWindow()) {
      assertThat(i.accepts(s)).as(s).isEqualTo(integerExpected(s, null, null));
    }
  }
}
