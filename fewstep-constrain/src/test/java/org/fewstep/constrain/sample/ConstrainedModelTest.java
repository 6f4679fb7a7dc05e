package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.ConstrainedModel;
import org.fewstep.text.LmState;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Decoder;
import org.fewstep.text.generate.Generation;
import org.fewstep.text.speculative.Speculative;
import org.junit.jupiter.api.Test;

/**
 * Any decoder on a {@link ConstrainedModel} draws from the locally constrained law Q_GCD of
 * decoding.md 6 (the Binary fixture: Q_GCD(00000) = 0.7 / 0.95), plain sampling and exact
 * speculative decoding alike, whose rejections roll the constraint back; rows are masked per position
 * and a forbidden token turns every later row to -Infinity.
 */
class ConstrainedModelTest {
  /** A draft that disagrees with the target: it prefers ones. */
  static final Binary.Bigram DRAFT = new Binary.Bigram(new double[][] {{0.3, 0.6, 0.1}, {0.3, 0.6, 0.1}, {0.2, 0.7, 0.1}});

  static void assertGcdLaw(List<Completion> out, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (Completion c : out) {
      counts.merge(Binary.key(c.ids()), 1, Integer::sum);
    }
    assertThat(Binary.gcd().keySet()).containsAll(counts.keySet());
    // Q_GCD(00000) = 0.73684; binomial standard error 0.0070 at n = 4000
    assertThat(counts.get("00000</s>") / (double) n).isCloseTo(0.7 / 0.95, within(4 * Math.sqrt(0.7368 * 0.2632 / n)));
    assertThat(Binary.tv(Binary.gcd(), counts)).isLessThan(0.03);
  }

  @Test
  void samplingAndSpeculativeDecodingDrawFromTheLocallyConstrainedLaw() {
    int n = 4000;
    ConstrainedModel target = new ConstrainedModel(Binary.MODEL, Binary.L, 0);
    assertGcdLaw(Generation.of(target).maxTokens(10).samples(n).seed(6).run(), n);
    for (Decoder speculative : new Decoder[] {
        Speculative.decoder("sample", "k=3", new ConstrainedModel(DRAFT, Binary.L, 0)),
        Speculative.decoder("sample", "k=2,method=spectr,drafts=3", DRAFT)}) { // an unconstrained draft too
      assertGcdLaw(Generation.of(target).decoder(speculative).maxTokens(10).samples(n).seed(7).run(), n);
    }
  }

  @Test
  void rowsAreMaskedPerPositionAndRollBackWithTruncate() {
    ConstrainedModel m = new ConstrainedModel(Binary.MODEL, Binary.L, 1); // the first token is a free prompt
    LmState s = m.start();
    double[][] rows = s.append(Binary.ONE, Binary.ZERO, Binary.ONE);
    assertThat(rows[0][Binary.ONE]).isEqualTo(Math.log(0.25)); // the prompt position: unmasked
    assertThat(rows[1][Binary.ONE]).isEqualTo(Math.log(0.45)); // L allows 0 and 1 first
    assertThat(rows[1][Binary.EOS]).isEqualTo(Double.NEGATIVE_INFINITY); // the empty text is not in L
    double[] afterZeroOne = rows[3].clone();
    LmState fork = s.fork();
    s.truncate(2);
    double[] again = s.append(Binary.ONE)[1];
    assertThat(again).containsExactly(afterZeroOne);
    // a forbidden token can be consumed (a draft to reject); every row after it is -Infinity
    LmState f = m.start();
    double[][] bad = f.append(Binary.ZERO, Binary.EOS, Binary.ZERO);
    assertThat(bad[2]).containsOnly(Double.NEGATIVE_INFINITY);
    assertThat(bad[3]).containsOnly(Double.NEGATIVE_INFINITY);
    f.truncate(1);
    double[] next = new double[3];
    f.next(next);
    assertThat(next[Binary.ZERO]).isEqualTo(Math.log(0.60));
    assertThat(fork.length()).isEqualTo(3); // the fork kept its tokens and constraint states
    double[] forkNext = new double[3];
    fork.next(forkNext);
    assertThat(forkNext).containsExactly(afterZeroOne);
  }
}
