package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.junit.jupiter.api.Test;

/** AWRS as a decoder draws from the locally constrained law (test vector D) with few constraint tests. */
class AwrsDecoderTest {

  @Test
  void drawsFromTheLocallyConstrainedLaw() {
    int n = 4000;
    AwrsDecoder decoder = new AwrsDecoder(Binary.L);
    List<Completion> out = Generation.of(Binary.MODEL).decoder(decoder).maxTokens(10).samples(n).seed(6).run();
    Map<String, Integer> counts = new HashMap<>();
    for (Completion c : out) {
      assertThat(c.finish()).isEqualTo(Completion.Finish.EOS);
      counts.merge(Binary.key(c.ids()), 1, Integer::sum);
    }
    assertThat(Binary.gcd().keySet()).containsAll(counts.keySet());
    // Q_GCD(00000) = 0.73684; binomial standard error 0.0070 at n = 4000
    assertThat(counts.get("00000</s>") / (double) n).isCloseTo(0.7 / 0.95, within(4 * Math.sqrt(0.7368 * 0.2632 / n)));
    assertThat(decoder.tokens()).isEqualTo(6L * n);
    // each token: pass 1 alone (no weight needed), stopping at the first allowed token: 1 to 3 tests
    assertThat(decoder.evaluations() / (double) decoder.tokens()).isGreaterThan(1).isLessThan(3);
  }

  @Test
  void scoringGivesTheLocallyRenormalisedLogProbability() {
    List<Completion> out = Generation.of(Binary.MODEL).decoder(new AwrsDecoder(Binary.L)).samples(10).seed(3)
        .logprobs(0).run();
    for (Completion c : out) {
      int first = c.ids()[0];
      assertThat(c.tokens().get(0).samplingLogprob()).isCloseTo(Math.log(Binary.TABLE[0][first] / 0.95), within(1e-12));
    }
  }
}
