package org.fewstep.constrain.approx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The suffix array against sorting suffixes directly, and LCE against symbol-by-symbol comparison. */
class HammingSuffixLceTest {
  @Property(seed = "20261127", tries = 200)
  void suffixArrayAndLce(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 5) int alphabet) {
    Random rng = new Random(seed);
    int[] s = new int[n];
    int period = 1 + rng.nextInt(6);
    for (int i = 0; i < n; i++) {
      // periodic with rare noise: long common extensions and many equal ranks in early rounds
      s[i] = i < period || rng.nextInt(20) == 0 ? rng.nextInt(alphabet) : s[i - period];
    }
    Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(expected, Comparator.comparing(i -> Arrays.copyOfRange(s, i, n), Arrays::compare));
    assertThat(SuffixLce.suffixArray(s, alphabet)).containsExactly(Arrays.stream(expected).mapToInt(i -> i).toArray());
    SuffixLce lce = new SuffixLce(s, alphabet);
    for (int q = 0; q < 300 && n > 1; q++) {
      int x = rng.nextInt(n);
      int y = rng.nextInt(n);
      if (x == y) {
        continue;
      }
      int l = 0;
      while (x + l < n && y + l < n && s[x + l] == s[y + l]) {
        l++;
      }
      assertThat(lce.lce(x, y)).as("lce(%d, %d)", x, y).isEqualTo(l);
    }
  }
}
