package org.fewstep.constrain.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.AutomatonConstraint;
import org.fewstep.core.BadInputException;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.generate.Completion;
import org.fewstep.text.generate.Generation;
import org.junit.jupiter.api.Test;

/** Locally constrained decoding through {@link Generation} on test vector D. */
class LocallyConstrainedDecoderTest {

  @Test
  void generationFollowsTheLanguageWithTheLocallyRenormalisedLaw() {
    int n = 4000;
    List<Completion> out = Generation.of(Binary.MODEL).decoder(new LocallyConstrainedDecoder(Binary.L))
        .maxTokens(10).samples(n).seed(5).run();
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Double> gcd = Binary.gcd();
    for (Completion c : out) {
      assertThat(c.finish()).isEqualTo(Completion.Finish.EOS);
      String key = Binary.key(c.ids());
      assertThat(gcd).containsKey(key);
      counts.merge(key, 1, Integer::sum);
    }
    // Q_GCD(00000) = 0.7 / 0.95 = 0.73684; binomial standard error 0.0070 at n = 4000
    double f = counts.get("00000</s>") / (double) n;
    assertThat(gcd.get("00000</s>")).isCloseTo(0.7 / 0.95, within(1e-15));
    assertThat(f).isCloseTo(0.7 / 0.95, within(4 * Math.sqrt(0.7368 * 0.2632 / n)));
    // the locally constrained law is far from Q: TV = 0.3807, the empirical law stays there
    assertThat(Binary.tv(Binary.q(), gcd.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        Map.Entry::getKey, e -> (int) Math.round(e.getValue() * 1e9))))).isCloseTo(0.3807, within(1e-4));
    assertThat(Binary.tv(Binary.q(), counts)).isCloseTo(0.3807, within(0.03));
  }

  @Test
  void theSameSeedGivesTheSameCompletionsAndLogprobsAreScored() {
    Generation g = Generation.of(Binary.MODEL).decoder(new LocallyConstrainedDecoder(Binary.L)).samples(20).seed(42)
        .logprobs(2);
    List<Completion> a = g.run();
    List<Completion> b = g.run();
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).ids()).isEqualTo(b.get(i).ids());
      // the first token: model log-probability and the locally renormalised one
      int first = a.get(i).ids()[0];
      assertThat(a.get(i).tokens().get(0).logprob()).isCloseTo(Math.log(Binary.TABLE[0][first]), within(1e-12));
      assertThat(a.get(i).tokens().get(0).samplingLogprob())
          .isCloseTo(Math.log(Binary.TABLE[0][first] / 0.95), within(1e-12));
    }
  }

  @Test
  void aDeadEndIsAClearError() {
    // after "0" the model never says "0", the only token the language allows there
    Binary.Bigram stuck = new Binary.Bigram(new double[][] {{0.7, 0.25, 0.05}, {0.0, 0.9, 0.1}, {0.45, 0.45, 0.1}});
    AutomatonConstraint onlyZeros = new AutomatonConstraint(new Binary.Language(false), Binary.VOCABULARY);
    assertThatThrownBy(() -> Generation.of(stuck).decoder(new LocallyConstrainedDecoder(onlyZeros)).samples(1).seed(1).run())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("after 1 generated tokens")
        .hasMessageContaining("00000");
  }

  @Test
  void aConstraintOverAnotherVocabularyIsRefused() {
    Vocabulary other = new Vocabulary(new byte[][] {{'0'}, {'1'}, {'2'}, "</s>".getBytes(StandardCharsets.UTF_8)},
        new boolean[] {false, false, false, true}, 3);
    AutomatonConstraint c = new AutomatonConstraint(new Binary.Language(true), other);
    assertThatThrownBy(() -> Generation.of(Binary.MODEL).decoder(new LocallyConstrainedDecoder(c)).run())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("constraint vocabulary")
        .hasMessageContaining("binary-bigram");
  }
}
