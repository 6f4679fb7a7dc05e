package org.fewstep.text.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.TestModels;
import org.fewstep.text.TestModels.Bigram;
import org.fewstep.text.sample.AnnealedTemperature;
import org.junit.jupiter.api.Test;

class AnnealedAndCautiousTest {

  /** decoding.md 16 G: the EAD temperatures of the official negexp schedule. */
  @Test
  void eadScheduleMatchesTheTestVectors() {
    AnnealedTemperature s0 = new AnnealedTemperature(1.2, 0.1, 25, 5, 0, 10);
    for (int t = 0; t < 10; t++) {
      assertThat(s0.temperature(t)).isEqualTo(1.0);
    }
    assertThat(s0.temperature(10)).isCloseTo(1.1798, offset(5e-5));
    assertThat(s0.temperature(50)).isCloseTo(1.0948, offset(5e-5));
    assertThat(s0.temperature(91)).isCloseTo(1.0004, offset(5e-5));
    assertThat(s0.temperature(200)).isCloseTo(0.7082, offset(5e-5));
    assertThat(s0.temperature(371)).isEqualTo(0.1);
    assertThat(s0.temperature(1000)).isEqualTo(0.1);
    AnnealedTemperature s100 = new AnnealedTemperature(1.2, 0.1, 25, 5, 100, 10);
    assertThat(s100.temperature(10)).isCloseTo(1.1990, offset(5e-5));
    assertThat(s100.temperature(500)).isCloseTo(1.1512, offset(5e-5));
    assertThat(s100.temperature(1914)).isCloseTo(1.0000, offset(5e-5));
    assertThat(s100.temperature(5000)).isCloseTo(0.5901, offset(5e-5));
    assertThat(s100.temperature(7790)).isCloseTo(0.1001, offset(5e-5));
    assertThat(s100.temperature(8000)).isEqualTo(0.1);
    for (int t = 10; t < 2000; t++) {
      assertThat(s0.temperature(t + 1)).isLessThanOrEqualTo(s0.temperature(t)).isGreaterThanOrEqualTo(0.1);
    }
  }

  /** With a context-free model the token at generated position t has law softmax(logits / tau_t). */
  @Test
  void eadSamplesEachPositionAtItsTemperature() {
    double[] row = {0.05, 0.45, 0.3, 0.2};
    Bigram constant = TestModels.bigram("ab.", new double[][] {row, row, row, row});
    // decay 1 makes the schedule fall fast: tau_12 = max(2.2 - exp(12/20), 0.1) = 0.3779
    Decoder ead = Decoders.create("ead:decay=1,increase=0");
    int position = 12;
    double tau = 1 + 1.2 - Math.exp(position / 20.0);
    int n = 40_000;
    long[] counts = new long[4];
    List<Completion> out = Generation.of(constant).decoder(ead).maxTokens(position + 1).samples(n).seed(9)
        .logprobs(0).run();
    int reached = 0;
    for (Completion c : out) {
      if (c.ids().length > position) {
        counts[c.ids()[position]]++;
        reached++;
        TokenChoice t = c.tokens().get(position);
        double z = 0;
        for (double p : row) {
          z += Math.pow(p, 1 / tau);
        }
        assertThat(t.samplingLogprob()).isCloseTo(Math.log(Math.pow(row[t.token()], 1 / tau) / z), offset(1e-12));
        assertThat(t.logprob()).isCloseTo(Math.log(row[t.token()]), offset(1e-12));
      }
    }
    double[] expected = new double[4];
    double z = 0;
    for (int i = 0; i < 4; i++) {
      expected[i] = Math.pow(row[i], 1 / tau);
      z += expected[i];
    }
    for (int i = 0; i < 4; i++) {
      expected[i] /= z;
    }
    assertThat(reached).isGreaterThan(5000);
    assertThat(GoodnessOfFit.chiSquarePValue(counts, expected)).isGreaterThan(1e-4);
  }

  /** decoding.md 16 F. */
  @Test
  void cntpTrialCountFollowsTheEntropy() {
    CautiousDecoder d = (CautiousDecoder) Decoders.create("cntp");
    double[] h = {0, 0.10, 0.175, 0.18, 0.5, 1.0, 1.49, 1.5, 3.0};
    int[] n = {1, 1, 1, 2, 3, 6, 9, 10, 10};
    for (int i = 0; i < h.length; i++) {
      assertThat(d.trials(h[i])).as("H = %s", h[i]).isEqualTo(n[i]);
    }
  }

  static final Bigram MODEL = TestModels.bigram("ab.", new double[][] {
      {0.0, 0.5, 0.3, 0.2},
      {0.1, 0.3, 0.4, 0.2},
      {0.1, 0.5, 0.2, 0.2},
      {0.4, 0.3, 0.3, 0.0}
  });

  @Test
  void withOneTrialCntpIsPlainSampling() {
    // entropy thresholds above any entropy of this model: N = 1 at every step
    List<Completion> cautious = Generation.of(MODEL).decoder("cntp:h-low=50,h-high=60,temperature=0.9")
        .maxTokens(30).samples(20).seed(5).run();
    List<Completion> plain = Generation.of(MODEL).decoder("sample:temperature=0.9").maxTokens(30).samples(20)
        .seed(5).run();
    assertThat(cautious).isEqualTo(plain);
  }

  @Test
  void trialsEndAtPunctuationAndTheLowestPerplexityWins() {
    int branchingSteps = 0;
    for (long seed = 0; seed < 20; seed++) {
      List<int[]> chosenSpans = new ArrayList<>();
      List<Double> chosenPerplexity = new ArrayList<>();
      CautiousDecoder d = ((CautiousDecoder) Decoders.create("cntp:h-low=0.1,h-high=1.2,n-max=6"))
          .observed((h, trials, ppl, chosen) -> {
            assertThat(trials).hasSize(d0().trials(h));
            for (int[] t : trials) {
              for (int j = 0; j < t.length - 1; j++) {
                assertThat(t[j]).as("only a trial's last token is '.' or the end").isIn(1, 2);
              }
            }
            for (double p : ppl) {
              assertThat(ppl[chosen]).isLessThanOrEqualTo(p);
            }
            chosenSpans.add(trials.get(chosen));
            chosenPerplexity.add(ppl[chosen]);
          });
      Completion c = Generation.of(MODEL).decoder(d).maxTokens(200).seed(seed).run().get(0);
      // the chosen spans appear in the output in order; their perplexity is exp(-mean log p) under the model
      int[] ids = c.ids();
      int from = 0;
      for (int k = 0; k < chosenSpans.size(); k++) {
        int[] span = chosenSpans.get(k);
        int at = indexOf(ids, span, from);
        assertThat(at).as("span %d found", k).isGreaterThanOrEqualTo(0);
        double sum = 0;
        for (int j = 0; j < span.length; j++) {
          int previous = at + j == 0 ? -1 : ids[at + j - 1];
          sum += Math.log(MODEL.p(previous, span[j]));
        }
        assertThat(chosenPerplexity.get(k)).isCloseTo(Math.exp(-sum / span.length), offset(1e-12));
        from = at + span.length;
      }
      branchingSteps += chosenSpans.size();
    }
    assertThat(branchingSteps).isGreaterThan(20);
  }

  private static int indexOf(int[] ids, int[] span, int from) {
    outer:
    for (int i = from; i + span.length <= ids.length; i++) {
      for (int j = 0; j < span.length; j++) {
        if (ids[i + j] != span[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static CautiousDecoder d0() {
    return (CautiousDecoder) Decoders.create("cntp:h-low=0.1,h-high=1.2,n-max=6");
  }
}
