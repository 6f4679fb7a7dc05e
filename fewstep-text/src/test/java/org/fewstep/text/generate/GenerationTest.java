package org.fewstep.text.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.TestModels;
import org.fewstep.text.TestModels.Bigram;
import org.junit.jupiter.api.Test;

class GenerationTest {
  /** ids: 0 = end, 1 = 'a', 2 = 'b', 3 = '.' */
  static final Bigram MODEL = TestModels.bigram("ab.", new double[][] {
      {0.1, 0.5, 0.3, 0.1},  // start
      {0.2, 0.3, 0.4, 0.1},  // after a
      {0.1, 0.6, 0.2, 0.1},  // after b
      {0.5, 0.25, 0.25, 0.0} // after .
  });

  /** Exact law of the completion's token list under ancestral sampling with maxTokens = 2. */
  static Map<String, Double> exactLaw() {
    Map<String, Double> law = new HashMap<>();
    for (int x = 0; x < 4; x++) {
      double p1 = MODEL.p(-1, x);
      if (x == 0) {
        law.put("0", p1);
        continue;
      }
      for (int y = 0; y < 4; y++) {
        law.merge(x + "," + y, p1 * MODEL.p(x, y), Double::sum);
      }
    }
    return law;
  }

  static String key(Completion c) {
    StringBuilder out = new StringBuilder();
    for (int id : c.ids()) {
      out.append(out.length() == 0 ? "" : ",").append(id);
    }
    return out.toString();
  }

