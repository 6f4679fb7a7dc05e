package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

class DiscountTest {

  /** n = 10, 4, 3, 2: Y = 10/18 = 5/9; D1 = 1 - 2(5/9)(4/10) = 5/9; D2 = 2 - 3(5/9)(3/4) = 3/4; D3+ = 3 - 4(5/9)(2/3) = 1.5185... */
  @Test
  void modifiedDiscountsFromCountOfCounts() {
    assertThat(Discount.modified().discounts(new long[] {0, 10, 4, 3, 2}))
        .containsExactly(new double[] {5.0 / 9, 0.75, 3 - 40.0 / 27}, within(1e-15));
  }

  /** Undefined or out-of-range discounts fall back to D = Y = n1/(n1 + 2 n2), and to 1/2 without singletons. */
  @Test
  void smallCorporaFallBackToOneDiscount() {
    // n3 = 0: D3+ = 3 - 4Y n4/n3 undefined; Y = 3/(3+2) = 3/5
    assertThat(Discount.modified().discounts(new long[] {0, 3, 1, 0, 0})).containsExactly(0.6, 0.6, 0.6);
    // n = 1, 1, 5, 0: D2 = 2 - 3(1/3)(5/1) = -3 < 0; Y = 1/3
    assertThat(Discount.modified().discounts(new long[] {0, 1, 1, 5, 0}))
        .containsExactly(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, within(1e-15));
    // no singletons: Y = 0 would remove all smoothing
    assertThat(Discount.modified().discounts(new long[] {0, 0, 3, 1, 1})).containsExactly(0.5, 0.5, 0.5);
    assertThat(Discount.modified().discounts(new long[] {0, 0, 0, 0, 0})).containsExactly(0.5, 0.5, 0.5);
  }

  @Test
  void fixedDiscountsAndParsing() {
    assertThat(Discount.parse("0.75")).isEqualTo(Discount.fixed(0.75));
    assertThat(Discount.parse("modified")).isEqualTo(Discount.modified());
    assertThat(Discount.fixed(0.75).discounts(new long[5])).containsExactly(0.75, 0.75, 0.75);
    assertThatThrownBy(() -> Discount.parse("1.5"))
        .isInstanceOf(BadInputException.class).hasMessage("discount = 1.5: expected modified or a number in (0, 1)");
    assertThatThrownBy(() -> Discount.parse("kn")).hasMessage("discount = kn: expected modified or a number in (0, 1)");
    assertThatThrownBy(() -> Discount.fixed(0)).hasMessage("discount = 0.0: expected modified or a number in (0, 1)");
    assertThatThrownBy(() -> Discount.fixed(Double.NaN)).hasMessageStartingWith("discount = NaN");
  }
}
