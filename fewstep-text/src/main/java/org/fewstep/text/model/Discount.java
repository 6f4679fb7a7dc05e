package org.fewstep.text.model;

import org.fewstep.core.BadInputException;

/**
 * The discounts of Kneser-Ney smoothing (Chen and Goodman 1999, "An empirical study of smoothing
 * techniques for language modeling"): {@link Modified} uses three discounts D1, D2, D3+ per order,
 * estimated from its count-of-counts (modified Kneser-Ney, their eqs. 17-19); {@link Fixed} uses one
 * D for every count and order (interpolated Kneser-Ney, their eq. 13).
 */
public sealed interface Discount permits Discount.Modified, Discount.Fixed {

  /** Modified Kneser-Ney: D1, D2, D3+ per order, estimated from the counts. */
  static Discount modified() {
    return new Modified();
  }

  /** One discount {@code value} in (0, 1) for every count. */
  static Discount fixed(double value) {
    return new Fixed(value);
  }

  /** {@code modified}, or a number in (0, 1) for a fixed discount. */
  public static Discount parse(String spec) {
    if (spec.equals("modified")) {
      return modified();
    }
    double value;
    try {
      value = Double.parseDouble(spec);
    } catch (NumberFormatException e) {
      throw BadInputException.of("discount", spec, "modified or a number in (0, 1)");
    }
    return fixed(value);
  }

  /**
   * The discounts {D1, D2, D3+} subtracted from counts 1, 2 and 3 or more at one order whose n-grams
   * have count-of-counts {@code n[k]} = number of n-grams with count k (k = 1..4; n[0] is ignored).
   */
  double[] discounts(long[] n);

  /**
   * Modified Kneser-Ney. With Y = n1 / (n1 + 2 n2): D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2,
   * D3+ = 3 - 4Y n4/n3. When a count-of-counts is zero (small corpora) a D is undefined, or it may
   * fall outside (0, k]; then that order uses the single estimate D = Y for every count (the
   * estimate of Ney, Essen and Kneser 1994), and D = 1/2 when there are no singletons either.
   * Every discount is thus positive, so every used token keeps a positive probability.
   */
  record Modified() implements Discount {
    @Override
    public double[] discounts(long[] n) {
      double y = n[1] / (n[1] + 2.0 * n[2]);
      double d1 = 1 - 2 * y * n[2] / n[1];
      double d2 = 2 - 3 * y * n[3] / n[2];
      double d3 = 3 - 4 * y * n[4] / n[3];
      if (d1 > 0 && d1 <= 1 && d2 > 0 && d2 <= 2 && d3 > 0 && d3 <= 3) {
        return new double[] {d1, d2, d3};
      }
      double d = n[1] > 0 ? y : 0.5;
      return new double[] {d, d, d};
    }

    @Override
    public String toString() {
      return "modified";
    }
  }

  /** Interpolated Kneser-Ney with one discount {@code value} in (0, 1). */
  record Fixed(double value) implements Discount {
    public Fixed {
      if (!(value > 0 && value < 1)) {
        throw BadInputException.of("discount", value, "modified or a number in (0, 1)");
      }
    }

    @Override
    public double[] discounts(long[] n) {
      return new double[] {value, value, value};
    }

    @Override
    public String toString() {
      return Double.toString(value);
    }
  }
}