  @Test
  void ancestralSamplingDrawsWholeSequencesFromTheModel() {
    int n = 100_000;
    List<Completion> out = Generation.of(MODEL).maxTokens(2).samples(n).seed(1).run();
    Map<String, Double> law = exactLaw();
    List<String> keys = new ArrayList<>(law.keySet());
    long[] counts = new long[keys.size()];
    double[] p = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      p[i] = law.get(keys.get(i));
    }
    for (Completion c : out) {
      int i = keys.indexOf(key(c));
      assertThat(i).as("outcome %s is possible", key(c)).isGreaterThanOrEqualTo(0);
      counts[i]++;
      boolean ended = c.ids()[c.ids().length - 1] == 0;
      assertThat(c.finish()).isEqualTo(ended ? Completion.Finish.EOS : Completion.Finish.LENGTH);
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, p)).isGreaterThan(1e-4);
  }

  @Test
  void sameSeedSameOutputAndSamplesAreIndependentStreams() {
    Generation g = Generation.of(MODEL).prompt("ab").decoder("sample:top-p=0.9,temperature=0.8").maxTokens(20)
        .samples(5).seed(42).logprobs(2);
    List<Completion> a = g.run();
    List<Completion> b = g.run();
    assertThat(a).isEqualTo(b);
    // sample 3 alone (same seed) equals sample 3 of the batch: each sample has its own stream
    List<Completion> four = Generation.of(MODEL).prompt("ab").decoder("sample:top-p=0.9,temperature=0.8")
        .maxTokens(20).samples(4).seed(42).logprobs(2).run();
    assertThat(four.get(3)).isEqualTo(a.get(3));
    List<Completion> other = Generation.of(MODEL).prompt("ab").maxTokens(20).samples(5).seed(43).run();
    assertThat(other.stream().map(Completion::text).toList()).isNotEqualTo(a.stream().map(Completion::text).toList());
  }

  @Test
  void logprobsAreTheModelsAndTopAlternativesAreSorted() {
    Completion c = Generation.of(MODEL).prompt("b").decoder("sample:temperature=0.5").maxTokens(30).seed(3)
        .logprobs(3).run().get(0);
    int previous = 2; // the prompt's last token 'b'
    for (TokenChoice t : c.tokens()) {
      assertThat(t.logprob()).isCloseTo(Math.log(MODEL.p(previous, t.token())), offset(1e-12));
      assertThat(t.top()).hasSizeLessThanOrEqualTo(3);
      for (int j = 1; j < t.top().size(); j++) {
        assertThat(t.top().get(j).logprob()).isLessThanOrEqualTo(t.top().get(j - 1).logprob());
      }
      assertThat(t.top().get(0).logprob()).isCloseTo(Math.log(maxRow(previous)), offset(1e-12));
      // at temperature 0.5 the sampling law is p^2 / sum p^2
      double z = 0;
      for (int y = 0; y < 4; y++) {
        z += MODEL.p(previous, y) * MODEL.p(previous, y);
      }
      assertThat(t.samplingLogprob()).isCloseTo(Math.log(MODEL.p(previous, t.token()) * MODEL.p(previous, t.token()) / z),
          offset(1e-12));
      previous = t.token();
    }
    double sum = 0;
    for (double lp : c.logprobs()) {
      sum += lp;
    }
    assertThat(c.logprob()).isCloseTo(sum, offset(1e-12));
  }

  private static double maxRow(int previous) {
    double m = 0;
    for (int y = 0; y < 4; y++) {
      m = Math.max(m, MODEL.p(previous, y));
    }
    return m;
  }

  @Test
  void stopSequencesCutTheTextAndStreamingDeltasAddUp() {
    for (long seed = 0; seed < 40; seed++) {
      StringBuilder streamed = new StringBuilder();
      List<Completion> out = Generation.of(MODEL).maxTokens(12).stop("ba", ".").seed(seed)
          .listener((s, choice, delta) -> streamed.append(delta)).run();
      Completion c = out.get(0);
      assertThat(streamed.toString()).isEqualTo(c.text());
      assertThat(c.text()).doesNotContain("ba").doesNotContain(".");
      String full = MODEL.tokenizer().decode(java.util.Arrays.stream(c.ids()).filter(t -> t != 0).toArray());
      if (c.finish() == Completion.Finish.STOP) {
        assertThat(full.startsWith(c.text())).isTrue();
        assertThat(full.substring(c.text().length())).matches("ba|\\.|a\\.|b\\.");
      } else {
        assertThat(full).isEqualTo(c.text());
      }
    }
  }

  /** cl100k spells an emoji with several byte tokens: the stream holds a character back until it is whole. */
  @Test
  void streamingNeverSplitsAUtf8Character() {
    org.fewstep.text.model.NGramModel model = org.fewstep.text.model.NGramModel.train(
        org.fewstep.text.token.Tokenizers.bpe("cl100k"),
        List.of("party \uD83C\uDF89 time \uD83E\uDD73 now", "\uD83C\uDF89\uD83C\uDF89 yes", "time \uD83E\uDD73"), 3,
        org.fewstep.text.model.Discount.modified());
    int heldBack = 0;
    for (long seed = 0; seed < 30; seed++) {
      StringBuilder streamed = new StringBuilder();
      List<String> deltas = new ArrayList<>();
      Completion c = Generation.of(model).prompt("party").decoder("sample:min-p=0.5").maxTokens(12).seed(seed)
          .listener((s, choice, delta) -> {
            deltas.add(delta);
            streamed.append(delta);
          }).run().get(0);
      assertThat(streamed.toString()).isEqualTo(c.text());
      // min-p keeps each emoji's byte tokens together, so the text is valid UTF-8 unless the budget
      // cuts a character: then the replacement characters come with the last token only
      assertThat(deltas.subList(0, deltas.size() - 1)).noneMatch(d -> d.contains("\uFFFD"));
      if (c.finish() != Completion.Finish.LENGTH) {
        assertThat(c.text()).doesNotContain("\uFFFD");
      }
      heldBack += (int) deltas.stream().filter(String::isEmpty).count();
    }
    assertThat(heldBack).as("some tokens end inside a character").isPositive();
  }

  @Test
  void maxTokensAndBadInput() {
    Completion c = Generation.of(MODEL).decoder("greedy").maxTokens(5).run().get(0);
    // greedy: start -> a (0.5), a -> b (0.4), b -> a (0.6), ...
    assertThat(c.text()).isEqualTo("ababa");
    assertThat(c.finish()).isEqualTo(Completion.Finish.LENGTH);
    assertThatThrownBy(() -> Generation.of(MODEL).maxTokens(0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("max tokens");
    assertThatThrownBy(() -> Generation.of(MODEL).samples(0)).hasMessageContaining("samples");
    assertThatThrownBy(() -> Generation.of(MODEL).stop("")).hasMessageContaining("stop sequence");
    assertThatThrownBy(() -> Generation.of(MODEL).prompt("abc").run()).isInstanceOf(BadInputException.class)
        .hasMessageContaining("'c'");
    assertThatThrownBy(() -> Generation.of(MODEL).decoder("sample:top-p=2")).hasMessageContaining("top-p");
    // '.' never follows '.': the prompt is impossible, found from the tokens' own logits (prefill)
    assertThatThrownBy(() -> Generation.of(MODEL).prompt("a..").run()).isInstanceOf(BadInputException.class)
        .hasMessageContaining("prompt token at position 2").hasMessageContaining("impossible");
  }

  @Test
  void endTokensFinishACompletionLikeTheEndToken() {
    for (Completion c : Generation.of(MODEL).endTokens(3).decoder("sample").maxTokens(30).samples(200).seed(8).run()) {
      int n = c.ids().length;
      for (int i = 0; i + 1 < n; i++) {
        assertThat(c.ids()[i]).isNotIn(0, 3);
      }
      int last = c.ids()[n - 1];
      assertThat(c.finish()).isEqualTo(last == 0 || last == 3 ? Completion.Finish.EOS : Completion.Finish.LENGTH);
      assertThat(c.text()).doesNotContain(".").hasSize(n - (c.finish() == Completion.Finish.EOS ? 1 : 0));
    }
    assertThatThrownBy(() -> Generation.of(MODEL).endTokens(7)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("end token = 7");
  }

  @Test
  void prefillGivesTheLastRowAndEachTokensLogitOfAppend() {
    int[] prompt = {1, 2, 3, 1, 1};
    double[][] rows = MODEL.start().append(prompt);
    double[] own = new double[prompt.length];
    double[] last = MODEL.start().prefill(prompt, own);
    assertThat(last).containsExactly(rows[prompt.length]);
    for (int i = 0; i < prompt.length; i++) {
      assertThat(own[i]).isEqualTo(rows[i][prompt[i]]).isEqualTo(Math.log(MODEL.p(i == 0 ? -1 : prompt[i - 1], prompt[i])));
    }
    assertThat(MODEL.start().prefill(new int[0], null)).containsExactly(MODEL.start().append()[0]);
    assertThatThrownBy(() -> MODEL.start().prefill(prompt, new double[2])).isInstanceOf(BadInputException.class)
        .hasMessageContaining("tokenLogits length");
  }
}
